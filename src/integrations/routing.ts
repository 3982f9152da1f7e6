import type { FieldError } from '../core/errors.js';
import { compileFilter, type Filter, type FilterMatcher, type FilterSubject } from '../core/filter.js';

/** Routing of a shared integration, as stored and as the API speaks it. */
export interface RoutingSpec {
  readonly cases?: readonly { readonly if: Filter; readonly channels: readonly string[]; readonly continue?: boolean }[];
  readonly default?: readonly string[];
  /** Name-mapping mode: the value of this label names the target channel. */
  readonly name_mapping?: { readonly label: string } | null;
}

export interface CompiledRouting {
  readonly cases: readonly { readonly match: FilterMatcher; readonly channels: readonly string[]; readonly continue: boolean }[];
  readonly fallback: readonly string[];
  readonly nameLabel: string | undefined;
}

/** Where an event goes: channel ids, and channel names to resolve (name mapping). Empty = no route. */
export interface RouteDecision {
  readonly channelIds: readonly string[];
  readonly channelNames: readonly string[];
  /** Which case matched (index), 'name', 'default', or undefined when nothing matched. */
  readonly via: number | 'name' | 'default' | undefined;
}

const MAX_CASES = 100;

/** Validates and compiles a routing spec; every problem comes back with its dotted field. */
export function compileRouting(spec: unknown, field = 'settings.routing'): { ok: true; value: CompiledRouting } | { ok: false; errors: FieldError[] } {
  if (spec === null || spec === undefined) return { ok: true, value: { cases: [], fallback: [], nameLabel: undefined } };
  if (typeof spec !== 'object' || Array.isArray(spec)) return { ok: false, errors: [{ field, message: 'must be an object with cases, default and name_mapping' }] };
  const routing = spec as RoutingSpec;
  const errors: FieldError[] = [];
  const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 50 && v.every((id) => typeof id === 'string' && id.length > 0);
  const cases: CompiledRouting['cases'][number][] = [];
  const rawCases = routing.cases ?? [];
  if (!Array.isArray(rawCases) || rawCases.length > MAX_CASES) errors.push({ field: `${field}.cases`, message: `must be a list of at most ${MAX_CASES} cases` });
  else
    rawCases.forEach((c, i) => {
      const match = compileFilter(c.if ?? [], `${field}.cases[${i}].if`);
      if (!match.ok) errors.push(...match.errors);
      if (!isIdList(c.channels) || c.channels.length === 0) errors.push({ field: `${field}.cases[${i}].channels`, message: 'must list 1 to 50 channel ids' });
      if (match.ok && isIdList(c.channels)) cases.push({ match: match.value, channels: c.channels, continue: c.continue === true });
    });
  const fallback = routing.default ?? [];
  if (!isIdList(fallback)) errors.push({ field: `${field}.default`, message: 'must list at most 50 channel ids' });
  const nameLabel = routing.name_mapping?.label;
  if (routing.name_mapping && (typeof nameLabel !== 'string' || nameLabel.length === 0 || nameLabel.length > 128)) {
    errors.push({ field: `${field}.name_mapping.label`, message: 'must be a label name of 1–128 characters' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { cases, fallback: isIdList(fallback) ? fallback : [], nameLabel } };
}

/** Every channel id the spec names (to check they exist on save). */
export function routedChannelIds(spec: RoutingSpec | null | undefined): string[] {
  if (!spec) return [];
  return [...new Set([...(spec.cases ?? []).flatMap((c) => c.channels), ...(spec.default ?? [])])];
}

/** Ordered cases, first match wins unless it says continue; the default only when no case matched. */
export function route(routing: CompiledRouting, subject: FilterSubject): RouteDecision {
  if (routing.nameLabel !== undefined) {
    const name = subject.labels[routing.nameLabel];
    if (name) return { channelIds: [], channelNames: [name], via: 'name' };
  }
  const ids: string[] = [];
  let via: RouteDecision['via'];
  for (const [i, c] of routing.cases.entries()) {
    if (!c.match(subject)) continue;
    via ??= i;
    for (const id of c.channels) if (!ids.includes(id)) ids.push(id);
    if (!c.continue) break;
  }
  if (ids.length > 0) return { channelIds: ids, channelNames: [], via };
  if (routing.fallback.length > 0) return { channelIds: routing.fallback, channelNames: [], via: 'default' };
  return { channelIds: [], channelNames: [], via: undefined };
}
