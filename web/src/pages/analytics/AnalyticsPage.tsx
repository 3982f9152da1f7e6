import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportCsvUrl, useAnalyticsBreakdown, useAnalyticsDaily, useAnalyticsSummary, useInterruptions, type AnalyticsRange } from '../../api/analytics';
import { useChannels } from '../../api/channels';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { formattingLocale } from '../../i18n';

/** Range lengths in days; labelled by `analytics:ranges.*`. */
const RANGES = ['7', '30', '90', '365'];

function unit(value: number, name: 'second' | 'minute' | 'hour'): string {
  return new Intl.NumberFormat(formattingLocale(), { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
}

/** "4 min 10 sec", "2 hr 5 min" (「4分钟10秒」) — response times as people say them, in their locale. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const parts =
    seconds < 60
      ? [unit(Math.round(seconds), 'second')]
      : seconds < 3600
        ? [unit(Math.floor(seconds / 60), 'minute'), unit(Math.round(seconds % 60), 'second')]
        : [unit(Math.floor(seconds / 3600), 'hour'), unit(Math.round((seconds % 3600) / 60), 'minute')];
  return new Intl.ListFormat(formattingLocale(), { style: 'narrow', type: 'unit' }).format(parts);
}

const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : new Intl.NumberFormat(formattingLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(value);

/** "Mar 5" / 「3月5日」 for a `YYYY-MM-DD` day, the charts' axis. */
function dayLabel(day: string): string {
  const time = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(time) ? day : new Intl.DateTimeFormat(formattingLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(time);
}

const count = (value: number | undefined) => (value === undefined ? '—' : new Intl.NumberFormat(formattingLocale()).format(value));

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
  const { t } = useTranslation('analytics');
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
  const dailyMinutes = (daily.data ?? []).map((d) => ({ day: dayLabel(d.day), incidents: d.incidents, MTTA: d.mtta_s === null ? 0 : Math.round(d.mtta_s / 6) / 10, MTTR: d.mttr_s === null ? 0 : Math.round(d.mttr_s / 6) / 10 }));

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Button component="a" href={exportCsvUrl(range)} variant="default" leftSection={<IconDownload size={16} />} data-testid="analytics-export">
            {t('export')}
          </Button>
        }
      />
      <Group mb="lg" gap="sm">
        <SegmentedControl data={RANGES.map((value) => ({ value, label: t(`ranges.${value}`) }))} value={days} onChange={setDays} aria-label={t('range')} />
        <Select placeholder={t('allChannels')} aria-label={t('channel')} data={channels.items.map((c) => ({ value: c.id, label: c.name }))} value={channelId} onChange={setChannelId} clearable searchable w={240} />
      </Group>
      {summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="analytics-summary">
            <Stat label={t('stats.incidents')} value={count(s?.incidents)} hint={t('stats.incidentsHint', { acknowledged: s?.acknowledged ?? 0, closed: s?.closed ?? 0 })} />
            <Stat label="MTTA" value={formatSeconds(s?.mtta_s)} hint={t('stats.mttaHint')} />
            <Stat label="MTTR" value={formatSeconds(s?.mttr_s)} hint={t('stats.mttrHint')} />
            <Stat label={t('stats.responseRate')} value={percent(s?.response_rate)} hint={t('stats.responseRateHint')} />
            <Stat label={t('stats.alerts')} value={count(s?.alerts)} />
            <Stat label={t('stats.events')} value={count(s?.events)} />
            <Stat label={t('stats.noiseReduction')} value={percent(s?.noise_reduction)} hint={t('stats.noiseReductionHint')} />
            <Stat label={t('stats.dedup')} value={percent(s?.event_noise_reduction)} hint={t('stats.dedupHint')} />
          </SimpleGrid>

          <Paper withBorder radius="md" p="md">
            <Title order={4} mb="sm">
              {t('charts.incidentsPerDay')}
            </Title>
            <BarChart h={220} data={dailyMinutes} dataKey="day" series={[{ name: 'incidents', label: t('charts.incidents'), color: 'orange.6' }]} tickLine="none" />
          </Paper>

          <Paper withBorder radius="md" p="md">
            <Title order={4} mb="sm">
              {t('charts.mttaMttr')}
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
              {t('charts.interruptions')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('charts.interruptionsHelp')}
            </Text>
            <BarChart
              h={Math.max(120, (interruptions.data?.length ?? 0) * 40)}
              data={(interruptions.data ?? []).map((r) => ({ name: r.name, work: r.work, off: r.off, sleep: r.sleep }))}
              dataKey="name"
              orientation="vertical"
              type="stacked"
              yAxisProps={{ width: 120 }}
              series={[
                { name: 'work', label: t('charts.work'), color: 'teal.6' },
                { name: 'off', label: t('charts.off'), color: 'yellow.6' },
                { name: 'sleep', label: t('charts.sleep'), color: 'red.6' },
              ]}
            />
          </Paper>

          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Breakdown title={t('breakdown.byChannel')} rows={byChannel.data ?? []} />
            <Breakdown
              title={t('breakdown.byLabel')}
              rows={byLabel.data ?? []}
              extra={<TextInput size="xs" value={labelKey} onChange={(e) => setLabelKey(e.currentTarget.value)} placeholder={t('breakdown.labelPlaceholder')} aria-label={t('breakdown.labelName')} w={140} />}
            />
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}

function Breakdown({ title, rows, extra }: { title: string; rows: { key: string; name: string; incidents: number; mtta_s: number | null; mttr_s: number | null; response_rate: number | null }[]; extra?: React.ReactNode }) {
  const { t } = useTranslation('analytics');
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
              <Table.Th>{t('breakdown.name')}</Table.Th>
              <Table.Th>{t('stats.incidents')}</Table.Th>
              <Table.Th>MTTA</Table.Th>
              <Table.Th>MTTR</Table.Th>
              <Table.Th>{t('breakdown.responded')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="sm" c="dimmed">
                    {t('breakdown.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              rows.slice(0, 20).map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{count(r.incidents)}</Table.Td>
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
