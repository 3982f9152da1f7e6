/**
 * Slack (SPEC §8.2): channel messages and DMs with Acknowledge / Resolve buttons, update in place,
 * signed interactivity callbacks. Docs: docs/notifications/slack.md.
 *
 * Two modes, chosen by the settings (exactly one of them):
 * - **Incoming webhook** (`webhook_url`): `POST <url>` with the JSON message; the webhook's channel is
 *   fixed by Slack. Slack answers `200 ok`, or 4xx/5xx with a short error word (`invalid_payload`,
 *   `no_service`, `channel_is_archived`…). Cannot post DMs, and messages cannot be updated later.
 * - **Bot token** (`bot_token`, `xoxb-…`) + `channel`: Web API `chat.postMessage` (JSON,
 *   `Authorization: Bearer`). Its `sent` result carries `providerMessageId` = `<channel>:<ts>`, which
 *   `updateMessage` turns into a `chat.update` when the incident changes. DMs (recipient kind
 *   `person`): `users.lookupByEmail` (when the address is an email; a Slack user id `U…`/`W…` is used
 *   as is) → `conversations.open` → `chat.postMessage` into the DM.
 *
 * The message is structured, not the rendered template: one legacy attachment (the only way to get a
 * severity colour bar) holding Block Kit blocks — linked title, description, fields (channel, severity,
 * status, alerts, assignees), labels, and buttons (`action_id` `tocsin_ack` / `tocsin_resolve`,
 * `value` = incident id; or, with `buttons: links`, URL buttons opening the signed links). The rendered
 * `content.text` becomes the attachment's `fallback` (push notifications, screen readers) for incident
 * messages and the whole message (`text`, mrkdwn) for bundles and verification codes. Acknowledged and
 * resolved messages render as a short card (resolve button only / no buttons).
 *
 * Outcome: HTTP 429 → retry after `Retry-After`; 5xx, network errors and the Web API errors
 * `ratelimited`, `internal_error`, `fatal_error`, `service_unavailable`, `request_timeout` → retry;
 * every other `ok:false` (`channel_not_found`, `not_in_channel`, `invalid_auth`, `users_not_found`…)
 * and other 4xx → failed with Slack's error word.
 *
 * Inbound: `verifySignature` checks `X-Slack-Signature: v0=<hex HMAC-SHA256(signing_secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>` in constant time, with the timestamp within
 * five minutes of `now`. `parseCallback` reads the form field `payload` of a `block_actions` request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FieldError } from '../../../core/errors.js';
import type {
  CallbackResult,
  InboundAction,
  InboundRequest,
  IncidentMessageKind,
  IncidentView,
  MessageLocale,
  OutboundMessage,
  Provider,
  SendContext,
  SendResult,
  Severity,
} from '../../provider.js';
import { parseRetryAfter } from '../../../core/retry-after.js';
import { LANGUAGE_FIELD, severityWord, statusWord, wordsFor } from '../../message-words.js';
export { parseRetryAfter } from '../../../core/retry-after.js';

export type SlackButtons = 'interactive' | 'links' | 'none';

export interface SlackSettings {
  readonly webhookUrl?: string;
  readonly botToken?: string;
  /** Default channel of group-chat messages in bot mode: an id (`C0123ABCD`) or a name (`#ops`). */
  readonly channel?: string;
  readonly signingSecret?: string;
  readonly buttons: SlackButtons;
  /** Web API base without a trailing slash. */
  readonly apiBase: string;
}

export const SLACK_API_BASE = 'https://slack.com/api';
export const ACK_ACTION_ID = 'tocsin_ack';
export const RESOLVE_ACTION_ID = 'tocsin_resolve';
/** Five minutes, Slack's own replay window. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;
const TIMEOUT_MS = 10_000;
const USER_AGENT = 'Tocsin-Slack/1';
const TRANSIENT_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
/** Block Kit limits: section text 3000, field text 2000, button text 75, attachment fallback kept short. */
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FALLBACK_MAX = 1000;

export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = { Critical: '#d92d20', Warning: '#f79009', Info: '#1570ef' };
const ACKNOWLEDGED_COLOR = '#fdb022';
const RESOLVED_COLOR = '#12b76a';

/** The note above an incident's fields in the message's language: nothing for a first page. */
function kindNote(kind: IncidentMessageKind, locale: MessageLocale | undefined): string {
  if (kind === 'trigger') return '';
  if (kind === 'test') return locale === 'zh-CN' ? '测试通知' : 'Test notification';
  return wordsFor(locale).kind[kind];
}

