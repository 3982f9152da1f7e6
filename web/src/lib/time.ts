import type { UnixMs } from '../api/types';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/** "Mar 3, 2025, 14:05" in the browser's locale and time zone. */
export function formatDateTime(ms: UnixMs): string {
  return dateTime.format(ms);
}

export function formatDate(ms: UnixMs): string {
  return dateOnly.format(ms);
}

/** "5 minutes ago"; `now` is a parameter so callers decide when time moves. */
export function formatRelative(ms: UnixMs, now: UnixMs = Date.now()): string {
  const diff = ms - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relative.format(Math.round(diff / size), unit);
  }
  return 'just now';
}
