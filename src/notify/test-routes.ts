import { Type } from 'typebox';
import { type Api, errorResponses, IdParams } from '../core/api.js';
import { contextOf } from '../people/request-context.js';
import type { TestNotifier } from './test-notifications.js';

const ResultSchema = Type.Object({
  provider_id: Type.String(),
  provider_name: Type.String(),
  method: Type.String(),
  to: Type.String(),
  status: Type.Union([Type.Literal('sent'), Type.Literal('failed')]),
  error: Type.Union([Type.String(), Type.Null()]),
});

/** "Send a test notification" to a provider (a group chat or an address) and to a person. */
export function registerTestNotificationRoutes(app: Api, deps: { tests: TestNotifier }): void {
  app.post(
    '/api/v1/notification-providers/:id/test',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Send a test through this provider (group chat, or `to` / my own verified address) and show the result',
        params: IdParams,
        body: Type.Optional(Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })) })),
        response: { 200: ResultSchema, ...errorResponses },
      },
    },
    async (request) => deps.tests.provider(contextOf(request).actor, request.params.id, request.body?.to),
  );

  app.post(
    '/api/v1/users/:id/test-notification',
    {
      schema: {
        tags: ['notifications'],
        summary: "Send a test to a person through each verified method (yourself, or anyone for an administrator)",
        params: IdParams,
        response: { 200: Type.Object({ data: Type.Array(ResultSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: await deps.tests.person(contextOf(request).actor, request.params.id) }),
  );
}
