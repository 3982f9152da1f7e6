import { useTranslation } from 'react-i18next';
import { Button, Group } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import { useCreateChannel } from '../../api/channels';
import { useCurrentUser } from '../../app/guards';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';
import { ChannelFormFields } from './ChannelFormFields';
import { CHANNEL_FIELD_ALIASES, channelFormRules, emptyChannelForm, formToChannelBody, type ChannelFormValues } from './channelFormModel';
import { ResponsiveModal } from '../../components/ResponsiveModal';

interface CreateChannelModalProps {
  opened: boolean;
  onClose: () => void;
}

export function CreateChannelModal({ opened, onClose }: CreateChannelModalProps) {
  const { t } = useTranslation('channels');
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('create.title')} size="lg">
      {/* Mounted only while open, so every opening starts from a fresh form. */}
      {opened && <CreateChannelForm onClose={onClose} />}
    </ResponsiveModal>
  );
}

function CreateChannelForm({ onClose }: { onClose: () => void }) {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const createChannel = useCreateChannel();
  const { t } = useTranslation('channels');
  // A person in exactly one team almost certainly means that team.
  const defaultTeam = me.teams.length === 1 ? (me.teams[0]?.id ?? null) : null;
  const form = useForm<ChannelFormValues>({ initialValues: emptyChannelForm(defaultTeam), validate: channelFormRules });

  const submit = form.onSubmit((values) =>
    createChannel.mutate(formToChannelBody(values), {
      onSuccess: (channel) => {
        notifySuccess(t('create.created', { name: channel.name }));
        onClose();
        void navigate(`/channels/${channel.id}`);
      },
      onError: (error) => showServerError(form, error, CHANNEL_FIELD_ALIASES),
    }),
  );

  return (
    <form onSubmit={submit} noValidate data-testid="create-channel-form" aria-label={t('create.title')}>
      <ChannelFormFields form={form} autoFocusName />
      <Group justify="flex-end" mt="xl">
        <Button variant="default" onClick={onClose}>
          {t('common:actions.cancel')}
        </Button>
        <Button type="submit" loading={createChannel.isPending} data-testid="create-channel-submit">
          {t('create.title')}
        </Button>
      </Group>
    </form>
  );
}
