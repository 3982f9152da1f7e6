/**
 * Grafana OnCall inbound URLs (SPEC §3.1, issue 14): `POST /integrations/v1/<kind>/<token>/`, the token
 * being a Tocsin integration key, so moving from OnCall is changing the host and the token. Answers
 * like the other push endpoints (200 with the alert keys; 4xx, never 5xx, for bad input).
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Api } from '../core/api.js';
import { AppError } from '../core/errors.js';
import type { Integration } from './integration-model.js';
import type { NormalizedEvent, SourceMapper } from './model.js';
import type { IngestService } from './ingest-service.js';
import { ONCALL_KINDS, ONCALL_MAPPERS, ONCALL_SOURCES, type OncallKind } from './sources/grafana-oncall.js';

type Admit = (key: string | undefined, expected: Integration['source'] | undefined) => Promise<Integration>;
type MapOrReject = (integration: Integration, request: FastifyRequest, mapper: SourceMapper) => Promise<NormalizedEvent[]>;

export function registerOncallRoutes(app: Api, deps: { ingest: IngestService; admit: Admit; mapOrReject: MapOrReject }): void {
  const params = Type.Object({ kind: Type.Union(ONCALL_KINDS.map((k) => Type.Literal(k))), token: Type.String({ maxLength: 64 }) });
  for (const [path, hide] of [
    ['/integrations/v1/:kind/:token/', false],
    ['/integrations/v1/:kind/:token', true],
  ] as const) {
    app.post(path, { config: { public: true }, bodyLimit: 5 * 1024 * 1024, schema: { hide, tags: ['ingest'], summary: 'Grafana OnCall inbound URL (token = integration key)', params } }, async (request, reply) => {
      const kind = request.params.kind as OncallKind;
      const integration = await deps.admit(request.params.token, undefined);
      if (!ONCALL_SOURCES[kind].includes(integration.source)) {
        throw new AppError('InvalidParameter', `token: belongs to a ${integration.source} integration; ${kind} takes a key of a ${ONCALL_SOURCES[kind].join(' or ')} integration`, 'token');
      }
      const events = await deps.mapOrReject(integration, request, ONCALL_MAPPERS[kind]);
      const raw = { contentType: request.headers['content-type'] ?? '', payload: request.rawBody ?? '' };
      const results = await deps.ingest.ingest(integration, events, raw);
      if (results.length > 0 && results.every((r) => r.outcome === 'rejected')) throw new AppError('Unroutable', `routing: ${results[0]?.detail ?? 'no channel matched'}`, 'routing');
      const keys = results.map((r) => r.alertKey ?? null);
      return reply.send({ request_id: String(request.id), data: { alert_key: keys[0] ?? null, alert_keys: keys } });
    });
  }
}
