/**
 * Schedules, their timelines, overrides and calendar feeds (SPEC §5, ADR 0006/0011).
 * Types are derived from schema.d.ts; the layer shape sent on create/update/preview is the one
 * the server answers with (the request schema declares layers as `unknown[]` so that the model
 * can report errors with paths such as `layers[0].rotation.count`).
 */
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, optional } from './http';
import { MAX_PAGE_SIZE, useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { BodyOf, ResponseOf, UnixMs } from './types';

// ---- Types --------------------------------------------------------------------------------------

export type Schedule = ResponseOf<'/api/v1/schedules/{id}', 'get'>;
export type ScheduleLayer = Schedule['layers'][number];
export type Rotation = ScheduleLayer['rotation'];
export type RotationUnit = Rotation['unit'];
export type Restrictions = ScheduleLayer['restrictions'];
export type RestrictionKind = Restrictions['kind'];
export type RestrictionWindow = Restrictions['windows'][number];

export type ScheduleTimeline = ResponseOf<'/api/v1/schedules/{id}/timeline', 'get'>;
export type FinalShift = ScheduleTimeline['final'][number];
export type LayerTimeline = ScheduleTimeline['layers'][number];
export type ScheduleOverride = ResponseOf<'/api/v1/schedules/{id}/overrides', 'post', 201>;
export type PersonRef = ScheduleTimeline['people'][number];
export type OnCallAnswer = ResponseOf<'/api/v1/schedules/{id}/on-call', 'get'>;
export type MyShift = ResponseOf<'/api/v1/me/shifts', 'get'>['data'][number];
export type FeedUrls = ResponseOf<'/api/v1/me/ical-token', 'get'>;

/** What create, update and preview take for `layers` (the same shape the server returns). */
export type LayerInput = Omit<ScheduleLayer, 'rotation'> & { rotation: Rotation };
export type CreateScheduleBody = Omit<BodyOf<'/api/v1/schedules', 'post'>, 'layers'> & { layers: LayerInput[] };
export type UpdateScheduleBody = Omit<BodyOf<'/api/v1/schedules/{id}', 'patch'>, 'layers'> & { layers?: LayerInput[] };
export type PreviewBody = Omit<BodyOf<'/api/v1/schedules/preview', 'post'>, 'layers'> & { layers: LayerInput[] };
export type CreateOverrideBody = BodyOf<'/api/v1/schedules/{id}/overrides', 'post'>;

/** Weekday names the API takes; index + 1 is the ISO weekday (1 = Monday). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const ROTATION_UNITS: ReadonlyArray<RotationUnit> = ['hour', 'day', 'week', 'month'];
export const ROTATION_COUNT_MAX = 30;
export const LAYERS_MAX = 20;
export const GROUP_MAX = 20;
export const WINDOWS_MAX = 50;
export const SCHEDULE_NAME_MAX = 100;
export const DEFAULT_ROLE = 'primary';
/** Role names the server accepts. */
export const ROLE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
/** The longest range a timeline request may cover (the server allows a little more across DST). */
export const MAX_TIMELINE_MS = 90 * 24 * 3600_000;

// ---- Query keys (all under one root so an override invalidates every view of it) ----------------

const ROOT = ['schedules'] as const;
export const scheduleKeys = {
  all: ROOT,
  lists: [...ROOT, 'list'] as const,
  one: (id: string) => [...ROOT, 'one', id] as const,
  timeline: (id: string, start: UnixMs, end: UnixMs) => [...ROOT, 'timeline', id, start, end] as const,
  onCall: (id: string) => [...ROOT, 'on-call', id] as const,
  overrides: (id: string, history: boolean) => [...ROOT, 'overrides', id, { history }] as const,
  preview: (body: string) => [...ROOT, 'preview', body] as const,
  feed: (id: string) => [...ROOT, 'feed', id] as const,
  myShifts: (start: UnixMs, end: UnixMs) => [...ROOT, 'my-shifts', start, end] as const,
  myFeed: [...ROOT, 'my-feed'] as const,
};

// ---- Schedules ----------------------------------------------------------------------------------

export function useSchedules(search = '') {
  return useCursorList([...scheduleKeys.lists, { q: search }], (cursor, signal) =>
    call(api.GET('/api/v1/schedules', { params: { query: { q: optional(search), limit: MAX_PAGE_SIZE, cursor } }, signal })),
  );
}

export function useSchedule(id: string) {
  return useQuery({
    queryKey: scheduleKeys.one(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/schedules/{id}', { params: { path: { id } }, signal })),
    // A 404 means "not found or not yours"; asking again will not change that.
    retry: false,
  });
}

export function useCreateSchedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateScheduleBody) => call(api.POST('/api/v1/schedules', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}

export function useUpdateSchedule(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateScheduleBody) => call(api.PATCH('/api/v1/schedules/{id}', { params: { path: { id } }, body })),
    onSuccess: (schedule) => {
      queryClient.setQueryData(scheduleKeys.one(id), schedule);
      return queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}

export function useDeleteSchedule(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/schedules/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: scheduleKeys.one(id) });
      return queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}

