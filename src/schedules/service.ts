import type { Clock } from '../core/clock.js';
import { AppError, conflict, forbidden, invalid, notFound, throwIfInvalid, type FieldError } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import { seal, unseal } from '../core/seal.js';
import { hashSecret } from '../core/secrets.js';
import type { Executor } from '../db/types.js';
import { isUniqueViolation } from '../db/types.js';
import { toPage, type Page, type PageRequest } from '../db/pagination.js';
import { canWrite, isAdmin, type Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import { findPersonById, findPersonsByIds } from '../people/store.js';
import { existingTeamIds } from '../people/teams-store.js';
import { icalFeed, type IcalShift } from './ical.js';
import {
  canManageSchedule,
  canSeeSchedule,
  layerMemberFields,
  layerToJson,
  normalizeOverride,
  normalizeSchedule,
  type Layer,
  type LayerJson,
  type Normalized,
  type ScheduleTimeModel,
  type StoredOverride,
  type StoredSchedule,
} from './model.js';
import {
  finalTimeline,
  finalTimelineUnbounded,
  layerTimeline,
  onCallAt,
  shiftsOfPerson,
  TimelineRangeError,
  type FinalShift,
  type LayerShift,
  type PersonShift,
  type TimeRange,
} from './resolver.js';
import { dueShiftNotices as noticesOf, shiftNoticeRange, type ShiftNotice } from './shift-notices.js';
import { localDayRange } from './time.js';
import * as store from './store.js';

export interface SchedulesDeps {
  readonly db: Executor;
  readonly clock: Clock;
  /** Seals feed tokens so their URLs can be shown again. */
  readonly secretKey: Buffer;
  /** Base of the feed URLs. */
  readonly publicUrl: string;
  /** The organisation's zone, for schedules created without one. */
  readonly defaultTimeZone: string;
}

/** Fields of a schedule as the API takes them; `layers` stays raw JSON for `normalizeSchedule`. */
export interface ScheduleInput {
  readonly name?: string | undefined;
  readonly teamId?: string | undefined;
  readonly description?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly private?: boolean | undefined;
  readonly layers?: readonly unknown[] | undefined;
}

export interface OverrideInput {
  readonly personId: string;
  /** Both or neither; neither means today 00:00 to tomorrow 00:00 in the schedule's zone. */
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly role?: string | undefined;
}

/** Ids and names of the people a result mentions, so clients need no second lookup. */
export type PeopleRefs = readonly { readonly id: string; readonly name: string }[];

export interface Timeline {
  readonly timeZone: string;
  readonly range: TimeRange;
  readonly final: readonly FinalShift[];
  readonly layers: readonly { readonly index: number; readonly layer: Layer; readonly shifts: readonly LayerShift[] }[];
  readonly overrides: readonly StoredOverride[];
  readonly people: PeopleRefs;
}

export interface OnCallAnswer {
  readonly at: number;
  readonly roles: readonly { readonly role: string; readonly personIds: readonly string[] }[];
  readonly people: PeopleRefs;
}

/** A person's shift with the schedule's name. */
export interface PersonShiftView extends PersonShift {
  readonly scheduleName: string;
}

/** A feed's secret URL (https) and the same as webcal:// for one-click subscription. */
export interface FeedUrl {
  readonly url: string;
  readonly webcalUrl: string;
}

/** The feed covers a week back and two months ahead (SPEC §5; inside the 90-day timeline limit). */
export const FEED_PAST_MS = 7 * 86_400_000;
export const FEED_FUTURE_MS = 60 * 86_400_000;
const DEFAULT_RANGE_MS = 7 * 86_400_000;
const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function auditView(s: StoredSchedule): object {
  return { name: s.name, description: s.description, team_id: s.teamId, private: s.private, time_zone: s.timeZone, layers: s.layers.map(layerToJson) };
}

function overrideAuditView(o: StoredOverride): object {
  return { override_id: o.id, person_id: o.personId, role: o.role, start: o.start, end: o.end };
}

/** The role order clients see: primary first, then by name. */
function byRole(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'primary') return -1;
  if (b === 'primary') return 1;
  return a < b ? -1 : 1;
}

