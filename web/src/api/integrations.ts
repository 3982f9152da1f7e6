import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import { queryKeys } from './queryKeys';
import type { CreateChannelIntegrationBody, CreateSharedIntegrationBody, Integration, UpdateIntegrationBody } from './types';
import { allPages, MAX_PAGE_SIZE } from './lists';

/** How often an open integration page asks for new events (the "did my test alert arrive?" moment). */
const ACTIVITY_REFRESH_MS = 10_000;

export function useChannelIntegrations(channelId: string) {
  return useQuery({
    queryKey: queryKeys.channelIntegrations(channelId),
    queryFn: ({ signal }) => allPages((cursor) => call(api.GET('/api/v1/channels/{id}/integrations', { params: { path: { id: channelId }, query: { limit: MAX_PAGE_SIZE, cursor } }, signal }))),
    select: (page) => page.data,
    refetchInterval: ACTIVITY_REFRESH_MS,
  });
}

export function useSharedIntegrations() {
  return useQuery({
    queryKey: queryKeys.sharedIntegrations,
    queryFn: ({ signal }) => allPages((cursor) => call(api.GET('/api/v1/integrations', { params: { query: { limit: MAX_PAGE_SIZE, cursor } }, signal }))),
    select: (page) => page.data,
  });
}

export function useIntegration(id: string) {
  return useQuery({
    queryKey: queryKeys.integration(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/integrations/{id}', { params: { path: { id } }, signal })),
    retry: false,
  });
}

export function useIntegrationActivity(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.integrationActivity(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/integrations/{id}/activity', { params: { path: { id } }, signal })),
    refetchInterval: ACTIVITY_REFRESH_MS,
    enabled: options.enabled ?? true,
  });
}

function useInvalidateIntegrations() {
  const queryClient = useQueryClient();
  return (integration?: Integration) => {
    if (integration) queryClient.setQueryData(queryKeys.integration(integration.id), integration);
    return queryClient.invalidateQueries({ queryKey: queryKeys.integrations });
  };
}

export function useCreateChannelIntegration(channelId: string) {
  const invalidate = useInvalidateIntegrations();
  return useMutation({
    mutationFn: (body: CreateChannelIntegrationBody) => call(api.POST('/api/v1/channels/{id}/integrations', { params: { path: { id: channelId } }, body })),
    onSuccess: (created) => invalidate(created),
  });
}

export function useCreateSharedIntegration() {
  const invalidate = useInvalidateIntegrations();
  return useMutation({
    mutationFn: (body: CreateSharedIntegrationBody) => call(api.POST('/api/v1/integrations', { body })),
    onSuccess: (created) => invalidate(created),
  });
}

export function useUpdateIntegration(id: string) {
  const invalidate = useInvalidateIntegrations();
  return useMutation({
    mutationFn: (body: UpdateIntegrationBody) => call(api.PATCH('/api/v1/integrations/{id}', { params: { path: { id } }, body })),
    onSuccess: (updated) => invalidate(updated),
  });
}

export function useRegenerateIntegrationKey(id: string) {
  const invalidate = useInvalidateIntegrations();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/integrations/{id}/regenerate-key', { params: { path: { id } } })),
    onSuccess: (updated) => invalidate(updated),
  });
}

export function useDeleteIntegration(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/integrations/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.integration(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.integrations });
    },
  });
}
