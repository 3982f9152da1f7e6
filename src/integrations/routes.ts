import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageParams } from '../core/api.js';
import { pageLoaded, pageRequest } from '../db/pagination.js';
import { contextOf } from '../people/request-context.js';
import { SOURCE_NAMES, type RateLimit } from './integration-model.js';
import type { IntegrationsService, IntegrationView } from './service.js';

const SourceSchema = Type.Union(SOURCE_NAMES.map((s) => Type.Literal(s)), { description: 'the push path name (SPEC §3.1)' });

const SettingsSchema = Type.Object(
  {
    rate_limit: Type.Optional(Type.Object({ per_second: Type.Optional(Type.Integer()), per_minute: Type.Optional(Type.Integer()) })),
    source_options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    enrichment: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 50 })),
    pipeline: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 50 })),
    routing: Type.Optional(Type.Unknown()),
    interval_s: Type.Optional(Type.Integer({ description: 'heartbeat: seconds between expected beats' })),
    grace_s: Type.Optional(Type.Integer({ description: 'heartbeat: extra seconds before a missed beat opens an incident' })),
  },
  { description: 'rate limit, source options, label enrichment, pipeline and (shared integrations) routing' },
);

const IntegrationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  source: Type.String(),
  channel_id: Type.Union([Type.String(), Type.Null()], { description: 'null for shared integrations' }),
  team_id: Type.Union([Type.String(), Type.Null()]),
  integration_key: Type.Union([Type.String(), Type.Null()], { description: 'shown to those who may manage the integration' }),
  push_url: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  last_event_at: Type.Union([Type.Integer(), Type.Null()], { description: 'latest event time, unix ms' }),
  settings: Type.Object({
    rate_limit: Type.Object({ per_second: Type.Integer(), per_minute: Type.Integer() }),
    source_options: Type.Record(Type.String(), Type.Unknown()),
    enrichment: Type.Array(Type.Unknown()),
    pipeline: Type.Array(Type.Unknown()),
    routing: Type.Unknown(),
  }),
  created_at: Type.Integer(),
});

type SettingsBody = {
  rate_limit?: { per_second?: number; per_minute?: number };
  source_options?: Record<string, unknown>;
  enrichment?: unknown[];
  pipeline?: unknown[];
  routing?: unknown;
  interval_s?: number;
  grace_s?: number;
};

function settingsFrom(body: SettingsBody | undefined) {
  if (!body) return undefined;
  const rate: Partial<RateLimit> | undefined = body.rate_limit && {
    ...(body.rate_limit.per_second !== undefined && { perSecond: body.rate_limit.per_second }),
    ...(body.rate_limit.per_minute !== undefined && { perMinute: body.rate_limit.per_minute }),
  };
  // Heartbeat settings (SPEC §9) live with the other source options.
  const heartbeat = { ...(body.interval_s !== undefined && { interval_s: body.interval_s }), ...(body.grace_s !== undefined && { grace_s: body.grace_s }) };
  const sourceOptions = body.source_options || Object.keys(heartbeat).length > 0 ? { ...body.source_options, ...heartbeat } : undefined;
  return {
    ...(rate && { rateLimit: rate as RateLimit }),
    ...(sourceOptions && { sourceOptions }),
    ...(body.enrichment && { enrichment: body.enrichment }),
    ...(body.pipeline && { pipeline: body.pipeline }),
    ...(body.routing !== undefined && { routing: body.routing }),
  };
}

/** Exactly the integration fields that leave the server. */
export function presentIntegration(v: IntegrationView) {
  const i = v.integration;
  return {
    id: i.id,
    name: i.name,
    source: i.source,
    channel_id: i.channelId,
    team_id: i.teamId,
    integration_key: v.key,
    push_url: v.pushUrl,
    disabled: i.disabled,
    last_event_at: i.lastEventAt,
    settings: {
      rate_limit: { per_second: i.settings.rateLimit.perSecond, per_minute: i.settings.rateLimit.perMinute },
      source_options: { ...i.settings.sourceOptions },
      enrichment: [...i.settings.enrichment],
      pipeline: [...i.settings.pipeline],
      routing: i.settings.routing,
    },
    created_at: i.createdAt,
  };
}

