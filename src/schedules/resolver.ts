import { AppError } from '../core/errors.js';
import { isoWeekday, type Layer, type Override, type Schedule, type ScheduleTimeModel } from './model.js';
import { civilFromDays, DAY_MS, daysFromCivil, daysInMonth, HOUR_MS, MINUTE_MS, parseClock, weekdayOf, zoneOf, type Zone } from './time.js';

/**
 * The on-call resolver: pure functions of a schedule, its overrides and instants (ADR 0006).
 *
 * Rotation: a layer's handoffs h(0) < h(1) < … are wall-clock instants in the schedule's zone.
 * h(0) is the first handoff at/after the layer's `start`; h(k) is h(0) plus k × count units, counted on
 * the calendar for day/week/month (then the handoff time is read in the zone again) and in absolute
 * hours for hour. Member index at t = number of whole rotations since h(0), modulo the member count;
 * [start, h(1)) therefore belongs to member 0.
 */

/** Half-open interval [start, end) of unix ms. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/** A layer's shift, clipped to the queried range and its restrictions. */
export interface LayerShift {
  readonly start: number;
  readonly end: number;
  readonly personIds: readonly string[];
  readonly layerIndex: number;
}

/** A shift of the final (stacked, overridden, merged) timeline of one role. */
export interface FinalShift {
  readonly start: number;
  readonly end: number;
  readonly role: string;
  readonly personIds: readonly string[];
}

/** One person's merged on-call interval in one schedule and role. */
export interface PersonShift {
  readonly scheduleId: string;
  readonly role: string;
  readonly start: number;
  readonly end: number;
}

/** Who is on call per role; every role that has a layer is present, possibly with nobody. */
export type OnCall = Readonly<Record<string, readonly string[]>>;

export const MAX_TIMELINE_DAYS = 90;

