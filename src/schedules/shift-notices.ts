import type { FinalShift, TimeRange } from './resolver.js';

/**
 * Shift notifications (SPEC §5): "your shift starts in N min" to the incoming person and "your shift
 * ended" (optionally M min before the end) to the outgoing person. Pure: the engine passes the final
 * timeline, the window (after, now] it has not yet handled, and sends what comes back, deduplicating by
 * `dedupKey` so a re-run or a second process never notifies twice.
 *
 * A person's shift is their continuous time on call in the schedule, across roles and across changes
 * of who else is on call with them: handing from {A, B} to {A, C} is neither an end nor a start for A.
 */

const MINUTE_MS = 60_000;

export type ShiftNoticeKind = 'shift-start' | 'shift-end';

export interface ShiftNotice {
  readonly kind: ShiftNoticeKind;
  readonly scheduleId: string;
  readonly personId: string;
  /** Roles the person holds at the start (for shift-start) or just before the end (for shift-end). */
  readonly roles: readonly string[];
  /** The person's shift; an edge outside the resolved timeline range is null (unknown). */
  readonly shiftStart: number | null;
  readonly shiftEnd: number | null;
  /** When the notice is due (start − lead, or end − lead). */
  readonly dueAt: number;
  /** `shift-start:<schedule>:<person>:<start>` or `shift-end:<schedule>:<person>:<end>`. */
  readonly dedupKey: string;
}

export interface ShiftNoticeInput {
  readonly scheduleId: string;
  /** The schedule's final timeline, resolved over `range` (see `shiftNoticeRange`). */
  readonly shifts: readonly FinalShift[];
  readonly range: TimeRange;
  /** Notices due in (after, now] are returned. */
  readonly after: number;
  readonly now: number;
  /** Minutes before a shift starts to notify the incoming person. */
  readonly startLeadMinutes: number;
  /** Minutes before a shift ends to notify the outgoing person; 0 = when it has ended. */
  readonly endLeadMinutes?: number;
}

/** The range to resolve the final timeline over so that every notice due in (after, now] is found. */
export function shiftNoticeRange(after: number, now: number, startLeadMinutes: number, endLeadMinutes = 0): TimeRange {
  const lo = Math.min(startLeadMinutes, endLeadMinutes) * MINUTE_MS;
  const hi = Math.max(startLeadMinutes, endLeadMinutes) * MINUTE_MS;
  // Starts due are in (after + lead, now + lead]: the range must begin strictly before them to see that
  // the person was off call; ends due must lie strictly inside it to see that they are off call after.
  return { start: after + lo, end: now + hi + 1 };
}

interface Stretch {
  start: number;
  end: number;
}

/** Notices due in (after, now], sorted by due time then key. */
export function dueShiftNotices(input: ShiftNoticeInput): ShiftNotice[] {
  const { scheduleId, shifts, range, after, now } = input;
  const startLead = input.startLeadMinutes * MINUTE_MS;
  const endLead = (input.endLeadMinutes ?? 0) * MINUTE_MS;
  if (now <= after) return [];

  const byPerson = new Map<string, Stretch[]>();
  const sorted = [...shifts].sort((a, b) => a.start - b.start);
  for (const shift of sorted) {
    for (const personId of shift.personIds) {
      const list = byPerson.get(personId) ?? [];
      const last = list[list.length - 1];
      if (last && shift.start <= last.end) last.end = Math.max(last.end, shift.end);
      else list.push({ start: shift.start, end: shift.end });
      byPerson.set(personId, list);
    }
  }

  const rolesAt = (personId: string, t: number): string[] =>
    [...new Set(sorted.filter((s) => s.start <= t && t < s.end && s.personIds.includes(personId)).map((s) => s.role))].sort();

  const out: ShiftNotice[] = [];
  for (const [personId, stretches] of byPerson) {
    for (const { start, end } of stretches) {
      const shiftStart = start > range.start ? start : null;
      const shiftEnd = end < range.end ? end : null;
      if (shiftStart !== null) {
        const dueAt = shiftStart - startLead;
        if (dueAt > after && dueAt <= now) {
          out.push({
            kind: 'shift-start',
            scheduleId,
            personId,
            roles: rolesAt(personId, shiftStart),
            shiftStart,
            shiftEnd,
            dueAt,
            dedupKey: `shift-start:${scheduleId}:${personId}:${shiftStart}`,
          });
        }
      }
      if (shiftEnd !== null) {
        const dueAt = shiftEnd - endLead;
        if (dueAt > after && dueAt <= now) {
          out.push({
            kind: 'shift-end',
            scheduleId,
            personId,
            roles: rolesAt(personId, shiftEnd - 1),
            shiftStart,
            shiftEnd,
            dueAt,
            dedupKey: `shift-end:${scheduleId}:${personId}:${shiftEnd}`,
          });
        }
      }
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || (a.dedupKey < b.dedupKey ? -1 : a.dedupKey > b.dedupKey ? 1 : 0));
}
