import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallbackReceiver, FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio, type ApiRequest } from '../../../../test/harness/peers/fake-twilio.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentView, MessageDraft, OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings } from '../../registry.js';
import { renderMessage, sampleIncident, smsSegments } from '../../templates.js';
import type { TwilioSettings } from './common.js';
import { parseSmsCommand, twilioSmsProvider } from './sms.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const ADA = '+15558675310';
const FROM = '+15017122661';
const CALLBACK_BASE = 'https://oncall.example.com/callbacks/twilio/cfg-sms';
// Read fetch at call time: the outbound guard replaces globalThis.fetch in beforeAll.
const context = (callbackBaseUrl?: string): SendContext => ({
  fetch: (input, init) => globalThis.fetch(input, init),
  now: NOW,
  ...(callbackBaseUrl !== undefined ? { callbackBaseUrl } : {}),
});

function settings(raw: Record<string, unknown>): TwilioSettings {
  const normalized = normalizeProviderSettings(twilioSmsProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return twilioSmsProvider.parseSettings(normalized.value);
}

function smsMessage(incident: Partial<IncidentView> = {}): OutboundMessage {
  const draft: MessageDraft = {
    id: 'msg-1',
    idempotencyKey: 'inc:1:1:p-ada:sms',
    method: 'sms',
    recipient: { kind: 'person', personId: 'p-ada', name: 'Ada Lovelace', address: ADA },
    kind: 'trigger',
    incident: { ...sampleIncident(), ...incident },
  };
  return renderMessage(draft).message;
}

/** Header pairs as sent, without the ones fetch (undici) adds by itself. */
function ownHeaders(request: ApiRequest): [string, string][] {
  const added = new Set(['host', 'connection', 'accept-language', 'sec-fetch-mode', 'accept-encoding']);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    if (!added.has(name.toLowerCase())) pairs.push([name, request.rawHeaders[i + 1] ?? '']);
  }
  return pairs;
}

const EXPECTED_BODY =
  'To=%2B15558675310&From=%2B15017122661&Body=%2342+Critical+Triggered%3A+Disk+usage+above+90%25+on+db-1+%28Databases%29' +
  '&StatusCallback=https%3A%2F%2Foncall.example.com%2Fcallbacks%2Ftwilio%2Fcfg-sms%2Fstatus';

