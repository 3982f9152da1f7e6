import { useTranslation } from 'react-i18next';
import { Badge, Drawer, Group, Paper, Skeleton, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useAlert, useAlertEvents, useIncidentAlerts } from '../../api/incidents';
import type { Alert } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { AlertStateBadges, SeverityBadge, severityColor } from '../../components/IncidentBadges';
import { RelativeTime } from '../../components/RelativeTime';
import { TableSkeleton } from '../../components/TableSkeleton';
import { LoadMore } from '../../components/LoadMore';

const COLUMNS = ['alert', 'status', 'events', 'lastEvent'];

/** The incident's alerts; a row opens the alert's labels and events in a drawer. */
export function IncidentAlerts({ incidentId }: { incidentId: string }) {
  const alerts = useIncidentAlerts(incidentId);
  const [openId, setOpenId] = useState<string | null>(null);
  const { t } = useTranslation('incidents');
  if (alerts.isError) return <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />;
  return (
    <>
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={320} type="native">
          <Table data-testid="incident-alerts-table">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((c) => (
                  <Table.Th key={c} visibleFrom={c === 'events' ? 'sm' : undefined}>
                    {t(`alerts.columns.${c}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            {alerts.isPending ? (
              <TableSkeleton columns={COLUMNS.length} rows={3} />
            ) : (
              <Table.Tbody>
                {alerts.items.map((alert) => (
                  <AlertRow key={alert.id} alert={alert} onOpen={() => setOpenId(alert.id)} />
                ))}
                {alerts.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={COLUMNS.length}>
                      <Text size="sm" c="dimmed" ta="center" py="md">
                        {t('alerts.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            )}
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <LoadMore hasMore={alerts.hasNextPage} loading={alerts.isFetchingNextPage} onLoadMore={() => void alerts.fetchNextPage()} />
      <AlertDrawer alertId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}

function AlertRow({ alert, onOpen }: { alert: Alert; onOpen: () => void }) {
  const { t } = useTranslation('incidents');
  return (
    <Table.Tr
      className="tocsin-row-link"
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen();
        }
      }}
      aria-label={t('alerts.open', { title: alert.title })}
      data-testid="alert-row"
    >
      <Table.Td style={{ boxShadow: `inset 3px 0 0 var(--mantine-color-${severityColor(alert.status)}-5)` }}>
        <Text size="sm" fw={600} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
          {alert.title}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" truncate maw={320}>
          {alert.alert_key}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <AlertStateBadges status={alert.status} state={alert.state} flapping={alert.flapping} />
        </Group>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm">{alert.event_count}</Text>
      </Table.Td>
      <Table.Td>
        <RelativeTime ms={alert.last_event_at} />
      </Table.Td>
    </Table.Tr>
  );
}

function AlertDrawer({ alertId, onClose }: { alertId: string | null; onClose: () => void }) {
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;
  const alert = useAlert(alertId);
  const events = useAlertEvents(alertId);
  const data = alert.data;
  const { t } = useTranslation('incidents');
  return (
    <Drawer opened={alertId !== null} onClose={onClose} position="right" size={isPhone ? '100%' : 'lg'} title={<Title order={4}>{t('alerts.drawerTitle')}</Title>} data-testid="alert-drawer">
      {alert.isError ? (
        <ErrorState error={alert.error} onRetry={() => void alert.refetch()} />
      ) : !data ? (
        <Stack>
          <Skeleton height={30} />
          <Skeleton height={160} />
        </Stack>
      ) : (
        <Stack gap="lg">
          <Stack gap={6}>
            <Text fw={700} size="lg" style={{ overflowWrap: 'anywhere' }}>
              {data.title}
            </Text>
            <Group gap={4}>
              <AlertStateBadges status={data.status} state={data.state} flapping={data.flapping} />
            </Group>
            <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {t('alerts.key')} {data.alert_key}
            </Text>
            {data.description && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {data.description}
              </Text>
            )}
            <Text size="xs" c="dimmed" component="div">
              <Group gap={4}>
                {t('alerts.firstEvent')} <RelativeTime ms={data.first_event_at} /> · {t('alerts.eventCount', { count: data.event_count })}
                {data.recovered_at && (
                  <>
                    {' '}
                    · {t('alerts.recovered')} <RelativeTime ms={data.recovered_at} />
                  </>
                )}
              </Group>
            </Text>
          </Stack>
          <Stack gap="xs">
            <Title order={5}>{t('alerts.labels')}</Title>
            <LabelsTable labels={data.labels} />
          </Stack>
          <Stack gap="xs">
            <Title order={5}>{t('alerts.events')}</Title>
            <Timeline bulletSize={14} lineWidth={2} style={{ minWidth: 0 }}>
              {[...events.items]
                .sort((a, b) => b.received_at - a.received_at)
                .map((event) => (
                  <Timeline.Item
                    key={event.id}
                    color={severityColor(event.status)}
                    title={
                      <Group gap={6}>
                        {event.status === 'Ok' ? (
                          <Badge size="xs" color="teal" variant="light">
                            {t('alerts.recovery')}
                          </Badge>
                        ) : (
                          <SeverityBadge severity={event.status} size="xs" />
                        )}
                        <RelativeTime ms={event.event_time} />
                      </Group>
                    }
                    data-testid="alert-event"
                  >
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {event.title}
                    </Text>
                    {Object.keys(event.labels).length > 0 && (
                      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {Object.entries(event.labels)
                          .map(([k, v]) => `${k}=${v}`)
                          .join('  ')}
                      </Text>
                    )}
                  </Timeline.Item>
                ))}
            </Timeline>
            <LoadMore hasMore={events.hasNextPage} loading={events.isFetchingNextPage} onLoadMore={() => void events.fetchNextPage()} />
          </Stack>
        </Stack>
      )}
    </Drawer>
  );
}

function LabelsTable({ labels }: { labels: Record<string, string> }) {
  const { t } = useTranslation('incidents');
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('alerts.noLabels')}
      </Text>
    );
  }
  return (
    <Paper withBorder radius="md">
      <Table verticalSpacing={6} highlightOnHover={false} layout="fixed" data-testid="alert-labels">
        <Table.Tbody>
          {entries.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w="40%">
                <Text size="xs" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {k}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {v}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
