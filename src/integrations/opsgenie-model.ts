/**
 * Opsgenie Alert API compatibility (issue 14): how an Opsgenie identifier names a Tocsin alert, and
 * how a Tocsin alert looks to an Opsgenie client. Pure: rows and `now` in, values out.
 *
 * Identifiers: `alias` is the alert key; `id` is the Tocsin alert id; `tiny` is the number of the
 * alert's incident (Opsgenie's short per-alert number; Tocsin numbers incidents). See ADR 0045.
 */
import { SourceError } from './model.js';

export const IDENTIFIER_TYPES = ['id', 'alias', 'tiny'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/** An alert named the way an Opsgenie client names it. */
export interface AlertIdentifier {
  readonly type: IdentifierType;
  readonly value: string;
}

/** Opsgenie's default identifier type is `id`; Tocsin's historical routes took an alias, so a bare identifier is tried as both. */
export type IdentifierLookup = AlertIdentifier | { readonly type: 'id-or-alias'; readonly value: string };

/** Reads `{identifier}` and `?identifierType=`; a type outside id/alias/tiny is a 400 (as Opsgenie answers). */
export function parseIdentifier(identifier: string | undefined, identifierType: string | undefined): IdentifierLookup {
  const value = (identifier ?? '').trim();
  if (value === '') throw new SourceError('identifier', 'is required');
  if (value.length > 512) throw new SourceError('identifier', 'must be at most 512 characters');
  if (identifierType === undefined || identifierType === '') return { type: 'id-or-alias', value };
  if (!(IDENTIFIER_TYPES as readonly string[]).includes(identifierType)) throw new SourceError('identifierType', 'must be one of id, alias, tiny');
  const type = identifierType as IdentifierType;
  if (type === 'tiny' && !/^\d{1,15}$/.test(value)) throw new SourceError('identifier', 'must be a number when identifierType is tiny');
  return { type, value };
}

/** Tocsin severity → Opsgenie priority (the inverse of SPEC §3.1's mapping, keeping an explicit one). */
export function priorityOf(severity: string, labels: Readonly<Record<string, string>>): string {
  const given = labels.priority;
  if (given && /^P[1-5]$/.test(given)) return given;
  if (severity === 'Critical') return 'P1';
  if (severity === 'Warning') return 'P3';
  return 'P5';
}

/** The alert fields the presenter reads. */
export interface OpsgenieAlertSource {
  readonly alert: {
    readonly id: string;
    readonly alert_key: string;
    readonly title: string;
    readonly description: string;
    readonly severity: string;
    readonly status: string;
    readonly labels_json: string;
    readonly event_count: number;
    readonly first_event_at: number;
    readonly last_event_at: number;
    readonly recovered_at: number | null;
    readonly created_at: number;
  };
  readonly incident:
    | {
        readonly number: number;
        readonly status: string;
        readonly acknowledged_at: number | null;
        readonly closed_at: number | null;
        readonly snoozed_until: number | null;
        readonly updated_at: number;
      }
    | undefined;
  readonly integration: { readonly id: string; readonly name: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Labels Tocsin derived from Opsgenie fields, which go back to their own fields instead of `details`. */
const OWN_FIELDS = new Set(['priority', 'entity', 'source', 'user', 'note']);

/** A Tocsin alert in the shape of Opsgenie's `GET /v2/alerts/{identifier}` `data`. */
export function presentOpsgenieAlert(source: OpsgenieAlertSource, now: number) {
  const { alert, incident, integration } = source;
  const labels = JSON.parse(alert.labels_json) as Record<string, string>;
  const tags = Object.keys(labels)
    .filter((k) => k.startsWith('tag_') && labels[k] === 'true')
    .map((k) => k.slice(4));
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) if (!key.startsWith('tag_') && !OWN_FIELDS.has(key)) details[key] = value;
  const closed = alert.recovered_at !== null || alert.status === 'Ok' || incident?.status === 'closed';
  const snoozedUntil = incident?.snoozed_until ?? null;
  const snoozed = snoozedUntil !== null && snoozedUntil > now && !closed;
  const acknowledged = incident?.acknowledged_at !== null && incident?.acknowledged_at !== undefined;
  const closedAt = alert.recovered_at ?? incident?.closed_at ?? null;
  return {
    id: alert.id,
    tinyId: incident ? String(incident.number) : '',
    alias: alert.alert_key,
    message: alert.title,
    status: closed ? 'closed' : 'open',
    acknowledged,
    isSeen: acknowledged,
    tags,
    snoozed,
    ...(snoozed && { snoozedUntil: iso(snoozedUntil) }),
    count: alert.event_count,
    lastOccurredAt: iso(alert.last_event_at),
    createdAt: iso(alert.first_event_at),
    updatedAt: iso(Math.max(alert.last_event_at, alert.recovered_at ?? 0, incident?.updated_at ?? 0)),
    source: labels.source ?? integration.name,
    owner: '',
    priority: priorityOf(alert.severity === 'Ok' ? 'Info' : alert.severity, labels),
    responders: [],
    integration: { id: integration.id, name: integration.name, type: 'API' },
    report: {
      ...(acknowledged && incident?.acknowledged_at && { ackTime: Math.max(0, incident.acknowledged_at - alert.first_event_at) }),
      ...(closedAt !== null && { closeTime: Math.max(0, closedAt - alert.first_event_at) }),
    },
    actions: [],
    entity: labels.entity ?? '',
    description: alert.description,
    details,
  };
}

/** Opsgenie's name of an action in request statuses (`Create`, `Acknowledge`, ...). */
export const ACTION_NAMES = {
  create: 'Create',
  close: 'Close',
  acknowledge: 'Acknowledge',
  notes: 'AddNote',
  snooze: 'Snooze',
  escalate: 'EscalateToNext',
  assign: 'Assign',
} as const;
export type OpsgenieAction = keyof typeof ACTION_NAMES;

/** A stored request's status in the shape of `GET /v2/alerts/requests/{id}` `data`. */
export function presentRequestStatus(row: { action: string; success: number; status: string; alert_id: string | null; alias: string | null; integration_id: string; created_at: number }) {
  const success = Number(row.success) === 1;
  return {
    success,
    action: ACTION_NAMES[row.action as OpsgenieAction] ?? row.action,
    processedAt: iso(row.created_at),
    integrationId: row.integration_id,
    isSuccess: success,
    status: row.status,
    alertId: row.alert_id ?? '',
    alias: row.alias ?? '',
  };
}

/** Reads Opsgenie's snooze `endTime` (ISO 8601) into whole minutes from now, within Tocsin's 1 min – 24 h. */
export function snoozeMinutes(endTime: unknown, now: number): number {
  if (typeof endTime !== 'string' || endTime.trim() === '') throw new SourceError('endTime', 'is required (ISO 8601 date and time)');
  const end = Date.parse(endTime);
  if (Number.isNaN(end)) throw new SourceError('endTime', 'must be an ISO 8601 date and time');
  const minutes = Math.ceil((end - now) / 60_000);
  if (minutes < 1) throw new SourceError('endTime', 'must be in the future');
  if (minutes > 24 * 60) throw new SourceError('endTime', 'must be at most 24 hours ahead (Tocsin snoozes up to 24 h)');
  return minutes;
}
