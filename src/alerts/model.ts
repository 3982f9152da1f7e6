import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { FieldError } from '../core/errors.js';
import {
  compileFilter,
  compileValue,
  exactValue,
  LABEL_NAME_MAX,
  MAX_GROUPS,
  type Compiled,
  type Filter,
  type FilterCondition,
  type FilterMatcher,
  type FilterSubject,
} from '../core/filter.js';
import { isTimeZone } from '../core/validate.js';
import type { EventStatus, NormalizedEvent, Severity } from '../core/event.js';

/**
 * Pure alert decisions (SPEC §2.1, §2.3, §2.4): dedup, flapping, silence, inhibit, drop. Each takes
 * loaded data and `now` and returns what should change; the service applies it.
 */

type Labels = Readonly<Record<string, string>>;
const MINUTE = 60_000;

// ---- dedup ------------------------------------------------------------------------------------

/** Stable key for an event without one: sha256 of integration id, title and sorted labels (32 hex chars). */
export function deriveAlertKey(integrationId: string, title: string, labels: Labels): string {
  // JSON of an array is unambiguous where a joined string is not ("a|b" + "c" vs "a" + "b|c").
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256')
    .update(JSON.stringify([integrationId, title, sorted]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * What dedup needs of an existing alert. `status` `Ok` = recovered. While an alert is active its
 * status, title, description and labels ARE those of its last trigger event (every trigger
 * overwrites them), so "identical to the last event" is a comparison with these fields.
 */
export interface AlertSnapshot {
  readonly status: EventStatus;
  readonly title: string;
  readonly description: string;
  readonly labels: Labels;
}

/** Only the fields that differ; `labels` is the whole new label set. */
export interface AlertChanges {
  readonly status?: Severity;
  readonly title?: string;
  readonly description?: string;
  readonly labels?: Labels;
}

export type DedupDecision =
  /** No alert for the key: open one. */
  | { readonly kind: 'new' }
  /** Identical to the last event: bump `last_event_at` and the event counter only, no timeline entry. */
  | { readonly kind: 'duplicate' }
  /** The alert follows the event. */
  | { readonly kind: 'update'; readonly changes: AlertChanges }
  /** Recover the alert; the recovery only adds labels the alert lacked. */
  | { readonly kind: 'recover'; readonly recoveredAt: number; readonly addedLabels: Labels }
  /** `Ok` for a key with no alert: accepted (200) and ignored. */
  | { readonly kind: 'ignore-ok' }
  /** A trigger for a recovered alert: open a NEW alert under the same key. */
  | { readonly kind: 'reopen-as-new' }
  /** An acknowledge action (PagerDuty) for an active alert: acknowledge its incident. */
  | { readonly kind: 'acknowledge' }
  /** An acknowledge action for an unknown or recovered alert: accepted and ignored. */
  | { readonly kind: 'ignore-ack' };

/** Decides what an event does to the alert with its key (`existing` = the newest alert for the key, if any). */
export function decideDedup(existing: AlertSnapshot | undefined, event: NormalizedEvent, now: number): DedupDecision {
  const recovery = event.status === 'Ok' || event.action === 'resolve';
  if (event.action === 'acknowledge') return existing && existing.status !== 'Ok' ? { kind: 'acknowledge' } : { kind: 'ignore-ack' };
  if (!existing) return recovery ? { kind: 'ignore-ok' } : { kind: 'new' };
  const added = missingLabels(existing.labels, event.labels);
  if (existing.status === 'Ok') {
    if (!recovery) return { kind: 'reopen-as-new' };
    // A repeated recovery (Alertmanager resends resolved alerts) may still bring labels it lacked.
    return Object.keys(added).length > 0 ? { kind: 'update', changes: { labels: { ...existing.labels, ...added } } } : { kind: 'duplicate' };
  }
  if (recovery) return { kind: 'recover', recoveredAt: now, addedLabels: added };
  const status = event.status as Severity;
  const changes: { -readonly [K in keyof AlertChanges]: AlertChanges[K] } = {};
  if (status !== existing.status) changes.status = status;
  if (event.title !== existing.title) changes.title = event.title;
  if (event.description !== existing.description) changes.description = event.description;
  if (!sameLabels(existing.labels, event.labels)) changes.labels = event.labels;
  return Object.keys(changes).length === 0 ? { kind: 'duplicate' } : { kind: 'update', changes };
}

function missingLabels(have: Labels, incoming: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(incoming)) if (!Object.hasOwn(have, k)) out[k] = v;
  return out;
}

/** Order-insensitive label set equality. */
export function sameLabels(a: Labels, b: Labels): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

// ---- flapping ---------------------------------------------------------------------------------

export type FlappingMode = 'off' | 'mark' | 'mute';

export interface FlappingOptions {
  readonly maxChanges: number;
  readonly inMins: number;
  readonly mode: FlappingMode;
  readonly muteMins: number;
}

export const DEFAULT_FLAPPING: FlappingOptions = { maxChanges: 4, inMins: 60, mode: 'mark', muteMins: 120 };

/** Flapping = more than `maxChanges` trigger↔recover changes in the last `inMins`; mute mode mutes for `muteMins` from now. */
export function evaluateFlapping(history: readonly number[], now: number, options: Partial<FlappingOptions> = {}): { flapping: boolean; mutedUntil?: number } {
  const o = { ...DEFAULT_FLAPPING, ...options };
  if (o.mode === 'off') return { flapping: false };
  const since = now - o.inMins * MINUTE;
  const recent = history.filter((t) => t > since && t <= now).length;
  if (recent <= o.maxChanges) return { flapping: false };
  // Each evaluation while still flapping extends the mute: it ends `muteMins` after the flapping stops.
  return o.mode === 'mute' ? { flapping: true, mutedUntil: now + o.muteMins * MINUTE } : { flapping: true };
}

/** Appends a state change and keeps only what a later evaluation can still count (bounded storage). */
export function recordStateChange(history: readonly number[], at: number, options: Partial<FlappingOptions> = {}): number[] {
  const o = { ...DEFAULT_FLAPPING, ...options };
  const since = at - o.inMins * MINUTE;
  return [...history, at].filter((t) => t > since).slice(-(o.maxChanges + 1));
}

/** Every rule flapping options break (max_changes 1–100, in_mins 1–1440, mute_mins 1–10080). */
export function validateFlapping(options: Partial<FlappingOptions>, field = 'flapping'): FieldError[] {
  const errors: FieldError[] = [];
  const int = (name: string, v: number | undefined, min: number, max: number): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max))
      errors.push({ field: `${field}.${name}`, message: `must be an integer from ${min} to ${max}` });
  };
  int('max_changes', options.maxChanges, 1, 100);
  int('in_mins', options.inMins, 1, 1440);
  int('mute_mins', options.muteMins, 1, 10080);
  if (options.mode !== undefined && !['off', 'mark', 'mute'].includes(options.mode))
    errors.push({ field: `${field}.mode`, message: 'must be off, mark or mute' });
  return errors;
}

