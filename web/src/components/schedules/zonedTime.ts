/**
 * Wall-clock time in an IANA zone with nothing but Intl (luxon is not in the web bundle).
 *
 * Converting a wall time to an instant follows the server's rule (ADR 0006, RFC 5545 "compatible"):
 * a time in a spring-forward gap is read with the offset before the gap (02:30 → 03:30), a repeated
 * time in a fall-back overlap is its first occurrence.
 */
import type { UnixMs } from '../../api/types';
import { formattingLocale, i18next } from '../../i18n';

export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const WEEKDAY_INDEX: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether the browser knows the zone. */
export function isKnownZone(zone: string): boolean {
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `zone` at instant `ms`. */
export function wallTimeOf(ms: UnixMs, zone: string): WallTime {
  const out: WallTime = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 4 };
  for (const part of partsFormatter(zone).formatToParts(ms)) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        // Some engines still print midnight as 24 with h23.
        out.hour = Number(part.value) % 24;
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
      case 'weekday':
        out.weekday = WEEKDAY_INDEX[part.value] ?? 1;
        break;
      default:
        break;
    }
  }
  return out;
}

/** The zone's UTC offset at instant `ms`, in ms (positive east of Greenwich). */
export function offsetAt(ms: UnixMs, zone: string): number {
  const wall = wallTimeOf(ms, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant at wall-clock (year, month, day, hour, minute) in `zone`; fields may overflow (day 32). */
export function instantOf(year: number, month: number, day: number, hour: number, minute: number, zone: string): UnixMs {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const before = offsetAt(naive - DAY_MS, zone);
  const after = offsetAt(naive + DAY_MS, zone);
  const valid = [...new Set([before, after, offsetAt(naive, zone)])]
    .map((offset) => naive - offset)
    .filter((candidate) => naive - candidate === offsetAt(candidate, zone));
  // Overlap: the first occurrence. Gap: read with the offset in force before it.
  return valid.length > 0 ? Math.min(...valid) : naive - before;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DDTHH:MM`, the value of an `<input type="datetime-local">`, for `ms` in `zone`. */
export function toLocalInput(ms: UnixMs, zone: string): string {
  const w = wallTimeOf(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

/** The instant of a datetime-local value read in `zone`, or null when it is not a complete value. */
export function fromLocalInput(value: string, zone: string): UnixMs | null {
  const match = LOCAL_INPUT.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  return instantOf(y, mo, d, h, mi, zone);
}

/** Local midnight of the day containing `ms`. */
export function startOfDay(ms: UnixMs, zone: string): UnixMs {
  const w = wallTimeOf(ms, zone);
  return instantOf(w.year, w.month, w.day, 0, 0, zone);
}

/** The same wall-clock time `days` calendar days later (23 or 25 hours across a DST change). */
export function addDays(ms: UnixMs, days: number, zone: string): UnixMs {
  const w = wallTimeOf(ms, zone);
  return instantOf(w.year, w.month, w.day + days, w.hour, w.minute, zone);
}

/** Monday 00:00 of the week containing `ms`. */
export function startOfWeek(ms: UnixMs, zone: string): UnixMs {
  const w = wallTimeOf(ms, zone);
  return instantOf(w.year, w.month, w.day - (w.weekday - 1), 0, 0, zone);
}

/** The 1st of the month containing `ms`, 00:00, moved by `months`. */
export function startOfMonth(ms: UnixMs, zone: string, months = 0): UnixMs {
  const w = wallTimeOf(ms, zone);
  return instantOf(w.year, w.month + months, 1, 0, 0, zone);
}

/** Every local midnight in (start, end). */
export function midnightsBetween(start: UnixMs, end: UnixMs, zone: string): UnixMs[] {
  const out: UnixMs[] = [];
  let day = addDays(startOfDay(start, zone), 1, zone);
  while (day < end && out.length < 400) {
    out.push(day);
    day = addDays(day, 1, zone);
  }
  return out;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formats `ms` in `zone` in the person's locale (weekday and month names, order); formatters are cached. */
export function formatInZone(ms: UnixMs, zone: string, options: Intl.DateTimeFormatOptions): string {
  const locale = formattingLocale();
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formatters.set(key, formatter);
  }
  return formatter.format(ms);
}

const DATE_TIME: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** "Mon, Mar 2, 09:00" in `zone`. */
export function formatDateTimeInZone(ms: UnixMs, zone: string): string {
  return formatInZone(ms, zone, DATE_TIME);
}

/** "Mon, Mar 2, 09:00 – 17:00" or "Mon, Mar 2, 09:00 – Mon, Mar 9, 09:00", in `zone`. */
export function formatRangeInZone(start: UnixMs, end: UnixMs, zone: string): string {
  const sameDay = startOfDay(start, zone) === startOfDay(end - 1, zone) && end - start < DAY_MS;
  return `${formatDateTimeInZone(start, zone)} – ${sameDay ? formatInZone(end, zone, TIME) : formatDateTimeInZone(end, zone)}`;
}

/** "GMT+1" (the zone's offset at `ms`), or the zone itself when the browser cannot say. */
export function zoneOffsetLabel(zone: string, ms: UnixMs = Date.now()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

// Intl formatters are costly to build and a timeline formats a duration per bar: one per locale and unit.
const unitFormatters = new Map<string, Intl.NumberFormat>();
const listFormatters = new Map<string, Intl.ListFormat>();

function unit(locale: string, name: 'day' | 'hour' | 'minute', value: number): string {
  const key = `${locale}|${name}`;
  let formatter = unitFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' });
    unitFormatters.set(key, formatter);
  }
  return formatter.format(value);
}

function unitList(locale: string): Intl.ListFormat {
  let formatter = listFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' });
    listFormatters.set(locale, formatter);
  }
  return formatter;
}

/** "3 days 4 hours", "45 minutes" (「3天4小时」 in Chinese): how long a shift lasts, in the person's locale. */
export function formatDuration(ms: number): string {
  const locale = formattingLocale();
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(unit(locale, 'day', days));
  if (hours) parts.push(unit(locale, 'hour', hours));
  if (rest && !days) parts.push(unit(locale, 'minute', rest));
  if (parts.length === 0) return i18next.t('schedules:duration.underAMinute');
  return unitList(locale).format(parts);
}
