import { severityLabel } from '../../components/IncidentBadges';
import { useTranslation } from 'react-i18next';
import { Button, MultiSelect, Select, Stack, Group, Textarea, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useChannels } from '../../api/channels';
import { useCreateIncident } from '../../api/incidents';
import type { Severity } from '../../api/types';
import { usePeople } from '../../api/users';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { notifyError, notifySuccess } from '../../lib/notify';

const SEVERITIES: Severity[] = ['Critical', 'Warning', 'Info'];

/** Opens an incident by hand (a customer report, a problem no monitor caught). */
export function NewIncidentButton({ channelId }: { channelId?: string | undefined }) {
  const [opened, setOpened] = useState(false);
  const { t } = useTranslation('incidents');
  return (
    <>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setOpened(true)} data-testid="new-incident-button">
        {t('new.title')}
      </Button>
      {opened && <NewIncidentDialog channelId={channelId} onClose={() => setOpened(false)} />}
    </>
  );
}

function NewIncidentDialog({ channelId, onClose }: { channelId: string | undefined; onClose: () => void }) {
  const navigate = useNavigate();
  const create = useCreateIncident();
  const channels = useChannels();
  const people = usePeople();
  const { t } = useTranslation('incidents');
  const [channel, setChannel] = useState<string | null>(channelId ?? null);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('Warning');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState('');
  const [assignees, setAssignees] = useState<string[]>([]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!channel) return;
    create.mutate(
      { channel_id: channel, title, severity, description, impact, ...(assignees.length > 0 && { assignee_ids: assignees }) },
      {
        onSuccess: (incident) => {
          notifySuccess(t('new.opened', { number: incident.number }));
          onClose();
          void navigate(`/incidents/${incident.id}`);
        },
        onError: (error) => notifyError(error),
      },
    );
  };
  return (
    <ResponsiveModal opened onClose={onClose} title={<Title order={4}>{t('new.title')}</Title>} size="lg">
      <form onSubmit={submit} aria-label={t('new.title')} data-testid="new-incident-form">
        <Stack>
          {!channelId && (
            <Select label={t('new.channel')} required searchable data={channels.items.map((c) => ({ value: c.id, label: c.name }))} value={channel} onChange={setChannel} data-testid="new-incident-channel" />
          )}
          <TextInput label={t('new.titleField')} required maxLength={512} value={title} onChange={(e) => setTitle(e.currentTarget.value)} data-autofocus data-testid="new-incident-title" />
          <Select label={t('list.severity')} data={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))} value={severity} onChange={(v) => v && setSeverity(v as Severity)} allowDeselect={false} data-testid="new-incident-severity" />
          <Textarea label={t('new.description')} autosize minRows={2} maxRows={8} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Textarea label={t('new.impact')} autosize minRows={2} maxRows={6} value={impact} onChange={(e) => setImpact(e.currentTarget.value)} />
          <MultiSelect
            label={t('new.assignTo')}
            description={t('new.assignHint')}
            searchable
            data={people.items.map((p) => ({ value: p.id, label: p.name }))}
            value={assignees}
            onChange={setAssignees}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!channel || !title.trim()} data-testid="new-incident-submit">
              {t('new.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