// ---- silence ----------------------------------------------------------------------------------

/** ISO weekdays (1 = Monday … 7 = Sunday), local `HH:mm` times; `end` ≤ `start` runs past midnight, `end` may be `24:00`. */
export interface WeeklyWindow {
  readonly days: readonly number[];
  readonly start: string;
  readonly end: string;
}

export type SilenceTime =
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly kind: 'weekly'; readonly timeZone: string; readonly windows: readonly WeeklyWindow[] };

export interface SilenceRuleInput {
  readonly filter: Filter;
  readonly time: SilenceTime;
  /** `mark` (default): store the alert marked silenced; `discard`: drop it. */
  readonly action?: 'mark' | 'discard' | undefined;
}

interface CompiledWindow {
  readonly days: ReadonlySet<number>;
  readonly startMs: number;
  readonly endMs: number;
}

export interface SilenceRule {
  readonly match: FilterMatcher;
  readonly action: 'mark' | 'discard';
  readonly time:
    | { readonly kind: 'range'; readonly start: number; readonly end: number }
    | { readonly kind: 'weekly'; readonly timeZone: string; readonly windows: readonly CompiledWindow[] };
}

/** Validates a silence rule and compiles its filter and windows once. */
export function compileSilenceRule(input: SilenceRuleInput, field = 'silence'): Compiled<SilenceRule> {
  const errors: FieldError[] = [];
  const filter = compileFilter(input.filter, `${field}.filter`);
  if (!filter.ok) errors.push(...filter.errors);
  const action = input.action ?? 'mark';
  if (action !== 'mark' && action !== 'discard') errors.push({ field: `${field}.action`, message: 'must be mark or discard' });
  const time = compileSilenceTime(input.time, `${field}.time`, errors);
  if (errors.length > 0 || !filter.ok || !time) return { ok: false, errors };
  return { ok: true, value: { match: filter.value, action, time } };
}

