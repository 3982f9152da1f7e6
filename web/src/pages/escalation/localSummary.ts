import { SEVERITIES, type EscalationLevel, type EscalationMethod, type EscalationSpec, type SeverityName } from '../../api/specs';
import { roleLabel } from '../../components/schedules/roleLabel';
import { i18next } from '../../i18n';

/** Display name of a person, team, schedule or group chat id; undefined = not known to the console. */
export type NameOf = (id: string) => string | undefined;

const t = (key: string, options?: Record<string, unknown>) => i18next.t(`escalation:summary.${key}`, options);

const VERB_METHODS = new Set<EscalationMethod>(['voice', 'sms', 'email']);

/** "Alice, Bob and Carol" / 「张伟、李娜和王芳」. */
function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return t('and', { list: items.slice(0, -1).join(t('separator')), last: items[items.length - 1] ?? '' });
}

function minutes(value: number): string {
  return value >= 60 && value % 60 === 0 ? t('hours', { count: value / 60 }) : t('minutes', { count: value });
}

function seconds(value: number): string {
  if (value % 60 === 0) return minutes(value / 60);
  if (value < 60) return t('seconds', { count: value });
  return t('minutesSeconds', { minutes: Math.floor(value / 60), seconds: value % 60 });
}

function methodsFor(level: EscalationLevel, severity: SeverityName | undefined): EscalationMethod[] {
  if (severity === undefined || level.methods.kind === 'preferences') return [];
  return level.methods.by_severity[severity] ?? [];
}

function action(level: EscalationLevel, severity: SeverityName | undefined, nameOf: NameOf): string {
  // Like the server, an id the console cannot name is shown as it is.
  const name = (id: string) => nameOf(id) ?? id;
  const targets = level.targets;
  const people = [
    ...(targets.people ?? []).map(name),
    ...(targets.teams ?? []).map((id) => t('team', { name: name(id) })),
    ...(targets.schedules ?? []).map((s) =>
      s.roles && s.roles.length > 0 ? t('scheduleRoles', { name: name(s.id), roles: s.roles.map(roleLabel).join(', ') }) : t('schedule', { name: name(s.id) }),
    ),
  ];
  const chats = (targets.group_chats ?? []).map(name);
  const parts: string[] = [];
  if (people.length > 0) {
    const methods = methodsFor(level, severity);
    // Call, SMS and email read as verbs ("call Alice"); any other method as a noun ("by push").
    const verbs = methods.every((m) => VERB_METHODS.has(m));
    parts.push(
      methods.length === 0
        ? t('byPreferences', { people: joinAnd(people) })
        : verbs
          ? t('byVerbs', { people: joinAnd(people), verbs: joinAnd(methods.map((m) => t(`verbs.${m}`))) })
          : t('byMethods', { people: joinAnd(people), methods: joinAnd(methods.map((m) => t(`methods.${m}`))) }),
    );
  }
  if (chats.length > 0) parts.push(t('postTo', { chats: joinAnd(chats) }));
  return parts.length > 0 ? parts.join(t('clauseAnd')) : t('nobody');
}

function until(spec: EscalationSpec, after: number): string {
  return spec.mode === 'unresolved' ? t('ifUnresolved', { time: minutes(after) }) : t('ifUnacknowledged', { time: minutes(after) });
}

function repeat(level: EscalationLevel): string {
  const times = level.repeat_times ?? 0;
  const every = level.repeat_every_min;
  if (times === 0 || every === null || every === undefined) return '';
  return t(times === 1 ? 'repeatOnce' : 'repeatTimes', { every: seconds(Math.round(every * 60)), count: times });
}

/**
 * The rule in plain language in the person's language, built from its spec the same way the server
 * builds its English summary (src/escalation/model.ts `summarize`): one line per severity when a level
 * picks methods per severity, else one line for all alerts.
 */
export function localRuleSummary(spec: EscalationSpec, nameOf: NameOf): string {
  const explicit = spec.levels.some((level) => level.methods.kind === 'explicit');
  const line = (severity: SeverityName | undefined): string => {
    const clauses = spec.levels.map((level, i) => {
      const what = action(level, severity, nameOf);
      const delay = spec.delay_seconds ?? 0;
      const when =
        i === 0
          ? delay > 0
            ? t('afterDelay', { action: what, delay: seconds(delay) })
            : t('now', { action: what })
          : t('then', { condition: until(spec, spec.levels[i - 1]?.escalate_after_min ?? 0), action: what });
      return when + repeat(level);
    });
    const last = spec.levels[spec.levels.length - 1];
    const after = spec.after_last ?? { kind: 'stop' };
    if (after.kind === 'loop' && last) clauses.push(t(after.times === 1 ? 'loopOnce' : 'loopTimes', { condition: until(spec, last.escalate_after_min), count: after.times }));
    return t('line', { who: severity ? t(`severity.${severity}`) : t('all'), clauses: clauses.join(t('clauseSeparator')) });
  };
  return explicit ? SEVERITIES.map(line).join('\n') : line(undefined);
}
