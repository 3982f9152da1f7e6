import type { FieldError } from '../core/errors.js';
import { isTimeZone } from '../core/validate.js';
import { canManageOwnedBy, isAdmin, type Actor } from '../people/model.js';

/** Rotation units of a layer (SPEC §5). */
export const ROTATION_UNITS = ['hour', 'day', 'week', 'month'] as const;
export type RotationUnit = (typeof ROTATION_UNITS)[number];

/** Weekday names accepted on the API; index + 1 is the ISO weekday (1 = Monday). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DEFAULT_ROLE = 'primary';
export const ROTATION_COUNT_MAX = 30;
export const LAYERS_MAX = 20;
export const MEMBERS_MAX = 200;
export const GROUP_MAX = 20;
export const WINDOWS_MAX = 50;
/** Largest instant accepted (9999-12-31T23:59:59.999Z), so calendar maths stays in range. */
export const MAX_INSTANT = 253_402_300_799_999;

/** A clock time `HH:MM` (00:00–23:59) in the schedule's zone. */
export type ClockTime = string;

/** A layer's rotation: every `count` × `unit`, handing off at `handoffTime` (on `weekday` for weeks). */
export interface Rotation {
  readonly unit: RotationUnit;
  readonly count: number;
  readonly handoffTime: ClockTime;
  /** Only for `week`. */
  readonly weekday: Weekday | null;
}

export interface DailyWindow {
  readonly start: ClockTime;
  readonly end: ClockTime;
}

export interface WeeklyWindow {
  readonly startDay: Weekday;
  readonly start: ClockTime;
  readonly endDay: Weekday;
  readonly end: ClockTime;
}

/**
 * When a layer is active. A window whose end is not after its start crosses midnight (daily) or the
 * week's end (weekly); a window whose end equals its start lasts a whole day (daily) or week (weekly).
 */
export type Restrictions =
  | { readonly kind: 'none' }
  | { readonly kind: 'daily'; readonly windows: readonly DailyWindow[] }
  | { readonly kind: 'weekly'; readonly windows: readonly WeeklyWindow[] };

/** One rotation layer. `members[i]` are the people on call together during member i's turn. */
export interface Layer {
  readonly name: string;
  readonly members: readonly (readonly string[])[];
  readonly rotation: Rotation;
  /** Unix ms; the layer is active from here. */
  readonly start: number;
  /** Unix ms (exclusive), or null for open-ended. */
  readonly end: number | null;
  readonly restrictions: Restrictions;
  readonly role: string;
}

/** What the resolver needs of a schedule. Layers later in the list are higher and win. */
export interface ScheduleTimeModel {
  readonly timeZone: string;
  readonly layers: readonly Layer[];
}

/** A schedule as created or updated, before it has an id. */
export interface ScheduleDraft extends ScheduleTimeModel {
  readonly name: string;
  readonly teamId: string;
  readonly description: string;
}

export interface Schedule extends ScheduleDraft {
  readonly id: string;
}

/** A person replacing whoever is on call for `role` during [start, end). */
export interface Override {
  readonly id: string;
  readonly personId: string;
  readonly start: number;
  readonly end: number;
  readonly role: string;
}

export type Normalized<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