/** The queried range is empty, reversed, not integral, or longer than the API allows. */
export class TimelineRangeError extends AppError {
  constructor(message: string) {
    super('InvalidParameter', `range: ${message}`, 'range');
    this.name = 'TimelineRangeError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Compiled layers

interface Interval {
  start: number;
  end: number;
}

interface Slot extends Interval {
  readonly personIds: readonly string[];
}

interface CompiledLayer {
  readonly index: number;
  readonly layer: Layer;
  /** Handoff k ≥ 0 (non-decreasing in k). */
  boundary(k: number): number;
  /** Rotation index at t ≥ layer.start: the largest k ≥ 0 with boundary(k) ≤ t, or 0. */
  indexAt(t: number): number;
  /** Active windows overlapping the range, sorted and disjoint; null when unrestricted. */
  windows(range: TimeRange): Interval[] | null;
}

function compileLayer(zone: Zone, layer: Layer, index: number): CompiledLayer {
  const { unit, count } = layer.rotation;
  const handoff = parseClock(layer.rotation.handoffTime);
  const startDay = zone.dayOf(layer.start);
  let boundary: (k: number) => number;
  let estimate: (t: number) => number;

  if (unit === 'hour') {
    // The hour grid runs through the handoff time of the start's local day, in absolute hours.
    const anchor = zone.resolve(startDay, handoff);
    const h0 = anchor + Math.ceil((layer.start - anchor) / HOUR_MS) * HOUR_MS;
    const period = count * HOUR_MS;
    boundary = (k) => h0 + k * period;
    estimate = (t) => Math.floor((t - h0) / period);
  } else if (unit === 'day' || unit === 'week') {
    let d0 = startDay;
    if (unit === 'week') {
      const want = isoWeekday(layer.rotation.weekday ?? 'monday');
      d0 += (want - weekdayOf(d0) + 7) % 7;
    }
    const stride = unit === 'week' ? 7 : 1;
    while (zone.resolve(d0, handoff) < layer.start) d0 += stride;
    const days = stride * count;
    boundary = (k) => zone.resolve(d0 + k * days, handoff);
    const h0 = boundary(0);
    estimate = (t) => Math.floor((t - h0) / (days * DAY_MS));
  } else {
    // Monthly: on the start's day of month, clamped to shorter months; always counted from the anchor
    // month so that 31 → 28 → 31 does not drift.
    const civil = civilFromDays(startDay);
    const monthDay = (m: number): number => {
      const year = Math.floor(m / 12);
      const month = m - year * 12 + 1;
      return daysFromCivil(year, month, Math.min(civil.day, daysInMonth(year, month)));
    };
    let m0 = civil.year * 12 + civil.month - 1;
    while (zone.resolve(monthDay(m0), handoff) < layer.start) m0 += 1;
    boundary = (k) => zone.resolve(monthDay(m0 + k * count), handoff);
    estimate = (t) => {
      const c = civilFromDays(zone.dayOf(t));
      return Math.floor((c.year * 12 + c.month - 1 - m0) / count);
    };
  }

  const indexAt = (t: number): number => {
    let k = Math.max(0, estimate(t));
    while (k > 0 && boundary(k) > t) k -= 1;
    while (boundary(k + 1) <= t) k += 1;
    return k;
  };

  return { index, layer, boundary, indexAt, windows: compileWindows(zone, layer) };
}

function compileWindows(zone: Zone, layer: Layer): (range: TimeRange) => Interval[] | null {
  const r = layer.restrictions;
  if (r.kind === 'none') return () => null;
  // Each window: on a local day with weekday `day` (0 = every day), from `from` to `to` minutes, ending
  // `span` days later.
  const specs =
    r.kind === 'daily'
      ? r.windows.map((w) => {
          const from = parseClock(w.start);
          const to = parseClock(w.end);
          return { day: 0, from, to, span: to > from ? 0 : 1 };
        })
      : r.windows.map((w) => {
          const from = parseClock(w.start);
          const to = parseClock(w.end);
          const startDay = isoWeekday(w.startDay);
          let span = (isoWeekday(w.endDay) - startDay + 7) % 7;
          if (span === 0 && to <= from) span = 7;
          return { day: startDay, from, to, span };
        });
  const lookback = r.kind === 'daily' ? 2 : 8;
  return (range) => {
    const out: Interval[] = [];
    const last = zone.dayOf(range.end) + 1;
    for (let d = zone.dayOf(range.start) - lookback; d <= last; d += 1) {
      const weekday = weekdayOf(d);
      for (const w of specs) {
        if (w.day !== 0 && w.day !== weekday) continue;
        const start = zone.resolve(d, w.from);
        if (start >= range.end) continue;
        const end = zone.resolve(d + w.span, w.to);
        // A window squeezed by a spring-forward gap can resolve backwards: it is empty that day.
        if (end > start && end > range.start) out.push({ start, end });
      }
    }
    return union(out);
  };
}

/** Sorts intervals and merges overlapping or touching ones. */
function union(items: Interval[]): Interval[] {
  items.sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && item.start <= last.end) last.end = Math.max(last.end, item.end);
    else out.push({ start: item.start, end: item.end });
  }
  return out;
}

/** Rotation slots of a compiled layer inside [lo, hi), before restrictions. */
function rotationSlots(c: CompiledLayer, lo: number, hi: number): Slot[] {
  const { members, start } = c.layer;
  const out: Slot[] = [];
  if (members.length === 0) return out;
  for (let k = c.indexAt(lo); ; k += 1) {
    const s = Math.max(k === 0 ? start : c.boundary(k), lo);
    const e = Math.min(c.boundary(k + 1), hi);
    const personIds = members[k % members.length];
    if (s < e && personIds) out.push({ start: s, end: e, personIds });
    if (e >= hi) return out;
  }
}

/** Slots clipped to the active windows (both sorted and disjoint). */
function restrict(slots: Slot[], windows: Interval[] | null): Slot[] {
  if (windows === null) return slots;
  const out: Slot[] = [];
  let w = 0;
  for (const slot of slots) {
    while (w < windows.length && (windows[w]?.end ?? 0) <= slot.start) w += 1;
    for (let i = w; i < windows.length; i += 1) {
      const win = windows[i];
      if (!win || win.start >= slot.end) break;
      const s = Math.max(slot.start, win.start);
      const e = Math.min(slot.end, win.end);
      if (s < e) out.push({ start: s, end: e, personIds: slot.personIds });
    }
  }
  return out;
}

function layerSlots(c: CompiledLayer, range: TimeRange): Slot[] {
  const lo = Math.max(range.start, c.layer.start);
  const hi = Math.min(range.end, c.layer.end ?? Number.POSITIVE_INFINITY);
  if (lo >= hi || c.layer.members.length === 0) return [];
  return restrict(rotationSlots(c, lo, hi), c.windows({ start: lo, end: hi }));
}

