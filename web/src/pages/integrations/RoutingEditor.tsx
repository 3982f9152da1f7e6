import { useTranslation } from 'react-i18next';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertCircle, IconArrowDown, IconArrowUp, IconFlask, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useChannels } from '../../api/channels';
import { isApiError } from '../../api/http';
import { useIntegrationActivity, useUpdateIntegration } from '../../api/integrations';
import { asRouting, type RoutingCase, type RoutingSpec } from '../../api/specs';
import type { Integration } from '../../api/types';
import { FilterEditor } from '../../components/FilterEditor';
import { RelativeTime } from '../../components/RelativeTime';
import { SeverityBadge } from '../../components/IncidentBadges';
import { previewRoute, standardSubject } from '../../lib/filter';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';

/** Channel options for the selects, and a name lookup for the preview. */
function useChannelOptions() {
  const channels = useChannels();
  return useMemo(() => {
    const options = channels.items.map((c) => ({ value: c.id, label: c.name }));
    const names = new Map(channels.items.map((c) => [c.id, c.name]));
    return { options, names, loading: channels.isPending };
  }, [channels.items, channels.isPending]);
}

function normalize(routing: RoutingSpec): Required<RoutingSpec> {
  return { cases: routing.cases ?? [], default: routing.default ?? [], name_mapping: routing.name_mapping ?? null };
}

/**
 * The routing rules of a shared integration (SPEC §3): ordered cases (first match wins unless it
 * says continue), default channels used only when no case matched, and optional name mapping.
 * Edits stay local until saved; the preview below evaluates the unsaved rules.
 */
