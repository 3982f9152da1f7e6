import { i18next } from '../../i18n';
import { useTranslation } from 'react-i18next';
import { Anchor, Badge, Box, Button, Checkbox, Group, Paper, Select, Stack, Table, Tabs, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconPlugConnected } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useChannels } from '../../api/channels';
import { INCIDENT_REFRESH_MS, useBatchAction, useCustomFields, useIncidents } from '../../api/incidents';
import { useChannelIntegrations } from '../../api/integrations';
import type { CustomField, Incident, IncidentStatus, Severity } from '../../api/types';
import { notifyError, notifySuccess } from '../../lib/notify';
import { CodeBlock } from '../../components/CopyField';
import { DemoDataButton } from '../../components/DemoDataButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { IncidentStatusBadge, SeverityBadge, severityColor, severityLabel } from '../../components/IncidentBadges';
import { LoadMore } from '../../components/LoadMore';
import { RelativeTime } from '../../components/RelativeTime';
import { SearchInput } from '../../components/SearchInput';
import { TableSkeleton } from '../../components/TableSkeleton';
import { testAlertCommand } from './testAlert';
import { NewIncidentButton } from './NewIncidentButton';

type StatusTab = IncidentStatus | 'all';
const STATUS_TABS: { value: StatusTab }[] = [{ value: 'triggered' }, { value: 'processing' }, { value: 'closed' }, { value: 'all' }];
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
  const { t: tr } = useTranslation('incidents');
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

  const fieldName = params.get('field') ?? '';
  const fieldValue = params.get('field_value') ?? '';
  const [debouncedFieldValue] = useDebouncedValue(fieldValue.trim(), 300);
  const customFields = useCustomFields();
  const fieldFilter = fieldName && debouncedFieldValue ? [`${fieldName}=${debouncedFieldValue}`] : undefined;
  const incidents = useIncidents({ channelId: channelFilter, status: status === 'all' ? undefined : status, severity, q: debouncedSearch, customFields: fieldFilter });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // Rows the filters now hide must not stay selected for a batch action.
  const visibleIds = new Set(incidents.items.map((i) => i.id));
  const selectedVisible = [...selected].filter((id) => visibleIds.has(id));
  if (selectedVisible.length !== selected.size && incidents.isSuccess) setSelected(new Set(selectedVisible));
  const batch = useBatchAction();
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const runBatch = (action: 'ack' | 'resolve') =>
    batch.mutate(
      { action, incident_ids: [...selected] },
      {
        onSuccess: (result) => {
          const failed = result.data.filter((r) => !r.ok);
          if (failed.length === 0) notifySuccess(tr(action === 'ack' ? 'list.batchAcked' : 'list.batchResolved', { count: result.data.length }));
          else notifyError(new Error(failed.map((f) => f.error?.message ?? tr('list.batchItemFailed')).join('; ')), tr('list.batchFailed', { failed: failed.length, count: result.data.length }));
          setSelected(new Set());
        },
        onError: (error) => notifyError(error),
      },
    );
  const channels = useChannels();
  const channelNames = useMemo(() => new Map(channels.items.map((c) => [c.id, c.name])), [channels.items]);
  const filtered = Boolean(severity || debouncedSearch || (!channelId && channelFilter) || status !== 'all' || fieldFilter);
  const showChannel = !channelId;
  const columns = ['', 'incident', 'status', ...(showChannel ? ['channel'] : []), 'alerts', 'age'];
  const allSelected = incidents.items.length > 0 && incidents.items.every((i) => selected.has(i.id));
  const isEmpty = incidents.isSuccess && incidents.items.length === 0;

  return (
    <Stack gap="md">
      <Tabs value={status} onChange={(value) => setParam('status', value === 'all' ? null : value)} variant="pills" radius="md">
        <Tabs.List>
          {STATUS_TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} data-testid={`incident-status-tab-${t.value}`}>
              {tr(`list.tabs.${t.value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {/* The list below is what every tab filters; empty panels keep each tab's aria-controls pointing at an element. */}
        {STATUS_TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value}>
            {null}
          </Tabs.Panel>
        ))}
      </Tabs>
      <Group gap="sm" wrap="wrap" align="center">
        <SearchInput value={search} onChange={(value) => setParam('q', value)} label={tr('list.search')} placeholder={tr('list.searchPlaceholder')} />
        <Select
          aria-label={tr('list.severity')}
          placeholder={tr('list.allSeverities')}
          data={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
          value={severity ?? null}
          onChange={(value) => setParam('severity', value)}
          clearable
          w={{ base: channelId ? '100%' : 'calc(50% - 6px)', xs: 170 }}
          data-testid="incident-severity-filter"
        />
        {!channelId && (
          <Select
            aria-label={tr('list.channel')}
            placeholder={tr('list.allChannels')}
            data={channels.items.map((c) => ({ value: c.id, label: c.name }))}
            value={channelFilter ?? null}
            onChange={(value) => setParam('channel', value)}
            searchable
            clearable
            w={{ base: 'calc(50% - 6px)', xs: 220 }}
            data-testid="incident-channel-filter"
          />
        )}
        {(customFields.data ?? []).length > 0 && (
          <Group gap={4} wrap="nowrap">
            <Select
              aria-label={tr('list.customField')}
              placeholder={tr('list.customField')}
              data={(customFields.data ?? []).map((f) => ({ value: f.name, label: f.label }))}
              value={fieldName || null}
              onChange={(value) =>
                // One update: a value of the previous field means nothing for the new one.
                setParams(
                  (current) => {
                    const next = new URLSearchParams(current);
                    next.delete('field_value');
                    if (value) next.set('field', value);
                    else next.delete('field');
                    return next;
                  },
                  { replace: true },
                )
              }
              clearable
              w={160}
              data-testid="incident-field-filter"
            />
            {fieldName && <FieldValueInput field={(customFields.data ?? []).find((f) => f.name === fieldName)} value={fieldValue} onChange={(value) => setParam('field_value', value)} />}
          </Group>
        )}
        {channelId && <NewIncidentButton channelId={channelId} />}
        <Tooltip label={tr('list.liveHint', { count: INCIDENT_REFRESH_MS / 1000 })}>
          <Group gap={6} ml="auto" visibleFrom="sm" aria-hidden>
            <Box w={8} h={8} style={{ borderRadius: 4, background: incidents.isFetching ? 'var(--mantine-color-yellow-6)' : 'var(--mantine-color-teal-6)' }} />
            <Text size="xs" c="dimmed">
              {tr('list.live')}
            </Text>
          </Group>
        </Tooltip>
      </Group>

      {selected.size > 0 && (
        <Paper withBorder radius="md" p="xs" data-testid="batch-bar">
          <Group gap="sm">
            <Text size="sm" fw={600}>
              {tr('list.selected', { count: selected.size })}
            </Text>
            <Button size="xs" onClick={() => runBatch('ack')} loading={batch.isPending} data-testid="batch-ack">
              {tr('actions.ack')}
            </Button>
            <Button size="xs" color="teal" variant="light" onClick={() => runBatch('resolve')} loading={batch.isPending} data-testid="batch-resolve">
              {tr('actions.resolve')}
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>
              {tr('list.clearSelection')}
            </Button>
          </Group>
        </Paper>
      )}
      {incidents.isError ? (
        <ErrorState error={incidents.error} onRetry={() => void incidents.refetch()} />
      ) : isEmpty && !filtered ? (
        channelId ? (
          <ChannelEmptyState channelId={channelId} />
        ) : (
          <EmptyState
            icon={<IconCircleCheck size={28} />}
            title={tr('list.emptyTitle')}
            description={tr('list.emptyDescription')}
            action={
              <Group gap="xs" justify="center">
                <Button component={Link} to="/channels" variant="light">
                  {tr('list.goToChannels')}
                </Button>
                <DemoDataButton />
              </Group>
            }
          />
        )
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={320} type="native">
            <Table data-testid="incidents-table">
              <Table.Thead>
                <Table.Tr>
                  {columns.map((c) =>
                    c === '' ? (
                      <Table.Th key="select" w={36}>
                        <Checkbox
                          aria-label={tr('list.selectAll')}
                          checked={allSelected}
                          indeterminate={selected.size > 0 && !allSelected}
                          onChange={() => setSelected(allSelected ? new Set() : new Set(incidents.items.map((i) => i.id)))}
                          data-testid="select-all-incidents"
                        />
                      </Table.Th>
                    ) : (
                      <Table.Th key={c} visibleFrom={c === 'incident' || c === 'age' ? undefined : 'sm'}>
                        {tr(`list.columns.${c}`)}
                      </Table.Th>
                    ),
                  )}
                </Table.Tr>
              </Table.Thead>
              {incidents.isPending ? (
                <TableSkeleton columns={columns.length} />
              ) : (
                <Table.Tbody>
                  {incidents.items.map((incident) => (
                    <IncidentRow
                      key={incident.id}
                      incident={incident}
                      channelName={showChannel ? (channelNames.get(incident.channel_id) ?? '…') : undefined}
                      fields={customFields.data ?? []}
                      selected={selected.has(incident.id)}
                      onToggle={() => toggle(incident.id)}
                    />
                  ))}
                  {isEmpty && (
                    <Table.Tr>
                      <Table.Td colSpan={columns.length}>
                        <Text c="dimmed" ta="center" py="lg" size="sm">
                          {tr('list.noMatch')}
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

/** The value box of the custom-field filter: options for selects and checkboxes, free text otherwise. */
function FieldValueInput({ field, value, onChange }: { field: CustomField | undefined; value: string; onChange: (value: string | null) => void }) {
  const { t } = useTranslation('incidents');
  if (!field) return null;
  if (field.kind === 'text') return <TextInput aria-label={t('list.fieldValueOf', { field: field.label })} placeholder={t('list.fieldValue')} value={value} onChange={(e) => onChange(e.currentTarget.value || null)} w={140} data-testid="incident-field-value" />;
  const data = field.kind === 'checkbox' ? [{ value: 'true', label: t('common:yes') }, { value: 'false', label: t('common:no') }] : field.options;
  return <Select aria-label={t('list.fieldValueOf', { field: field.label })} placeholder={t('list.fieldValue')} data={data} value={value || null} onChange={onChange} clearable w={140} data-testid="incident-field-value" />;
}

function fieldText(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value === true) return i18next.t('common:yes');
  if (value === false) return i18next.t('common:no');
  return String(value);
}

function IncidentRow({
  incident,
  channelName,
  fields,
  selected,
  onToggle,
}: {
  incident: Incident;
  channelName: string | undefined;
  fields: CustomField[];
  selected: boolean;
  onToggle: () => void;
}) {
  const navigate = useNavigate();
  const { t } = useTranslation('incidents');
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
        if (!(event.target instanceof HTMLElement && (event.target.closest('a') || event.target.closest('[data-select-cell]')))) void navigate(href);
      }}
    >
      <Table.Td data-select-cell w={36}>
        <Checkbox aria-label={t('list.selectOne', { number: incident.number })} checked={selected} onChange={onToggle} data-testid="select-incident" />
      </Table.Td>
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
            {t('list.alertCount', { count: incident.alert_count })}
          </Text>
          {fields
            .filter((f) => incident.custom_fields[f.name] !== undefined && incident.custom_fields[f.name] !== null)
            .map((f) => (
              <Badge key={f.id} size="xs" variant="default" tt="none">
                {f.label}: {fieldText(incident.custom_fields[f.name])}
              </Badge>
            ))}
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
  const { t } = useTranslation('incidents');
  return (
    <EmptyState
      icon={first ? <IconAlertTriangle size={28} /> : <IconPlugConnected size={28} />}
      title={t('list.channelEmptyTitle')}
      description={
        first
          ? command
            ? t('list.channelEmptyCommand', { name: first.name })
            : t('list.channelEmptyTool', { name: first.name })
          : t('list.channelEmptyNoIntegration')
      }
      action={
        command ? (
          <Box w="100%" maw={640} ta="left" data-testid="incidents-empty-hint">
            <CodeBlock code={command} copyLabel={t('list.copyCommand')} maxHeight={240} />
          </Box>
        ) : !first ? (
          <Button component={Link} to={`/channels/${channelId}/integrations`} variant="light">
            {t('list.addIntegration')}
          </Button>
        ) : undefined
      }
    />
  );
}
