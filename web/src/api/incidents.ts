import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, optional } from './http';
import { queryKeys } from './queryKeys';
import type { Incident, IncidentStatus, ResolveIncidentBody, Severity } from './types';

/**
 * A safety net only: changes arrive within a second through the live event stream (api/live.ts);
 * this slow refresh covers a browser without EventSource or a proxy that buffers the stream.
 */
export const INCIDENT_REFRESH_MS = 60_000;
const PAGE_SIZE = 50;

export interface IncidentFilters {
  channelId?: string | undefined;
  status?: IncidentStatus | undefined;
  severity?: Severity | undefined;
  q?: string | undefined;
}

export function useIncidents(filters: IncidentFilters) {
  const query = useInfiniteQuery({
    queryKey: [...queryKeys.incidents, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      call(
        api.GET('/api/v1/incidents', {
          params: {
            query: {
              channel_id: optional(filters.channelId),
              status: filters.status,
              severity: filters.severity,
              q: optional(filters.q),
              limit: PAGE_SIZE,
              cursor: pageParam,
            },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: INCIDENT_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const items = query.data?.pages.flatMap((page) => page.data) ?? [];
  return { ...query, items };
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: queryKeys.incident(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/incidents/{id}', { params: { path: { id } }, signal })),
    refetchInterval: INCIDENT_REFRESH_MS,
    retry: false,
  });
}

export function useIncidentTimeline(id: string) {
  return useQuery({
    queryKey: [...queryKeys.incident(id), 'timeline'],
    queryFn: ({ signal }) => call(api.GET('/api/v1/incidents/{id}/timeline', { params: { path: { id } }, signal })),
    select: (page) => page.data,
    refetchInterval: INCIDENT_REFRESH_MS,
  });
}

export function useIncidentAlerts(id: string) {
  return useQuery({
    queryKey: [...queryKeys.incident(id), 'alerts'],
    queryFn: ({ signal }) => call(api.GET('/api/v1/incidents/{id}/alerts', { params: { path: { id } }, signal })),
    select: (page) => page.data,
    refetchInterval: INCIDENT_REFRESH_MS,
  });
}

export function useAlert(id: string | null) {
  return useQuery({
    queryKey: queryKeys.alert(id ?? ''),
    queryFn: ({ signal }) => call(api.GET('/api/v1/alerts/{id}', { params: { path: { id: id ?? '' } }, signal })),
    enabled: id !== null,
  });
}

function useIncidentChanged() {
  const queryClient = useQueryClient();
  return (incident: Incident) => {
    queryClient.setQueryData(queryKeys.incident(incident.id), incident);
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.incidents }),
      queryClient.invalidateQueries({ queryKey: queryKeys.alerts }),
    ]);
  };
}

export function useAcknowledgeIncident(id: string) {
  const changed = useIncidentChanged();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/incidents/{id}/ack', { params: { path: { id } } })),
    onSuccess: changed,
  });
}

export function useResolveIncident(id: string) {
  const changed = useIncidentChanged();
  return useMutation({
    mutationFn: (body: ResolveIncidentBody) => call(api.POST('/api/v1/incidents/{id}/resolve', { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

export function useQuickSilence(incident: Incident) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (durationMins: number) =>
      call(api.POST('/api/v1/incidents/{id}/quick-silence', { params: { path: { id: incident.id } }, body: { duration_mins: durationMins } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.rules(incident.channel_id, 'silence') }),
  });
}