export function RoutingEditor({ integration }: { integration: Integration }) {
  const saved = useMemo(() => normalize(asRouting(integration.settings.routing)), [integration.settings.routing]);
  const [routing, setRouting] = useState(saved);
  const [error, setError] = useState<{ field: string | undefined; message: string } | null>(null);
  const update = useUpdateIntegration(integration.id);
  const channels = useChannelOptions();
  const canManage = integration.integration_key !== null;
  const dirty = JSON.stringify(routing) !== JSON.stringify(saved);
  const { t } = useTranslation('integrations');

  // A save elsewhere (another tab) shows up here unless the person is editing.
  useEffect(() => {
    if (!dirty) setRouting(saved);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new saved value matters
  }, [saved]);

  const setCase = (index: number, next: RoutingCase) => setRouting((r) => ({ ...r, cases: r.cases.map((c, i) => (i === index ? next : c)) }));
  const move = (index: number, delta: -1 | 1) =>
    setRouting((r) => {
      const cases = [...r.cases];
      const [item] = cases.splice(index, 1);
      if (item) cases.splice(index + delta, 0, item);
      return { ...r, cases };
    });

  const save = () => {
    setError(null);
    update.mutate(
      { settings: { routing } },
      {
        onSuccess: () => notifySuccess(t('routing.saved')),
        onError: (e) => {
          if (isApiError(e) && e.status === 400) setError({ field: e.field?.replace(/^body\./, ''), message: errorMessage(e) });
          else notifyError(e);
        },
      },
    );
  };

  const caseError = (index: number) => (error?.field?.startsWith(`settings.routing.cases[${index}]`) ? error.message : null);

  return (
    <Stack gap="lg">
      {!canManage && (
        <Alert variant="light" color="blue">
          {t('routing.readOnly')}
        </Alert>
      )}
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={4}>{t('routing.cases')}</Title>
            <Text size="sm" c="dimmed">
              {t('routing.casesHint')}
            </Text>
          </div>
        </Group>
        {routing.cases.length === 0 && (
          <Paper withBorder radius="md" p="md" style={{ borderStyle: 'dashed' }}>
            <Text size="sm" c="dimmed">
              {t('routing.noCases')}
            </Text>
          </Paper>
        )}
        {routing.cases.map((c, index) => (
          <Paper key={index} withBorder radius="md" p="md" data-testid="routing-case" style={caseError(index) ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}>
            <Stack gap="sm">
              <Group justify="space-between" wrap="nowrap">
                <Badge variant="light" size="lg" radius="sm">
                  {t('routing.case', { number: index + 1 })}
                </Badge>
                {canManage && (
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('routing.moveUp')}>
                      <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => move(index, -1)} aria-label={t('routing.moveCaseUp', { number: index + 1 })}>
                        <IconArrowUp size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('routing.moveDown')}>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        disabled={index === routing.cases.length - 1}
                        onClick={() => move(index, 1)}
                        aria-label={t('routing.moveCaseDown', { number: index + 1 })}
                      >
                        <IconArrowDown size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('routing.removeCase')}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => setRouting((r) => ({ ...r, cases: r.cases.filter((_, i) => i !== index) }))}
                        aria-label={t('routing.removeCaseNumber', { number: index + 1 })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                )}
              </Group>
              <FilterEditor
                label={t('routing.when')}
                value={c.if}
                onChange={(filter) => setCase(index, { ...c, if: filter })}
                emptyText={t('routing.noConditions')}
                testId={`routing-case-${index}-filter`}
              />
              <MultiSelect
                label={t('routing.sendTo')}
                placeholder={c.channels.length ? undefined : t('routing.pickChannels')}
                data={channels.options}
                value={c.channels}
                onChange={(ids) => setCase(index, { ...c, channels: ids })}
                searchable
                maxValues={50}
                readOnly={!canManage}
                error={c.channels.length === 0 ? t('routing.pickAtLeastOne') : undefined}
                data-testid={`routing-case-${index}-channels`}
              />
              <Switch
                label={t('routing.continue')}
                checked={c.continue === true}
                onChange={(event) => setCase(index, { ...c, continue: event.currentTarget.checked })}
                disabled={!canManage}
              />
              {caseError(index) && (
                <Text size="sm" c="red">
                  {caseError(index)}
                </Text>
              )}
            </Stack>
          </Paper>
        ))}
        {canManage && (
          <Group>
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              onClick={() => setRouting((r) => ({ ...r, cases: [...r.cases, { if: [], channels: [], continue: false }] }))}
              data-testid="routing-add-case"
            >
              {t('routing.addCase')}
            </Button>
          </Group>
        )}
      </Stack>

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <MultiSelect
            label={t('routing.default')}
            description={t('routing.defaultHint')}
            placeholder={routing.default.length ? undefined : t('routing.defaultNone')}
            data={channels.options}
            value={routing.default}
            onChange={(ids) => setRouting((r) => ({ ...r, default: ids }))}
            searchable
            clearable
            readOnly={!canManage}
            data-testid="routing-default"
          />
          <Switch
            label={t('routing.nameMapping')}
            description={t('routing.nameMappingHint')}
            checked={routing.name_mapping !== null}
            onChange={(event) => setRouting((r) => ({ ...r, name_mapping: event.currentTarget.checked ? { label: r.name_mapping?.label ?? 'channel' } : null }))}
            disabled={!canManage}
            data-testid="routing-name-mapping"
          />
          {routing.name_mapping && (
            <TextInput
              label={t('routing.label')}
              placeholder={t('routing.labelPlaceholder')}
              value={routing.name_mapping.label}
              onChange={(event) => setRouting((r) => ({ ...r, name_mapping: { label: event.currentTarget.value.trim() } }))}
              readOnly={!canManage}
              maw={320}
              error={routing.name_mapping.label === '' ? t('routing.labelRequired') : undefined}
            />
          )}
        </Stack>
      </Paper>

      {error && !error.field?.match(/cases\[\d+\]/) && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={t('routing.saveFailed')}>
          {error.message}
        </Alert>
      )}
      {canManage && (
        <Group
          justify="flex-end"
          wrap="nowrap"
          gap="sm"
          // Sticks to the bottom of the screen only while there is something to save.
          style={dirty ? { position: 'sticky', bottom: 0, zIndex: 2, borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
          py="sm"
          bg="var(--mantine-color-body)"
        >
          <Button variant="default" disabled={!dirty} onClick={() => setRouting(saved)}>
            {t('common:actions.discard')}
          </Button>
          <Button disabled={!dirty} loading={update.isPending} onClick={save} data-testid="routing-save">
            {t('routing.save')}
          </Button>
        </Group>
      )}

      <RoutingPreview integration={integration} routing={routing} channelNames={channels.names} loadingChannels={channels.loading} />
    </Stack>
  );
}