/** Dedicated integrations under a channel, shared ones in the integration center. */
export function registerIntegrationRoutes(app: Api, deps: { integrations: IntegrationsService; flushStats: () => Promise<void> }): void {
  const { integrations } = deps;
  const List = Type.Object({ data: Type.Array(IntegrationSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) });

  app.get(
    '/api/v1/channels/:id/integrations',
    { schema: { tags: ['integrations'], summary: "A channel's dedicated integrations", params: IdParams, querystring: PageParams, response: { 200: List, ...errorResponses } } },
    async (request) => {
      const views = await integrations.listForChannel(contextOf(request).actor, request.params.id);
      return pageLoaded(views, pageRequest(request.query.limit, request.query.cursor), presentIntegration, (v) => v.integration.id);
    },
  );

  app.post(
    '/api/v1/channels/:id/integrations',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Add a dedicated integration to a channel',
        params: IdParams,
        body: Type.Object({ name: Type.String({ maxLength: 100 }), source: SourceSchema, settings: Type.Optional(SettingsSchema) }),
        response: { 201: IntegrationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const view = await integrations.create(contextOf(request), { channelId: request.params.id }, { ...request.body, settings: settingsFrom(request.body.settings) });
      return reply.code(201).send(presentIntegration(view));
    },
  );

  app.get(
    '/api/v1/integrations',
    { schema: { tags: ['integrations'], summary: 'Shared integrations (the integration center)', querystring: PageParams, response: { 200: List, ...errorResponses } } },
    async (request) => pageLoaded(await integrations.listShared(contextOf(request).actor), pageRequest(request.query.limit, request.query.cursor), presentIntegration, (v) => v.integration.id),
  );

  app.post(
    '/api/v1/integrations',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Create a shared integration whose routing rules choose the channels',
        body: Type.Object({ name: Type.String({ maxLength: 100 }), source: SourceSchema, team_id: Type.String({ maxLength: 64 }), settings: Type.Optional(SettingsSchema) }),
        response: { 201: IntegrationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { team_id, ...rest } = request.body;
      const view = await integrations.create(contextOf(request), { teamId: team_id }, { ...rest, settings: settingsFrom(rest.settings) });
      return reply.code(201).send(presentIntegration(view));
    },
  );

  app.get(
    '/api/v1/integrations/:id',
    { schema: { tags: ['integrations'], summary: 'Get an integration', params: IdParams, response: { 200: IntegrationSchema, ...errorResponses } } },
    async (request) => presentIntegration(await integrations.get(contextOf(request).actor, request.params.id)),
  );

  app.patch(
    '/api/v1/integrations/:id',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Rename, disable or reconfigure an integration',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), disabled: Type.Optional(Type.Boolean()), settings: Type.Optional(SettingsSchema) }),
        response: { 200: IntegrationSchema, ...errorResponses },
      },
    },
    async (request) => presentIntegration(await integrations.update(contextOf(request), request.params.id, { ...request.body, settings: settingsFrom(request.body.settings) })),
  );

  app.post(
    '/api/v1/integrations/:id/regenerate-key',
    { schema: { tags: ['integrations'], summary: 'Issue a new integration key (the old one stops working)', params: IdParams, response: { 200: IntegrationSchema, ...errorResponses } } },
    async (request) => presentIntegration(await integrations.regenerateKey(contextOf(request), request.params.id)),
  );

  app.delete(
    '/api/v1/integrations/:id',
    { schema: { tags: ['integrations'], summary: 'Delete an integration', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await integrations.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/integrations/:id/activity',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Latest event time, counts for the last 24 h and the last 20 raw payloads',
        params: IdParams,
        response: {
          200: Type.Object({
            last_event_at: Type.Union([Type.Integer(), Type.Null()]),
            counts: Type.Object({ accepted: Type.Integer(), dropped: Type.Integer(), rejected: Type.Integer() }),
            raw_events: Type.Array(
              Type.Object({ id: Type.String(), received_at: Type.Integer(), content_type: Type.String(), payload: Type.String(), outcome: Type.String(), detail: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await deps.flushStats();
      const activity = await integrations.activity(contextOf(request).actor, request.params.id);
      return {
        last_event_at: activity.integration.integration.lastEventAt,
        counts: activity.counts,
        raw_events: activity.raw.map((r) => ({ id: r.id, received_at: r.received_at, content_type: r.content_type, payload: r.payload, outcome: r.outcome, detail: r.detail })),
      };
    },
  );
}