/** People of a compiled layer at instant t, or null when the layer has nobody then. */
function layerAt(c: CompiledLayer, t: number): readonly string[] | null {
  const { layer } = c;
  if (t < layer.start || (layer.end !== null && t >= layer.end) || layer.members.length === 0) return null;
  const windows = c.windows({ start: t, end: t + 1 });
  if (windows !== null && !windows.some((w) => w.start <= t && t < w.end)) return null;
  return layer.members[c.indexAt(t) % layer.members.length] ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Ranges

function checkRange(range: TimeRange): void {
  if (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end)) throw new TimelineRangeError('start and end must be unix times in milliseconds');
  if (range.end <= range.start) throw new TimelineRangeError('end must be after start');
}

/** Throws unless the range is at most 90 days: 90 × 24 h, or 90 calendar days in the zone if longer. */
function checkBoundedRange(zone: Zone, range: TimeRange): void {
  checkRange(range);
  const local = range.start + zone.offsetAt(range.start);
  const day = Math.floor(local / DAY_MS);
  const intoDay = local - day * DAY_MS;
  const minute = Math.floor(intoDay / MINUTE_MS);
  const calendarLimit = zone.resolve(day + MAX_TIMELINE_DAYS, minute) + (intoDay - minute * MINUTE_MS);
  const limit = Math.max(range.start + MAX_TIMELINE_DAYS * DAY_MS, calendarLimit);
  if (range.end > limit) throw new TimelineRangeError(`must span at most ${MAX_TIMELINE_DAYS} days`);
}

// ---------------------------------------------------------------------------------------------------
// Public API

/** Shifts of `schedule.layers[layerIndex]` inside the range (≤ 90 days), clipped and restricted. */
export function layerTimeline(schedule: ScheduleTimeModel, layerIndex: number, range: TimeRange): LayerShift[] {
  checkBoundedRange(zoneOf(schedule.timeZone), range);
  return layerTimelineUnbounded(schedule, layerIndex, range);
}

/** `layerTimeline` without the 90-day limit, for internal callers and benchmarks. */
export function layerTimelineUnbounded(schedule: ScheduleTimeModel, layerIndex: number, range: TimeRange): LayerShift[] {
  checkRange(range);
  const layer = schedule.layers[layerIndex];
  if (!layer) throw new RangeError(`schedule has no layer ${layerIndex}`);
  const c = compileLayer(zoneOf(schedule.timeZone), layer, layerIndex);
  return layerSlots(c, range).map((s) => ({ start: s.start, end: s.end, personIds: s.personIds, layerIndex }));
}

/**
 * The final timeline inside the range (≤ 90 days), sorted by start then role: per role, higher layers
 * replace lower ones where they have someone, overrides (later ones first) replace all layers, and
 * adjacent shifts of the same people are merged. Only `role` when given.
 */
export function finalTimeline(schedule: ScheduleTimeModel, overrides: readonly Override[], range: TimeRange, role?: string): FinalShift[] {
  checkBoundedRange(zoneOf(schedule.timeZone), range);
  return finalTimelineUnbounded(schedule, overrides, range, role);
}

