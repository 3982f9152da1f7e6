import { Type } from 'typebox';
import type { Registry } from 'prom-client';
import type { Api } from '../core/api.js';
import { ErrorBody } from '../core/api.js';
import { ping, type Db } from '../db/connect.js';
import { contextOf } from '../people/request-context.js';
import { unauthorized } from '../core/errors.js';
import { constantTimeEqual } from '../core/secrets.js';

/** Liveness, readiness, Prometheus metrics and version information. */
export function registerSystemRoutes(app: Api, deps: { db: Db; metrics: Registry; version: string; devMode: boolean; metricsToken?: string | undefined }): void {
  const Status = Type.Object({ status: Type.String() });

  app.get('/healthz', { config: { public: true }, schema: { tags: ['system'], summary: 'The process is alive', response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { config: { public: true }, schema: { tags: ['system'], summary: 'The database is reachable and migrated', response: { 200: Status, 503: ErrorBody } } },
    async (request, reply) => {
      const problem = !deps.db.migrated ? 'migrations have not completed' : await ping(deps.db).then(() => undefined, (e: Error) => `database unreachable: ${e.message}`);
      if (!problem) return { status: 'ready' };
      return reply.code(503).header('retry-after', '5').send({ error: { code: 'ServiceUnavailable', message: problem }, request_id: String(request.id) });
    },
  );

  // Public to the sign-in check (Prometheus has no session); TOCSIN_METRICS_TOKEN adds its own bearer token.
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (deps.metricsToken !== undefined) {
      const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!constantTimeEqual(sent, deps.metricsToken)) throw unauthorized('GET /metrics needs Authorization: Bearer <TOCSIN_METRICS_TOKEN>');
    }
    const body = await deps.metrics.metrics();
    return reply.type(deps.metrics.contentType).send(body);
  });

  app.get(
    '/api/v1/system',
    {
      schema: {
        tags: ['system'],
        summary: 'Version and deployment facts',
        response: { 200: Type.Object({ version: Type.String(), database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]), dev_mode: Type.Boolean() }) },
      },
    },
    async (request) => {
      contextOf(request);
      return { version: deps.version, database: deps.db.dialect, dev_mode: deps.devMode };
    },
  );
}