// ---- Timelines and on-call ----------------------------------------------------------------------

export function useScheduleTimeline(id: string, range: { start: UnixMs; end: UnixMs }) {
  return useQuery({
    queryKey: scheduleKeys.timeline(id, range.start, range.end),
    queryFn: ({ signal }) =>
      call(api.GET('/api/v1/schedules/{id}/timeline', { params: { path: { id }, query: { start: range.start, end: range.end } }, signal })),
    // Moving to the next week keeps the current bars on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

/** Who is on call now, per role; refreshed every minute so a handoff shows up without a reload. */
export function useOnCall(id: string) {
  return useQuery({
    queryKey: scheduleKeys.onCall(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/schedules/{id}/on-call', { params: { path: { id } }, signal })),
    refetchInterval: 60_000,
  });
}

/** The timelines of an unsaved draft; `body` is null while the draft cannot be previewed. */
export function useSchedulePreview(body: PreviewBody | null) {
  const json = body ? JSON.stringify(body) : '';
  return useQuery({
    queryKey: scheduleKeys.preview(json),
    queryFn: ({ signal }) => call(api.POST('/api/v1/schedules/preview', { body: JSON.parse(json) as PreviewBody, signal })),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
}

// ---- Overrides ----------------------------------------------------------------------------------

/**
 * Current and upcoming overrides, or with `history` every override ever made (deleted ones too).
 * Ordered by start time.
 */
export function useOverrides(id: string, history: boolean) {
  // "Current" is fixed when the list is first loaded, not at every render.
  return useCursorList(scheduleKeys.overrides(id, history), (cursor, signal) =>
    call(
      api.GET('/api/v1/schedules/{id}/overrides', {
        params: {
          path: { id },
          query: history ? { include_deleted: true, limit: MAX_PAGE_SIZE, cursor } : { start: Date.now(), limit: MAX_PAGE_SIZE, cursor },
        },
        signal,
      }),
    ),
  );
}

export function useCreateOverride(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOverrideBody) => call(api.POST('/api/v1/schedules/{id}/overrides', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}

export function useDeleteOverride(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (overrideId: string) =>
      call(api.DELETE('/api/v1/schedules/{id}/overrides/{override_id}', { params: { path: { id, override_id: overrideId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}

// ---- Calendar feeds -----------------------------------------------------------------------------

/** The schedule's secret feed URL; only managers may read it (403 otherwise), so ask only then. */
export function useScheduleFeed(id: string, enabled: boolean) {
  return useQuery({
    queryKey: scheduleKeys.feed(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/schedules/{id}/ical-token', { params: { path: { id } }, signal })),
    enabled,
    staleTime: Infinity,
  });
}

export function useRegenerateScheduleFeed(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/schedules/{id}/ical-token/regenerate', { params: { path: { id } } })),
    onSuccess: (urls) => queryClient.setQueryData(scheduleKeys.feed(id), urls),
  });
}

export function useMyFeed() {
  return useQuery({
    queryKey: scheduleKeys.myFeed,
    queryFn: ({ signal }) => call(api.GET('/api/v1/me/ical-token', { signal })),
    staleTime: Infinity,
  });
}

export function useRegenerateMyFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/me/ical-token/regenerate')),
    onSuccess: (urls) => queryClient.setQueryData(scheduleKeys.myFeed, urls),
  });
}

// ---- My shifts ----------------------------------------------------------------------------------

export function useMyShifts(range: { start: UnixMs; end: UnixMs }) {
  return useQuery({
    queryKey: scheduleKeys.myShifts(range.start, range.end),
    queryFn: ({ signal }) => call(api.GET('/api/v1/me/shifts', { params: { query: { start: range.start, end: range.end } }, signal })),
    select: (answer) => answer.data,
  });
}

// ---- People names -------------------------------------------------------------------------------

/**
 * Names for person ids that a schedule mentions (layer members, override authors). Each person is
 * fetched once and cached under the people query key. Unknown ids map to null once they fail
 * (a deleted person stays in history).
 */
export function usePersonNames(ids: ReadonlyArray<string>): { names: Map<string, string | null>; loading: boolean } {
  const unique = [...new Set(ids)].sort();
  return useQueries({
    queries: unique.map((id) => ({
      queryKey: queryKeys.user(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => call(api.GET('/api/v1/users/{id}', { params: { path: { id } }, signal })),
      staleTime: 5 * 60_000,
      retry: false,
    })),
    combine: (results) => {
      const names = new Map<string, string | null>();
      results.forEach((result, index) => {
        const id = unique[index];
        if (id === undefined) return;
        if (result.data) names.set(id, result.data.name);
        else if (result.isError) names.set(id, null);
      });
      return { names, loading: results.some((result) => result.isPending) };
    },
  });
}