/** `finalTimeline` without the 90-day limit, for internal callers and benchmarks. */
export function finalTimelineUnbounded(schedule: ScheduleTimeModel, overrides: readonly Override[], range: TimeRange, role?: string): FinalShift[] {
  checkRange(range);
  const zone = zoneOf(schedule.timeZone);
  const compiled = schedule.layers.map((layer, i) => compileLayer(zone, layer, i));
  const out: FinalShift[] = [];
  for (const r of rolesOf(schedule, overrides, role)) {
    // Highest priority first: overrides (the later in the list, the higher), then layers top-down.
    const lists: Slot[][] = [];
    for (let i = overrides.length - 1; i >= 0; i -= 1) {
      const o = overrides[i];
      if (!o || o.role !== r) continue;
      const s = Math.max(o.start, range.start);
      const e = Math.min(o.end, range.end);
      if (s < e) lists.push([{ start: s, end: e, personIds: [o.personId] }]);
    }
    for (let i = compiled.length - 1; i >= 0; i -= 1) {
      const c = compiled[i];
      if (c && c.layer.role === r) lists.push(layerSlots(c, range));
    }
    for (const shift of stack(lists)) out.push({ start: shift.start, end: shift.end, role: r, personIds: shift.personIds });
  }
  return out.sort((a, b) => a.start - b.start || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
}

function rolesOf(schedule: ScheduleTimeModel, overrides: readonly Override[], only?: string): string[] {
  if (only !== undefined) return [only];
  const roles = new Set<string>();
  for (const layer of schedule.layers) roles.add(layer.role);
  for (const o of overrides) roles.add(o.role);
  return [...roles];
}

/** Flattens sorted, disjoint slot lists (highest priority first) and merges equal neighbours. */
function stack(lists: Slot[][]): Slot[] {
  let total = 0;
  for (const list of lists) total += list.length * 2;
  const points = new Float64Array(total);
  let n = 0;
  for (const list of lists) {
    for (const s of list) {
      points[n++] = s.start;
      points[n++] = s.end;
    }
  }
  points.sort();
  const cursor = new Array<number>(lists.length).fill(0);
  const out: Slot[] = [];
  let lastKey = '';
  for (let i = 0; i + 1 < n; i += 1) {
    const a = points[i] ?? 0;
    const b = points[i + 1] ?? 0;
    if (a === b) continue;
    let winner: readonly string[] | null = null;
    for (let j = 0; j < lists.length && winner === null; j += 1) {
      const list = lists[j] ?? [];
      let p = cursor[j] ?? 0;
      while (p < list.length && (list[p]?.end ?? 0) <= a) p += 1;
      cursor[j] = p;
      const slot = list[p];
      if (slot && slot.start <= a) winner = slot.personIds;
    }
    if (winner === null) continue;
    const key = peopleKey(winner);
    const last = out[out.length - 1];
    if (last && last.end === a && key === lastKey) last.end = b;
    else {
      out.push({ start: a, end: b, personIds: winner });
      lastKey = key;
    }
  }
  return out;
}

function peopleKey(ids: readonly string[]): string {
  return ids.length === 1 ? (ids[0] ?? '') : [...ids].sort().join('\u0000');
}

/** Who is on call at `instant`, per role (overrides, then the highest layer with someone). */
export function onCallAt(schedule: ScheduleTimeModel, overrides: readonly Override[], instant: number): OnCall {
  const zone = zoneOf(schedule.timeZone);
  const result: Record<string, readonly string[]> = {};
  const decided = new Set<string>();
  for (let i = overrides.length - 1; i >= 0; i -= 1) {
    const o = overrides[i];
    if (!o || decided.has(o.role) || instant < o.start || instant >= o.end) continue;
    result[o.role] = [o.personId];
    decided.add(o.role);
  }
  for (let i = schedule.layers.length - 1; i >= 0; i -= 1) {
    const layer = schedule.layers[i];
    if (!layer || decided.has(layer.role)) continue;
    const people = layerAt(compileLayer(zone, layer, i), instant);
    if (people) {
      result[layer.role] = people;
      decided.add(layer.role);
    } else if (!(layer.role in result)) result[layer.role] = [];
  }
  return result;
}

/**
 * A person's merged shifts across schedules inside the range (≤ 90 days), sorted by start; overrides
 * are looked up by schedule id.
 */
export function shiftsOfPerson(
  schedules: readonly Schedule[],
  overridesBySchedule: Readonly<Record<string, readonly Override[]>>,
  personId: string,
  range: TimeRange,
): PersonShift[] {
  const out: PersonShift[] = [];
  for (const schedule of schedules) {
    const timeline = finalTimeline(schedule, overridesBySchedule[schedule.id] ?? [], range);
    const open = new Map<string, { start: number; end: number }>();
    for (const shift of timeline) {
      if (!shift.personIds.includes(personId)) continue;
      const current = open.get(shift.role);
      if (current && current.end === shift.start) current.end = shift.end;
      else {
        if (current) out.push({ scheduleId: schedule.id, role: shift.role, ...current });
        open.set(shift.role, { start: shift.start, end: shift.end });
      }
    }
    for (const [role, current] of open) out.push({ scheduleId: schedule.id, role, ...current });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
