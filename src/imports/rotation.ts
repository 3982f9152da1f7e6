/**
 * Vendor rotations → Tocsin layers: the anchoring rules shared by the importers. Pure (`now` and
 * instants are parameters). A Tocsin layer's first turn starts at its `start`, so a vendor layer
 * whose rotation was anchored earlier ("virtual start") starts at the last handoff at or before the
 * vendor layer's start, with its members rotated to who is on call then (ADR 0046).
 */
import { DateTime } from 'luxon';
import { WEEKDAYS } from '../schedules/model.js';
import type { ImportedLayer } from './model.js';

export type Unit = ImportedLayer['rotation']['unit'];

/** A turn length in seconds as Tocsin's unit × count, when it is one (count 1–30). */
export function unitOf(seconds: number): { unit: Unit; count: number } | undefined {
  const pick = (unit: Unit, size: number) => (seconds % size === 0 && seconds / size >= 1 && seconds / size <= 30 ? { unit, count: seconds / size } : undefined);
  return pick('week', 604_800) ?? pick('day', 86_400) ?? pick('hour', 3600);
}

/** The instant of handoff k (k may be negative) from the anchor, on the calendar of `zone`. */
export function handoffAt(anchor: number, zone: string, unit: Unit, count: number, k: number): number {
  if (unit === 'hour') return anchor + k * count * 3_600_000;
  const local = DateTime.fromMillis(anchor, { zone });
  const shifted = unit === 'week' ? local.plus({ weeks: k * count }) : unit === 'day' ? local.plus({ days: k * count }) : local.plus({ months: k * count });
  return shifted.toMillis();
}

/** The last handoff at or before `start`, and its index k from the anchor. */
export function lastHandoffAtOrBefore(anchor: number, start: number, zone: string, unit: Unit, count: number): { at: number; k: number } {
  const approx = unit === 'hour' ? 3_600_000 : unit === 'day' ? 86_400_000 : unit === 'week' ? 604_800_000 : 2_629_746_000;
  let k = Math.floor((start - anchor) / (approx * count));
  while (handoffAt(anchor, zone, unit, count, k) > start) k -= 1;
  while (handoffAt(anchor, zone, unit, count, k + 1) <= start) k += 1;
  return { at: handoffAt(anchor, zone, unit, count, k), k };
}

/** `members` rotated so index 0 is whoever has turn k. */
export function rotateMembers<T>(members: readonly T[], k: number): T[] {
  const n = members.length;
  if (n === 0) return [];
  const shift = ((k % n) + n) % n;
  return [...members.slice(shift), ...members.slice(0, shift)];
}

/** Local `HH:MM` and weekday name of an instant in a zone; `exact` is false when it has seconds. */
export function localClock(at: number, zone: string): { time: string; weekday: string; exact: boolean } {
  const local = DateTime.fromMillis(at, { zone });
  return { time: local.toFormat('HH:mm'), weekday: WEEKDAYS[local.weekday - 1] ?? 'monday', exact: local.second === 0 && local.millisecond === 0 };
}

/** `HH:MM[:SS]` + seconds → the `HH:MM` it ends at and how many days later. */
export function addToClock(time: string, seconds: number): { time: string; days: number } {
  const [h = '0', m = '0'] = time.split(':');
  const total = Number(h) * 3600 + Number(m) * 60 + seconds;
  const days = Math.floor(total / 86_400);
  const rest = total - days * 86_400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  return { time: `${hh}:${mm}`, days };
}
