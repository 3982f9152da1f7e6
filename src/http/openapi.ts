import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Api } from '../core/api.js';
import { markRoutesPublic } from './auth.js';

/** The bell of the console's favicon, so /docs carries Tocsin's mark rather than the Swagger UI default. */
const BELL_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 24 24" fill="none" stroke="#e8590c" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M10 5a2 2 0 1 1 4 0a7 7 0 0 1 4 6v3a4 4 0 0 0 2 3h-16a4 4 0 0 0 2 -3v-3a7 7 0 0 1 4 -6"/><path d="M9 17v1a3 3 0 0 0 6 0v-1"/></svg>',
);

/** Swagger UI's top bar in Tocsin's colours, with a product name beside the mark. */
const DOCS_CSS = [
  '.swagger-ui .topbar{background:#1f2328;padding:8px 0}',
  '.swagger-ui .topbar a{max-width:none}',
  ".swagger-ui .topbar a::after{content:'Tocsin API reference';color:#fff;font:600 18px system-ui,sans-serif;margin-left:10px}",
  '.swagger-ui .topbar .download-url-wrapper{display:none}',
].join('');

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
    await scope.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true },
      logo: { type: 'image/svg+xml', content: BELL_SVG, href: '/', target: '_self' },
      theme: {
        title: 'Tocsin API reference',
        css: [{ filename: 'tocsin.css', content: DOCS_CSS }],
        favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: BELL_SVG }],
      },
    });
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
