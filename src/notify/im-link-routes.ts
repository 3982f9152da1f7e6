import { Type } from 'typebox';
import { type Api, errorResponses, NoContent } from '../core/api.js';
import { contextOf } from '../people/request-context.js';
import type { ImLinkService } from './im-link-service.js';

const ProviderParams = Type.Object({ provider_id: Type.String({ minLength: 1, maxLength: 64 }) });
const LinkSchema = Type.Object({
  provider_id: Type.String(),
  provider_name: Type.String(),
  provider: Type.String(),
  linked: Type.Boolean(),
  display_name: Type.Union([Type.String(), Type.Null()]),
  linked_at: Type.Union([Type.Integer(), Type.Null()]),
  ready: Type.Boolean({ description: 'the bot has a username and a webhook secret, so a chat can be linked' }),
});

/** `/api/v1/me/im-links`: my chats on IM bots that need linking (Telegram), deep links, unlinking. */
export function registerImLinkRoutes(app: Api, deps: { links: ImLinkService }): void {
  app.get(
    '/api/v1/me/im-links',
    { schema: { tags: ['me'], summary: 'My chats on IM bots that reach me only once I link them (Telegram)', response: { 200: Type.Object({ data: Type.Array(LinkSchema) }), ...errorResponses } } },
    async (request) => ({ data: await deps.links.list(contextOf(request).actor.person.id) }),
  );

  app.post(
    '/api/v1/me/im-links/:provider_id',
    {
      schema: {
        tags: ['me'],
        summary: 'A one-time deep link (t.me/<bot>?start=…, 15 minutes) that links my chat with the bot when I open it',
        params: ProviderParams,
        response: { 201: Type.Object({ url: Type.String(), expires_at: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await deps.links.start(contextOf(request).actor.person.id, request.params.provider_id)),
  );

  app.delete(
    '/api/v1/me/im-links/:provider_id',
    { schema: { tags: ['me'], summary: 'Unlink my chat from the bot', params: ProviderParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await deps.links.unlink(contextOf(request).actor.person.id, request.params.provider_id);
      return reply.code(204).send(null);
    },
  );
}
