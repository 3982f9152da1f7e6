/**
 * A small client-side port of the filter language (SPEC §2.5) and of shared-integration routing
 * (SPEC §3), used ONLY for previews in the console ("which case would this payload match?").
 *
 * The server is authoritative: it validates filters when they are saved (and refuses, e.g., nested
 * regex quantifiers this port does not check), renders titles, applies label enrichment and the
 * pipeline before routing — none of which a preview can know. Keep the semantics here in step with
 * src/core/filter.ts and src/integrations/routing.ts, but never rely on them for a decision.
 *
 * Value forms, tried in order: `/re/` or `/re/i` (unanchored regex), `cidr:net/len`,
 * `num:gt|ge|lt|le:N`, a value with `*` or `?` (whole-string wildcard), else exact (case-sensitive).
 * A missing label is in no set: `in` is false and `not_in` is true.
 */
import type { Filter, FilterCondition, RoutingSpec } from '../api/specs';
import { i18next } from '../i18n';
// The server's own IP parser (pure, no Node imports): IPv4 and IPv6 networks match exactly as on the server.
import { inNetwork, parseCidr } from '../../../src/core/ip';

/** What a filter looks at; `integration` is the integration id. */
export interface FilterSubject {
  severity: string;
  title: string;
  description: string;
  integration: string;
  labels: Record<string, string>;
}

export type ValueKind = 'regex' | 'cidr' | 'num' | 'wildcard' | 'exact';

/** How a value will be read, for the inline hints of the filter editor. */
export function valueKind(value: string): ValueKind {
  if (regexLiteral(value)) return 'regex';
  if (value.startsWith('cidr:')) return 'cidr';
  if (value.startsWith('num:')) return 'num';
  if (value.includes('*') || value.includes('?')) return 'wildcard';
  return 'exact';
}

/** A problem the server would certainly refuse the value for (a subset of its checks), or null. */
export function valueProblem(value: string): string | null {
  const regex = regexLiteral(value);
  if (regex) {
    try {
      new RegExp(regex.source.replace(/^\(\?i\)/, ''), regex.flags);
      return null;
    } catch {
      return i18next.t('common:filter.invalidRegex');
    }
  }
  if (value.startsWith('cidr:')) return parseCidr(value.slice(5)) ? null : i18next.t('common:filter.invalidCidr');
  if (value.startsWith('num:')) return /^num:(gt|ge|lt|le):\s*-?\d+(\.\d+)?\s*$/.test(value) ? null : i18next.t('common:filter.invalidNum');
  return null;
}

function regexLiteral(value: string): { source: string; flags: '' | 'i' } | undefined {
  if (value.length >= 3 && value.startsWith('/') && value.endsWith('/')) return { source: value.slice(1, -1), flags: '' };
  if (value.length >= 4 && value.startsWith('/') && value.endsWith('/i')) return { source: value.slice(1, -2), flags: 'i' };
  return undefined;
}

function matchValue(pattern: string, subject: string): boolean {
  const regex = regexLiteral(pattern);
  if (regex) {
    let source = regex.source;
    let flags: string = regex.flags;
    if (source.startsWith('(?i)')) {
      source = source.slice(4);
      flags = 'i';
    }
    try {
      return new RegExp(source, flags).test(subject);
    } catch {
      return false;
    }
  }
  if (pattern.startsWith('cidr:')) {
    const network = parseCidr(pattern.slice(5));
    return network !== undefined && inNetwork(network, subject);
  }
  if (pattern.startsWith('num:')) {
    const m = /^num:(gt|ge|lt|le):(.+)$/.exec(pattern);
    const bound = m ? toNumber(m[2] ?? '') : undefined;
    const n = toNumber(subject);
    if (!m || bound === undefined || n === undefined) return false;
    if (m[1] === 'gt') return n > bound;
    if (m[1] === 'ge') return n >= bound;
    if (m[1] === 'lt') return n < bound;
    return n <= bound;
  }
  if (pattern.includes('*') || pattern.includes('?')) return globMatch(pattern, subject);
  return pattern === subject;
}

