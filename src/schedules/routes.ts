import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageQuery, pageOf } from '../core/api.js';
import { pageRequest } from '../db/pagination.js';
import type { Actor } from '../people/model.js';
import { contextOf } from '../people/request-context.js';
import { layerToJson, MAX_INSTANT, type StoredOverride, type StoredSchedule } from './model.js';
import type { FeedUrl, PersonShiftView, SchedulesService, Timeline } from './service.js';

const Instant = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_INSTANT, description });

const LayerSchema = Type.Object({
  name: Type.String(),
  members: Type.Array(Type.Array(Type.String()), { description: 'in rotation order; each entry is the group of person ids on call together' }),
  rotation: Type.Object({
    unit: Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
    count: Type.Integer({ description: '1–30 units per turn' }),
    handoff_time: Type.String({ description: 'HH:MM in the schedule zone' }),
    weekday: Type.Union([Type.String(), Type.Null()], { description: 'handoff weekday of weekly rotations (monday … sunday)' }),
  }),
  start: Type.Integer({ description: 'unix ms; the layer is active from here' }),
  end: Type.Union([Type.Integer(), Type.Null()], { description: 'unix ms (exclusive), or null' }),
  restrictions: Type.Object({
    kind: Type.Union([Type.Literal('none'), Type.Literal('daily'), Type.Literal('weekly')]),
    windows: Type.Array(
      Type.Object({
        start: Type.String(),
        end: Type.String(),
        start_day: Type.Optional(Type.String()),
        end_day: Type.Optional(Type.String()),
      }),
    ),
  }),
  role: Type.String({ description: 'primary, backup, …' }),
});

const ScheduleSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  team_id: Type.String({ description: 'the owning team' }),
  team_name: Type.String(),
  time_zone: Type.String({ description: 'IANA zone every handoff and restriction is read in' }),
  private: Type.Boolean({ description: 'private schedules are invisible to everyone outside the owning team' }),
  layers: Type.Array(LayerSchema, { description: 'lowest first; a higher layer replaces lower ones where it has someone' }),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
  can_manage: Type.Boolean({ description: 'whether the caller may change it' }),
});

const LayersInput = Type.Array(Type.Unknown(), {
  maxItems: 20,
  description:
    'Layers, lowest first: {name, members: [person id | [person ids]], rotation: {unit: hour|day|week|month, count: 1–30, handoff_time: "HH:MM", weekday?}, start (unix ms), end?, restrictions?: {kind: none|daily|weekly, windows: [{start, end} | {start_day, start, end_day, end}]}, role? (default primary)}. Each rule broken is reported with its path, e.g. layers[0].rotation.count.',
});

const ScheduleFields = {
  name: Type.String({ maxLength: 200 }),
  team_id: Type.String({ maxLength: 64 }),
  description: Type.String({ maxLength: 2000 }),
  time_zone: Type.String({ maxLength: 64, description: "IANA zone; default the organisation's" }),
  private: Type.Boolean(),
  layers: LayersInput,
};

const PeopleSchema = Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), { description: 'the people mentioned, with their names' });

const OverrideSchema = Type.Object({
  id: Type.String(),
  schedule_id: Type.String(),
  person_id: Type.String(),
  role: Type.String(),
  start: Type.Integer(),
  end: Type.Integer(),
  created_by: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Integer(),
  deleted_at: Type.Union([Type.Integer(), Type.Null()], { description: 'set when deleted; deleted overrides stay in the history' }),
  deleted_by: Type.Union([Type.String(), Type.Null()]),
});

const TimelineSchema = Type.Object({
  time_zone: Type.String(),
  start: Type.Integer(),
  end: Type.Integer(),
  final: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer(), role: Type.String(), person_ids: Type.Array(Type.String()) }), {
    description: 'who is on call, per role, after stacking layers and applying overrides',
  }),
  layers: Type.Array(
    Type.Object({
      index: Type.Integer(),
      name: Type.String(),
      role: Type.String(),
      shifts: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer(), person_ids: Type.Array(Type.String()) })),
    }),
  ),
  overrides: Type.Array(OverrideSchema),
  people: PeopleSchema,
});

const OnCallSchema = Type.Object({
  at: Type.Integer(),
  on_call: Type.Array(Type.Object({ role: Type.String(), person_ids: Type.Array(Type.String()) }), {
    description: 'per role, primary first; an empty list means nobody',
  }),
  people: PeopleSchema,
});

const ShiftsSchema = Type.Object({
  start: Type.Integer(),
  end: Type.Integer(),
  data: Type.Array(Type.Object({ schedule_id: Type.String(), schedule_name: Type.String(), role: Type.String(), start: Type.Integer(), end: Type.Integer() })),
});

const FeedUrlSchema = Type.Object({
  url: Type.String({ description: 'secret iCalendar (RFC 5545) feed URL; anyone with it can read the shifts' }),
  webcal_url: Type.String({ description: 'the same as webcal:// for one-click subscription' }),
});

const RangeQuery = {
  start: Type.Optional(Instant('unix ms; default now')),
  end: Type.Optional(Instant('unix ms, at most 90 days after start; default start + 7 days')),
};