// ---------------------------------------------------------------------------------------------------
// Message bodies

type Json = Record<string, unknown>;

/** Slack's three control characters; everything else in mrkdwn is literal enough. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Our markdown (`**bold**`, `[text](url)`) as Slack mrkdwn (`*bold*`, `<url|text>`), escaped. */
export function toMrkdwn(markdown: string): string {
  const links: string[] = [];
  const withoutLinks = markdown.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => {
    links.push(`<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`);
    return `\uE000${links.length - 1}\uE001`;
  });
  return escapeMrkdwn(withoutLinks)
    .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
    .replace(/\uE000(\d+)\uE001/g, (_m, i: string) => links[Number(i)] ?? '');
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function headline(incident: IncidentView, kind: IncidentMessageKind, locale?: MessageLocale): string {
  return `${kind === 'test' ? `[${wordsFor(locale).test}] ` : ''}[${severityWord(locale, incident.severity)}] #${incident.number} ${incident.title}`;
}

function linkUrl(url: string): string {
  return url.replace(/\|/g, '%7C').replace(/>/g, '%3E');
}

function mrkdwn(text: string): Json {
  return { type: 'mrkdwn', text };
}

function button(actionId: string, text: string, extra: Json): Json {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, ...extra };
}

function buttonsFor(incident: IncidentView, kind: IncidentMessageKind, mode: SlackButtons, locale?: MessageLocale): Json[] {
  const words = wordsFor(locale);
  const canAck = kind !== 'acknowledged' && kind !== 'resolved';
  const canResolve = kind !== 'resolved';
  const out: Json[] = [];
  if (mode === 'interactive') {
    if (canAck) out.push(button(ACK_ACTION_ID, words.acknowledge, { value: incident.id, style: 'primary' }));
    if (canResolve) out.push(button(RESOLVE_ACTION_ID, words.resolve, { value: incident.id }));
  } else if (mode === 'links') {
    if (canAck && incident.ackUrl) out.push(button('tocsin_ack_link', words.acknowledge, { url: incident.ackUrl, style: 'primary' }));
    if (canResolve && incident.resolveUrl) out.push(button('tocsin_resolve_link', words.resolve, { url: incident.resolveUrl }));
  }
  out.push(button('tocsin_open', words.open, { url: incident.url }));
  return out;
}

/** The coloured attachment of an incident message: what `chat.postMessage`, `chat.update` and webhooks carry. */
export function incidentAttachment(incident: IncidentView, kind: IncidentMessageKind, mode: SlackButtons, fallback: string, escalationLevel?: number, locale?: MessageLocale): Json {
  const words = wordsFor(locale);
  const followUp = kind === 'acknowledged' || kind === 'resolved';
  const color = kind === 'acknowledged' ? ACKNOWLEDGED_COLOR : kind === 'resolved' ? RESOLVED_COLOR : SEVERITY_COLORS[incident.severity];
  const note = [kindNote(kind, locale), kind === 'escalated' && escalationLevel !== undefined ? words.level(escalationLevel) : ''].filter((s) => s !== '').join(' · ');
  const title = `*<${linkUrl(incident.url)}|${escapeMrkdwn(headline(incident, kind, locale))}>*`;
  const blocks: Json[] = [];
  if (followUp) {
    const by = incident.assignees && incident.assignees.length > 0 ? ` · ${incident.assignees.join(', ')}` : '';
    blocks.push({ type: 'section', text: mrkdwn(cut(`${title}\n*${note}* · ${escapeMrkdwn(incident.channelName)}${escapeMrkdwn(by)}`, SECTION_MAX)) });
  } else {
    blocks.push({ type: 'section', text: mrkdwn(cut(note === '' ? title : `${title}\n_${note}_`, SECTION_MAX)) });
    if (incident.description.trim() !== '') blocks.push({ type: 'section', text: mrkdwn(cut(escapeMrkdwn(incident.description), SECTION_MAX)) });
    const fields: [string, string][] = [
      [words.channel, incident.channelName],
      [words.severityLabel, severityWord(locale, incident.severity)],
      [words.statusLabel, locale === 'zh-CN' ? statusWord(locale, incident.status) : incident.status],
      [words.alerts, String(incident.alertCount)],
    ];
    if (incident.assignees && incident.assignees.length > 0) fields.push([words.assignees, incident.assignees.join(', ')]);
    blocks.push({ type: 'section', fields: fields.map(([name, value]) => mrkdwn(cut(`*${name}*\n${escapeMrkdwn(value)}`, FIELD_MAX))) });
    const labels = Object.entries(incident.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (labels.length > 0) {
      const text = labels.map(([name, value]) => `\`${escapeMrkdwn(`${name}=${value}`).replace(/`/g, "'")}\``).join('  ');
      blocks.push({ type: 'context', elements: [mrkdwn(cut(text, SECTION_MAX))] });
    }
  }
  blocks.push({ type: 'actions', block_id: 'tocsin_incident', elements: buttonsFor(incident, kind, mode, locale) });
  return { color, fallback: cut(fallback, FALLBACK_MAX), blocks };
}

