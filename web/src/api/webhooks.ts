import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import type { ResponseOf } from './types';

export type Webhook = ResponseOf<'/api/v1/webhooks/{id}', 'get'>;
export type WebhookDelivery = ResponseOf<'/api/v1/webhooks/{id}/deliveries', 'get'>['data'][number];

const KEY = ['webhooks'] as const;

/** Event names a subscription may choose (SPEC §7). */
export const WEBHOOK_EVENTS = [
  'incident.created',
  'incident.assigned',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.snoozed',
  'incident.woken',
  'incident.escalated',
  'incident.commented',
  'incident.resolved',
  'incident.reopened',
  'incident.merged',
  'incident.updated',
  'alert.created',
  'alert.updated',
  'alert.recovered',
] as const;

export function useWebhooks() {
  return useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => call(api.GET('/api/v1/webhooks', { params: { query: { limit: 100 } }, signal })),
    select: (page) => page.data,
  });
}

export function useWebhookDeliveries(id: string | null) {
  return useQuery({
    queryKey: [...KEY, id, 'deliveries'],
    queryFn: ({ signal }) => call(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: id ?? '' }, query: { limit: 50 } }, signal })),
    select: (page) => page.data,
    enabled: id !== null,
    refetchInterval: 5000,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: KEY });
}

export interface WebhookForm {
  name?: string;
  url: string;
  events: string[];
  channel_ids?: string[] | null;
  secret?: string;
  enabled?: boolean;
}

export function useCreateWebhook() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: WebhookForm) => call(api.POST('/api/v1/webhooks', { body })), onSuccess: invalidate });
}

export function useUpdateWebhook() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Partial<WebhookForm> }) => call(api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteWebhook() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => call(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })), onSuccess: invalidate });
}

export function useTestWebhook() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => call(api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } })), onSuccess: invalidate });
}
