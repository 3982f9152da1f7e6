/**
 * Custom integrations (`POST /event/push/alert/custom`): any JSON, mapped by per-integration JSONPath
 * rules. The settings are validated once, on save ({@link validateCustomMapperSettings}); the mapper is
 * built from valid settings ({@link createCustomMapper}).
 */
import { ownValue } from '../../core/lookup.js';
import { EVENT_STATUSES, SourceError, type EventStatus, type NormalizedEvent, type SourceMapper } from '../model.js';
import { firstJsonPath, JsonPathError, parseJsonPath, queryJsonPath, type PathSegment } from './jsonpath.js';
import { bodyObject, epochToMs, isRecord, labelsOf, labelText, parseTime, truncate } from './read.js';
import { applySeverityOverride } from './severity.js';
import { checkBatchSize } from './limits.js';

export interface CustomMapperSettings {
  /** Path to an array: each element becomes one event and is `$` for the other paths (e.g. `$.items[*]`). */
  readonly split?: string | undefined;
  /** Path to the title (required). */
  readonly title: string;
  /** Path to the status value, translated by `statusMap`, then by the built-in names. */
  readonly status?: string | undefined;
  /** Source value → Tocsin status, e.g. `{"firing": "Critical", "resolved": "Ok"}` (exact match first, then case-insensitive). */
  readonly statusMap?: Readonly<Record<string, EventStatus>> | undefined;
  /** Status when the path selects nothing or a value nobody maps (default Warning). */
  readonly defaultStatus?: EventStatus | undefined;
  readonly alertKey?: string | undefined;
  readonly description?: string | undefined;
  /** Label name → path, or one path to an object whose entries all become labels. */
  readonly labels?: Readonly<Record<string, string>> | string | undefined;
  /** Path to the event time: unix seconds, unix milliseconds or an ISO 8601 text. */
  readonly eventTime?: string | undefined;
}

/** Status words understood without a `statusMap` (compared lower-cased). */
const BUILT_IN_STATUS: Readonly<Record<string, EventStatus>> = {
  critical: 'Critical',
  fatal: 'Critical',
  error: 'Critical',
  warning: 'Warning',
  warn: 'Warning',
  info: 'Info',
  information: 'Info',
  ok: 'Ok',
  resolved: 'Ok',
  recovered: 'Ok',
  closed: 'Ok',
};

interface FieldProblem {
  readonly field: string;
  readonly rule: string;
}

/** Every problem with raw settings (as stored for the integration), keyed by `settings.<field>`. */
export function validateCustomMapperSettings(raw: unknown): FieldProblem[] {
  if (!isRecord(raw)) return [{ field: 'settings', rule: 'must be an object' }];
  const problems: FieldProblem[] = [];
  const checkPath = (key: string, value: unknown, required = false): void => {
    const field = `settings.${key}`;
    if (value === undefined || value === null || value === '') {
      if (required) problems.push({ field, rule: 'is required' });
      return;
    }
    if (typeof value !== 'string') {
      problems.push({ field, rule: 'must be a JSONPath string' });
      return;
    }
    try {
      parseJsonPath(value);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      problems.push({ field, rule: `is not a valid JSONPath: ${error.message}` });
    }
  };
  checkPath('split', raw.split);
  checkPath('title', raw.title, true);
  checkPath('status', raw.status);
  checkPath('alertKey', raw.alertKey);
  checkPath('description', raw.description);
  checkPath('eventTime', raw.eventTime);

  const isStatus = (value: unknown): boolean => typeof value === 'string' && (EVENT_STATUSES as readonly string[]).includes(value);
  if (raw.statusMap !== undefined && raw.statusMap !== null) {
    if (!isRecord(raw.statusMap)) problems.push({ field: 'settings.statusMap', rule: 'must be an object' });
    else
      for (const [key, value] of Object.entries(raw.statusMap)) {
        if (!isStatus(value)) problems.push({ field: `settings.statusMap.${key}`, rule: 'must be one of Critical, Warning, Info, Ok' });
      }
  }
  if (raw.defaultStatus !== undefined && raw.defaultStatus !== null && (!isStatus(raw.defaultStatus) || raw.defaultStatus === 'Ok')) {
    problems.push({ field: 'settings.defaultStatus', rule: 'must be one of Critical, Warning, Info' });
  }
  const labels = raw.labels;
  if (typeof labels === 'string') checkPath('labels', labels);
  else if (isRecord(labels)) for (const [name, path] of Object.entries(labels)) checkPath(`labels.${name}`, path, true);
  else if (labels !== undefined && labels !== null)
    problems.push({ field: 'settings.labels', rule: 'must be a JSONPath or an object of label name → JSONPath' });
  return problems;
}

