import { useTranslation } from 'react-i18next';
import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowLeft, IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useCreateChannelIntegration, useCreateSharedIntegration } from '../../api/integrations';
import type { Integration, SourceName } from '../../api/types';
import { useTeams } from '../../api/teams';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { SourceIcon } from '../../components/SourceIcon';
import { showServerError } from '../../lib/formErrors';
import { notifySuccess } from '../../lib/notify';
import { sourceInfo, sourceList } from '../../lib/sources';
import { IntegrationSetup } from './IntegrationParts';
import { TestAlertButton } from '../../components/TestAlertButton';

type Target = { kind: 'channel'; channelId: string } | { kind: 'shared' };

interface AddIntegrationModalProps {
  opened: boolean;
  onClose: () => void;
  target: Target;
  /** Called with the new integration when the person leaves the "created" step. */
  onDone?: (integration: Integration) => void;
}

/** Source picker → name (and owning team for shared ones) → the push URL and snippet to paste. */
export function AddIntegrationModal({ opened, onClose, target, onDone }: AddIntegrationModalProps) {
  const { t } = useTranslation('integrations');
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={target.kind === 'shared' ? t('add.sharedTitle') : t('add.title')} size="xl">
      {opened && <AddIntegrationFlow target={target} onClose={onClose} onDone={onDone} />}
    </ResponsiveModal>
  );
}

function AddIntegrationFlow({ target, onClose, onDone }: { target: Target; onClose: () => void; onDone?: ((integration: Integration) => void) | undefined }) {
  const [source, setSource] = useState<SourceName | null>(null);
  const [created, setCreated] = useState<Integration | null>(null);
  const { t } = useTranslation('integrations');

  if (created) {
    const finish = () => {
      onClose();
      onDone?.(created);
    };
    return (
      <Stack gap="md" data-testid="integration-created">
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={t('add.ready', { name: created.name })}>
          {t('add.readyHint', { source: sourceInfo(created.source).label })}
        </Alert>
        <IntegrationSetup integration={created} />
        <Group justify="flex-end">
          <TestAlertButton integration={created} size="sm" />
          <Button onClick={finish} data-testid="integration-created-done">
            {t('add.done')}
          </Button>
        </Group>
      </Stack>
    );
  }

  if (!source) {
    return (
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('add.whereFrom')}
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" data-testid="source-grid">
          {sourceList().map((s) => (
            <UnstyledButton
              key={s.name}
              onClick={() => setSource(s.name)}
              className="tocsin-choice"
              data-testid={`source-option-${s.name}`}
              aria-label={s.label}
            >
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <SourceIcon source={s.name} />
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} size="sm">
                    {s.label}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {s.blurb}
                  </Text>
                </div>
              </Group>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </Stack>
    );
  }

  return <NameStep target={target} source={source} onBack={() => setSource(null)} onCreated={setCreated} />;
}

type NameValues = {
  name: string;
  team_id: string | null;
};

function NameStep({ target, source, onBack, onCreated }: { target: Target; source: SourceName; onBack: () => void; onCreated: (i: Integration) => void }) {
  const me = useCurrentUser();
  // Admins may create for any team; everyone else for a team they are in.
  const allTeams = useTeams();
  const teamOptions = (isAdmin(me) ? allTeams.items : me.teams).map((t) => ({ value: t.id, label: t.name }));
  const info = sourceInfo(source);
  const { t } = useTranslation('integrations');
  const createDedicated = useCreateChannelIntegration(target.kind === 'channel' ? target.channelId : '');
  const createShared = useCreateSharedIntegration();
  const pending = createDedicated.isPending || createShared.isPending;
  const form = useForm<NameValues>({
    initialValues: { name: info.label, team_id: me.teams.length === 1 ? (me.teams[0]?.id ?? null) : null },
    validate: {
      name: (v) => (v.trim() ? null : t('add.nameRequired')),
      team_id: (v) => (target.kind === 'shared' && !v ? t('add.teamRequired') : null),
    },
  });

  const submit = form.onSubmit((values) => {
    const callbacks = {
      onSuccess: (integration: Integration) => {
        notifySuccess(t('add.created', { name: integration.name }));
        onCreated(integration);
      },
      onError: (error: unknown) => showServerError(form, error),
    };
    if (target.kind === 'channel') createDedicated.mutate({ name: values.name.trim(), source }, callbacks);
    else createShared.mutate({ name: values.name.trim(), source, team_id: values.team_id ?? '' }, callbacks);
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t('add.formLabel')} data-testid="add-integration-form">
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap">
          <SourceIcon source={source} size={40} />
          <div>
            <Text fw={600}>{info.label}</Text>
            <Text size="xs" c="dimmed">
              {info.blurb}
            </Text>
          </div>
        </Group>
        <TextInput
          label={t('add.name')}
          description={t('add.nameHint')}
          required
          maxLength={100}
          data-autofocus
          data-testid="integration-name"
          {...form.getInputProps('name')}
        />
        {target.kind === 'shared' && (
          <Select
            label={t('add.team')}
            description={t('add.teamHint')}
            placeholder={t('add.teamPlaceholder')}
            data={teamOptions}
            searchable
            nothingFoundMessage={t('add.noTeams')}
            required
            allowDeselect={false}
            data-testid="integration-team"
            {...form.getInputProps('team_id')}
          />
        )}
        <Group justify="space-between">
          <Button variant="subtle" color="gray" leftSection={<IconArrowLeft size={16} />} onClick={onBack}>
            {t('add.otherSource')}
          </Button>
          <Button type="submit" loading={pending} data-testid="add-integration-submit">
            {t('add.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