/**
 * Runs a resolver call whose range came from the request, renaming the resolver's `range` field
 * to the request field that moves it (`end`, or `range.end` in a preview body).
 */
function withRangeField<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TimelineRangeError) throw invalid(field, error.message.replace(/^range: /, ''));
    throw error;
  }
}

/** The normalized value, or a 400 listing every field error. */
function valueOf<T>(result: Normalized<T>): T {
  if (result.ok) return result.value;
  throwIfInvalid(result.errors);
  throw new AppError('InvalidParameter', 'invalid input');
}

/** Schedules, overrides, on-call answers and iCalendar feeds, with the team access rule (SPEC §6). */
export function createSchedulesService(deps: SchedulesDeps) {
  const { db, clock } = deps;

  async function loadVisible(trx: Executor, actor: Actor, id: string): Promise<StoredSchedule> {
    const schedule = await store.findSchedule(trx, id);
    if (!schedule || !canSeeSchedule(actor, schedule)) throw notFound('schedule');
    return schedule;
  }

  async function loadManaged(trx: Executor, actor: Actor, id: string): Promise<StoredSchedule> {
    const schedule = await loadVisible(trx, actor, id);
    if (!canManageSchedule(actor, schedule)) throw forbidden("only the schedule's owning team and administrators may change it");
    return schedule;
  }

  /** Normalizes a whole schedule and checks that every layer member is an existing person. */
  async function checkDraft(trx: Executor, raw: Record<string, unknown>) {
    const draft = valueOf(normalizeSchedule(raw));
    const members = layerMemberFields(draft.layers, raw.layers);
    const found = new Set((await findPersonsByIds(trx, [...new Set(members.map((m) => m.personId))])).map((p) => p.id));
    const errors: FieldError[] = members.filter((m) => !found.has(m.personId)).map((m) => ({ field: m.field, message: `no person with id ${m.personId}` }));
    throwIfInvalid(errors);
    return draft;
  }

  /** The owning team must exist and, for a responder, be one of theirs. */
  async function checkTeam(trx: Executor, actor: Actor, teamId: string): Promise<void> {
    if (!(await existingTeamIds(trx, [teamId])).has(teamId)) throw invalid('team_id', 'no team with this id');
    if (!isAdmin(actor) && !actor.teamIds.has(teamId)) throw invalid('team_id', 'you must be a member of the owning team');
  }

  function translateUnique(error: unknown): never {
    if (isUniqueViolation(error)) throw conflict('name', 'a schedule with this name already exists');
    throw error;
  }

  async function peopleRefs(ids: Iterable<string>): Promise<PeopleRefs> {
    const people = await findPersonsByIds(db, [...new Set(ids)]);
    return people.map((p) => ({ id: p.id, name: p.name })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  function newFeedToken(): { token: string; hash: string; sealed: string } {
    const token = randomToken(32);
    return { token, hash: hashSecret(token), sealed: seal(deps.secretKey, token) };
  }

  function feedUrl(kind: 'schedules' | 'people', sealed: string): FeedUrl {
    const url = `${deps.publicUrl}/ical/${kind}/${unseal(deps.secretKey, sealed)}.ics`;
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
  }

  async function overridesOf(scheduleId: string, range: TimeRange): Promise<StoredOverride[]> {
    return (await store.activeOverrides(db, [scheduleId], range)).get(scheduleId) ?? [];
  }

  /** The timeline of a schedule model (stored or draft) over a checked range. */
  async function timelineOf(
    schedule: ScheduleTimeModel,
    overrides: readonly StoredOverride[],
    range: TimeRange,
    role: string | undefined,
    rangeField: string,
  ): Promise<Timeline> {
    const final = withRangeField(rangeField, () => finalTimeline(schedule, overrides, range, role));
    const layers = schedule.layers.flatMap((layer, index) =>
      role !== undefined && layer.role !== role ? [] : [{ index, layer, shifts: layerTimeline(schedule, index, range) }],
    );
    const mentioned = [
      ...final.flatMap((s) => s.personIds),
      ...layers.flatMap((l) => l.shifts.flatMap((s) => s.personIds)),
      ...overrides.map((o) => o.personId),
    ];
    return { timeZone: schedule.timeZone, range, final, layers, overrides, people: await peopleRefs(mentioned) };
  }

  /** A person's merged shifts in the given schedules over a checked range, with schedule names. */
  async function shiftsIn(schedules: readonly StoredSchedule[], personId: string, range: TimeRange, rangeField: string): Promise<PersonShiftView[]> {
    // The resolver's own 90-day rule, checked even when the person is in no schedule (UTC is the strictest zone).
    withRangeField(rangeField, () => finalTimeline({ timeZone: 'UTC', layers: [] }, [], range));
    const withOverride = await store.schedulesWithOverridesFor(db, personId, range);
    const involved = schedules.filter((s) => withOverride.has(s.id) || s.layers.some((l) => l.members.some((group) => group.includes(personId))));
    const overrides = await store.activeOverrides(
      db,
      involved.map((s) => s.id),
      range,
    );
    const names = new Map(involved.map((s) => [s.id, s.name]));
    const shifts = withRangeField(rangeField, () => shiftsOfPerson(involved, Object.fromEntries(overrides), personId, range));
    return shifts.map((s) => ({ ...s, scheduleName: names.get(s.scheduleId) ?? '' }));
  }

  function feedRange(): TimeRange {
    const now = clock.now();
    return { start: now - FEED_PAST_MS, end: now + FEED_FUTURE_MS };
  }

  return {
    async list(actor: Actor, page: PageRequest, search?: string): Promise<Page<StoredSchedule>> {
      const rows = await store.listVisibleSchedules(db, page, { seeAll: isAdmin(actor), teamIds: [...actor.teamIds] }, search);
      return toPage(
        rows,
        page,
        (s) => s.name,
        (s) => s,
      );
    },

    async get(actor: Actor, id: string): Promise<StoredSchedule> {
      return loadVisible(db, actor, id);
    },

    async create(ctx: RequestContext, input: ScheduleInput): Promise<StoredSchedule> {
      if (!canWrite(ctx.actor)) throw forbidden('viewers cannot create schedules');
      const now = clock.now();
      const id = newId(now);
      const token = newFeedToken();
      try {
        await db.transaction().execute(async (trx) => {
          const draft = await checkDraft(trx, {
            name: input.name,
            team_id: input.teamId,
            description: input.description ?? '',
            time_zone: input.timeZone ?? deps.defaultTimeZone,
            layers: input.layers ?? [],
          });
          await checkTeam(trx, ctx.actor, draft.teamId);
          await store.insertSchedule(trx, {
            id,
            name: draft.name,
            description: draft.description,
            team_id: draft.teamId,
            time_zone: draft.timeZone,
            private: input.private ? 1 : 0,
            spec_json: store.serializeSpec(draft.layers.map(layerToJson)),
            ical_token_hash: token.hash,
            ical_token_sealed: token.sealed,
            created_at: now,
            updated_at: now,
          });
          const created = await store.findSchedule(trx, id);
          await recordAudit(trx, ctx, now, { action: 'schedule.create', targetType: 'schedule', targetId: id, after: created && auditView(created) });
        });
      } catch (error) {
        translateUnique(error);
      }
      return loadVisible(db, ctx.actor, id);
    },

    /** Changes the given fields; `layers`, when given, replaces all layers. */
    async update(ctx: RequestContext, id: string, input: ScheduleInput): Promise<StoredSchedule> {
      const now = clock.now();
      try {
        return await db.transaction().execute(async (trx) => {
          const before = await loadManaged(trx, ctx.actor, id);
          const draft = await checkDraft(trx, {
            name: input.name ?? before.name,
            team_id: input.teamId ?? before.teamId,
            description: input.description ?? before.description,
            time_zone: input.timeZone ?? before.timeZone,
            layers: input.layers ?? before.layers.map(layerToJson),
          });
          if (draft.teamId !== before.teamId) await checkTeam(trx, ctx.actor, draft.teamId);
          await store.updateSchedule(trx, id, {
            name: draft.name,
            description: draft.description,
            team_id: draft.teamId,
            time_zone: draft.timeZone,
            ...(input.private !== undefined && { private: input.private ? 1 : 0 }),
            spec_json: store.serializeSpec(draft.layers.map(layerToJson)),
            updated_at: now,
          });
          const after = await store.findSchedule(trx, id);
          if (!after) throw notFound('schedule');
          await recordAudit(trx, ctx, now, {
            action: 'schedule.update',
            targetType: 'schedule',
            targetId: id,
            before: auditView(before),
            after: auditView(after),
          });
          return after;
        });
      } catch (error) {
        translateUnique(error);
      }
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await loadManaged(trx, ctx.actor, id);
        await store.deleteSchedule(trx, id);
        await recordAudit(trx, ctx, now, { action: 'schedule.delete', targetType: 'schedule', targetId: id, before: auditView(before) });
      });
    },

    /** Whether the actor may change this schedule (for the console's controls). */
    canManage(actor: Actor, schedule: StoredSchedule): boolean {
      return canManageSchedule(actor, schedule);
    },

    /**
     * The timeline of an unsaved draft (`time_zone`, `layers`; other fields are ignored) over `range`;
     * nothing is stored. Errors name `layers[…]` like create, and `range.end` for the range.
     */
    async preview(input: { timeZone?: string | undefined; layers?: readonly unknown[] | undefined }, range: TimeRange, role?: string): Promise<Timeline> {
      const draft = await checkDraft(db, {
        name: 'preview',
        team_id: 'preview',
        time_zone: input.timeZone ?? deps.defaultTimeZone,
        layers: input.layers ?? [],
      });
      return timelineOf(draft, [], range, role, 'range.end');
    },

    /** Final and per-layer timelines over [start, end) (≤ 90 days; default the next 7 days). */
    async timeline(actor: Actor, id: string, query: { start?: number | undefined; end?: number | undefined; role?: string | undefined }): Promise<Timeline> {
      const schedule = await loadVisible(db, actor, id);
      const start = query.start ?? clock.now();
      const range = { start, end: query.end ?? start + DEFAULT_RANGE_MS };
      if (range.end <= range.start) throw invalid('end', 'must be after start');
      return timelineOf(schedule, await overridesOf(id, range), range, query.role, 'end');
    },

    /** Who is on call at `at` (default now), per role; every role with a layer or override is listed. */
    async onCall(actor: Actor, id: string, query: { at?: number | undefined; role?: string | undefined }): Promise<OnCallAnswer> {
      const schedule = await loadVisible(db, actor, id);
      const at = query.at ?? clock.now();
      const answer = onCallAt(schedule, await overridesOf(id, { start: at, end: at + 1 }), at);
      const roles = Object.entries(answer)
        .filter(([role]) => query.role === undefined || role === query.role)
        .map(([role, personIds]) => ({ role, personIds }))
        .sort((a, b) => byRole(a.role, b.role));
      if (query.role !== undefined && roles.length === 0) roles.push({ role: query.role, personIds: [] });
      return { at, roles, people: await peopleRefs(roles.flatMap((r) => r.personIds)) };
    },

    async createOverride(ctx: RequestContext, scheduleId: string, input: OverrideInput): Promise<StoredOverride> {
      if ((input.start === undefined) !== (input.end === undefined)) {
        throw invalid(input.start === undefined ? 'start' : 'end', 'give both start and end, or neither for today 00:00 to tomorrow 00:00');
      }
      const now = clock.now();
      const id = newId(now);
      return db.transaction().execute(async (trx) => {
        const schedule = await loadManaged(trx, ctx.actor, scheduleId);
        const today = localDayRange(schedule.timeZone, now);
        const o = valueOf(
          normalizeOverride({ id, person_id: input.personId, start: input.start ?? today.start, end: input.end ?? today.end, role: input.role }),
        );
        if (!(await findPersonById(trx, o.personId))) throw invalid('person_id', 'no person with this id');
        await store.insertOverride(trx, {
          id,
          schedule_id: scheduleId,
          person_id: o.personId,
          role: o.role,
          start_at: o.start,
          end_at: o.end,
          created_by: ctx.actor.person.id,
          created_at: now,
          deleted_at: null,
          deleted_by: null,
        });
        const created = await store.findOverride(trx, scheduleId, id);
        if (!created) throw notFound('override');
        await recordAudit(trx, ctx, now, {
          action: 'schedule.override.create',
          targetType: 'schedule',
          targetId: scheduleId,
          after: overrideAuditView(created),
        });
        return created;
      });
    },

    async listOverrides(
      actor: Actor,
      scheduleId: string,
      page: PageRequest,
      filter: { includeDeleted: boolean; start?: number | undefined; end?: number | undefined },
    ): Promise<Page<StoredOverride>> {
      await loadVisible(db, actor, scheduleId);
      const rows = await store.listOverrides(db, scheduleId, page, filter);
      return toPage(
        rows,
        page,
        (o) => String(o.start),
        (o) => o,
      );
    },

    /** Marks an override deleted; it stays in the history. Deleting twice is a no-op. */
    async deleteOverride(ctx: RequestContext, scheduleId: string, overrideId: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await loadManaged(trx, ctx.actor, scheduleId);
        const before = await store.findOverride(trx, scheduleId, overrideId);
        if (!before) throw notFound('override');
        if (before.deletedAt !== null) return;
        await store.markOverrideDeleted(trx, overrideId, now, ctx.actor.person.id);
        await recordAudit(trx, ctx, now, {
          action: 'schedule.override.delete',
          targetType: 'schedule',
          targetId: scheduleId,
          before: overrideAuditView(before),
        });
      });
    },

    /**
     * A person's shifts across the schedules the actor may see (a person always sees all of their
     * own) over [start, end) (≤ 90 days; default the next 7 days).
     */
    async shiftsOf(
      actor: Actor,
      personId: string,
      query: { start?: number | undefined; end?: number | undefined },
    ): Promise<{ range: TimeRange; shifts: PersonShiftView[] }> {
      if (!(await findPersonById(db, personId))) throw notFound('person');
      const start = query.start ?? clock.now();
      const range = { start, end: query.end ?? start + DEFAULT_RANGE_MS };
      if (range.end <= range.start) throw invalid('end', 'must be after start');
      const own = actor.person.id === personId;
      const schedules = (await store.listAllSchedules(db)).filter((s) => own || canSeeSchedule(actor, s));
      return { range, shifts: await shiftsIn(schedules, personId, range, 'end') };
    },

    /** The schedule's feed URL (managers only: the URL is a secret). */
    async scheduleFeedUrl(actor: Actor, id: string): Promise<FeedUrl> {
      await loadManaged(db, actor, id);
      const sealed = await store.findScheduleTokenSealed(db, id);
      if (!sealed) throw notFound('schedule');
      return feedUrl('schedules', sealed);
    },

    /** Issues a new schedule feed token; the old URL stops working at once. */
    async regenerateScheduleFeed(ctx: RequestContext, id: string): Promise<FeedUrl> {
      const now = clock.now();
      const token = newFeedToken();
      await db.transaction().execute(async (trx) => {
        await loadManaged(trx, ctx.actor, id);
        await store.updateSchedule(trx, id, { ical_token_hash: token.hash, ical_token_sealed: token.sealed, updated_at: now });
        await recordAudit(trx, ctx, now, { action: 'schedule.ical_token.regenerate', targetType: 'schedule', targetId: id });
      });
      return feedUrl('schedules', token.sealed);
    },

    /** The caller's personal feed URL, created on first use. */
    async personFeedUrl(ctx: RequestContext): Promise<FeedUrl> {
      const personId = ctx.actor.person.id;
      const existing = await store.findPersonTokenSealed(db, personId);
      if (existing) return feedUrl('people', existing);
      const now = clock.now();
      const token = newFeedToken();
      try {
        await db.transaction().execute(async (trx) => {
          await store.insertPersonToken(trx, { person_id: personId, token_hash: token.hash, token_sealed: token.sealed, created_at: now });
          await recordAudit(trx, ctx, now, { action: 'person.ical_token.create', targetType: 'person', targetId: personId });
        });
      } catch (error) {
        // Two first requests raced; the other one's token stands.
        if (!isUniqueViolation(error)) throw error;
      }
      const sealed = await store.findPersonTokenSealed(db, personId);
      if (!sealed) throw new AppError('InternalError', 'the feed token could not be stored');
      return feedUrl('people', sealed);
    },

    /** Issues a new personal feed token; the old URL stops working at once. */
    async regeneratePersonFeed(ctx: RequestContext): Promise<FeedUrl> {
      const personId = ctx.actor.person.id;
      const now = clock.now();
      const token = newFeedToken();
      await db.transaction().execute(async (trx) => {
        await store.replacePersonToken(trx, { person_id: personId, token_hash: token.hash, token_sealed: token.sealed, created_at: now });
        await recordAudit(trx, ctx, now, { action: 'person.ical_token.regenerate', targetType: 'person', targetId: personId });
      });
      return feedUrl('people', token.sealed);
    },

    /** The RFC 5545 feed of a schedule's final timeline, 7 days back to 60 ahead; 404 for an unknown token. */
    async scheduleFeed(token: string): Promise<string> {
      const schedule = FEED_TOKEN.test(token) ? await store.findScheduleByTokenHash(db, hashSecret(token)) : undefined;
      if (!schedule) throw notFound('calendar');
      const range = feedRange();
      const overrides = await overridesOf(schedule.id, range);
      const final = finalTimeline(schedule, overrides, range);
      const names = new Map((await peopleRefs(final.flatMap((s) => s.personIds))).map((p) => [p.id, p.name]));
      const shifts: IcalShift[] = final.map((s) => {
        const who = s.personIds.map((id) => names.get(id) ?? id).join(', ');
        return {
          scheduleId: schedule.id,
          scheduleName: schedule.name,
          role: s.role,
          start: s.start,
          end: s.end,
          summary: `${who}: ${schedule.name} (${s.role})`,
          description: `On call: ${who}`,
        };
      });
      return icalFeed({ name: `${schedule.name} on call`, shifts, now: clock.now(), url: `${deps.publicUrl}/ical/schedules/${token}.ics` });
    },

    /** The RFC 5545 feed of one person's shifts across every schedule, 7 days back to 60 ahead. */
    async personFeed(token: string): Promise<string> {
      const personId = FEED_TOKEN.test(token) ? await store.findPersonIdByTokenHash(db, hashSecret(token)) : undefined;
      const person = personId ? await findPersonById(db, personId) : undefined;
      if (!person || person.status !== 'active') throw notFound('calendar');
      const shifts = await shiftsIn(await store.listAllSchedules(db), person.id, feedRange(), 'range');
      return icalFeed({
        name: `On call: ${person.name}`,
        shifts: shifts.map((s) => ({ scheduleId: s.scheduleId, scheduleName: s.scheduleName, role: s.role, start: s.start, end: s.end, personId: person.id })),
        now: clock.now(),
        url: `${deps.publicUrl}/ical/people/${token}.ics`,
      });
    },

    /**
     * Shift notices due in (after, now] over every schedule, for the engine's shift-notice module:
     * it sends each and deduplicates by `dedupKey`. It should bound `now − after` itself (e.g. skip
     * what is hours late after an outage); the timelines are resolved over that whole window.
     */
    async dueShiftNotices(after: number, now: number, leads: { startLeadMinutes?: number; endLeadMinutes?: number } = {}): Promise<ShiftNotice[]> {
      if (now <= after) return [];
      const startLeadMinutes = leads.startLeadMinutes ?? 15;
      const endLeadMinutes = leads.endLeadMinutes ?? 0;
      const range = shiftNoticeRange(after, now, startLeadMinutes, endLeadMinutes);
      const schedules = await store.listAllSchedules(db);
      const overrides = await store.activeOverrides(db, 'all', range);
      const notices = schedules.flatMap((s) =>
        noticesOf({
          scheduleId: s.id,
          shifts: finalTimelineUnbounded(s, overrides.get(s.id) ?? [], range),
          range,
          after,
          now,
          startLeadMinutes,
          endLeadMinutes,
        }),
      );
      return notices.sort((a, b) => a.dueAt - b.dueAt || (a.dedupKey < b.dedupKey ? -1 : a.dedupKey > b.dedupKey ? 1 : 0));
    },
  };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;

/** The API form of layers, re-exported for presenters. */
export type { LayerJson };
