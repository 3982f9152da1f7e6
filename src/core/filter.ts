import type { FieldError } from './errors.js';
import { compileRegex, type SafeRegex } from './regex.js';
import { inNetwork, parseCidr } from './ip.js';

export { inNetwork, parseCidr, parseIp, type IpAddress, type IpNetwork } from './ip.js';

export { MAX_REGEX_LENGTH } from './regex.js';

/**
 * The filter-condition language (SPEC §2.5), one for routing, silence, inhibit, drop, escalation,
 * pipelines and webhooks: an OR of AND-groups of `{key, op, values}` conditions.
 *
 * Value forms, tried in this order:
 * - `/re/` or `/re/i` — an RE2 regular expression, **unanchored** (like grep and Go's
 *   MatchString: write `^…$` to anchor). A leading `(?i)` (Go/PCRE style) is accepted as the `i` flag.
 * - `cidr:10.0.0.0/24`, `cidr:2001:db8::/32` — the subject is an IPv4/IPv6 address inside the network.
 *   IPv4-mapped IPv6 (`::ffff:10.0.0.1`) counts as IPv4; a `:port` / `[v6]:port` suffix is ignored so
 *   Prometheus `instance` labels work. Host bits in the network are masked (`10.0.0.5/24` = `10.0.0.0/24`).
 * - `num:gt|ge|lt|le:90` — the subject parsed as a number (non-numeric subjects never match).
 * - a value containing `*` (any run, also empty) or `?` (exactly one character) — a whole-string,
 *   case-sensitive wildcard. `*` and `?` also match themselves, so such a value still matches itself.
 * - anything else — exact, case-sensitive.
 *
 * A missing label has no value: it is in no set, so `in` is false and `not_in` is true — also for
 * `in ["*"]`, which makes `labels.x in ["*"]` the idiom for "label x exists".
 *
 * ReDoS: regexes run on RE2 (core/regex.ts), linear in the subject whatever the pattern, with the
 * subject capped; RE2 syntax has no look-around or back-references (ADR 0025).
 */

export type FilterOp = 'in' | 'not_in';

export interface FilterCondition {
  readonly key: string;
  readonly op: FilterOp;
  readonly values: readonly string[];
}

/** AND of its conditions. */
export type FilterGroup = readonly FilterCondition[];
/** OR of its groups; empty = matches everything. */
export type Filter = readonly FilterGroup[];