function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Whole-string wildcard: `*` any run (also empty), `?` exactly one character. */
export function globMatch(pattern: string, text: string): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'su').test(text);
}

function fieldOf(subject: FilterSubject, key: string): string | undefined {
  if (key === 'severity' || key === 'title' || key === 'description' || key === 'integration') return subject[key];
  if (key.startsWith('labels.')) {
    const name = key.slice('labels.'.length);
    return Object.hasOwn(subject.labels, name) ? subject.labels[name] : undefined;
  }
  return undefined;
}

function matchCondition(condition: FilterCondition, subject: FilterSubject): boolean {
  const value = fieldOf(subject, condition.key);
  const inSet = value !== undefined && condition.values.some((pattern) => matchValue(pattern, value));
  return condition.op === 'in' ? inSet : !inSet;
}

/** OR of AND-groups; an empty filter matches everything. */
export function matchFilter(filter: Filter, subject: FilterSubject): boolean {
  if (filter.length === 0) return true;
  return filter.some((group) => group.every((condition) => matchCondition(condition, subject)));
}

/** Where routing would send an event: the matched cases (indexes), the channels, or a channel name. */
export interface RoutePreview {
  via: 'cases' | 'default' | 'name' | 'none';
  matchedCases: number[];
  channelIds: string[];
  channelName?: string;
}

/** Ordered cases, first match wins unless it says continue; default only when no case matched. */
export function previewRoute(routing: RoutingSpec, subject: FilterSubject): RoutePreview {
  const label = routing.name_mapping?.label;
  if (label) {
    const name = subject.labels[label];
    if (name) return { via: 'name', matchedCases: [], channelIds: [], channelName: name };
  }
  const matched: number[] = [];
  const ids: string[] = [];
  for (const [index, c] of (routing.cases ?? []).entries()) {
    if (!matchFilter(c.if, subject)) continue;
    matched.push(index);
    for (const id of c.channels) if (!ids.includes(id)) ids.push(id);
    if (!c.continue) break;
  }
  if (ids.length > 0) return { via: 'cases', matchedCases: matched, channelIds: ids };
  const fallback = routing.default ?? [];
  if (fallback.length > 0) return { via: 'default', matchedCases: [], channelIds: fallback };
  return { via: 'none', matchedCases: [], channelIds: [] };
}

const TITLE_TOKEN = /\$\$|\$([A-Za-z_][A-Za-z0-9_]*)|\{\{\s*labels\.([^\s{}]+)\s*\}\}/g;

/** `$name` and `{{ labels.name }}` in a standard event's `title_rule`, as the server renders them. */
export function renderTitle(template: string, labels: Record<string, string>): string {
  return template.replace(TITLE_TOKEN, (match: string, dollar: string | undefined, brace: string | undefined) => {
    if (match === '$$') return '$';
    if (dollar !== undefined) return Object.hasOwn(labels, dollar) ? (labels[dollar] ?? '') : match;
    if (brace !== undefined) return Object.hasOwn(labels, brace) ? (labels[brace] ?? '') : '';
    return match;
  });
}

/**
 * Reads a raw standard-format payload (SPEC §3.1) into what a filter sees, or explains why it
 * cannot. Enrichment and pipeline rules are not applied: the preview shows the event as sent.
 */
export function standardSubject(payload: string, integrationId: string): { ok: true; subject: FilterSubject } | { ok: false; reason: string } {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return { ok: false, reason: i18next.t('common:filter.previewNotJson') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: i18next.t('common:filter.previewNotStandard') };
  const event = body as Record<string, unknown>;
  if (typeof event.title_rule !== 'string' || typeof event.event_status !== 'string') {
    return { ok: false, reason: i18next.t('common:filter.previewMissingFields') };
  }
  const labels: Record<string, string> = {};
  if (typeof event.labels === 'object' && event.labels !== null) {
    for (const [k, v] of Object.entries(event.labels)) if (typeof v === 'string') labels[k] = v;
  }
  return {
    ok: true,
    subject: {
      severity: event.event_status,
      title: renderTitle(event.title_rule, labels),
      description: typeof event.description === 'string' ? event.description : '',
      integration: integrationId,
      labels,
    },
  };
}
