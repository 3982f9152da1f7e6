/**
 * DingTalk work notifications (工作通知) from an internal corp app: direct messages to a person (the
 * "IM direct message" method, issue 12 item 3). Docs: docs/notifications/dingtalk.md, ADR 0061.
 *
 * Wire contract (the classic `oapi` endpoints, which an internal app's AppKey/AppSecret can call):
 * 1. Token — `GET {api_base}/gettoken?appkey=<AppKey>&appsecret=<AppSecret>` →
 *    `{"errcode":0,"access_token":"…","expires_in":7200,"errmsg":"ok"}`; cached per app until five
 *    minutes before it expires.
 * 2. Who — DingTalk cannot look people up by email, so the person's verified phone is the key:
 *    `POST {api_base}/topapi/v2/user/getbymobile?access_token=…`, body `{"mobile":"13800000000"}`
 *    (+86 numbers without the country code, others as E.164) → `{"errcode":0,"result":{"userid":"…"}}`;
 *    60121 = no such user. The user id is cached for a day.
 * 3. Send — `POST {api_base}/topapi/message/corpconversation/asyncsend_v2?access_token=…`,
 *    `Content-Type: application/json`, body
 *    `{"agent_id":<AgentId>,"userid_list":"<userid>","msg":{"msgtype":"action_card","action_card":{
 *      "title":…,"markdown":…,"btn_orientation":"1","btn_json_list":[{"title":"认领","action_url":…},…]}}}`
 *    → `{"errcode":0,"task_id":…,"request_id":"…"}` (sent; `task_id` kept). Bundles and verification
 *    codes are `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`. The buttons open the signed
 *    single-use links made for this person, in the person's language.
 *
 * Outcome: 40014 / 42001 / 40001 (invalid or expired token) → the token is dropped and the send tried
 * once more. -1 (busy), 90002 / 90018 (flow control), 143103 (too many messages to one user now),
 * HTTP 429 / 5xx, network errors → retry. 40089 / 40094 (bad AppKey / AppSecret), 60121 (no user with
 * that mobile), 33012 (invalid user id) and others → failed as `dingtalk <errcode>: <errmsg>`.
 */
