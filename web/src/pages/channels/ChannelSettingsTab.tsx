import { useTranslation } from 'react-i18next';
import { Alert, Button, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { useDeleteChannel, useUpdateChannel } from '../../api/channels';
import type { Channel } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { showServerError } from '../../lib/formErrors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { ChannelFormFields } from './ChannelFormFields';
import { CHANNEL_FIELD_ALIASES, channelFormRules, channelToForm, formToChannelBody, type ChannelFormValues } from './channelFormModel';

/** Edit, disable/enable and delete a channel; read-only for people who may not manage it. */
export function ChannelSettingsTab({ channel }: { channel: Channel }) {
  const navigate = useNavigate();
  const updateChannel = useUpdateChannel(channel.id);
  const deleteChannel = useDeleteChannel(channel.id);
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  const form = useForm<ChannelFormValues>({ initialValues: channelToForm(channel), validate: channelFormRules });
  const readOnly = !channel.can_manage;
  const { t } = useTranslation('channels');

  // When the channel changes elsewhere (another tab, a refetch), show the new values unless
  // the user is in the middle of editing.
  useEffect(() => {
    if (!form.isDirty()) {
      form.setValues(channelToForm(channel));
      form.resetDirty(channelToForm(channel));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the form object is stable; only the channel matters
  }, [channel]);

  const submit = form.onSubmit((values) =>
    updateChannel.mutate(formToChannelBody(values), {
      onSuccess: (updated) => {
        form.resetDirty(channelToForm(updated));
        notifySuccess(t('settings.saved'));
      },
      onError: (error) => showServerError(form, error, CHANNEL_FIELD_ALIASES),
    }),
  );

  const toggleDisabled = () =>
    updateChannel.mutate(
      { disabled: !channel.disabled },
      {
        onSuccess: (updated) => notifySuccess(updated.disabled ? t('settings.disabledToast') : t('settings.enabledToast')),
        onError: (error) => notifyError(error),
      },
    );

  const confirmDelete = () =>
    deleteChannel.mutate(undefined, {
      onSuccess: () => {
        notifySuccess(t('settings.deletedToast', { name: channel.name }));
        void navigate('/channels', { replace: true });
      },
      onError: (error) => {
        deleteDialog.close();
        notifyError(error);
      },
    });

  return (
    <Stack gap="lg" maw={720}>
      {readOnly && (
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
          {t('settings.readOnly')}
        </Alert>
      )}
      <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
        <form onSubmit={submit} noValidate data-testid="channel-settings-form" aria-label={t('settings.formLabel')}>
          <ChannelFormFields form={form} readOnly={readOnly} />
          {!readOnly && (
            <Group justify="flex-end" mt="xl">
              <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
                {t('common:actions.discardChanges')}
              </Button>
              <Button type="submit" disabled={!form.isDirty()} loading={updateChannel.isPending} data-testid="channel-settings-submit">
                {t('common:actions.saveChanges')}
              </Button>
            </Group>
          )}
        </form>
      </Paper>

      {!readOnly && (
        <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} style={{ borderColor: 'light-dark(var(--mantine-color-red-3), var(--mantine-color-red-9))' }}>
          <Title order={4} mb="sm">
            {t('settings.dangerZone')}
          </Title>
          <Stack gap="md">
            <Group justify="space-between" wrap="wrap" gap="sm">
              <div style={{ flex: '1 1 280px' }}>
                <Text fw={500} size="sm">
                  {channel.disabled ? t('settings.enableTitle') : t('settings.disableTitle')}
                </Text>
                <Text size="xs" c="dimmed">
                  {channel.disabled
                    ? t('settings.enableHint')
                    : t('settings.disableHint')}
                </Text>
              </div>
              <Button variant="default" onClick={toggleDisabled} loading={updateChannel.isPending} data-testid="channel-toggle-disabled">
                {channel.disabled ? t('settings.enable') : t('settings.disable')}
              </Button>
            </Group>
            <Divider />
            <Group justify="space-between" wrap="wrap" gap="sm">
              <div style={{ flex: '1 1 280px' }}>
                <Text fw={500} size="sm">
                  {t('settings.deleteTitle')}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('settings.deleteHint')}
                </Text>
              </div>
              <Button color="red" variant="light" onClick={deleteDialog.open} data-testid="channel-delete">
                {t('settings.delete')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}

      <ConfirmDialog
        opened={deleteOpened}
        onClose={deleteDialog.close}
        title={t('settings.deleteConfirmTitle')}
        message={t('settings.deleteConfirm', { name: channel.name })}
        confirmLabel={t('settings.delete')}
        loading={deleteChannel.isPending}
        onConfirm={confirmDelete}
      />
    </Stack>
  );
}
