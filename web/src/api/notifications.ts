/**
 * Notification providers (SPEC §8.2), personal notification preferences (SPEC §6) and an
 * incident's delivery log (SPEC §8.1).
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import { INCIDENT_REFRESH_MS } from './incidents';
import { queryKeys } from './queryKeys';
import type { CreateProviderBody, NotificationPreferences, UpdateProviderBody } from './types';
import { allPages, MAX_PAGE_SIZE } from './lists';

/** Methods a person chooses per severity. */
export const PERSONAL_METHODS = ['voice', 'sms', 'email', 'push', 'im'] as const;
export type PersonalMethod = (typeof PERSONAL_METHODS)[number];

export function useProviderTypes() {
  return useQuery({
    queryKey: queryKeys.providerTypes,
    queryFn: ({ signal }) => call(api.GET('/api/v1/notification-provider-types', { signal })),
    select: (page) => page.data,
    // Provider kinds only change with a server upgrade.
    staleTime: 10 * 60_000,
  });
}

export function useProviders() {
  return useQuery({
    queryKey: queryKeys.providers,
    queryFn: ({ signal }) => allPages((cursor) => call(api.GET('/api/v1/notification-providers', { params: { query: { limit: MAX_PAGE_SIZE, cursor } }, signal }))),
    select: (page) => page.data,
  });
}

function useInvalidateProviders() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.providers });
}

export function useCreateProvider() {
  const invalidate = useInvalidateProviders();
  return useMutation({
    mutationFn: (body: CreateProviderBody) => call(api.POST('/api/v1/notification-providers', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateProvider() {
  const invalidate = useInvalidateProviders();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateProviderBody }) => call(api.PATCH('/api/v1/notification-providers/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteProvider() {
  const invalidate = useInvalidateProviders();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/v1/notification-providers/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: queryKeys.preferences,
    queryFn: ({ signal }) => call(api.GET('/api/v1/me/notification-preferences', { signal })),
  });
}

/** Which methods can reach me now, and why the others cannot (no provider, unverified address…). */
export function useNotificationMethods() {
  return useQuery({
    queryKey: queryKeys.notificationMethods,
    queryFn: ({ signal }) => call(api.GET('/api/v1/me/notification-methods', { signal })),
    select: (page) => page.data,
  });
}

export function useUpdateNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationPreferences) => call(api.PUT('/api/v1/me/notification-preferences', { body })),
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.preferences, saved),
  });
}

/** The delivery log newest first, a page at a time. */
export function useDeliveries(incidentId: string) {
  const query = useInfiniteQuery({
    queryKey: queryKeys.deliveries(incidentId),
    queryFn: ({ pageParam, signal }) => call(api.GET('/api/v1/incidents/{id}/deliveries', { params: { path: { id: incidentId }, query: { limit: MAX_PAGE_SIZE, cursor: pageParam } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: INCIDENT_REFRESH_MS,
  });
  return { ...query, items: query.data?.pages.flatMap((page) => page.data) ?? [] };
}