/** Builds the mapper of one custom integration; throws SourceError for invalid settings. */
export function createCustomMapper(settings: CustomMapperSettings): SourceMapper {
  const [problem] = validateCustomMapperSettings(settings);
  if (problem) throw new SourceError(problem.field, problem.rule);

  const compiled = {
    split: settings.split ? parseJsonPath(settings.split) : undefined,
    title: parseJsonPath(settings.title),
    status: settings.status ? parseJsonPath(settings.status) : undefined,
    alertKey: settings.alertKey ? parseJsonPath(settings.alertKey) : undefined,
    description: settings.description ? parseJsonPath(settings.description) : undefined,
    eventTime: settings.eventTime ? parseJsonPath(settings.eventTime) : undefined,
    labels:
      typeof settings.labels === 'string'
        ? { kind: 'object' as const, path: parseJsonPath(settings.labels) }
        : settings.labels
          ? { kind: 'map' as const, entries: Object.entries(settings.labels).map(([name, path]) => [name, parseJsonPath(path)] as const) }
          : undefined,
  };
  const statusMap = settings.statusMap ?? {};
  const lowerStatusMap = Object.fromEntries(Object.entries(statusMap).map(([key, value]) => [key.toLowerCase(), value]));
  const defaultStatus = settings.defaultStatus ?? 'Warning';

  const statusOf = (value: unknown): EventStatus => {
    const text = labelText(value);
    if (text === undefined) return defaultStatus;
    return ownValue(statusMap, text) ?? ownValue(lowerStatusMap, text.toLowerCase()) ?? ownValue(BUILT_IN_STATUS, text.toLowerCase()) ?? defaultStatus;
  };

  const text = (root: unknown, path: readonly PathSegment[] | undefined): string | undefined => (path ? labelText(firstJsonPath(root, path)) : undefined);

  const mapOne = (root: unknown, field: string, now: number): NormalizedEvent => {
    const title = text(root, compiled.title);
    if (title === undefined) throw new SourceError(`${field}${settings.title.slice(1)}`, 'is required (title)');
    const status = statusOf(compiled.status ? firstJsonPath(root, compiled.status) : undefined);

    let labels: Record<string, string> = {};
    if (compiled.labels?.kind === 'map') {
      labels = labelsOf(Object.fromEntries(compiled.labels.entries.map(([name, path]) => [name, firstJsonPath(root, path)])));
    } else if (compiled.labels?.kind === 'object') {
      const value = firstJsonPath(root, compiled.labels.path);
      if (isRecord(value)) labels = labelsOf(value);
    }

    return {
      title: truncate(title, 512),
      status,
      action: status === 'Ok' ? 'resolve' : 'trigger',
      alertKey: text(root, compiled.alertKey),
      description: truncate(text(root, compiled.description) ?? '', 2048),
      labels,
      eventTime: readTime(compiled.eventTime ? firstJsonPath(root, compiled.eventTime) : undefined, `${field}${settings.eventTime?.slice(1) ?? ''}`) ?? now,
    };
  };

  return (input) => {
    const body = bodyObject(input.body);
    let events: NormalizedEvent[];
    if (compiled.split && settings.split) {
      const items = queryJsonPath(body, compiled.split);
      const base = settings.split.replace(/\[\*\]$|\.\*$/, '');
      checkBatchSize(items.length, base);
      events = items.map((item, i) => mapOne(item, `${base}[${i}]`, input.now));
    } else {
      events = [mapOne(body, '$', input.now)];
    }
    return applySeverityOverride(events, input.query);
  };
}

function readTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return epochToMs(value);
  if (typeof value === 'string') {
    if (/^\d+(\.\d+)?$/.test(value)) return epochToMs(Number(value));
    const ms = parseTime(value);
    if (ms !== undefined) return ms;
  }
  throw new SourceError(field, 'must be a unix time or an ISO 8601 time');
}
