/**
 * WeCom (企业微信) group robot (SPEC §8.2). Docs: docs/notifications/wecom.md.
 *
 * Wire contract — `POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>`,
 * `Content-Type: application/json`, one of:
 *   markdown: {"msgtype":"markdown","markdown":{"content":"…"}}            content ≤ 4096 UTF-8 bytes
 *   text:     {"msgtype":"text","text":{"content":"…","mentioned_list":[…],"mentioned_mobile_list":[…]}}
 *                                                                          content ≤ 2048 UTF-8 bytes
 * WeCom's markdown cannot carry `mentioned_*` lists: there a member is pinged with `<@userid>` in the
 * content, and mobiles cannot be pinged at all. So `message_type: text` is the mode that @s by mobile;
 * markdown (the default) @s by user id. The content is the rendered template (`content.text`);
 * acknowledged / resolved follow-ups are new messages (WeCom robots cannot edit what they sent).
 *
 * Outcome: HTTP 200 `{"errcode":0,"errmsg":"ok"}`. errcode 45009 (more than 20 messages a minute)
 * → retry after a minute; -1 (system busy), HTTP 429 / 5xx, network errors → retry; any other errcode →
 * failed as `wecom <errcode>: <errmsg>` (93000 invalid webhook url, 40008 invalid message type…).
 */
import type { FieldError } from '../../../core/errors.js';
import { CHAT_FILTER_FIELDS, FILTERED, callVendor, clipBytes, isHttpUrl, isRecord, parseChatFilters, passesChatFilters, snippet, splitList, transientHttp, type ChatFilters } from '../../provider-kit.js';
import type { OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';

export type WeComMessageType = 'markdown' | 'text';

export interface WeComSettings extends ChatFilters {
  readonly webhookUrl: string;
  readonly messageType: WeComMessageType;
  readonly mentionUserIds: readonly string[];
  readonly mentionMobiles: readonly string[];
}

export const MARKDOWN_MAX_BYTES = 4096;
export const TEXT_MAX_BYTES = 2048;
const USER_AGENT = 'Tocsin-WeCom/1';
const RATE_LIMIT_CODE = 45009;
const RATE_LIMIT_RETRY_MS = 60_000;
const BUSY_CODE = -1;
const MOBILE = /^\+?[0-9][0-9-]{4,19}$/;
const USER_ID = /^(@all|[A-Za-z0-9_.@-]{1,64})$/;

/** Whether `value` is a robot webhook URL `…/cgi-bin/webhook/send?key=<key>` (any http(s) host, for fakes). */
export function isRobotUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  const key = url.searchParams.get('key');
  return url.pathname === '/cgi-bin/webhook/send' && key !== null && /^[A-Za-z0-9-]{8,64}$/.test(key);
}

/** The exact JSON body for `message`. */
export function wecomBody(settings: WeComSettings, message: OutboundMessage): string {
  const text = message.content.text;
  if (settings.messageType === 'text') {
    const body: Record<string, unknown> = { content: clipBytes(text, TEXT_MAX_BYTES) };
    if (settings.mentionUserIds.length > 0) body.mentioned_list = [...settings.mentionUserIds];
    if (settings.mentionMobiles.length > 0) body.mentioned_mobile_list = [...settings.mentionMobiles];
    return JSON.stringify({ msgtype: 'text', text: body });
  }
  const mentions = settings.mentionUserIds.map((id) => `<@${id}>`).join(' ');
  // The mentions go last and are kept whole: truncation only ever shortens the incident text.
  const room = MARKDOWN_MAX_BYTES - (mentions === '' ? 0 : Buffer.byteLength(`\n${mentions}`, 'utf8'));
  const content = mentions === '' ? clipBytes(text, room) : `${clipBytes(text, room)}\n${mentions}`;
  return JSON.stringify({ msgtype: 'markdown', markdown: { content } });
}

