import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import { queryKeys } from './queryKeys';
import type { BodyOf, ResponseOf } from './types';

export type PushDevice = ResponseOf<'/api/v1/me/push-devices', 'get'>['data'][number];
export type PushConfig = ResponseOf<'/api/v1/me/push/config', 'get'>;
export type PushTestResult = ResponseOf<'/api/v1/me/push-devices/{id}/test', 'post'>;
export type PushSubscriptionBody = BodyOf<'/api/v1/me/push-devices', 'post'>;

const devicesKey = [...queryKeys.me, 'push-devices'] as const;
const configKey = [...queryKeys.me, 'push-config'] as const;

/** What registering or removing a device changes: the list, App push's availability, the checklist. */
function invalidateAfterChange(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: devicesKey }),
    queryClient.invalidateQueries({ queryKey: queryKeys.notificationMethods }),
    queryClient.invalidateQueries({ queryKey: [...queryKeys.me, 'onboarding'] }),
  ]);
}

/** The VAPID public key this browser subscribes with, or why app push is off. */
export function usePushConfig() {
  return useQuery({ queryKey: configKey, queryFn: ({ signal }) => call(api.GET('/api/v1/me/push/config', { signal })) });
}

export function usePushDevices() {
  return useQuery({
    queryKey: devicesKey,
    queryFn: ({ signal }) => call(api.GET('/api/v1/me/push-devices', { signal })),
    select: (page) => page.data,
  });
}

export function useRegisterPushDevice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PushSubscriptionBody) => call(api.POST('/api/v1/me/push-devices', { body })),
    onSuccess: () => invalidateAfterChange(queryClient),
  });
}

export function useRemovePushDevice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/v1/me/push-devices/{id}', { params: { path: { id } } })),
    onSuccess: () => invalidateAfterChange(queryClient),
  });
}

export function useTestPushDevice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/v1/me/push-devices/{id}/test', { params: { path: { id } } })),
    onSuccess: (result) => (result.removed ? invalidateAfterChange(queryClient) : queryClient.invalidateQueries({ queryKey: devicesKey })),
  });
}
