import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageParams } from '../core/api.js';
import { pageLoaded, pageRequest } from '../db/pagination.js';
import { contextOf } from '../people/request-context.js';
import type { EscalationService, RuleView } from './service.js';

const RuleSchema = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  name: Type.String(),
  position: Type.Integer({ description: 'priority: the first enabled matching rule drives an incident' }),
  enabled: Type.Boolean(),
  spec: Type.Unknown({ description: '{conditions: {filter, time}, delay_seconds, mode, levels: [{targets, methods, repeat_every_min, repeat_times, escalate_after_min}], after_last}' }),
  summary: Type.String({ description: 'the rule in plain language' }),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
});

const present = (r: RuleView) => ({ ...r, spec: r.spec as unknown });

/** Escalation rules of a channel. */
export function registerEscalationRoutes(app: Api, deps: { escalation: EscalationService }): void {
  const { escalation } = deps;
  const List = Type.Object({ data: Type.Array(RuleSchema), next_cursor: Type.Null() });

  app.get(
    '/api/v1/channels/:id/escalation-rules',
    {
      schema: {
        tags: ['escalation'],
        summary: "A channel's escalation rules in priority order",
        params: IdParams,
        querystring: PageParams,
        response: { 200: Type.Object({ data: Type.Array(RuleSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => pageLoaded(await escalation.list(contextOf(request).actor, request.params.id), pageRequest(request.query.limit, request.query.cursor), present, (r) => r.id),
  );

  app.post(
    '/api/v1/channels/:id/escalation-rules',
    {
      schema: {
        tags: ['escalation'],
        summary: 'Add a rule (default: one level, escalate after 30 min, no repeats, follow preferences)',
        params: IdParams,
        body: Type.Object({ name: Type.String({ maxLength: 100 }), enabled: Type.Optional(Type.Boolean()), spec: Type.Optional(Type.Unknown()) }),
        response: { 201: RuleSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(present(await escalation.create(contextOf(request), request.params.id, request.body))),
  );

  app.put(
    '/api/v1/channels/:id/escalation-rules/order',
    {
      schema: {
        tags: ['escalation'],
        summary: 'Reorder the rules (all rule ids, highest priority first)',
        params: IdParams,
        body: Type.Object({ rule_ids: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 }) }),
        response: { 200: List, ...errorResponses },
      },
    },
    async (request) => ({ data: (await escalation.reorder(contextOf(request), request.params.id, request.body.rule_ids)).map(present), next_cursor: null }),
  );

  app.patch(
    '/api/v1/escalation-rules/:id',
    {
      schema: {
        tags: ['escalation'],
        summary: 'Change, enable or disable a rule (running escalations keep their snapshot)',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), enabled: Type.Optional(Type.Boolean()), spec: Type.Optional(Type.Unknown()) }),
        response: { 200: RuleSchema, ...errorResponses },
      },
    },
    async (request) => present(await escalation.update(contextOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/escalation-rules/:id/copy',
    { schema: { tags: ['escalation'], summary: 'Copy a rule (the copy starts disabled)', params: IdParams, response: { 201: RuleSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(present(await escalation.copy(contextOf(request), request.params.id))),
  );

  app.delete(
    '/api/v1/escalation-rules/:id',
    { schema: { tags: ['escalation'], summary: 'Delete a rule', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await escalation.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
