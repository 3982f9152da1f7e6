import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Api } from '../core/api.js';
import { markRoutesPublic } from './auth.js';

/** OpenAPI 3.1 built from the route schemas, served at /openapi.json with an interactive reference at /docs. */
export async function registerOpenApi(app: Api, info: { version: string; publicUrl: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tocsin API',
        version: info.version,
        description:
          'On-call alerting and incident response. Authenticate with the console session cookie (writes then need the X-CSRF-Token header) or `Authorization: Bearer <API key>`. Errors use one envelope: `{"error": {"code", "message", "field"}, "request_id"}`. Lists take `limit` (≤100) and `cursor` and return `{"data": [...], "next_cursor"}`.',
      },
      servers: [{ url: info.publicUrl }],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'tocsin_session' } } },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  // The reference UI is a static page anyone may load (the spec itself is public too).
  await app.register(async (scope) => {
    markRoutesPublic(scope);
    await scope.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
