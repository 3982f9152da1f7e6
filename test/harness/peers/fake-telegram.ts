/**
 * A fake Telegram Bot API on 127.0.0.1 (`POST /bot<token>/<method>`, JSON) that checks requests the way
 * the Bot API does, keeps the chat's messages, and can press inline buttons like a user:
 *   wrong token                           → 401 {"ok":false,"error_code":401,"description":"Unauthorized"}
 *   unknown chat                          → 400 "Bad Request: chat not found"
 *   HTML that does not parse (unknown tag, unbalanced, bad entity)
 *                                         → 400 "Bad Request: can't parse entities: …"
 *   text over 4096 characters after parsing → 400 "Bad Request: message is too long"
 *   callback_data over 64 bytes           → 400 "Bad Request: BUTTON_DATA_INVALID"
 *   editing to the same text and buttons  → 400 "Bad Request: message is not modified: …"
 *   rateLimitNext()                       → 429 "Too Many Requests: retry after 3", parameters.retry_after 3
 */
import { VendorPeer, json, parseObject, type VendorReply, type VendorRequest } from './vendor-peer.js';

export interface TelegramChatMessage {
  readonly messageId: number;
  /** The chat it was sent to (the group, or a private chat). */
  readonly chatId?: number;
  text: string;
  replyMarkup: unknown;
  edits: number;
}

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'a', 'tg-spoiler', 'blockquote']);

/** The visible text of Telegram HTML, or an error like the Bot API's. */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  const stack: string[] = [];
  let text = '';
  const pattern = /<(\/?)([a-z-]+)((?:\s+[a-z]+="[^"]*")*)\s*>|&(lt|gt|amp|quot|#\d+);|([<>&])|([^<>&]+)/g;
  for (const match of html.matchAll(pattern)) {
    if (match[2] !== undefined) {
      if (!TAGS.has(match[2])) return { error: `can't parse entities: Unsupported start tag "${match[2]}"` };
      if (match[1] === '/') {
        if (stack.pop() !== match[2]) return { error: `can't parse entities: Unmatched end tag "${match[2]}"` };
      } else stack.push(match[2]);
    } else if (match[4] !== undefined) text += match[4] === 'lt' ? '<' : match[4] === 'gt' ? '>' : match[4] === 'amp' ? '&' : match[4] === 'quot' ? '"' : '?';
    else if (match[5] !== undefined) return { error: `can't parse entities: Unexpected "${match[5]}"` };
    else text += match[6] ?? '';
  }
  if (stack.length > 0) return { error: `can't parse entities: Can't find end tag corresponding to start tag "${stack[0]}"` };
  return { text };
}

