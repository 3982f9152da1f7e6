/**
 * What Aliyun (Alibaba Cloud) SMS and voice share: the RPC-style API with signature version 1.0
 * (HMAC-SHA1), the AccessKey fields, phone number formats, and the outcome of a call.
 *
 * Signing (Alibaba Cloud "RPC API signature", SignatureVersion 1.0), for a POST with a form body:
 *   1. every parameter (common + action parameters, without `Signature`) percent-encoded per RFC 3986
 *      — `encodeURIComponent` plus `!'()*`, so space is `%20`, `*` is `%2A`, `~` stays `~`;
 *   2. sorted by encoded name (code-unit order) and joined as `name=value&…`: the canonical query;
 *   3. StringToSign = `POST&%2F&` + percentEncode(canonical query);
 *   4. Signature = base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)).
 * The body is the canonical query plus `&Signature=<percent-encoded signature>`.
 *
 * Outcome: HTTP 200 `{"Code":"OK",…}` → sent (`BizId` / `CallId` kept). Throttling (`Throttling*`,
 * `isv.BUSINESS_LIMIT_CONTROL`: per-number frequency limits), `ServiceUnavailable`, HTTP 429 / 5xx and
 * network errors → retry; anything else (`SignatureDoesNotMatch`, `InvalidAccessKeyId.NotFound`,
 * `isv.MOBILE_NUMBER_ILLEGAL`, `isv.AMOUNT_NOT_ENOUGH`…) → failed as `aliyun <Code>: <Message>`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { callVendor, isRecord, snippet, transientHttp } from '../../provider-kit.js';
import type { ProviderField, SendContext, SendResult } from '../../provider.js';

export interface AliyunCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly regionId: string;
  /** Without a trailing slash; the SMS or voice endpoint. */
  readonly endpoint: string;
  /** Shared secret of the callback URLs (`?token=`): Aliyun's HTTP pushes carry no signature. */
  readonly callbackToken?: string;
}

export const CREDENTIAL_FIELDS: readonly ProviderField[] = [
  { name: 'access_key_id', label: 'AccessKey ID', type: 'string', required: true, pattern: '[A-Za-z0-9]{12,64}', help: 'A RAM user’s AccessKey with only the SMS / voice permission' },
  { name: 'access_key_secret', label: 'AccessKey secret', type: 'secret', required: true, min: 16, max: 128 },
  { name: 'region_id', label: 'Region', type: 'string', default: 'cn-hangzhou', pattern: '[a-z0-9-]{2,32}' },
];

export const CALLBACK_TOKEN_FIELD: ProviderField = {
  name: 'callback_token',
  label: 'Callback token',
  type: 'secret',
  pattern: '[A-Za-z0-9_-]{16,128}',
  help: 'Random text; part of the receipt / reply URL you give Aliyun (…?token=<this>), which Tocsin checks',
};

/** Aliyun's percent-encoding (RFC 3986 unreserved characters stay, everything else is %XX in UTF-8). */
export function aliyunEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The ISO 8601 UTC timestamp Aliyun wants: `2026-01-05T09:00:00Z`. */
export function aliyunTimestamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Signature version 1.0 of `params` for an HTTP `method`. */
export function aliyunSignature(accessKeySecret: string, method: string, params: Readonly<Record<string, string>>): string {
  const canonical = canonicalQuery(params);
  const stringToSign = `${method}&${aliyunEncode('/')}&${aliyunEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => [aliyunEncode(k), aliyunEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The common parameters plus the action's, signed: the exact form body. */
export function signedBody(credentials: AliyunCredentials, action: string, version: string, actionParams: Readonly<Record<string, string>>, nonce: string, now: number): string {
  const params: Record<string, string> = {
    AccessKeyId: credentials.accessKeyId,
    Action: action,
    Format: 'JSON',
    RegionId: credentials.regionId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    Timestamp: aliyunTimestamp(now),
    Version: version,
    ...actionParams,
  };
  return `${canonicalQuery(params)}&Signature=${aliyunEncode(aliyunSignature(credentials.accessKeySecret, 'POST', params))}`;
}

/** An E.164 number as Aliyun wants it: mainland numbers without `+86`, others as country code + number. */
export function aliyunPhone(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  return digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits;
}

/** A phone number from an Aliyun push back to E.164 (11-digit mainland numbers get `+86`). */
export function e164FromAliyun(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  return digits.length === 11 && digits.startsWith('1') ? `+86${digits}` : `+${digits}`;
}

const RETRY_CODES = /^(Throttling.*|isv\.BUSINESS_LIMIT_CONTROL|ServiceUnavailable|InternalError|isp\.SYSTEM_ERROR)$/;

/** POSTs a signed action and maps Aliyun's answer; `idField` names the id to keep (`BizId`, `CallId`). */
export async function callAliyun(
  credentials: AliyunCredentials,
  action: { name: string; version: string; params: Readonly<Record<string, string>>; idField: string },
  context: SendContext,
): Promise<SendResult> {
  const answer = await callVendor(context, `${credentials.endpoint}/`, {
    headers: [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['User-Agent', 'Tocsin-Aliyun/1'],
    ],
    // A fresh nonce per request: Aliyun refuses a nonce seen within 15 minutes, retries included.
    body: signedBody(credentials, action.name, action.version, action.params, randomUUID(), context.now),
  });
  if ('kind' in answer) return answer;
  const body = isRecord(answer.json) ? answer.json : undefined;
  const code = typeof body?.Code === 'string' ? body.Code : undefined;
  if (answer.status === 200 && code === 'OK') {
    const id = body?.[action.idField];
    return { kind: 'sent', ...(typeof id === 'string' ? { providerMessageId: id } : {}) };
  }
  if (code !== undefined) {
    const error = `aliyun ${code}: ${typeof body?.Message === 'string' ? body.Message : ''}`;
    // Per-number limits (1 a minute, 5 an hour) clear within minutes: a page waits rather than drops.
    if (RETRY_CODES.test(code)) return { kind: 'retry', error, retryAfterMs: 60_000 };
    if (answer.status >= 500) return { kind: 'retry', error };
    return { kind: 'failed', error };
  }
  return transientHttp('aliyun', answer, context.now) ?? { kind: 'failed', error: `aliyun: HTTP ${answer.status}${snippet(answer.text)}` };
}

/** The JSON answer Aliyun's HTTP pushes expect. */
export const PUSH_OK = { status: 200, contentType: 'application/json', body: JSON.stringify({ code: 0, msg: '成功' }) } as const;
