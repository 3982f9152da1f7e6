import { Type } from 'typebox';
import { type Api, errorResponses, IdParams } from '../core/api.js';
import { pageRequest } from '../db/pagination.js';
import { contextOf } from '../people/request-context.js';
import type { AlertRow, EventRow } from '../alerts/store.js';
import type { IncidentsService } from './service.js';
import type { IncidentRow, TimelineRow } from './store.js';

const Labels = Type.Record(Type.String(), Type.String());

const IncidentSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer({ description: 'short per-organisation number (#1234)' }),
  title: Type.String(),
  description: Type.String(),
  severity: Type.Union([Type.Literal('Critical'), Type.Literal('Warning'), Type.Literal('Info')]),
  status: Type.Union([Type.Literal('triggered'), Type.Literal('processing'), Type.Literal('closed')]),
  channel_id: Type.String(),
  labels: Labels,
  alert_count: Type.Integer(),
  active_alert_count: Type.Integer(),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
  acknowledged_at: Type.Union([Type.Integer(), Type.Null()]),
  snoozed_until: Type.Union([Type.Integer(), Type.Null()]),
  closed_at: Type.Union([Type.Integer(), Type.Null()]),
  rule_id: Type.Union([Type.String(), Type.Null()], { description: 'the escalation rule driving notifications, if any matched' }),
  escalation_level: Type.Union([Type.Integer(), Type.Null()], { description: '1-based level reached so far' }),
  root_cause: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
});

const AlertSchema = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  incident_id: Type.Union([Type.String(), Type.Null()]),
  integration_id: Type.Union([Type.String(), Type.Null()]),
  alert_key: Type.String(),
  title: Type.String(),
  description: Type.String(),
  severity: Type.String(),
  status: Type.String({ description: 'Critical, Warning, Info, or Ok when recovered' }),
  state: Type.String({ description: 'active, silenced or inhibited' }),
  suppressed_by: Type.Union([Type.String(), Type.Null()], { description: 'the silence rule or inhibiting alert' }),
  flapping: Type.Boolean(),
  labels: Labels,
  event_count: Type.Integer(),
  first_event_at: Type.Integer(),
  last_event_at: Type.Integer(),
  recovered_at: Type.Union([Type.Integer(), Type.Null()]),
});

const EventSchema = Type.Object({ id: Type.String(), status: Type.String(), title: Type.String(), description: Type.String(), labels: Labels, event_time: Type.Integer(), received_at: Type.Integer() });
const TimelineSchema = Type.Object({ id: Type.String(), kind: Type.String(), actor_id: Type.Union([Type.String(), Type.Null()]), data: Type.Unknown(), created_at: Type.Integer() });

function labels(json: string): Record<string, string> {
  return JSON.parse(json) as Record<string, string>;
}

export function presentIncident(row: IncidentRow) {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    severity: row.severity as 'Critical' | 'Warning' | 'Info',
    status: row.status as 'triggered' | 'processing' | 'closed',
    channel_id: row.channel_id,
    labels: labels(row.labels_json),
    alert_count: row.alert_count,
    active_alert_count: row.active_alert_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
    acknowledged_at: row.acknowledged_at,
    snoozed_until: row.snoozed_until,
    closed_at: row.closed_at,
    rule_id: row.rule_id,
    escalation_level: row.escalation_level === null ? null : row.escalation_level + 1,
    root_cause: row.root_cause,
    resolution: row.resolution,
  };
}

export function presentAlert(row: AlertRow) {
  return {
    id: row.id,
    channel_id: row.channel_id,
    incident_id: row.incident_id,
    integration_id: row.integration_id,
    alert_key: row.alert_key,
    title: row.title,
    description: row.description,
    severity: row.severity,
    status: row.status,
    state: row.state,
    suppressed_by: row.suppressed_by,
    flapping: Number(row.flapping) === 1,
    labels: labels(row.labels_json),
    event_count: row.event_count,
    first_event_at: row.first_event_at,
    last_event_at: row.last_event_at,
    recovered_at: row.recovered_at,
  };
}

const presentEvent = (e: EventRow) => ({ id: e.id, status: e.status, title: e.title, description: e.description, labels: labels(e.labels_json), event_time: e.event_time, received_at: e.received_at });
const presentTimeline = (t: TimelineRow) => ({ id: t.id, kind: t.kind, actor_id: t.actor_id, data: JSON.parse(t.data_json) as unknown, created_at: t.created_at });

/** Cursor pages newest-first over ids. */
function idPage<Row extends { id: string }, Out>(rows: Row[], limit: number, present: (row: Row) => Out) {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return { data: visible.map(present), next_cursor: rows.length > limit && last ? Buffer.from(JSON.stringify(['', last.id])).toString('base64url') : null };
}