/** What a filter looks at. `integration` is the integration id. */
export interface FilterSubject {
  readonly severity: string;
  readonly title: string;
  readonly description: string;
  readonly integration: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type FilterMatcher = (subject: FilterSubject) => boolean;
export type ValueMatcher = (value: string) => boolean;

/** A compile step's result: the fast function, or every rule broken. */
export type Compiled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

export const MAX_GROUPS = 20;
/** Fits an AND of every label of an alert (≤ 50), as quick silence builds. */
export const MAX_CONDITIONS = 50;
export const MAX_VALUES = 500;
export const MAX_VALUE_LENGTH = 2048;
export const LABEL_NAME_MAX = 128;

const FIXED_KEYS = ['severity', 'title', 'description', 'integration'] as const;
type FixedKey = (typeof FIXED_KEYS)[number];

/** Reads one field of a subject; labels are read with hasOwn so `labels.constructor` is just a missing label. */
export type FieldGetter = (subject: FilterSubject) => string | undefined;

/** Compiles a condition key (`title`, `labels.host`, ...) to a getter, or explains why it is not a key. */
export function compileKey(key: unknown, field: string): Compiled<FieldGetter> {
  if (typeof key === 'string') {
    if ((FIXED_KEYS as readonly string[]).includes(key)) {
      const fixed = key as FixedKey;
      return { ok: true, value: (s) => s[fixed] };
    }
    if (key.startsWith('labels.')) {
      const name = key.slice('labels.'.length);
      if (name.length > 0 && name.length <= LABEL_NAME_MAX) {
        return { ok: true, value: (s) => (Object.hasOwn(s.labels, name) ? s.labels[name] : undefined) };
      }
      return fail(field, `label name must be 1–${LABEL_NAME_MAX} characters`);
    }
  }
  return fail(field, 'must be severity, title, description, integration or labels.<name>');
}

/** Validates a filter and compiles it once (regexes, sets, networks) into a fast predicate. */
export function compileFilter(filter: Filter, field = 'filter'): Compiled<FilterMatcher> {
  if (!Array.isArray(filter)) return fail(field, 'must be a list of condition groups');
  if (filter.length > MAX_GROUPS) return fail(field, `at most ${MAX_GROUPS} condition groups`);
  const errors: FieldError[] = [];
  const groups: FilterMatcher[][] = [];
  filter.forEach((group: unknown, gi) => {
    const gField = `${field}[${gi}]`;
    if (!Array.isArray(group) || group.length === 0) return void errors.push({ field: gField, message: 'must be a non-empty list of conditions' });
    if (group.length > MAX_CONDITIONS) return void errors.push({ field: gField, message: `at most ${MAX_CONDITIONS} conditions` });
    const conditions: FilterMatcher[] = [];
    group.forEach((condition: unknown, ci) => {
      const compiled = compileCondition(condition, `${gField}[${ci}]`);
      if (compiled.ok) conditions.push(compiled.value);
      else errors.push(...compiled.errors);
    });
    groups.push(conditions);
  });
  if (errors.length > 0) return { ok: false, errors };
  if (groups.length === 0) return { ok: true, value: () => true };
  return { ok: true, value: (s) => groups.some((conditions) => conditions.every((c) => c(s))) };
}

/** Every rule a filter breaks (empty when valid). */
export function validateFilter(filter: Filter, field = 'filter'): FieldError[] {
  const compiled = compileFilter(filter, field);
  return compiled.ok ? [] : compiled.errors;
}

function compileCondition(condition: unknown, field: string): Compiled<FilterMatcher> {
  if (typeof condition !== 'object' || condition === null) return fail(field, 'must be an object {key, op, values}');
  const { key, op, values } = condition as Record<string, unknown>;
  const errors: FieldError[] = [];
  const getter = compileKey(key, `${field}.key`);
  if (!getter.ok) errors.push(...getter.errors);
  if (op !== 'in' && op !== 'not_in') errors.push({ field: `${field}.op`, message: 'must be in or not_in' });
  let set: ValueMatcher | undefined;
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES) {
    errors.push({ field: `${field}.values`, message: `must be a list of 1–${MAX_VALUES} strings` });
  } else {
    const compiled = compileValueSet(values, `${field}.values`);
    if (compiled.ok) set = compiled.value;
    else errors.push(...compiled.errors);
  }
  if (errors.length > 0 || !getter.ok || !set) return { ok: false, errors };
  const get = getter.value;
  const inSet = set;
  return op === 'in'
    ? {
        ok: true,
        value: (s) => {
          const v = get(s);
          return v !== undefined && inSet(v);
        },
      }
    : {
        ok: true,
        value: (s) => {
          const v = get(s);
          return v === undefined || !inSet(v);
        },
      };
}

/** Compiles a list of values into one "matches any" test; exact values go into a Set. */
export function compileValueSet(values: readonly unknown[], field: string): Compiled<ValueMatcher> {
  const exact = new Set<string>();
  const others: ValueMatcher[] = [];
  const errors: FieldError[] = [];
  values.forEach((value, i) => {
    const compiled = compileValue(value, `${field}[${i}]`);
    if (!compiled.ok) errors.push(...compiled.errors);
    else if (compiled.value.exact !== undefined) exact.add(compiled.value.exact);
    else others.push(compiled.value.test);
  });
  if (errors.length > 0) return { ok: false, errors };
  if (others.length === 0) return { ok: true, value: (v) => exact.has(v) };
  return { ok: true, value: (v) => exact.has(v) || others.some((m) => m(v)) };
}