export const wecomProvider: Provider<WeComSettings> = {
  id: 'wecom',
  label: 'WeCom group robot',
  methods: ['webhook'],
  maxTextLength: MARKDOWN_MAX_BYTES,
  fields: [
    { name: 'webhook_url', label: 'Webhook URL', type: 'secret', required: true, max: 2048, help: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (the key is the credential)' },
    {
      name: 'message_type',
      label: 'Message type',
      type: 'select',
      options: ['markdown', 'text'],
      default: 'markdown',
      help: 'markdown @s members by user id; text can also @ by mobile number',
    },
    { name: 'mention_user_ids', label: 'User ids to @', type: 'string', max: 1000, help: 'Comma-separated WeCom user ids, or @all' },
    { name: 'mention_mobiles', label: 'Mobiles to @', type: 'string', max: 1000, help: 'Comma-separated mobile numbers (text messages only)' },
    ...CHAT_FILTER_FIELDS,
  ],

  checkSettings(raw): FieldError[] {
    const errors: FieldError[] = [];
    if (!isRobotUrl(typeof raw.webhook_url === 'string' ? raw.webhook_url : ''))
      errors.push({ field: 'settings.webhook_url', message: 'must be a group robot webhook URL …/cgi-bin/webhook/send?key=<key>' });
    const ids = splitList(raw.mention_user_ids);
    const badIds = ids.filter((id) => !USER_ID.test(id));
    if (badIds.length > 0) errors.push({ field: 'settings.mention_user_ids', message: `not WeCom user ids: ${badIds.join(', ')}` });
    const mobiles = splitList(raw.mention_mobiles);
    const badMobiles = mobiles.filter((m) => !MOBILE.test(m) && m !== '@all');
    if (badMobiles.length > 0) errors.push({ field: 'settings.mention_mobiles', message: `not mobile numbers: ${badMobiles.join(', ')}` });
    if (mobiles.length > 0 && raw.message_type !== 'text')
      errors.push({ field: 'settings.mention_mobiles', message: 'WeCom markdown cannot @ by mobile: choose message type "text" or @ by user id' });
    return errors;
  },

  parseSettings(raw): WeComSettings {
    return {
      webhookUrl: typeof raw.webhook_url === 'string' ? raw.webhook_url : '',
      messageType: raw.message_type === 'text' ? 'text' : 'markdown',
      mentionUserIds: splitList(raw.mention_user_ids),
      mentionMobiles: splitList(raw.mention_mobiles),
      ...parseChatFilters(raw),
    };
  },

  async send(settings, message, context: SendContext): Promise<SendResult> {
    if (!passesChatFilters(settings, message)) return { kind: 'sent', providerMessageId: FILTERED };
    if (!isRobotUrl(settings.webhookUrl)) return { kind: 'failed', error: 'the WeCom webhook URL must be http(s)://…/cgi-bin/webhook/send?key=<key>' };
    const answer = await callVendor(context, settings.webhookUrl, {
      headers: [
        ['Content-Type', 'application/json'],
        ['User-Agent', USER_AGENT],
      ],
      body: wecomBody(settings, message),
    });
    if ('kind' in answer) return answer;
    const transient = transientHttp('wecom', answer, context.now);
    if (transient) return transient;
    if (answer.status < 200 || answer.status >= 300) return { kind: 'failed', error: `wecom: HTTP ${answer.status}${snippet(answer.text)}` };
    if (!isRecord(answer.json) || typeof answer.json.errcode !== 'number') return { kind: 'failed', error: `wecom: unexpected answer${snippet(answer.text)}` };
    const { errcode } = answer.json;
    if (errcode === 0) return { kind: 'sent' };
    const error = `wecom ${errcode}: ${typeof answer.json.errmsg === 'string' ? answer.json.errmsg : ''}`;
    if (errcode === RATE_LIMIT_CODE) return { kind: 'retry', error, retryAfterMs: RATE_LIMIT_RETRY_MS };
    if (errcode === BUSY_CODE) return { kind: 'retry', error };
    return { kind: 'failed', error };
  },
};
