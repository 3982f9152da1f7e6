import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Api } from '../core/api.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Integration } from './integration-model.js';
import { SourceError, type NormalizedEvent, type SourceInput, type SourceMapper } from './model.js';
import type { IntegrationsService } from './service.js';
import type { IngestService, EventResult } from './ingest-service.js';
import { IntegrationRateLimiter } from './rate-limit.js';
import { limitEvents, TooLargeError } from './sources/limits.js';
import { PAGERDUTY_OPERATIONS, SOURCE_FACTORIES, SOURCES } from './sources/index.js';
import { GRAFANA_SIGNATURE_HEADER, verifyGrafanaSignature } from './sources/grafana.js';
import { validatePagerDutyChangeEvent, validatePagerDutyEvent } from './sources/pagerduty.js';
import type { CustomMapperSettings } from './sources/custom.js';
import type { CloudWatchOptions } from './sources/cloudwatch.js';
import type { createSnsGate } from './sns.js';
import type { ChangeEvents } from './change-events.js';
import { registerOpsgenieRoutes } from './opsgenie-routes.js';
import { registerOncallRoutes } from './oncall-routes.js';
import type { OpsgenieService } from './opsgenie-service.js';

export interface PushDeps {
  readonly integrations: IntegrationsService;
  readonly ingest: IngestService;
  readonly clock: Clock;
  readonly sns: ReturnType<typeof createSnsGate>;
  /** Keeps change events and notes them on open incidents (PagerDuty `/v2/change/enqueue`). */
  readonly changes?: ChangeEvents | undefined;
  readonly opsgenie: OpsgenieService;
  /** A heartbeat integration was pinged (re-arms its dead man's switch). */
  readonly onHeartbeat?: (integration: Integration, now: number) => Promise<void>;
}

/** Push paths of SPEC §3.1 served under /event/push/alert/<path>. */
const PUSH_PATHS = ['standard', 'prometheus', 'grafana', 'zabbix', 'nagios', 'cloudwatch', 'datadog', 'custom'] as const;
type PushPath = (typeof PUSH_PATHS)[number];

const PUSH_BODY_LIMIT = 5 * 1024 * 1024;

function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function inputOf(request: FastifyRequest, now: number): SourceInput {
  return {
    body: request.body,
    rawBody: request.rawBody ?? (typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null)),
    query: request.query as Record<string, string | undefined>,
    headers: headersOf(request),
    params: request.params as Record<string, string | undefined>,
    now,
  };
}

/**
 * The 4xx for a payload a mapper refused. Mappers are pure functions of the payload, so anything else
 * they throw (a RangeError, a URIError…) was also caused by the payload: it is refused, never a 5xx.
 */
function refusalOf(error: unknown, request: FastifyRequest): AppError {
  if (error instanceof TooLargeError) return new AppError('PayloadTooLarge', error.message, error.field);
  if (error instanceof SourceError) return new AppError('InvalidParameter', error.message, error.field);
  if (error instanceof AppError) return error;
  request.log.warn({ err: error }, 'a source mapper failed on a payload');
  return new AppError('InvalidParameter', 'body: could not be read as this source\'s payload', 'body');
}

function rawOf(request: FastifyRequest) {
  return { contentType: request.headers['content-type'] ?? '', payload: request.rawBody ?? '' };
}

/** The mapper for an integration, built from its source options where the source needs them. */
function mapperFor(integration: Integration): SourceMapper {
  const options = integration.settings.sourceOptions;
  if (integration.source === 'custom') return SOURCE_FACTORIES.custom(options as unknown as CustomMapperSettings);
  if (integration.source === 'cloudwatch') return SOURCE_FACTORIES.cloudwatch(options as CloudWatchOptions);
  if (integration.source === 'email') throw new AppError('InvalidParameter', 'integration_key: belongs to an email integration; send mail to its address', 'integration_key');
  return SOURCES[integration.source];
}

/**
 * Ingestion endpoints. They authenticate by integration key, never by session, and answer 4xx for
 * bad input (Alertmanager and most senders retry 5xx, which would only repeat the bad payload).
 */
