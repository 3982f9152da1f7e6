import { Type } from 'typebox';
import { type Api, errorResponses, IdParams } from '../core/api.js';
import { pageRequest } from '../db/pagination.js';
import { contextOf } from '../people/request-context.js';
import type { AlertRow, EventRow } from './alert-store.js';
import type { IncidentsService } from './service.js';
import type { IncidentRow } from './store.js';
import type { IncidentActions, IncidentExtras } from './actions.js';
import type { DescribedEntry, IncidentReads } from './reads.js';
import { timelineLanguage } from './timeline-text.js';

const Labels = Type.Record(Type.String(), Type.String());

const TargetSchema = Type.Object({ type: Type.Union([Type.Literal('person'), Type.Literal('schedule')]), id: Type.String(), name: Type.String() });

export const IncidentSchema = Type.Object({
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
  impact: Type.String({ description: 'who is affected and how (edited by people)' }),
  merged_into: Type.Union([Type.String(), Type.Null()], { description: 'the incident this one was merged into' }),
  assignees: Type.Array(TargetSchema, { description: 'people and schedules the incident was (re)assigned to' }),
  responders: Type.Array(TargetSchema, { description: 'people and schedules added as responders' }),
  custom_fields: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String()), Type.Boolean(), Type.Null()]), { description: 'custom field values by field name' }),
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
const TimelineSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  text: Type.String({ description: 'what happened, who did it and how, as a sentence' }),
  actor_id: Type.Union([Type.String(), Type.Null()]),
  actor_name: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
  created_at: Type.Integer(),
});
const PageParams = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String()) });
const NO_EXTRAS: IncidentExtras = { assignees: [], responders: [], custom_fields: {} };

function labels(json: string): Record<string, string> {
  return JSON.parse(json) as Record<string, string>;
}

/** The incident as the API shows it; `extras` (assignees, responders, custom fields) from `IncidentActions.extras`. */
export function presentIncident(row: IncidentRow, extras: IncidentExtras = NO_EXTRAS) {
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
    impact: row.impact,
    merged_into: row.merged_into,
    assignees: extras.assignees,
    responders: extras.responders,
    custom_fields: extras.custom_fields,
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

export const presentEvent = (e: EventRow) => ({ id: e.id, status: e.status, title: e.title, description: e.description, labels: labels(e.labels_json), event_time: e.event_time, received_at: e.received_at });
const presentTimeline = ({ row: t, text, actorName }: DescribedEntry) => ({ id: t.id, kind: t.kind, text, actor_id: t.actor_id, actor_name: actorName, data: JSON.parse(t.data_json) as unknown, created_at: t.created_at });

/** Cursor pages over ids (newest-first or oldest-first: the cursor is the last id either way). */
export function idPage<Row extends { id: string }, Out>(rows: Row[], limit: number, present: (row: Row) => Out) {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return { data: visible.map(present), next_cursor: rows.length > limit && last ? Buffer.from(JSON.stringify(['', last.id])).toString('base64url') : null };
}

/** Incidents and alerts: lists with filters, details, timeline, and the first actions. */
export function registerIncidentRoutes(app: Api, deps: { incidents: IncidentsService; actions: IncidentActions; reads: IncidentReads }): void {
  const { incidents, actions, reads } = deps;
  /** One incident with its assignees, responders and custom fields. */
  const full = async (row: IncidentRow) => presentIncident(row, (await actions.extras([row])).get(row.id));

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
          assignee_id: Type.Optional(Type.String({ maxLength: 64, description: 'incidents this person is assigned to or responding to' })),
          custom_field: Type.Optional(Type.Array(Type.String({ maxLength: 1100 }), { maxItems: 10, description: '`name=value`, repeatable (all must match); checkbox values true/false' })),
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
        {
          channelId: q.channel_id,
          status: q.status,
          severity: q.severity,
          text: q.q,
          since: q.since,
          until: q.until,
          assigneeId: q.assignee_id,
          fieldFilters: q.custom_field ? await actions.parseFieldFilters(q.custom_field) : undefined,
        },
        page.limit,
        page.after?.[1],
      );
      const extras = await actions.extras(rows.slice(0, page.limit));
      return idPage(rows, page.limit, (row) => presentIncident(row, extras.get(row.id)));
    },
  );

  app.get('/api/v1/incidents/:id', { schema: { tags: ['incidents'], summary: 'Get an incident', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } }, async (request) =>
    full(await incidents.get(contextOf(request).actor, request.params.id)),
  );

  app.get(
    '/api/v1/incidents/:id/alerts',
    { schema: { tags: ['incidents'], summary: "An incident's alerts, oldest first", params: IdParams, querystring: PageParams, response: { 200: Type.Object({ data: Type.Array(AlertSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses } } },
    async (request) => {
      const page = pageRequest(request.query.limit, request.query.cursor);
      return idPage(await reads.alerts(contextOf(request).actor, request.params.id, page.limit, page.after?.[1]), page.limit, presentAlert);
    },
  );

  app.get(
    '/api/v1/incidents/:id/timeline',
    {
      schema: {
        tags: ['incidents'],
        summary: "An incident's timeline, oldest first, each entry with a sentence saying who did what and how",
        description: 'The sentences are in Simplified Chinese when the first language of Accept-Language is zh (zh, zh-CN, zh-Hans…), otherwise in English.',
        params: IdParams,
        querystring: PageParams,
        response: { 200: Type.Object({ data: Type.Array(TimelineSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const page = pageRequest(request.query.limit, request.query.cursor);
      const rows = await reads.timeline(contextOf(request).actor, request.params.id, page.limit, page.after?.[1], timelineLanguage(request.headers['accept-language']));
      const visible = rows.slice(0, page.limit);
      const last = visible[visible.length - 1];
      return { data: visible.map(presentTimeline), next_cursor: rows.length > page.limit && last ? Buffer.from(JSON.stringify(['', last.row.id])).toString('base64url') : null };
    },
  );

  app.post(
    '/api/v1/incidents/:id/ack',
    { schema: { tags: ['incidents'], summary: 'Acknowledge (Triggered → Processing)', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => full(await incidents.acknowledge(contextOf(request), request.params.id)),
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
    async (request) => full(await incidents.resolve(contextOf(request), request.params.id, { rootCause: request.body?.root_cause, resolution: request.body?.resolution })),
  );

  app.post(
    '/api/v1/incidents/:id/unack',
    { schema: { tags: ['incidents'], summary: 'Withdraw my acknowledgement (Triggered again when nobody acknowledges)', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => full(await incidents.unacknowledge(contextOf(request), request.params.id)),
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
    async (request) => full(await incidents.snooze(contextOf(request), request.params.id, request.body.minutes)),
  );

  app.post(
    '/api/v1/incidents/:id/wake',
    { schema: { tags: ['incidents'], summary: 'End a snooze now', params: IdParams, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => full(await incidents.wake(contextOf(request), request.params.id)),
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
    async (request) => full(await incidents.reopen(contextOf(request), request.params.id, request.body.reason)),
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

  app.get(
    '/api/v1/alerts/:id/events',
    {
      schema: {
        tags: ['alerts'],
        summary: "An alert's own timeline: every stored event, newest first",
        params: IdParams,
        querystring: PageParams,
        response: { 200: Type.Object({ data: Type.Array(EventSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const page = pageRequest(request.query.limit, request.query.cursor);
      return idPage(await reads.alertEvents(contextOf(request).actor, request.params.id, page.limit, page.after?.[1]), page.limit, presentEvent);
    },
  );
}
