/**
 * Feishu / Lark custom bot in a group chat (SPEC §8.2). Docs: docs/notifications/feishu.md.
 *
 * Wire contract — `POST <webhook_url>` (`https://open.feishu.cn/open-apis/bot/v2/hook/<token>`, or
 * `open.larksuite.com` for Lark), `Content-Type: application/json`, body (exact key order):
 *   {"timestamp": "<Unix seconds>", "sign": "<base64>",   ← only with a secret
 *    "msg_type": "interactive", "card": {config, header, elements}}
 * `sign` = base64(HMAC-SHA256 keyed by `timestamp + "\n" + secret` over an empty message) — Feishu's
 * scheme, the reverse of DingTalk's; Feishu refuses timestamps more than an hour off.
 *
 * The card: a header coloured by severity (`red` / `orange` / `blue`) with the title; fields for
 * channel, severity, status, alerts and labels; the description; buttons opening the signed
 * Acknowledge / Resolve links and the incident. Acknowledged / resolved follow-ups are short cards
 * (`yellow` / `green`). Bundles and verification codes go as `msg_type: text` with the rendered text.
 * The card is built from the incident, not the rendered template: Feishu's card markdown is its own
 * dialect, and structured fields read better than a text block.
 *
 * Filters per bot: `min_severity`, and whether triggered (also reminders and escalations),
 * acknowledged and resolved messages are posted. A filtered message is not sent and reports
 * `{kind: 'sent', providerMessageId: 'filtered'}`, so the outbox neither retries nor falls back.
 * Test messages are never filtered.
 *
 * Outcome: Feishu answers HTTP 200 with `{"code": 0, "msg": "success", …}` (older hooks:
 * `StatusCode`). code 9499 (too many requests) and 11232 (flow control), HTTP 429 and 5xx, network
 * errors → retry; any other code → failed as `feishu <code>: <msg>` (19021 sign match fail, 19024
 * keywords, 19022 IP not allowed…).
 */
import { createHmac } from 'node:crypto';
import type { FieldError } from '../../../core/errors.js';
import type { IncidentMessageKind, IncidentView, MessageLocale, OutboundMessage, Provider, SendContext, SendResult, Severity } from '../../provider.js';
import { LANGUAGE_FIELD, formatMessageTime, severityWord, statusWord, wordsFor } from '../../message-words.js';
import { parseRetryAfter } from '../../../core/retry-after.js';

export interface FeishuSettings {
  readonly webhookUrl: string;
  readonly secret?: string;
  readonly minSeverity: Severity;
  readonly notifyTriggered: boolean;
  readonly notifyAcknowledged: boolean;
  readonly notifyResolved: boolean;
}

/** Path of a custom bot webhook, on Feishu and Lark alike. */
export const HOOK_PATH = /^\/open-apis\/bot\/v2\/hook\/[A-Za-z0-9_-]{8,128}$/;
export const FILTERED = 'filtered';
const TIMEOUT_MS = 10_000;
const USER_AGENT = 'Tocsin-Feishu/1';
/** Feishu's custom bots take 100 requests a minute, 5 a second. */
const RATE_LIMIT_CODES = new Set([9499, 11232]);
const RATE_LIMIT_RETRY_MS = 10_000;
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { Info: 0, Warning: 1, Critical: 2 };
const SEVERITY_TEMPLATES: Readonly<Record<Severity, string>> = { Critical: 'red', Warning: 'orange', Info: 'blue' };
/** The note above an incident card's fields: nothing for a first page, else what happened. */
function kindNote(kind: IncidentMessageKind, locale: MessageLocale | undefined): string {
  return kind === 'trigger' ? '' : kind === 'test' ? (locale === 'zh-CN' ? '测试通知' : 'Test notification') : wordsFor(locale).kind[kind];
}

// ---------------------------------------------------------------------------------------------------
// Signature, filters, card

/** Feishu's `sign` for `timestamp` (Unix seconds): base64 HMAC-SHA256 keyed by `timestamp\nsecret` over ''. */
export function feishuSign(secret: string, timestamp: string | number): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

/** Whether the bot's filters let `message` through (test messages and verification codes always pass). */
export function passesFilters(settings: FeishuSettings, message: OutboundMessage): boolean {
  if (message.kind === 'verification' || message.kind === 'test') return true;
  const severityOk = (incident: IncidentView): boolean => SEVERITY_RANK[incident.severity] >= SEVERITY_RANK[settings.minSeverity];
  if (message.kind === 'bundle') return message.bundle.some(severityOk);
  if (!severityOk(message.incident)) return false;
  if (message.kind === 'acknowledged') return settings.notifyAcknowledged;
  if (message.kind === 'resolved') return settings.notifyResolved;
  return settings.notifyTriggered;
}

type Json = Record<string, unknown>;

/**
 * Card markdown (`lark_md`) treats `<…>` as tags (`<at id=all>` pings everyone): entities keep text
 * text. `[text](url)` and `![](img)` would be links and images: their brackets become look-alikes.
 */