describe('Twilio SMS against the fake Twilio', () => {
  let twilio: FakeTwilio;
  let base: TwilioSettings;
  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    base = settings({ account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: FROM, api_base: twilio.url });
  });
  afterAll(() => twilio.close());
  beforeEach(() => twilio.reset());

  it('POSTs the exact form body to Messages.json with basic auth; the sid is the provider message id', async () => {
    const message = smsMessage();
    expect(message.content.text).toBe('#42 Critical Triggered: Disk usage above 90% on db-1 (Databases)');
    expect(await twilioSmsProvider.send(base, message, context(CALLBACK_BASE))).toEqual({
      kind: 'sent',
      providerMessageId: 'SM00000000000000000000000000000001',
    });
    const sms = await twilio.waitForMessage();
    expect(sms.request.method).toBe('POST');
    expect(sms.request.path).toBe(`/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`);
    expect(sms.request.body).toBe(EXPECTED_BODY);
    expect(ownHeaders(sms.request)).toEqual([
      ['Authorization', `Basic ${Buffer.from(`${FAKE_ACCOUNT_SID}:${FAKE_AUTH_TOKEN}`).toString('base64')}`],
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Accept', 'application/json'],
      ['User-Agent', 'Tocsin-Twilio/1'],
      ['content-length', String(Buffer.byteLength(EXPECTED_BODY))],
    ]);
    expect(sms.form).toEqual([
      ['To', ADA],
      ['From', FROM],
      ['Body', message.content.text],
      ['StatusCallback', `${CALLBACK_BASE}/status`],
    ]);
  });

  it('sends through a Messaging Service when one is set, and without StatusCallback without a callback base', async () => {
    const mgSid = `MG${'ab'.repeat(16)}`;
    const s = settings({ account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: FROM, messaging_service_sid: mgSid, api_base: twilio.url });
    expect((await twilioSmsProvider.send(s, smsMessage(), context())).kind).toBe('sent');
    expect((await twilio.waitForMessage()).request.body).toBe(
      `To=%2B15558675310&MessagingServiceSid=${mgSid}&Body=%2342+Critical+Triggered%3A+Disk+usage+above+90%25+on+db-1+%28Databases%29`,
    );
  });

  it('keeps SMS to one segment: the templates truncate, GSM-7 with "...", otherwise UCS-2', async () => {
    const long = smsMessage({ title: `Replication lag on ${'db-primary-'.repeat(30)}` });
    const unicode = smsMessage({ title: '磁盘使用率超过 90%，'.repeat(10) });
    for (const message of [long, unicode]) {
      expect(smsSegments(message.content.text)).toBe(1);
      expect(await twilioSmsProvider.send(base, message, context())).toMatchObject({ kind: 'sent' });
    }
    expect(long.content.text).toHaveLength(160);
    expect(long.content.text.endsWith('...')).toBe(true);
    expect(unicode.content.text).toHaveLength(70);
    expect(twilio.messages.map((m) => m.body)).toEqual([long.content.text, unicode.content.text]);
  });

  it('maps answers: 4xx failed with Twilio’s code and message, 429/5xx/network retry', async () => {
    twilio.failNext('messages', { status: 400, code: 21211, message: "The 'To' number +15558675310 is not a valid phone number." });
    expect(await twilioSmsProvider.send(base, smsMessage(), context())).toEqual({
      kind: 'failed',
      error: "Twilio error 21211: The 'To' number +15558675310 is not a valid phone number. (HTTP 400)",
    });
    twilio.failNext('messages', { status: 429, code: 20429, message: 'Too Many Requests', headers: { 'Retry-After': '12' } });
    expect(await twilioSmsProvider.send(base, smsMessage(), context())).toEqual({
      kind: 'retry',
      error: 'Twilio error 20429: Too Many Requests (HTTP 429)',
      retryAfterMs: 12_000,
    });
    twilio.failNext('messages', { status: 503, code: 20503, message: 'Service Unavailable' });
    expect(await twilioSmsProvider.send(base, smsMessage(), context())).toEqual({ kind: 'retry', error: 'Twilio error 20503: Service Unavailable (HTTP 503)' });
    twilio.dropNext('messages');
    const dropped = await twilioSmsProvider.send(base, smsMessage(), context());
    expect(dropped.kind === 'retry' && dropped.error).toMatch(/^fetch failed/);
    expect(twilio.messages).toHaveLength(0);
    // The fake's own validation: a number that is not E.164.
    const bad = smsMessage();
    const result = await twilioSmsProvider.send(base, { ...bad, recipient: { kind: 'person', personId: 'p', name: 'P', address: '555-0100' } }, context());
    expect(result).toEqual({ kind: 'failed', error: "Twilio error 21211: The 'To' number 555-0100 is not a valid phone number. (HTTP 400)" });
  });

  it('a wrong auth token is a permanent failure (401, code 20003)', async () => {
    const wrong = { ...base, authToken: 'not-the-token-0000000000' };
    expect(await twilioSmsProvider.send(wrong, smsMessage(), context())).toEqual({ kind: 'failed', error: 'Twilio error 20003: Authenticate (HTTP 401)' });
  });

  it('refuses group chats and missing senders without a request', async () => {
    const group: OutboundMessage = { ...smsMessage(), recipient: { kind: 'group_chat', name: '#ops' } };
    expect(await twilioSmsProvider.send(base, group, context())).toEqual({ kind: 'failed', error: 'Twilio SMS sends to a person’s phone number only' });
    expect(await twilioSmsProvider.send({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, apiBase: twilio.url }, smsMessage(), context())).toEqual({
      kind: 'failed',
      error: 'no From number or Messaging Service SID is configured',
    });
    expect(twilio.requests).toHaveLength(0);
  });
});

