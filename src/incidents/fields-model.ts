import type { FieldError } from '../core/errors.js';

/**
 * Custom incident fields (SPEC §7 "edit"): admins define them, responders set them on incidents, the
 * list filters by them. Pure: validation of definitions and values, and how stored values read back.
 * A value is stored as one or more strings (a multi-select has one row per option, a checkbox
 * `"true"`/`"false"`), so one indexed lookup answers "incidents whose <field> is <value>".
 */

export const FIELD_KINDS = ['text', 'select', 'multi_select', 'checkbox'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const FIELDS_MAX = 50;
export const OPTIONS_MAX = 50;
export const OPTION_MAX_LENGTH = 100;
export const TEXT_MAX_LENGTH = 1000;

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

export interface FieldDefinition {
  readonly id: string;
  /** Stable key used in the API (`custom_fields.<name>`) and in list filters. */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  /** Choices of a select or multi-select; empty for the other kinds. */
  readonly options: readonly string[];
}

export interface FieldDefinitionInput {
  readonly name?: string | undefined;
  readonly label?: string | undefined;
  readonly kind?: string | undefined;
  readonly options?: readonly string[] | undefined;
}

/** A field value as the API speaks it. */
export type FieldValue = string | string[] | boolean | null;

function isKind(value: unknown): value is FieldKind {
  return (FIELD_KINDS as readonly unknown[]).includes(value);
}

/** Validates a definition (create, or the merge of an update onto the stored one); every error at once. */
export function normalizeFieldDefinition(input: FieldDefinitionInput): { ok: true; value: Omit<FieldDefinition, 'id'> } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = input.name?.trim() ?? '';
  if (!NAME.test(name)) errors.push({ field: 'name', message: 'must be 1–40 characters: a lower-case letter, then letters, digits or _' });
  const label = input.label?.trim() ?? '';
  if (label.length < 1 || label.length > 100) errors.push({ field: 'label', message: 'must be 1–100 characters' });
  const kind = input.kind;
  if (!isKind(kind)) errors.push({ field: 'kind', message: `must be one of ${FIELD_KINDS.join(', ')}` });
  const options = (input.options ?? []).map((o) => o.trim());
  if (kind === 'select' || kind === 'multi_select') {
    if (options.length < 1 || options.length > OPTIONS_MAX) errors.push({ field: 'options', message: `must list 1–${OPTIONS_MAX} choices` });
    else if (options.some((o) => o.length < 1 || o.length > OPTION_MAX_LENGTH)) errors.push({ field: 'options', message: `each choice must be 1–${OPTION_MAX_LENGTH} characters` });
    else if (new Set(options).size !== options.length) errors.push({ field: 'options', message: 'must not repeat a choice' });
  } else if (options.length > 0 && isKind(kind)) {
    errors.push({ field: 'options', message: `only select and multi_select fields have options` });
  }
  if (errors.length > 0 || !isKind(kind)) return { ok: false, errors };
  return { ok: true, value: { name, label, kind, options: kind === 'select' || kind === 'multi_select' ? options : [] } };
}

/**
 * Validates a value for a field and returns the strings to store (none = cleared). `null` clears
 * every kind; an empty text or an empty multi-select clears too.
 */
export function normalizeFieldValue(def: FieldDefinition, value: unknown, field: string): { ok: true; stored: string[] } | { ok: false; error: FieldError } {
  if (value === null) return { ok: true, stored: [] };
  const fail = (message: string) => ({ ok: false as const, error: { field, message } });
  switch (def.kind) {
    case 'text': {
      if (typeof value !== 'string') return fail('must be a string or null');
      const text = value.trim();
      if (text.length > TEXT_MAX_LENGTH) return fail(`must be at most ${TEXT_MAX_LENGTH} characters`);
      return { ok: true, stored: text ? [text] : [] };
    }
    case 'select':
      if (typeof value !== 'string' || !def.options.includes(value)) return fail(`must be one of ${def.options.join(', ')} or null`);
      return { ok: true, stored: [value] };
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !def.options.includes(v))) return fail(`must be a list of ${def.options.join(', ')}`);
      return { ok: true, stored: [...new Set(value as string[])] };
    }
    case 'checkbox':
      if (typeof value !== 'boolean') return fail('must be true, false or null');
      return { ok: true, stored: [String(value)] };
  }
}

/** Stored strings back to the API value of the field's kind. */
export function readFieldValue(def: Pick<FieldDefinition, 'kind' | 'options'>, stored: readonly string[]): FieldValue {
  switch (def.kind) {
    case 'multi_select':
      // In the order of the definition's options, so the console shows them consistently.
      return def.options.filter((o) => stored.includes(o));
    case 'checkbox':
      return stored.length === 0 ? null : stored[0] === 'true';
    default:
      return stored[0] ?? null;
  }
}

/**
 * Parses a list filter `name=value` (repeatable: every one must match). For a checkbox the value is
 * `true` or `false`; for a multi-select, incidents having that option.
 */
export function parseFieldFilter(text: string, defs: readonly FieldDefinition[]): { ok: true; value: { fieldId: string; value: string } } | { ok: false; error: FieldError } {
  const at = text.indexOf('=');
  const name = at > 0 ? text.slice(0, at) : '';
  const def = defs.find((d) => d.name === name);
  if (!def) return { ok: false, error: { field: 'custom_field', message: `must be <field name>=<value> with a defined field name (got "${name || text}")` } };
  const value = text.slice(at + 1);
  if (def.kind === 'checkbox' && value !== 'true' && value !== 'false') return { ok: false, error: { field: 'custom_field', message: `${name}: a checkbox filter value must be true or false` } };
  return { ok: true, value: { fieldId: def.id, value } };
}
