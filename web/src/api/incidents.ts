import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, optional } from './http';
import { allPages, MAX_PAGE_SIZE } from './lists';
import { queryKeys } from './queryKeys';
import type { CreateIncidentBody, CustomField, EditIncidentBody, Incident, IncidentStatus, ResolveIncidentBody, Severity } from './types';

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
  /** `name=value` custom field filters. */
  customFields?: string[] | undefined;
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
              custom_field: filters.customFields && filters.customFields.length > 0 ? filters.customFields : undefined,
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

/** The timeline oldest first, a page at a time ("load more" at the bottom). */
export function useIncidentTimeline(id: string) {
  const query = useInfiniteQuery({
    queryKey: [...queryKeys.incident(id), 'timeline'],
    queryFn: ({ pageParam, signal }) => call(api.GET('/api/v1/incidents/{id}/timeline', { params: { path: { id }, query: { limit: MAX_PAGE_SIZE, cursor: pageParam } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: INCIDENT_REFRESH_MS,
  });
  return { ...query, items: query.data?.pages.flatMap((page) => page.data) ?? [] };
}

/** The incident's alerts oldest first, a page at a time. */
export function useIncidentAlerts(id: string) {
  const query = useInfiniteQuery({
    queryKey: [...queryKeys.incident(id), 'alerts'],
    queryFn: ({ pageParam, signal }) => call(api.GET('/api/v1/incidents/{id}/alerts', { params: { path: { id }, query: { limit: PAGE_SIZE, cursor: pageParam } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: INCIDENT_REFRESH_MS,
  });
  return { ...query, items: query.data?.pages.flatMap((page) => page.data) ?? [] };
}

/** An alert's own timeline (its events), newest first. */
export function useAlertEvents(id: string | null) {
  const query = useInfiniteQuery({
    queryKey: [...queryKeys.alert(id ?? ''), 'events'],
    queryFn: ({ pageParam, signal }) => call(api.GET('/api/v1/alerts/{id}/events', { params: { path: { id: id ?? '' }, query: { limit: PAGE_SIZE, cursor: pageParam } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    enabled: id !== null,
  });
  return { ...query, items: query.data?.pages.flatMap((page) => page.data) ?? [] };
}

/** Change events of the incident's channel around it (deploys, config changes). */
export function useIncidentChanges(id: string) {
  return useQuery({
    queryKey: [...queryKeys.incident(id), 'changes'],
    queryFn: ({ signal }) => call(api.GET('/api/v1/incidents/{id}/changes', { params: { path: { id }, query: { limit: 20 } }, signal })),
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

function useInvalidateIncidents() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.incidents });
}

/** Runs an action that returns the updated incident, then refreshes every incident view. */
function useIncidentAction<Body>(action: (body: Body) => Promise<Incident>) {
  const changed = useIncidentChanged();
  return useMutation({ mutationFn: action, onSuccess: changed });
}

export function useEditIncident(id: string) {
  return useIncidentAction((body: EditIncidentBody) => call(api.PATCH('/api/v1/incidents/{id}', { params: { path: { id } }, body })));
}

export function useReassignIncident(id: string) {
  return useIncidentAction((body: { person_ids: string[]; schedule_ids: string[] }) => call(api.POST('/api/v1/incidents/{id}/assign', { params: { path: { id } }, body })));
}

export function useAddResponders(id: string) {
  return useIncidentAction((body: { person_ids: string[]; schedule_ids: string[] }) => call(api.POST('/api/v1/incidents/{id}/responders', { params: { path: { id } }, body })));
}

export function useEscalateIncident(id: string) {
  return useIncidentAction((level: number) => call(api.POST('/api/v1/incidents/{id}/escalate', { params: { path: { id } }, body: { level } })));
}

export function useMergeIncidents(targetId: string) {
  return useIncidentAction((sourceIds: string[]) => call(api.POST('/api/v1/incidents/{id}/merge', { params: { path: { id: targetId } }, body: { source_ids: sourceIds } })));
}

export function useCreateIncident() {
  const invalidate = useInvalidateIncidents();
  return useMutation({ mutationFn: (body: CreateIncidentBody) => call(api.POST('/api/v1/incidents', { body })), onSuccess: invalidate });
}

/** Acknowledges or resolves a selection of incidents; the result says which succeeded. */
export function useBatchAction() {
  const invalidate = useInvalidateIncidents();
  return useMutation({
    mutationFn: (body: { action: 'ack' | 'resolve'; incident_ids: string[] }) => call(api.POST('/api/v1/incidents/batch', { body })),
    onSuccess: invalidate,
  });
}

export function usePostmortem(id: string) {
  return useQuery({
    queryKey: [...queryKeys.incident(id), 'postmortem'],
    queryFn: ({ signal }) => call(api.GET('/api/v1/incidents/{id}/postmortem', { params: { path: { id } }, signal })),
  });
}

export function useSavePostmortem(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (markdown: string) => call(api.PUT('/api/v1/incidents/{id}/postmortem', { params: { path: { id } }, body: { markdown } })),
    onSuccess: (saved) => {
      queryClient.setQueryData([...queryKeys.incident(id), 'postmortem'], saved);
      return queryClient.invalidateQueries({ queryKey: [...queryKeys.incident(id), 'timeline'] });
    },
  });
}

const CUSTOM_FIELDS_KEY = ['custom-fields'] as const;

/** Every custom field definition (a small list: at most 50). */
export function useCustomFields() {
  return useQuery({
    queryKey: CUSTOM_FIELDS_KEY,
    queryFn: ({ signal }) => allPages((cursor) => call(api.GET('/api/v1/custom-fields', { params: { query: { limit: MAX_PAGE_SIZE, cursor } }, signal }))),
    select: (page): CustomField[] => page.data,
    staleTime: 60_000,
  });
}

export function useCreateCustomField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; label: string; kind: string; options?: string[] }) => call(api.POST('/api/v1/custom-fields', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY }),
  });
}

export function useDeleteCustomField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/v1/custom-fields/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY }),
  });
}
