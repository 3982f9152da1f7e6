import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageParams } from '../core/api.js';
import { pageLoaded, pageRequest } from '../db/pagination.js';
import { throwIfInvalid } from '../core/errors.js';
import { contextOf } from '../people/request-context.js';
import type { NoiseSettingsWire } from './noise.js';
import type { IncidentsService } from '../incidents/service.js';
import { quickSilenceForAlerts } from './model.js';
import type { RulesService } from './rules-service.js';
import type { RuleKind } from './rules-store.js';

const RuleSchema = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  spec: Type.Unknown({ description: 'silence {filter, time, action} | inhibit {source, target, equal} | drop {filter}' }),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
});

const NoiseSchema = Type.Object(
  {
    grouping: Type.Unknown({ description: '{mode: none} | {mode: rules, by, cases, strict, window} | {mode: similarity, threshold, labels, window}' }),
    storm_thresholds: Type.Array(Type.Integer()),
    flapping: Type.Object({ mode: Type.String(), max_changes: Type.Integer(), in_mins: Type.Integer(), mute_mins: Type.Integer() }),
    auto_close: Type.Object({ when_all_recovered: Type.Boolean(), after_idle_seconds: Type.Union([Type.Null(), Type.Integer()]) }),
  },
  { description: "A channel's noise reduction" },
);

function presentNoise(n: NoiseSettingsWire) {
  return { grouping: n.grouping, storm_thresholds: [...n.storm_thresholds], flapping: { ...n.flapping }, auto_close: { ...n.auto_close } };
}

/** Paths per rule kind: /api/v1/channels/{id}/silences, /inhibit-rules, /drop-rules. */
const KINDS: readonly [RuleKind, string][] = [
  ['silence', 'silences'],
  ['inhibit', 'inhibit-rules'],
  ['drop', 'drop-rules'],
];

/** Noise-reduction settings and silence / inhibit / drop rules of a channel. */
export function registerRuleRoutes(app: Api, deps: { rules: RulesService; incidents: IncidentsService; now: () => number }): void {
  const { rules } = deps;

  app.get(
    '/api/v1/channels/:id/noise-reduction',
    { schema: { tags: ['noise reduction'], summary: "A channel's grouping, storm, flapping and auto-close settings", params: IdParams, response: { 200: NoiseSchema, ...errorResponses } } },
    async (request) => presentNoise(await rules.getNoise(contextOf(request).actor, request.params.id)),
  );

  app.put(
    '/api/v1/channels/:id/noise-reduction',
    {
      schema: {
        tags: ['noise reduction'],
        summary: 'Change noise-reduction settings (omitted parts keep their values)',
        params: IdParams,
        body: Type.Partial(NoiseSchema),
        response: { 200: NoiseSchema, ...errorResponses },
      },
    },
    async (request) => presentNoise(await rules.setNoise(contextOf(request), request.params.id, request.body as Partial<NoiseSettingsWire>)),
  );

  for (const [kind, path] of KINDS) {
    app.get(
      `/api/v1/channels/:id/${path}`,
      {
        schema: {
          tags: ['noise reduction'],
          summary: `A channel's ${kind} rules in order`,
          params: IdParams,
          querystring: PageParams,
          response: { 200: Type.Object({ data: Type.Array(RuleSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
        },
      },
      async (request) => pageLoaded(await rules.list(contextOf(request).actor, request.params.id, kind), pageRequest(request.query.limit, request.query.cursor), (r) => r, (r) => r.id),
    );
    app.post(
      `/api/v1/channels/:id/${path}`,
      {
        schema: {
          tags: ['noise reduction'],
          summary: `Add a ${kind} rule`,
          params: IdParams,
          body: Type.Object({ name: Type.String({ maxLength: 100 }), enabled: Type.Optional(Type.Boolean()), spec: Type.Unknown() }),
          response: { 201: RuleSchema, ...errorResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await rules.create(contextOf(request), request.params.id, kind, request.body)),
    );
  }

  app.patch(
    '/api/v1/rules/:id',
    {
      schema: {
        tags: ['noise reduction'],
        summary: 'Change a silence, inhibit or drop rule',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), enabled: Type.Optional(Type.Boolean()), spec: Type.Optional(Type.Unknown()) }),
        response: { 200: RuleSchema, ...errorResponses },
      },
    },
    async (request) => rules.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/v1/rules/:id',
    { schema: { tags: ['noise reduction'], summary: 'Delete a silence, inhibit or drop rule', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await rules.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/incidents/:id/quick-silence',
    {
      schema: {
        tags: ['noise reduction'],
        summary: "Silence alerts with the labels of this incident's alerts for a while (30 min – 2 weeks)",
        params: IdParams,
        body: Type.Object({ duration_mins: Type.Integer({ minimum: 30, maximum: 20160 }) }),
        response: { 201: RuleSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const incident = await deps.incidents.get(ctx.actor, request.params.id);
      // Every alert's labels (an incident holds at most 5000); a hand-made incident has only its own.
      const labelSets: Record<string, string>[] = [JSON.parse(incident.labels_json) as Record<string, string>];
      let afterId: string | undefined;
      for (let page = 0; page < 50; page += 1) {
        const rows = await deps.incidents.listAlerts(ctx.actor, { incidentId: incident.id }, 100, afterId);
        labelSets.push(...rows.slice(0, 100).map((a) => JSON.parse(a.labels_json) as Record<string, string>));
        afterId = rows[99]?.id;
        if (rows.length <= 100) break;
      }
      const spec = quickSilenceForAlerts(labelSets, request.body.duration_mins, deps.now());
      if (!spec.ok) throwIfInvalid(spec.errors);
      const rule = spec.ok ? spec.value : undefined;
      const time = rule?.time.kind === 'range' ? rule.time : undefined;
      const created = await rules.create(ctx, incident.channel_id, 'silence', {
        name: `Quick silence for #${incident.number}`,
        spec: { filter: rule?.filter ?? [], time: { kind: 'range', start: time?.start ?? 0, end: time?.end ?? 0 }, action: 'mark' },
      });
      return reply.code(201).send(created);
    },
  );
}