/**
 * The message fields for `message` (without `channel`/`ts`): a coloured attachment for incident
 * messages, plain mrkdwn `text` for bundles and verification codes.
 */
export function slackMessage(message: OutboundMessage, mode: SlackButtons): Json {
  if (message.kind === 'bundle' || message.kind === 'verification') return { text: toMrkdwn(message.content.text) };
  const note = kindNote(message.kind, message.locale);
  const fallback = `${note === '' ? '' : `${note}: `}${headline(message.incident, message.kind, message.locale)}`;
  return { attachments: [incidentAttachment(message.incident, message.kind, mode, fallback, message.escalationLevel, message.locale)] };
}

// ---------------------------------------------------------------------------------------------------
// Signatures and callbacks

/** `v0=<hex>`: Slack's request signature of `rawBody` sent at `timestamp` (Unix seconds). */
export function slackSignature(signingSecret: string, timestamp: string | number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest('hex')}`;
}

/** Whether the request carries a genuine v0 signature made within five minutes of `now` (ms). */
export function verifySlackRequest(signingSecret: string, request: InboundRequest, now: number): boolean {
  const timestamp = request.headers['x-slack-request-timestamp'];
  const signature = request.headers['x-slack-signature'];
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Math.floor(now / 1000) - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return false;
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, request.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Actions asked by an interactivity request body (`payload=<json>`); unknown or malformed → none. */
export function parseInteraction(rawBody: string): InboundAction[] {
  const payloadText = new URLSearchParams(rawBody).get('payload');
  if (payloadText === null) return [];
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return [];
  }
  if (!isRecord(payload) || payload.type !== 'block_actions' || !Array.isArray(payload.actions)) return [];
  const user = isRecord(payload.user) ? payload.user : {};
  const profile = isRecord(user.profile) ? user.profile : {};
  const from = str(user.email) ?? str(profile.email) ?? str(user.id);
  if (from === undefined) return [];
  const actions: InboundAction[] = [];
  for (const action of payload.actions) {
    if (!isRecord(action)) continue;
    const incidentId = str(action.value);
    if (incidentId === undefined) continue;
    if (action.action_id === ACK_ACTION_ID) actions.push({ kind: 'acknowledge', incidentId, from });
    else if (action.action_id === RESOLVE_ACTION_ID) actions.push({ kind: 'resolve', incidentId, from });
  }
  return actions;
}

// ---------------------------------------------------------------------------------------------------
// HTTP


function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly result: SendResult };

function networkError(error: unknown): SendResult {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return { kind: 'retry', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
}

function httpFailure(status: number, body: string, response: Response, now: number): SendResult {
  const detail = `HTTP ${status}${body === '' ? '' : `: ${body.replace(/\s+/g, ' ').trim().slice(0, 200)}`}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
    return { kind: 'retry', error: `slack: ${detail}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { kind: 'failed', error: `slack: ${detail}` };
}

/** Calls one Web API method; JSON body for writes, query string for reads. */
async function callApi(settings: SlackSettings, method: string, args: Json, context: SendContext, read = false): Promise<Outcome<Json>> {
  const token = settings.botToken ?? '';
  const query = read ? `?${new URLSearchParams(Object.entries(args).map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
  const url = `${settings.apiBase}/${method}${query}`;
  if (!isHttpUrl(url)) return { ok: false, result: { kind: 'failed', error: 'the Slack API base must be an http:// or https:// URL' } };
  const headers: [string, string][] = read
    ? [
        ['Authorization', `Bearer ${token}`],
        ['User-Agent', USER_AGENT],
      ]
    : [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['Authorization', `Bearer ${token}`],
        ['User-Agent', USER_AGENT],
      ];
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: read ? 'GET' : 'POST',
      headers,
      ...(read ? {} : { body: JSON.stringify(args) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, result: networkError(error) };
  }
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status >= 300) return { ok: false, result: httpFailure(response.status, text, response, context.now) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, result: { kind: 'retry', error: `slack ${method}: the answer is not JSON` } };
  }
  if (!isRecord(parsed)) return { ok: false, result: { kind: 'retry', error: `slack ${method}: the answer is not a JSON object` } };
  if (parsed.ok !== true) {
    const code = str(parsed.error) ?? 'unknown_error';
    const error = `slack ${method}: ${code}`;
    if (TRANSIENT_ERRORS.has(code)) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.now);
      return { ok: false, result: { kind: 'retry', error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } };
    }
    return { ok: false, result: { kind: 'failed', error } };
  }
  return { ok: true, value: parsed };
}

