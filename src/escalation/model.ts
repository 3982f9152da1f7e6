import { compileSilenceTime, silenceActiveAt, type SilenceRule, type WeeklyWindow } from '../alerts/model.js';
import type { FieldError } from '../core/errors.js';
import { compileFilter, type Compiled, type Filter, type FilterMatcher, type FilterSubject } from '../core/filter.js';
import type { Severity } from '../core/event.js';

/**
 * Escalation rules (SPEC §4) as stored and spoken by the API (snake_case): validation, the
 * compiled matcher that picks a channel's rule for an incident, dynamic assignment by labels and
 * a plain-language summary. Pure: no clock, no store. The timing of a running escalation lives in
 * `planner.ts`.
 */

export const METHODS = ['voice', 'sms', 'email', 'push', 'slack_dm', 'feishu_dm', 'dingtalk_dm', 'wecom_dm', 'teams_dm', 'telegram_dm'] as const;
export type Method = (typeof METHODS)[number];

export const SEVERITIES: readonly Severity[] = ['Critical', 'Warning', 'Info'];

export const LEVELS_MAX = 10;
export const DELAY_SECONDS_MAX = 3600;
export const REPEAT_EVERY_MIN_MIN = 0.5;
export const REPEAT_EVERY_MIN_MAX = 120;
export const REPEAT_TIMES_MAX = 6;
export const ESCALATE_AFTER_MIN_MAX = 720;
export const LOOP_TIMES_MAX = 10;
export const PEOPLE_MAX = 50;
export const TEAMS_MAX = 20;
export const SCHEDULES_MAX = 20;
export const GROUP_CHATS_MAX = 20;
/** Entries read from one dynamic-assignment label; the rest are ignored. */
export const DYNAMIC_ENTRIES_MAX = 50;

/** A schedule target: whoever is on call now, optionally only in the given roles (all roles when absent). */
export interface ScheduleTarget {
  readonly id: string;
  readonly roles?: readonly string[];
}

/** Who a level notifies, by id. `group_chats` are ids of configured IM bots / channel webhooks. */
export interface Targets {
  readonly people?: readonly string[];
  readonly teams?: readonly string[];
  readonly schedules?: readonly ScheduleTarget[];
  readonly group_chats?: readonly string[];
}

/**
 * Targets set for one incident by `tocsin_level_<n>_emails` / `tocsin_level_<n>_teams` labels. They
 * are references, not ids: the service resolves each email to a person and each team ref to a team
 * (by id or by name) and puts every one it cannot resolve on the timeline.
 */
export interface AssignedTargets {
  readonly people_emails: readonly string[];
  readonly team_refs: readonly string[];
}

/** Methods per severity; a severity without a (non-empty) list follows each person's preferences. */
export type MethodsSpec =
  { readonly kind: 'preferences' } | { readonly kind: 'explicit'; readonly by_severity: Readonly<Partial<Record<Severity, readonly Method[]>>> };

/** The timing fields of a level, all the planner reads. */
export interface LevelTiming {
  /** 0.5–120 minutes in whole seconds; null or absent = no repeats. */
  readonly repeat_every_min?: number | null;
  /** 0–6, default 0. */
  readonly repeat_times?: number;
  /** 1–720 minutes, counted from the level's first notification. */
  readonly escalate_after_min: number;
}

export interface LevelSpec extends LevelTiming {
  readonly targets: Targets;
  readonly methods: MethodsSpec;
}

/** A level of a rule snapshotted on an incident: dynamic assignment may have replaced its targets. */
export interface IncidentLevelSpec extends LevelTiming {
  readonly targets: Targets | AssignedTargets;
  readonly methods: MethodsSpec;
}

export interface TimeCondition {
  readonly time_zone: string;
  readonly windows: readonly WeeklyWindow[];
  /** true: the rule matches when the incident is in none of the windows. */
  readonly outside?: boolean;
}

