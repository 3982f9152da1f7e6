/**
 * Feishu / Lark app: direct messages to a person (the "IM direct message" method, issue 12 item 3).
 * Docs: docs/notifications/feishu.md ("Direct messages"), ADR 0060.
 *
 * Wire contract:
 * 1. Token — `POST {api_base}/open-apis/auth/v3/tenant_access_token/internal`,
 *    `Content-Type: application/json; charset=utf-8`, body `{"app_id":…,"app_secret":…}` → HTTP 200
 *    `{"code":0,"msg":"ok","tenant_access_token":"t-…","expire":7200}` (seconds). Cached per app
 *    until five minutes before it expires (access-token-cache.ts).
 * 2. Message — `POST {api_base}/open-apis/im/v1/messages?receive_id_type=<email|open_id>`,
 *    `Authorization: Bearer <tenant_access_token>`, `Content-Type: application/json; charset=utf-8`,
 *    body `{"receive_id":…,"msg_type":"interactive","content":"<card JSON as a string>","uuid":<outbox id>}`
 *    (`uuid` makes Feishu drop a retried duplicate within an hour). The address is the person's
 *    verified email, or an `ou_…` open id. Bundles and verification codes go as `msg_type: text`.
 *    Answer `{"code":0,"data":{"message_id":"om_…"}}` → sent with that id.
 *
 * The card is the group bot's card (index.ts) in the person's language, with Acknowledge / Resolve
 * buttons opening the signed single-use links made for this person: a card callback would need the
 * app's callback URL, its encrypt key and a contact lookup of the presser, while the links already act
 * as exactly this person (ADR 0060).
 *
 * Outcome: token codes 99991661 / 99991663 / 99991664 / 99991668 (missing, invalid or expired token)
 * → the cached token is dropped and the send is tried once more with a fresh one. 99991400 and 230020
 * (rate limits; after `x-ogw-ratelimit-reset` seconds), HTTP 429 (Retry-After) and 5xx, network
 * errors → retry. Token request failures
 * (10003 bad app id, 10014 bad secret) and other codes (230013 the user is outside the app's
 * availability, 230001 invalid receive id, 99992361 no such open id…) → failed as `feishu <code>: <msg>`.
 */
import { createHash } from 'node:crypto';
import { AccessTokenCache } from '../../access-token-cache.js';
import { callVendor, isRecord, parseRetryAfter, snippet, transientHttp, type VendorAnswer } from '../../provider-kit.js';
import type { OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';
import { incidentCard } from './index.js';

export interface FeishuAppSettings {
  readonly appId: string;
  readonly appSecret: string;
  readonly apiBase: string;
}

const USER_AGENT = 'Tocsin-Feishu-App/1';
const JSON_TYPE = 'application/json; charset=utf-8';
const TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991668]);
const RATE_LIMIT_CODES = new Set([99991400, 230020]);
const RATE_LIMIT_RETRY_MS = 10_000;
const APP_ID = /^cli_[A-Za-z0-9]{8,40}$/;
const OPEN_ID = /^ou_[A-Za-z0-9]{8,64}$/;

/** Tokens of every configured app, keyed by API base, app id and a digest of the secret. */
export const feishuTokens = new AccessTokenCache();

function cacheKey(settings: FeishuAppSettings): string {
  return `${settings.apiBase}|${settings.appId}|${createHash('sha256').update(settings.appSecret).digest('hex').slice(0, 16)}`;
}

function codeOf(answer: VendorAnswer): { code: number | undefined; msg: string } {
  const body = isRecord(answer.json) ? answer.json : undefined;
  return { code: typeof body?.code === 'number' ? body.code : undefined, msg: typeof body?.msg === 'string' ? body.msg : '' };
}

async function fetchToken(settings: FeishuAppSettings, context: SendContext) {
  const answer = await callVendor(context, `${settings.apiBase}/open-apis/auth/v3/tenant_access_token/internal`, {
    headers: [
      ['Content-Type', JSON_TYPE],
      ['User-Agent', USER_AGENT],
    ],
    body: JSON.stringify({ app_id: settings.appId, app_secret: settings.appSecret }),
  });
  if ('kind' in answer) return { error: answer.error, transient: true };
  const { code, msg } = codeOf(answer);
  const body = isRecord(answer.json) ? answer.json : {};
  if (code === 0 && typeof body.tenant_access_token === 'string') {
    const seconds = typeof body.expire === 'number' ? body.expire : 7200;
    return { token: body.tenant_access_token, expiresInMs: seconds * 1000 };
  }
  const transient = answer.status === 429 || answer.status >= 500 || (code !== undefined && RATE_LIMIT_CODES.has(code));
  return { error: code !== undefined ? `feishu token ${code}: ${msg}` : `feishu token: HTTP ${answer.status}${snippet(answer.text)}`, transient };
}