import { createHash } from 'node:crypto';
import { AccessTokenCache } from '../../access-token-cache.js';
import { callVendor, isRecord, snippet, transientHttp, type VendorAnswer } from '../../provider-kit.js';
import type { OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';
import { wordsFor } from '../../message-words.js';
import { headline, spaceLines } from './index.js';

export interface DingTalkAppSettings {
  readonly appKey: string;
  readonly appSecret: string;
  readonly agentId: string;
  readonly apiBase: string;
}

const USER_AGENT = 'Tocsin-DingTalk-App/1';
const TOKEN_CODES = new Set([40014, 42001, 40001]);
const RATE_LIMIT_CODES = new Set([-1, 90002, 90018, 143103]);
const RATE_LIMIT_RETRY_MS = 30_000;
const NO_USER = 60121;
const USER_ID_TTL_MS = 24 * 60 * 60_000;

export const dingtalkTokens = new AccessTokenCache();
const userIds = new Map<string, { userId: string; until: number }>();

function cacheKey(settings: DingTalkAppSettings): string {
  return `${settings.apiBase}|${settings.appKey}|${createHash('sha256').update(settings.appSecret).digest('hex').slice(0, 16)}`;
}

/** The `mobile` DingTalk expects: mainland numbers without +86, others as given. */
export function dingtalkMobile(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164;
}

function errOf(answer: VendorAnswer): { code: number | undefined; msg: string; body: Record<string, unknown> } {
  const body = isRecord(answer.json) ? answer.json : {};
  return { code: typeof body.errcode === 'number' ? body.errcode : undefined, msg: typeof body.errmsg === 'string' ? body.errmsg : '', body };
}

function failure(answer: VendorAnswer, now: number, what = 'dingtalk'): SendResult {
  const { code, msg } = errOf(answer);
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return { kind: 'retry', error: `${what} ${code}: ${msg}`, retryAfterMs: RATE_LIMIT_RETRY_MS };
  const transient = transientHttp(what, answer, now);
  if (transient) return transient;
  if (code !== undefined) return { kind: 'failed', error: `${what} ${code}: ${msg}` };
  return { kind: 'failed', error: `${what}: HTTP ${answer.status}${snippet(answer.text)}` };
}

async function fetchToken(settings: DingTalkAppSettings, context: SendContext) {
  const query = new URLSearchParams({ appkey: settings.appKey, appsecret: settings.appSecret });
  const answer = await callVendor(context, `${settings.apiBase}/gettoken?${query.toString()}`, { method: 'GET', headers: [['User-Agent', USER_AGENT]] });
  if ('kind' in answer) return { error: answer.error, transient: true };
  const { code, body } = errOf(answer);
  if (code === 0 && typeof body.access_token === 'string') return { token: body.access_token, expiresInMs: (typeof body.expires_in === 'number' ? body.expires_in : 7200) * 1000 };
  const result = failure(answer, context.now, 'dingtalk gettoken');
  return { error: result.kind === 'sent' ? 'dingtalk gettoken: no token' : result.error, transient: result.kind === 'retry' };
}

/** The exact `msg` object of `message`. */
export function dingtalkWorkMessage(message: OutboundMessage): Record<string, unknown> {
  const words = wordsFor(message.locale);
  const text = spaceLines(message.content.text);
  if (message.kind === 'verification') return { msgtype: 'markdown', markdown: { title: `Tocsin ${words.kind.verification}`, text } };
  if (message.kind === 'bundle') return { msgtype: 'markdown', markdown: { title: words.incidents(message.bundle.length), text } };
  const { incident } = message;
  const buttons: { title: string; action_url: string }[] = [];
  if (message.kind !== 'acknowledged' && message.kind !== 'resolved' && incident.ackUrl) buttons.push({ title: words.acknowledge, action_url: incident.ackUrl });
  if (message.kind !== 'resolved' && incident.resolveUrl) buttons.push({ title: words.resolve, action_url: incident.resolveUrl });
  buttons.push({ title: words.open, action_url: incident.url });
  return {
    msgtype: 'action_card',
    action_card: { title: headline(incident, message.kind === 'test', message.locale), markdown: text, btn_orientation: '1', btn_json_list: buttons },
  };
}

type Step<T> = { ok: true; value: T } | { ok: false; result: SendResult; tokenRefused?: boolean };

async function userIdFor(settings: DingTalkAppSettings, token: string, phone: string, context: SendContext): Promise<Step<string>> {
  const key = `${cacheKey(settings)}|${phone}`;
  const cached = userIds.get(key);
  if (cached && cached.until > context.now) return { ok: true, value: cached.userId };
  const answer = await callVendor(context, `${settings.apiBase}/topapi/v2/user/getbymobile?access_token=${encodeURIComponent(token)}`, {
    headers: [
      ['Content-Type', 'application/json'],
      ['User-Agent', USER_AGENT],
    ],
    body: JSON.stringify({ mobile: dingtalkMobile(phone) }),
  });
  if ('kind' in answer) return { ok: false, result: answer };
  const { code, msg, body } = errOf(answer);
  const result = isRecord(body.result) ? body.result : {};
  if (code === 0 && typeof result.userid === 'string') {
    userIds.set(key, { userId: result.userid, until: context.now + USER_ID_TTL_MS });
    return { ok: true, value: result.userid };
  }
  if (code !== undefined && TOKEN_CODES.has(code)) return { ok: false, result: { kind: 'retry', error: `dingtalk ${code}: ${msg}` }, tokenRefused: true };
  if (code === NO_USER) return { ok: false, result: { kind: 'failed', error: `dingtalk ${code}: no DingTalk user with the mobile ${phone} (${msg})` } };
  return { ok: false, result: failure(answer, context.now) };
}

async function sendOnce(settings: DingTalkAppSettings, token: string, message: OutboundMessage, phone: string, context: SendContext): Promise<Step<SendResult>> {
  const user = await userIdFor(settings, token, phone, context);
  if (!user.ok) return user;
  const answer = await callVendor(context, `${settings.apiBase}/topapi/message/corpconversation/asyncsend_v2?access_token=${encodeURIComponent(token)}`, {
    headers: [
      ['Content-Type', 'application/json'],
      ['User-Agent', USER_AGENT],
    ],
    body: JSON.stringify({ agent_id: Number(settings.agentId), userid_list: user.value, msg: dingtalkWorkMessage(message) }),
  });
  if ('kind' in answer) return { ok: false, result: answer };
  const { code, msg, body } = errOf(answer);
  if (code === 0) return { ok: true, value: { kind: 'sent', ...(body.task_id !== undefined ? { providerMessageId: String(body.task_id) } : {}) } };
  if (code !== undefined && TOKEN_CODES.has(code)) return { ok: false, result: { kind: 'retry', error: `dingtalk ${code}: ${msg}` }, tokenRefused: true };
  return { ok: false, result: failure(answer, context.now) };
}

export const dingtalkAppProvider: Provider<DingTalkAppSettings> = {
  id: 'dingtalk_app',
  label: 'DingTalk work notification (direct messages)',
  methods: ['im'],
  personAddress: 'phone',
  fields: [
    { name: 'app_key', label: 'AppKey (Client ID)', type: 'string', required: true, pattern: '[A-Za-z0-9_-]{8,64}' },
    { name: 'app_secret', label: 'AppSecret (Client Secret)', type: 'secret', required: true, max: 128 },
    { name: 'agent_id', label: 'AgentId', type: 'string', required: true, pattern: '[0-9]{1,20}', help: 'The app’s AgentId (应用信息 → AgentId)' },
    { name: 'api_base', label: 'API base URL', type: 'url', default: 'https://oapi.dingtalk.com', help: 'Change only for a DingTalk private deployment' },
  ],

  parseSettings(raw): DingTalkAppSettings {
    return {
      appKey: typeof raw.app_key === 'string' ? raw.app_key : '',
      appSecret: typeof raw.app_secret === 'string' ? raw.app_secret : '',
      agentId: typeof raw.agent_id === 'string' ? raw.agent_id : String(raw.agent_id ?? ''),
      apiBase: (typeof raw.api_base === 'string' && raw.api_base !== '' ? raw.api_base : 'https://oapi.dingtalk.com').replace(/\/+$/, ''),
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    if (message.recipient.kind !== 'person') return { kind: 'failed', error: 'DingTalk work notifications go to people only: use a DingTalk robot for group chats' };
    const phone = message.recipient.address;
    if (!/^\+[1-9]\d{4,14}$/.test(phone)) return { kind: 'failed', error: 'DingTalk finds people by their verified mobile number, and this address is not one' };
    const key = cacheKey(settings);
    for (let round = 0; round < 2; round += 1) {
      const token = await dingtalkTokens.get(key, context.now, () => fetchToken(settings, context));
      if ('error' in token) return token.transient ? { kind: 'retry', error: token.error } : { kind: 'failed', error: token.error };
      const step = await sendOnce(settings, token.token, message, phone, context);
      if (step.ok) return step.value;
      if (!step.tokenRefused) return step.result;
      dingtalkTokens.invalidate(key, token.token);
    }
    return { kind: 'retry', error: 'dingtalk: access token refused twice' };
  },
};