/** Validates a silence time (range, or weekly windows in a zone), pushing every broken rule into `errors`; also used by escalation time conditions. */
export function compileSilenceTime(time: SilenceTime, field: string, errors: FieldError[]): SilenceRule['time'] | undefined {
  if (time?.kind === 'range') {
    if (!Number.isSafeInteger(time.start) || !Number.isSafeInteger(time.end) || time.end <= time.start) {
      return void errors.push({ field, message: 'range needs integer start < end (unix milliseconds)' });
    }
    return time;
  }
  if (time?.kind !== 'weekly') return void errors.push({ field: `${field}.kind`, message: 'must be range or weekly' });
  const before = errors.length;
  if (!isTimeZone(time.timeZone)) errors.push({ field: `${field}.time_zone`, message: 'must be an IANA time zone such as Europe/Berlin' });
  if (!Array.isArray(time.windows) || time.windows.length === 0 || time.windows.length > 20) {
    return void errors.push({ field: `${field}.windows`, message: 'must list 1–20 weekly windows' });
  }
  const windows = time.windows.map((w, i) => compileWindow(w, `${field}.windows[${i}]`, errors));
  if (errors.length > before) return undefined;
  return { kind: 'weekly', timeZone: time.timeZone, windows: windows.filter((w): w is CompiledWindow => w !== undefined) };
}

function compileWindow(w: WeeklyWindow, field: string, errors: FieldError[]): CompiledWindow | undefined {
  const days = Array.isArray(w.days) ? w.days : [];
  const daysOk = days.length > 0 && days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7);
  if (!daysOk) errors.push({ field: `${field}.days`, message: 'must list ISO weekdays 1 (Monday) to 7 (Sunday)' });
  const start = clockMs(w.start, false);
  const end = clockMs(w.end, true);
  if (start === undefined) errors.push({ field: `${field}.start`, message: 'must be HH:mm from 00:00 to 23:59' });
  if (end === undefined) errors.push({ field: `${field}.end`, message: 'must be HH:mm from 00:00 to 24:00' });
  else if (start !== undefined && start === end) errors.push({ field: `${field}.end`, message: 'must differ from start' });
  if (!daysOk || start === undefined || end === undefined) return undefined;
  return { days: new Set(days), startMs: start, endMs: end };
}

function clockMs(text: unknown, allow24: boolean): number | undefined {
  const m = typeof text === 'string' ? /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text) : null;
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && (!allow24 || min !== 0)) return undefined;
  return (h * 60 + min) * MINUTE;
}

/** True while the rule's time is active at `now` and its filter matches. */
export function isSilenced(rule: SilenceRule, subject: FilterSubject, now: number): boolean {
  return silenceActiveAt(rule.time, now) && rule.match(subject);
}

/**
 * Weekly windows are wall-clock times in the zone: on a spring-forward day a window inside the
 * skipped hour is shorter (or empty), on a fall-back day the repeated hour is silenced twice —
 * what "Sunday 01:00–03:00 Europe/Berlin" means to the person who wrote it.
 */
export function silenceActiveAt(time: SilenceRule['time'], now: number): boolean {
  if (time.kind === 'range') return now >= time.start && now < time.end;
  const local = DateTime.fromMillis(now, { zone: time.timeZone });
  // Wall-clock time of day, not elapsed time since midnight (which differs by an hour on DST days).
  const ms = ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
  const day = local.weekday;
  const yesterday = day === 1 ? 7 : day - 1;
  return time.windows.some((w) =>
    w.startMs < w.endMs ? w.days.has(day) && ms >= w.startMs && ms < w.endMs : (w.days.has(day) && ms >= w.startMs) || (w.days.has(yesterday) && ms < w.endMs),
  );
}

export const QUICK_SILENCE_MIN_MINS = 30;
export const QUICK_SILENCE_MAX_MINS = 14 * 24 * 60;

