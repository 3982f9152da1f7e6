import { ESCALATION_LIMITS, type EscalationLevel, type EscalationSpec, type TimeCondition } from '../../api/specs';
import { describeFilter } from '../../components/FilterEditor';
import { formattingLocale, i18next } from '../../i18n';

const rule = (key: string, options?: Record<string, unknown>) => i18next.t(`escalation:errors.${key}`, options);

/** A new level: escalate after 30 min, no repeats, follow preferences. */
export function newLevel(people: string[] = []): EscalationLevel {
  return { targets: { people, teams: [], schedules: [], group_chats: [] }, methods: { kind: 'preferences' }, repeat_every_min: null, repeat_times: 0, escalate_after_min: 30 };
}

/** SPEC §4's default rule, with "me" as the first level's target. */
export function newRuleSpec(meId: string): EscalationSpec {
  return { conditions: { filter: [] }, delay_seconds: 0, mode: 'unacknowledged', levels: [newLevel([meId])], after_last: { kind: 'stop' } };
}

function hasTargets(level: EscalationLevel): boolean {
  const t = level.targets;
  return (t.people?.length ?? 0) + (t.teams?.length ?? 0) + (t.schedules?.length ?? 0) + (t.group_chats?.length ?? 0) > 0;
}

/** The spec as the API wants it: empty lists and conditions left out, repeats only when on. */
export function toWire(spec: EscalationSpec): EscalationSpec {
  const filter = spec.conditions?.filter ?? [];
  const time = spec.conditions?.time;
  const conditions = filter.length > 0 || time ? { ...(filter.length > 0 && { filter }), ...(time && { time }) } : undefined;
  return {
    ...(conditions && { conditions }),
    delay_seconds: spec.delay_seconds ?? 0,
    mode: spec.mode ?? 'unacknowledged',
    levels: spec.levels.map((level) => {
      const t = level.targets;
      const repeatTimes = level.repeat_times ?? 0;
      return {
        targets: {
          ...(t.people?.length && { people: t.people }),
          ...(t.teams?.length && { teams: t.teams }),
          ...(t.schedules?.length && { schedules: t.schedules.map((s) => (s.roles?.length ? { id: s.id, roles: s.roles } : { id: s.id })) }),
          ...(t.group_chats?.length && { group_chats: t.group_chats }),
        },
        methods:
          level.methods.kind === 'explicit'
            ? { kind: 'explicit', by_severity: Object.fromEntries(Object.entries(level.methods.by_severity).filter(([, list]) => list && list.length > 0)) }
            : { kind: 'preferences' },
        repeat_every_min: repeatTimes > 0 ? (level.repeat_every_min ?? null) : null,
        repeat_times: repeatTimes,
        escalate_after_min: level.escalate_after_min,
      };
    }),
    after_last: spec.after_last ?? { kind: 'stop' },
    ...(spec.dynamic_assignment === true && { dynamic_assignment: true }),
  };
}

/**
 * What the console can tell before asking the server, keyed like the server's field errors
 * (`spec.levels[1].targets`) so both land in the same place.
 */
export function checkRule(name: string, spec: EscalationSpec): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!name.trim()) errors.name = rule('name');
  spec.levels.forEach((level, i) => {
    const at = `spec.levels[${i}]`;
    if (!hasTargets(level)) errors[`${at}.targets`] = rule('targets');
    if (level.methods.kind === 'explicit' && Object.values(level.methods.by_severity).every((l) => !l || l.length === 0)) {
      errors[`${at}.methods.by_severity`] = rule('methods');
    }
    const [minEvery, maxEvery] = ESCALATION_LIMITS.repeatEveryMin;
    if ((level.repeat_times ?? 0) > 0) {
      const every = level.repeat_every_min;
      if (every === null || every === undefined || every < minEvery || every > maxEvery) errors[`${at}.repeat_every_min`] = rule('repeatEvery', { min: minEvery, max: maxEvery });
    }
    const [minAfter, maxAfter] = ESCALATION_LIMITS.escalateAfterMin;
    if (!Number.isInteger(level.escalate_after_min) || level.escalate_after_min < minAfter || level.escalate_after_min > maxAfter) {
      errors[`${at}.escalate_after_min`] = rule('escalateAfter', { min: minAfter, max: maxAfter });
    }
  });
  spec.conditions?.time?.windows.forEach((w, i) => {
    if (w.days.length === 0) errors[`spec.conditions.time.windows[${i}].days`] = rule('days');
  });
  if (spec.conditions?.time && spec.conditions.time.windows.length === 0) errors['spec.conditions.time.windows'] = rule('windows');
  return errors;
}

/** ISO weekday (1 = Monday) → "Mon" / 「周一」 in the person's locale; 1 January 2024 was a Monday. */
function shortWeekday(day: number): string {
  if (!Number.isInteger(day) || day < 1 || day > 7) return String(day);
  return new Intl.DateTimeFormat(formattingLocale(), { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, day));
}

function dayRanges(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const short = shortWeekday;
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] ?? 0) === (sorted[j] ?? 0) + 1) j++;
    const a = sorted[i] ?? 0;
    const b = sorted[j] ?? 0;
    parts.push(j - i >= 2 ? `${short(a)}–${short(b)}` : j > i ? `${short(a)}, ${short(b)}` : short(a));
    i = j + 1;
  }
  return parts.join(', ');
}

export function describeTime(time: TimeCondition): string {
  const windows = time.windows.map((w) => `${dayRanges(w.days)} ${w.start}–${w.end === '24:00' ? '24:00' : w.end}`).join('; ');
  return i18next.t(time.outside ? 'escalation:conditions.outside' : 'escalation:conditions.inside', { windows, zone: time.time_zone });
}

/** One line about when the rule applies, for the list. */
export function describeConditions(spec: EscalationSpec): string | null {
  const parts: string[] = [];
  const filter = spec.conditions?.filter ?? [];
  if (filter.length > 0) parts.push(i18next.t('escalation:conditions.when', { filter: describeFilter(filter) }));
  if (spec.conditions?.time) parts.push(describeTime(spec.conditions.time));
  return parts.length > 0 ? parts.join(' · ') : null;
}