const OverrideParams = Type.Object({ id: IdParams.properties.id, override_id: Type.String({ minLength: 1, maxLength: 64 }) });

function presentTimeline(t: Timeline) {
  return {
    time_zone: t.timeZone,
    start: t.range.start,
    end: t.range.end,
    final: t.final.map((s) => ({ start: s.start, end: s.end, role: s.role, person_ids: [...s.personIds] })),
    layers: t.layers.map((l) => ({
      index: l.index,
      name: l.layer.name,
      role: l.layer.role,
      shifts: l.shifts.map((s) => ({ start: s.start, end: s.end, person_ids: [...s.personIds] })),
    })),
    overrides: t.overrides.map(presentOverride),
    people: [...t.people],
  };
}

function presentOverride(o: StoredOverride) {
  return {
    id: o.id,
    schedule_id: o.scheduleId,
    person_id: o.personId,
    role: o.role,
    start: o.start,
    end: o.end,
    created_by: o.createdBy,
    created_at: o.createdAt,
    deleted_at: o.deletedAt,
    deleted_by: o.deletedBy,
  };
}

function presentShifts(result: { range: { start: number; end: number }; shifts: readonly PersonShiftView[] }) {
  return {
    start: result.range.start,
    end: result.range.end,
    data: result.shifts.map((s) => ({ schedule_id: s.scheduleId, schedule_name: s.scheduleName, role: s.role, start: s.start, end: s.end })),
  };
}

function presentFeedUrl(f: FeedUrl) {
  return { url: f.url, webcal_url: f.webcalUrl };
}