/** A one-off silence for exactly these labels from `now` for `durationMins` (30 min … 2 weeks). */
export function quickSilenceRule(labels: Labels, durationMins: number, now: number): Compiled<SilenceRuleInput> {
  const errors: FieldError[] = [];
  if (!Number.isInteger(durationMins) || durationMins < QUICK_SILENCE_MIN_MINS || durationMins > QUICK_SILENCE_MAX_MINS) {
    errors.push({ field: 'duration_mins', message: `must be an integer from ${QUICK_SILENCE_MIN_MINS} (30m) to ${QUICK_SILENCE_MAX_MINS} (2w)` });
  }
  const names = Object.keys(labels).sort();
  // Without labels the filter would be empty, and an empty filter silences everything in the channel.
  if (names.length === 0) errors.push({ field: 'labels', message: 'the incident has no labels to silence by' });
  const group: FilterCondition[] = [];
  for (const name of names) {
    const value = exactValue(labels[name] ?? '');
    if (compileValue(value, '').ok) group.push({ key: `labels.${name}`, op: 'in', values: [value] });
    else errors.push({ field: `labels.${name}`, message: 'value is too long to match exactly' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { filter: [group], time: { kind: 'range', start: now, end: now + durationMins * MINUTE }, action: 'mark' } };
}

/**
 * Quick silence for an incident's alerts: one AND-group per distinct label set (OR-ed), so every alert
 * of a grouped incident is covered, not only the first. Past {@link MAX_GROUPS} distinct sets, the
 * labels all of them share are used instead (an incident of 300 pods of one deployment silences by
 * the deployment).
 */
export function quickSilenceForAlerts(labelSets: readonly Labels[], durationMins: number, now: number): Compiled<SilenceRuleInput> {
  const distinct = [...new Map(labelSets.filter((l) => Object.keys(l).length > 0).map((l) => [JSON.stringify(Object.entries(l).sort()), l])).values()];
  if (distinct.length <= MAX_GROUPS) {
    const groups: Filter[number][] = [];
    let first: Compiled<SilenceRuleInput> | undefined;
    for (const labels of distinct.length > 0 ? distinct : [{}]) {
      const one = quickSilenceRule(labels, durationMins, now);
      if (!one.ok) return one;
      first ??= one;
      groups.push(...one.value.filter);
    }
    return first && first.ok ? { ok: true, value: { ...first.value, filter: groups } } : quickSilenceRule({}, durationMins, now);
  }
  const [head, ...rest] = distinct;
  const common: Record<string, string> = {};
  for (const [k, v] of Object.entries(head ?? {})) if (rest.every((l) => l[k] === v)) common[k] = v;
  return quickSilenceRule(common, durationMins, now);
}

// ---- inhibit and drop -------------------------------------------------------------------------

export interface InhibitRuleInput {
  readonly source: Filter;
  readonly target: Filter;
  /** Label names whose values must be equal in source and target. */
  readonly equal: readonly string[];
}

export interface InhibitRule {
  readonly source: FilterMatcher;
  readonly target: FilterMatcher;
  readonly equal: readonly string[];
}

/** An alert that may inhibit others; only active ones (not acknowledged, not recovered) count. */
export interface InhibitSource {
  readonly id: string;
  readonly subject: FilterSubject;
  readonly acknowledged: boolean;
  readonly recovered: boolean;
}

/**
 * The index key of an alert under an inhibit rule: a hash of its values of the rule's `equal` labels
 * (a missing label counts as empty, as in {@link findInhibitor}). A source and a target with the same
 * key have equal values for every `equal` label.
 */
export function inhibitKey(rule: InhibitRule, subject: FilterSubject): string {
  return createHash('sha256')
    .update(JSON.stringify(rule.equal.map((k) => labelOf(subject, k))))
    .digest('hex')
    .slice(0, 32);
}

/** Validates an inhibit rule and compiles both filters once. */
export function compileInhibitRule(input: InhibitRuleInput, field = 'inhibit'): Compiled<InhibitRule> {
  const source = compileFilter(input.source, `${field}.source`);
  const target = compileFilter(input.target, `${field}.target`);
  const errors = [...(source.ok ? [] : source.errors), ...(target.ok ? [] : target.errors)];
  const equal = Array.isArray(input.equal) ? input.equal : [];
  if (!Array.isArray(input.equal) || equal.length > 20 || equal.some((k) => typeof k !== 'string' || k.length === 0 || k.length > LABEL_NAME_MAX)) {
    errors.push({ field: `${field}.equal`, message: `must list at most 20 label names of 1–${LABEL_NAME_MAX} characters` });
  }
  if (errors.length > 0 || !source.ok || !target.ok) return { ok: false, errors };
  return { ok: true, value: { source: source.value, target: target.value, equal } };
}

/**
 * The first active source that inhibits `target`, if any. Like Alertmanager, a label missing on
 * both sides counts as equal (both empty). An alert never inhibits itself (same `id`).
 */
export function findInhibitor(
  target: FilterSubject & { readonly id?: string | undefined },
  rules: readonly InhibitRule[],
  sources: readonly InhibitSource[],
): { readonly rule: number; readonly sourceAlertId: string } | undefined {
  for (const [i, rule] of rules.entries()) {
    if (!rule.target(target)) continue;
    const hit = sources.find(
      (s) =>
        !s.acknowledged &&
        !s.recovered &&
        s.id !== target.id &&
        rule.source(s.subject) &&
        rule.equal.every((k) => labelOf(s.subject, k) === labelOf(target, k)),
    );
    if (hit) return { rule: i, sourceAlertId: hit.id };
  }
  return undefined;
}

function labelOf(subject: FilterSubject, name: string): string {
  return Object.hasOwn(subject.labels, name) ? (subject.labels[name] ?? '') : '';
}

/** True when an active source alert inhibits `target` under any rule. */
export function isInhibited(
  target: FilterSubject & { readonly id?: string | undefined },
  rules: readonly InhibitRule[],
  sources: readonly InhibitSource[],
): boolean {
  return findInhibitor(target, rules, sources) !== undefined;
}

/** True when any drop rule matches: the event is discarded before dedup (counted, never stored). */
export function shouldDrop(dropFilters: readonly FilterMatcher[], subject: FilterSubject): boolean {
  return dropFilters.some((match) => match(subject));
}
