import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, optional } from './http';
import { MAX_PAGE_SIZE, useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { CreateChannelBody, UpdateChannelBody } from './types';

/** Longest channel name the API accepts. */
export const CHANNEL_NAME_MAX = 59;
/** How many teams besides the owner may manage a channel. */
export const MAX_MANAGING_TEAMS = 3;

export function useChannels(search = '') {
  return useCursorList([...queryKeys.channels, { q: search }], (cursor, signal) =>
    call(api.GET('/api/v1/channels', { params: { query: { q: optional(search), limit: MAX_PAGE_SIZE, cursor } }, signal })),
  );
}

export function useChannel(id: string) {
  return useQuery({
    queryKey: queryKeys.channel(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/channels/{id}', { params: { path: { id } }, signal })),
    // A 404 here means "not found or not yours"; asking again will not change that.
    retry: false,
  });
}

export function useCreateChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateChannelBody) => call(api.POST('/api/v1/channels', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.channels }),
  });
}

export function useUpdateChannel(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateChannelBody) => call(api.PATCH('/api/v1/channels/{id}', { params: { path: { id } }, body })),
    onSuccess: (channel) => {
      queryClient.setQueryData(queryKeys.channel(id), channel);
      return queryClient.invalidateQueries({ queryKey: queryKeys.channels });
    },
  });
}

export function useDeleteChannel(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/channels/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.channel(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.channels });
    },
  });
}
