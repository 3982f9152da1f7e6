import { createHash } from 'node:crypto';
import type { FieldError } from '../core/errors.js';
import { compileFilter, compileKey, type Compiled, type FieldGetter, type Filter, type FilterMatcher, type FilterSubject } from '../core/filter.js';
import { SEVERITY_RANK, type Severity } from '../core/event.js';

/**
 * Grouping alerts into incidents (SPEC §2.2), pure. The ingest path asks for the candidates with ONE
 * indexed query on `incidents (channel_id, group_key)` among open incidents, newest first:
 * - rules mode: `group_key = groupKey(alert)`, {@link RULES_CANDIDATES} rows (the newest eligible one
 *   wins, so a handful is plenty; older ones matter only after a manual merge or when the newest is full);
 * - similarity mode: every similarity-grouped incident shares the key {@link SIMILARITY_GROUP_KEY}, so
 *   the same query with {@link SIMILARITY_CANDIDATES} rows returns the channel's 50 most recent open
 *   ones. Older open incidents are not compared: a bounded, predictable cost per event.
 * Mode `none` and strict rules with a missing value give `null`: the alert opens its own incident.
 */

export type Dimension = 'title' | 'severity' | 'integration' | `labels.${string}`;
export type GroupingWindow = { readonly kind: 'off' } | { readonly kind: 'fixed' | 'sliding'; readonly minutes: number };

export type GroupingConfig =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'rules';
      readonly by: readonly Dimension[];
      readonly cases?: readonly { readonly if: Filter; readonly by: readonly Dimension[] }[] | undefined;
      readonly strict: boolean;
      readonly window: GroupingWindow;
    }
  | { readonly mode: 'similarity'; readonly threshold?: number | undefined; readonly labels: readonly string[]; readonly window: GroupingWindow };

interface Dims {
  readonly names: readonly string[];
  readonly getters: readonly FieldGetter[];
}

export type CompiledGrouping =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'rules';
      readonly by: Dims;
      readonly cases: readonly { readonly if: FilterMatcher; readonly by: Dims }[];
      readonly strict: boolean;
      readonly window: GroupingWindow;
    }
  | { readonly mode: 'similarity'; readonly threshold: number; readonly labels: readonly string[]; readonly window: GroupingWindow };