async function postWebhook(settings: SlackSettings, body: Json, context: SendContext): Promise<SendResult> {
  const url = settings.webhookUrl ?? '';
  if (!isHttpUrl(url)) return { kind: 'failed', error: 'the Slack webhook URL must be http:// or https://' };
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: 'POST',
      headers: [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['User-Agent', USER_AGENT],
      ],
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return networkError(error);
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return { kind: 'sent' };
  return httpFailure(response.status, text, response, context.now);
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** The DM channel for a person's address (an email or a Slack user id). */
async function openDm(settings: SlackSettings, address: string, context: SendContext): Promise<Outcome<string>> {
  let userId = address.trim();
  if (!SLACK_USER_ID.test(userId)) {
    const found = await callApi(settings, 'users.lookupByEmail', { email: userId }, context, true);
    if (!found.ok) return found;
    const id = isRecord(found.value.user) ? str(found.value.user.id) : undefined;
    if (id === undefined) return { ok: false, result: { kind: 'failed', error: 'slack users.lookupByEmail: no user id in the answer' } };
    userId = id;
  }
  const opened = await callApi(settings, 'conversations.open', { users: userId }, context);
  if (!opened.ok) return opened;
  const channel = isRecord(opened.value.channel) ? str(opened.value.channel.id) : undefined;
  if (channel === undefined) return { ok: false, result: { kind: 'failed', error: 'slack conversations.open: no channel id in the answer' } };
  return { ok: true, value: channel };
}

/** `<channel>:<ts>`, the id `updateMessage` needs. */
export function slackMessageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** Splits a provider message id made by `slackMessageId`. */
export function parseSlackMessageId(id: string): { channel: string; ts: string } | undefined {
  const match = /^([A-Za-z0-9_#-]+):(\d+\.\d+)$/.exec(id);
  return match ? { channel: match[1] ?? '', ts: match[2] ?? '' } : undefined;
}

async function postMessage(settings: SlackSettings, channel: string, body: Json, context: SendContext): Promise<SendResult> {
  const posted = await callApi(settings, 'chat.postMessage', { channel, ...body }, context);
  if (!posted.ok) return posted.result;
  const ts = str(posted.value.ts);
  const postedChannel = str(posted.value.channel) ?? channel;
  return ts === undefined ? { kind: 'sent' } : { kind: 'sent', providerMessageId: slackMessageId(postedChannel, ts) };
}

/**
 * Rewrites a message posted in bot mode (`providerMessageId` from its `sent` result) with the current
 * state of the incident — call it with an `acknowledged` / `resolved` message (or any incident
 * message) when the incident changes. Webhook-mode messages cannot be updated: `failed`.
 */
export async function updateMessage(settings: SlackSettings, providerMessageId: string, message: OutboundMessage, context: SendContext): Promise<SendResult> {
  if (settings.botToken === undefined) return { kind: 'failed', error: 'messages sent through an incoming webhook cannot be updated; use a bot token' };
  const target = parseSlackMessageId(providerMessageId);
  if (!target) return { kind: 'failed', error: `not a Slack message id: ${providerMessageId}` };
  const updated = await callApi(settings, 'chat.update', { channel: target.channel, ts: target.ts, ...slackMessage(message, settings.buttons) }, context);
  if (!updated.ok) return updated.result;
  return { kind: 'sent', providerMessageId };
}

// ---------------------------------------------------------------------------------------------------
// The provider

function optional(raw: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = raw[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export const slackProvider: Provider<SlackSettings> = {
  id: 'slack',
  label: 'Slack',
  methods: ['im', 'webhook'],
  maxTextLength: 15_000,
  fields: [
    { name: 'webhook_url', label: 'Incoming webhook URL', type: 'url', secret: true, max: 2048, help: 'Channel messages only; leave empty when using a bot token' },
    {
      name: 'bot_token',
      label: 'Bot token',
      type: 'secret',
      pattern: 'xoxb-[A-Za-z0-9-]+',
      max: 256,
      help: 'xoxb-… with chat:write, users:read.email, im:write; needed for DMs and updates in place',
    },
    {
      name: 'channel',
      label: 'Channel',
      type: 'string',
      pattern: '#?[A-Za-z0-9_-]+',
      max: 80,
      help: 'Bot mode: channel id (C0123ABCD) or #name for group-chat messages',
    },
    { name: 'signing_secret', label: 'Signing secret', type: 'secret', pattern: '[0-9a-f]{16,128}', help: 'From "Basic Information"; verifies button presses' },
    {
      name: 'buttons',
      label: 'Buttons',
      type: 'select',
      options: ['interactive', 'links', 'none'],
      default: 'interactive',
      help: 'interactive: Slack calls Tocsin back; links: buttons open signed ack/resolve links',
    },
    { name: 'api_base', label: 'Web API base URL', type: 'url', default: SLACK_API_BASE, max: 2048 },
    LANGUAGE_FIELD,
  ],

  checkSettings(raw): FieldError[] {
    const webhook = optional(raw, 'webhook_url');
    const token = optional(raw, 'bot_token');
    if (webhook === undefined && token === undefined) return [{ field: 'settings.webhook_url', message: 'enter an incoming webhook URL or a bot token' }];
    if (webhook !== undefined && token !== undefined)
      return [{ field: 'settings.webhook_url', message: 'use either an incoming webhook URL or a bot token, not both' }];
    if (webhook !== undefined && optional(raw, 'channel') !== undefined)
      return [{ field: 'settings.channel', message: 'an incoming webhook posts to its own channel; leave empty' }];
    if (raw.buttons === 'interactive' && optional(raw, 'signing_secret') === undefined)
      return [{ field: 'settings.signing_secret', message: 'is required for interactive buttons (or choose link buttons)' }];
    return [];
  },

  parseSettings(raw): SlackSettings {
    const webhookUrl = optional(raw, 'webhook_url');
    const botToken = optional(raw, 'bot_token');
    const channel = optional(raw, 'channel');
    const signingSecret = optional(raw, 'signing_secret');
    const buttons = raw.buttons === 'links' || raw.buttons === 'none' ? raw.buttons : 'interactive';
    return {
      ...(webhookUrl !== undefined ? { webhookUrl } : {}),
      ...(botToken !== undefined ? { botToken } : {}),
      ...(channel !== undefined ? { channel } : {}),
      ...(signingSecret !== undefined ? { signingSecret } : {}),
      buttons,
      apiBase: (optional(raw, 'api_base') ?? SLACK_API_BASE).replace(/\/+$/, ''),
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    const body = slackMessage(message, settings.buttons);
    if (message.recipient.kind === 'person') {
      if (settings.botToken === undefined) return { kind: 'failed', error: 'Slack DMs need a bot token (an incoming webhook posts to one channel)' };
      const dm = await openDm(settings, message.recipient.address, context);
      if (!dm.ok) return dm.result;
      return postMessage(settings, dm.value, body, context);
    }
    if (settings.botToken === undefined) return postWebhook(settings, body, context);
    if (settings.channel === undefined) return { kind: 'failed', error: 'set a channel for group-chat messages in bot mode' };
    return postMessage(settings, settings.channel, body, context);
  },

  update(settings, providerMessageId, message, context): Promise<SendResult> {
    return updateMessage(settings, providerMessageId, message, context);
  },
  async userEmail(settings, userId, context): Promise<string | undefined> {
    // users.info needs the users:read.email scope; without a bot token there is nobody to ask.
    if (!settings.botToken) return undefined;
    const answer = await callApi(settings, 'users.info', { user: userId }, context, true);
    if (!answer.ok) return undefined;
    const profile = (answer.value.user as { profile?: { email?: unknown } } | undefined)?.profile;
    return typeof profile?.email === 'string' ? profile.email : undefined;
  },
  verifySignature(settings, request, now): boolean {
    return settings.signingSecret !== undefined && verifySlackRequest(settings.signingSecret, request, now);
  },

  parseCallback(_settings, request): CallbackResult {
    return { actions: parseInteraction(request.rawBody), response: { status: 200, contentType: 'text/plain', body: '' } };
  },
};