// ---------------------------------------------------------------------------------------------------
// Normalization: accepts decoded JSON, reports every broken rule with its dotted path.

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  text(field: string, value: unknown, min: number, max: number, fallback?: string): string | undefined {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string') return this.fail(field, 'must be a string');
    const trimmed = value.trim();
    const length = [...trimmed].length;
    if (length < min) return this.fail(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    if (length > max) return this.fail(field, `must be at most ${max} characters`);
    return trimmed;
  }

  id(field: string, value: unknown): string | undefined {
    return this.text(field, value, 1, 100);
  }

  instant(field: string, value: unknown): number | undefined {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_INSTANT) {
      return this.fail(field, 'must be a unix time in milliseconds');
    }
    return value;
  }

  clock(field: string, value: unknown): ClockTime | undefined {
    if (typeof value !== 'string' || !CLOCK.test(value)) return this.fail(field, 'must be a time HH:MM from 00:00 to 23:59');
    return value;
  }

  weekday(field: string, value: unknown): Weekday | undefined {
    if (typeof value !== 'string' || !(WEEKDAYS as readonly string[]).includes(value)) {
      return this.fail(field, `must be one of ${WEEKDAYS.join(', ')}`);
    }
    return value as Weekday;
  }

  role(field: string, value: unknown): string | undefined {
    if (value === undefined || value === null) return DEFAULT_ROLE;
    if (typeof value !== 'string' || !ROLE.test(value)) {
      return this.fail(field, 'must be a lowercase name such as primary or backup (a-z, 0-9, _ or -, up to 32)');
    }
    return value;
  }

  list(field: string, value: unknown, min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(value)) return this.fail(field, 'must be a list');
    if (value.length < min) return this.fail(field, `must have at least ${min} item${min === 1 ? '' : 's'}`);
    if (value.length > max) return this.fail(field, `must have at most ${max} items`);
    return value;
  }

  object(field: string, value: unknown): Json | undefined {
    if (!isObject(value)) return this.fail(field, 'must be an object');
    return value;
  }
}

function member(c: Checker, field: string, value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') {
    const id = c.id(field, value);
    return id === undefined ? undefined : [id];
  }
  if (!Array.isArray(value)) return c.fail(field, 'must be a person id or a list of person ids');
  const items = c.list(field, value, 1, GROUP_MAX);
  if (!items) return undefined;
  const ids: string[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const id = c.id(`${field}[${i}]`, item);
    if (id === undefined) ok = false;
    else if (ids.includes(id)) {
      c.fail(`${field}[${i}]`, 'is already in this group');
      ok = false;
    } else ids.push(id);
  });
  return ok ? ids : undefined;
}

function rotation(c: Checker, field: string, value: unknown): Rotation | undefined {
  const r = c.object(field, value);
  if (!r) return undefined;
  let unit: RotationUnit | undefined;
  if (typeof r.unit === 'string' && (ROTATION_UNITS as readonly string[]).includes(r.unit)) unit = r.unit as RotationUnit;
  else c.fail(`${field}.unit`, `must be one of ${ROTATION_UNITS.join(', ')}`);
  const count = r.count;
  const countOk = typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= ROTATION_COUNT_MAX;
  if (!countOk) c.fail(`${field}.count`, `must be an integer from 1 to ${ROTATION_COUNT_MAX}`);
  const handoffTime = c.clock(`${field}.handoff_time`, r.handoff_time);
  let weekday: Weekday | null = null;
  if (unit === 'week') weekday = c.weekday(`${field}.weekday`, r.weekday) ?? null;
  else if (r.weekday !== undefined && r.weekday !== null) c.fail(`${field}.weekday`, 'is only allowed when unit is week');
  if (!unit || !countOk || handoffTime === undefined || (unit === 'week' && weekday === null)) return undefined;
  return { unit, count, handoffTime, weekday };
}

function restrictions(c: Checker, field: string, value: unknown): Restrictions | undefined {
  if (value === undefined || value === null) return { kind: 'none' };
  const r = c.object(field, value);
  if (!r) return undefined;
  if (r.kind === 'none') return { kind: 'none' };
  if (r.kind !== 'daily' && r.kind !== 'weekly') return c.fail(`${field}.kind`, 'must be one of none, daily, weekly');
  const items = c.list(`${field}.windows`, r.windows, 1, WINDOWS_MAX);
  if (!items) return undefined;
  const before = c.errors.length;
  if (r.kind === 'daily') {
    const windows: DailyWindow[] = [];
    items.forEach((item, i) => {
      const f = `${field}.windows[${i}]`;
      const w = c.object(f, item);
      if (!w) return;
      const start = c.clock(`${f}.start`, w.start);
      const end = c.clock(`${f}.end`, w.end);
      if (start !== undefined && end !== undefined) windows.push({ start, end });
    });
    return c.errors.length === before ? { kind: 'daily', windows } : undefined;
  }
  const windows: WeeklyWindow[] = [];
  items.forEach((item, i) => {
    const f = `${field}.windows[${i}]`;
    const w = c.object(f, item);
    if (!w) return;
    const startDay = c.weekday(`${f}.start_day`, w.start_day);
    const start = c.clock(`${f}.start`, w.start);
    const endDay = c.weekday(`${f}.end_day`, w.end_day);
    const end = c.clock(`${f}.end`, w.end);
    if (startDay && start !== undefined && endDay && end !== undefined) windows.push({ startDay, start, endDay, end });
  });
  return c.errors.length === before ? { kind: 'weekly', windows } : undefined;
}

