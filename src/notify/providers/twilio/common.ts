/**
 * What Twilio SMS and Twilio Voice share (SPEC §8.2): settings, the REST call, the request signature,
 * status callbacks and TwiML escaping. Wire contract (Twilio REST API 2010-04-01):
 *
 * - `POST {api_base}/2010-04-01/Accounts/{AccountSid}/{Messages|Calls}.json`, body
 *   `application/x-www-form-urlencoded` (fields in a fixed order, see sms.ts / voice.ts), HTTP basic auth
 *   `AccountSid:AuthToken`, `Accept: application/json`. Twilio answers 201 with the resource as JSON
 *   (`sid` becomes `providerMessageId`) or an error `{"code":21211,"message":"…","more_info":"…","status":400}`.
 * - Outcome: 2xx sent; 408, 429 and 5xx retry (honouring Retry-After); network errors and timeouts
 *   retry; other statuses fail with Twilio's code and message. Redirects are not followed.
 * - Callbacks (delivery status, SMS replies, key presses) are form POSTs signed with
 *   `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, full URL + each param's name and value, sorted by
 *   name)). `request.url` must be the public URL Twilio called, query string included.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../../core/secrets.js';
import type { CallbackResult, InboundAction, InboundRequest, ProviderField, SendContext, SendResult } from '../../provider.js';
import { parseRetryAfter } from '../../../core/retry-after.js';
export { parseRetryAfter } from '../../../core/retry-after.js';

export const DEFAULT_API_BASE = 'https://api.twilio.com';
export const API_VERSION = '2010-04-01';
export const USER_AGENT = 'Tocsin-Twilio/1';
const TIMEOUT_MS = 15_000;

/** Typed settings of both Twilio providers. */
export interface TwilioSettings {
  readonly accountSid: string;
  readonly authToken: string;
  /** E.164 sender; required for voice, for SMS unless a messaging service is set. */
  readonly from?: string;
  readonly messagingServiceSid?: string;
  /** Without a trailing slash. */
  readonly apiBase: string;
  /** Voice: call once more, a minute later, when nobody answered (issue 12 item 5). */
  readonly retryUnanswered?: boolean;
}

export const E164 = '\\+[1-9][0-9]{1,14}';

