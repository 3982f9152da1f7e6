/**
 * A channel's escalation rules (SPEC §4): list in priority order, create, change, reorder, copy,
 * delete. The rule `spec` is typed in specs.ts (the OpenAPI document leaves it `unknown`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import { queryKeys } from './queryKeys';
import type { CreateEscalationRuleBody, EscalationRule, UpdateEscalationRuleBody } from './types';
import { allPages, MAX_PAGE_SIZE } from './lists';

export function useEscalationRules(channelId: string) {
  return useQuery({
    queryKey: queryKeys.escalationRules(channelId),
    queryFn: ({ signal }) => allPages((cursor) => call(api.GET('/api/v1/channels/{id}/escalation-rules', { params: { path: { id: channelId }, query: { limit: MAX_PAGE_SIZE, cursor } }, signal }))),
    select: (page) => page.data,
  });
}

function useInvalidateRules(channelId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.escalationRules(channelId) });
}

export function useCreateEscalationRule(channelId: string) {
  const invalidate = useInvalidateRules(channelId);
  return useMutation({
    mutationFn: (body: CreateEscalationRuleBody) => call(api.POST('/api/v1/channels/{id}/escalation-rules', { params: { path: { id: channelId } }, body })),
    onSuccess: invalidate,
  });
}

export function useUpdateEscalationRule(channelId: string) {
  const invalidate = useInvalidateRules(channelId);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateEscalationRuleBody }) =>
      call(api.PATCH('/api/v1/escalation-rules/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useCopyEscalationRule(channelId: string) {
  const invalidate = useInvalidateRules(channelId);
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/v1/escalation-rules/{id}/copy', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useDeleteEscalationRule(channelId: string) {
  const invalidate = useInvalidateRules(channelId);
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/v1/escalation-rules/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/**
 * Saves a new priority order. The list is reordered at once (dragging must feel instant) and put
 * back as it was if the server refuses.
 */
export function useReorderEscalationRules(channelId: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.escalationRules(channelId);
  type Cached = { data: EscalationRule[]; next_cursor: null };
  return useMutation({
    mutationFn: (ruleIds: string[]) => call(api.PUT('/api/v1/channels/{id}/escalation-rules/order', { params: { path: { id: channelId } }, body: { rule_ids: ruleIds } })),
    onMutate: async (ruleIds) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<Cached>(key);
      if (before) {
        const byId = new Map(before.data.map((r) => [r.id, r]));
        const data = ruleIds.flatMap((id, position) => {
          const rule = byId.get(id);
          return rule ? [{ ...rule, position }] : [];
        });
        queryClient.setQueryData<Cached>(key, { ...before, data });
      }
      return { before };
    },
    onError: (_error, _ids, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
    },
    onSuccess: (page) => queryClient.setQueryData(key, page),
  });
}
