/**
 * PagerDuty Events API v2: alert events (`POST /v2/enqueue`) and change events (`POST /v2/change/enqueue`).
 * `routing_key` is the Tocsin integration key; the route checks it, not these functions.
 * A trigger without `dedup_key` gets no alert key here: the pipeline derives one (SPEC §2.1) and the
 * route returns it as `dedup_key`.
 */
import { ownValue } from '../../core/lookup.js';
import { SourceError, type EventImage, type EventLink, type NormalizedEvent, type SourceMapper } from '../model.js';
import { bodyObject, charLength, flattenToLabels, isRecord, labelsOf, parseTime, type JsonObject } from './read.js';
import { applySeverityOverride, PAGERDUTY_SEVERITY } from './severity.js';

export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255 } as const;

const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
type PagerDutyAction = (typeof ACTIONS)[number];

interface Problem {
  readonly field: string;
  readonly rule: string;
}

/** Every problem of an alert event, as `field: rule` messages for PagerDuty's `errors` array. */
export function validatePagerDutyEvent(body: unknown): string[] {
  return alertProblems(body).map((p) => `${p.field}: ${p.rule}`);
}

/** Every problem of a change event, as `field: rule` messages. */
export function validatePagerDutyChangeEvent(body: unknown): string[] {
  return changeProblems(body).map((p) => `${p.field}: ${p.rule}`);
}

function alertProblems(body: unknown): Problem[] {
  if (!isRecord(body)) return [{ field: 'body', rule: 'must be a JSON object' }];
  const problems: Problem[] = [];
  const action = body.event_action;
  if (action === undefined || action === null || action === '') problems.push({ field: 'event_action', rule: 'is required' });
  else if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action))
    problems.push({ field: 'event_action', rule: 'must be trigger, acknowledge or resolve' });

  const dedupKey = body.dedup_key;
  if (dedupKey !== undefined && dedupKey !== null) {
    if (typeof dedupKey !== 'string') problems.push({ field: 'dedup_key', rule: 'must be a string' });
    else if (charLength(dedupKey) > PAGERDUTY_LIMITS.dedupKey)
      problems.push({ field: 'dedup_key', rule: `must be at most ${PAGERDUTY_LIMITS.dedupKey} characters` });
  }
  if ((action === 'acknowledge' || action === 'resolve') && (dedupKey === undefined || dedupKey === null || dedupKey === '')) {
    problems.push({ field: 'dedup_key', rule: `is required for ${action}` });
  }

  const payload = body.payload;
  if (action === 'trigger' || (payload !== undefined && payload !== null)) {
    if (payload === undefined || payload === null) problems.push({ field: 'payload', rule: 'is required for trigger' });
    else if (!isRecord(payload)) problems.push({ field: 'payload', rule: 'must be an object' });
    else problems.push(...payloadProblems(payload, action === 'trigger'));
  }
  problems.push(...contextProblems(body, true));
  return problems;
}

function payloadProblems(payload: JsonObject, required: boolean): Problem[] {
  const problems: Problem[] = [];
  const text = (key: string, must: boolean): void => {
    const value = payload[key];
    if (value === undefined || value === null || value === '') {
      if (must) problems.push({ field: `payload.${key}`, rule: 'is required' });
    } else if (typeof value !== 'string') problems.push({ field: `payload.${key}`, rule: 'must be a string' });
    else if (key === 'summary' && charLength(value) > PAGERDUTY_LIMITS.summary)
      problems.push({ field: 'payload.summary', rule: `must be at most ${PAGERDUTY_LIMITS.summary} characters` });
  };
  text('summary', required);
  text('source', required);
  const severity = payload.severity;
  if (severity === undefined || severity === null || severity === '') {
    if (required) problems.push({ field: 'payload.severity', rule: 'is required' });
  } else if (typeof severity !== 'string' || !ownValue(PAGERDUTY_SEVERITY, severity))
    problems.push({ field: 'payload.severity', rule: 'must be critical, error, warning or info' });
  problems.push(...timestampProblems(payload));
  for (const key of ['component', 'group', 'class']) text(key, false);
  return problems;
}

function timestampProblems(payload: JsonObject): Problem[] {
  const timestamp = payload.timestamp;
  if (timestamp === undefined || timestamp === null || timestamp === '') return [];
  if (typeof timestamp !== 'string' || parseTime(timestamp) === undefined) return [{ field: 'payload.timestamp', rule: 'must be an ISO 8601 time' }];
  return [];
}

