import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './http';
import { queryKeys } from './queryKeys';
import type {
  ApiKey,
  ChangePasswordBody,
  ContactKind,
  CreatedApiKey,
  Me,
  Page,
  UpdateMeBody,
  VerificationStarted,
} from './types';

/** The API refuses a sixth key; the console says so before the user tries. */
export const MAX_API_KEYS = 5;

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMeBody) => apiRequest<Me>('/me', { method: 'PATCH', body }),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me, me),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => apiRequest<void>('/me/password', { method: 'POST', body }),
  });
}

export function useStartVerification() {
  return useMutation({
    mutationFn: (kind: ContactKind) =>
      apiRequest<VerificationStarted>('/me/verifications', { method: 'POST', body: { kind } }),
  });
}

export function useConfirmVerification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: ContactKind; code: string }) =>
      apiRequest<Me>('/me/verifications/confirm', { method: 'POST', body }),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me, me),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: ({ signal }) => apiRequest<Page<ApiKey>>('/me/api-keys', { signal }),
    select: (page) => page.data,
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiRequest<CreatedApiKey>('/me/api-keys', { method: 'POST', body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/me/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}
