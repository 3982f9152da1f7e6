/**
 * Opsgenie Alert API v2, as Opsgenie's official clients call it (issue 14): every path also with a
 * trailing slash (the npm `opsgenie-sdk` adds one), an empty body with a JSON content type where
 * Opsgenie takes no body (the Python SDK sends one), identifier types id / alias / tiny, request
 * statuses, and Opsgenie's error shape `{message, took, requestId}` with its status codes.
 *
 * The routes live in their own encapsulated Fastify context so the lenient JSON parser and the error
 * shape apply to them only; every other endpoint keeps refusing empty JSON bodies.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Api } from '../core/api.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Integration } from './integration-model.js';
import { SourceError, type NormalizedEvent, type SourceInput, type SourceMapper } from './model.js';
import type { IngestService, EventResult } from './ingest-service.js';
import { OPSGENIE_OPERATIONS } from './sources/index.js';
import { bodyObject, optionalString } from './sources/read.js';
import { parseIdentifier, snoozeMinutes, type IdentifierLookup, type OpsgenieAction } from './opsgenie-model.js';
import { OpsgenieActionError, type OpsgenieService } from './opsgenie-service.js';

type Admit = (key: string | undefined, expected: Integration['source'] | undefined) => Promise<Integration>;

export interface OpsgenieRouteDeps {
  readonly ingest: IngestService;
  readonly clock: Clock;
  readonly opsgenie: OpsgenieService;
  readonly admit: Admit;
}

const BODY_LIMIT = 512 * 1024;
const NOTE_MAX = 25_000;

/** An error answered as `{message, took, requestId}` with `status`. */
class OpsgenieError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const took = (reply: FastifyReply) => Math.round(reply.elapsedTime) / 1000;

const requestIds = new WeakMap<FastifyRequest, string>();

/**
 * Opsgenie's `requestId`, also the key of the stored request status. Generated here rather than taken
 * from Fastify's request id, which a client may set (X-Request-ID) to any text, or to another's id.
 */
function requestIdOf(request: FastifyRequest): string {
  let id = requestIds.get(request);
  if (!id) {
    id = newId();
    requestIds.set(request, id);
  }
  return id;
}

function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Opsgenie statuses for Tocsin's errors: identifier problems 400, body problems 422 ("not processable"). */
function statusOf(error: unknown): { status: number; message: string; retryAfter?: number | undefined } | undefined {
  if (error instanceof OpsgenieError || error instanceof OpsgenieActionError) return { status: error.status, message: error.message };
  if (error instanceof SourceError) return { status: error.field.startsWith('identifier') ? 400 : 422, message: error.message };
  if (error instanceof AppError) {
    if (error.code === 'InvalidParameter') return { status: error.field === 'body' ? 400 : 422, message: error.message };
    return { status: error.status, message: error.message, retryAfter: error.retryAfterSeconds };
  }
  const fastifyError = error as { code?: string; statusCode?: number; validation?: unknown; message?: string };
  if (fastifyError.validation) return { status: 422, message: fastifyError.message ?? 'request is invalid' };
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: 'body: is too large' };
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, message: 'Content-Type: send application/json' };
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) return { status: fastifyError.statusCode, message: fastifyError.message ?? 'bad request' };
  return undefined;
}

/** Registers each path with and without a trailing slash (hidden from the OpenAPI description). */
function both(path: string): [string, boolean][] {
  return [
    [path, false],
    [`${path}/`, true],
  ];
}

export function registerOpsgenieRoutes(app: Api, deps: OpsgenieRouteDeps): void {
  void app.register(async (scope) => {
    // Opsgenie takes close/acknowledge/... without a body; its Python SDK still says application/json.
    scope.removeContentTypeParser(['application/json', 'application/*+json']);
    scope.addContentTypeParser(['application/json', 'application/*+json'], { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      request.rawBody = text;
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text) as unknown);
      } catch {
        done(new AppError('InvalidParameter', 'body: is not valid JSON', 'body'));
      }
    });
    scope.setErrorHandler((error, request, reply) => {
      const known = statusOf(error);
      if (!known) {
        request.log.error({ err: error }, 'unhandled error');
        return reply.code(500).send({ message: `internal error; quote request id ${requestIdOf(request)} when reporting it`, took: took(reply), requestId: requestIdOf(request) });
      }
      if (known.retryAfter) void reply.header('retry-after', String(known.retryAfter));
      return reply.code(known.status).send({ message: known.message, took: took(reply), requestId: requestIdOf(request) });
    });
    registerAll(scope, deps);
  });
}

