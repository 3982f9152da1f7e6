import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent } from '../core/api.js';
import { pageRequest } from '../db/pagination.js';
import { contextOf } from '../people/request-context.js';
import { WEBHOOK_EVENTS } from './model.js';
import type { WebhooksService } from './service.js';

const WebhookSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  channel_ids: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null = every channel' }),
  enabled: Type.Boolean(),
  created_at: Type.Integer(),
});

const AttemptSchema = Type.Object({
  attempt: Type.Integer(),
  request_headers: Type.Record(Type.String(), Type.String()),
  response_status: Type.Union([Type.Integer(), Type.Null()]),
  response_body: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Integer(),
  created_at: Type.Integer(),
});

const DeliverySchema = Type.Object({
  id: Type.String(),
  event_id: Type.String(),
  event_type: Type.String(),
  incident_id: Type.Union([Type.String(), Type.Null()]),
  alert_id: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'pending | retrying | delivered | failed' }),
  attempt_count: Type.Integer(),
  request_body: Type.String(),
  created_at: Type.Integer(),
  finished_at: Type.Union([Type.Integer(), Type.Null()]),
  attempts: Type.Array(AttemptSchema),
});

const AttemptResultSchema = Type.Object({
  delivery_id: Type.String(),
  status: Type.String(),
  response_status: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Integer(),
});

const eventsDescription = `event names: * or ${WEBHOOK_EVENTS.join(', ')}`;
const Fields = {
  name: Type.Optional(Type.String({ maxLength: 200 })),
  url: Type.String({ maxLength: 2000 }),
  events: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: eventsDescription }),
  channel_ids: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 }), Type.Null()])),
  secret: Type.Optional(Type.String({ maxLength: 200, description: 'HMAC key; generated when omitted' })),
  enabled: Type.Optional(Type.Boolean()),
};

/** Outbound webhook subscriptions, their delivery history and "send test" (administrators). */
export function registerWebhookRoutes(app: Api, deps: { webhooks: WebhooksService }): void {
  const { webhooks } = deps;
  const input = (b: { name?: string | undefined; url?: string | undefined; events?: string[] | undefined; channel_ids?: string[] | null | undefined; secret?: string | undefined; enabled?: boolean | undefined }) => ({
    name: b.name,
    url: b.url,
    events: b.events,
    channelIds: b.channel_ids,
    secret: b.secret,
    enabled: b.enabled,
  });

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to incident and alert events; the secret is shown once',
        body: Type.Object(Fields),
        response: { 201: Type.Object({ ...WebhookSchema.properties, secret: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await webhooks.create(contextOf(request), input(request.body));
      return reply.code(201).send({ ...created.webhook, secret: created.secret });
    },
  );

  app.get(
    '/api/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook subscriptions',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ data: Type.Array(WebhookSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => webhooks.list(contextOf(request).actor, pageRequest(request.query.limit, request.query.cursor)),
  );

  app.get('/api/v1/webhooks/:id', { schema: { tags: ['webhooks'], summary: 'A webhook subscription', params: IdParams, response: { 200: WebhookSchema, ...errorResponses } } }, async (request) =>
    webhooks.get(contextOf(request).actor, request.params.id),
  );

  app.patch(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Change, enable or disable a subscription (a new secret replaces the old one)',
        params: IdParams,
        body: Type.Partial(Type.Object(Fields)),
        response: { 200: WebhookSchema, ...errorResponses },
      },
    },
    async (request) => webhooks.update(contextOf(request), request.params.id, input(request.body)),
  );

  app.delete('/api/v1/webhooks/:id', { schema: { tags: ['webhooks'], summary: 'Delete a subscription and its history', params: IdParams, response: { 204: NoContent, ...errorResponses } } }, async (request, reply) => {
    await webhooks.remove(contextOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  app.post(
    '/api/v1/webhooks/:id/test',
    { schema: { tags: ['webhooks'], summary: 'Send a signed webhook.test event now and show the answer', params: IdParams, response: { 200: AttemptResultSchema, ...errorResponses } } },
    async (request) => webhooks.sendTest(contextOf(request), request.params.id),
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Delivery history (7 days), newest first, each with its attempts, request and response',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ data: Type.Array(DeliverySchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => webhooks.deliveries(contextOf(request).actor, request.params.id, pageRequest(request.query.limit, request.query.cursor)),
  );
}
