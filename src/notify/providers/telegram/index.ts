/**
 * Telegram bot in a group, supergroup or channel (SPEC §8.2). Docs: docs/notifications/telegram.md.
 *
 * Wire contract (Bot API) — `POST <api_base>/bot<token>/sendMessage`, `Content-Type: application/json`:
 *   {"chat_id":…, "text":"<HTML>", "parse_mode":"HTML", "link_preview_options":{"is_disabled":true},
 *    "reply_markup":{"inline_keyboard":[[{"text":"Acknowledge","callback_data":"ack:<incident id>"},
 *                                         {"text":"Resolve","callback_data":"resolve:<incident id>"}],
 *                                        [{"text":"Open in Tocsin","url":…}]]}}
 * The text is the rendered template (`content.text`, our markdown) turned into Telegram's HTML subset
 * (`<b>`, `<code>`, `<a href>`; everything else escaped), at most 4096 characters. The answer
 * `{"ok":true,"result":{"message_id":…,"chat":{"id":…}}}` gives `<chat id>:<message id>`, kept so that
 * acknowledge / resolve edit the message in place (`editMessageText`, `update`): the buttons that no
 * longer apply disappear.
 *
 * Buttons: with a `webhook_secret` the buttons call back — Telegram posts an Update to
 * `{TOCSIN_PUBLIC_URL}/callbacks/telegram/<config id>/webhook` (registered with `setWebhook` and that
 * `secret_token`) carrying `X-Telegram-Bot-Api-Secret-Token`; `verifySignature` compares it in constant
 * time. `parseCallback` maps the pressing Telegram user (id or @username) to a person's email through
 * `user_map`, asks for the action, and answers the callback query in the webhook response itself
 * (`{"method":"answerCallbackQuery",…}`, which the Bot API accepts as a reply to an update). Without a
 * webhook secret the buttons open the signed Acknowledge / Resolve links instead.
 *
 * Outcome: `ok: true` → sent. 429 (`parameters.retry_after` seconds) and 5xx → retry; other errors
 * (400 chat not found, 401 Unauthorized, 403 bot was kicked…) → failed as `telegram <code>: <description>`.
 * Editing a message to what it already says ("message is not modified") counts as done.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FieldError } from '../../../core/errors.js';
import {
  CHAT_FILTER_FIELDS,
  FILTERED,
  callVendor,
  clip,
  isRecord,
  parseChatFilters,
  passesChatFilters,
  snippet,
  transientHttp,
  type ChatFilters,
  type VendorAnswer,
} from '../../provider-kit.js';
import type { CallbackResult, InboundAction, InboundRequest, MessageLocale, OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';
import { wordsFor } from '../../message-words.js';

export interface TelegramSettings extends ChatFilters {
  readonly botToken: string;
  readonly chatId: string;
  readonly webhookSecret?: string;
  /** Telegram user id or lower-case `@username` → the person's email. */
  readonly userMap: ReadonlyMap<string, string>;
  readonly apiBase: string;
  /** The bot's @username without the @, for the personal center's `t.me/<bot>?start=<token>` link. */
  readonly botUsername?: string;
}

export const TELEGRAM_TEXT_MAX = 4096;
const TOKEN = /^\d{5,15}:[A-Za-z0-9_-]{30,50}$/;
const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;
const SECRET_TOKEN = /^[A-Za-z0-9_-]{16,256}$/;
const MAP_LINE = /^(\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})\s*[=:]\s*([^\s@]+@[^\s@]+)$/;
const CALLBACK_DATA = /^(ack|resolve):([0-9A-Za-z-]{1,58})$/;
const BOT_USERNAME = /^@?[A-Za-z][A-Za-z0-9_]{1,29}[Bb][Oo][Tt]$/;
const START = /^\/start(?:@[A-Za-z0-9_]+)?\s+([A-Za-z0-9_-]{16,64})$/;

// ---------------------------------------------------------------------------------------------------
// Text

/** Escapes text for Telegram's HTML parse mode (only `<`, `>`, `&` and, in attributes, `"`). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Our template markdown (`**bold**`, `` `code` ``, `[text](url)`) as Telegram HTML; everything else is
 * escaped, so an alert's title can never inject markup.
 */
