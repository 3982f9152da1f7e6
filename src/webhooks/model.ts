import { createHmac } from 'node:crypto';
import type { FieldError } from '../core/errors.js';

/** Incident and alert event names a subscription may choose (SPEC §7). */
export const INCIDENT_EVENTS = ['created', 'assigned', 'acknowledged', 'unacknowledged', 'snoozed', 'woken', 'escalated', 'commented', 'resolved', 'reopened', 'merged', 'updated'] as const;
export const ALERT_EVENTS = ['created', 'updated', 'recovered'] as const;
export const WEBHOOK_EVENTS: readonly string[] = [...INCIDENT_EVENTS.map((e) => `incident.${e}`), ...ALERT_EVENTS.map((e) => `alert.${e}`)];
export const TEST_EVENT = 'webhook.test';

export const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 3_600_000;
export const DELIVERY_RETENTION_MS = 7 * 86_400_000;

/** A subscription as the domain sees it (never with its secret). */
export interface Webhook {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  /** Event names, or `["*"]` for all. */
  readonly events: readonly string[];
  /** undefined = every channel. */
  readonly channelIds: readonly string[] | undefined;
  readonly enabled: boolean;
  readonly createdAt: number;
}

export interface WebhookInput {
  readonly name?: string | undefined;
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly channelIds?: readonly string[] | null | undefined;
  readonly secret?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/** Checks a create (every required field) or an update (only the given fields); returns all field errors. */
export function normalizeWebhookInput(input: WebhookInput, creating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (input.url !== undefined || creating) {
    let url: URL | undefined;
    try {
      url = new URL(input.url ?? '');
    } catch {
      errors.push({ field: 'url', message: 'must be an absolute http(s) URL' });
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') errors.push({ field: 'url', message: 'must use http or https' });
    if ((input.url ?? '').length > 2000) errors.push({ field: 'url', message: 'must be at most 2000 characters' });
  }
  if (input.events !== undefined || creating) {
    const events = input.events ?? [];
    if (events.length === 0) errors.push({ field: 'events', message: 'must name at least one event, or "*" for all' });
    const unknown = events.find((e) => e !== '*' && !WEBHOOK_EVENTS.includes(e));
    if (unknown !== undefined) errors.push({ field: 'events', message: `unknown event ${JSON.stringify(unknown)}; one of * or ${WEBHOOK_EVENTS.join(', ')}` });
  }
  if (input.secret !== undefined && (input.secret.length < 16 || input.secret.length > 200)) errors.push({ field: 'secret', message: 'must be 16 to 200 characters' });
  if (input.name !== undefined && input.name.trim().length > 200) errors.push({ field: 'name', message: 'must be at most 200 characters' });
  return errors;
}

/** The webhook event a feed row stands for, or undefined when subscribers are not told about it. */
export function incidentEventOf(timelineKind: string): string | undefined {
  if ((INCIDENT_EVENTS as readonly string[]).includes(timelineKind) && timelineKind !== 'updated') return `incident.${timelineKind}`;
  if (timelineKind === 'merged_into' || timelineKind === 'incident_merged') return 'incident.merged';
  if (timelineKind.endsWith('_changed') || timelineKind === 'edited' || timelineKind === 'field_changed') return 'incident.updated';
  return undefined;
}

/** Whether a subscription wants an event of `eventType` from `channelId`. */
export function wants(webhook: Webhook, eventType: string, channelId: string | undefined): boolean {
  if (!webhook.enabled) return false;
  if (!webhook.events.includes('*') && !webhook.events.includes(eventType)) return false;
  return webhook.channelIds === undefined || (channelId !== undefined && webhook.channelIds.includes(channelId));
}

/** `sha256=<hex HMAC-SHA256 of the raw body>` (SPEC §9). */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Retry on network errors, 5xx, 408 and 429; other answers are final. */
export function isRetryable(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 408 || status === 429;
}

/**
 * Delay before attempt `attempt + 1`: exponential from 30 s, capped at 1 h, with ±20 % jitter so
 * deliveries that failed together do not all return at once. `random` is in [0, 1).
 */
export function backoffMs(attempt: number, random: number): number {
  const base = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random));
}
