import type { UnixMs } from '../api/types';
import { formattingLocale, i18next } from '../i18n';

// Formatters are costly to build; one set per locale, rebuilt when the person switches language.
let cached: { locale: string; dateTime: Intl.DateTimeFormat; dateOnly: Intl.DateTimeFormat; relative: Intl.RelativeTimeFormat } | undefined;

function formatters() {
  const locale = formattingLocale();
  if (cached?.locale !== locale) {
    cached = {
      locale,
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
      dateOnly: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }),
      relative: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
    };
  }
  return cached;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/** "Mar 3, 2025, 14:05" in the person's locale and the browser's time zone. */
export function formatDateTime(ms: UnixMs): string {
  return formatters().dateTime.format(ms);
}

export function formatDate(ms: UnixMs): string {
  return formatters().dateOnly.format(ms);
}

/** "5 minutes ago"; `now` is a parameter so callers decide when time moves. */
export function formatRelative(ms: UnixMs, now: UnixMs = Date.now()): string {
  const diff = ms - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return formatters().relative.format(Math.round(diff / size), unit);
  }
  return i18next.t('common:time.justNow');
}
