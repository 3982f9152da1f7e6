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

/** Where to send events and the source's ready-to-paste configuration, key filled in. */
export function IntegrationSetup({ integration }: { integration: Integration }) {
  const info = sourceInfo(integration.source);
  const key = integration.integration_key;
  const pushUrl = integration.push_url;
  if (!key || pushUrl === null) {
    return (
      <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
        Only the teams that manage this integration can see its key and push URL.
      </Alert>
    );
  }
  const snippet = info.snippet?.({ pushUrl, key });
  return (
    <Stack gap="md" data-testid="integration-setup">
      {info.keyStyle === 'email' ? (
        pushUrl ? (
          <CopyField
            label="Email address"
            value={pushUrl}
            testId="integration-push-url"
            description="Send or forward alert emails here. Tocsin’s SMTP listener must be reachable from your mail server."
          />
        ) : (
          <Alert variant="light" color="yellow" icon={<IconMailForward size={18} />}>
            This server has no inbound email domain configured, so the integration has no address yet. Set the inbound
            email domain in the server configuration (see docs/guide/deployment.md).
          </Alert>
        )
      ) : (
        <>
          <CopyField
            label={info.keyStyle === 'url' ? 'Push URL' : 'Endpoint'}
            value={pushUrl}
            testId="integration-push-url"
            description={
              info.keyStyle === 'url'
                ? 'The key is in the URL; you may also send it as “Authorization: Bearer <key>”.'
                : info.keyStyle === 'routing_key'
                  ? 'PagerDuty Events API v2 endpoint: send the key below as routing_key.'
                  : 'Opsgenie Alert API endpoint: send the key below as “Authorization: GenieKey <key>”.'
            }
          />
          <CopyField
            label={info.keyStyle === 'routing_key' ? 'Routing key' : info.keyStyle === 'genie_key' ? 'GenieKey' : 'Integration key'}
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
  return (
    <Badge size="sm" variant="light" color={OUTCOME_COLORS[outcome] ?? 'gray'} data-testid="raw-event-outcome">
      {outcome}
    </Badge>
  );
}

/** The 24 h counters as three small figures. */
export function ActivityStats({ counts, compact = false }: { counts: IntegrationActivity['counts'] | undefined; compact?: boolean }) {
  const items: { label: string; value: number | undefined; color: string }[] = [
    { label: 'Accepted', value: counts?.accepted, color: 'teal' },
    { label: 'Dropped', value: counts?.dropped, color: 'yellow' },
    { label: 'Rejected', value: counts?.rejected, color: 'red' },
  ];
  return (
    <SimpleGrid cols={3} spacing="xs" aria-label="Events in the last 24 hours">
      {items.map((item) => (
        <Paper key={item.label} radius="md" p={compact ? 6 : 'sm'} bg="var(--mantine-color-default-hover)">
          {item.value === undefined ? (
            <Skeleton height={compact ? 18 : 24} width={32} />
          ) : (
            <Text fw={700} fz={compact ? 'md' : 'xl'} c={item.value > 0 && item.label !== 'Accepted' ? item.color : undefined} lh={1.2}>
              {item.value}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {item.label}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** Latest event, 24 h counters and the last 20 raw payloads, refreshed while open. */
export function IntegrationActivitySection({ integration }: { integration: Integration }) {
  const activity = useIntegrationActivity(integration.id);
  if (activity.isError) return <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />;
  const data = activity.data;
  return (
    <Stack gap="md" data-testid="integration-activity">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm">
          Latest event:{' '}
          {data?.last_event_at ? (
            <Text span inherit fw={600}>
              <RelativeTime ms={data.last_event_at} />
            </Text>
          ) : (
            <Text span inherit c="dimmed">
              no events yet
            </Text>
          )}
        </Text>
        <Text size="xs" c="dimmed">
          Last 24 hours · refreshes every 10 s
        </Text>
      </Group>
      <ActivityStats counts={data?.counts} />
      <Title order={5}>Recent payloads</Title>
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
                      {event.detail}
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
          Nothing received yet. Payloads appear here seconds after your tool sends them — use the setup snippet to send a test.
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
  const form = useForm<SettingsValues>({
    initialValues: {
      name: integration.name,
      per_second: integration.settings.rate_limit.per_second,
      per_minute: integration.settings.rate_limit.per_minute,
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Name is required'),
      per_second: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 10_000 ? null : 'From 1 to 10000'),
      per_minute: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 600_000 ? null : 'From 1 to 600000'),
    },
  });

  const submit = form.onSubmit((values) =>
    update.mutate(
      { name: values.name.trim(), settings: { rate_limit: { per_second: Number(values.per_second), per_minute: Number(values.per_minute) } } },
      {
        onSuccess: (saved) => {
          form.resetDirty({ name: saved.name, per_second: saved.settings.rate_limit.per_second, per_minute: saved.settings.rate_limit.per_minute });
          notifySuccess('Integration saved');
        },
        onError: (error) => showServerError(form, error, { 'settings.rate_limit.per_second': 'per_second', 'settings.rate_limit.per_minute': 'per_minute' }),
      },
    ),
  );

  const toggleDisabled = () =>
    update.mutate(
      { disabled: !integration.disabled },
      { onSuccess: (saved) => notifySuccess(saved.disabled ? 'Integration disabled' : 'Integration enabled'), onError: (error) => notifyError(error) },
    );

  return (
    <Stack gap="lg">
      <form onSubmit={submit} noValidate aria-label="Integration settings" data-testid="integration-settings-form">
        <Stack gap="sm">
          <TextInput label="Name" required readOnly={!canManage} maxLength={100} data-testid="integration-name-input" {...form.getInputProps('name')} />
          <Group grow align="flex-start" wrap="wrap" gap="sm">
            <NumberInput
              label="Requests per second"
              min={1}
              max={10_000}
              readOnly={!canManage}
              description="Excess requests get 429"
              {...form.getInputProps('per_second')}
            />
            <NumberInput label="Requests per minute" min={1} max={600_000} readOnly={!canManage} description="Default 1000" {...form.getInputProps('per_minute')} />
          </Group>
          {extra}
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
                Discard
              </Button>
              <Button type="submit" disabled={!form.isDirty()} loading={update.isPending} data-testid="integration-settings-submit">
                Save
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      {canManage && (
        <Paper withBorder radius="md" p="md" style={{ borderColor: 'light-dark(var(--mantine-color-red-3), var(--mantine-color-red-9))' }}>
          <Stack gap="md">
            <DangerRow
              title={integration.disabled ? 'Enable integration' : 'Disable integration'}
              text={integration.disabled ? 'Events will be accepted again.' : 'Events are refused (and counted as rejected) while disabled.'}
              action={
                <Switch
                  checked={!integration.disabled}
                  onChange={toggleDisabled}
                  label={integration.disabled ? 'Disabled' : 'Enabled'}
                  disabled={update.isPending}
                  data-testid="integration-enabled-switch"
                />
              }
            />
            <Divider />
            <DangerRow
              title="Regenerate key"
              text="Issues a new key; the old one stops working at once, so update your tools."
              action={
                <Button variant="default" leftSection={<IconKey size={16} />} onClick={regenDialog.open} data-testid="integration-regenerate">
                  Regenerate
                </Button>
              }
            />
            <Divider />
            <DangerRow
              title="Delete integration"
              text="Its events stop being accepted. Alerts and incidents already created stay."
              action={
                <Button color="red" variant="light" onClick={deleteDialog.open} data-testid="integration-delete">
                  Delete
                </Button>
              }
            />
          </Stack>
        </Paper>
      )}
      <ConfirmDialog
        opened={regenOpened}
        onClose={regenDialog.close}
        title="Regenerate the key?"
        message="Every tool that uses the current key or push URL will be refused until you give it the new one."
        confirmLabel="Regenerate key"
        loading={regenerate.isPending}
        onConfirm={() =>
          regenerate.mutate(undefined, {
            onSuccess: () => {
              regenDialog.close();
              notifySuccess('New key issued; the old one no longer works');
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
        title="Delete integration?"
        message={<>“{integration.name}” will stop accepting events. This cannot be undone.</>}
        confirmLabel="Delete integration"
        loading={remove.isPending}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              deleteDialog.close();
              notifySuccess(`Integration “${integration.name}” deleted`);
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