export const ACCOUNT_SID_FIELD: ProviderField = {
  name: 'account_sid',
  label: 'Account SID',
  type: 'string',
  required: true,
  pattern: 'AC[0-9a-fA-F]{32}',
  help: 'Twilio console → Account info; starts with AC',
};
export const AUTH_TOKEN_FIELD: ProviderField = {
  name: 'auth_token',
  label: 'Auth token',
  type: 'secret',
  required: true,
  min: 16,
  max: 128,
  help: 'Authenticates the API calls and checks the signature of Twilio’s callbacks; update it here when you rotate it in Twilio',
};
export const API_BASE_FIELD: ProviderField = {
  name: 'api_base',
  label: 'API base URL',
  type: 'url',
  default: DEFAULT_API_BASE,
  max: 2048,
  help: 'Leave as is unless you use a Twilio edge location (https://api.<edge>.<region>.twilio.com)',
};

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Types validated raw settings (defaults applied); empty optionals are left out. */
export function parseTwilioSettings(raw: Readonly<Record<string, unknown>>): TwilioSettings {
  const from = optionalString(raw.from);
  const messagingServiceSid = optionalString(raw.messaging_service_sid);
  return {
    accountSid: typeof raw.account_sid === 'string' ? raw.account_sid : '',
    authToken: typeof raw.auth_token === 'string' ? raw.auth_token : '',
    ...(from !== undefined ? { from } : {}),
    ...(messagingServiceSid !== undefined ? { messagingServiceSid } : {}),
    apiBase: (optionalString(raw.api_base) ?? DEFAULT_API_BASE).replace(/\/+$/, ''),
    ...(raw.retry_unanswered === true ? { retryUnanswered: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// The REST call

/** `application/x-www-form-urlencoded` of `pairs`, in order (repeated names allowed). */
export function formBody(pairs: readonly (readonly [string, string])[]): string {
  return new URLSearchParams(pairs.map(([name, value]): [string, string] => [name, value])).toString();
}

/** `Basic base64(AccountSid:AuthToken)`. */
export function basicAuth(settings: TwilioSettings): string {
  return `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`, 'utf8').toString('base64')}`;
}

/** The URL of a list resource of the account, e.g. `…/2010-04-01/Accounts/AC…/Messages.json`. */
export function resourceUrl(settings: TwilioSettings, resource: 'Messages' | 'Calls'): string {
  return `${settings.apiBase}/${API_VERSION}/Accounts/${encodeURIComponent(settings.accountSid)}/${resource}.json`;
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "Twilio error 21211: The 'To' number … (HTTP 400)" from Twilio's error JSON, else the body's start. */
export function describeError(status: number, body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed) && (typeof parsed.code === 'number' || typeof parsed.message === 'string')) {
    const code = typeof parsed.code === 'number' ? ` ${parsed.code}` : '';
    const message = typeof parsed.message === 'string' ? `: ${parsed.message}` : '';
    return `Twilio error${code}${message} (HTTP ${status})`;
  }
  const short = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return short === '' ? `HTTP ${status}` : `HTTP ${status}: ${short}`;
}

/** POSTs `pairs` to a list resource and maps the answer to a SendResult (never throws). */
export async function createResource(
  settings: TwilioSettings,
  resource: 'Messages' | 'Calls',
  pairs: readonly (readonly [string, string])[],
  context: SendContext,
): Promise<SendResult> {
  const url = resourceUrl(settings, resource);
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: 'POST',
      headers: [
        ['Authorization', basicAuth(settings)],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Accept', 'application/json'],
        ['User-Agent', USER_AGENT],
      ],
      body: formBody(pairs),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return { kind: 'retry', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
  const status = response.status;
  const text = await response.text().catch(() => '');
  if (status >= 200 && status < 300) {
    let sid: unknown;
    try {
      const parsed: unknown = JSON.parse(text);
      sid = isRecord(parsed) ? parsed.sid : undefined;
    } catch {
      sid = undefined;
    }
    return typeof sid === 'string' && sid !== '' ? { kind: 'sent', providerMessageId: sid } : { kind: 'sent' };
  }
  const error = describeError(status, text);
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.now);
    return { kind: 'retry', error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 300 && status < 400) return { kind: 'failed', error: `${error} (redirects are not followed; check api_base)` };
  return { kind: 'failed', error };
}

// ---------------------------------------------------------------------------------------------------
// Signatures

/** Parses a form body into name/value pairs, in order ('+' is a space, as in every form body). */
export function parseForm(rawBody: string): [string, string][] {
  return [...new URLSearchParams(rawBody)];
}

/** The first value of `name` in `params`. */
export function param(params: readonly (readonly [string, string])[], name: string): string | undefined {
  return params.find(([n]) => n === name)?.[1];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `X-Twilio-Signature` of a callback: base64 HMAC-SHA1 keyed by the auth token over the full URL
 * followed by every POST parameter's name and value, sorted by name (a repeated name's values sorted).
 */
export function twilioSignature(authToken: string, url: string, params: readonly (readonly [string, string])[]): string {
  const sorted = [...params].sort(([an, av], [bn, bv]) => compare(an, bn) || compare(av, bv));
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [name, value] of sorted) hmac.update(name + value, 'utf8');
  return hmac.digest('base64');
}

/**
 * The URL as given, plus the same URL with the scheme's default port toggled (written out or left out):
 * Twilio signs the URL exactly as configured, proxies may add or drop `:443`, and Twilio's own helper
 * libraries accept both forms.
 */
export function urlVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const port = scheme.toLowerCase() === 'https' ? '443' : '80';
  if (authority.endsWith(`:${port}`)) return [url, `${scheme}://${authority.slice(0, -port.length - 1)}${rest}`];
  if (/:\d+$/.test(authority)) return [url];
  return [url, `${scheme}://${authority}:${port}${rest}`];
}

/** Whether `request` carries a valid `X-Twilio-Signature` for `authToken`; compared in constant time. */
export function verifyTwilioRequest(authToken: string, request: InboundRequest): boolean {
  const signature = request.headers['x-twilio-signature'];
  if (signature === undefined || signature === '' || authToken === '') return false;
  const params = parseForm(request.rawBody);
  let valid = false;
  // Check every variant (no early exit) so timing does not tell which one matched.
  for (const url of urlVariants(request.url)) if (constantTimeEqual(twilioSignature(authToken, url, params), signature)) valid = true;
  return valid;
}

// ---------------------------------------------------------------------------------------------------
// Callbacks

/** The last path segment of the callback URL (`sms`, `status`, `gather`), or undefined. */
export function callbackKind(request: InboundRequest): string | undefined {
  try {
    return new URL(request.url).pathname.replace(/\/+$/, '').split('/').pop();
  } catch {
    return undefined;
  }
}

const CALL_FAILURES = new Set(['busy', 'no-answer', 'failed', 'canceled']);
const MESSAGE_FAILURES = new Set(['undelivered', 'failed']);

/**
 * A status callback of a message (`MessageSid`, `MessageStatus`) or a call (`CallSid`, `CallStatus`) as
 * at most one delivery status. Intermediate statuses (queued, sent, ringing, in-progress…) say nothing.
 */
export function statusActions(params: readonly (readonly [string, string])[]): InboundAction[] {
  const callSid = param(params, 'CallSid');
  const callStatus = param(params, 'CallStatus');
  if (callSid !== undefined && callStatus !== undefined) {
    const answeredBy = param(params, 'AnsweredBy') ?? '';
    if (callStatus === 'completed' && (answeredBy.startsWith('machine') || answeredBy === 'fax'))
      return [{ kind: 'delivery_status', providerMessageId: callSid, status: 'failed', error: `answered by voicemail (${answeredBy})`, unanswered: true }];
    if (callStatus === 'completed') return [{ kind: 'delivery_status', providerMessageId: callSid, status: 'delivered' }];
    // Nobody took the call (a canceled call was ended on purpose, not unanswered).
    if (CALL_FAILURES.has(callStatus)) return [{ kind: 'delivery_status', providerMessageId: callSid, status: 'failed', error: callStatus, ...(callStatus !== 'canceled' && { unanswered: true }) }];
    return [];
  }
  const messageSid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  const messageStatus = param(params, 'MessageStatus') ?? param(params, 'SmsStatus');
  if (messageSid === undefined || messageStatus === undefined) return [];
  if (messageStatus === 'delivered') return [{ kind: 'delivery_status', providerMessageId: messageSid, status: 'delivered' }];
  if (MESSAGE_FAILURES.has(messageStatus)) {
    const code = param(params, 'ErrorCode');
    return [
      { kind: 'delivery_status', providerMessageId: messageSid, status: 'failed', error: code ? `${messageStatus}: Twilio error ${code}` : messageStatus },
    ];
  }
  return [];
}

/** The answer to a callback this provider does not serve. */
export function unknownCallback(kind: string | undefined): CallbackResult {
  return { actions: [], response: { status: 404, contentType: 'text/plain; charset=utf-8', body: `unknown Twilio callback "${kind ?? ''}"` } };
}

// ---------------------------------------------------------------------------------------------------
// TwiML

export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** A TwiML answer to a callback. */
export function twimlResponse(body: string): NonNullable<CallbackResult['response']> {
  return { status: 200, contentType: TWIML_CONTENT_TYPE, body };
}

// Characters XML 1.0 does not allow at all (Twilio rejects such TwiML), and lone surrogates.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML element content: characters XML cannot carry dropped, `&`, `<`, `>` escaped. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as a double-quoted XML attribute value. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;');
}