function layer(c: Checker, field: string, value: unknown): Layer | undefined {
  const l = c.object(field, value);
  if (!l) return undefined;
  const before = c.errors.length;
  const name = c.text(`${field}.name`, l.name, 1, 100);
  const items = c.list(`${field}.members`, l.members, 0, MEMBERS_MAX);
  const members = (items ?? []).map((m, i) => member(c, `${field}.members[${i}]`, m));
  const rot = rotation(c, `${field}.rotation`, l.rotation);
  const start = c.instant(`${field}.start`, l.start);
  let end: number | null = null;
  if (l.end !== undefined && l.end !== null) {
    const e = c.instant(`${field}.end`, l.end);
    if (e !== undefined && start !== undefined && e <= start) c.fail(`${field}.end`, 'must be after start');
    end = e ?? null;
  }
  const restr = restrictions(c, `${field}.restrictions`, l.restrictions);
  const role = c.role(`${field}.role`, l.role);
  if (c.errors.length !== before || name === undefined || rot === undefined || start === undefined) return undefined;
  if (restr === undefined || role === undefined) return undefined;
  return { name, members: members.filter((m): m is readonly string[] => m !== undefined), rotation: rot, start, end, restrictions: restr, role };
}

/**
 * Checks and cleans a schedule from decoded JSON (`name`, `team_id`, `description`, `time_zone`,
 * `layers[]`), returning every field error at once with dotted paths such as
 * `layers[1].rotation.count`.
 */
export function normalizeSchedule(input: unknown): Normalized<ScheduleDraft> {
  const c = new Checker();
  const s = c.object('schedule', input);
  if (!s) return { ok: false, errors: c.errors };
  const name = c.text('name', s.name, 1, 100);
  const teamId = c.id('team_id', s.team_id);
  const description = c.text('description', s.description ?? '', 0, 2000);
  let timeZone: string | undefined;
  if (typeof s.time_zone !== 'string' || !isTimeZone(s.time_zone)) c.fail('time_zone', 'must be an IANA time zone such as Europe/Berlin');
  else timeZone = s.time_zone;
  const items = c.list('layers', s.layers ?? [], 0, LAYERS_MAX) ?? [];
  const layers = items.map((l, i) => layer(c, `layers[${i}]`, l));
  if (c.errors.length > 0 || name === undefined || teamId === undefined || description === undefined || timeZone === undefined) {
    return { ok: false, errors: c.errors };
  }
  return { ok: true, value: { name, teamId, description, timeZone, layers: layers.filter((l): l is Layer => l !== undefined) } };
}

/** Checks and cleans an override from decoded JSON (`id`, `person_id`, `start`, `end`, `role?`). */
export function normalizeOverride(input: unknown): Normalized<Override> {
  const c = new Checker();
  const o = c.object('override', input);
  if (!o) return { ok: false, errors: c.errors };
  const id = c.id('id', o.id);
  const personId = c.id('person_id', o.person_id);
  const start = c.instant('start', o.start);
  const end = c.instant('end', o.end);
  if (start !== undefined && end !== undefined && end <= start) c.fail('end', 'must be after start');
  const role = c.role('role', o.role);
  if (c.errors.length > 0 || id === undefined || personId === undefined || start === undefined || end === undefined || role === undefined) {
    return { ok: false, errors: c.errors };
  }
  return { ok: true, value: { id, personId, start, end, role } };
}

