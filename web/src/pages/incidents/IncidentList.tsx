import { Anchor, Box, Button, Group, Paper, Select, Stack, Table, Tabs, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconPlugConnected } from '@tabler/icons-react';
import { useMemo, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useChannels } from '../../api/channels';
import { INCIDENT_REFRESH_MS, useIncidents } from '../../api/incidents';
import { useChannelIntegrations } from '../../api/integrations';
import type { Incident, IncidentStatus, Severity } from '../../api/types';
import { CodeBlock } from '../../components/CopyField';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { IncidentStatusBadge, SeverityBadge, severityColor } from '../../components/IncidentBadges';
import { LoadMore } from '../../components/LoadMore';
import { RelativeTime } from '../../components/RelativeTime';
import { SearchInput } from '../../components/SearchInput';
import { TableSkeleton } from '../../components/TableSkeleton';
import { testAlertCommand } from './testAlert';

type StatusTab = IncidentStatus | 'all';
const STATUS_TABS: { value: StatusTab; label: string }[] = [
  { value: 'triggered', label: 'Triggered' },
  { value: 'processing', label: 'Processing' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];
const SEVERITIES: Severity[] = ['Critical', 'Warning', 'Info'];

function isStatusTab(value: string | null): value is StatusTab {
  return STATUS_TABS.some((t) => t.value === value);
}

function isSeverity(value: string | null): value is Severity {
  return SEVERITIES.some((s) => s === value);
}

interface IncidentListProps {
  /** Fixed channel (the channel's Incidents tab); without it the list spans every visible channel. */
  channelId?: string;
}

/**
 * Incidents with status tabs, severity / channel filters and search, all kept in the URL so a
 * filtered view can be shared; refreshed every 10 s while on screen.
 */
export function IncidentList({ channelId }: IncidentListProps) {
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status: StatusTab = isStatusTab(statusParam) ? statusParam : 'all';
  const severityParam = params.get('severity');
  const severity = isSeverity(severityParam) ? severityParam : undefined;
  const channelFilter = channelId ?? params.get('channel') ?? undefined;
  const search = params.get('q') ?? '';
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);

  const setParam = (name: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const incidents = useIncidents({ channelId: channelFilter, status: status === 'all' ? undefined : status, severity, q: debouncedSearch });
  const channels = useChannels();
  const channelNames = useMemo(() => new Map(channels.items.map((c) => [c.id, c.name])), [channels.items]);
  const filtered = Boolean(severity || debouncedSearch || (!channelId && channelFilter) || status !== 'all');
  const showChannel = !channelId;
  const columns = ['Incident', 'Status', ...(showChannel ? ['Channel'] : []), 'Alerts', 'Age'];
  const isEmpty = incidents.isSuccess && incidents.items.length === 0;

  return (
    <Stack gap="md">
      <Tabs value={status} onChange={(value) => setParam('status', value === 'all' ? null : value)} variant="pills" radius="md">
        <Tabs.List>
          {STATUS_TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} data-testid={`incident-status-tab-${t.value}`}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Group gap="sm" wrap="wrap" align="center">
        <SearchInput value={search} onChange={(value) => setParam('q', value)} label="Search incidents" placeholder="Search titles" />
        <Select
          aria-label="Severity"
          placeholder="All severities"
          data={SEVERITIES}
          value={severity ?? null}
          onChange={(value) => setParam('severity', value)}
          clearable
          w={{ base: channelId ? '100%' : 'calc(50% - 6px)', xs: 170 }}
          data-testid="incident-severity-filter"
        />
        {!channelId && (
          <Select
            aria-label="Channel"
            placeholder="All channels"
            data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
            value={channelFilter ?? null}
            onChange={(value) => setParam('channel', value)}
            searchable
            clearable
            w={{ base: 'calc(50% - 6px)', xs: 220 }}
            data-testid="incident-channel-filter"
          />
        )}
        <Tooltip label={`Changes appear as they happen (live updates; a full refresh every ${INCIDENT_REFRESH_MS / 1000} seconds as a safety net)`}>
          <Group gap={6} ml="auto" visibleFrom="sm" aria-hidden>
            <Box w={8} h={8} style={{ borderRadius: 4, background: incidents.isFetching ? 'var(--mantine-color-yellow-6)' : 'var(--mantine-color-teal-6)' }} />
            <Text size="xs" c="dimmed">
              Live
            </Text>
          </Group>
        </Tooltip>
      </Group>

      {incidents.isError ? (
        <ErrorState error={incidents.error} onRetry={() => void incidents.refetch()} />
      ) : isEmpty && !filtered ? (
        channelId ? (
          <ChannelEmptyState channelId={channelId} />
        ) : (
          <EmptyState
            icon={<IconCircleCheck size={28} />}
            title="No incidents"
            description="All quiet. Incidents opened from your channels’ alerts appear here; add an integration to a channel and send it a test alert to see one."
            action={
              <Button component={Link} to="/channels" variant="light">
                Go to channels
              </Button>
            }
          />
        )
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={320} type="native">
            <Table data-testid="incidents-table">
              <Table.Thead>
                <Table.Tr>
                  {columns.map((c) => (
                    <Table.Th key={c} visibleFrom={c === 'Incident' || c === 'Age' ? undefined : 'sm'}>
                      {c}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              {incidents.isPending ? (
                <TableSkeleton columns={columns.length} />
              ) : (
                <Table.Tbody>
                  {incidents.items.map((incident) => (
                    <IncidentRow key={incident.id} incident={incident} channelName={showChannel ? (channelNames.get(incident.channel_id) ?? '…') : undefined} />
                  ))}
                  {isEmpty && (
                    <Table.Tr>
                      <Table.Td colSpan={columns.length}>
                        <Text c="dimmed" ta="center" py="lg" size="sm">
                          No incident matches these filters.
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Table.Tbody>
              )}
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <LoadMore hasMore={incidents.hasNextPage} loading={incidents.isFetchingNextPage} onLoadMore={() => void incidents.fetchNextPage()} />
    </Stack>
  );
}

function IncidentRow({ incident, channelName }: { incident: Incident; channelName: string | undefined }) {
  const navigate = useNavigate();
  const href = `/incidents/${incident.id}`;
  const alerts: ReactNode = (
    <Text size="sm" span>
      {incident.active_alert_count > 0 && incident.active_alert_count !== incident.alert_count ? `${incident.active_alert_count} / ` : ''}
      {incident.alert_count}
    </Text>
  );
  return (
    <Table.Tr
      className="tocsin-row-link"
      data-testid="incident-row"
      data-incident-id={incident.id}
      onClick={(event) => {
        if (!(event.target instanceof HTMLElement && event.target.closest('a'))) void navigate(href);
      }}
    >
      <Table.Td style={{ boxShadow: `inset 4px 0 0 var(--mantine-color-${severityColor(incident.severity)}-6)`, paddingLeft: 16 }}>
        <Group gap={8} wrap="nowrap" align="baseline">
          <Text size="sm" c="dimmed" ff="monospace" style={{ flexShrink: 0 }}>
            #{incident.number}
          </Text>
          <Anchor component={Link} to={href} fw={600} size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
            {incident.title}
          </Anchor>
        </Group>
        <Group gap={6} mt={4}>
          <SeverityBadge severity={incident.severity} size="xs" />
          {/* On phones status, channel and alerts fold in here. */}
          <Box hiddenFrom="sm">
            <IncidentStatusBadge status={incident.status} size="xs" />
          </Box>
          <Text size="xs" c="dimmed" hiddenFrom="sm">
            {channelName ? `${channelName} · ` : ''}
            {incident.alert_count} {incident.alert_count === 1 ? 'alert' : 'alerts'}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <IncidentStatusBadge status={incident.status} />
      </Table.Td>
      {channelName !== undefined && (
        <Table.Td visibleFrom="sm">
          <Anchor component={Link} to={`/channels/${incident.channel_id}/incidents`} size="sm" c="inherit">
            {channelName}
          </Anchor>
        </Table.Td>
      )}
      <Table.Td visibleFrom="sm">{alerts}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <RelativeTime ms={incident.created_at} />
      </Table.Td>
    </Table.Tr>
  );
}

/** A channel without incidents: how to get the first one. */
function ChannelEmptyState({ channelId }: { channelId: string }) {
  const integrations = useChannelIntegrations(channelId);
  const first = integrations.data?.find((i) => i.push_url && i.integration_key && !i.disabled);
  const command = first ? testAlertCommand(first) : null;
  return (
    <EmptyState
      icon={first ? <IconAlertTriangle size={28} /> : <IconPlugConnected size={28} />}
      title="No incidents in this channel"
      description={
        first ? (
          command ? (
            <>Send a test alert through “{first.name}” and it shows up here within seconds:</>
          ) : (
            <>Trigger an alert in the tool connected to “{first.name}” and it shows up here within seconds.</>
          )
        ) : (
          'Alerts reach a channel through its integrations. Add one, then send a test alert.'
        )
      }
      action={
        command ? (
          <Box w="100%" maw={640} ta="left" data-testid="incidents-empty-hint">
            <CodeBlock code={command} copyLabel="Copy command" maxHeight={240} />
          </Box>
        ) : !first ? (
          <Button component={Link} to={`/channels/${channelId}/integrations`} variant="light">
            Add an integration
          </Button>
        ) : undefined
      }
    />
  );
}
