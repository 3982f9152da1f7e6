import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import { queryKeys } from './queryKeys';
import type { RuleKind } from './specs';
import type { CreateRuleBody, NoiseSettingsBody, UpdateRuleBody } from './types';
import { allPages, MAX_PAGE_SIZE } from './lists';

export function useNoiseSettings(channelId: string) {
  return useQuery({
    queryKey: queryKeys.noise(channelId),
    queryFn: ({ signal }) => call(api.GET('/api/v1/channels/{id}/noise-reduction', { params: { path: { id: channelId } }, signal })),
  });
}

export function useUpdateNoiseSettings(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NoiseSettingsBody) => call(api.PUT('/api/v1/channels/{id}/noise-reduction', { params: { path: { id: channelId } }, body })),
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.noise(channelId), saved),
  });
}

const RULE_PATHS = {
  silence: '/api/v1/channels/{id}/silences',
  inhibit: '/api/v1/channels/{id}/inhibit-rules',
  drop: '/api/v1/channels/{id}/drop-rules',
} as const;

export function useRules(channelId: string, kind: RuleKind) {
  return useQuery({
    queryKey: queryKeys.rules(channelId, kind),
    queryFn: ({ signal }) => allPages((cursor) => call(api.GET(RULE_PATHS[kind], { params: { path: { id: channelId }, query: { limit: MAX_PAGE_SIZE, cursor } }, signal }))),
    select: (page) => page.data,
  });
}

export function useCreateRule(channelId: string, kind: RuleKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRuleBody) => call(api.POST(RULE_PATHS[kind], { params: { path: { id: channelId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.rules(channelId, kind) }),
  });
}

export function useUpdateRule(channelId: string, kind: RuleKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateRuleBody }) => call(api.PATCH('/api/v1/rules/{id}', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.rules(channelId, kind) }),
  });
}

export function useDeleteRule(channelId: string, kind: RuleKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/v1/rules/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.rules(channelId, kind) }),
  });
}