function registerAll(app: Api, deps: OpsgenieRouteDeps): void {
  const { opsgenie } = deps;

  async function integrationOf(request: FastifyRequest): Promise<Integration> {
    const match = /^GenieKey\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    try {
      return await deps.admit(match?.[1], 'opsgenie');
    } catch (error) {
      if (error instanceof AppError && error.code === 'Unauthorized') throw new OpsgenieError(401, 'Could not authenticate: send Authorization: GenieKey <integration key>');
      // A key of another kind of integration, or a disabled one: authenticated but not allowed here.
      if (error instanceof AppError && error.field === 'integration_key') throw new OpsgenieError(403, error.message);
      throw error;
    }
  }

  const raw = (request: FastifyRequest) => ({ contentType: request.headers['content-type'] ?? '', payload: request.rawBody ?? '' });

  /** Runs a mapper, keeping a refused payload on the integration card like every push endpoint. */
  async function mapped(integration: Integration, request: FastifyRequest, mapper: SourceMapper, overrides: Partial<SourceInput> = {}): Promise<NormalizedEvent[]> {
    const input: SourceInput = {
      body: request.body,
      rawBody: request.rawBody ?? '',
      query: request.query as Record<string, string | undefined>,
      headers: headersOf(request),
      params: request.params as Record<string, string | undefined>,
      now: deps.clock.now(),
      ...overrides,
    };
    try {
      return mapper(input);
    } catch (error) {
      if (error instanceof SourceError) await deps.ingest.reject(integration, raw(request), error.message);
      throw error;
    }
  }

  function lookupOf(request: FastifyRequest): IdentifierLookup {
    const params = request.params as { identifier?: string };
    const query = request.query as { identifierType?: string };
    return parseIdentifier(params.identifier, query.identifierType);
  }

  const accepted = (reply: FastifyReply, request: FastifyRequest) => reply.code(202).send({ result: 'Request will be processed', took: took(reply), requestId: requestIdOf(request) });

  function bodyOf(request: FastifyRequest): Record<string, unknown> {
    const body = request.body;
    return body === undefined || body === null || body === '' ? {} : bodyObject(body);
  }

  function outcomeStatus(action: 'create' | 'close' | 'acknowledge', result: EventResult | undefined): { success: boolean; status: string; alertId?: string | undefined } {
    if (!result) return { success: false, status: 'No event was produced' };
    if (result.outcome !== 'accepted') return { success: false, status: result.detail ?? `The request was ${result.outcome}` };
    const applied = result.applied?.find((a) => 'alertId' in a);
    const alertId = applied && 'alertId' in applied ? applied.alertId : undefined;
    const kind = applied?.kind ?? result.applied?.[0]?.kind;
    if (action === 'create') return { success: true, status: kind === 'created' ? 'Created alert' : 'Alert with the same alias is open: its count was increased', alertId };
    if (kind === 'ignored' || alertId === undefined) return { success: false, status: 'Alert does not exist or is already closed' };
    return { success: true, status: action === 'close' ? 'Closed alert' : 'Acknowledged alert', alertId };
  }

  // Create: POST /v2/alerts
  for (const [path, hide] of both('/v2/alerts')) {
    app.post(path, { config: { public: true }, bodyLimit: BODY_LIMIT, schema: { hide, tags: ['ingest'], summary: 'Opsgenie Alert API: create alert' } }, async (request, reply) => {
      const integration = await integrationOf(request);
      const events = await mapped(integration, request, OPSGENIE_OPERATIONS.create);
      const results = await deps.ingest.ingest(integration, events, raw(request));
      if (results.length > 0 && results.every((r) => r.outcome === 'rejected')) throw new OpsgenieError(422, `routing: ${results[0]?.detail ?? 'no channel matched'}`);
      const outcome = outcomeStatus('create', results[0]);
      await opsgenie.record({ requestId: requestIdOf(request), integration, action: 'create', ...outcome, alias: results[0]?.alertKey });
      return accepted(reply, request);
    });
  }

  // Close and acknowledge: events for the alert's alias, through the ingest pipeline.
  for (const operation of ['close', 'acknowledge'] as const) {
    for (const [path, hide] of both(`/v2/alerts/:identifier/${operation}`)) {
      app.post(path, { config: { public: true }, bodyLimit: BODY_LIMIT, schema: { hide, tags: ['ingest'], summary: `Opsgenie Alert API: ${operation} alert` } }, async (request, reply) => {
        const lookup = lookupOf(request);
        const integration = await integrationOf(request);
        const alert = await opsgenie.find(integration, lookup);
        if (!alert && lookup.type !== 'alias' && lookup.type !== 'id-or-alias') {
          await opsgenie.record({ requestId: requestIdOf(request), integration, action: operation, success: false, status: 'Alert does not exist' });
          return accepted(reply, request);
        }
        const alias = alert?.alert_key ?? lookup.value;
        const events = await mapped(integration, request, OPSGENIE_OPERATIONS[operation], { params: { identifier: alias }, query: { ...(request.query as Record<string, string>), identifierType: 'alias' } });
        const results = await deps.ingest.ingest(integration, events, raw(request));
        const outcome = outcomeStatus(operation, results[0]);
        await opsgenie.record({ requestId: requestIdOf(request), integration, action: operation, ...outcome, alertId: outcome.alertId ?? alert?.id, alias });
        return accepted(reply, request);
      });
    }
  }

  /** An action on an existing alert that is not an event (notes, snooze, escalate, assign). */
  function alertAction(action: Exclude<OpsgenieAction, 'create' | 'close' | 'acknowledge'>, perform: (request: FastifyRequest, alert: NonNullable<Awaited<ReturnType<OpsgenieService['find']>>>) => Promise<void>, validate?: (request: FastifyRequest) => void) {
    for (const [path, hide] of both(`/v2/alerts/:identifier/${action}`)) {
      app.post(path, { config: { public: true }, bodyLimit: BODY_LIMIT, schema: { hide, tags: ['ingest'], summary: `Opsgenie Alert API: ${action}` } }, async (request, reply) => {
        const lookup = lookupOf(request);
        const integration = await integrationOf(request);
        validate?.(request);
        const alert = await opsgenie.find(integration, lookup);
        const record = (success: boolean, status: string) =>
          opsgenie.record({ requestId: requestIdOf(request), integration, action, success, status, alertId: alert?.id, alias: alert?.alert_key ?? (lookup.type === 'alias' ? lookup.value : undefined) });
        if (!alert) {
          await record(false, 'Alert does not exist');
          return accepted(reply, request);
        }
        try {
          await perform(request, alert);
        } catch (error) {
          if (!(error instanceof OpsgenieActionError)) throw error;
          await record(false, error.message);
          throw error;
        }
        await record(true, `${action} done`);
        return accepted(reply, request);
      });
    }
  }

  alertAction(
    'notes',
    async (request, alert) => {
      const body = bodyOf(request);
      await opsgenie.addNote(alert, optionalString(body, 'note', 'note') ?? '', optionalString(body, 'user', 'user'));
    },
    (request) => {
      const note = optionalString(bodyOf(request), 'note', 'note');
      if (note === undefined || note.trim() === '') throw new SourceError('note', 'is required');
      if (note.length > NOTE_MAX) throw new SourceError('note', `must be at most ${NOTE_MAX} characters`);
    },
  );
  alertAction(
    'snooze',
    async (request, alert) => opsgenie.snooze(alert, snoozeMinutes(bodyOf(request).endTime, deps.clock.now())),
    (request) => void snoozeMinutes(bodyOf(request).endTime, deps.clock.now()),
  );
  alertAction('escalate', async (request, alert) => opsgenie.escalate(alert, bodyOf(request)));
  alertAction('assign', async (request, alert) => opsgenie.assign(alert, bodyOf(request)));

  // Request status: GET /v2/alerts/requests/{requestId} (the SDKs poll it after every call).
  for (const [path, hide] of both('/v2/alerts/requests/:requestId')) {
    app.get(
      path,
      { config: { public: true }, schema: { hide, tags: ['ingest'], summary: 'Opsgenie Alert API: status of an earlier request', params: Type.Object({ requestId: Type.String({ maxLength: 64 }) }) } },
      async (request, reply) => {
        const integration = await integrationOf(request);
        const status = await opsgenie.requestStatus(integration, request.params.requestId);
        if (!status) throw new OpsgenieError(404, 'Request does not exist');
        return reply.send({ data: status, took: took(reply), requestId: requestIdOf(request) });
      },
    );
  }

  // Get alert: GET /v2/alerts/{identifier}
  for (const [path, hide] of both('/v2/alerts/:identifier')) {
    app.get(path, { config: { public: true }, schema: { hide, tags: ['ingest'], summary: 'Opsgenie Alert API: get alert' } }, async (request, reply) => {
      const lookup = lookupOf(request);
      const integration = await integrationOf(request);
      const alert = await opsgenie.view(integration, lookup);
      if (!alert) throw new OpsgenieError(404, 'Alert does not exist');
      return reply.send({ data: alert, took: took(reply), requestId: requestIdOf(request) });
    });
  }
}
