import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import { queryKeys } from './queryKeys';
import type { ChangePasswordBody, ContactKind, Me, UpdateMeBody } from './types';
import { allPages, MAX_PAGE_SIZE } from './lists';

/** The API refuses a sixth key; the console says so before the user tries. */
export const MAX_API_KEYS = 5;

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMeBody) => call(api.PATCH('/api/v1/me', { body })),
    onSuccess: (me) => queryClient.setQueryData<Me | null>(queryKeys.me, me),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => call(api.POST('/api/v1/me/password', { body })),
  });
}

export function useStartVerification() {
  return useMutation({
    mutationFn: (kind: ContactKind) => call(api.POST('/api/v1/me/verifications', { body: { kind } })),
  });
}

export function useConfirmVerification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: ContactKind; code: string }) => call(api.POST('/api/v1/me/verifications/confirm', { body })),
    onSuccess: (me) => queryClient.setQueryData<Me | null>(queryKeys.me, me),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: ({ signal }) => allPages((cursor) => call(api.GET('/api/v1/me/api-keys', { params: { query: { limit: MAX_PAGE_SIZE, cursor } }, signal }))),
    select: (page) => page.data,
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scope?: 'full' | 'read'; expires_at?: number | null }) => call(api.POST('/api/v1/me/api-keys', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/v1/me/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

/** The getting-started checklist's state; refreshed often while it is on screen so steps tick themselves. */
export function useOnboarding(options: { enabled: boolean }) {
  return useQuery({
    queryKey: [...queryKeys.me, 'onboarding'],
    queryFn: ({ signal }) => call(api.GET('/api/v1/me/onboarding', { signal })),
    enabled: options.enabled,
    refetchInterval: 5000,
  });
}
