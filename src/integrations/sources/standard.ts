/**
 * The Tocsin standard event (SPEC §3.1, `POST /event/push/alert/standard`).
 */
import { EVENT_STATUSES, SourceError, type EventImage, type EventStatus, type NormalizedEvent, type SourceMapper } from '../model.js';
import { renderTitle } from '../title-template.js';
import { bodyObject, charLength, epochToMs, isRecord, optionalString, truncate, type JsonObject } from './read.js';
import { applySeverityOverride } from './severity.js';

export const STANDARD_LIMITS = {
  title: 512,
  alertKey: 255,
  description: 2048,
  labels: 50,
  labelKey: 128,
  labelValue: 2048,
} as const;

/** Maps one standard event; the rules are SPEC §3.1's, checked in field order. */
export const standardMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);

  const titleRule = optionalString(body, 'title_rule', 'title_rule');
  if (titleRule === undefined) throw new SourceError('title_rule', 'is required');
  if (titleRule.trim() === '') throw new SourceError('title_rule', 'must not be empty');

  const statusValue = body.event_status;
  if (statusValue === undefined || statusValue === null) throw new SourceError('event_status', 'is required');
  if (typeof statusValue !== 'string' || !(EVENT_STATUSES as readonly string[]).includes(statusValue)) {
    throw new SourceError('event_status', 'must be one of Critical, Warning, Info, Ok');
  }
  const status = statusValue as EventStatus;

  const alertKey = optionalString(body, 'alert_key', 'alert_key');
  if (alertKey !== undefined && charLength(alertKey) > STANDARD_LIMITS.alertKey) {
    throw new SourceError('alert_key', `must be at most ${STANDARD_LIMITS.alertKey} characters`);
  }
  if (status === 'Ok' && (alertKey === undefined || alertKey === '')) throw new SourceError('alert_key', 'is required when event_status is Ok');

  const description = optionalString(body, 'description', 'description') ?? '';
  if (charLength(description) > STANDARD_LIMITS.description) {
    throw new SourceError('description', `must be at most ${STANDARD_LIMITS.description} characters`);
  }

  const labels = readLabels(body.labels);
  const eventTime = readEventTime(body.event_time, input.now);
  const images = readImages(body.images);

  const event: NormalizedEvent = {
    title: truncate(renderTitle(titleRule, labels, STANDARD_LIMITS.title), STANDARD_LIMITS.title),
    status,
    action: status === 'Ok' ? 'resolve' : 'trigger',
    alertKey: alertKey === '' ? undefined : alertKey,
    description,
    labels,
    eventTime,
    ...(images.length > 0 ? { images } : {}),
  };
  return applySeverityOverride([event], input.query);
};

function readLabels(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new SourceError('labels', 'must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > STANDARD_LIMITS.labels) throw new SourceError('labels', `must have at most ${STANDARD_LIMITS.labels} labels`);
  const labels: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (key.trim() === '') throw new SourceError('labels', 'label names must not be empty');
    if (charLength(key) > STANDARD_LIMITS.labelKey) throw new SourceError(`labels.${key}`, `name must be at most ${STANDARD_LIMITS.labelKey} characters`);
    if (typeof v !== 'string') throw new SourceError(`labels.${key}`, 'must be a string');
    if (charLength(v) > STANDARD_LIMITS.labelValue) throw new SourceError(`labels.${key}`, `must be at most ${STANDARD_LIMITS.labelValue} characters`);
    labels[key] = v;
  }
  return labels;
}

function readEventTime(value: unknown, now: number): number {
  if (value === undefined || value === null) return now;
  const seconds = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new SourceError('event_time', 'must be a unix time in seconds');
  }
  return epochToMs(seconds);
}

function readImages(value: unknown): EventImage[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SourceError('images', 'must be an array');
  return value.map((item: unknown, i) => {
    const field = `images[${i}]`;
    if (!isRecord(item)) throw new SourceError(field, 'must be an object');
    const image: JsonObject = item;
    const src = optionalString(image, 'src', `${field}.src`);
    if (src === undefined || src.trim() === '') throw new SourceError(`${field}.src`, 'is required');
    const alt = optionalString(image, 'alt', `${field}.alt`);
    const href = optionalString(image, 'href', `${field}.href`);
    return { src, ...(alt !== undefined ? { alt } : {}), ...(href !== undefined ? { href } : {}) };
  });
}
