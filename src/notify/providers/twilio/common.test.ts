import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTwilio } from '../../../../test/harness/peers/fake-twilio.js';
import type { InboundRequest } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import {
  describeError,
  parseRetryAfter,
  parseTwilioSettings,
  statusActions,
  twilioSignature,
  urlVariants,
  verifyTwilioRequest,
  xmlAttr,
  xmlText,
} from './common.js';
import { twilioSmsProvider } from './sms.js';
import { twilioVoiceProvider } from './voice.js';

// Twilio's published example (TwilioDevEd/api-snippets security/signature_validation/*): auth token
// 12345, this URL and these POST params; the three From/Caller numbers of its versions give three vectors.
const DOC_TOKEN = '12345';
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docParams = (caller: string): [string, string][] => [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', caller],
  ['Digits', '1234'],
  ['From', caller],
  ['To', '+18005551212'],
];
const DOC_VECTORS: [string, string][] = [
  ['+14158675310', 'GvWf1cFY/Q7PnoempGyD5oXAezc='],
  ['+14158675309', 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
  ['+12349013030', '0/KCTR6DLpKmkAf8muzZqo1nDgQ='],
];

const TOKEN = 'a9f0c3e2b1d4f5a6978812345abcdef0';

function inbound(url: string, params: [string, string][], signature: string | undefined): InboundRequest {
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    rawBody: new URLSearchParams(params).toString(),
  };
}