export function registerPushRoutes(app: Api, deps: PushDeps): void {
  const limiter = new IntegrationRateLimiter();

  /** Key → integration, rate limit; throws the envelope errors of SPEC §3.1. */
  async function admit(key: string | undefined, expected: Integration['source'] | undefined): Promise<Integration> {
    if (!key) throw new AppError('Unauthorized', 'integration_key: is required (query parameter or Authorization: Bearer)', 'integration_key');
    const integration = await deps.integrations.resolveKey(key);
    if (!integration) throw new AppError('Unauthorized', 'integration_key: is not a valid integration key', 'integration_key');
    if (expected && integration.source !== expected) {
      throw new AppError('InvalidParameter', `integration_key: belongs to a ${integration.source} integration; push to its own URL`, 'integration_key');
    }
    if (integration.disabled) throw new AppError('AccessDenied', 'integration_key: the integration is disabled', 'integration_key');
    const wait = limiter.admit(integration.id, integration.settings.rateLimit, deps.clock.now());
    if (wait > 0) throw new AppError('RequestTooFrequently', `too many requests for this integration; retry in ${wait} s`, undefined, wait);
    return integration;
  }

  /** Maps with the source mapper, counting and keeping refused payloads. */
  async function mapOrReject(integration: Integration, request: FastifyRequest, mapper: SourceMapper): Promise<NormalizedEvent[]> {
    try {
      return limitEvents(mapper(inputOf(request, deps.clock.now())));
    } catch (error) {
      const refusal = refusalOf(error, request);
      await deps.ingest.reject(integration, rawOf(request), refusal.message);
      throw refusal;
    }
  }

  function keyFromRequest(request: FastifyRequest): string | undefined {
    const fromQuery = (request.query as Record<string, string | undefined>).integration_key;
    if (fromQuery) return fromQuery;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    return match?.[1];
  }

  function unroutable(results: readonly EventResult[]): boolean {
    return results.length > 0 && results.every((r) => r.outcome === 'rejected');
  }

  for (const path of PUSH_PATHS) {
    app.post(
      `/event/push/alert/${path}`,
      {
        config: { public: true },
        bodyLimit: PUSH_BODY_LIMIT,
        schema: {
          tags: ['ingest'],
          summary: `Push ${path} events`,
          querystring: Type.Object({ integration_key: Type.Optional(Type.String()), severity: Type.Optional(Type.String()) }, { additionalProperties: true }),
        },
      },
      async (request, reply) => handlePush(path, request, reply),
    );
  }

  async function handlePush(path: PushPath, request: FastifyRequest, reply: FastifyReply) {
    const integration = await admit(keyFromRequest(request), path === 'prometheus' ? 'prometheus' : path);
    if (path === 'grafana') checkGrafanaSignature(integration, request);
    if (path === 'cloudwatch') {
      const pinned = (integration.settings.sourceOptions as { topic_arn?: string }).topic_arn;
      const isNotification = await deps.sns.admit(request.body, { topicArn: pinned }).catch((error: unknown) => {
        throw error instanceof SourceError ? refusalOf(error, request) : error;
      });
      if (!isNotification) return { request_id: String(request.id), data: { alert_key: null, alert_keys: [] } };
    }
    const events = await mapOrReject(integration, request, mapperFor(integration));
    const results = await deps.ingest.ingest(integration, events, rawOf(request));
    if (unroutable(results)) throw new AppError('Unroutable', `routing: ${results[0]?.detail ?? 'no channel matched'}`, 'routing');
    const keys = results.map((r) => r.alertKey ?? null);
    // Accepted but not stored (drop rule, silence that discards, disabled channel): say so and why.
    const dropped = results.filter((r) => r.outcome === 'dropped').map((r) => ({ alert_key: r.alertKey ?? null, reason: r.detail ?? 'dropped' }));
    return reply.send({ request_id: String(request.id), data: { alert_key: keys[0] ?? null, alert_keys: keys, ...(dropped.length > 0 && { dropped }) } });
  }

  function checkGrafanaSignature(integration: Integration, request: FastifyRequest): void {
    const options = integration.settings.sourceOptions as { hmac_secret?: string; signature_header?: string; timestamp_header?: string };
    if (!options.hmac_secret) return;
    const result = verifyGrafanaSignature({
      rawBody: request.rawBody ?? '',
      headers: headersOf(request),
      secret: options.hmac_secret,
      headerName: options.signature_header ?? GRAFANA_SIGNATURE_HEADER,
      timestampHeader: options.timestamp_header,
      now: deps.clock.now(),
    });
    if (!result.ok) throw new AppError('Unauthorized', `signature: ${result.reason}`, 'signature');
  }

  // Heartbeat pings (SPEC §3.1): POST from Prometheus' Watchdog, GET from a cron job's curl.
  for (const method of ['POST', 'GET'] as const) {
    app.route({
      method,
      url: '/event/push/heartbeat',
      config: { public: true },
      bodyLimit: 64 * 1024,
      schema: { tags: ['ingest'], summary: `Heartbeat ping (${method}); any or no body`, querystring: Type.Object({ integration_key: Type.Optional(Type.String()) }, { additionalProperties: true }) },
      handler: async (request, reply) => {
        const integration = await admit(keyFromRequest(request), 'heartbeat');
        const now = deps.clock.now();
        await deps.ingest.ingest(integration, SOURCES.heartbeat(inputOf(request, now)), rawOf(request));
        await deps.onHeartbeat?.(integration, now);
        return reply.send({ request_id: String(request.id), data: { alert_key: 'heartbeat' } });
      },
    });
  }

  // Opsgenie's heartbeat ping (SPEC §3.1): the GenieKey names the heartbeat integration; the
  // heartbeat name in the path is accepted as is (one integration is one heartbeat).
  for (const method of ['POST', 'GET'] as const) {
    app.route({
      method,
      url: '/v2/heartbeats/:name/ping',
      config: { public: true },
      bodyLimit: 64 * 1024,
      schema: { tags: ['ingest'], summary: `Opsgenie heartbeat ping (${method}) onto a heartbeat integration (Authorization: GenieKey KEY)` },
      handler: async (request, reply) => {
        const started = process.hrtime.bigint();
        const took = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000;
        const match = /^GenieKey\s+(\S+)$/i.exec(request.headers.authorization ?? '');
        try {
          const integration = await admit(match?.[1], 'heartbeat');
          const now = deps.clock.now();
          await deps.ingest.ingest(integration, SOURCES.heartbeat(inputOf(request, now)), rawOf(request));
          await deps.onHeartbeat?.(integration, now);
          return reply.code(202).send({ result: 'PONG - Heartbeat received', took: took(), requestId: String(request.id) });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return reply.code(error.code === 'InvalidParameter' ? 422 : error.status).send({ message: error.message, took: took(), requestId: String(request.id) });
        }
      },
    });
  }

  registerPagerDuty(app, deps, admit, mapOrReject);
  registerOpsgenieRoutes(app, { ingest: deps.ingest, clock: deps.clock, opsgenie: deps.opsgenie, admit });
  registerOncallRoutes(app, { ingest: deps.ingest, admit, mapOrReject });
}