/**
 * "Test against recent payloads": runs the (unsaved) routing over the integration's last raw
 * payloads in the browser. Only standard-format payloads can be read here; the server, which also
 * applies enrichment and the pipeline first, stays authoritative.
 */
function RoutingPreview({
  integration,
  routing,
  channelNames,
  loadingChannels,
}: {
  integration: Integration;
  routing: RoutingSpec;
  channelNames: Map<string, string>;
  loadingChannels: boolean;
}) {
  const activity = useIntegrationActivity(integration.id);
  const events = activity.data?.raw_events ?? [];
  const { t } = useTranslation('integrations');
  const name = (id: string) => channelNames.get(id) ?? (loadingChannels ? '…' : t('preview.unknownChannel', { id: id.slice(0, 8) }));

  return (
    <Paper withBorder radius="md" p="md" data-testid="routing-preview">
      <Stack gap="sm">
        <Group gap="xs">
          <IconFlask size={18} />
          <Title order={4}>{t('preview.title')}</Title>
        </Group>
        <Text size="sm" c="dimmed">
          {t('preview.hint', { count: events.length || 20 })}
          {integration.source !== 'standard' && ` ${t('preview.standardOnly')}`}
        </Text>
        {activity.isPending ? (
          <Skeleton height={80} />
        ) : events.length === 0 ? (
          <Text size="sm" c="dimmed" fs="italic">
            {t('preview.none')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={520} type="native">
            <Table verticalSpacing="xs" highlightOnHover={false}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('preview.received')}</Table.Th>
                  <Table.Th>{t('preview.event')}</Table.Th>
                  <Table.Th>{t('preview.matches')}</Table.Th>
                  <Table.Th>{t('preview.channels')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((event) => {
                  const read = standardSubject(event.payload, integration.id);
                  if (!read.ok) {
                    return (
                      <Table.Tr key={event.id} data-testid="routing-preview-row">
                        <Table.Td>
                          <RelativeTime ms={event.received_at} />
                        </Table.Td>
                        <Table.Td colSpan={3}>
                          <Text size="sm" c="dimmed">
                            {read.reason}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    );
                  }
                  const result = previewRoute(routing, read.subject);
                  return (
                    <Table.Tr key={event.id} data-testid="routing-preview-row">
                      <Table.Td>
                        <RelativeTime ms={event.received_at} />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <SeverityBadge severity={read.subject.severity} size="xs" />
                          <Text size="sm" lineClamp={1} maw={260}>
                            {read.subject.title}
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {result.via === 'cases' ? (
                          <Group gap={4}>
                            {result.matchedCases.map((i) => (
                              <Badge key={i} size="sm" variant="light">
                                {t('routing.case', { number: i + 1 })}
                              </Badge>
                            ))}
                          </Group>
                        ) : result.via === 'default' ? (
                          <Badge size="sm" variant="outline" color="gray">
                            {t('preview.default')}
                          </Badge>
                        ) : result.via === 'name' ? (
                          <Badge size="sm" variant="outline" color="grape">
                            {t('preview.nameMapping')}
                          </Badge>
                        ) : (
                          <Badge size="sm" variant="light" color="red">
                            {t('preview.noMatch')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={result.via === 'none' ? 'red' : undefined}>
                          {result.via === 'none'
                            ? t('preview.rejected')
                            : result.via === 'name'
                              ? t('preview.channelNamed', { name: result.channelName ?? '' })
                              : result.channelIds.map(name).join(', ')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