export interface RuleConditions {
  readonly filter?: Filter;
  readonly time?: TimeCondition;
}

export type EscalationMode = 'unacknowledged' | 'unresolved';
export type AfterLast = { readonly kind: 'stop' } | { readonly kind: 'loop'; readonly times: number };

/** A rule's spec with levels of type `L`: the stored rule, or the snapshot on an incident. */
export interface RuleSpecOf<L extends LevelTiming> {
  readonly conditions?: RuleConditions;
  /** 0–3600, default 0. */
  readonly delay_seconds?: number;
  /** Default `unacknowledged`. */
  readonly mode?: EscalationMode;
  /** 1–10 levels. */
  readonly levels: readonly L[];
  /** Default stop; loop 1–10 times. */
  readonly after_last?: AfterLast;
  /**
   * Opt-in (issue 10 item 5): `tocsin_level_<n>_emails` / `_teams` labels may replace a level's targets,
   * limited to people and teams of the channel's teams. Absent = false: alert senders choose nobody.
   */
  readonly dynamic_assignment?: boolean;
}

/** An escalation rule as stored and spoken by the API. */
export type EscalationRuleSpec = RuleSpecOf<LevelSpec>;
/** The rule frozen on an incident when it triggered (after dynamic assignment). */
export type IncidentRuleSpec = RuleSpecOf<IncidentLevelSpec>;

export type Normalized<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

/** A new rule: one level, escalate after 30 min, no repeats, follow preferences, no targets yet (the console fills "me"). */
export function defaultRuleSpec(): EscalationRuleSpec {
  return {
    delay_seconds: 0,
    mode: 'unacknowledged',
    levels: [{ targets: {}, methods: { kind: 'preferences' }, repeat_every_min: null, repeat_times: 0, escalate_after_min: 30 }],
    after_last: { kind: 'stop' },
  };
}

// ---- normalization ----------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ID_MAX = 100;
/** Same rule as schedule layer roles (`primary`, `backup`, ...). */
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;

