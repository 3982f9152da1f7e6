import type { UnixMs } from '../../api/types';
import { addDays, formatInZone, startOfDay, startOfMonth, startOfWeek } from './zonedTime';

/** The spans the schedule timeline offers. */
export type TimelineView = 'day' | 'week' | 'two-weeks' | 'month';

/** `labelKey` is in the schedules namespace (`timeline.views.*`). */
export const TIMELINE_VIEWS: ReadonlyArray<{ value: TimelineView; labelKey: string }> = [
  { value: 'day', labelKey: 'timeline.views.day' },
  { value: 'week', labelKey: 'timeline.views.week' },
  { value: 'two-weeks', labelKey: 'timeline.views.twoWeeks' },
  { value: 'month', labelKey: 'timeline.views.month' },
];

export function isTimelineView(value: string | null | undefined): value is TimelineView {
  return TIMELINE_VIEWS.some((view) => view.value === value);
}

export interface TimeRange {
  start: UnixMs;
  end: UnixMs;
}

/** The range a view shows around `anchor`: the day, the week (from Monday), two weeks, the month. */
export function rangeFor(view: TimelineView, anchor: UnixMs, zone: string): TimeRange {
  switch (view) {
    case 'day': {
      const start = startOfDay(anchor, zone);
      return { start, end: addDays(start, 1, zone) };
    }
    case 'week': {
      const start = startOfWeek(anchor, zone);
      return { start, end: addDays(start, 7, zone) };
    }
    case 'two-weeks': {
      const start = startOfWeek(anchor, zone);
      return { start, end: addDays(start, 14, zone) };
    }
    case 'month':
      return { start: startOfMonth(anchor, zone), end: startOfMonth(anchor, zone, 1) };
  }
}

/** The anchor one view earlier (-1) or later (+1). */
export function stepAnchor(view: TimelineView, anchor: UnixMs, direction: 1 | -1, zone: string): UnixMs {
  switch (view) {
    case 'day':
      return addDays(anchor, direction, zone);
    case 'week':
      return addDays(anchor, 7 * direction, zone);
    case 'two-weeks':
      return addDays(anchor, 14 * direction, zone);
    case 'month':
      return startOfMonth(anchor, zone, direction);
  }
}

/** "Mar 2 – Mar 8, 2026", "March 2026", "Monday, March 2, 2026" (「2026年3月」 in Chinese): in the person's locale. */
export function rangeTitle(view: TimelineView, range: TimeRange, zone: string): string {
  if (view === 'day') return formatInZone(range.start, zone, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  if (view === 'month') return formatInZone(range.start, zone, { month: 'long', year: 'numeric' });
  const last = addDays(range.end, -1, zone);
  return `${formatInZone(range.start, zone, { month: 'short', day: 'numeric' })} – ${formatInZone(last, zone, {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  })}`;
}