function contextProblems(body: JsonObject, images: boolean): Problem[] {
  const problems: Problem[] = [];
  const list = (key: string, required: string): void => {
    const value = body[key];
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      problems.push({ field: key, rule: 'must be an array' });
      return;
    }
    value.forEach((item: unknown, i) => {
      if (!isRecord(item)) problems.push({ field: `${key}[${i}]`, rule: 'must be an object' });
      else if (typeof item[required] !== 'string' || item[required] === '') problems.push({ field: `${key}[${i}].${required}`, rule: 'is required' });
    });
  };
  if (images) list('images', 'src');
  list('links', 'href');
  return problems;
}

function changeProblems(body: unknown): Problem[] {
  if (!isRecord(body)) return [{ field: 'body', rule: 'must be a JSON object' }];
  const payload = body.payload;
  if (payload === undefined || payload === null) return [{ field: 'payload', rule: 'is required' }];
  if (!isRecord(payload)) return [{ field: 'payload', rule: 'must be an object' }];
  const problems: Problem[] = [];
  const summary = payload.summary;
  if (summary === undefined || summary === null || summary === '') problems.push({ field: 'payload.summary', rule: 'is required' });
  else if (typeof summary !== 'string') problems.push({ field: 'payload.summary', rule: 'must be a string' });
  else if (charLength(summary) > PAGERDUTY_LIMITS.summary)
    problems.push({ field: 'payload.summary', rule: `must be at most ${PAGERDUTY_LIMITS.summary} characters` });
  if (payload.source !== undefined && payload.source !== null && typeof payload.source !== 'string')
    problems.push({ field: 'payload.source', rule: 'must be a string' });
  problems.push(...timestampProblems(payload), ...contextProblems(body, false));
  return problems;
}

function throwFirst(problems: Problem[]): void {
  const [first] = problems;
  if (first) throw new SourceError(first.field, first.rule);
}

function readImages(body: JsonObject): EventImage[] {
  if (!Array.isArray(body.images)) return [];
  return body.images.filter(isRecord).map((image) => ({
    src: String(image.src),
    ...(typeof image.alt === 'string' ? { alt: image.alt } : {}),
    ...(typeof image.href === 'string' ? { href: image.href } : {}),
  }));
}

function readLinks(body: JsonObject): EventLink[] {
  if (!Array.isArray(body.links)) return [];
  return body.links.filter(isRecord).map((link) => ({ href: String(link.href), ...(typeof link.text === 'string' ? { text: link.text } : {}) }));
}

/** `custom_details` flattened to dotted labels, then `source`, `component`, `group`, `class`, `client`, `client_url`. */
function payloadLabels(body: JsonObject, payload: JsonObject): Record<string, string> {
  const details = payload.custom_details;
  const detailLabels = isRecord(details) ? flattenToLabels(details, '') : labelsOf({ custom_details: details });
  return labelsOf(detailLabels, {
    source: payload.source,
    component: payload.component,
    group: payload.group,
    class: payload.class,
    client: body.client,
    client_url: body.client_url,
  });
}

/** Events API v2 alert event → one event (trigger, acknowledge or resolve). */
export const pagerDutyMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  throwFirst(alertProblems(body));
  const action = body.event_action as PagerDutyAction;
  const payload: JsonObject = isRecord(body.payload) ? body.payload : {};
  const dedupKey = typeof body.dedup_key === 'string' && body.dedup_key !== '' ? body.dedup_key : undefined;
  const severity = typeof payload.severity === 'string' ? ownValue(PAGERDUTY_SEVERITY, payload.severity) : undefined;
  const summary = typeof payload.summary === 'string' ? payload.summary : undefined;
  const timestamp = typeof payload.timestamp === 'string' ? parseTime(payload.timestamp) : undefined;
  const images = readImages(body);
  const links = readLinks(body);

  const event: NormalizedEvent = {
    title: summary ?? dedupKey ?? 'PagerDuty event',
    status: action === 'resolve' ? 'Ok' : (severity ?? 'Info'),
    action,
    alertKey: dedupKey,
    description: '',
    labels: payloadLabels(body, payload),
    eventTime: timestamp ?? input.now,
    ...(images.length > 0 ? { images } : {}),
    ...(links.length > 0 ? { links } : {}),
  };
  return applySeverityOverride([event], input.query);
};

/** Events API v2 change event → one `change: true` event (shown on incidents, never notifies). */
export const pagerDutyChangeMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  throwFirst(changeProblems(body));
  const payload = body.payload as JsonObject;
  const links = readLinks(body);
  const timestamp = typeof payload.timestamp === 'string' ? parseTime(payload.timestamp) : undefined;
  return [
    {
      title: String(payload.summary),
      status: 'Info',
      action: 'trigger',
      alertKey: undefined,
      description: '',
      labels: payloadLabels(body, payload),
      eventTime: timestamp ?? input.now,
      change: true,
      ...(links.length > 0 ? { links } : {}),
    },
  ];
};