export function escapeLarkMd(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\[/g, '［').replace(/\]/g, '］');
}

function plain(content: string): Json {
  return { tag: 'plain_text', content };
}

function larkMd(content: string): Json {
  return { tag: 'lark_md', content };
}

function field(name: string, value: string, short = true): Json {
  return { is_short: short, text: larkMd(`**${name}**\n${escapeLarkMd(value)}`) };
}

function urlButton(text: string, url: string, type: 'primary' | 'danger' | 'default'): Json {
  return { tag: 'button', text: plain(text), type, url };
}

/** A card button: a URL to open, or (Feishu app cards with callbacks) a `value` posted back to Tocsin. */
export type CardAction = { readonly url: string } | { readonly value: Readonly<Record<string, string>> };

/**
 * How a card's Acknowledge / Resolve buttons act: open the signed links (bots, and apps without a
 * callback), or post a value back through the app's card callback (`buttonValue`).
 */
export interface CardOptions {
  readonly locale?: MessageLocale;
  readonly timeZone?: string;
  readonly buttonValue?: (action: 'ack' | 'resolve', incident: IncidentView) => Readonly<Record<string, string>>;
}

function actionButton(text: string, action: 'ack' | 'resolve', incident: IncidentView, type: 'primary' | 'default', options: CardOptions): Json | undefined {
  if (options.buttonValue) return { tag: 'button', text: plain(text), type, value: options.buttonValue(action, incident) };
  const url = action === 'ack' ? incident.ackUrl : incident.resolveUrl;
  return url ? urlButton(text, url, type) : undefined;
}

function buttons(incident: IncidentView, kind: IncidentMessageKind, options: CardOptions): Json {
  const words = wordsFor(options.locale);
  // Links exist only while they can act; callback buttons follow the incident's status instead.
  const status = incident.status.toLowerCase();
  const canAck = options.buttonValue ? status === 'triggered' : incident.ackUrl !== undefined;
  const canResolve = options.buttonValue ? status !== 'closed' && status !== 'resolved' : incident.resolveUrl !== undefined;
  const actions: Json[] = [];
  if (kind !== 'acknowledged' && kind !== 'resolved' && canAck) {
    const button = actionButton(words.acknowledge, 'ack', incident, 'primary', options);
    if (button) actions.push(button);
  }
  if (kind !== 'resolved' && canResolve) {
    const button = actionButton(words.resolve, 'resolve', incident, 'default', options);
    if (button) actions.push(button);
  }
  actions.push(urlButton(words.open, incident.url, 'default'));
  return { tag: 'action', actions };
}

/** The interactive card of an incident message, in the message's language. */
export function incidentCard(incident: IncidentView, kind: IncidentMessageKind, escalationLevel?: number, options: CardOptions = {}): Json {
  const { locale } = options;
  const words = wordsFor(locale);
  const title = `${kind === 'test' ? `[${words.test}] ` : ''}[${severityWord(locale, incident.severity)}] #${incident.number} ${incident.title}`;
  if (kind === 'acknowledged' || kind === 'resolved') {
    const by = incident.assignees && incident.assignees.length > 0 ? ` · ${incident.assignees.join(', ')}` : '';
    const note = kindNote(kind, locale);
    return {
      config: { wide_screen_mode: true },
      header: { template: kind === 'acknowledged' ? 'yellow' : 'green', title: plain(`${note}${locale === 'zh-CN' ? '：' : ': '}${title}`) },
      elements: [{ tag: 'div', text: larkMd(`**${note}** · ${escapeLarkMd(incident.channelName)}${escapeLarkMd(by)}`) }, buttons(incident, kind, options)],
    };
  }
  const elements: Json[] = [];
  const note = [kindNote(kind, locale), kind === 'escalated' && escalationLevel !== undefined ? words.level(escalationLevel) : ''].filter((s) => s !== '').join(' · ');
  if (note !== '') elements.push({ tag: 'div', text: larkMd(`**${note}**`) });
  const fields = [
    field(words.channel, incident.channelName),
    field(words.severityLabel, severityWord(locale, incident.severity)),
    field(words.statusLabel, statusWord(locale, incident.status)),
    field(words.alerts, String(incident.alertCount)),
  ];
  if (incident.startedAt !== undefined) fields.push(field(words.startedAt, formatMessageTime(locale, incident.startedAt, options.timeZone), false));
  if (incident.assignees && incident.assignees.length > 0) fields.push(field(words.assignees, incident.assignees.join(', '), false));
  const labels = Object.entries(incident.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length > 0) fields.push(field(words.labels, labels.map(([name, value]) => `${name}=${value}`).join(', '), false));
  elements.push({ tag: 'div', fields });
  if (incident.description.trim() !== '') elements.push({ tag: 'div', text: plain(incident.description) });
  elements.push(buttons(incident, kind, options));
  return { config: { wide_screen_mode: true }, header: { template: SEVERITY_TEMPLATES[incident.severity], title: plain(title) }, elements };
}