/** `receive_id_type` for an address: an `ou_…` open id, else an email. */
export function receiveIdType(address: string): 'open_id' | 'email' {
  return OPEN_ID.test(address) ? 'open_id' : 'email';
}

/** The exact JSON body of the message to `address`. */
export function feishuDmBody(message: OutboundMessage, address: string): string {
  const isCard = message.kind !== 'bundle' && message.kind !== 'verification';
  const content = isCard
    ? incidentCard(message.incident, message.kind, message.escalationLevel, { ...(message.locale && { locale: message.locale }), ...(message.timeZone && { timeZone: message.timeZone }) })
    : { text: message.content.text };
  return JSON.stringify({ receive_id: address, msg_type: isCard ? 'interactive' : 'text', content: JSON.stringify(content), uuid: message.id.slice(0, 50) });
}

function outcome(answer: VendorAnswer, now: number): SendResult {
  const { code, msg } = codeOf(answer);
  if (code === 0) {
    const data = isRecord(answer.json) && isRecord(answer.json.data) ? answer.json.data : {};
    return { kind: 'sent', ...(typeof data.message_id === 'string' ? { providerMessageId: data.message_id } : {}) };
  }
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) {
    // Feishu's gateway says when the window resets (seconds); Retry-After when a proxy answered.
    const reset = Number(answer.headers.get('x-ogw-ratelimit-reset'));
    const after = Number.isFinite(reset) && reset > 0 ? reset * 1000 : (parseRetryAfter(answer.headers.get('retry-after'), now) ?? RATE_LIMIT_RETRY_MS);
    return { kind: 'retry', error: `feishu ${code}: ${msg}`, retryAfterMs: after };
  }
  const transient = transientHttp('feishu', answer, now);
  if (transient) return transient;
  if (code !== undefined) return { kind: 'failed', error: `feishu ${code}: ${msg}` };
  return { kind: 'failed', error: `feishu: HTTP ${answer.status}${snippet(answer.text)}` };
}

export const feishuAppProvider: Provider<FeishuAppSettings> = {
  id: 'feishu_app',
  label: 'Feishu / Lark app (direct messages)',
  methods: ['im'],
  fields: [
    { name: 'app_id', label: 'App ID', type: 'string', required: true, pattern: APP_ID.source.slice(1, -1), help: 'Credentials & Basic Info → App ID (cli_…)' },
    { name: 'app_secret', label: 'App secret', type: 'secret', required: true, max: 128 },
    {
      name: 'api_base',
      label: 'API base URL',
      type: 'url',
      default: 'https://open.feishu.cn',
      help: 'https://open.feishu.cn for Feishu, https://open.larksuite.com for Lark',
    },
  ],

  parseSettings(raw): FeishuAppSettings {
    return {
      appId: typeof raw.app_id === 'string' ? raw.app_id : '',
      appSecret: typeof raw.app_secret === 'string' ? raw.app_secret : '',
      apiBase: (typeof raw.api_base === 'string' && raw.api_base !== '' ? raw.api_base : 'https://open.feishu.cn').replace(/\/+$/, ''),
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    if (message.recipient.kind !== 'person') return { kind: 'failed', error: 'the Feishu app sends direct messages only: use a Feishu bot for group chats' };
    const address = message.recipient.address;
    const key = cacheKey(settings);
    const body = feishuDmBody(message, address);
    const url = `${settings.apiBase}/open-apis/im/v1/messages?receive_id_type=${receiveIdType(address)}`;
    // At most two rounds: the second only after Feishu refused a cached token.
    for (let round = 0; round < 2; round += 1) {
      const token = await feishuTokens.get(key, context.now, () => fetchToken(settings, context));
      if ('error' in token) return token.transient ? { kind: 'retry', error: token.error } : { kind: 'failed', error: token.error };
      const answer = await callVendor(context, url, {
        headers: [
          ['Authorization', `Bearer ${token.token}`],
          ['Content-Type', JSON_TYPE],
          ['User-Agent', USER_AGENT],
        ],
        body,
      });
      if ('kind' in answer) return answer;
      const { code, msg } = codeOf(answer);
      if (code !== undefined && TOKEN_CODES.has(code)) {
        feishuTokens.invalidate(key, token.token);
        if (round === 0) continue;
        return { kind: 'retry', error: `feishu ${code}: ${msg}` };
      }
      return outcome(answer, context.now);
    }
    return { kind: 'retry', error: 'feishu: token refused twice' };
  },
};
