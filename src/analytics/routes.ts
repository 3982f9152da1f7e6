import { Type } from 'typebox';
import { type Api, errorResponses } from '../core/api.js';
import { contextOf } from '../people/request-context.js';
import type { AnalyticsService } from './service.js';

const Range = {
  from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601 or unix ms; default 30 days before `to`' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601 or unix ms; default now' })),
  channel_id: Type.Optional(Type.String({ maxLength: 64 })),
  team_id: Type.Optional(Type.String({ maxLength: 64 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 400, description: 'without `from`: this many days before `to`' })),
};
const Num = Type.Union([Type.Number(), Type.Null()]);

const SummarySchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  incidents: Type.Integer(),
  alerts: Type.Integer(),
  events: Type.Integer(),
  acknowledged: Type.Integer(),
  closed: Type.Integer(),
  mtta_s: Num,
  mttr_s: Num,
  noise_reduction: Type.Union([Type.Number(), Type.Null()], { description: '1 − incidents/alerts' }),
  event_noise_reduction: Type.Union([Type.Number(), Type.Null()], { description: '1 − alerts/events' }),
  response_rate: Type.Union([Type.Number(), Type.Null()], { description: 'acknowledged / incidents' }),
});

const BreakdownRowSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  incidents: Type.Integer(),
  acknowledged: Type.Integer(),
  closed: Type.Integer(),
  mtta_s: Num,
  mttr_s: Num,
  response_rate: Num,
});

const InterruptionSchema = Type.Object({ person_id: Type.String(), name: Type.String(), time_zone: Type.String(), total: Type.Integer(), work: Type.Integer(), off: Type.Integer(), sleep: Type.Integer() });
const DailySchema = Type.Object({ day: Type.String(), incidents: Type.Integer(), acknowledged: Type.Integer(), mtta_s: Num, mttr_s: Num });

type RangeQuery = { from?: string; to?: string; channel_id?: string; team_id?: string; days?: number };
const queryOf = (q: RangeQuery) => ({ from: q.from, to: q.to, channelId: q.channel_id, teamId: q.team_id, days: q.days });

/** MTTA/MTTR, counts, noise reduction, breakdowns, interruptions and the CSV export (SPEC §7, §9). */
export function registerAnalyticsRoutes(app: Api, deps: { analytics: AnalyticsService }): void {
  const { analytics } = deps;

  app.get(
    '/api/v1/analytics/summary',
    { schema: { tags: ['analytics'], summary: 'Counts, MTTA, MTTR, noise reduction and response rate of incidents created in a range', querystring: Type.Object(Range), response: { 200: SummarySchema, ...errorResponses } } },
    async (request) => analytics.summary(contextOf(request).actor, queryOf(request.query)),
  );

  app.get(
    '/api/v1/analytics/daily',
    {
      schema: {
        tags: ['analytics'],
        summary: 'One point per UTC day: incidents, acknowledged, MTTA, MTTR',
        querystring: Type.Object(Range),
        response: { 200: Type.Object({ from: Type.Integer(), to: Type.Integer(), data: Type.Array(DailySchema) }), ...errorResponses },
      },
    },
    async (request) => analytics.daily(contextOf(request).actor, queryOf(request.query)),
  );

  app.get(
    '/api/v1/analytics/breakdown',
    {
      schema: {
        tags: ['analytics'],
        summary: 'The same figures by channel, team, person (paged) or a label value',
        querystring: Type.Object({ ...Range, by: Type.String({ maxLength: 16, description: 'channel | team | person | label' }), label_key: Type.Optional(Type.String({ maxLength: 128 })) }),
        response: { 200: Type.Object({ data: Type.Array(BreakdownRowSchema) }), ...errorResponses },
      },
    },
    async (request) => analytics.breakdown(contextOf(request).actor, { ...queryOf(request.query), by: request.query.by, labelKey: request.query.label_key }),
  );

  app.get(
    '/api/v1/analytics/interruptions',
    {
      schema: {
        tags: ['analytics'],
        summary: "Interruptions per person (voice, SMS, push; several within a minute count once) by work, off and sleep hours in the person's time zone",
        querystring: Type.Object(Range),
        response: { 200: Type.Object({ from: Type.Integer(), to: Type.Integer(), data: Type.Array(InterruptionSchema) }), ...errorResponses },
      },
    },
    async (request) => analytics.interruptions(contextOf(request).actor, queryOf(request.query)),
  );

  app.get(
    '/api/v1/analytics/export.csv',
    { schema: { tags: ['analytics'], summary: 'The incidents of the range as CSV, with time to acknowledge and resolve', querystring: Type.Object(Range) } },
    async (request, reply) => {
      const csv = await analytics.exportCsv(contextOf(request).actor, queryOf(request.query));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="tocsin-incidents.csv"').send(csv);
    },
  );
}