/** The exact JSON body for `message` at `now` (ms), signed when the bot has a secret. */
export function feishuBody(settings: FeishuSettings, message: OutboundMessage, now: number): string {
  const body: Json = {};
  if (settings.secret !== undefined) {
    const timestamp = String(Math.floor(now / 1000));
    body.timestamp = timestamp;
    body.sign = feishuSign(settings.secret, timestamp);
  }
  if (message.kind === 'bundle' || message.kind === 'verification') {
    body.msg_type = 'text';
    body.content = { text: message.content.text };
  } else {
    body.msg_type = 'interactive';
    body.card = incidentCard(message.incident, message.kind, message.escalationLevel, { ...(message.locale && { locale: message.locale }), ...(message.timeZone && { timeZone: message.timeZone }) });
  }
  return JSON.stringify(body);
}

// ---------------------------------------------------------------------------------------------------
// The provider

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Whether `value` is a custom bot webhook URL (any http(s) host, so tests can use a fake). */
export function isHookUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  return HOOK_PATH.test(url.pathname) && url.search === '';
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flag(value: unknown): boolean {
  return value !== false;
}

export const feishuProvider: Provider<FeishuSettings> = {
  id: 'feishu',
  label: 'Feishu / Lark bot',
  methods: ['webhook'],
  fields: [
    {
      name: 'webhook_url',
      label: 'Webhook URL',
      type: 'url',
      secret: true,
      required: true,
      max: 2048,
      help: 'https://open.feishu.cn/open-apis/bot/v2/hook/… (Lark: open.larksuite.com)',
    },
    { name: 'secret', label: 'Signing secret', type: 'secret', max: 256, help: 'The bot\'s "Set signature verification" secret' },
    {
      name: 'min_severity',
      label: 'Lowest severity',
      type: 'select',
      options: ['Info', 'Warning', 'Critical'],
      default: 'Info',
      help: 'Incidents below it are not posted',
    },
    { name: 'notify_triggered', label: 'Post triggered incidents', type: 'boolean', default: true, help: 'Also reminders and escalations' },
    { name: 'notify_acknowledged', label: 'Post acknowledgements', type: 'boolean', default: true },
    { name: 'notify_resolved', label: 'Post resolutions', type: 'boolean', default: true },
    LANGUAGE_FIELD,
  ],

  checkSettings(raw): FieldError[] {
    const url = typeof raw.webhook_url === 'string' ? raw.webhook_url : '';
    return isHookUrl(url) ? [] : [{ field: 'settings.webhook_url', message: 'must be a custom bot webhook URL ending in /open-apis/bot/v2/hook/<token>' }];
  },

  parseSettings(raw): FeishuSettings {
    const secret = typeof raw.secret === 'string' && raw.secret !== '' ? raw.secret : undefined;
    const min = raw.min_severity;
    return {
      webhookUrl: typeof raw.webhook_url === 'string' ? raw.webhook_url : '',
      ...(secret !== undefined ? { secret } : {}),
      minSeverity: min === 'Warning' || min === 'Critical' ? min : 'Info',
      notifyTriggered: flag(raw.notify_triggered),
      notifyAcknowledged: flag(raw.notify_acknowledged),
      notifyResolved: flag(raw.notify_resolved),
    };
  },

  async send(settings, message, context: SendContext): Promise<SendResult> {
    if (!passesFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    if (!isHookUrl(settings.webhookUrl)) return { kind: 'failed', error: 'the Feishu webhook URL must be http(s)://…/open-apis/bot/v2/hook/<token>' };
    let response: Response;
    try {
      response = await context.fetch(settings.webhookUrl, {
        method: 'POST',
        headers: [
          ['Content-Type', 'application/json'],
          ['User-Agent', USER_AGENT],
        ],
        body: feishuBody(settings, message, context.now),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      return { kind: 'retry', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
    const text = await response.text().catch(() => '');
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    const code = isRecord(answer)
      ? typeof answer.code === 'number'
        ? answer.code
        : typeof answer.StatusCode === 'number'
          ? answer.StatusCode
          : undefined
      : undefined;
    const msg = isRecord(answer) ? String(answer.msg ?? answer.StatusMessage ?? '') : '';
    if (code !== undefined && code !== 0) {
      const error = `feishu ${code}: ${msg}`;
      if (RATE_LIMIT_CODES.has(code))
        return { kind: 'retry', error, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), context.now) ?? RATE_LIMIT_RETRY_MS };
      if (response.status >= 500) return { kind: 'retry', error };
      return { kind: 'failed', error };
    }
    if (response.status === 429 || response.status === 408 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.now);
      return { kind: 'retry', error: `feishu: HTTP ${response.status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    if (response.status < 200 || response.status >= 300)
      return { kind: 'failed', error: `feishu: HTTP ${response.status}${text === '' ? '' : `: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`}` };
    if (code === undefined)
      return { kind: 'failed', error: `feishu: unexpected answer${text === '' ? '' : `: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`}` };
    return { kind: 'sent' };
  },
};