class Checker {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  int(field: string, value: unknown, min: number, max: number, fallback: number): number | undefined {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.fail(field, `must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A list of distinct ids (trimmed, 1–100 chars); `undefined` input = absent. */
  ids(field: string, value: unknown, max: number): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.fail(field, 'must be a list of ids');
    if (value.length > max) return this.fail(field, `must have at most ${max} items`);
    const out: string[] = [];
    value.forEach((item: unknown, i) => {
      const id = typeof item === 'string' ? item.trim() : '';
      if (id.length === 0 || id.length > ID_MAX) this.fail(`${field}[${i}]`, `must be an id of 1–${ID_MAX} characters`);
      else if (out.includes(id)) this.fail(`${field}[${i}]`, 'is listed twice');
      else out.push(id);
    });
    return out;
  }
}

/**
 * Checks and cleans a rule spec from decoded JSON, returning every broken rule at once with dotted
 * paths (`levels[1].escalate_after_min: must be …`). The value has every default written out
 * (`delay_seconds`, `mode`, `after_last`, `repeat_every_min`, `repeat_times`), so a snapshot reads
 * the same whatever the defaults become later.
 */
export function normalizeRuleSpec(input: unknown): Normalized<EscalationRuleSpec> {
  const c = new Checker();
  if (!isObject(input)) return { ok: false, errors: [{ field: 'rule', message: 'must be an object' }] };
  const conditions = normalizeConditions(c, input.conditions);
  const delay = c.int('delay_seconds', input.delay_seconds, 0, DELAY_SECONDS_MAX, 0);
  let mode: EscalationMode | undefined = 'unacknowledged';
  if (input.mode !== undefined) {
    if (input.mode === 'unacknowledged' || input.mode === 'unresolved') mode = input.mode;
    else mode = c.fail('mode', 'must be unacknowledged or unresolved');
  }
  let levels: (LevelSpec | undefined)[] = [];
  if (!Array.isArray(input.levels) || input.levels.length < 1 || input.levels.length > LEVELS_MAX) {
    c.fail('levels', `must be a list of 1–${LEVELS_MAX} levels`);
  } else {
    levels = input.levels.map((l: unknown, i) => normalizeLevel(c, `levels[${i}]`, l));
  }
  const afterLast = normalizeAfterLast(c, input.after_last);
  if (input.dynamic_assignment !== undefined && typeof input.dynamic_assignment !== 'boolean') c.fail('dynamic_assignment', 'must be true or false');
  if (c.errors.length > 0 || delay === undefined || mode === undefined || afterLast === undefined) return { ok: false, errors: c.errors };
  const value: EscalationRuleSpec = {
    ...(conditions ? { conditions } : {}),
    delay_seconds: delay,
    mode,
    levels: levels.filter((l): l is LevelSpec => l !== undefined),
    after_last: afterLast,
    ...(input.dynamic_assignment === true ? { dynamic_assignment: true } : {}),
  };
  return { ok: true, value };
}

function normalizeConditions(c: Checker, value: unknown): RuleConditions | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return c.fail('conditions', 'must be an object with filter and/or time');
  const out: { filter?: Filter; time?: TimeCondition } = {};
  if (value.filter !== undefined) {
    const compiled = compileFilter(value.filter as Filter, 'conditions.filter');
    if (compiled.ok) out.filter = value.filter as Filter;
    else c.errors.push(...compiled.errors);
  }
  if (value.time !== undefined && value.time !== null) {
    const time = compileTimeCondition(value.time, 'conditions.time', c.errors);
    if (time) out.time = time.spec;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

interface CompiledTime {
  readonly spec: TimeCondition;
  readonly window: SilenceRule['time'];
  readonly outside: boolean;
}

/** Weekly windows in a zone; the window logic is the silence rules' (one meaning of "Mon 09:00–18:00"). */
function compileTimeCondition(value: unknown, field: string, errors: FieldError[]): CompiledTime | undefined {
  if (!isObject(value)) return void errors.push({ field, message: 'must be an object {time_zone, windows, outside?}' });
  const before = errors.length;
  if (value.outside !== undefined && typeof value.outside !== 'boolean') errors.push({ field: `${field}.outside`, message: 'must be true or false' });
  const timeZone = typeof value.time_zone === 'string' ? value.time_zone : '';
  // A window that is not an object is checked as an empty one, so its errors name its fields.
  const windows = (Array.isArray(value.windows) ? value.windows.map((w: unknown) => (isObject(w) ? w : {})) : value.windows) as WeeklyWindow[];
  const window = compileSilenceTime({ kind: 'weekly', timeZone, windows }, field, errors);
  if (!window || errors.length > before) return undefined;
  const outside = value.outside === true;
  const spec: TimeCondition = { time_zone: timeZone, windows: windows.map((w) => ({ days: [...w.days], start: w.start, end: w.end })), outside };
  return { spec, window, outside };
}

function normalizeAfterLast(c: Checker, value: unknown): AfterLast | undefined {
  if (value === undefined || value === null) return { kind: 'stop' };
  if (!isObject(value) || (value.kind !== 'stop' && value.kind !== 'loop')) return c.fail('after_last.kind', 'must be stop or loop');
  if (value.kind === 'stop') return { kind: 'stop' };
  const times = value.times;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > LOOP_TIMES_MAX) {
    return c.fail('after_last.times', `must be an integer from 1 to ${LOOP_TIMES_MAX}`);
  }
  return { kind: 'loop', times };
}

function normalizeLevel(c: Checker, field: string, value: unknown): LevelSpec | undefined {
  if (!isObject(value)) return c.fail(field, 'must be an object');
  const before = c.errors.length;
  const targets = normalizeTargets(c, `${field}.targets`, value.targets);
  const methods = normalizeMethods(c, `${field}.methods`, value.methods);
  let every: number | null = null;
  const rawEvery = value.repeat_every_min;
  if (rawEvery !== undefined && rawEvery !== null) {
    const wholeSeconds = typeof rawEvery === 'number' && Number.isFinite(rawEvery) && Math.abs(rawEvery * 60 - Math.round(rawEvery * 60)) < 1e-9;
    if (typeof rawEvery !== 'number' || !wholeSeconds || rawEvery < REPEAT_EVERY_MIN_MIN || rawEvery > REPEAT_EVERY_MIN_MAX) {
      c.fail(`${field}.repeat_every_min`, `must be from ${REPEAT_EVERY_MIN_MIN} to ${REPEAT_EVERY_MIN_MAX} minutes in whole seconds (e.g. 0.5, 5, 2.25)`);
    } else {
      every = rawEvery;
    }
  }
  const times = c.int(`${field}.repeat_times`, value.repeat_times, 0, REPEAT_TIMES_MAX, 0);
  if (times !== undefined && times > 0 && (rawEvery === undefined || rawEvery === null)) {
    c.fail(`${field}.repeat_every_min`, 'is required when repeat_times is more than 0');
  }
  const escalate = value.escalate_after_min;
  if (typeof escalate !== 'number' || !Number.isInteger(escalate) || escalate < 1 || escalate > ESCALATE_AFTER_MIN_MAX) {
    c.fail(`${field}.escalate_after_min`, `must be an integer from 1 to ${ESCALATE_AFTER_MIN_MAX} (minutes)`);
  }
  if (c.errors.length > before || !targets || !methods || times === undefined || typeof escalate !== 'number') return undefined;
  return { targets, methods, repeat_every_min: every, repeat_times: times, escalate_after_min: escalate };
}

const TARGET_KEYS = ['people', 'teams', 'schedules', 'group_chats'];

function normalizeTargets(c: Checker, field: string, value: unknown): Targets | undefined {
  if (!isObject(value)) return c.fail(field, 'must be an object {people?, teams?, schedules?, group_chats?}');
  const before = c.errors.length;
  for (const key of Object.keys(value)) {
    if (!TARGET_KEYS.includes(key)) c.fail(`${field}.${key}`, 'is not a target kind (people, teams, schedules or group_chats)');
  }
  const people = c.ids(`${field}.people`, value.people, PEOPLE_MAX);
  const teams = c.ids(`${field}.teams`, value.teams, TEAMS_MAX);
  const groupChats = c.ids(`${field}.group_chats`, value.group_chats, GROUP_CHATS_MAX);
  const schedules = normalizeScheduleTargets(c, `${field}.schedules`, value.schedules);
  if (c.errors.length > before) return undefined;
  const out: { people?: string[]; teams?: string[]; schedules?: ScheduleTarget[]; group_chats?: string[] } = {};
  if (people?.length) out.people = people;
  if (teams?.length) out.teams = teams;
  if (schedules?.length) out.schedules = schedules;
  if (groupChats?.length) out.group_chats = groupChats;
  if (Object.keys(out).length === 0) return c.fail(field, 'must name at least one person, team, schedule or group chat');
  return out;
}

function normalizeScheduleTargets(c: Checker, field: string, value: unknown): ScheduleTarget[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return c.fail(field, 'must be a list of {id, roles?}');
  if (value.length > SCHEDULES_MAX) return c.fail(field, `must have at most ${SCHEDULES_MAX} items`);
  const out: ScheduleTarget[] = [];
  value.forEach((item: unknown, i) => {
    const f = `${field}[${i}]`;
    if (!isObject(item)) return void c.fail(f, 'must be an object {id, roles?}');
    const id = typeof item.id === 'string' ? item.id.trim() : '';
    if (id.length === 0 || id.length > ID_MAX) return void c.fail(`${f}.id`, `must be an id of 1–${ID_MAX} characters`);
    if (out.some((s) => s.id === id)) return void c.fail(`${f}.id`, 'is listed twice');
    if (item.roles === undefined || item.roles === null) return void out.push({ id });
    if (!Array.isArray(item.roles) || item.roles.length > 10) return void c.fail(`${f}.roles`, 'must be a list of at most 10 roles');
    const roles: string[] = [];
    let ok = true;
    item.roles.forEach((role: unknown, ri) => {
      if (typeof role !== 'string' || !ROLE.test(role)) {
        ok = false;
        c.fail(`${f}.roles[${ri}]`, 'must be a lowercase role such as primary or backup');
      } else if (!roles.includes(role)) roles.push(role);
    });
    if (!ok) return;
    // An empty role list means the same as none: everyone on call.
    out.push(roles.length > 0 ? { id, roles } : { id });
  });
  return out;
}

function normalizeMethods(c: Checker, field: string, value: unknown): MethodsSpec | undefined {
  if (!isObject(value) || (value.kind !== 'preferences' && value.kind !== 'explicit')) return c.fail(`${field}.kind`, 'must be preferences or explicit');
  if (value.kind === 'preferences') return { kind: 'preferences' };
  const bySeverity = value.by_severity;
  if (!isObject(bySeverity)) return c.fail(`${field}.by_severity`, 'must be an object {Critical?, Warning?, Info?} of method lists');
  const before = c.errors.length;
  const out: Partial<Record<Severity, Method[]>> = {};
  for (const [key, list] of Object.entries(bySeverity)) {
    const f = `${field}.by_severity.${key}`;
    if (!(SEVERITIES as readonly string[]).includes(key)) {
      c.fail(f, 'must be Critical, Warning or Info');
      continue;
    }
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      c.fail(f, 'must be a list of methods');
      continue;
    }
    const methods: Method[] = [];
    list.forEach((m: unknown, i) => {
      if (typeof m !== 'string' || !(METHODS as readonly string[]).includes(m)) c.fail(`${f}[${i}]`, `must be one of ${METHODS.join(', ')}`);
      else if (methods.includes(m as Method)) c.fail(`${f}[${i}]`, 'is listed twice');
      else methods.push(m as Method);
    });
    if (methods.length > 0) out[key as Severity] = methods;
  }
  if (c.errors.length > before) return undefined;
  if (Object.keys(out).length === 0) return c.fail(`${field}.by_severity`, 'must list at least one method for at least one severity');
  // Severity order, not input order, so equal specs serialize equally.
  const ordered: Partial<Record<Severity, readonly Method[]>> = {};
  for (const s of SEVERITIES) {
    const methods = out[s];
    if (methods) ordered[s] = methods;
  }
  return { kind: 'explicit', by_severity: ordered };
}

/** The methods a level uses for a severity: its explicit list, or each person's preferences when it has none. */
export function methodsFor(
  methods: MethodsSpec,
  severity: Severity,
): { readonly kind: 'preferences' } | { readonly kind: 'explicit'; readonly methods: readonly Method[] } {
  if (methods.kind === 'preferences') return { kind: 'preferences' };
  const list = methods.by_severity[severity];
  return list && list.length > 0 ? { kind: 'explicit', methods: list } : { kind: 'preferences' };
}

// ---- matching ---------------------------------------------------------------------------------

/** A rule ready to match incidents: its normalized spec and its conditions compiled once. */
export interface CompiledRule {
  readonly id: string;
  readonly spec: EscalationRuleSpec;
  readonly filter: FilterMatcher;
  readonly time: { readonly window: SilenceRule['time']; readonly outside: boolean } | null;
}

/** Normalizes a stored or submitted spec and compiles its conditions (filter and time windows). */
export function compileRule(id: string, input: unknown): Compiled<CompiledRule> {
  const normalized = normalizeRuleSpec(input);
  if (!normalized.ok) return normalized;
  const spec = normalized.value;
  const errors: FieldError[] = [];
  const filter = compileFilter(spec.conditions?.filter ?? [], 'conditions.filter');
  if (!filter.ok) return filter;
  const time = spec.conditions?.time ? compileTimeCondition(spec.conditions.time, 'conditions.time', errors) : undefined;
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { id, spec, filter: filter.value, time: time ? { window: time.window, outside: time.outside } : null } };
}

/** True when the incident passes the rule's filter and, if it has one, its time condition at `now` (inverted by `outside`). */
export function ruleMatches(rule: CompiledRule, subject: FilterSubject, now: number): boolean {
  if (!rule.filter(subject)) return false;
  if (!rule.time) return true;
  return silenceActiveAt(rule.time.window, now) !== rule.time.outside;
}

/** The first rule that matches (`rules` = a channel's enabled rules in priority order), or undefined: nobody is assigned. */
export function chooseRule<R extends CompiledRule>(rules: readonly R[], subject: FilterSubject, now: number): R | undefined {
  return rules.find((rule) => ruleMatches(rule, subject, now));
}

// ---- dynamic assignment -----------------------------------------------------------------------

const DYNAMIC_LABEL = /^tocsin_level_([1-9]\d?)_(emails|teams)$/;

/**
 * Applies `tocsin_level_<n>_emails` / `tocsin_level_<n>_teams` labels (n 1-based, comma-separated
 * values): each level named by a label gets `{people_emails, team_refs}` as its only targets for
 * this incident (both labels of a level combine). Emails are lowercased; entries are trimmed and
 * deduplicated; a label naming no level, or with no entries, changes nothing.
 */
export function applyDynamicAssignment<L extends IncidentLevelSpec>(spec: RuleSpecOf<L>, labels: Readonly<Record<string, string>>): IncidentRuleSpec {
  const assigned = new Map<number, { emails: string[]; teams: string[] }>();
  for (const name of Object.keys(labels).sort()) {
    const m = DYNAMIC_LABEL.exec(name);
    if (!m) continue;
    const index = Number(m[1]) - 1;
    if (index >= spec.levels.length) continue;
    const emails = m[2] === 'emails';
    const entries = splitList(labels[name] ?? '', emails);
    if (entries.length === 0) continue;
    const slot = assigned.get(index) ?? { emails: [], teams: [] };
    if (emails) slot.emails = entries;
    else slot.teams = entries;
    assigned.set(index, slot);
  }
  return {
    ...spec,
    levels: spec.levels.map((level, i): IncidentLevelSpec => {
      const a = assigned.get(i);
      return a ? { ...level, targets: { people_emails: a.emails, team_refs: a.teams } } : level;
    }),
  };
}

function splitList(value: string, lower: boolean): string[] {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const entry = lower ? raw.trim().toLowerCase() : raw.trim();
    if (entry.length > 0 && entry.length <= 254 && !out.includes(entry)) out.push(entry);
    if (out.length === DYNAMIC_ENTRIES_MAX) break;
  }
  return out;
}

/** True for targets set by dynamic assignment. */
export function isAssignedTargets(targets: Targets | AssignedTargets): targets is AssignedTargets {
  return 'people_emails' in targets;
}

// ---- summary ----------------------------------------------------------------------------------

/** Display name of a person, team, schedule or group chat id; undefined = show the id. */
export type NameLookup = (id: string) => string | undefined;

const VERBS: Partial<Record<Method, string>> = { voice: 'call', sms: 'SMS', email: 'email' };
const NOUNS: Record<Method, string> = {
  voice: 'voice call',
  sms: 'SMS',
  email: 'email',
  push: 'push',
  slack_dm: 'Slack DM',
  feishu_dm: 'Feishu DM',
  dingtalk_dm: 'DingTalk DM',
  wecom_dm: 'WeCom DM',
  teams_dm: 'Teams DM',
  telegram_dm: 'Telegram DM',
};

/**
 * A deterministic plain-language summary, one line per severity when any level has explicit
 * methods (else one "All alerts" line), e.g. "Critical alerts: call Alice now; if nobody
 * acknowledges in 30 min, SMS the Backend on-call". Conditions are not described.
 */
export function summarize(spec: RuleSpecOf<IncidentLevelSpec>, names: NameLookup): string {
  const explicit = spec.levels.some((l) => l.methods.kind === 'explicit');
  const mode = spec.mode ?? 'unacknowledged';
  const line = (severity: Severity | undefined): string => {
    const clauses = spec.levels.map((level, i) => {
      const action = levelAction(level, severity, names);
      const prev = spec.levels[i - 1];
      const when =
        i === 0
          ? `${action} ${(spec.delay_seconds ?? 0) > 0 ? `after ${formatSeconds(spec.delay_seconds ?? 0)}` : 'now'}`
          : `${untilText(mode, prev?.escalate_after_min ?? 0)}, ${action}`;
      return when + repeatText(level);
    });
    const last = spec.levels[spec.levels.length - 1];
    const after = spec.after_last ?? { kind: 'stop' };
    if (after.kind === 'loop' && last) {
      clauses.push(
        `${untilText(mode, last.escalate_after_min)}, start again from the first level (${after.times === 1 ? 'once' : `up to ${after.times} times`})`,
      );
    }
    return `${severity ?? 'All'} alerts: ${clauses.join('; ')}`;
  };
  return explicit ? SEVERITIES.map(line).join('\n') : line(undefined);
}

function untilText(mode: EscalationMode, minutes: number): string {
  return mode === 'unresolved' ? `if it is not resolved in ${formatMinutes(minutes)}` : `if nobody acknowledges in ${formatMinutes(minutes)}`;
}

function repeatText(level: LevelTiming): string {
  const times = level.repeat_times ?? 0;
  const every = level.repeat_every_min;
  if (times === 0 || every === null || every === undefined) return '';
  return `, repeating every ${formatSeconds(Math.round(every * 60))} up to ${times === 1 ? 'once' : `${times} times`}`;
}

function levelAction(level: IncidentLevelSpec, severity: Severity | undefined, names: NameLookup): string {
  const name = (id: string): string => names(id) ?? id;
  const people: string[] = [];
  const chats: string[] = [];
  const t = level.targets;
  if (isAssignedTargets(t)) {
    people.push(...t.people_emails, ...t.team_refs.map((ref) => `the ${name(ref)} team`));
  } else {
    people.push(...(t.people ?? []).map(name));
    people.push(...(t.teams ?? []).map((id) => `the ${name(id)} team`));
    people.push(...(t.schedules ?? []).map((s) => `the ${name(s.id)} on-call${s.roles && s.roles.length > 0 ? ` (${s.roles.join(', ')})` : ''}`));
    chats.push(...(t.group_chats ?? []).map(name));
  }
  const parts: string[] = [];
  if (people.length > 0) {
    const how = severity === undefined ? { kind: 'preferences' as const } : methodsFor(level.methods, severity);
    if (how.kind === 'preferences') parts.push(`notify ${joinAnd(people)} by their preferences`);
    else if (how.methods.every((m) => VERBS[m] !== undefined)) parts.push(`${joinAnd(how.methods.map((m) => VERBS[m] ?? m))} ${joinAnd(people)}`);
    else parts.push(`notify ${joinAnd(people)} by ${joinAnd(how.methods.map((m) => NOUNS[m]))}`);
  }
  if (chats.length > 0) parts.push(`post to ${joinAnd(chats)}`);
  return parts.length > 0 ? parts.join(' and ') : 'notify nobody';
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function formatMinutes(minutes: number): string {
  return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

function formatSeconds(seconds: number): string {
  if (seconds % 60 === 0) return formatMinutes(seconds / 60);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
