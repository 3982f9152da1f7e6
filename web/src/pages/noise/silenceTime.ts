import type { SilenceTime, WeeklyWindow } from '../../api/specs';
import { formattingLocale, i18next } from '../../i18n';
import { formatDateTime } from '../../lib/time';

/** ISO weekdays, Monday first. */
export const WEEKDAY_NUMBERS = [1, 2, 3, 4, 5, 6, 7] as const;

/** ISO weekday (1 = Monday) → "Mon" / 「周一」 ("Monday" / 「星期一」 with `long`), in the person's locale. */
export function weekdayName(day: number, width: 'short' | 'long' = 'short'): string {
  const key = `${formattingLocale()}|${width}`;
  let formatter = weekdayFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(formattingLocale(), { weekday: width, timeZone: 'UTC' });
    weekdayFormatters.set(key, formatter);
  }
  // 1 January 2024 was a Monday.
  return formatter.format(Date.UTC(2024, 0, day));
}

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

// Parsing only: the wall clock is read with an English formatter whatever the person's locale.
const SHORT_TO_ISO: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** ISO weekday and minute of day of `now` on the wall clock of `timeZone`. */
function wallClock(now: number, timeZone: string): { day: number; minute: number } | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return { day: SHORT_TO_ISO[get('weekday')] ?? 1, minute: Number(get('hour')) * 60 + Number(get('minute')) };
  } catch {
    return undefined;
  }
}

function inWindow(w: WeeklyWindow, day: number, minute: number): boolean {
  const start = minutesOf(w.start);
  const end = minutesOf(w.end);
  const yesterday = day === 1 ? 7 : day - 1;
  if (start < end) return w.days.includes(day) && minute >= start && minute < end;
  // Runs past midnight: from start on a listed day until end the next day.
  return (w.days.includes(day) && minute >= start) || (w.days.includes(yesterday) && minute < end);
}

/** Whether a silence is in force at `now` (a display hint; the server decides for real). */
export function silenceActiveAt(time: SilenceTime, now: number): boolean {
  if (time.kind === 'range') return now >= time.start && now < time.end;
  const clock = wallClock(now, time.time_zone);
  return clock !== undefined && time.windows.some((w) => inWindow(w, clock.day, clock.minute));
}

export type SilencePhase = 'active' | 'scheduled' | 'expired' | 'recurring';

export function silencePhase(time: SilenceTime, now: number): SilencePhase {
  if (silenceActiveAt(time, now)) return 'active';
  if (time.kind === 'weekly') return 'recurring';
  return now < time.start ? 'scheduled' : 'expired';
}

function dayList(days: number[]): string {
  const sorted = [...days].sort();
  if (sorted.join() === '1,2,3,4,5') return i18next.t('noise:days.weekdays');
  if (sorted.join() === '6,7') return i18next.t('noise:days.weekends');
  if (sorted.length === 7) return i18next.t('noise:days.everyDay');
  return sorted.map((d) => (d >= 1 && d <= 7 ? weekdayName(d) : String(d))).join(i18next.language === 'zh-CN' ? '、' : ', ');
}

/** "Mar 3, 14:00 → Mar 3, 16:00" or "Weekdays 22:00–06:00 (Europe/Berlin)". */
export function describeSilenceTime(time: SilenceTime): string {
  if (time.kind === 'range') return `${formatDateTime(time.start)} → ${formatDateTime(time.end)}`;
  return i18next.t('noise:days.weekly', { windows: time.windows.map((w) => `${dayList(w.days)} ${w.start}–${w.end}`).join('; '), zone: time.time_zone });
}

/** Unix ms → the value of an `<input type="datetime-local">` in the browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input → unix ms, or NaN when empty or invalid. */
export function fromLocalInput(value: string): number {
  return value ? new Date(value).getTime() : Number.NaN;
}
