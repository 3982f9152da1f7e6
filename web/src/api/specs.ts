/**
 * Shapes the server's OpenAPI document leaves as `unknown` (routing, grouping, rule specs): it
 * validates them itself and answers field errors such as `spec.filter[0][1].values`. These mirror
 * SPEC §2.2, §2.4, §2.5 and §3; the server stays authoritative, so a shape it refuses comes back as
 * a 400 naming the field. Everything else is derived from schema.d.ts in types.ts.
 */

export type FilterOp = 'in' | 'not_in';

export interface FilterCondition {
  key: string;
  op: FilterOp;
  values: string[];
}

/** AND of its conditions. */
export type FilterGroup = FilterCondition[];
/** OR of its groups; an empty filter matches everything. */
export type Filter = FilterGroup[];

export interface RoutingCase {
  if: Filter;
  channels: string[];
  continue?: boolean;
}

/** Routing of a shared integration (SPEC §3). */
export interface RoutingSpec {
  cases?: RoutingCase[];
  default?: string[];
  name_mapping?: { label: string } | null;
}

export type GroupingWindow = { kind: 'off' } | { kind: 'fixed' | 'sliding'; minutes: number };

/** A channel's incident grouping (SPEC §2.2). */
export type GroupingSpec =
  | { mode: 'none' }
  | { mode: 'rules'; by: string[]; cases?: { if: Filter; by: string[] }[]; strict?: boolean; window?: GroupingWindow }
  | { mode: 'similarity'; threshold?: number; labels?: string[]; window?: GroupingWindow };

/** ISO weekdays 1 (Monday) … 7 (Sunday), local `HH:MM`; `end` ≤ `start` runs past midnight. */
export interface WeeklyWindow {
  days: number[];
  start: string;
  end: string;
}

export type SilenceTime = { kind: 'range'; start: number; end: number } | { kind: 'weekly'; time_zone: string; windows: WeeklyWindow[] };

export interface SilenceSpec {
  filter: Filter;
  time: SilenceTime;
  action?: 'mark' | 'discard';
}

export interface InhibitSpec {
  source: Filter;
  target: Filter;
  equal: string[];
}

export interface DropSpec {
  filter: Filter;
}

export type RuleKind = 'silence' | 'inhibit' | 'drop';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a filter defensively: anything malformed becomes "no conditions" rather than a crash. */
export function asFilter(value: unknown): Filter {
  if (!Array.isArray(value)) return [];
  return value.filter(Array.isArray).map((group: unknown[]) =>
    group.filter(isObject).map((c) => ({
      key: typeof c.key === 'string' ? c.key : 'title',
      op: c.op === 'not_in' ? 'not_in' : 'in',
      values: Array.isArray(c.values) ? c.values.filter((v): v is string => typeof v === 'string') : [],
    })),
  );
}

export function asRouting(value: unknown): RoutingSpec {
  if (!isObject(value)) return { cases: [], default: [], name_mapping: null };
  const cases = Array.isArray(value.cases)
    ? value.cases.filter(isObject).map((c) => ({
        if: asFilter(c.if),
        channels: Array.isArray(c.channels) ? c.channels.filter((id): id is string => typeof id === 'string') : [],
        continue: c.continue === true,
      }))
    : [];
  const fallback = Array.isArray(value.default) ? value.default.filter((id): id is string => typeof id === 'string') : [];
  const mapping = isObject(value.name_mapping) && typeof value.name_mapping.label === 'string' ? { label: value.name_mapping.label } : null;
  return { cases, default: fallback, name_mapping: mapping };
}

export function asGrouping(value: unknown): GroupingSpec {
  if (!isObject(value)) return { mode: 'none' };
  if (value.mode === 'rules' || value.mode === 'similarity') return value as GroupingSpec;
  return { mode: 'none' };
}

export function asSilenceSpec(value: unknown): SilenceSpec {
  const spec = isObject(value) ? value : {};
  const time = isObject(spec.time) ? (spec.time as SilenceTime) : { kind: 'range' as const, start: Date.now(), end: Date.now() + 3_600_000 };
  return { filter: asFilter(spec.filter), time, action: spec.action === 'discard' ? 'discard' : 'mark' };
}

export function asInhibitSpec(value: unknown): InhibitSpec {
  const spec = isObject(value) ? value : {};
  return {
    source: asFilter(spec.source),
    target: asFilter(spec.target),
    equal: Array.isArray(spec.equal) ? spec.equal.filter((v): v is string => typeof v === 'string') : [],
  };
}

export function asDropSpec(value: unknown): DropSpec {
  return { filter: asFilter(isObject(value) ? value.filter : undefined) };
}
