/**
 * Discord channel webhook (SPEC §8.2). Docs: docs/notifications/discord.md.
 *
 * Wire contract — `POST <webhook_url>?wait=true` (`https://discord.com/api/webhooks/<id>/<token>`),
 * `Content-Type: application/json`, body:
 *   {"content":"<@user> <@&role>", "allowed_mentions":{"parse":[],"users":[…],"roles":[…]},
 *    "embeds":[{"title","url","description","color","fields":[{name,value,inline}],"footer":{"text"}}]}
 * `wait=true` makes Discord answer 200 with the message object, whose `id` we keep: on acknowledge and
 * resolve the message is edited in place (`PATCH <webhook_url>/messages/<id>`, `update`) to the new
 * state's colour, and its mentions are dropped. `allowed_mentions.parse: []` means only the configured
 * users and roles are ever pinged — never `@everyone` from an alert's title.
 *
 * The embed: the headline as title linking to the incident, the rendered template (`content.text`,
 * Discord markdown, with the signed Acknowledge / Resolve links) as description, the severity colour,
 * channel / status / alerts as fields. Discord's limits: title 256, description 4096, field value 1024,
 * content 2000, 6000 characters per message in all embeds.
 *
 * Outcome: 200/204 → sent. 429 (body `retry_after` seconds, header Retry-After) and 5xx → retry at the
 * time Discord asked; 401/403/404 (`Invalid Webhook Token`, `Unknown Webhook`) and 400 (`Invalid Form
 * Body`) → failed as `discord <code>: <message>`.
 */
import { statusWord, wordsFor } from '../../message-words.js';
import type { FieldError } from '../../../core/errors.js';
import {
  CHAT_FILTER_FIELDS,
  FILTERED,
  callVendor,
  clip,
  headline,
  isHttpUrl,
  isRecord,
  parseChatFilters,
  passesChatFilters,
  snippet,
  splitList,
  transientHttp,
  type ChatFilters,
  type VendorAnswer,
} from '../../provider-kit.js';
import type { IncidentView, OutboundMessage, Provider, SendContext, SendResult, Severity } from '../../provider.js';

export interface DiscordSettings extends ChatFilters {
  readonly webhookUrl: string;
  readonly username?: string;
  readonly mentionUserIds: readonly string[];
  readonly mentionRoleIds: readonly string[];
}

const USER_AGENT = 'Tocsin-Discord/1 (https://github.com/tocsin, 1)';
const HOOK_PATH = /^\/api(\/v\d+)?\/webhooks\/\d{5,25}\/[A-Za-z0-9_-]{20,100}$/;
const SNOWFLAKE = /^\d{5,25}$/;
export const SEVERITY_COLORS: Readonly<Record<Severity, number>> = { Critical: 0xe03131, Warning: 0xf08c00, Info: 0x1c7ed6 };
export const ACKNOWLEDGED_COLOR = 0xfab005;
export const RESOLVED_COLOR = 0x2f9e44;
const DESCRIPTION_MAX = 4096;
const TITLE_MAX = 256;
const FIELD_MAX = 1024;

/** Whether `value` is a channel webhook URL (any http(s) host, so tests can use a fake). */
export function isWebhookUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  return HOOK_PATH.test(url.pathname) && url.search === '';
}

type Json = Record<string, unknown>;

function colorOf(message: OutboundMessage, incident: IncidentView): number {
  if (message.kind === 'acknowledged') return ACKNOWLEDGED_COLOR;
  if (message.kind === 'resolved' || incident.status.toLowerCase() === 'closed') return RESOLVED_COLOR;
  return SEVERITY_COLORS[incident.severity];
}

/** The embed of an incident message. */
export function incidentEmbed(message: OutboundMessage & { incident: IncidentView }): Json {
  const { incident, locale } = message;
  const words = wordsFor(locale);
  return {
    title: clip(headline(incident, message.kind === 'test', locale), TITLE_MAX),
    url: incident.url,
    description: clip(message.content.text, DESCRIPTION_MAX),
    color: colorOf(message, incident),
    fields: [
      { name: words.channel, value: clip(incident.channelName || '—', FIELD_MAX), inline: true },
      { name: words.statusLabel, value: locale === 'zh-CN' ? statusWord(locale, incident.status) : incident.status, inline: true },
      { name: words.alerts, value: String(incident.alertCount), inline: true },
    ],
    footer: { text: 'Tocsin' },
  };
}

/** The exact JSON body for `message` (also the PATCH body of an edit, without mentions). */
export function discordBody(settings: DiscordSettings, message: OutboundMessage, edit = false): string {
  const body: Json = {};
  if (settings.username !== undefined && !edit) body.username = settings.username;
  const pings = message.kind === 'trigger' || message.kind === 'repeat' || message.kind === 'escalated' || message.kind === 'test' || message.kind === 'bundle';
  const mentions = [...settings.mentionUserIds.map((id) => `<@${id}>`), ...settings.mentionRoleIds.map((id) => `<@&${id}>`)].join(' ');
  if (message.kind === 'verification') body.content = clip(message.content.text, 2000);
  else body.content = pings && !edit ? mentions : '';
  body.allowed_mentions = { parse: [], users: edit ? [] : [...settings.mentionUserIds], roles: edit ? [] : [...settings.mentionRoleIds] };
  if (message.kind === 'bundle') {
    const worst = message.bundle.reduce<Severity>((w, i) => (rank(i.severity) > rank(w) ? i.severity : w), 'Info');
    body.embeds = [{ title: wordsFor(message.locale).incidents(message.bundle.length), description: clip(message.content.text, DESCRIPTION_MAX), color: SEVERITY_COLORS[worst], footer: { text: 'Tocsin' } }];
  } else if (message.kind !== 'verification') {
    body.embeds = [incidentEmbed(message)];
  }
  return JSON.stringify(body);
}