export function markdownToTelegramHtml(markdown: string): string {
  const out: string[] = [];
  const pattern = /\*\*([^*\n]+)\*\*|`([^`\n]+)`|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;
  let last = 0;
  for (const match of markdown.matchAll(pattern)) {
    out.push(escapeTelegramHtml(markdown.slice(last, match.index)));
    if (match[1] !== undefined) out.push(`<b>${escapeTelegramHtml(match[1])}</b>`);
    else if (match[2] !== undefined) out.push(`<code>${escapeTelegramHtml(match[2])}</code>`);
    else out.push(`<a href="${escapeTelegramHtml(match[4] ?? '')}">${escapeTelegramHtml(match[3] ?? '')}</a>`);
    last = match.index + match[0].length;
  }
  out.push(escapeTelegramHtml(markdown.slice(last)));
  return out.join('');
}

type Json = Record<string, unknown>;

/** The inline keyboard for `message`, or undefined when it has no buttons. */
export function keyboard(settings: TelegramSettings, message: OutboundMessage): Json | undefined {
  if (message.kind === 'bundle' || message.kind === 'verification') return undefined;
  const { incident } = message;
  const words = wordsFor(message.locale);
  const actions: Json[] = [];
  const callbacks = settings.webhookSecret !== undefined;
  if (message.kind !== 'resolved') {
    if (message.kind !== 'acknowledged') {
      if (callbacks) actions.push({ text: words.acknowledge, callback_data: `ack:${incident.id}` });
      else if (incident.ackUrl) actions.push({ text: words.acknowledge, url: incident.ackUrl });
    }
    if (callbacks) actions.push({ text: words.resolve, callback_data: `resolve:${incident.id}` });
    else if (incident.resolveUrl) actions.push({ text: words.resolve, url: incident.resolveUrl });
  }
  const rows: Json[][] = actions.length > 0 ? [actions] : [];
  rows.push([{ text: words.open, url: incident.url }]);
  return { inline_keyboard: rows };
}

/** The HTML text of `message`: a state line on acknowledged / resolved, then the rendered template. */
export function telegramText(message: OutboundMessage): string {
  let markdown = message.content.text;
  if (message.kind === 'acknowledged' || message.kind === 'resolved') {
    const words = wordsFor(message.locale);
    const by = message.incident.assignees && message.incident.assignees.length > 0 ? words.by(message.incident.assignees.join(', ')) : '';
    markdown = `${message.kind === 'acknowledged' ? `✅ ${words.acknowledged}` : `☑️ ${words.resolved}`}${by}\n${markdown}`;
  }
  // The limit counts the text after entity parsing: clip the markdown, whose visible length is larger.
  return markdownToTelegramHtml(clip(markdown, TELEGRAM_TEXT_MAX - 100));
}

/** The exact JSON body of `sendMessage`. */
export function sendMessageBody(settings: TelegramSettings, message: OutboundMessage): string {
  const markup = keyboard(settings, message);
  // A person's DM goes to the private chat they linked; everything else to the configured group.
  const chatId = message.recipient.kind === 'person' ? message.recipient.address : settings.chatId;
  return JSON.stringify({
    chat_id: /^-?\d+$/.test(chatId) && message.recipient.kind === 'person' ? Number(chatId) : chatId,
    text: telegramText(message),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(markup ? { reply_markup: markup } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------
// Wire

function outcome(answer: VendorAnswer, now: number, editing: boolean): SendResult {
  const body = isRecord(answer.json) ? answer.json : undefined;
  if (body?.ok === true) {
    const result = isRecord(body.result) ? body.result : undefined;
    const chat = result && isRecord(result.chat) ? result.chat : undefined;
    const id = result && typeof result.message_id === 'number' && chat && (typeof chat.id === 'number' || typeof chat.id === 'string') ? `${String(chat.id)}:${result.message_id}` : undefined;
    return { kind: 'sent', ...(id !== undefined ? { providerMessageId: id } : {}) };
  }
  const description = typeof body?.description === 'string' ? body.description : '';
  if (editing && answer.status === 400 && description.includes('message is not modified')) return { kind: 'sent' };
  if (answer.status === 429) {
    const parameters = body && isRecord(body.parameters) ? body.parameters : undefined;
    const seconds = typeof parameters?.retry_after === 'number' ? parameters.retry_after : undefined;
    return { kind: 'retry', error: `telegram 429: ${description}`, retryAfterMs: seconds !== undefined ? seconds * 1000 : 30_000 };
  }
  const transient = transientHttp('telegram', answer, now);
  if (transient) return transient;
  if (body && typeof body.error_code === 'number') return { kind: 'failed', error: `telegram ${body.error_code}: ${description}` };
  return { kind: 'failed', error: `telegram: HTTP ${answer.status}${snippet(answer.text)}` };
}

async function call(settings: TelegramSettings, method: string, body: string, context: SendContext): Promise<VendorAnswer | SendResult> {
  return callVendor(context, `${settings.apiBase}/bot${settings.botToken}/${method}`, {
    headers: [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-Telegram/1'],
    ],
    body,
  });
}

/** Parses `user_map` lines `<telegram user id or @username> = <email>`. */
export function parseUserMap(text: unknown): { map: Map<string, string>; invalid: string[] } {
  const map = new Map<string, string>();
  const invalid: string[] = [];
  if (typeof text !== 'string') return { map, invalid };
  for (const line of text.split(/\n|,/).map((l) => l.trim()).filter((l) => l !== '')) {
    const match = MAP_LINE.exec(line);
    if (!match) invalid.push(line);
    else map.set((match[1] ?? '').toLowerCase(), (match[2] ?? '').toLowerCase());
  }
  return { map, invalid };
}

function sameSecret(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function answerCallback(id: string, text: string): CallbackResult['response'] {
  return { status: 200, contentType: 'application/json', body: JSON.stringify({ method: 'answerCallbackQuery', callback_query_id: id, text }) };
}

/** `/start <token>` sent in a private chat: the person opened the bot from their deep link. */
function startCommand(update: unknown): InboundAction | undefined {
  const message = isRecord(update) && isRecord(update.message) ? update.message : undefined;
  const chat = message && isRecord(message.chat) ? message.chat : undefined;
  const match = message && typeof message.text === 'string' ? START.exec(message.text.trim()) : null;
  if (!message || !chat || chat.type !== 'private' || !match || (typeof chat.id !== 'number' && typeof chat.id !== 'string')) return undefined;
  const chatId = String(chat.id);
  const from = isRecord(message.from) ? message.from : {};
  const displayName = typeof from.username === 'string' ? `@${from.username}` : typeof from.first_name === 'string' ? from.first_name : undefined;
  return {
    kind: 'link_chat',
    token: match[1] ?? '',
    externalId: chatId,
    ...(displayName !== undefined ? { displayName } : {}),
    // Answered in the webhook response itself, like answerCallbackQuery.
    reply: ({ linked, personName, locale }) => ({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ method: 'sendMessage', chat_id: Number.isNaN(Number(chatId)) ? chatId : Number(chatId), text: linkReply(linked, personName, locale) }),
    }),
  };
}

/** What the bot says after `/start <token>`. */
export function linkReply(linked: boolean, personName: string | undefined, locale: MessageLocale | undefined): string {
  if (locale === 'zh-CN')
    return linked ? `已关联 ${personName ?? ''} 的 Tocsin 账号。故障通知将以私聊方式发送到这里，可直接点击按钮认领或解决。` : '此链接无效或已过期，请在 Tocsin 个人中心重新生成。';
  return linked
    ? `Linked to ${personName ?? 'your'} Tocsin account. Incident notifications will arrive in this chat, with buttons to acknowledge and resolve.`
    : 'This link is invalid or has expired: make a new one in your Tocsin personal center.';
}

export const telegramProvider: Provider<TelegramSettings> = {
  id: 'telegram',
  label: 'Telegram bot',
  methods: ['webhook', 'im'],
  personAddress: 'linked_chat',
  maxTextLength: TELEGRAM_TEXT_MAX,
  fields: [
    { name: 'bot_token', label: 'Bot token', type: 'secret', required: true, pattern: TOKEN.source.slice(1, -1), help: 'From @BotFather: 123456789:AA…' },
    { name: 'chat_id', label: 'Chat id', type: 'string', required: true, pattern: CHAT_ID.source.slice(1, -1), help: 'Group / supergroup id (-100…) or @channelname' },
    {
      name: 'webhook_secret',
      label: 'Webhook secret token',
      type: 'secret',
      pattern: SECRET_TOKEN.source.slice(1, -1),
      help: 'Enables Acknowledge / Resolve buttons: the secret_token you pass to setWebhook (16–256 of A–Z a–z 0–9 _ -)',
    },
    {
      name: 'user_map',
      label: 'Telegram users',
      type: 'string',
      multiline: true,
      max: 10_000,
      help: 'One per line: <Telegram user id or @username> = <Tocsin email>; only these people can press buttons',
    },
    {
      name: 'bot_username',
      label: 'Bot username',
      type: 'string',
      pattern: BOT_USERNAME.source.slice(1, -1),
      help: 'Enables direct messages: people link their chat by starting @<bot username> from their personal center (needs the webhook secret)',
    },
    { name: 'api_base', label: 'Bot API base URL', type: 'url', default: 'https://api.telegram.org', help: 'Change only for a self-hosted Bot API server' },
    ...CHAT_FILTER_FIELDS,
  ],

  checkSettings(raw): FieldError[] {
    const { invalid } = parseUserMap(raw.user_map);
    return invalid.length > 0 ? [{ field: 'settings.user_map', message: `lines must be "<user id or @username> = <email>": ${invalid.slice(0, 3).join('; ')}` }] : [];
  },

  parseSettings(raw): TelegramSettings {
    const secret = typeof raw.webhook_secret === 'string' && raw.webhook_secret !== '' ? raw.webhook_secret : undefined;
    return {
      botToken: typeof raw.bot_token === 'string' ? raw.bot_token : '',
      chatId: typeof raw.chat_id === 'string' ? raw.chat_id : '',
      ...(secret !== undefined ? { webhookSecret: secret } : {}),
      userMap: parseUserMap(raw.user_map).map,
      ...(typeof raw.bot_username === 'string' && raw.bot_username !== '' ? { botUsername: raw.bot_username.replace(/^@/, '') } : {}),
      apiBase: (typeof raw.api_base === 'string' ? raw.api_base : 'https://api.telegram.org').replace(/\/+$/, ''),
      ...parseChatFilters(raw),
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    // A person's own DM follows their preferences, not the group's filters.
    if (message.recipient.kind !== 'person' && !passesChatFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    const answer = await call(settings, 'sendMessage', sendMessageBody(settings, message), context);
    return 'kind' in answer ? answer : outcome(answer, context.now, false);
  },

  async update(settings, providerMessageId, message, context): Promise<SendResult> {
    const match = /^(-?\d+|@\w+):(\d+)$/.exec(providerMessageId);
    if (!match) return { kind: 'failed', error: 'no Telegram message to edit' };
    if (message.recipient.kind !== 'person' && !passesChatFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    const markup = keyboard(settings, message);
    const body = JSON.stringify({
      chat_id: /^-?\d+$/.test(match[1] ?? '') ? Number(match[1]) : match[1],
      message_id: Number(match[2]),
      text: telegramText(message),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(markup ? { reply_markup: markup } : {}),
    });
    const answer = await call(settings, 'editMessageText', body, context);
    return 'kind' in answer ? answer : outcome(answer, context.now, true);
  },

  verifySignature(settings, request: InboundRequest): boolean {
    return settings.webhookSecret !== undefined && sameSecret(settings.webhookSecret, request.headers['x-telegram-bot-api-secret-token']);
  },

  parseCallback(settings, request: InboundRequest): CallbackResult {
    let update: unknown;
    try {
      update = JSON.parse(request.rawBody);
    } catch {
      return { actions: [] };
    }
    // Telegram retries an update until it gets a 2xx: anything we do not act on is still answered 200.
    const linking = startCommand(update);
    if (linking) return { actions: [linking] };
    const query = isRecord(update) && isRecord(update.callback_query) ? update.callback_query : undefined;
    if (!query || typeof query.id !== 'string') return { actions: [], response: { status: 200, contentType: 'application/json', body: '{}' } };
    const data = typeof query.data === 'string' ? CALLBACK_DATA.exec(query.data) : null;
    if (!data) return { actions: [], response: answerCallback(query.id, 'Unknown button') };
    const from = isRecord(query.from) ? query.from : {};
    const userId = typeof from.id === 'number' || typeof from.id === 'string' ? String(from.id) : '';
    const username = typeof from.username === 'string' ? `@${from.username.toLowerCase()}` : undefined;
    const email = settings.userMap.get(userId) ?? (username !== undefined ? settings.userMap.get(username) : undefined);
    // A press in a private chat comes from the person who linked that chat (its id is the user's id).
    const message = isRecord(query.message) ? query.message : {};
    const chat = isRecord(message.chat) ? message.chat : {};
    if (email === undefined && chat.type === 'private' && userId !== '') {
      const action: InboundAction = { kind: data[1] === 'ack' ? 'acknowledge' : 'resolve', incidentId: data[2] ?? '', from: `telegram:${userId}` };
      return { actions: [action], response: answerCallback(query.id, data[1] === 'ack' ? 'Acknowledging…' : 'Resolving…') };
    }
    if (email === undefined) return { actions: [], response: answerCallback(query.id, 'Your Telegram account is not linked to a Tocsin person: ask an admin to add it to the bot’s user list.') };
    const action: InboundAction = { kind: data[1] === 'ack' ? 'acknowledge' : 'resolve', incidentId: data[2] ?? '', from: email };
    return { actions: [action], response: answerCallback(query.id, data[1] === 'ack' ? 'Acknowledging…' : 'Resolving…') };
  },
};