/** Incidents and alerts: lists with filters, details, timeline, and the first actions. */
export function registerIncidentRoutes(app: Api, deps: { incidents: IncidentsService }): void {
  const { incidents } = deps;

  app.get(
    '/api/v1/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents I may see, newest first',
        querystring: Type.Object({
          channel_id: Type.Optional(Type.String({ maxLength: 64 })),
          status: Type.Optional(Type.String({ maxLength: 16, description: 'triggered | processing | closed' })),
          severity: Type.Optional(Type.Union([Type.Literal('Critical'), Type.Literal('Warning'), Type.Literal('Info')])),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          since: Type.Optional(Type.Integer({ description: 'created at or after (unix ms)' })),
          until: Type.Optional(Type.Integer({ description: 'created before (unix ms)' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          cursor: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ data: Type.Array(IncidentSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = pageRequest(q.limit, q.cursor);
      const rows = await incidents.list(
        contextOf(request).actor,
        { channelId: q.channel_id, status: q.status, severity: q.severity, text: q.q, since: q.since, until: q.until },
        page.limit,
        page.after?.[1],
      );
      return idPage(rows, page.limit, presentIncident);
    },
  );

  app.get('/api/v1/incidents/:id', { schema: { tags: ['incidents'], summary: 'Get an incident', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } }, async (request) =>
    presentIncident(await incidents.get(contextOf(request).actor, request.params.id)),
  );

  app.get(
    '/api/v1/incidents/:id/alerts',
    { schema: { tags: ['incidents'], summary: "An incident's alerts", params: IdParams, response: { 200: Type.Object({ data: Type.Array(AlertSchema), next_cursor: Type.Null() }), ...errorResponses } } },
    async (request) => ({ data: (await incidents.alertsOf(contextOf(request).actor, request.params.id)).map(presentAlert), next_cursor: null }),
  );

  app.get(
    '/api/v1/incidents/:id/timeline',
    { schema: { tags: ['incidents'], summary: "An incident's timeline, oldest first", params: IdParams, response: { 200: Type.Object({ data: Type.Array(TimelineSchema), next_cursor: Type.Null() }), ...errorResponses } } },
    async (request) => ({ data: (await incidents.timeline(contextOf(request).actor, request.params.id)).map(presentTimeline), next_cursor: null }),
  );

  app.post(
    '/api/v1/incidents/:id/ack',
    { schema: { tags: ['incidents'], summary: 'Acknowledge (Triggered → Processing)', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => presentIncident(await incidents.acknowledge(contextOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/incidents/:id/resolve',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Resolve: close the incident and all its alerts',
        params: IdParams,
        body: Type.Optional(Type.Object({ root_cause: Type.Optional(Type.String({ maxLength: 10_000 })), resolution: Type.Optional(Type.String({ maxLength: 10_000 })) })),
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => presentIncident(await incidents.resolve(contextOf(request), request.params.id, { rootCause: request.body?.root_cause, resolution: request.body?.resolution })),
  );

  app.post(
    '/api/v1/incidents/:id/unack',
    { schema: { tags: ['incidents'], summary: 'Withdraw my acknowledgement (Triggered again when nobody acknowledges)', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => presentIncident(await incidents.unacknowledge(contextOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/incidents/:id/snooze',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Pause notifications for 1 min – 24 h (presets 2 h, 4 h, 12 h)',
        params: IdParams,
        body: Type.Object({ minutes: Type.Integer({ minimum: 1, maximum: 1440 }) }),
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => presentIncident(await incidents.snooze(contextOf(request), request.params.id, request.body.minutes)),
  );

  app.post(
    '/api/v1/incidents/:id/wake',
    { schema: { tags: ['incidents'], summary: 'End a snooze now', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => presentIncident(await incidents.wake(contextOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/incidents/:id/reopen',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Reopen a closed incident; escalation restarts at level 1',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }),
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => presentIncident(await incidents.reopen(contextOf(request), request.params.id, request.body.reason)),
  );

  app.post(
    '/api/v1/incidents/:id/comments',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Comment (markdown) on the timeline',
        params: IdParams,
        body: Type.Object({ body: Type.String({ maxLength: 20_000 }) }),
        response: { 201: Type.Object({ ok: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await incidents.comment(contextOf(request), request.params.id, request.body.body);
      return reply.code(201).send({ ok: true });
    },
  );

  app.get(
    '/api/v1/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts I may see, newest first',
        querystring: Type.Object({
          channel_id: Type.Optional(Type.String({ maxLength: 64 })),
          incident_id: Type.Optional(Type.String({ maxLength: 64 })),
          open: Type.Optional(Type.Boolean()),
          severity: Type.Optional(Type.String({ maxLength: 16 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          cursor: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ data: Type.Array(AlertSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = pageRequest(q.limit, q.cursor);
      const rows = await incidents.listAlerts(contextOf(request).actor, { channelId: q.channel_id, incidentId: q.incident_id, open: q.open, severity: q.severity }, page.limit, page.after?.[1]);
      return idPage(rows, page.limit, presentAlert);
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    { schema: { tags: ['alerts'], summary: 'An alert with its latest events', params: IdParams, response: { 200: Type.Object({ ...AlertSchema.properties, events: Type.Array(EventSchema) }), ...errorResponses } } },
    async (request) => {
      const { alert, events } = await incidents.getAlert(contextOf(request).actor, request.params.id);
      return { ...presentAlert(alert), events: events.map(presentEvent) };
    },
  );
}