function rank(severity: Severity): number {
  return severity === 'Critical' ? 2 : severity === 'Warning' ? 1 : 0;
}

function outcome(answer: VendorAnswer, now: number): SendResult {
  if (answer.status === 429) {
    // Discord gives the wait in the body (seconds, fractional) and in Retry-After; the body is precise.
    const seconds = isRecord(answer.json) && typeof answer.json.retry_after === 'number' ? answer.json.retry_after : undefined;
    return transientHttp('discord', answer, now, seconds !== undefined ? Math.ceil(seconds * 1000) : undefined) ?? { kind: 'retry', error: 'discord: HTTP 429' };
  }
  const transient = transientHttp('discord', answer, now);
  if (transient) return transient;
  if (answer.status >= 200 && answer.status < 300) {
    const id = isRecord(answer.json) && typeof answer.json.id === 'string' ? answer.json.id : undefined;
    return { kind: 'sent', ...(id !== undefined ? { providerMessageId: id } : {}) };
  }
  if (isRecord(answer.json) && typeof answer.json.message === 'string')
    return { kind: 'failed', error: `discord ${typeof answer.json.code === 'number' ? answer.json.code : answer.status}: ${answer.json.message}` };
  return { kind: 'failed', error: `discord: HTTP ${answer.status}${snippet(answer.text)}` };
}

const HEADERS: [string, string][] = [
  ['Content-Type', 'application/json'],
  ['User-Agent', USER_AGENT],
];

export const discordProvider: Provider<DiscordSettings> = {
  id: 'discord',
  label: 'Discord webhook',
  methods: ['webhook'],
  maxTextLength: DESCRIPTION_MAX,
  fields: [
    { name: 'webhook_url', label: 'Webhook URL', type: 'secret', required: true, max: 2048, help: 'https://discord.com/api/webhooks/<id>/<token> (the token is the credential)' },
    { name: 'username', label: 'Display name', type: 'string', max: 80, help: 'Overrides the webhook’s name (optional)' },
    { name: 'mention_user_ids', label: 'User ids to @', type: 'string', max: 1000, help: 'Comma-separated Discord user ids (Developer Mode → Copy User ID)' },
    { name: 'mention_role_ids', label: 'Role ids to @', type: 'string', max: 1000, help: 'Comma-separated Discord role ids' },
    ...CHAT_FILTER_FIELDS,
  ],

  checkSettings(raw): FieldError[] {
    const errors: FieldError[] = [];
    if (!isWebhookUrl(typeof raw.webhook_url === 'string' ? raw.webhook_url : ''))
      errors.push({ field: 'settings.webhook_url', message: 'must be a Discord webhook URL …/api/webhooks/<id>/<token> without a query' });
    for (const name of ['mention_user_ids', 'mention_role_ids']) {
      const bad = splitList(raw[name]).filter((id) => !SNOWFLAKE.test(id));
      if (bad.length > 0) errors.push({ field: `settings.${name}`, message: `not Discord ids (digits): ${bad.join(', ')}` });
    }
    return errors;
  },

  parseSettings(raw): DiscordSettings {
    const username = typeof raw.username === 'string' && raw.username !== '' ? raw.username : undefined;
    return {
      webhookUrl: typeof raw.webhook_url === 'string' ? raw.webhook_url : '',
      ...(username !== undefined ? { username } : {}),
      mentionUserIds: splitList(raw.mention_user_ids),
      mentionRoleIds: splitList(raw.mention_role_ids),
      ...parseChatFilters(raw),
    };
  },

  async send(settings, message, context: SendContext): Promise<SendResult> {
    if (!passesChatFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    if (!isWebhookUrl(settings.webhookUrl)) return { kind: 'failed', error: 'the Discord webhook URL must be http(s)://…/api/webhooks/<id>/<token>' };
    const answer = await callVendor(context, `${settings.webhookUrl}?wait=true`, { headers: HEADERS, body: discordBody(settings, message) });
    return 'kind' in answer ? answer : outcome(answer, context.now);
  },

  async update(settings, providerMessageId, message, context): Promise<SendResult> {
    if (providerMessageId === FILTERED || !SNOWFLAKE.test(providerMessageId)) return { kind: 'failed', error: 'no Discord message to edit' };
    if (!passesChatFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    const answer = await callVendor(context, `${settings.webhookUrl}/messages/${providerMessageId}`, { method: 'PATCH', headers: HEADERS, body: discordBody(settings, message, true) });
    return 'kind' in answer ? answer : outcome(answer, context.now);
  },
};
