import { Type } from 'typebox';
import type { Api } from '../core/api.js';
import type { CallbackService } from './callback-service.js';

/**
 * `POST /callbacks/<vendor>/<config id>/<kind>` — Twilio (`sms`, `status`, `gather`), Slack
 * (`interactivity`). The URL the vendor signed is rebuilt from TOCSIN_PUBLIC_URL plus the path and
 * query exactly as received.
 */
export function registerCallbackRoutes(app: Api, deps: { callbacks: CallbackService; publicUrl: string }): void {
  app.post(
    '/callbacks/:vendor/:config/:kind',
    {
      config: { public: true },
      schema: { hide: true, params: Type.Object({ vendor: Type.String({ maxLength: 32 }), config: Type.String({ maxLength: 64 }), kind: Type.String({ maxLength: 32 }) }) },
    },
    async (request, reply) => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      const outcome = await deps.callbacks.handle(request.params.config, { method: 'POST', url: `${deps.publicUrl}${request.url}`, headers, rawBody: request.rawBody ?? '' });
      if (outcome.kind === 'not_found') return reply.code(404).send({ error: { code: 'ResourceNotFound', message: 'no such callback' }, request_id: String(request.id) });
      if (outcome.kind === 'forged') return reply.code(401).send({ error: { code: 'Unauthorized', message: 'signature does not verify' }, request_id: String(request.id) });
      if (!outcome.response) return reply.code(204).send();
      return reply.code(outcome.response.status).type(outcome.response.contentType).send(outcome.response.body);
    },
  );
}
