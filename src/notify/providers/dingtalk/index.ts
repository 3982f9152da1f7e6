/**
 * DingTalk custom robot in a group chat (SPEC §8.2). Docs: docs/notifications/dingtalk.md.
 *
 * Wire contract — `POST https://oapi.dingtalk.com/robot/send?access_token=<token>` and, with a secret,
 * `&timestamp=<Unix ms>&sign=<urlencoded base64 HMAC-SHA256 keyed by the secret over
 * timestamp + "\n" + secret>` (DingTalk's scheme: key and message the other way round from Feishu's;
 * DingTalk refuses timestamps more than an hour off). `Content-Type: application/json`, body:
 *   markdown:   {"msgtype":"markdown","markdown":{"title":…,"text":…},"at":{"atMobiles":[…],"isAtAll":false}}
 *   actionCard: {"msgtype":"actionCard","actionCard":{"title":…,"text":…,"btnOrientation":"1","btns":[{"title":…,"actionURL":…}]}}
 * The text is the rendered template (`content.text`, our markdown is DingTalk's markdown); blank lines
 * separate lines, since DingTalk joins single newlines. `@<mobile>` is appended for each mobile in
 * `at_mobiles` (DingTalk only pings mobiles named in the text as well as in `at.atMobiles`; actionCards
 * cannot @ anyone). Acknowledged / resolved follow-ups are a short markdown note. Bundles and
 * verification codes are markdown with the rendered text.
 *
 * Filters per robot as for Feishu: `min_severity` and triggered / acknowledged / resolved toggles; a
 * filtered message reports `{kind: 'sent', providerMessageId: 'filtered'}` without a request.
 *
 * Outcome: DingTalk answers HTTP 200 `{"errcode":0,"errmsg":"ok"}`. errcode 130101 (send too fast,
 * more than 20 a minute), 410100 (flow control) and -1 (system busy), HTTP 429 / 5xx, network errors →
 * retry; any other errcode → failed as `dingtalk <errcode>: <errmsg>` (310000 sign not match / invalid
 * timestamp / keywords not in content / ip not in whitelist, 300001 token is not exist…).
 */
import { createHmac } from 'node:crypto';
import { LANGUAGE_FIELD, severityWord, wordsFor } from '../../message-words.js';
import type { FieldError } from '../../../core/errors.js';
import type { IncidentView, MessageLocale, OutboundMessage, Provider, SendContext, SendResult, Severity } from '../../provider.js';
import { neutralizeMarkdown } from '../../../core/markdown.js';
import { parseRetryAfter } from '../../../core/retry-after.js';

export type DingTalkMessageType = 'markdown' | 'actionCard';

export interface DingTalkSettings {
  readonly webhookUrl: string;
  readonly secret?: string;
  readonly messageType: DingTalkMessageType;
  readonly atMobiles: readonly string[];
  readonly minSeverity: Severity;
  readonly notifyTriggered: boolean;
  readonly notifyAcknowledged: boolean;
  readonly notifyResolved: boolean;
}

export const FILTERED = 'filtered';
const TIMEOUT_MS = 10_000;
const USER_AGENT = 'Tocsin-DingTalk/1';
/** DingTalk mutes a robot for a while after 20 messages in a minute. */
const RATE_LIMIT_CODES = new Set([130101, 410100]);
const RATE_LIMIT_RETRY_MS = 60_000;
const BUSY_CODE = -1;
const MOBILE = /^\+?[0-9][0-9-]{4,19}$/;
const MAX_MOBILES = 20;
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { Info: 0, Warning: 1, Critical: 2 };

// ---------------------------------------------------------------------------------------------------
// Signature, filters, body