type Admit = (key: string | undefined, expected: Integration['source'] | undefined) => Promise<Integration>;
type MapOrReject = (integration: Integration, request: FastifyRequest, mapper: SourceMapper) => Promise<NormalizedEvent[]>;

/** PagerDuty Events API v2, answered in PagerDuty's own shapes so its clients work unchanged. */
function registerPagerDuty(app: Api, deps: PushDeps, admit: Admit, mapOrReject: MapOrReject): void {
  const invalid = (reply: FastifyReply, errors: string[]) => reply.code(400).send({ status: 'invalid event', message: 'Event object is invalid', errors });

  for (const [path, operation] of [
    ['/v2/enqueue', 'enqueue'],
    ['/v2/change/enqueue', 'change'],
  ] as const) {
    app.post(path, { config: { public: true }, bodyLimit: 512 * 1024, schema: { tags: ['ingest'], summary: `PagerDuty Events API v2 (${operation})` } }, async (request, reply) => {
      const body = request.body as { routing_key?: unknown } | undefined;
      const key = typeof body?.routing_key === 'string' ? body.routing_key : undefined;
      let integration: Integration;
      try {
        integration = await admit(key, 'pagerduty');
      } catch (error) {
        if (error instanceof AppError && error.code === 'RequestTooFrequently') {
          return reply.code(429).header('retry-after', String(error.retryAfterSeconds ?? 1)).send({ status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' });
        }
        if (error instanceof AppError) return invalid(reply, [key ? error.message : 'routing_key: is required']);
        throw error;
      }
      const problems = operation === 'change' ? validatePagerDutyChangeEvent(request.body) : validatePagerDutyEvent(request.body);
      if (problems.length > 0) {
        await deps.ingest.reject(integration, { contentType: request.headers['content-type'] ?? '', payload: request.rawBody ?? '' }, problems.join('; '));
        return invalid(reply, problems);
      }
      const events = await mapOrReject(integration, request, PAGERDUTY_OPERATIONS[operation]);
      const results = await deps.ingest.ingest(integration, events, { contentType: request.headers['content-type'] ?? '', payload: request.rawBody ?? '' });
      if (operation === 'change') await deps.changes?.record(integration, events);
      if (results.length > 0 && results.every((r) => r.outcome === 'rejected')) return invalid(reply, [`routing: ${results[0]?.detail ?? 'no channel matched'}`]);
      const dedupKey = results[0]?.alertKey;
      return reply.code(202).send({ status: 'success', message: 'Event processed', ...(dedupKey && operation === 'enqueue' && { dedup_key: dedupKey }) });
    });
  }
}
