/**
 * Opsgenie Alert API v2 (`Authorization: GenieKey KEY`): create (`POST /v2/alerts`), close
 * (`POST /v2/alerts/{identifier}/close`) and acknowledge (`POST /v2/alerts/{identifier}/acknowledge`).
 * The `{identifier}` path parameter arrives as `input.params.identifier` (or `alias`) and is an alias:
 * the routes (integrations/opsgenie-routes.ts) resolve `identifierType=id|tiny` to the alert's alias
 * before calling these mappers, so here any other type is refused.
 */
import { ownValue } from '../../core/lookup.js';
import { SourceError, type NormalizedEvent, type SourceInput, type SourceMapper } from '../model.js';
import { bodyObject, charLength, isRecord, labelsOf, optionalString, truncate, type JsonObject } from './read.js';
import { applySeverityOverride, OPSGENIE_DEFAULT_PRIORITY, OPSGENIE_PRIORITY } from './severity.js';

export const OPSGENIE_LIMITS = { message: 130, alias: 512, description: 15000, storedDescription: 2048 } as const;

/** Create alert → trigger. `message` is the title, `alias` the alert key; tags become `tag_<name>=true`. */
export const opsgenieCreateMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  const message = optionalString(body, 'message', 'message');
  if (message === undefined || message.trim() === '') throw new SourceError('message', 'is required');
  const alias = optionalString(body, 'alias', 'alias');
  if (alias !== undefined && charLength(alias) > OPSGENIE_LIMITS.alias) throw new SourceError('alias', `must be at most ${OPSGENIE_LIMITS.alias} characters`);
  const description = optionalString(body, 'description', 'description') ?? '';
  if (charLength(description) > OPSGENIE_LIMITS.description) throw new SourceError('description', `must be at most ${OPSGENIE_LIMITS.description} characters`);
  const priority = optionalString(body, 'priority', 'priority') || OPSGENIE_DEFAULT_PRIORITY;
  const severity = ownValue(OPSGENIE_PRIORITY, priority);
  if (!severity) throw new SourceError('priority', 'must be one of P1, P2, P3, P4, P5');

  const event: NormalizedEvent = {
    // Opsgenie itself cuts messages at 130 characters rather than refusing them.
    title: truncate(message, OPSGENIE_LIMITS.message),
    status: severity,
    action: 'trigger',
    alertKey: alias === undefined || alias === '' ? undefined : alias,
    description: truncate(description, OPSGENIE_LIMITS.storedDescription),
    labels: labelsOf(readTags(body.tags), readDetails(body.details), {
      priority,
      entity: optionalString(body, 'entity', 'entity'),
      source: optionalString(body, 'source', 'source'),
      user: optionalString(body, 'user', 'user'),
      note: optionalString(body, 'note', 'note'),
    }),
    eventTime: input.now,
  };
  return applySeverityOverride([event], input.query);
};

/** Close alert → recovery of the alias. */
export const opsgenieCloseMapper: SourceMapper = (input) => [actionEvent(input, 'resolve')];

/** Acknowledge alert → acknowledge of the alias. */
export const opsgenieAcknowledgeMapper: SourceMapper = (input) => [actionEvent(input, 'acknowledge')];

/** The three operations, for the routes. */
export const OPSGENIE_OPERATIONS = { create: opsgenieCreateMapper, close: opsgenieCloseMapper, acknowledge: opsgenieAcknowledgeMapper } as const;

function actionEvent(input: SourceInput, action: 'resolve' | 'acknowledge'): NormalizedEvent {
  const identifierType = input.query.identifierType;
  if (identifierType !== undefined && identifierType !== '' && identifierType !== 'alias') {
    if (identifierType === 'id' || identifierType === 'tiny')
      throw new SourceError('identifierType', 'must be alias: Tocsin addresses Opsgenie alerts by alias only');
    throw new SourceError('identifierType', 'must be alias');
  }
  const alias = input.params?.identifier ?? input.params?.alias;
  if (alias === undefined || alias.trim() === '') throw new SourceError('identifier', 'is required');
  if (charLength(alias) > OPSGENIE_LIMITS.alias) throw new SourceError('identifier', `must be at most ${OPSGENIE_LIMITS.alias} characters`);

  // The body is optional for these operations; an empty one arrives as undefined or ''.
  const raw = input.body;
  const body: JsonObject = raw === undefined || raw === null || raw === '' ? {} : bodyObject(raw);
  const note = optionalString(body, 'note', 'note');
  return {
    title: alias,
    status: action === 'resolve' ? 'Ok' : 'Info',
    action,
    alertKey: alias,
    description: note ?? '',
    labels: labelsOf({ user: optionalString(body, 'user', 'user'), source: optionalString(body, 'source', 'source') }),
    eventTime: input.now,
  };
}

function readTags(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw new SourceError('tags', 'must be an array of strings');
  const out: Record<string, string> = {};
  value.forEach((tag: unknown, i) => {
    if (typeof tag !== 'string') throw new SourceError(`tags[${i}]`, 'must be a string');
    if (tag.trim() !== '') out[`tag_${tag.trim()}`] = 'true';
  });
  return out;
}

function readDetails(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new SourceError('details', 'must be an object');
  return value;
}
