/**
 * Small pure helpers shared by the group-chat and cloud providers (WeCom, Teams, Telegram, Discord,
 * Aliyun, Tencent): the per-chat filter fields every group chat declares, Retry-After parsing, one
 * JSON POST that turns network errors into `retry`. Part of the provider interface, like
 * `provider.ts`: it imports only `core` and `provider.ts`, so providers may import it (ADR 0035).
 * The older providers (Feishu, DingTalk) keep their own copies; they can move here when next touched.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncidentView, MessageLocale, OutboundMessage, ProviderField, SendContext, SendResult, Severity } from './provider.js';
import { LANGUAGE_FIELD, severityWord, wordsFor } from './message-words.js';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { Info: 0, Warning: 1, Critical: 2 };
/** Cap on a vendor's Retry-After so a broken header never parks a page for days. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
export const VENDOR_TIMEOUT_MS = 10_000;

/** A group chat's filters: lowest severity and which incident events it hears about. */
export interface ChatFilters {
  readonly minSeverity: Severity;
  readonly notifyTriggered: boolean;
  readonly notifyAcknowledged: boolean;
  readonly notifyResolved: boolean;
}

/** The filter fields every group chat declares, in the console's order. */
export const CHAT_FILTER_FIELDS: readonly ProviderField[] = [
  { name: 'min_severity', label: 'Lowest severity', type: 'select', options: ['Info', 'Warning', 'Critical'], default: 'Info', help: 'Incidents below it are not posted' },
  { name: 'notify_triggered', label: 'Post triggered incidents', type: 'boolean', default: true, help: 'Also reminders and escalations' },
  { name: 'notify_acknowledged', label: 'Post acknowledgements', type: 'boolean', default: true },
  { name: 'notify_resolved', label: 'Post resolutions', type: 'boolean', default: true },
  LANGUAGE_FIELD,
];

/** Filters from validated raw settings (defaults applied by the registry). */
export function parseChatFilters(raw: Readonly<Record<string, unknown>>): ChatFilters {
  const min = raw.min_severity;
  return {
    minSeverity: min === 'Warning' || min === 'Critical' ? min : 'Info',
    notifyTriggered: raw.notify_triggered !== false,
    notifyAcknowledged: raw.notify_acknowledged !== false,
    notifyResolved: raw.notify_resolved !== false,
  };
}

/** What a filtered message reports: "sent" without a request, so the outbox neither retries nor falls back. */
export const FILTERED = 'filtered';

/** Whether the chat's filters let `message` through (test messages and verification codes always pass). */
export function passesChatFilters(filters: ChatFilters, message: OutboundMessage): boolean {
  if (message.kind === 'verification' || message.kind === 'test') return true;
  const severityOk = (incident: IncidentView): boolean => SEVERITY_RANK[incident.severity] >= SEVERITY_RANK[filters.minSeverity];
  if (message.kind === 'bundle') return message.bundle.some(severityOk);
  if (!severityOk(message.incident)) return false;
  if (message.kind === 'acknowledged') return filters.notifyAcknowledged;
  if (message.kind === 'resolved') return filters.notifyResolved;
  return filters.notifyTriggered;
}

/** Retry-After (delta seconds, possibly fractional, or an HTTP date) in ms from `now`, capped. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Math.ceil(Number(trimmed) * 1000) : Date.parse(trimmed) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** True for absolute http(s) URLs with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first 200 characters of a vendor answer, for error messages. */
export function snippet(text: string): string {
  const short = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return short === '' ? '' : `: ${short}`;
}

/** A vendor's answer, read whole. */
export interface VendorAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON when it parses. */
  readonly json: unknown;
}

/**
 * One request through `context.fetch` (never the global), no redirects, a timeout. A network error
 * comes back as a `retry` result; anything the vendor answered comes back whole.
 */
export async function callVendor(
  context: SendContext,
  url: string,
  init: { method?: string; headers: [string, string][]; body?: string | Uint8Array<ArrayBuffer> },
): Promise<VendorAnswer | Extract<SendResult, { kind: 'retry' }>> {
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: init.method ?? 'POST',
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return { kind: 'retry', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** HTTP 429 / 408 / 5xx as a `retry` (honouring Retry-After), or undefined for other statuses. */
export function transientHttp(vendor: string, answer: VendorAnswer, now: number, retryAfterMs?: number): SendResult | undefined {
  if (answer.status !== 429 && answer.status !== 408 && answer.status < 500) return undefined;
  const after = retryAfterMs ?? parseRetryAfter(answer.headers.get('retry-after'), now) ?? (answer.status === 429 ? 60_000 : undefined);
  return { kind: 'retry', error: `${vendor}: HTTP ${answer.status}${snippet(answer.text)}`, ...(after !== undefined ? { retryAfterMs: after } : {}) };
}

/** The headline every chat message starts with: `[Critical] #42 Disk full` (`[严重] #42 …` in Chinese). */
export function headline(incident: IncidentView, test = false, locale?: MessageLocale): string {
  return `${test ? `[${wordsFor(locale).test}] ` : ''}[${severityWord(locale, incident.severity)}] #${incident.number} ${incident.title}`;
}

/** Truncates to `max` UTF-16 units with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Truncates to `max` UTF-8 bytes with an ellipsis, never splitting a character. */
export function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let used = 0;
  const budget = max - 3;
  for (const c of text) {
    const size = Buffer.byteLength(c, 'utf8');
    if (used + size > budget) break;
    out += c;
    used += size;
  }
  return `${out}…`;
}

/** Entries of a comma / space / newline separated list, de-duplicated. */
export function splitList(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [...new Set(text.split(/[\s,;]+/).filter((e) => e !== ''))];
}

/** What an SMS reply asks for; `incidentNumber` absent means "the last incident I was texted about". */
export interface ReplyCommand {
  readonly kind: 'acknowledge' | 'resolve';
  readonly incidentNumber?: number;
}

// The same grammar as Twilio's replies (twilio/sms.ts), plus the Chinese words people type: 确认 / 解决.
const REPLY = /^(1|ack|acknowledge|确认|2|resolve|解决)(?:(?:\s+#?|\s*#)(\d{1,9}))?[.!。！]*$/;

/** Reads an SMS reply: `1 42`, `ack 42`, `确认 42`, `2 42`, `resolve #42`, or the bare word / digit. */
export function parseReplyCommand(body: string): ReplyCommand | undefined {
  const match = REPLY.exec(body.trim().toLowerCase().replace(/\s+/g, ' '));
  if (!match) return undefined;
  const kind = match[1] === '2' || match[1] === 'resolve' || match[1] === '解决' ? 'resolve' : 'acknowledge';
  if (match[2] === undefined) return { kind };
  const incidentNumber = Number(match[2]);
  return incidentNumber > 0 ? { kind, incidentNumber } : undefined;
}

/** Compares a presented token with the configured one in constant time. */
export function sameToken(expected: string | undefined, presented: string | null | undefined): boolean {
  if (expected === undefined || expected === '' || presented === undefined || presented === null) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The `kind` of a callback URL `…/callbacks/<vendor>/<config>/<kind>`: its last path segment. */
export function callbackKindOf(url: string): string {
  try {
    return new URL(url).pathname.split('/').filter((s) => s !== '').at(-1) ?? '';
  } catch {
    return '';
  }
}

/** The `token` query parameter of a callback URL (vendors whose pushes carry no signature). */
export function callbackTokenOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('token');
  } catch {
    return null;
  }
}
