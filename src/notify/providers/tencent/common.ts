/**
 * What Tencent Cloud SMS and voice share: API 3.0 with TC3-HMAC-SHA256 signing, the SecretId / SecretKey
 * fields, the outcome of a call and the callback token.
 *
 * Signing (Tencent Cloud API 3.0 "Signature v3"), for `POST /` with a JSON body:
 *   CanonicalRequest = "POST\n/\n\n" + "content-type:application/json; charset=utf-8\nhost:<host>\n" +
 *                      "x-tc-action:<action, lower case>\n" + "\n" + "content-type;host;x-tc-action\n" +
 *                      hex(SHA256(body))
 *   CredentialScope  = "<UTC date YYYY-MM-DD of the timestamp>/<service>/tc3_request"
 *   StringToSign     = "TC3-HMAC-SHA256\n<timestamp>\n<CredentialScope>\n" + hex(SHA256(CanonicalRequest))
 *   kDate = HMAC-SHA256("TC3" + SecretKey, date); kService = HMAC(kDate, service);
 *   kSigning = HMAC(kService, "tc3_request"); Signature = hex(HMAC(kSigning, StringToSign))
 *   Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<CredentialScope>, SignedHeaders=content-type;host;x-tc-action, Signature=<hex>
 * plus headers X-TC-Action, X-TC-Timestamp (Unix seconds), X-TC-Version, X-TC-Region.
 *
 * Outcome: `{"Response":{"Error":{"Code","Message"}}}` → `RequestLimitExceeded*`, `InternalError*`,
 * `LimitExceeded.PhoneNumber*` (per-number frequency limits) → retry; anything else (`AuthFailure.*`,
 * `InvalidParameterValue.*`, `FailedOperation.*`) → failed as `tencent <Code>: <Message>`.
 */
import { createHash, createHmac } from 'node:crypto';
import { callVendor, isRecord, snippet, transientHttp } from '../../provider-kit.js';
import type { ProviderField, SendContext, SendResult } from '../../provider.js';

export interface TencentCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly region: string;
  /** Without a trailing slash. */
  readonly endpoint: string;
  readonly callbackToken?: string;
}

export const CREDENTIAL_FIELDS: readonly ProviderField[] = [
  { name: 'secret_id', label: 'SecretId', type: 'string', required: true, pattern: 'AKID[A-Za-z0-9]{10,60}', help: 'A CAM sub-user’s API key with only SMS / VMS permissions' },
  { name: 'secret_key', label: 'SecretKey', type: 'secret', required: true, min: 16, max: 128 },
  { name: 'region', label: 'Region', type: 'string', default: 'ap-guangzhou', pattern: '[a-z]{2}-[a-z]+(-[0-9])?' },
];

export const CALLBACK_TOKEN_FIELD: ProviderField = {
  name: 'callback_token',
  label: 'Callback token',
  type: 'secret',
  pattern: '[A-Za-z0-9_-]{16,128}',
  help: 'Random text; part of the callback URL you give Tencent Cloud (…?token=<this>), which Tocsin checks',
};

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** The TC3-HMAC-SHA256 headers for `body` sent to `host` at `timestamp` (Unix seconds). */
export function tc3Headers(credentials: TencentCredentials, input: { host: string; service: string; action: string; version: string; body: string; timestamp: number }): [string, string][] {
  const contentType = 'application/json; charset=utf-8';
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const canonicalHeaders = `content-type:${contentType}\nhost:${input.host}\nx-tc-action:${input.action.toLowerCase()}\n`;
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256Hex(input.body)}`;
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signing = hmac(hmac(hmac(`TC3${credentials.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', signing).update(stringToSign, 'utf8').digest('hex');
  return [
    ['Authorization', `TC3-HMAC-SHA256 Credential=${credentials.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`],
    ['Content-Type', contentType],
    ['X-TC-Action', input.action],
    ['X-TC-Timestamp', String(input.timestamp)],
    ['X-TC-Version', input.version],
    ['X-TC-Region', credentials.region],
    ['User-Agent', 'Tocsin-Tencent/1'],
  ];
}

const RETRY_CODES = /^(RequestLimitExceeded.*|InternalError.*|LimitExceeded\.PhoneNumber.*|FailedOperation\.(FrequencyLimit|ServiceBusy).*)$/;

/** A vendor error code as a send result. */
export function tencentError(code: string, message: string): SendResult {
  const error = `tencent ${code}: ${message}`;
  return RETRY_CODES.test(code) ? { kind: 'retry', error, retryAfterMs: 60_000 } : { kind: 'failed', error };
}

/** POSTs a signed action; returns the `Response` object or a send result for failures. */
export async function callTencent(
  credentials: TencentCredentials,
  action: { service: string; name: string; version: string; body: Readonly<Record<string, unknown>> },
  context: SendContext,
): Promise<{ readonly response: Record<string, unknown> } | SendResult> {
  const body = JSON.stringify(action.body);
  const url = `${credentials.endpoint}/`;
  const headers = tc3Headers(credentials, { host: new URL(url).host, service: action.service, action: action.name, version: action.version, body, timestamp: Math.floor(context.now / 1000) });
  const answer = await callVendor(context, url, { headers, body });
  if ('kind' in answer) return answer;
  const response = isRecord(answer.json) && isRecord(answer.json.Response) ? answer.json.Response : undefined;
  const error = response && isRecord(response.Error) ? response.Error : undefined;
  if (error && typeof error.Code === 'string') return tencentError(error.Code, typeof error.Message === 'string' ? error.Message : '');
  const transient = transientHttp('tencent', answer, context.now);
  if (transient) return transient;
  if (answer.status !== 200 || !response) return { kind: 'failed', error: `tencent: HTTP ${answer.status}${snippet(answer.text)}` };
  return { response };
}

/** The JSON answer Tencent's callbacks expect. */
export const CALLBACK_OK = { status: 200, contentType: 'application/json', body: JSON.stringify({ result: 0, errmsg: 'OK' }) } as const;

/** `+<nationcode><mobile>` from a Tencent callback. */
export function e164FromTencent(nationcode: unknown, mobile: unknown): string {
  const code = typeof nationcode === 'string' || typeof nationcode === 'number' ? String(nationcode) : '86';
  return typeof mobile === 'string' && mobile !== '' ? `+${code}${mobile.replace(/^\+/, '')}` : '';
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Credentials and callback token from validated raw settings. */
export function parseCredentials(raw: Readonly<Record<string, unknown>>, defaultEndpoint: string): TencentCredentials {
  const token = optional(raw.callback_token);
  return {
    secretId: optional(raw.secret_id) ?? '',
    secretKey: optional(raw.secret_key) ?? '',
    region: optional(raw.region) ?? 'ap-guangzhou',
    endpoint: (optional(raw.endpoint) ?? defaultEndpoint).replace(/\/+$/, ''),
    ...(token !== undefined ? { callbackToken: token } : {}),
  };
}

/** The parsed JSON body of a callback, or undefined. */
export function callbackBody(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined;
  }
}
