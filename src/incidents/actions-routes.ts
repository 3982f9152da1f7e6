import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageParams } from '../core/api.js';
import { pageLoaded, pageRequest } from '../db/pagination.js';
import { contextOf } from '../people/request-context.js';
import type { IncidentActions } from './actions.js';
import type { FieldsService } from './fields-service.js';
import type { IncidentReads } from './reads.js';
import { IncidentSchema, presentIncident } from './routes.js';
import type { IncidentRow } from './store.js';
import type { ChangeEventRow } from './actions-store.js';
import { timelineLanguage } from './timeline-text.js';

const Targets = Type.Object({
  person_ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  schedule_ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
});
const Severity = Type.Union([Type.Literal('Critical'), Type.Literal('Warning'), Type.Literal('Info')]);
// Checked per field kind by the model: a JSON-schema union would let coercion turn `true` into "true".
const FieldValue = Type.Unknown({ description: 'text: string; select: one option; multi_select: list of options; checkbox: boolean; null clears' });
const FieldSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  label: Type.String(),
  kind: Type.Union([Type.Literal('text'), Type.Literal('select'), Type.Literal('multi_select'), Type.Literal('checkbox')]),
  options: Type.Array(Type.String()),
});
const ChangeSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  integration_id: Type.Union([Type.String(), Type.Null()]),
  labels: Type.Record(Type.String(), Type.String()),
  links: Type.Array(Type.Object({ href: Type.String(), text: Type.Optional(Type.String()) })),
  event_time: Type.Integer(),
  received_at: Type.Integer(),
});
const PostmortemSchema = Type.Object({
  markdown: Type.String(),
  saved: Type.Boolean({ description: 'false: a draft prefilled from the incident, not stored yet' }),
  updated_at: Type.Union([Type.Integer(), Type.Null()]),
  updated_by: Type.Union([Type.String(), Type.Null()]),
});

const presentChange = (c: ChangeEventRow) => ({
  id: c.id,
  title: c.title,
  integration_id: c.integration_id,
  labels: JSON.parse(c.labels_json) as Record<string, string>,
  links: JSON.parse(c.links_json) as { href: string; text?: string }[],
  event_time: c.event_time,
  received_at: c.received_at,
});

const targetsOf = (body: { person_ids?: string[] | undefined; schedule_ids?: string[] | undefined }) => ({ people: body.person_ids ?? [], schedules: body.schedule_ids ?? [] });

