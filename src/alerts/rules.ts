import type { Compiled, Filter, FilterMatcher } from '../core/filter.js';
import { compileFilter } from '../core/filter.js';
import type { FieldError } from '../core/errors.js';
import { compileInhibitRule, compileSilenceRule, type InhibitRule, type SilenceRule, type SilenceTime, type WeeklyWindow } from './model.js';
import type { RuleKind } from './rules-store.js';

/** Rule specs as the API speaks them and as they are stored (snake_case). */
export type SilenceSpec = {
  readonly filter: Filter;
  readonly time:
    | { readonly kind: 'range'; readonly start: number; readonly end: number }
    | { readonly kind: 'weekly'; readonly time_zone: string; readonly windows: readonly WeeklyWindow[] };
  readonly action?: 'mark' | 'discard';
};
export type InhibitSpec = { readonly source: Filter; readonly target: Filter; readonly equal: readonly string[] };
export type DropSpec = { readonly filter: Filter };

function silenceTime(spec: SilenceSpec['time']): SilenceTime {
  return spec.kind === 'weekly' ? { kind: 'weekly', timeZone: spec.time_zone, windows: spec.windows } : spec;
}

/** A compiled rule with the identity the timeline and API refer to. */
export interface Named<T> {
  readonly id: string;
  readonly name: string;
  readonly rule: T;
}

/** Validates a rule spec of any kind, returning its field errors (empty when valid). */
export function validateRuleSpec(kind: RuleKind, spec: unknown): FieldError[] {
  const compiled = compileSpec(kind, spec);
  return compiled.ok ? [] : compiled.errors;
}

/** Compiles one stored spec; the caller knows its kind. */
export function compileSpec(kind: RuleKind, spec: unknown): Compiled<SilenceRule | InhibitRule | FilterMatcher> {
  if (typeof spec !== 'object' || spec === null) return { ok: false, errors: [{ field: 'spec', message: 'must be an object' }] };
  if (kind === 'silence') {
    const s = spec as SilenceSpec;
    if (typeof s.time !== 'object' || s.time === null) return { ok: false, errors: [{ field: 'time', message: 'is required' }] };
    return compileSilenceRule({ filter: s.filter ?? [], time: silenceTime(s.time), action: s.action }, 'spec');
  }
  if (kind === 'inhibit') {
    const s = spec as InhibitSpec;
    return compileInhibitRule({ source: s.source ?? [], target: s.target ?? [], equal: s.equal ?? [] }, 'spec');
  }
  const s = spec as DropSpec;
  // An empty drop filter would discard everything: refuse it.
  if (!Array.isArray(s.filter) || s.filter.length === 0) return { ok: false, errors: [{ field: 'spec.filter', message: 'must have at least one condition group' }] };
  return compileFilter(s.filter, 'spec.filter');
}