interface CompiledValue {
  readonly test: ValueMatcher;
  /** Set for plain exact values, so a set lookup can replace a scan. */
  readonly exact?: string;
}

/** Compiles one value of the language (regex, cidr, num, wildcard or exact). */
export function compileValue(value: unknown, field: string): Compiled<CompiledValue> {
  if (typeof value !== 'string') return fail(field, 'must be a string');
  if (value.length > MAX_VALUE_LENGTH) return fail(field, `must be at most ${MAX_VALUE_LENGTH} characters`);
  const regex = regexLiteral(value);
  if (regex) {
    const compiled = compileSafeRegex(regex.source, regex.flags, field);
    if (!compiled.ok) return compiled;
    const re = compiled.value;
    return { ok: true, value: { test: (v) => re.test(v) } };
  }
  if (value.startsWith('cidr:')) {
    const network = parseCidr(value.slice(5));
    if (!network) return fail(field, 'invalid cidr, expected e.g. cidr:10.0.0.0/24 or cidr:2001:db8::/32');
    return { ok: true, value: { test: (v) => inNetwork(network, v) } };
  }
  if (value.startsWith('num:')) {
    const m = /^num:(gt|ge|lt|le):(.+)$/.exec(value);
    const bound = m ? parseNumber(m[2] ?? '') : undefined;
    if (!m || bound === undefined) return fail(field, 'invalid number condition, expected num:gt|ge|lt|le:<number>');
    return { ok: true, value: { test: numberTest(m[1] as NumOp, bound) } };
  }
  if (value.includes('*') || value.includes('?')) return { ok: true, value: { test: (v) => globMatch(value, v) } };
  return { ok: true, value: { test: (v) => v === value, exact: value } };
}

function regexLiteral(value: string): { source: string; flags: '' | 'i' } | undefined {
  if (value.length >= 3 && value.startsWith('/') && value.endsWith('/')) return { source: value.slice(1, -1), flags: '' };
  if (value.length >= 4 && value.startsWith('/') && value.endsWith('/i')) return { source: value.slice(1, -2), flags: 'i' };
  return undefined;
}

/** Compiles a user regex on the linear-time engine (core/regex), refusing over-long or unsupported sources. */
export function compileSafeRegex(source: string, flags: '' | 'i', field: string): Compiled<SafeRegex> {
  return compileRegex(source, flags, field);
}

type NumOp = 'gt' | 'ge' | 'lt' | 'le';

/** A strict decimal/float reading: trimmed, non-empty, finite (Number('') would be 0). */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function numberTest(op: NumOp, bound: number): ValueMatcher {
  return (v) => {
    const n = parseNumber(v);
    if (n === undefined) return false;
    if (op === 'gt') return n > bound;
    if (op === 'ge') return n >= bound;
    if (op === 'lt') return n < bound;
    return n <= bound;
  };
}

/** Whole-string wildcard match in O(|pattern|·|text|): `*` any run, `?` one code point. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length) {
      const pc = pattern.charCodeAt(p);
      if (pc === 42) {
        starP = p;
        starT = t;
        p += 1;
        continue;
      }
      if (pc === 63) {
        p += 1;
        t += charWidth(text, t);
        continue;
      }
      if (pc === text.charCodeAt(t)) {
        p += 1;
        t += 1;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    starT += charWidth(text, starT);
    t = starT;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p += 1;
  return p === pattern.length;
}

function charWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Escapes a literal so the filter language matches exactly it (plain values stay as they are). */
export function exactValue(literal: string): string {
  const special = regexLiteral(literal) !== undefined || literal.startsWith('cidr:') || literal.startsWith('num:') || /[*?]/.test(literal);
  if (!special) return literal;
  return `/^${literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}$/`;
}

function fail<T>(field: string, message: string): Compiled<T> {
  return { ok: false, errors: [{ field, message }] };
}