/** Incident actions of issue 11: create, edit, assign, responders, escalate, merge, batch, changes, post-mortem, custom fields. */
export function registerIncidentActionRoutes(app: Api, deps: { actions: IncidentActions; reads: IncidentReads; fields: FieldsService }): void {
  const { actions, reads, fields } = deps;
  const full = async (row: IncidentRow) => presentIncident(row, (await actions.extras([row])).get(row.id));

  app.post(
    '/api/v1/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Open an incident by hand (the channel’s escalation rules apply; assignees are paged)',
        body: Type.Object({
          channel_id: Type.String({ maxLength: 64 }),
          title: Type.String({ maxLength: 512 }),
          description: Type.Optional(Type.String({ maxLength: 20_000 })),
          impact: Type.Optional(Type.String({ maxLength: 20_000 })),
          severity: Severity,
          assignee_ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
        }),
        response: { 201: IncidentSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await full(await actions.create(contextOf(request), request.body))),
  );

  app.patch(
    '/api/v1/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Edit title, description, impact, severity and custom fields (each change goes on the timeline; manual edits stick)',
        params: IdParams,
        body: Type.Object({
          title: Type.Optional(Type.String({ maxLength: 512 })),
          description: Type.Optional(Type.String({ maxLength: 20_000 })),
          impact: Type.Optional(Type.String({ maxLength: 20_000 })),
          severity: Type.Optional(Severity),
          custom_fields: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), FieldValue, { description: 'field name → value; null clears' })),
        }),
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => full(await actions.edit(contextOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/incidents/:id/assign',
    { schema: { tags: ['incidents'], summary: 'Reassign to people and/or schedules (replaces the assignees) and page them by their preferences', params: IdParams, body: Targets, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => full(await actions.reassign(contextOf(request), request.params.id, targetsOf(request.body))),
  );

  app.post(
    '/api/v1/incidents/:id/responders',
    { schema: { tags: ['incidents'], summary: 'Add responders (people and/or schedules) and page them by their preferences', params: IdParams, body: Targets, response: { 200: IncidentSchema, ...errorResponses } } },
    async (request) => full(await actions.addResponders(contextOf(request), request.params.id, targetsOf(request.body))),
  );

  app.post(
    '/api/v1/incidents/:id/escalate',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Jump to a level of the incident’s escalation rule and page it now (re-triggers an acknowledged incident)',
        params: IdParams,
        body: Type.Object({ level: Type.Integer({ minimum: 1, maximum: 10, description: '1-based level' }) }),
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => full(await actions.escalate(contextOf(request), request.params.id, request.body.level)),
  );

  app.post(
    '/api/v1/incidents/:id/merge',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Merge other incidents of the same channel into this one: their alerts move here, they close',
        params: IdParams,
        body: Type.Object({ source_ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }) }),
        response: { 200: IncidentSchema, ...errorResponses },
      },
    },
    async (request) => full(await actions.merge(contextOf(request), request.params.id, request.body.source_ids)),
  );

  app.post(
    '/api/v1/incidents/batch',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Acknowledge or resolve many incidents; each succeeds or fails on its own',
        body: Type.Object({ action: Type.Union([Type.Literal('ack'), Type.Literal('resolve')]), incident_ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }) }),
        response: {
          200: Type.Object({
            data: Type.Array(
              Type.Object({
                id: Type.String(),
                ok: Type.Boolean(),
                status: Type.Union([Type.String(), Type.Null()]),
                error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
              }),
            ),
            next_cursor: Type.Null(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ data: await actions.batch(contextOf(request), request.body.action, request.body.incident_ids), next_cursor: null }),
  );

  app.get(
    '/api/v1/incidents/:id/changes',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Recent changes: change events of the incident’s channel from a day before it started (newest first, the latest 100)',
        params: IdParams,
        querystring: PageParams,
        response: { 200: Type.Object({ data: Type.Array(ChangeSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => pageLoaded(await reads.changes(contextOf(request).actor, request.params.id), pageRequest(request.query.limit, request.query.cursor), presentChange, (c) => c.id),
  );

  app.get(
    '/api/v1/incidents/:id/postmortem',
    { schema: { tags: ['incidents'], summary: 'The post-mortem (markdown), or a draft prefilled with the timeline and impact', params: IdParams, response: { 200: PostmortemSchema, ...errorResponses } } },
    // A draft is written in the reader's language (Accept-Language), like the timeline it quotes.
    async (request) => reads.postmortem(contextOf(request).actor, request.params.id, timelineLanguage(request.headers['accept-language'])),
  );

  app.put(
    '/api/v1/incidents/:id/postmortem',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Save the post-mortem',
        params: IdParams,
        body: Type.Object({ markdown: Type.String({ maxLength: 200_000 }) }),
        response: { 200: PostmortemSchema, ...errorResponses },
      },
    },
    async (request) => reads.savePostmortem(contextOf(request), request.params.id, request.body.markdown),
  );

  app.get(
    '/api/v1/incidents/:id/postmortem.md',
    { schema: { tags: ['incidents'], summary: 'Download the post-mortem as a markdown file', params: IdParams, produces: ['text/markdown'] } },
    async (request, reply) => {
      const incident = await actions.numberOf(contextOf(request).actor, request.params.id);
      const { markdown } = await reads.postmortem(contextOf(request).actor, request.params.id, timelineLanguage(request.headers['accept-language']));
      return reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="postmortem-${incident}.md"`)
        .send(markdown);
    },
  );

  app.get(
    '/api/v1/custom-fields',
    { schema: { tags: ['incidents'], summary: 'Custom incident fields', querystring: PageParams, response: { 200: Type.Object({ data: Type.Array(FieldSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses } } },
    async (request) => pageLoaded(await fields.list(), pageRequest(request.query.limit, request.query.cursor), (f) => ({ ...f, options: [...f.options] }), (f) => f.id),
  );

  app.post(
    '/api/v1/custom-fields',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Define a custom incident field (admins)',
        body: Type.Object({ name: Type.String({ maxLength: 40 }), label: Type.String({ maxLength: 100 }), kind: Type.String({ maxLength: 16 }), options: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })) }),
        response: { 201: FieldSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await fields.create(contextOf(request), request.body);
      return reply.code(201).send({ ...created, options: [...created.options] });
    },
  );

  app.patch(
    '/api/v1/custom-fields/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Rename a custom field or change its choices (admins); values of removed choices are cleared',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 40 })), label: Type.Optional(Type.String({ maxLength: 100 })), options: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })) }),
        response: { 200: FieldSchema, ...errorResponses },
      },
    },
    async (request) => {
      const updated = await fields.update(contextOf(request), request.params.id, request.body);
      return { ...updated, options: [...updated.options] };
    },
  );

  app.delete(
    '/api/v1/custom-fields/:id',
    { schema: { tags: ['incidents'], summary: 'Delete a custom field and its values (admins)', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await fields.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