/** ISO weekday number (1 = Monday) of a weekday name. */
export function isoWeekday(day: Weekday): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  return (WEEKDAYS.indexOf(day) + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

// ---------------------------------------------------------------------------------------------------
// Stored schedules, their API form, and the access policy (SPEC §6: the channel rule applies).

/** A schedule as stored: the time model plus ownership and bookkeeping. */
export interface StoredSchedule extends Schedule {
  readonly teamName: string;
  readonly private: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** An override as stored, with its history fields. */
export interface StoredOverride extends Override {
  readonly scheduleId: string;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly deletedAt: number | null;
  readonly deletedBy: string | null;
}

/** A restriction window in its API form (`start_day`/`end_day` only for weekly windows). */
export interface WindowJson {
  readonly start: ClockTime;
  readonly end: ClockTime;
  readonly start_day?: Weekday;
  readonly end_day?: Weekday;
}

/** A layer in its API (and storage) form; `normalizeSchedule` reads it back. */
export interface LayerJson {
  readonly name: string;
  readonly members: string[][];
  readonly rotation: { readonly unit: RotationUnit; readonly count: number; readonly handoff_time: ClockTime; readonly weekday: Weekday | null };
  readonly start: number;
  readonly end: number | null;
  readonly restrictions: { readonly kind: Restrictions['kind']; readonly windows: WindowJson[] };
  readonly role: string;
}

/** The API form of a normalized layer; groups always come out as lists, even of one person. */
export function layerToJson(layer: Layer): LayerJson {
  const r = layer.restrictions;
  const windows: WindowJson[] =
    r.kind === 'none'
      ? []
      : r.kind === 'daily'
        ? r.windows.map((w) => ({ start: w.start, end: w.end }))
        : r.windows.map((w) => ({ start_day: w.startDay, start: w.start, end_day: w.endDay, end: w.end }));
  return {
    name: layer.name,
    members: layer.members.map((group) => [...group]),
    rotation: { unit: layer.rotation.unit, count: layer.rotation.count, handoff_time: layer.rotation.handoffTime, weekday: layer.rotation.weekday },
    start: layer.start,
    end: layer.end,
    restrictions: { kind: r.kind, windows },
    role: layer.role,
  };
}

/** Every person id a schedule's layers name, with the field each came from (`layers[0].members[1][0]`). */
export function layerMemberFields(layers: readonly Layer[], rawLayers: unknown): { personId: string; field: string }[] {
  const out: { personId: string; field: string }[] = [];
  layers.forEach((layer, i) => {
    const raw: unknown = Array.isArray(rawLayers) ? (rawLayers as unknown[])[i] : undefined;
    const rawMembers: unknown = isObject(raw) ? raw.members : undefined;
    layer.members.forEach((group, m) => {
      // A member given as a bare id is named by its position; a group member by its position in the group.
      const bare = Array.isArray(rawMembers) && typeof (rawMembers as unknown[])[m] === 'string';
      group.forEach((personId, g) => out.push({ personId, field: bare ? `layers[${i}].members[${m}]` : `layers[${i}].members[${m}][${g}]` }));
    });
  });
  return out;
}

/** Public schedules are visible to everyone signed in; private ones only to the owning team and admins. */
export function canSeeSchedule(actor: Actor, schedule: Pick<StoredSchedule, 'private' | 'teamId'>): boolean {
  return !schedule.private || isAdmin(actor) || actor.teamIds.has(schedule.teamId);
}

/** Only the owning team's responders and admins change a schedule (and its overrides and feed token). */
export function canManageSchedule(actor: Actor, schedule: Pick<StoredSchedule, 'teamId'>): boolean {
  return canManageOwnedBy(actor, [schedule.teamId]);
}
