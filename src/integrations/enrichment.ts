import type { FieldError } from '../core/errors.js';
import {
  compileFilter,
  compileKey,
  compileSafeRegex,
  compileValueSet,
  LABEL_NAME_MAX,
  type Compiled,
  type Filter,
  type FilterMatcher,
  type FilterSubject,
  type ValueMatcher,
} from '../core/filter.js';
import { compileTemplate, type Template } from '../core/template.js';
import type { NormalizedEvent, Severity } from './model.js';

/**
 * Per-integration label enrichment and pipeline (SPEC §3), compiled once when the integration is
 * loaded, applied to every event as a pure function.
 *
 * Enrichment (every event, recoveries included, so a recovery carries the same derived labels as its
 * trigger): rules run in order and each sees the labels the previous ones produced. A rule sets a
 * label only when the value is non-empty, and by default never replaces a label the event already
 * has (`overwrite: true` to replace) — enrichment fills in, the source's own data wins.
 *
 * Pipeline (triggers only: `Ok` events and acknowledge/resolve actions skip it, so a recovery always
 * reaches its alert): ordered actions, each with an optional filter evaluated on the event as the
 * previous actions left it; `drop_alert` ends the pipeline.
 */

type Conditional = { readonly if?: Filter | undefined };
export type EnrichmentRule = Conditional &
  (
    | { readonly kind: 'extract'; readonly source: string; readonly pattern: string; readonly overwrite?: boolean | undefined }
    | { readonly kind: 'compose'; readonly label: string; readonly template: string; readonly overwrite?: boolean | undefined }
    | { readonly kind: 'map'; readonly source: readonly string[]; readonly csv: string; readonly overwrite?: boolean | undefined }
    | { readonly kind: 'drop'; readonly labels: readonly string[] }
  );

export type PipelineRule = Conditional &
  (
    | { readonly action: 'reset_title'; readonly title: string }
    | { readonly action: 'reset_description'; readonly description: string }
    | { readonly action: 'reset_severity'; readonly severity: Severity }
    | { readonly action: 'drop_alert' }
  );

/** A pipeline's verdict that the event is discarded; `rule` is the index of the drop_alert action. */
export interface Dropped {
  readonly dropped: true;
  readonly rule: number;
}

export type Enrichment = (event: NormalizedEvent) => NormalizedEvent;
export type Pipeline = (event: NormalizedEvent) => NormalizedEvent | Dropped;

export interface CompileOptions {
  /** Integration id, seen by filters as `integration`. */
  readonly integration?: string | undefined;
  /** Field prefix for errors. */
  readonly field?: string | undefined;
}

export const MAX_RULES = 50;
export const MAP_MAX_CSV_CHARS = 2_000_000;
export const MAP_MAX_ROWS = 20_000;
export const TITLE_MAX = 512;
export const DESCRIPTION_MAX = 2048;
export const LABEL_VALUE_MAX = 2048;

type Labels = Record<string, string>;
type Step = (labels: Labels, event: NormalizedEvent) => void;

/** The filter subject of an event (severity is the event status, `Ok` included). */
export function eventSubject(event: NormalizedEvent, integration: string): FilterSubject {
  return { severity: event.status, title: event.title, description: event.description, integration, labels: event.labels };
}

