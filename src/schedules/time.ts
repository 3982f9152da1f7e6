import { IANAZone } from 'luxon';
import { isTimeZone } from '../core/validate.js';

/**
 * Wall-clock ↔ instant conversion for schedules (ADR 0006).
 *
 * Calendar arithmetic is done on integer "epoch days" (days since 1970-01-01 in the proleptic Gregorian
 * calendar), never by adding 24 h to a timestamp. Zone offsets come from luxon's IANAZone, memoised
 * per zone as a table of offset transitions so that resolving "on call now" for thousands of schedules
 * stays cheap (luxon's `offset()` formats a date through Intl on every call, ~6 µs).
 *
 * A local wall-clock time is turned into an instant with one rule everywhere (RFC 5545 §3.3.5, the
 * same as Temporal's `disambiguation: 'compatible'`):
 * - a time that does not exist (spring-forward gap) is read with the offset in force before the gap,
 *   i.e. it moves forward by the gap's length (02:30 → 03:30 in New York; 02:15 → 02:45 on Lord Howe);
 * - a time that exists twice (fall-back overlap) is its first occurrence.
 * luxon's `DateTime.fromObject` agrees on gaps but picks an overlap occurrence depending on its internal
 * offset guess (New York 01:30 → the second, Lord Howe 01:45 → the first), hence this module.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Weekday numbers as luxon/ISO: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** ISO weekday of an epoch day (1970-01-01 was a Thursday). */
export function weekdayOf(epochDay: number): IsoWeekday {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/** Civil date of an epoch day (H. Hinnant's days_from_civil inverse). */
export function civilFromDays(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Epoch day of a civil date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Number of days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/** Minutes since local midnight of an `HH:MM` string (already validated). */
export function parseClock(value: string): number {
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}

// ---------------------------------------------------------------------------------------------------
// Offset tables

/** Buckets of a fixed 2^33 ms (~99 days): each holds the offsets in force inside it. */
const BUCKET_MS = 2 ** 33;
/** Probe step when searching a bucket for transitions; tzdb never has two within 6 h. */
const PROBE_MS = 6 * HOUR_MS;

interface Bucket {
  /** Instants where a new offset starts, ascending; `froms[0]` is the bucket start. */
  readonly froms: number[];
  /** Offset in ms in force from `froms[i]`. */
  readonly offsets: number[];
}

class ZoneTable {
  private readonly zone: IANAZone;
  private readonly buckets = new Map<number, Bucket>();

  constructor(name: string) {
    this.zone = IANAZone.create(name);
  }

  private raw(t: number): number {
    return this.zone.offset(t) * MINUTE_MS;
  }

  private build(index: number): Bucket {
    const start = index * BUCKET_MS;
    const end = start + BUCKET_MS;
    const froms = [start];
    const offsets = [this.raw(start)];
    let prevT = start;
    let prevO = offsets[0] ?? 0;
    for (let t = Math.min(start + PROBE_MS, end - 1); ; t = Math.min(t + PROBE_MS, end - 1)) {
      const o = this.raw(t);
      if (o !== prevO) {
        // Binary search the first millisecond in (prevT, t] with the new offset.
        let lo = prevT;
        let hi = t;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.raw(mid) === prevO) lo = mid;
          else hi = mid;
        }
        froms.push(hi);
        offsets.push(o);
        prevO = o;
      }
      prevT = t;
      if (t >= end - 1) break;
    }
    return { froms, offsets };
  }

  /** Offset (ms) of the zone at instant `t`. */
  offsetAt(t: number): number {
    const index = Math.floor(t / BUCKET_MS);
    let bucket = this.buckets.get(index);
    if (!bucket) {
      bucket = this.build(index);
      this.buckets.set(index, bucket);
    }
    const { froms, offsets } = bucket;
    let i = froms.length - 1;
    while (i > 0 && (froms[i] ?? 0) > t) i -= 1;
    return offsets[i] ?? 0;
  }
}

// A memo of facts about tzdb (offsets never change while the process runs), not mutable domain state:
// every function below stays a pure function of its arguments.
const tables = new Map<string, ZoneTable>();

/** True for an IANA zone name; the one validator is core/validate's `isTimeZone`. */
export const isKnownZone = isTimeZone;

/** Converter bound to one IANA zone. */
export interface Zone {
  readonly name: string;
  /** Offset from UTC in ms at an instant. */
  offsetAt(t: number): number;
  /** Local epoch day of an instant. */
  dayOf(t: number): number;
  /** Instant of a local wall-clock time (`minute` since midnight of `epochDay`), per the rule above. */
  resolve(epochDay: number, minute: number): number;
}

/** A converter for `name` (which must be a valid IANA zone). */
export function zoneOf(name: string): Zone {
  let table = tables.get(name);
  if (!table) {
    if (!isKnownZone(name)) throw new RangeError(`unknown time zone ${name}`);
    table = new ZoneTable(name);
    tables.set(name, table);
  }
  const t = table;
  return {
    name,
    offsetAt: (instant) => t.offsetAt(instant),
    dayOf: (instant) => Math.floor((instant + t.offsetAt(instant)) / DAY_MS),
    resolve: (epochDay, minute) => {
      const local = epochDay * DAY_MS + minute * MINUTE_MS;
      // Real offsets lie within ±14 h, so these two probes sit on either side of the true instant.
      const before = t.offsetAt(local - DAY_MS);
      const after = t.offsetAt(local + DAY_MS);
      if (before === after) return local - before;
      const early = local - before;
      const late = local - after;
      const earlyOk = t.offsetAt(early) === before;
      const lateOk = t.offsetAt(late) === after;
      if (earlyOk && lateOk) return Math.min(early, late); // overlap: first occurrence
      if (earlyOk) return early;
      if (lateOk) return late;
      return early; // gap: the offset before the gap moves the time forward by the gap's length
    },
  };
}

/** The local calendar day around `instant` in `timeZone`: [today 00:00, tomorrow 00:00) (e.g. an override's default). */
export function localDayRange(timeZone: string, instant: number): { start: number; end: number } {
  const zone = zoneOf(timeZone);
  const day = zone.dayOf(instant);
  return { start: zone.resolve(day, 0), end: zone.resolve(day + 1, 0) };
}