describe('X-Twilio-Signature', () => {
  it("matches Twilio's documented vectors", () => {
    for (const [caller, expected] of DOC_VECTORS) expect(twilioSignature(DOC_TOKEN, DOC_URL, docParams(caller)), caller).toBe(expected);
  });

  it('does not depend on the order params arrive in, and agrees with the fake and a plain HMAC', () => {
    const params: [string, string][] = [
      ['To', '+15005550006'],
      ['Body', 'ack 42 ü & +'],
      ['From', '+15558675310'],
      ['AccountSid', 'AC0123456789abcdef0123456789abcdef'],
    ];
    const url = 'https://oncall.example.com/callbacks/twilio/cfg/sms';
    const byHand = createHmac('sha1', TOKEN)
      .update(`${url}AccountSidAC0123456789abcdef0123456789abcdefBodyack 42 ü & +From+15558675310To+15005550006`)
      .digest('base64');
    expect(twilioSignature(TOKEN, url, params)).toBe(byHand);
    expect(twilioSignature(TOKEN, url, [...params].reverse())).toBe(byHand);
    expect(signTwilio(TOKEN, url, params)).toBe(byHand);
    // Pinned; computed independently with Python's hmac module.
    expect(byHand).toBe('sLxlH3hpZ1gQXEATNY/TEYgLB0w=');
  });

  it('verifies a signed form body (decoding %2B and +) and rejects forgeries', () => {
    const params = docParams('+14158675310');
    const signed = inbound(DOC_URL, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(signed.rawBody).toBe('CallSid=CA1234567890ABCDE&Caller=%2B14158675310&Digits=1234&From=%2B14158675310&To=%2B18005551212');
    expect(verifyTwilioRequest(DOC_TOKEN, signed)).toBe(true);
    expect(verifyTwilioRequest('54321', signed)).toBe(false);
    expect(verifyTwilioRequest(DOC_TOKEN, { ...signed, headers: {} })).toBe(false);
    expect(verifyTwilioRequest(DOC_TOKEN, { ...signed, headers: { 'x-twilio-signature': '' } })).toBe(false);
    expect(verifyTwilioRequest(DOC_TOKEN, { ...signed, headers: { 'x-twilio-signature': 'GvWf1cFY/Q7PnoempGyD5oXAezd=' } })).toBe(false);
    expect(verifyTwilioRequest(DOC_TOKEN, { ...signed, url: 'https://mycompany.com/myapp.php?foo=1&bar=3' })).toBe(false);
    expect(verifyTwilioRequest(DOC_TOKEN, { ...signed, rawBody: signed.rawBody.replace('Digits=1234', 'Digits=1') })).toBe(false);
    expect(verifyTwilioRequest(DOC_TOKEN, { ...signed, rawBody: `${signed.rawBody}&Extra=1` })).toBe(false);
    expect(verifyTwilioRequest('', signed)).toBe(false);
  });

  it('accepts the URL with or without the default port, as Twilio’s libraries do', () => {
    expect(urlVariants('https://a.example/x?y=1')).toEqual(['https://a.example/x?y=1', 'https://a.example:443/x?y=1']);
    expect(urlVariants('https://a.example:443/x')).toEqual(['https://a.example:443/x', 'https://a.example/x']);
    expect(urlVariants('http://a.example:80/x')).toEqual(['http://a.example:80/x', 'http://a.example/x']);
    expect(urlVariants('http://127.0.0.1:8080/x')).toEqual(['http://127.0.0.1:8080/x']);
    const params = docParams('+14158675310');
    const withPort = inbound('https://mycompany.com:443/myapp.php?foo=1&bar=2', params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(verifyTwilioRequest(DOC_TOKEN, withPort)).toBe(true);
  });
});

describe('status callbacks', () => {
  const call = (status: string): [string, string][] => [
    ['CallSid', 'CA01'],
    ['CallStatus', status],
  ];
  const sms = (status: string, errorCode?: string): [string, string][] => [
    ['MessageSid', 'SM01'],
    ['MessageStatus', status],
    ...(errorCode ? [['ErrorCode', errorCode] as [string, string]] : []),
  ];

  it.each([
    ['completed', [{ kind: 'delivery_status', providerMessageId: 'CA01', status: 'delivered' }]],
    ['busy', [{ kind: 'delivery_status', providerMessageId: 'CA01', status: 'failed', error: 'busy', unanswered: true }]],
    ['no-answer', [{ kind: 'delivery_status', providerMessageId: 'CA01', status: 'failed', error: 'no-answer', unanswered: true }]],
    ['failed', [{ kind: 'delivery_status', providerMessageId: 'CA01', status: 'failed', error: 'failed', unanswered: true }]],
    ['canceled', [{ kind: 'delivery_status', providerMessageId: 'CA01', status: 'failed', error: 'canceled' }]],
    ['ringing', []],
    ['in-progress', []],
  ])('call %s', (status, expected) => {
    expect(statusActions(call(status))).toEqual(expected);
  });

  it('maps message statuses', () => {
    expect(statusActions(sms('delivered'))).toEqual([{ kind: 'delivery_status', providerMessageId: 'SM01', status: 'delivered' }]);
    expect(statusActions(sms('undelivered', '30003'))).toEqual([
      { kind: 'delivery_status', providerMessageId: 'SM01', status: 'failed', error: 'undelivered: Twilio error 30003' },
    ]);
    expect(statusActions(sms('failed'))).toEqual([{ kind: 'delivery_status', providerMessageId: 'SM01', status: 'failed', error: 'failed' }]);
    for (const status of ['queued', 'sending', 'sent', 'accepted']) expect(statusActions(sms(status)), status).toEqual([]);
    expect(
      statusActions([
        ['SmsSid', 'SM02'],
        ['SmsStatus', 'delivered'],
      ]),
    ).toEqual([{ kind: 'delivery_status', providerMessageId: 'SM02', status: 'delivered' }]);
    expect(statusActions([])).toEqual([]);
  });
});

describe('helpers', () => {
  it('escapes XML text and attributes and drops what XML cannot carry', () => {
    expect(xmlText(`<b> & "q" 'a'`)).toBe(`&lt;b&gt; &amp; "q" 'a'`);
    expect(xmlAttr(`a&b="c"<`)).toBe('a&amp;b=&quot;c&quot;&lt;');
    expect(xmlText('bell\u0007 tab\t nl\n lone\uD800 pair\uD83D\uDE00')).toBe('bell tab\t nl\n lone pair\uD83D\uDE00');
  });

  it("describes Twilio's error JSON, else the body's start", () => {
    expect(
      describeError(
        400,
        '{"code":21211,"message":"The \'To\' number 123 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}',
      ),
    ).toBe("Twilio error 21211: The 'To' number 123 is not a valid phone number. (HTTP 400)");
    expect(describeError(502, '<html>\n bad gateway </html>')).toBe('HTTP 502: <html> bad gateway </html>');
    expect(describeError(500, '')).toBe('HTTP 500');
  });

  it('parses Retry-After', () => {
    const now = Date.UTC(2026, 0, 5, 9);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter('99999', now)).toBe(3_600_000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('settings', () => {
  const SID = 'AC0123456789abcdef0123456789abcdef';

  it('declares the forms', () => {
    expect(twilioSmsProvider.fields.map((f) => `${f.name}:${f.type}${f.required ? '!' : ''}`)).toEqual([
      'account_sid:string!',
      'auth_token:secret!',
      'from:string',
      'messaging_service_sid:string',
      'api_base:url',
    ]);
    expect(twilioVoiceProvider.fields.map((f) => `${f.name}:${f.type}${f.required ? '!' : ''}`)).toEqual([
      'account_sid:string!',
      'auth_token:secret!',
      'from:string!',
      'retry_unanswered:boolean',
      'api_base:url',
    ]);
    expect([twilioSmsProvider.maxTextLength, twilioVoiceProvider.maxTextLength]).toEqual([undefined, undefined]);
  });

  it('validates SIDs, numbers, and that SMS has a sender', () => {
    expect(
      validateProviderSettings(twilioSmsProvider, { account_sid: 'AC123', auth_token: 'short', from: '15017122661', messaging_service_sid: 'XX' }),
    ).toEqual([
      { field: 'settings.account_sid', message: 'must match AC[0-9a-fA-F]{32}' },
      { field: 'settings.auth_token', message: 'must be at least 16 characters' },
      { field: 'settings.from', message: 'must match \\+[1-9][0-9]{1,14}' },
      { field: 'settings.messaging_service_sid', message: 'must match MG[0-9a-fA-F]{32}' },
    ]);
    expect(validateProviderSettings(twilioSmsProvider, { account_sid: SID, auth_token: TOKEN })).toEqual([
      { field: 'settings.from', message: 'enter a From number or a Messaging Service SID' },
    ]);
    expect(validateProviderSettings(twilioSmsProvider, { account_sid: SID, auth_token: TOKEN, messaging_service_sid: `MG${'0'.repeat(32)}` })).toEqual([]);
    expect(validateProviderSettings(twilioVoiceProvider, { account_sid: SID, auth_token: TOKEN })).toEqual([
      { field: 'settings.from', message: 'is required' },
    ]);
    expect(validateProviderSettings(twilioVoiceProvider, { account_sid: SID, auth_token: TOKEN, from: '+15017122661', api_base: 'ftp://x' })).toEqual([
      { field: 'settings.api_base', message: 'must be an http:// or https:// URL' },
    ]);
  });

  it('parses with the default API base and without empty optionals', () => {
    const normalized = normalizeProviderSettings(twilioSmsProvider, { account_sid: SID, auth_token: TOKEN, from: '+15017122661', messaging_service_sid: '' });
    if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
    expect(twilioSmsProvider.parseSettings(normalized.value)).toEqual({
      accountSid: SID,
      authToken: TOKEN,
      from: '+15017122661',
      apiBase: 'https://api.twilio.com',
    });
    expect(parseTwilioSettings({ account_sid: SID, auth_token: TOKEN, api_base: 'http://127.0.0.1:9/' }).apiBase).toBe('http://127.0.0.1:9');
  });
});