/** An open incident the alert may join. Title, description and labels are the incident's (from its first alert). */
export interface IncidentCandidate {
  readonly id: string;
  readonly groupKey: string | null;
  readonly startedAt: number;
  readonly lastMergeAt: number;
  readonly alertCount: number;
  readonly title: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface SimilarityExplanation {
  readonly incidentId: string;
  /** Token-set Jaccard: |shared| / |union| of the lower-cased word tokens. */
  readonly score: number;
  /** The shared tokens, sorted (at most {@link MAX_EXPLAINED_TOKENS}). */
  readonly sharedTokens: readonly string[];
}

export type GroupingChoice =
  | { readonly kind: 'merge'; readonly incidentId: string; readonly similarity?: SimilarityExplanation }
  | { readonly kind: 'new'; readonly reason: 'not-grouped' | 'no-candidate' | 'window-closed' | 'full' | 'not-similar'; readonly best?: SimilarityExplanation };

export const MAX_DIMENSIONS = 5;
export const MAX_CASES = 10;
export const MAX_SIMILARITY_LABELS = 10;
export const MAX_ALERTS_PER_INCIDENT = 5000;
export const RULES_CANDIDATES = 5;
export const SIMILARITY_CANDIDATES = 50;
export const SIMILARITY_GROUP_KEY = 'similarity';
export const DEFAULT_THRESHOLD = 0.9;
export const MAX_EXPLAINED_TOKENS = 50;
const MINUTE = 60_000;

/** Validates a channel's grouping settings and compiles case filters and dimensions once. */
export function compileGrouping(config: GroupingConfig, field = 'grouping'): Compiled<CompiledGrouping> {
  const errors: FieldError[] = [];
  if (config?.mode === 'none') return { ok: true, value: { mode: 'none' } };
  if (config?.mode !== 'rules' && config?.mode !== 'similarity')
    return { ok: false, errors: [{ field: `${field}.mode`, message: 'must be none, rules or similarity' }] };
  const window = checkWindow(config.window, `${field}.window`, errors);
  if (config.mode === 'similarity') {
    const threshold = config.threshold ?? DEFAULT_THRESHOLD;
    if (typeof threshold !== 'number' || !(threshold >= 0.5 && threshold <= 1))
      errors.push({ field: `${field}.threshold`, message: 'must be a number from 0.5 to 1' });
    const labels = Array.isArray(config.labels) ? config.labels : [];
    if (!Array.isArray(config.labels) || labels.length > MAX_SIMILARITY_LABELS || labels.some((l) => typeof l !== 'string' || l.length === 0)) {
      errors.push({ field: `${field}.labels`, message: `must list at most ${MAX_SIMILARITY_LABELS} label names` });
    }
    if (errors.length > 0 || !window) return { ok: false, errors };
    return { ok: true, value: { mode: 'similarity', threshold, labels, window } };
  }
  const by = compileDims(config.by, `${field}.by`, errors);
  const rawCases = config.cases ?? [];
  if (!Array.isArray(rawCases) || rawCases.length > MAX_CASES) errors.push({ field: `${field}.cases`, message: `at most ${MAX_CASES} cases` });
  const cases = (Array.isArray(rawCases) ? rawCases : []).map((c, i) => {
    const match = compileFilter(c.if, `${field}.cases[${i}].if`);
    if (!match.ok) errors.push(...match.errors);
    const dims = compileDims(c.by, `${field}.cases[${i}].by`, errors);
    return match.ok && dims ? { if: match.value, by: dims } : undefined;
  });
  if (typeof config.strict !== 'boolean') errors.push({ field: `${field}.strict`, message: 'must be true or false' });
  if (errors.length > 0 || !by || !window) return { ok: false, errors };
  return { ok: true, value: { mode: 'rules', by, cases: cases.filter((c) => c !== undefined), strict: config.strict, window } };
}

function compileDims(dims: readonly Dimension[], field: string, errors: FieldError[]): Dims | undefined {
  if (!Array.isArray(dims) || dims.length === 0 || dims.length > MAX_DIMENSIONS || new Set(dims).size !== dims.length) {
    errors.push({ field, message: `must list 1–${MAX_DIMENSIONS} distinct dimensions` });
    return undefined;
  }
  const getters: FieldGetter[] = [];
  dims.forEach((d, i) => {
    const key = d === 'description' ? undefined : compileKey(d, `${field}[${i}]`);
    if (key?.ok) getters.push(key.value);
    else errors.push({ field: `${field}[${i}]`, message: 'must be title, severity, integration or labels.<name>' });
  });
  return getters.length === dims.length ? { names: dims, getters } : undefined;
}

function checkWindow(window: GroupingWindow, field: string, errors: FieldError[]): GroupingWindow | undefined {
  if (window?.kind === 'off') return window;
  if (window?.kind !== 'fixed' && window?.kind !== 'sliding') return void errors.push({ field: `${field}.kind`, message: 'must be off, fixed or sliding' });
  if (!Number.isInteger(window.minutes) || window.minutes < 1 || window.minutes > 1440) {
    return void errors.push({ field: `${field}.minutes`, message: 'must be an integer from 1 to 1440' });
  }
  return window;
}

/** The key an alert's incident is looked up by; null = the alert is never grouped. */
export function groupKey(config: CompiledGrouping, alert: FilterSubject): string | null {
  if (config.mode === 'none') return null;
  if (config.mode === 'similarity') return SIMILARITY_GROUP_KEY;
  const dims = config.cases.find((c) => c.if(alert))?.by ?? config.by;
  const values: string[] = [];
  for (const get of dims.getters) {
    const v = get(alert);
    if (config.strict && (v === undefined || v === '')) return null;
    values.push(v ?? '');
  }
  // Dimension names are part of the key, so changing `by` never merges into groups formed by the old rule.
  return `rules:${createHash('sha256')
    .update(JSON.stringify([dims.names, values]))
    .digest('hex')
    .slice(0, 32)}`;
}

/** Picks the open incident the alert joins, or says why it opens a new one. */
export function chooseIncident(config: CompiledGrouping, alert: FilterSubject, openCandidates: readonly IncidentCandidate[], now: number): GroupingChoice {
  const key = groupKey(config, alert);
  if (config.mode === 'none' || key === null) return { kind: 'new', reason: 'not-grouped' };
  const same = openCandidates.filter((c) => c.groupKey === key);
  if (same.length === 0) return { kind: 'new', reason: 'no-candidate' };
  const open = same.filter((c) => inWindow(config.window, c, now));
  const eligible = open.filter((c) => c.alertCount < MAX_ALERTS_PER_INCIDENT).sort(newestFirst);
  if (eligible.length === 0) return { kind: 'new', reason: open.length > 0 ? 'full' : 'window-closed' };
  if (config.mode === 'rules') return { kind: 'merge', incidentId: (eligible[0] as IncidentCandidate).id };
  const mine = tokens(alert.title, alert.description, config.labels, alert.labels);
  let best: SimilarityExplanation | undefined;
  for (const c of eligible) {
    const s = similarity(mine, tokens(c.title, c.description, config.labels, c.labels), c.id);
    if (!best || s.score > best.score) best = s;
  }
  if (best && best.score >= config.threshold) return { kind: 'merge', incidentId: best.incidentId, similarity: best };
  return best ? { kind: 'new', reason: 'not-similar', best } : { kind: 'new', reason: 'no-candidate' };
}

/** Fixed windows count from the incident's start, sliding ones from its last merge; `off` never closes. */
export function inWindow(window: GroupingWindow, c: Pick<IncidentCandidate, 'startedAt' | 'lastMergeAt'>, now: number): boolean {
  if (window.kind === 'off') return true;
  const from = window.kind === 'fixed' ? c.startedAt : c.lastMergeAt;
  return now < from + window.minutes * MINUTE;
}

function newestFirst(a: IncidentCandidate, b: IncidentCandidate): number {
  return b.lastMergeAt - a.lastMergeAt || b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Lower-cased letter/digit runs of title, description and the chosen labels' values. */
export function tokens(title: string, description: string, labelNames: readonly string[], labels: Readonly<Record<string, string>>): Set<string> {
  const values = labelNames.map((n) => (Object.hasOwn(labels, n) ? (labels[n] ?? '') : ''));
  return new Set(
    [title, description, ...values]
      .join(' ')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [],
  );
}

/** Token-set Jaccard with the shared tokens; two empty sets score 0 (nothing to compare, so never grouped). */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>, incidentId = ''): SimilarityExplanation {
  const shared = [...a].filter((t) => b.has(t)).sort();
  const union = a.size + b.size - shared.length;
  return { incidentId, score: union === 0 ? 0 : shared.length / union, sharedTokens: shared.slice(0, MAX_EXPLAINED_TOKENS) };
}

/** The storm thresholds an incident's alert count crossed going from `before` to `after` (ascending). */
export function stormCrossed(thresholds: readonly number[], before: number, after: number): number[] {
  return thresholds.filter((t) => before < t && t <= after).sort((x, y) => x - y);
}

/** Every rule storm thresholds break: at most 5 distinct integers from 2 to 5000. */
export function validateStormThresholds(thresholds: readonly number[], field = 'storm_thresholds'): FieldError[] {
  const ok =
    Array.isArray(thresholds) &&
    thresholds.length <= 5 &&
    new Set(thresholds).size === thresholds.length &&
    thresholds.every((t) => Number.isInteger(t) && t >= 2 && t <= MAX_ALERTS_PER_INCIDENT);
  return ok ? [] : [{ field, message: `must list at most 5 distinct alert counts from 2 to ${MAX_ALERTS_PER_INCIDENT}` }];
}

/** The highest severity among an incident's alerts (undefined for none, e.g. a manual incident). */
export function incidentSeverity(alertSeverities: Iterable<Severity>): Severity | undefined {
  let top: Severity | undefined;
  for (const s of alertSeverities) if (top === undefined || SEVERITY_RANK[s] > SEVERITY_RANK[top]) top = s;
  return top;
}

export interface AutoCloseOptions {
  /** Close when every alert has recovered (SPEC default: on). */
  readonly whenAllRecovered: boolean;
  /** Close after this many seconds without a new alert (1 s … 30 days); undefined = never. */
  readonly afterIdleSeconds?: number | undefined;
}

/** True when the incident should close because every alert recovered and the channel option is on. */
export function shouldAutoClose(allAlertsRecovered: boolean, option: AutoCloseOptions): boolean {
  return allAlertsRecovered && option.whenAllRecovered;
}

/** When an idle incident closes by itself (schedule an engine job for it), or undefined. */
export function idleCloseAt(lastAlertAt: number, option: AutoCloseOptions): number | undefined {
  return option.afterIdleSeconds === undefined ? undefined : lastAlertAt + option.afterIdleSeconds * 1000;
}

/** Every rule auto-close options break. */
export function validateAutoClose(option: AutoCloseOptions, field = 'auto_close'): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof option.whenAllRecovered !== 'boolean') errors.push({ field: `${field}.when_all_recovered`, message: 'must be true or false' });
  const s = option.afterIdleSeconds;
  if (s !== undefined && (!Number.isInteger(s) || s < 1 || s > 30 * 86400))
    errors.push({ field: `${field}.after_idle_seconds`, message: 'must be an integer from 1 to 2592000 (30 days)' });
  return errors;
}
