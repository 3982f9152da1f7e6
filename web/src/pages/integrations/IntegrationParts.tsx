import { useTranslation } from 'react-i18next';
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Divider,
  Group,
  List,
  NumberInput,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle, IconKey, IconMailForward } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useDeleteIntegration, useIntegrationActivity, useRegenerateIntegrationKey, useUpdateIntegration } from '../../api/integrations';
import type { Integration, IntegrationActivity } from '../../api/types';
import { CodeBlock, CopyField } from '../../components/CopyField';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { JsonBlock } from '../../components/JsonBlock';
import { RelativeTime } from '../../components/RelativeTime';
import { showServerError } from '../../lib/formErrors';
import { notifyError, notifySuccess } from '../../lib/notify';
import { sourceInfo } from '../../lib/sources';
import { i18next } from '../../i18n';
import { translateServerMessage } from '../../i18n/serverErrors';

/** Where to send events and the source's ready-to-paste configuration, key filled in. */
export function IntegrationSetup({ integration }: { integration: Integration }) {
  const info = sourceInfo(integration.source);
  const key = integration.integration_key;
  const pushUrl = integration.push_url;
  const { t } = useTranslation('integrations');
  if (!key || pushUrl === null) {
    return (
      <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
        {t('setup.hidden')}
      </Alert>
    );
  }
  const snippet = info.snippet?.({ pushUrl, key });
  return (
    <Stack gap="md" data-testid="integration-setup">
      {info.keyStyle === 'email' ? (
        pushUrl ? (
          <CopyField
            label={t('setup.emailAddress')}
            value={pushUrl}
            testId="integration-push-url"
            description={t('setup.emailHint')}
          />
        ) : (
          <Alert variant="light" color="yellow" icon={<IconMailForward size={18} />}>
            {t('setup.noEmailDomain')}
          </Alert>
        )
      ) : (
        <>
          <CopyField
            label={info.keyStyle === 'url' ? t('setup.pushUrl') : t('setup.endpoint')}
            value={pushUrl}
            testId="integration-push-url"
            description={
              info.keyStyle === 'url'
                ? t('setup.urlHint')
                : info.keyStyle === 'routing_key'
                  ? t('setup.pagerdutyHint')
                  : t('setup.opsgenieHint')
            }
          />
          <CopyField
            label={info.keyStyle === 'routing_key' ? t('setup.routingKey') : info.keyStyle === 'genie_key' ? 'GenieKey' : t('setup.integrationKey')}
            value={key}
            testId="integration-key"
          />
        </>
      )}
      {snippet && <CodeBlock title={snippet.title} code={snippet.code} testId="integration-snippet" />}
      {info.steps && info.steps.length > 0 && (
        <List size="sm" spacing={4} c="dimmed">
          {info.steps.map((step) => (
            <List.Item key={step}>{step}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

const OUTCOME_COLORS: Record<string, string> = { accepted: 'teal', dropped: 'yellow', rejected: 'red' };

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useTranslation('integrations');
  return (
    <Badge size="sm" variant="light" color={OUTCOME_COLORS[outcome] ?? 'gray'} data-testid="raw-event-outcome" data-outcome={outcome}>
      {OUTCOME_COLORS[outcome] ? t(`activity.${outcome}`) : outcome}
    </Badge>
  );
}

/** The 24 h counters as three small figures. */
export function ActivityStats({ counts, compact = false }: { counts: IntegrationActivity['counts'] | undefined; compact?: boolean }) {
  const { t } = useTranslation('integrations');
  const items: { key: string; value: number | undefined; color: string }[] = [
    { key: 'accepted', value: counts?.accepted, color: 'teal' },
    { key: 'dropped', value: counts?.dropped, color: 'yellow' },
    { key: 'rejected', value: counts?.rejected, color: 'red' },
  ];
  return (
    <SimpleGrid cols={3} spacing="xs" aria-label={t('activity.last24hLabel')}>
      {items.map((item) => (
        <Paper key={item.key} radius="md" p={compact ? 6 : 'sm'} bg="var(--mantine-color-default-hover)">
          {item.value === undefined ? (
            <Skeleton height={compact ? 18 : 24} width={32} />
          ) : (
            <Text fw={700} fz={compact ? 'md' : 'xl'} c={item.value > 0 && item.key !== 'accepted' ? item.color : undefined} lh={1.2}>
              {item.value}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t(`activity.${item.key}Count`)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** Latest event, 24 h counters and the last 20 raw payloads, refreshed while open. */
export function IntegrationActivitySection({ integration }: { integration: Integration }) {
  const activity = useIntegrationActivity(integration.id);
  const { t } = useTranslation('integrations');
  if (activity.isError) return <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />;
  const data = activity.data;
  return (
    <Stack gap="md" data-testid="integration-activity">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm">
          {t('activity.latestEvent')}{' '}
          {data?.last_event_at ? (
            <Text span inherit fw={600}>
              <RelativeTime ms={data.last_event_at} />
            </Text>
          ) : (
            <Text span inherit c="dimmed">
              {t('activity.noEvents')}
            </Text>
          )}
        </Text>
        <Text size="xs" c="dimmed">
          {t('activity.window')}
        </Text>
      </Group>
      <ActivityStats counts={data?.counts} />
      <Title order={5}>{t('activity.recentPayloads')}</Title>
      {activity.isPending ? (
        <Stack gap="xs">
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Stack>
      ) : data && data.raw_events.length > 0 ? (
        <Accordion variant="separated" radius="md" chevronPosition="right" data-testid="raw-events">
          {data.raw_events.map((event) => (
            <Accordion.Item key={event.id} value={event.id} data-testid="raw-event">
              <Accordion.Control>
                <Group gap="sm" wrap="nowrap">
                  <OutcomeBadge outcome={event.outcome} />
                  <RelativeTime ms={event.received_at} />
                  <Text size="xs" c="dimmed" truncate visibleFrom="xs">
                    {event.content_type}
                  </Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="xs">
                  {event.detail && (
                    <Text size="sm" c={event.outcome === 'rejected' ? 'red' : 'dimmed'}>
                      {translateServerMessage('InvalidParameter', event.detail, i18next.t, i18next.language)}
                    </Text>
                  )}
                  <JsonBlock payload={event.payload} />
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      ) : (
        <Text size="sm" c="dimmed">
          {t('activity.nothingYet')}
        </Text>
      )}
    </Stack>
  );
}

type SettingsValues = {
  name: string;
  per_second: number | string;
  per_minute: number | string;
};

/** Name, rate limit, disable, new key and delete. Read-only for people who may not manage it. */
export function IntegrationSettingsSection({ integration, onDeleted, extra }: { integration: Integration; onDeleted: () => void; extra?: ReactNode }) {
  const update = useUpdateIntegration(integration.id);
  const regenerate = useRegenerateIntegrationKey(integration.id);
  const remove = useDeleteIntegration(integration.id);
  const [regenOpened, regenDialog] = useDisclosure(false);
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  const canManage = integration.integration_key !== null;
  const { t } = useTranslation('integrations');
  const form = useForm<SettingsValues>({
    initialValues: {
      name: integration.name,
      per_second: integration.settings.rate_limit.per_second,
      per_minute: integration.settings.rate_limit.per_minute,
    },
    validate: {
      name: (v) => (v.trim() ? null : t('add.nameRequired')),
      per_second: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 10_000 ? null : t('settings.range', { min: 1, max: 10000 })),
      per_minute: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 600_000 ? null : t('settings.range', { min: 1, max: 600000 })),
    },
  });

  const submit = form.onSubmit((values) =>
    update.mutate(
      { name: values.name.trim(), settings: { rate_limit: { per_second: Number(values.per_second), per_minute: Number(values.per_minute) } } },
      {
        onSuccess: (saved) => {
          form.resetDirty({ name: saved.name, per_second: saved.settings.rate_limit.per_second, per_minute: saved.settings.rate_limit.per_minute });
          notifySuccess(t('settings.saved'));
        },
        onError: (error) => showServerError(form, error, { 'settings.rate_limit.per_second': 'per_second', 'settings.rate_limit.per_minute': 'per_minute' }),
      },
    ),
  );

  const toggleDisabled = () =>
    update.mutate(
      { disabled: !integration.disabled },
      { onSuccess: (saved) => notifySuccess(saved.disabled ? t('settings.disabledToast') : t('settings.enabledToast')), onError: (error) => notifyError(error) },
    );

  return (
    <Stack gap="lg">
      <form onSubmit={submit} noValidate aria-label={t('settings.formLabel')} data-testid="integration-settings-form">
        <Stack gap="sm">
          <TextInput label={t('add.name')} required readOnly={!canManage} maxLength={100} data-testid="integration-name-input" {...form.getInputProps('name')} />
          <Group grow align="flex-start" wrap="wrap" gap="sm">
            <NumberInput
              label={t('settings.perSecond')}
              min={1}
              max={10_000}
              readOnly={!canManage}
              description={t('settings.perSecondHint')}
              {...form.getInputProps('per_second')}
            />
            <NumberInput label={t('settings.perMinute')} min={1} max={600_000} readOnly={!canManage} description={t('settings.perMinuteHint')} {...form.getInputProps('per_minute')} />
          </Group>
          {extra}
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
                {t('common:actions.discard')}
              </Button>
              <Button type="submit" disabled={!form.isDirty()} loading={update.isPending} data-testid="integration-settings-submit">
                {t('common:actions.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      {canManage && (
        <Paper withBorder radius="md" p="md" style={{ borderColor: 'light-dark(var(--mantine-color-red-3), var(--mantine-color-red-9))' }}>
          <Stack gap="md">
            <DangerRow
              title={integration.disabled ? t('settings.enable') : t('settings.disable')}
              text={integration.disabled ? t('settings.enableHint') : t('settings.disableHint')}
              action={
                <Switch
                  checked={!integration.disabled}
                  onChange={toggleDisabled}
                  label={integration.disabled ? t('common:states.disabled') : t('common:states.enabled')}
                  disabled={update.isPending}
                  data-testid="integration-enabled-switch"
                />
              }
            />
            <Divider />
            <DangerRow
              title={t('settings.regenerateTitle')}
              text={t('settings.regenerateHint')}
              action={
                <Button variant="default" leftSection={<IconKey size={16} />} onClick={regenDialog.open} data-testid="integration-regenerate">
                  {t('settings.regenerate')}
                </Button>
              }
            />
            <Divider />
            <DangerRow
              title={t('settings.deleteTitle')}
              text={t('settings.deleteHint')}
              action={
                <Button color="red" variant="light" onClick={deleteDialog.open} data-testid="integration-delete">
                  {t('common:actions.delete')}
                </Button>
              }
            />
          </Stack>
        </Paper>
      )}
      <ConfirmDialog
        opened={regenOpened}
        onClose={regenDialog.close}
        title={t('settings.regenerateConfirmTitle')}
        message={t('settings.regenerateConfirm')}
        confirmLabel={t('settings.regenerateTitle')}
        loading={regenerate.isPending}
        onConfirm={() =>
          regenerate.mutate(undefined, {
            onSuccess: () => {
              regenDialog.close();
              notifySuccess(t('settings.regenerated'));
            },
            onError: (error) => {
              regenDialog.close();
              notifyError(error);
            },
          })
        }
      />
      <ConfirmDialog
        opened={deleteOpened}
        onClose={deleteDialog.close}
        title={t('settings.deleteConfirmTitle')}
        message={t('settings.deleteConfirm', { name: integration.name })}
        confirmLabel={t('settings.deleteTitle')}
        loading={remove.isPending}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              deleteDialog.close();
              notifySuccess(t('settings.deleted', { name: integration.name }));
              onDeleted();
            },
            onError: (error) => {
              deleteDialog.close();
              notifyError(error);
            },
          })
        }
      />
    </Stack>
  );
}

function DangerRow({ title, text, action }: { title: string; text: string; action: ReactNode }) {
  return (
    <Group justify="space-between" wrap="wrap" gap="sm">
      <div style={{ flex: '1 1 240px' }}>
        <Text fw={500} size="sm">
          {title}
        </Text>
        <Text size="xs" c="dimmed">
          {text}
        </Text>
      </div>
      {action}
    </Group>
  );
}