/** DingTalk's `sign` before URL encoding: base64 HMAC-SHA256 keyed by the secret over `timestamp\nsecret`. */
export function dingtalkSign(secret: string, timestamp: string | number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The URL to POST to at `now` (ms): the webhook URL plus `timestamp` and URL-encoded `sign` with a secret. */
export function signedUrl(settings: DingTalkSettings, now: number): string {
  if (settings.secret === undefined) return settings.webhookUrl;
  const timestamp = String(now);
  const separator = settings.webhookUrl.includes('?') ? '&' : '?';
  return `${settings.webhookUrl}${separator}timestamp=${timestamp}&sign=${encodeURIComponent(dingtalkSign(settings.secret, timestamp))}`;
}

/** Whether the robot's filters let `message` through (test messages and verification codes always pass). */
export function passesFilters(settings: DingTalkSettings, message: OutboundMessage): boolean {
  if (message.kind === 'verification' || message.kind === 'test') return true;
  const severityOk = (incident: IncidentView): boolean => SEVERITY_RANK[incident.severity] >= SEVERITY_RANK[settings.minSeverity];
  if (message.kind === 'bundle') return message.bundle.some(severityOk);
  if (!severityOk(message.incident)) return false;
  if (message.kind === 'acknowledged') return settings.notifyAcknowledged;
  if (message.kind === 'resolved') return settings.notifyResolved;
  return settings.notifyTriggered;
}

/** DingTalk's markdown joins single newlines; a blank line between lines keeps them apart. */
export function spaceLines(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n\n');
}

type Json = Record<string, unknown>;

/** `[Critical] #42 Disk full` in the message's language. */
export function headline(incident: IncidentView, test: boolean, locale?: MessageLocale): string {
  return `${test ? `[${wordsFor(locale).test}] ` : ''}[${severityWord(locale, incident.severity)}] #${incident.number} ${incident.title}`;
}

/** The exact JSON body for `message`. */
export function dingtalkBody(settings: DingTalkSettings, message: OutboundMessage): string {
  const mentions = settings.atMobiles.map((m) => `@${m}`).join(' ');
  const markdown = (title: string, text: string): Json => ({
    msgtype: 'markdown',
    markdown: { title, text: mentions === '' ? text : `${text}\n\n${mentions}` },
    at: { atMobiles: [...settings.atMobiles], isAtAll: false },
  });
  const words = wordsFor(message.locale);
  if (message.kind === 'verification') return JSON.stringify(markdown(`Tocsin ${words.kind.verification}`, spaceLines(message.content.text)));
  if (message.kind === 'bundle') return JSON.stringify(markdown(words.incidents(message.bundle.length), spaceLines(message.content.text)));
  const incident = message.incident;
  const title = headline(incident, message.kind === 'test', message.locale);
  if (message.kind === 'acknowledged' || message.kind === 'resolved') {
    const note = message.kind === 'acknowledged' ? words.acknowledged : words.resolved;
    const by = incident.assignees && incident.assignees.length > 0 ? ` · ${incident.assignees.join(', ')}` : '';
    const links = [`[${message.locale === 'zh-CN' ? '查看' : 'Open'}](${incident.url})`];
    if (message.kind === 'acknowledged' && incident.resolveUrl) links.push(`[${words.resolve}](${incident.resolveUrl})`);
    // Alert-derived text must not bring its own links or images into the group (core/markdown.ts).
    const safeTitle = headline({ ...incident, title: neutralizeMarkdown(incident.title) }, false, message.locale);
    const text = `**${note}: ${safeTitle}**\n\n${neutralizeMarkdown(`${incident.channelName}${by}`)}\n\n${links.join(' · ')}`;
    return JSON.stringify(markdown(`${note}: ${title}`, text));
  }
  const text = spaceLines(message.content.text);
  if (settings.messageType === 'markdown') return JSON.stringify(markdown(title, text));
  const btns: Json[] = [];
  if (incident.ackUrl) btns.push({ title: words.acknowledge, actionURL: incident.ackUrl });
  if (incident.resolveUrl) btns.push({ title: words.resolve, actionURL: incident.resolveUrl });
  btns.push({ title: words.open, actionURL: incident.url });
  return JSON.stringify({ msgtype: 'actionCard', actionCard: { title, text, btnOrientation: '1', btns } });
}

// ---------------------------------------------------------------------------------------------------
// The provider

/** Mobiles from a comma / space separated list, and the entries that are not mobiles. */
export function parseMobiles(text: string): { mobiles: string[]; invalid: string[] } {
  const entries = text.split(/[\s,;]+/).filter((e) => e !== '');
  return { mobiles: [...new Set(entries.filter((e) => MOBILE.test(e)))], invalid: entries.filter((e) => !MOBILE.test(e)) };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Whether `value` is a robot webhook URL: `…/robot/send?access_token=<token>` (any http(s) host, for fakes). */
export function isRobotUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  const token = url.searchParams.get('access_token');
  return (
    url.pathname === '/robot/send' &&
    token !== null &&
    /^[A-Za-z0-9_-]{8,128}$/.test(token) &&
    !url.searchParams.has('timestamp') &&
    !url.searchParams.has('sign')
  );
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function snippet(text: string): string {
  const short = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return short === '' ? '' : `: ${short}`;
}

export const dingtalkProvider: Provider<DingTalkSettings> = {
  id: 'dingtalk',
  label: 'DingTalk robot',
  methods: ['webhook'],
  fields: [
    { name: 'webhook_url', label: 'Webhook URL', type: 'url', secret: true, required: true, max: 2048, help: 'https://oapi.dingtalk.com/robot/send?access_token=…' },
    { name: 'secret', label: 'Signing secret', type: 'secret', max: 256, help: 'The robot\'s "Additional signature" secret (SEC…)' },
    {
      name: 'message_type',
      label: 'Message type',
      type: 'select',
      options: ['markdown', 'actionCard'],
      default: 'markdown',
      help: 'actionCard adds Acknowledge / Resolve buttons but cannot @ people',
    },
    { name: 'at_mobiles', label: 'Mobiles to @', type: 'string', max: 1000, help: 'Comma-separated mobile numbers of group members (markdown only)' },
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
    const errors: FieldError[] = [];
    const url = typeof raw.webhook_url === 'string' ? raw.webhook_url : '';
    if (!isRobotUrl(url))
      errors.push({ field: 'settings.webhook_url', message: 'must be a robot webhook URL …/robot/send?access_token=<token> (without timestamp or sign)' });
    if (typeof raw.at_mobiles === 'string') {
      const { mobiles, invalid } = parseMobiles(raw.at_mobiles);
      if (invalid.length > 0) errors.push({ field: 'settings.at_mobiles', message: `not mobile numbers: ${invalid.join(', ')}` });
      if (mobiles.length > MAX_MOBILES) errors.push({ field: 'settings.at_mobiles', message: `at most ${MAX_MOBILES} mobiles` });
    }
    return errors;
  },

  parseSettings(raw): DingTalkSettings {
    const secret = typeof raw.secret === 'string' && raw.secret !== '' ? raw.secret : undefined;
    const min = raw.min_severity;
    return {
      webhookUrl: typeof raw.webhook_url === 'string' ? raw.webhook_url : '',
      ...(secret !== undefined ? { secret } : {}),
      messageType: raw.message_type === 'actionCard' ? 'actionCard' : 'markdown',
      atMobiles: typeof raw.at_mobiles === 'string' ? parseMobiles(raw.at_mobiles).mobiles : [],
      minSeverity: min === 'Warning' || min === 'Critical' ? min : 'Info',
      notifyTriggered: raw.notify_triggered !== false,
      notifyAcknowledged: raw.notify_acknowledged !== false,
      notifyResolved: raw.notify_resolved !== false,
    };
  },

  async send(settings, message, context: SendContext): Promise<SendResult> {
    if (!passesFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    if (!isRobotUrl(settings.webhookUrl)) return { kind: 'failed', error: 'the DingTalk webhook URL must be http(s)://…/robot/send?access_token=<token>' };
    let response: Response;
    try {
      response = await context.fetch(signedUrl(settings, context.now), {
        method: 'POST',
        headers: [
          ['Content-Type', 'application/json'],
          ['User-Agent', USER_AGENT],
        ],
        body: dingtalkBody(settings, message),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      return { kind: 'retry', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
    const text = await response.text().catch(() => '');
    if (response.status === 429 || response.status === 408 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.now);
      return { kind: 'retry', error: `dingtalk: HTTP ${response.status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    if (response.status < 200 || response.status >= 300) return { kind: 'failed', error: `dingtalk: HTTP ${response.status}${snippet(text)}` };
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (!isRecord(answer) || typeof answer.errcode !== 'number') return { kind: 'failed', error: `dingtalk: unexpected answer${snippet(text)}` };
    if (answer.errcode === 0) return { kind: 'sent' };
    const error = `dingtalk ${answer.errcode}: ${typeof answer.errmsg === 'string' ? answer.errmsg : ''}`;
    if (RATE_LIMIT_CODES.has(answer.errcode)) return { kind: 'retry', error, retryAfterMs: RATE_LIMIT_RETRY_MS };
    if (answer.errcode === BUSY_CODE) return { kind: 'retry', error };
    return { kind: 'failed', error };
  },
};
