/**
 * Generic outbound webhook for group chats of any kind (SPEC §8.2 "Outbound webhook", §7 body rules).
 *
 * Wire contract — `POST <url>` (or PUT), `Content-Type: application/json`, body (exact key order):
 *   {"event_id": <outbox row id, stable across retries>, "event_time": <ISO 8601>, "kind": "trigger"|…,
 *    "incident": {…} | null, "incidents": [{…}] (bundles only), "code": "…" (verification only),
 *    "recipient": {…}, "text": <the rendered markdown>}
 * Headers: `X-Tocsin-Event-Id`, `X-Tocsin-Timestamp` (Unix seconds, equal to event_time) and, with a
 * secret, `X-Tocsin-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. The body carries event_time,
 * so the signature covers the timestamp too and receivers can refuse stale replays.
 *
 * Outcome: 2xx sent; 408, 429 and 5xx retry (honouring Retry-After, capped at an hour); network errors
 * and timeouts retry; redirects are not followed (they would carry the signature elsewhere) and, like
 * other 4xx, fail.
 */
import { createHmac } from 'node:crypto';
import type { FieldError } from '../../../core/errors.js';
import type { IncidentView, OutboundMessage, Provider, Recipient, SendContext, SendResult } from '../../provider.js';
import { parseRetryAfter } from '../../../core/retry-after.js';
export { parseRetryAfter } from '../../../core/retry-after.js';

export interface WebhookSettings {
  readonly url: string;
  readonly method: 'POST' | 'PUT';
  readonly secret?: string;
  /** Extra headers, in the order given. */
  readonly headers: readonly (readonly [string, string])[];
}

const TIMEOUT_MS = 10_000;
const MAX_HEADERS = 20;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the transport or the signature own. */
const RESERVED = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'x-tocsin-signature', 'x-tocsin-timestamp', 'x-tocsin-event-id']);
export const USER_AGENT = 'Tocsin-Webhook/1';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Tabs are allowed in header values; other control characters would break or smuggle headers. */
function hasControlCharacters(value: string): boolean {
  for (const c of value) {
    const code = c.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/** Parses "Name: value" lines; returns the headers or the first problem of each bad line. */
export function parseHeaderLines(text: string): { headers: [string, string][]; errors: FieldError[] } {
  const headers: [string, string][] = [];
  const errors: FieldError[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    const value = colon < 0 ? '' : line.slice(colon + 1).trim();
    const where = `line ${i + 1}`;
    if (colon < 0 || !TOKEN.test(name)) errors.push({ field: 'settings.headers', message: `${where} must look like "Name: value"` });
    else if (RESERVED.has(name.toLowerCase())) errors.push({ field: 'settings.headers', message: `${where}: ${name} is set by Tocsin` });
    else if (hasControlCharacters(value)) errors.push({ field: 'settings.headers', message: `${where}: the value has control characters` });
    else headers.push([name, value]);
  });
  if (headers.length > MAX_HEADERS) errors.push({ field: 'settings.headers', message: `at most ${MAX_HEADERS} headers` });
  return { headers, errors };
}

function incidentJson(incident: IncidentView): Record<string, unknown> {
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    channel_name: incident.channelName,
    labels: incident.labels,
    alert_count: incident.alertCount,
    assignees: incident.assignees ?? [],
    url: incident.url,
    ack_url: incident.ackUrl ?? null,
    resolve_url: incident.resolveUrl ?? null,
  };
}

function recipientJson(recipient: Recipient): Record<string, unknown> {
  return recipient.kind === 'person'
    ? { kind: 'person', person_id: recipient.personId, name: recipient.name, address: recipient.address }
    : { kind: 'group_chat', name: recipient.name };
}

/** The exact JSON body sent for `message` at `now` (exported for tests and the docs). */
export function webhookBody(message: OutboundMessage, now: number): string {
  const body: Record<string, unknown> = {
    event_id: message.id,
    event_time: new Date(now).toISOString(),
    kind: message.kind,
    incident: message.kind === 'bundle' || message.kind === 'verification' ? null : incidentJson(message.incident),
  };
  if (message.kind === 'bundle') body.incidents = message.bundle.map(incidentJson);
  if (message.kind === 'verification') body.code = message.code;
  body.recipient = recipientJson(message.recipient);
  body.text = message.content.text;
  return JSON.stringify(body);
}

/** `sha256=<hex>` of the raw body under `secret`. */
export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}


async function snippet(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  const short = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return short === '' ? '' : `: ${short}`;
}

export const webhookProvider: Provider<WebhookSettings> = {
  id: 'webhook',
  label: 'Outbound webhook',
  methods: ['webhook'],
  fields: [
    { name: 'url', label: 'URL', type: 'url', required: true, max: 2048, help: 'http:// or https:// endpoint that receives the JSON body' },
    { name: 'method', label: 'HTTP method', type: 'select', options: ['POST', 'PUT'], default: 'POST' },
    { name: 'secret', label: 'Signing secret', type: 'secret', min: 16, max: 256, help: 'Signs the body: X-Tocsin-Signature: sha256=<HMAC-SHA256 hex>' },
    { name: 'headers', label: 'Extra headers', type: 'string', secret: true, multiline: true, max: 4096, help: 'One "Name: value" per line' },
  ],

  checkSettings(raw): FieldError[] {
    return typeof raw.headers === 'string' ? parseHeaderLines(raw.headers).errors : [];
  },

  parseSettings(raw): WebhookSettings {
    const secret = typeof raw.secret === 'string' && raw.secret !== '' ? raw.secret : undefined;
    return {
      url: typeof raw.url === 'string' ? raw.url : '',
      method: raw.method === 'PUT' ? 'PUT' : 'POST',
      ...(secret !== undefined ? { secret } : {}),
      headers: typeof raw.headers === 'string' ? parseHeaderLines(raw.headers).headers : [],
    };
  },

  async send(settings: WebhookSettings, message: OutboundMessage, context: SendContext): Promise<SendResult> {
    if (!isHttpUrl(settings.url)) return { kind: 'failed', error: 'the webhook URL must be http:// or https://' };
    const body = webhookBody(message, context.now);
    const headers: [string, string][] = [
      ...settings.headers.map(([name, value]): [string, string] => [name, value]),
      ['Content-Type', 'application/json'],
      ['User-Agent', USER_AGENT],
      ['X-Tocsin-Event-Id', message.id],
      ['X-Tocsin-Timestamp', String(Math.floor(context.now / 1000))],
    ];
    if (settings.secret !== undefined) headers.push(['X-Tocsin-Signature', webhookSignature(settings.secret, body)]);
    let response: Response;
    try {
      response = await context.fetch(settings.url, { method: settings.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      return { kind: 'retry', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'sent' };
    }
    const detail = `HTTP ${status}${await snippet(response)}`;
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.now);
      return { kind: 'retry', error: detail, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    if (status >= 300 && status < 400) return { kind: 'failed', error: `${detail} (redirects are not followed; use the final URL)` };
    return { kind: 'failed', error: detail };
  },
};
