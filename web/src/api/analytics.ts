import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, call, optional } from './http';

/** The last `days` days up to the server's now (its clock, not the browser's, decides). */
export interface AnalyticsRange {
  days: number;
  channelId?: string | undefined;
}

const KEY = ['analytics'] as const;

function query(range: AnalyticsRange) {
  return { days: range.days, channel_id: optional(range.channelId) };
}

export function useAnalyticsSummary(range: AnalyticsRange) {
  return useQuery({
    queryKey: [...KEY, 'summary', range],
    queryFn: ({ signal }) => call(api.GET('/api/v1/analytics/summary', { params: { query: query(range) }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useAnalyticsDaily(range: AnalyticsRange) {
  return useQuery({
    queryKey: [...KEY, 'daily', range],
    queryFn: ({ signal }) => call(api.GET('/api/v1/analytics/daily', { params: { query: query(range) }, signal })),
    select: (page) => page.data,
    placeholderData: keepPreviousData,
  });
}

export function useAnalyticsBreakdown(range: AnalyticsRange, by: 'channel' | 'team' | 'person' | 'label', labelKey?: string) {
  return useQuery({
    queryKey: [...KEY, 'breakdown', range, by, labelKey],
    queryFn: ({ signal }) => call(api.GET('/api/v1/analytics/breakdown', { params: { query: { ...query(range), by, label_key: optional(labelKey) } }, signal })),
    select: (page) => page.data,
    enabled: by !== 'label' || Boolean(labelKey),
    placeholderData: keepPreviousData,
  });
}

export function useInterruptions(range: AnalyticsRange) {
  return useQuery({
    queryKey: [...KEY, 'interruptions', range],
    queryFn: ({ signal }) => call(api.GET('/api/v1/analytics/interruptions', { params: { query: query(range) }, signal })),
    select: (page) => page.data,
    placeholderData: keepPreviousData,
  });
}

/** The CSV export's URL (a plain link: the session cookie authenticates the download). */
export function exportCsvUrl(range: AnalyticsRange): string {
  const params = new URLSearchParams({ days: String(range.days), ...(range.channelId && { channel_id: range.channelId }) });
  return `/api/v1/analytics/export.csv?${params.toString()}`;
}