/** Schedules, overrides, on-call answers, timelines, shifts and feed URLs. Access rules live in the service. */
export function registerScheduleRoutes(app: Api, deps: { schedules: SchedulesService }): void {
  const { schedules } = deps;
  const tags = ['schedules'];

  function present(actor: Actor, s: StoredSchedule) {
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      team_id: s.teamId,
      team_name: s.teamName,
      time_zone: s.timeZone,
      private: s.private,
      layers: s.layers.map(layerToJson),
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      can_manage: schedules.canManage(actor, s),
    };
  }

  app.get(
    '/api/v1/schedules',
    { schema: { tags, summary: 'Schedules I may see', querystring: PageQuery, response: { 200: pageOf(ScheduleSchema), ...errorResponses } } },
    async (request) => {
      const { actor } = contextOf(request);
      const page = await schedules.list(actor, pageRequest(request.query.limit, request.query.cursor), request.query.q);
      return { data: page.data.map((s) => present(actor, s)), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/api/v1/schedules',
    {
      schema: {
        tags,
        summary: 'Create a schedule owned by one of my teams',
        body: Type.Object({
          name: ScheduleFields.name,
          team_id: ScheduleFields.team_id,
          description: Type.Optional(ScheduleFields.description),
          time_zone: Type.Optional(ScheduleFields.time_zone),
          private: Type.Optional(ScheduleFields.private),
          layers: Type.Optional(ScheduleFields.layers),
        }),
        response: { 201: ScheduleSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const b = request.body;
      const schedule = await schedules.create(ctx, {
        name: b.name,
        teamId: b.team_id,
        description: b.description,
        timeZone: b.time_zone,
        private: b.private,
        layers: b.layers,
      });
      return reply.code(201).send(present(ctx.actor, schedule));
    },
  );

  app.post(
    '/api/v1/schedules/preview',
    {
      schema: {
        tags,
        summary: 'Timelines of an unsaved schedule draft (nothing is stored)',
        body: Type.Object({
          time_zone: Type.Optional(ScheduleFields.time_zone),
          layers: Type.Optional(ScheduleFields.layers),
          range: Type.Object({ start: Instant('unix ms'), end: Instant('unix ms, at most 90 days after start') }),
          role: Type.Optional(Type.String({ maxLength: 32, description: 'only this role' })),
        }),
        response: { 200: TimelineSchema, ...errorResponses },
      },
    },
    async (request) => {
      contextOf(request);
      const b = request.body;
      return presentTimeline(await schedules.preview({ timeZone: b.time_zone, layers: b.layers }, b.range, b.role));
    },
  );

  app.get(
    '/api/v1/schedules/:id',
    { schema: { tags, summary: 'Get a schedule', params: IdParams, response: { 200: ScheduleSchema, ...errorResponses } } },
    async (request) => {
      const { actor } = contextOf(request);
      return present(actor, await schedules.get(actor, request.params.id));
    },
  );

  app.patch(
    '/api/v1/schedules/:id',
    {
      schema: {
        tags,
        summary: 'Change a schedule (layers, when given, replace all layers)',
        params: IdParams,
        body: Type.Partial(Type.Object(ScheduleFields)),
        response: { 200: ScheduleSchema, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const b = request.body;
      const schedule = await schedules.update(ctx, request.params.id, {
        name: b.name,
        teamId: b.team_id,
        description: b.description,
        timeZone: b.time_zone,
        private: b.private,
        layers: b.layers,
      });
      return present(ctx.actor, schedule);
    },
  );

  app.delete(
    '/api/v1/schedules/:id',
    { schema: { tags, summary: 'Delete a schedule and its overrides', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await schedules.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/schedules/:id/on-call',
    {
      schema: {
        tags,
        summary: 'Who is on call now or at an instant, per role',
        params: IdParams,
        querystring: Type.Object({ at: Type.Optional(Instant('unix ms; default now')), role: Type.Optional(Type.String({ maxLength: 32 })) }),
        response: { 200: OnCallSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = contextOf(request);
      const answer = await schedules.onCall(actor, request.params.id, request.query);
      return { at: answer.at, on_call: answer.roles.map((r) => ({ role: r.role, person_ids: [...r.personIds] })), people: [...answer.people] };
    },
  );

  app.get(
    '/api/v1/schedules/:id/timeline',
    {
      schema: {
        tags,
        summary: 'Final and per-layer timelines for a range of at most 90 days',
        params: IdParams,
        querystring: Type.Object({ ...RangeQuery, role: Type.Optional(Type.String({ maxLength: 32, description: 'only this role' })) }),
        response: { 200: TimelineSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = contextOf(request);
      return presentTimeline(await schedules.timeline(actor, request.params.id, request.query));
    },
  );

  app.get(
    '/api/v1/schedules/:id/overrides',
    {
      schema: {
        tags,
        summary: 'Overrides by start time, optionally overlapping a range and including deleted ones',
        params: IdParams,
        querystring: Type.Object({
          ...RangeQuery,
          include_deleted: Type.Optional(Type.Boolean({ description: 'include deleted overrides (the history)' })),
          limit: PageQuery.properties.limit,
          cursor: PageQuery.properties.cursor,
        }),
        response: { 200: pageOf(OverrideSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = contextOf(request);
      const q = request.query;
      const page = await schedules.listOverrides(actor, request.params.id, pageRequest(q.limit, q.cursor), {
        includeDeleted: q.include_deleted ?? false,
        start: q.start,
        end: q.end,
      });
      return { data: page.data.map(presentOverride), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/api/v1/schedules/:id/overrides',
    {
      schema: {
        tags,
        summary: 'Put a person on call in place of whoever is (default today 00:00 to tomorrow 00:00 in the schedule zone)',
        params: IdParams,
        body: Type.Object({
          person_id: Type.String({ maxLength: 64 }),
          start: Type.Optional(Instant('unix ms; give both start and end, or neither')),
          end: Type.Optional(Instant('unix ms (exclusive)')),
          role: Type.Optional(Type.String({ maxLength: 64, description: 'default primary' })),
        }),
        response: { 201: OverrideSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const created = await schedules.createOverride(contextOf(request), request.params.id, {
        personId: b.person_id,
        start: b.start,
        end: b.end,
        role: b.role,
      });
      return reply.code(201).send(presentOverride(created));
    },
  );

  app.delete(
    '/api/v1/schedules/:id/overrides/:override_id',
    { schema: { tags, summary: 'Delete an override (it stays in the history)', params: OverrideParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await schedules.deleteOverride(contextOf(request), request.params.id, request.params.override_id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/schedules/:id/ical-token',
    { schema: { tags, summary: "The schedule's secret iCalendar feed URL (managers)", params: IdParams, response: { 200: FeedUrlSchema, ...errorResponses } } },
    async (request) => presentFeedUrl(await schedules.scheduleFeedUrl(contextOf(request).actor, request.params.id)),
  );

  app.post(
    '/api/v1/schedules/:id/ical-token/regenerate',
    { schema: { tags, summary: 'Issue a new feed URL; the old one stops working', params: IdParams, response: { 200: FeedUrlSchema, ...errorResponses } } },
    async (request) => presentFeedUrl(await schedules.regenerateScheduleFeed(contextOf(request), request.params.id)),
  );

  app.get(
    '/api/v1/users/:id/shifts',
    {
      schema: {
        tags,
        summary: "A person's shifts across the schedules I may see (at most 90 days)",
        params: IdParams,
        querystring: Type.Object(RangeQuery),
        response: { 200: ShiftsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = contextOf(request);
      return presentShifts(await schedules.shiftsOf(actor, request.params.id, request.query));
    },
  );

  app.get(
    '/api/v1/me/shifts',
    {
      schema: {
        tags,
        summary: 'My shifts across every schedule (at most 90 days)',
        querystring: Type.Object(RangeQuery),
        response: { 200: ShiftsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { actor } = contextOf(request);
      return presentShifts(await schedules.shiftsOf(actor, actor.person.id, request.query));
    },
  );

  app.get(
    '/api/v1/me/ical-token',
    { schema: { tags, summary: 'My secret iCalendar feed URL', response: { 200: FeedUrlSchema, ...errorResponses } } },
    async (request) => presentFeedUrl(await schedules.personFeedUrl(contextOf(request))),
  );

  app.post(
    '/api/v1/me/ical-token/regenerate',
    { schema: { tags, summary: 'Issue a new personal feed URL; the old one stops working', response: { 200: FeedUrlSchema, ...errorResponses } } },
    async (request) => presentFeedUrl(await schedules.regeneratePersonFeed(contextOf(request))),
  );
}
