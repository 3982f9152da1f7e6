import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './http';
import { useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { Channel, CreateChannelBody, UpdateChannelBody } from './types';

const channelPath = (id: string) => `/channels/${encodeURIComponent(id)}`;

/** Longest channel name the API accepts. */
export const CHANNEL_NAME_MAX = 59;
/** How many teams besides the owner may manage a channel. */
export const MAX_MANAGING_TEAMS = 3;

export function useChannels(search = '') {
  return useCursorList<Channel>(queryKeys.channels, '/channels', { q: search });
}

export function useChannel(id: string) {
  return useQuery({
    queryKey: queryKeys.channel(id),
    queryFn: ({ signal }) => apiRequest<Channel>(channelPath(id), { signal }),
    // A 404 here means "not found or not yours"; asking again will not change that.
    retry: false,
  });
}

export function useCreateChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateChannelBody) => apiRequest<Channel>('/channels', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.channels }),
  });
}

export function useUpdateChannel(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateChannelBody) => apiRequest<Channel>(channelPath(id), { method: 'PATCH', body }),
    onSuccess: (channel) => {
      queryClient.setQueryData(queryKeys.channel(id), channel);
      return queryClient.invalidateQueries({ queryKey: queryKeys.channels });
    },
  });
}

export function useDeleteChannel(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>(channelPath(id), { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.channel(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.channels });
    },
  });
}
