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
        notifySuccess('Channel saved');
      },
      onError: (error) => showServerError(form, error, CHANNEL_FIELD_ALIASES),
    }),
  );

  const toggleDisabled = () =>
    updateChannel.mutate(
      { disabled: !channel.disabled },
      {
        onSuccess: (updated) => notifySuccess(updated.disabled ? 'Channel disabled' : 'Channel enabled'),
        onError: (error) => notifyError(error),
      },
    );

  const confirmDelete = () =>
    deleteChannel.mutate(undefined, {
      onSuccess: () => {
        notifySuccess(`Channel “${channel.name}” deleted`);
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
          Only members of the management team and managing teams (and admins) can change this channel.
        </Alert>
      )}
      <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
        <form onSubmit={submit} noValidate data-testid="channel-settings-form" aria-label="Channel settings">
          <ChannelFormFields form={form} readOnly={readOnly} />
          {!readOnly && (
            <Group justify="flex-end" mt="xl">
              <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
                Discard changes
              </Button>
              <Button type="submit" disabled={!form.isDirty()} loading={updateChannel.isPending} data-testid="channel-settings-submit">
                Save changes
              </Button>
            </Group>
          )}
        </form>
      </Paper>

      {!readOnly && (
        <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} style={{ borderColor: 'light-dark(var(--mantine-color-red-3), var(--mantine-color-red-9))' }}>
          <Title order={4} mb="sm">
            Danger zone
          </Title>
          <Stack gap="md">
            <Group justify="space-between" wrap="wrap" gap="sm">
              <div style={{ flex: '1 1 280px' }}>
                <Text fw={500} size="sm">
                  {channel.disabled ? 'Enable this channel' : 'Disable this channel'}
                </Text>
                <Text size="xs" c="dimmed">
                  {channel.disabled
                    ? 'New alerts will open incidents and notify people again.'
                    : 'A disabled channel keeps its configuration but opens no new incidents.'}
                </Text>
              </div>
              <Button variant="default" onClick={toggleDisabled} loading={updateChannel.isPending} data-testid="channel-toggle-disabled">
                {channel.disabled ? 'Enable channel' : 'Disable channel'}
              </Button>
            </Group>
            <Divider />
            <Group justify="space-between" wrap="wrap" gap="sm">
              <div style={{ flex: '1 1 280px' }}>
                <Text fw={500} size="sm">
                  Delete this channel
                </Text>
                <Text size="xs" c="dimmed">
                  Removes the channel and its configuration for good.
                </Text>
              </div>
              <Button color="red" variant="light" onClick={deleteDialog.open} data-testid="channel-delete">
                Delete channel
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}

      <ConfirmDialog
        opened={deleteOpened}
        onClose={deleteDialog.close}
        title="Delete channel?"
        message={
          <>
            “{channel.name}” and its integrations, rules and settings will be deleted. This cannot be undone.
          </>
        }
        confirmLabel="Delete channel"
        loading={deleteChannel.isPending}
        onConfirm={confirmDelete}
      />
    </Stack>
  );
}
