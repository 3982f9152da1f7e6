import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { exportCsvUrl, useAnalyticsBreakdown, useAnalyticsDaily, useAnalyticsSummary, useInterruptions, type AnalyticsRange } from '../../api/analytics';
import { useChannels } from '../../api/channels';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';

const RANGES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
];

/** "4 m 10 s", "2 h 5 m" — response times as people say them. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} m`;
}

const percent = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${Math.round(value * 1000) / 10} %`);

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="analytics-stat">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** `/analytics`: how fast incidents are handled, how much noise is kept away, and who gets woken up. */
export function AnalyticsPage() {
  const [days, setDays] = useState('30');
  const [channelId, setChannelId] = useState<string | null>(null);
  const [labelKey, setLabelKey] = useState('service');
  const channels = useChannels();
  const range: AnalyticsRange = useMemo(() => ({ days: Number(days), channelId: channelId ?? undefined }), [days, channelId]);
  const summary = useAnalyticsSummary(range);
  const daily = useAnalyticsDaily(range);
  const byChannel = useAnalyticsBreakdown(range, 'channel');
  const byLabel = useAnalyticsBreakdown(range, 'label', labelKey.trim());
  const interruptions = useInterruptions(range);
  const s = summary.data;
  const dailyMinutes = (daily.data ?? []).map((d) => ({ day: d.day.slice(5), incidents: d.incidents, MTTA: d.mtta_s === null ? 0 : Math.round(d.mtta_s / 6) / 10, MTTR: d.mttr_s === null ? 0 : Math.round(d.mttr_s / 6) / 10 }));

  return (
    <>
      <PageHeader
        title="Analytics"
        description="How fast incidents are acknowledged and resolved, how much noise grouping keeps away, and who gets interrupted when."
        actions={
          <Button component="a" href={exportCsvUrl(range)} variant="default" leftSection={<IconDownload size={16} />} data-testid="analytics-export">
            Export CSV
          </Button>
        }
      />
      <Group mb="lg" gap="sm">
        <SegmentedControl data={RANGES} value={days} onChange={setDays} />
        <Select placeholder="All channels" data={channels.items.map((c) => ({ value: c.id, label: c.name }))} value={channelId} onChange={setChannelId} clearable searchable w={240} />
      </Group>
      {summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="analytics-summary">
            <Stat label="Incidents" value={String(s?.incidents ?? '—')} hint={`${s?.acknowledged ?? 0} acknowledged · ${s?.closed ?? 0} closed`} />
            <Stat label="MTTA" value={formatSeconds(s?.mtta_s)} hint="first acknowledgement − trigger" />
            <Stat label="MTTR" value={formatSeconds(s?.mttr_s)} hint="close − trigger" />
            <Stat label="Response rate" value={percent(s?.response_rate)} hint="incidents acknowledged" />
            <Stat label="Alerts" value={String(s?.alerts ?? '—')} />
            <Stat label="Events" value={String(s?.events ?? '—')} />
            <Stat label="Noise reduction" value={percent(s?.noise_reduction)} hint="1 − incidents / alerts" />
            <Stat label="Dedup" value={percent(s?.event_noise_reduction)} hint="1 − alerts / events" />
          </SimpleGrid>

          <Paper withBorder radius="md" p="md">
            <Title order={4} mb="sm">
              Incidents per day
            </Title>
            <BarChart h={220} data={dailyMinutes} dataKey="day" series={[{ name: 'incidents', color: 'orange.6' }]} tickLine="none" />
          </Paper>

          <Paper withBorder radius="md" p="md">
            <Title order={4} mb="sm">
              MTTA and MTTR per day (minutes)
            </Title>
            <LineChart
              h={220}
              data={dailyMinutes}
              dataKey="day"
              series={[
                { name: 'MTTA', color: 'blue.6' },
                { name: 'MTTR', color: 'teal.6' },
              ]}
              curveType="monotone"
              tickLine="none"
            />
          </Paper>

          <Paper withBorder radius="md" p="md">
            <Title order={4} mb={4}>
              Interruptions per person
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              Calls, SMS and push notifications; several within a minute count once. Work hours are Monday–Friday 09:00–18:00 and sleep 22:00–07:00, in each person&apos;s time zone.
            </Text>
            <BarChart
              h={Math.max(120, (interruptions.data?.length ?? 0) * 40)}
              data={(interruptions.data ?? []).map((r) => ({ name: r.name, work: r.work, off: r.off, sleep: r.sleep }))}
              dataKey="name"
              orientation="vertical"
              type="stacked"
              yAxisProps={{ width: 120 }}
              series={[
                { name: 'work', color: 'teal.6' },
                { name: 'off', color: 'yellow.6' },
                { name: 'sleep', color: 'red.6' },
              ]}
            />
          </Paper>

          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Breakdown title="By channel" rows={byChannel.data ?? []} />
            <Breakdown
              title="By label"
              rows={byLabel.data ?? []}
              extra={<TextInput size="xs" value={labelKey} onChange={(e) => setLabelKey(e.currentTarget.value)} placeholder="label name" aria-label="Label name" w={140} />}
            />
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}

function Breakdown({ title, rows, extra }: { title: string; rows: { key: string; name: string; incidents: number; mtta_s: number | null; mttr_s: number | null; response_rate: number | null }[]; extra?: React.ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{title}</Title>
        {extra}
      </Group>
      <Table.ScrollContainer minWidth={380} type="native">
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Incidents</Table.Th>
              <Table.Th>MTTA</Table.Th>
              <Table.Th>MTTR</Table.Th>
              <Table.Th>Responded</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="sm" c="dimmed">
                    No incidents in this range.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              rows.slice(0, 20).map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{r.incidents}</Table.Td>
                  <Table.Td>{formatSeconds(r.mtta_s)}</Table.Td>
                  <Table.Td>{formatSeconds(r.mttr_s)}</Table.Td>
                  <Table.Td>{percent(r.response_rate)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