describe('Twilio SMS replies and status callbacks, end to end', () => {
  let twilio: FakeTwilio;
  let tocsin: CallbackReceiver<TwilioSettings>;
  let base: TwilioSettings;
  let callbackBase: string;
  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    base = settings({ account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: FROM, api_base: twilio.url });
    tocsin = await CallbackReceiver.start(twilioSmsProvider, base);
    callbackBase = `${tocsin.url}/callbacks/twilio/cfg-sms`;
    twilio.incomingSmsUrl = `${callbackBase}/sms`;
  });
  afterAll(async () => {
    await tocsin.close();
    await twilio.close();
  });
  beforeEach(() => {
    twilio.reset();
    tocsin.received.length = 0;
  });

  it('a reply "1 42" acknowledges incident 42 and is confirmed by TwiML', async () => {
    await twilioSmsProvider.send(base, smsMessage(), context(callbackBase));
    const sms = await twilio.waitForMessage();
    const answer = await twilio.replySms(sms, '1 42');
    expect([answer.status, answer.contentType, answer.body]).toEqual([
      200,
      'text/xml; charset=utf-8',
      '<Response><Message>Acknowledged #42.</Message></Response>',
    ]);
    expect(tocsin.actions).toEqual([{ kind: 'acknowledge', incidentNumber: 42, from: ADA }]);
    expect(tocsin.received[0]?.request.url).toBe(`${callbackBase}/sms`);
  });

  it('bare replies carry no number; anything else gets the usage line', async () => {
    expect((await twilio.receiveSms({ from: ADA, to: FROM, body: 'resolve' })).replies).toEqual(['Resolved.']);
    const help = await twilio.receiveSms({ from: ADA, to: FROM, body: 'what?' });
    expect(help.body).toBe('<Response><Message>Reply 1 &lt;number&gt; to acknowledge, 2 &lt;number&gt; to resolve.</Message></Response>');
    expect(help.replies).toEqual(['Reply 1 <number> to acknowledge, 2 <number> to resolve.']);
    expect(tocsin.actions).toEqual([{ kind: 'resolve', from: ADA }]);
  });

  it('forged or re-signed-with-another-token requests get 401 and no action', async () => {
    const forged = await twilio.callback(
      `${callbackBase}/sms`,
      [
        ['From', ADA],
        ['Body', '2 42'],
      ],
      'another-token-000000000000',
    );
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${callbackBase}/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B15558675310&Body=2+42',
    });
    expect(unsigned.status).toBe(401);
    expect(tocsin.received.map((r) => r.verified)).toEqual([false, false]);
    expect(tocsin.actions).toEqual([]);
  });

  it('delivery statuses: delivered, undelivered with Twilio’s error code; sent says nothing', async () => {
    await twilioSmsProvider.send(base, smsMessage(), context(callbackBase));
    const sms = await twilio.waitForMessage();
    expect(sms.statusCallback).toBe(`${callbackBase}/status`);
    expect((await twilio.reportMessageStatus(sms, 'sent')).status).toBe(204);
    await twilio.reportMessageStatus(sms, 'delivered');
    await twilio.reportMessageStatus(sms, 'undelivered', 30003);
    expect(tocsin.actions).toEqual([
      { kind: 'delivery_status', providerMessageId: sms.sid, status: 'delivered' },
      { kind: 'delivery_status', providerMessageId: sms.sid, status: 'failed', error: 'undelivered: Twilio error 30003' },
    ]);
  });

  it('answers 404 to a voice-only callback path', async () => {
    const answer = await twilio.callback(`${callbackBase}/gather?incident=x`, [['Digits', '1']]);
    expect([answer.status, answer.body]).toEqual([404, 'unknown Twilio callback "gather"']);
  });
});

describe('reading SMS replies', () => {
  it.each([
    ['1 42', { kind: 'acknowledge', incidentNumber: 42 }],
    ['ack 42', { kind: 'acknowledge', incidentNumber: 42 }],
    ['ACK #42', { kind: 'acknowledge', incidentNumber: 42 }],
    ['Acknowledge 7', { kind: 'acknowledge', incidentNumber: 7 }],
    ['  1   #1234  ', { kind: 'acknowledge', incidentNumber: 1234 }],
    ['1#42', { kind: 'acknowledge', incidentNumber: 42 }],
    ['Ack 42.', { kind: 'acknowledge', incidentNumber: 42 }],
    ['1 042', { kind: 'acknowledge', incidentNumber: 42 }],
    ['2 42', { kind: 'resolve', incidentNumber: 42 }],
    ['resolve 42', { kind: 'resolve', incidentNumber: 42 }],
    ['Resolve #9!', { kind: 'resolve', incidentNumber: 9 }],
    ['1', { kind: 'acknowledge' }],
    ['ack', { kind: 'acknowledge' }],
    ['Ack.', { kind: 'acknowledge' }],
    ['2', { kind: 'resolve' }],
    ['RESOLVE', { kind: 'resolve' }],
    ['142', undefined],
    ['1 0', undefined],
    ['1 42 43', undefined],
    ['3 42', undefined],
    ['acked 42', undefined],
    ['ack forty-two', undefined],
    ['1 1234567890', undefined],
    ['', undefined],
    ['STOP', undefined],
    ['help', undefined],
  ])('%j', (body, expected) => {
    expect(parseSmsCommand(body)).toEqual(expected);
  });
});
