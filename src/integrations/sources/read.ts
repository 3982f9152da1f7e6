/**
 * Small readers shared by the source mappers: they pull typed values out of an untrusted payload and
 * throw a SourceError naming the exact field when a value has the wrong shape. Pure, no I/O.
 */
import { parseBoundedJson } from '../../core/json.js';
import { parseIsoTime } from '../../core/time.js';
import { SourceError } from '../model.js';

/** A parsed JSON object (or form fields). */
export type JsonObject = Record<string, unknown>;

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object, or a SourceError `<field>: must be an object`. */
export function requireRecord(value: unknown, field: string): JsonObject {
  if (!isRecord(value)) throw new SourceError(field, 'must be an object');
  return value;
}

/** The parsed body as an object; a JSON text body is parsed first (SNS sends text/plain). */
export function bodyObject(body: unknown): JsonObject {
  let value = body;
  if (typeof value === 'string') {
    const parsed = parseBoundedJson(value);
    if (!parsed.ok) throw new SourceError('body', parsed.reason === 'is not valid JSON' ? 'must be a JSON object' : parsed.reason);
    value = parsed.value;
  }
  if (!isRecord(value)) throw new SourceError('body', 'must be a JSON object');
  return value;
}

/** An optional string field: absent or null gives undefined; any other non-string is an error. */
export function optionalString(obj: JsonObject, key: string, field: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SourceError(field, 'must be a string');
  return value;
}

/** A required, non-blank string field. */
export function requiredString(obj: JsonObject, key: string, field: string): string {
  const value = optionalString(obj, key, field);
  if (value === undefined) throw new SourceError(field, 'is required');
  if (value.trim() === '') throw new SourceError(field, 'must not be empty');
  return value;
}

/** A scalar sent as string or number (Zabbix macros, ids): its text, or undefined when absent or blank. */
export function optionalScalar(obj: JsonObject, key: string, field: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new SourceError(field, 'must be a string');
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `encodeURIComponent` that never throws: a lone surrogate (valid in JSON, not in a URI) becomes U+FFFD. */
export function encodeUriPart(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));
}

/** Length in characters (code points), the unit every limit in SPEC §3.1 uses. */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** `text` cut to at most `max` characters (code points, so no surrogate pair is split). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (charLength(text) <= max) return text;
  return [...text].slice(0, max).join('');
}

const FLATTEN_MAX_DEPTH = 8;
const FLATTEN_MAX_LABELS = 200;

/** The most a label value keeps; longer values from vendor payloads are cut, not rejected. */
export const LABEL_VALUE_MAX = 2048;

/**
 * A label value from any JSON value: strings as they are, numbers and booleans as text, objects and
 * arrays as compact JSON; null, undefined and empty strings give undefined (no label).
 */
export function labelText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value) ?? '';
  return text === '' ? undefined : truncate(text, LABEL_VALUE_MAX);
}

/** Builds a label set, skipping entries whose value is missing or empty. Later entries win. */
export function labelsOf(...sources: Readonly<Record<string, unknown>>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      if (key === '') continue;
      const text = labelText(value);
      if (text !== undefined) out[key] = text;
    }
  }
  return out;
}

/**
 * A map of strings (Alertmanager labels and annotations): every value must be a string, else
 * `<field>.<key>: must be a string`. Absent or null gives an empty map.
 */
export function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new SourceError(field, 'must be an object');
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new SourceError(`${field}.${key}`, 'must be a string');
    out[key] = v;
  }
  return out;
}

/**
 * Flattens nested objects to dotted keys (`{a: {b: 1}}` → `a.b = "1"`); arrays and scalars become
 * label text. Used for PagerDuty `custom_details`.
 */
export function flattenToLabels(value: unknown, prefix: string, out: Record<string, string> = {}, depth = 0): Record<string, string> {
  // Deeper levels stay one JSON label, and flattening stops well past the label cap (sources/limits.ts).
  if (isRecord(value) && depth < FLATTEN_MAX_DEPTH) {
    for (const [key, inner] of Object.entries(value)) {
      if (Object.keys(out).length >= FLATTEN_MAX_LABELS) break;
      flattenToLabels(inner, prefix === '' ? key : `${prefix}.${key}`, out, depth + 1);
    }
    return out;
  }
  const text = labelText(value);
  if (text !== undefined && prefix !== '') out[prefix] = text;
  return out;
}

/**
 * Parses a tag list such as Datadog's `env:prod, host:web-1, canary` into labels: the text before the
 * first `:` is the name; a bare tag becomes `name = "true"`; a repeated name joins its values with `,`.
 */
export function tagsToLabels(tags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '') continue;
    const colon = tag.indexOf(':');
    const name = (colon < 0 ? tag : tag.slice(0, colon)).trim();
    const value = colon < 0 ? 'true' : tag.slice(colon + 1).trim() || 'true';
    if (name === '') continue;
    const previous = out[name];
    out[name] = previous === undefined || previous === value ? value : truncate(`${previous},${value}`, LABEL_VALUE_MAX);
  }
  return out;
}

/** Parses an RFC 3339 / ISO 8601 time (also `+0000` offsets) to unix milliseconds; zone-less times are UTC (core/time.ts). */
export function parseTime(text: string): number | undefined {
  return parseIsoTime(text);
}

/** Unix seconds (or milliseconds, when the number is too large to be seconds) to milliseconds. */
export function epochToMs(value: number): number {
  return value >= 1e11 ? Math.round(value) : Math.round(value * 1000);
}
