/** The part of a layer's form values the first shift depends on (LayerValues fits it). */
export interface RotationDraft {
  readonly rotation: { readonly unit: RotationUnit; readonly count: number | string; readonly handoff_time: string; readonly weekday: string };
  /** datetime-local, read in the schedule's zone. */
  readonly start: string;
}

type RotationUnit = 'hour' | 'day' | 'week' | 'month';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const ISO_WEEKDAY: Record<string, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };

/** Wall-clock times of the layer's zone, carried as UTC milliseconds (no zone arithmetic needed to show them). */
export interface FirstShift {
  readonly start: number;
  readonly end: number;
  /** The length of every later shift, in the rotation's unit. */
  readonly unit: RotationUnit;
  readonly count: number;
  /** True when the first shift is exactly one regular shift (the start falls on a handoff). */
  readonly regular: boolean;
}

function civil(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) : null;
}

function clockMinutes(value: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function monthDay(monthIndex: number, day: number): number {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(day, last));
}

/**
 * The first person's shift of a layer, as the server's resolver counts it (src/schedules/resolver.ts):
 * the first slot runs from the start through the first handoff on or after it, until the second. So a
 * weekly Monday rotation starting on a Friday gives the first person 3 + 7 = 10 days. Computed on the
 * zone's wall clock; a daylight-saving change inside the shift moves its end by the change, not shown.
 */
export function firstShift(layer: RotationDraft): FirstShift | null {
  const start = civil(layer.start);
  const handoff = clockMinutes(layer.rotation.handoff_time);
  const count = Number(layer.rotation.count);
  if (start === null || handoff === null || !Number.isInteger(count) || count < 1) return null;
  const unit = layer.rotation.unit;
  const startDay = Math.floor(start / DAY_MS);
  let boundary: (k: number) => number;
  if (unit === 'hour') {
    const anchor = startDay * DAY_MS + handoff * MINUTE_MS;
    const h0 = anchor + Math.ceil((start - anchor) / HOUR_MS) * HOUR_MS;
    boundary = (k) => h0 + k * count * HOUR_MS;
  } else if (unit === 'day' || unit === 'week') {
    let d0 = startDay;
    const stride = unit === 'week' ? 7 : 1;
    if (unit === 'week') {
      const weekday = ((new Date(d0 * DAY_MS).getUTCDay() + 6) % 7) + 1;
      d0 += ((ISO_WEEKDAY[layer.rotation.weekday] ?? 1) - weekday + 7) % 7;
    }
    while (d0 * DAY_MS + handoff * MINUTE_MS < start) d0 += stride;
    boundary = (k) => (d0 + k * stride * count) * DAY_MS + handoff * MINUTE_MS;
  } else {
    const date = new Date(start);
    const day = date.getUTCDate();
    let m0 = date.getUTCFullYear() * 12 + date.getUTCMonth();
    while (monthDay(m0, day) + handoff * MINUTE_MS < start) m0 += 1;
    boundary = (k) => monthDay(m0 + k * count, day) + handoff * MINUTE_MS;
  }
  // The slot at the start lasts until the second handoff, unless the start is itself a handoff.
  return { start, end: boundary(1), unit, count, regular: boundary(0) === start };
}

/** "10 days", "3 days 12 hours", "6 hours": whole days and hours of a wall-clock span. */
export function spanParts(ms: number): { days: number; hours: number; minutes: number } {
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms - days * DAY_MS) / HOUR_MS);
  const minutes = Math.round((ms - days * DAY_MS - hours * HOUR_MS) / MINUTE_MS);
  return { days, hours, minutes };
}