function fail(status: number, description: string, parameters?: Record<string, unknown>): VendorReply {
  return json(status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
}

export class FakeTelegram extends VendorPeer {
  readonly token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
  readonly chatId = -1001234567890;
  readonly messages: TelegramChatMessage[] = [];
  /** Private chats with users who started the bot (their chat id is their user id). */
  readonly privateChats = new Set<number>();
  private nextMessageId = 100;

  /** A user opens `t.me/<bot>?start=<payload>`: Telegram sends `/start <payload>` from their private chat. */
  async startBot(webhookUrl: string, secretToken: string | undefined, user: { userId: number; username?: string; payload: string }): Promise<Response> {
    this.privateChats.add(user.userId);
    const from = { id: user.userId, is_bot: false, first_name: 'Test', ...(user.username ? { username: user.username } : {}) };
    const update = {
      update_id: 600000 + user.userId % 1000,
      message: { message_id: 1, from, chat: { id: user.userId, first_name: 'Test', type: 'private' }, date: 1767603600, text: `/start ${user.payload}`, entities: [{ offset: 0, length: 6, type: 'bot_command' }] },
    };
    return fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secretToken !== undefined ? { 'x-telegram-bot-api-secret-token': secretToken } : {}) },
      body: JSON.stringify(update),
    });
  }

  static async start(): Promise<FakeTelegram> {
    const fake = new FakeTelegram();
    await fake.listen();
    return fake;
  }

  override reset(): void {
    super.reset();
    this.messages.length = 0;
  }

  /** Presses an inline button of a message like Telegram does: posts an Update to the bot's webhook. */
  async pressButton(webhookUrl: string, secretToken: string | undefined, press: { message: TelegramChatMessage; data: string; userId: number; username?: string }): Promise<Response> {
    const update = {
      update_id: 500000 + press.message.messageId,
      callback_query: {
        id: `cq${press.userId}${press.message.messageId}`,
        from: { id: press.userId, is_bot: false, first_name: 'Test', ...(press.username ? { username: press.username } : {}) },
        message: {
          message_id: press.message.messageId,
          chat: press.message.chatId !== undefined && press.message.chatId !== this.chatId ? { id: press.message.chatId, type: 'private' } : { id: this.chatId, type: 'supergroup' },
          date: 1767603600,
          text: press.message.text,
        },
        chat_instance: '-8000000000000000000',
        data: press.data,
      },
    };
    return fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secretToken !== undefined ? { 'x-telegram-bot-api-secret-token': secretToken } : {}) },
      body: JSON.stringify(update),
    });
  }

  protected answer(request: VendorRequest): VendorReply {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.path);
    if (!match) return fail(404, 'Not Found');
    if (match[1] !== this.token) return fail(401, 'Unauthorized');
    const body = parseObject(request.rawBody);
    if (!body || request.headers['content-type'] !== 'application/json') return fail(400, 'Bad Request: message text is empty');
    const method = match[2];
    if (method !== 'sendMessage' && method !== 'editMessageText') return fail(404, 'Not Found: method not found');
    const chatId = Number(body.chat_id);
    if (body.chat_id !== this.chatId && body.chat_id !== String(this.chatId) && !this.privateChats.has(chatId)) return fail(400, 'Bad Request: chat not found');
    if (body.parse_mode !== 'HTML') return fail(400, 'Bad Request: unsupported parse_mode in this fake');
    const parsed = parseTelegramHtml(typeof body.text === 'string' ? body.text : '');
    if ('error' in parsed) return fail(400, `Bad Request: ${parsed.error}`);
    if (parsed.text.trim() === '') return fail(400, 'Bad Request: message text is empty');
    if (parsed.text.length > 4096) return fail(400, 'Bad Request: message is too long');
    const markup = body.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    for (const row of markup?.inline_keyboard ?? []) for (const button of row) if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64) return fail(400, 'Bad Request: BUTTON_DATA_INVALID');
    if (this.takeRateLimit()) return fail(429, 'Too Many Requests: retry after 3', { retry_after: 3 });
    if (method === 'editMessageText') {
      const message = this.messages.find((m) => m.messageId === body.message_id && (m.chatId ?? this.chatId) === chatId);
      if (!message) return fail(400, 'Bad Request: message to edit not found');
      if (message.text === body.text && JSON.stringify(message.replyMarkup) === JSON.stringify(body.reply_markup))
        return fail(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      message.text = String(body.text);
      message.replyMarkup = body.reply_markup;
      message.edits += 1;
      return json(200, { ok: true, result: { message_id: message.messageId, chat: { id: chatId, type: chatId === this.chatId ? 'supergroup' : 'private' }, text: parsed.text, edit_date: 1767603700 } });
    }
    this.nextMessageId += 1;
    const message: TelegramChatMessage = { messageId: this.nextMessageId, chatId, text: String(body.text), replyMarkup: body.reply_markup, edits: 0 };
    this.messages.push(message);
    const chat = chatId === this.chatId ? { id: this.chatId, type: 'supergroup', title: 'SRE' } : { id: chatId, type: 'private', first_name: 'Test' };
    return json(200, { ok: true, result: { message_id: message.messageId, chat, date: 1767603600, text: parsed.text } });
  }
}