/** Validates enrichment rules and compiles them into one pure event → event function. */
export function compileEnrichment(rules: readonly EnrichmentRule[], options: CompileOptions = {}): Compiled<Enrichment> {
  const field = options.field ?? 'enrichment';
  const integration = options.integration ?? '';
  const listError = checkList(rules, field);
  if (listError) return { ok: false, errors: [listError] };
  const errors: FieldError[] = [];
  const steps: { when: FilterMatcher | undefined; step: Step }[] = [];
  rules.forEach((rule, i) => {
    const at = `${field}[${i}]`;
    const when = compileCondition(rule.if, `${at}.if`, errors);
    const step = compileEnrichmentStep(rule, at, errors);
    if (step) steps.push({ when, step });
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: (event) => {
      const labels: Labels = { ...event.labels };
      for (const { when, step } of steps) {
        if (!when || when(eventSubject({ ...event, labels }, integration))) step(labels, event);
      }
      return { ...event, labels };
    },
  };
}

function compileEnrichmentStep(rule: EnrichmentRule, at: string, errors: FieldError[]): Step | undefined {
  switch (rule.kind) {
    case 'extract':
      return compileExtract(rule, at, errors);
    case 'compose': {
      const nameError = checkLabelName(rule.label, `${at}.label`);
      const template = compileTemplate(rule.template, `${at}.template`);
      if (nameError) errors.push(nameError);
      if (!template.ok) errors.push(...template.errors);
      if (nameError || !template.ok) return undefined;
      const render: Template = template.value;
      const overwrite = rule.overwrite === true;
      return (labels, event) =>
        setLabel(labels, rule.label, render({ title: event.title, description: event.description, severity: event.status, labels }), overwrite);
    }
    case 'map':
      return compileMap(rule, at, errors);
    case 'drop': {
      if (!Array.isArray(rule.labels) || rule.labels.length === 0) {
        errors.push({ field: `${at}.labels`, message: 'must list at least one label name or pattern' });
        return undefined;
      }
      const names = compileValueSet(rule.labels, `${at}.labels`);
      if (!names.ok) return void errors.push(...names.errors);
      const drop: ValueMatcher = names.value;
      return (labels) => {
        for (const name of Object.keys(labels)) if (drop(name)) delete labels[name];
      };
    }
    default:
      errors.push({ field: `${at}.kind`, message: 'must be extract, compose, map or drop' });
      return undefined;
  }
}

function compileExtract(rule: Extract<EnrichmentRule, { kind: 'extract' }>, at: string, errors: FieldError[]): Step | undefined {
  const source =
    rule.source === 'title' || rule.source === 'description' || String(rule.source).startsWith('labels.') ? compileKey(rule.source, `${at}.source`) : undefined;
  if (!source?.ok) errors.push(...(source?.errors ?? [{ field: `${at}.source`, message: 'must be title, description or labels.<name>' }]));
  const regex = typeof rule.pattern === 'string' ? compileSafeRegex(rule.pattern, '', `${at}.pattern`) : undefined;
  if (!regex?.ok) return void errors.push(...(regex?.errors ?? [{ field: `${at}.pattern`, message: 'must be a string' }]));
  const re = regex.value;
  const names = re.groupNames;
  if (names.length === 0) return void errors.push({ field: `${at}.pattern`, message: 'needs at least one named group such as (?<host>[^ ]+)' });
  if (!source?.ok) return undefined;
  const get = source.value;
  const overwrite = rule.overwrite === true;
  return (labels, event) => {
    const text = get({ ...eventSubject(event, ''), labels });
    const groups = text === undefined ? undefined : re.exec(text)?.named;
    if (!groups) return;
    for (const name of names) setLabel(labels, name, groups[name] ?? '', overwrite);
  };
}

function compileMap(rule: Extract<EnrichmentRule, { kind: 'map' }>, at: string, errors: FieldError[]): Step | undefined {
  if (!Array.isArray(rule.source) || rule.source.length === 0 || rule.source.some((s) => typeof s !== 'string')) {
    return void errors.push({ field: `${at}.source`, message: 'must list the label names to look up' });
  }
  const table = parseMapTable(rule.source, rule.csv, `${at}.csv`);
  if (!table.ok) return void errors.push(...table.errors);
  const { rows } = table.value;
  const sources = rule.source;
  const overwrite = rule.overwrite === true;
  return (labels) => {
    const values: string[] = [];
    for (const s of sources) {
      if (!Object.hasOwn(labels, s)) return;
      values.push(labels[s] ?? '');
    }
    const result = rows.get(values.join('\u0000'));
    if (result) for (const [name, value] of result) setLabel(labels, name, value, overwrite);
  };
}

/** A parsed lookup table: source-value tuple (joined by NUL) → result labels (empty cells left out). */
export interface MapTable {
  readonly rows: ReadonlyMap<string, readonly (readonly [string, string])[]>;
}

/** Parses a map rule's CSV once: a header naming every column, the `source` columns as the key, the rest as results. */
export function parseMapTable(source: readonly string[], csv: unknown, field: string): Compiled<MapTable> {
  const bad = (message: string): Compiled<MapTable> => ({ ok: false, errors: [{ field, message }] });
  if (typeof csv !== 'string' || csv.length > MAP_MAX_CSV_CHARS) return bad(`must be CSV text of at most ${MAP_MAX_CSV_CHARS} characters`);
  const parsed = parseCsv(csv);
  if ('error' in parsed) return bad(parsed.error);
  const [header, ...body] = parsed.rows;
  if (!header) return bad('needs a header row naming the columns');
  const names = header.map((h) => h.trim());
  if (new Set(names).size !== names.length || names.some((n) => n === '' || n.length > LABEL_NAME_MAX)) {
    return bad(`header names must be distinct label names of 1–${LABEL_NAME_MAX} characters`);
  }
  const missing = source.filter((s) => !names.includes(s));
  if (missing.length > 0) return bad(`header lacks the source column(s) ${missing.join(', ')}`);
  const keyIdx = source.map((s) => names.indexOf(s));
  const resultIdx = names.map((_, i) => i).filter((i) => !keyIdx.includes(i));
  if (resultIdx.length === 0) return bad('needs at least one result column besides the source columns');
  if (body.length > MAP_MAX_ROWS) return bad(`at most ${MAP_MAX_ROWS} rows`);
  const rows = new Map<string, [string, string][]>();
  const lineOfKey = new Map<string, number>();
  for (const [r, row] of body.entries()) {
    const line = parsed.lines[r + 1] ?? 0;
    if (row.length !== names.length) return bad(`line ${line} has ${row.length} columns, the header has ${names.length}`);
    const key = keyIdx.map((i) => row[i] ?? '').join('\u0000');
    const first = lineOfKey.get(key);
    if (first !== undefined) return bad(`line ${line} repeats the key of line ${first}`);
    lineOfKey.set(key, line);
    const result = resultIdx.map((i): [string, string] => [names[i] ?? '', row[i] ?? '']).filter(([, v]) => v !== '');
    rows.set(key, result);
  }
  return { ok: true, value: { rows } };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; blank lines skipped. `lines[i]` = the line row i starts on. */
export function parseCsv(text: string): { rows: string[][]; lines: number[] } | { error: string } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = (): void => {
    row.push(cell);
    if (!(row.length === 1 && row[0] === '')) {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      if (c === '\n') line += 1;
      i += 1;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      line += 1;
      rowLine = line;
    } else cell += c;
    i += 1;
  }
  if (quoted) return { error: `line ${rowLine}: unterminated quoted field` };
  endRow();
  return { rows, lines };
}

/** Validates pipeline actions and compiles them into one pure event → event-or-dropped function. */
export function compilePipeline(rules: readonly PipelineRule[], options: CompileOptions = {}): Compiled<Pipeline> {
  const field = options.field ?? 'pipeline';
  const integration = options.integration ?? '';
  const listError = checkList(rules, field);
  if (listError) return { ok: false, errors: [listError] };
  const errors: FieldError[] = [];
  type Act = (e: NormalizedEvent) => NormalizedEvent | Dropped;
  const actions: { when: FilterMatcher | undefined; act: Act }[] = [];
  rules.forEach((rule, i) => {
    const at = `${field}[${i}]`;
    const when = compileCondition(rule.if, `${at}.if`, errors);
    const act = compileAction(rule, i, at, errors);
    if (act) actions.push({ when, act });
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: (event) => {
      if (event.status === 'Ok' || event.action !== 'trigger') return event;
      let current = event;
      for (const { when, act } of actions) {
        if (when && !when(eventSubject(current, integration))) continue;
        const next = act(current);
        if ('dropped' in next) return next;
        current = next;
      }
      return current;
    },
  };
}

function compileAction(rule: PipelineRule, index: number, at: string, errors: FieldError[]): ((e: NormalizedEvent) => NormalizedEvent | Dropped) | undefined {
  const context = (e: NormalizedEvent) => ({ title: e.title, description: e.description, severity: e.status, labels: e.labels });
  switch (rule.action) {
    case 'reset_title': {
      const t = compileTemplate(rule.title, `${at}.title`);
      if (!t.ok) return void errors.push(...t.errors);
      // An empty result would leave the alert without a title; keep the old one instead.
      return (e) => {
        const title = truncate(t.value(context(e)), TITLE_MAX);
        return title.trim() === '' ? e : { ...e, title };
      };
    }
    case 'reset_description': {
      const t = compileTemplate(rule.description, `${at}.description`);
      if (!t.ok) return void errors.push(...t.errors);
      return (e) => ({ ...e, description: truncate(t.value(context(e)), DESCRIPTION_MAX) });
    }
    case 'reset_severity': {
      const severity = rule.severity;
      if (severity !== 'Critical' && severity !== 'Warning' && severity !== 'Info') {
        return void errors.push({ field: `${at}.severity`, message: 'must be Critical, Warning or Info' });
      }
      return (e) => ({ ...e, status: severity });
    }
    case 'drop_alert':
      return () => ({ dropped: true, rule: index });
    default:
      errors.push({ field: `${at}.action`, message: 'must be reset_title, reset_description, reset_severity or drop_alert' });
      return undefined;
  }
}

function compileCondition(filter: Filter | undefined, field: string, errors: FieldError[]): FilterMatcher | undefined {
  if (filter === undefined || filter === null) return undefined;
  const compiled = compileFilter(filter, field);
  if (!compiled.ok) errors.push(...compiled.errors);
  return compiled.ok ? compiled.value : undefined;
}

function checkList(rules: unknown, field: string): FieldError | undefined {
  if (!Array.isArray(rules)) return { field, message: 'must be a list of rules' };
  if (rules.length > MAX_RULES) return { field, message: `at most ${MAX_RULES} rules` };
  if (rules.some((r) => typeof r !== 'object' || r === null)) return { field, message: 'every rule must be an object' };
  return undefined;
}

function checkLabelName(name: unknown, field: string): FieldError | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > LABEL_NAME_MAX)
    return { field, message: `must be a label name of 1–${LABEL_NAME_MAX} characters` };
  return undefined;
}

function setLabel(labels: Labels, name: string, value: string, overwrite: boolean): void {
  if (value === '' || (!overwrite && Object.hasOwn(labels, name))) return;
  // defineProperty, not assignment: a label called __proto__ must stay a label, not swap the prototype.
  Object.defineProperty(labels, name, { value: truncate(value, LABEL_VALUE_MAX), enumerable: true, writable: true, configurable: true });
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
