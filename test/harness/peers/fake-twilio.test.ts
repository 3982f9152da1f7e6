import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio, gatherAction, redirectTarget, signTwilio } from './fake-twilio.js';
import { HttpPeer, type CapturedRequest } from './http-peer.js';

const AUTH = `Basic ${Buffer.from(`${FAKE_ACCOUNT_SID}:${FAKE_AUTH_TOKEN}`).toString('base64')}`;

async function post(
  url: string,
  form: Record<string, string> | [string, string][],
  authorization = AUTH,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The signature Twilio would send for `request` received at `url`, computed from the raw bytes. */
function expectedSignature(url: string, request: CapturedRequest): string {
  const params = [...new URLSearchParams(request.body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', FAKE_AUTH_TOKEN)
    .update(url + params.map(([n, v]) => n + v).join(''))
    .digest('base64');
}

describe('fake Twilio REST API', () => {
  let twilio: FakeTwilio;
  let messages: string;
  let calls: string;
  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    messages = `${twilio.url}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`;
    calls = `${twilio.url}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls.json`;
  });
  afterAll(() => twilio.close());
  beforeEach(() => twilio.reset());

  it('creates messages: 201 with Twilio-like JSON, recorded with the raw request', async () => {
    const created = await post(messages, { To: '+15558675310', From: '+15017122661', Body: 'hi', StatusCallback: 'http://127.0.0.1:1/s' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      sid: 'SM00000000000000000000000000000001',
      account_sid: FAKE_ACCOUNT_SID,
      to: '+15558675310',
      from: '+15017122661',
      body: 'hi',
      status: 'queued',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      error_code: null,
      uri: `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages/SM00000000000000000000000000000001.json`,
    });
    const message = await twilio.waitForMessage((m) => m.body === 'hi');
    expect([message.to, message.from, message.statusCallback, message.request.body]).toEqual([
      '+15558675310',
      '+15017122661',
      'http://127.0.0.1:1/s',
      'To=%2B15558675310&From=%2B15017122661&Body=hi&StatusCallback=http%3A%2F%2F127.0.0.1%3A1%2Fs',
    ]);
  });

  it('checks basic auth (401, code 20003) and the account in the path (404)', async () => {
    expect(
      await post(messages, { To: '+15558675310', From: '+15017122661', Body: 'x' }, `Basic ${Buffer.from(`${FAKE_ACCOUNT_SID}:wrong`).toString('base64')}`),
    ).toEqual({
      status: 401,
      json: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
    });
    expect((await post(messages, { To: '+1', Body: 'x' }, '')).status).toBe(401);
    const other = `${twilio.url}/2010-04-01/Accounts/AC${'f'.repeat(32)}/Messages.json`;
    expect((await post(other, { To: '+15558675310', From: '+15017122661', Body: 'x' })).json.code).toBe(20404);
    expect(twilio.messages).toEqual([]);
    expect(twilio.requests).toHaveLength(3);
  });

  it("validates like Twilio, with Twilio's error codes", async () => {
    const code = async (url: string, form: Record<string, string>): Promise<unknown> => (await post(url, form)).json.code;
    expect(await code(messages, { From: '+15017122661', Body: 'x' })).toBe(21604);
    expect(await code(messages, { To: '+15558675310', Body: 'x' })).toBe(21603);
    expect(await code(messages, { To: '+15558675310', From: '+15017122661' })).toBe(21602);
    expect(await post(messages, { To: '555', From: '+15017122661', Body: 'x' })).toEqual({
      status: 400,
      json: { code: 21211, message: "The 'To' number 555 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 },
    });
    expect(await code(messages, { To: '+15558675310', From: '+15017122661', Body: 'x'.repeat(1601) })).toBe(21617);
    expect(await code(calls, { From: '+15017122661', Twiml: '<Response/>' })).toBe(21201);
    expect(await code(calls, { To: '+15558675310', Twiml: '<Response/>' })).toBe(21213);
    expect(await code(calls, { To: '+15558675310', From: '+15017122661' })).toBe(21205);
  });

  it('creates calls with repeated StatusCallbackEvent values', async () => {
    const created = await post(calls, [
      ['To', '+15558675310'],
      ['From', '+15017122661'],
      ['Twiml', '<Response><Say>hi</Say></Response>'],
      ['StatusCallback', 'http://127.0.0.1:1/status'],
      ['StatusCallbackEvent', 'ringing'],
      ['StatusCallbackEvent', 'completed'],
    ]);
    expect([created.status, created.json.sid, created.json.status]).toEqual([201, 'CA00000000000000000000000000000001', 'queued']);
    const call = await twilio.waitForCall();
    expect([call.statusCallbackEvents, call.outcome, call.document]).toEqual([['ringing', 'completed'], 'completed', '<Response><Say>hi</Say></Response>']);
  });

  it('scripts failures per resource, with headers, and drops connections', async () => {
    twilio.failNext('messages', { status: 429, code: 20429, message: 'Too Many Requests', headers: { 'Retry-After': '3' } });
    twilio.dropNext('calls');
    const limited = await fetch(messages, { method: 'POST', headers: { authorization: AUTH }, body: 'To=%2B15558675310&From=%2B1501&Body=x' });
    expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([
      429,
      '3',
      { code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 },
    ]);
    await expect(post(calls, { To: '+15558675310', From: '+15017122661', Twiml: '<Response/>' })).rejects.toThrow('fetch failed');
    expect((await post(messages, { To: '+15558675310', From: '+15017122661', Body: 'x' })).status).toBe(201);
    expect([twilio.messages.length, twilio.calls.length, twilio.requests.length]).toEqual([1, 0, 3]);
    await expect(twilio.waitForCall(() => true, 30)).rejects.toThrow('fake Twilio: no matching call within 30 ms');
  });
});

describe('fake Twilio callbacks', () => {
  let twilio: FakeTwilio;
  let tocsin: HttpPeer;
  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    tocsin = await HttpPeer.start();
    twilio.incomingSmsUrl = `${tocsin.url}/callbacks/twilio/cfg/sms`;
  });
  afterAll(async () => {
    await tocsin.close();
    await twilio.close();
  });
  beforeEach(() => {
    twilio.reset();
    tocsin.reset();
  });

  it('signs exactly as Twilio documents (known vector)', () => {
    const params: [string, string][] = [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+14158675310'],
      ['Digits', '1234'],
      ['From', '+14158675310'],
      ['To', '+18005551212'],
    ];
    expect(signTwilio('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(signTwilio('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', [...params].reverse())).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('replies to an SMS with a signed form POST to the incoming-SMS webhook', async () => {
    await post(`${twilio.url}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`, { To: '+15558675310', From: '+15017122661', Body: 'alert' });
    const sent = await twilio.waitForMessage();
    tocsin.respondWith(200, '<Response><Message>Acknowledged &amp; thanks &lt;3</Message></Response>', { 'Content-Type': 'text/xml' });
    const exchange = await twilio.replySms(sent, 'ack 42');
    const request = await tocsin.waitFor();
    expect([request.method, request.path, request.headers['content-type'], request.headers['user-agent']]).toEqual([
      'POST',
      '/callbacks/twilio/cfg/sms',
      'application/x-www-form-urlencoded',
      'TwilioProxy/1.1',
    ]);
    const form = new URLSearchParams(request.body);
    expect([form.get('From'), form.get('To'), form.get('Body'), form.get('AccountSid'), form.get('MessageSid')]).toEqual([
      '+15558675310',
      '+15017122661',
      'ack 42',
      FAKE_ACCOUNT_SID,
      'SM00000000000000000000000000000002',
    ]);
    expect(request.headers['x-twilio-signature']).toBe(expectedSignature(`${tocsin.url}/callbacks/twilio/cfg/sms`, request));
    expect(exchange.replies).toEqual(['Acknowledged & thanks <3']);
  });

  it('runs a call: key presses to the Gather action (relative URLs resolved), Redirect on silence, final status', async () => {
    const base = `${tocsin.url}/cb`;
    const twiml = `<Response><Gather numDigits="1" action="${base}/gather?incident=i-1&amp;x=1" method="POST"><Say>Press 1</Say></Gather><Redirect method="POST">${base}/gather?incident=i-1&amp;attempt=1</Redirect></Response>`;
    await post(`${twilio.url}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls.json`, {
      To: '+15558675310',
      From: '+15017122661',
      Twiml: twiml,
      StatusCallback: `${base}/status`,
    });
    const call = await twilio.waitForCall();
    expect([gatherAction(call.document), redirectTarget(call.document)]).toEqual([`${base}/gather?incident=i-1&x=1`, `${base}/gather?incident=i-1&attempt=1`]);

    tocsin.respondWith(200, '<Response><Gather action="again?step=2"><Say>Once more</Say></Gather></Response>', { 'Content-Type': 'text/xml' });
    const silence = await twilio.noInput(call);
    expect([silence.url, silence.says]).toEqual([`${base}/gather?incident=i-1&attempt=1`, ['Once more']]);

    tocsin.respondWith(200, '<Response><Say>Acknowledged.</Say><Hangup/></Response>', { 'Content-Type': 'text/xml' });
    const pressed = await twilio.pressKey(call, '1');
    expect(pressed.url).toBe(`${base}/again?step=2`);
    const request = await tocsin.waitFor((r) => r.path === '/cb/again?step=2');
    const form = new URLSearchParams(request.body);
    expect([form.get('Digits'), form.get('CallSid'), form.get('To'), form.get('From'), form.get('CallStatus')]).toEqual([
      '1',
      call.sid,
      '+15558675310',
      '+15017122661',
      'in-progress',
    ]);
    expect(request.headers['x-twilio-signature']).toBe(expectedSignature(`${base}/again?step=2`, request));
    expect(call.ended).toBe(true);
    await expect(twilio.pressKey(call, '2')).rejects.toThrow('has ended');

    await twilio.finishCall(call);
    const status = await tocsin.waitFor((r) => r.path === '/cb/status');
    expect([new URLSearchParams(status.body).get('CallStatus'), new URLSearchParams(status.body).get('CallSid')]).toEqual(['completed', call.sid]);
    expect(status.headers['x-twilio-signature']).toBe(expectedSignature(`${base}/status`, status));
  });

  it('scripted outcomes: an unanswered call cannot gather and reports its status', async () => {
    twilio.nextCallOutcome('no-answer');
    await post(`${twilio.url}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls.json`, {
      To: '+15558675310',
      From: '+15017122661',
      Twiml: '<Response/>',
      StatusCallback: `${tocsin.url}/status`,
    });
    const call = await twilio.waitForCall();
    await expect(twilio.pressKey(call, '1')).rejects.toThrow(`call ${call.sid} was not answered (no-answer)`);
    await twilio.finishCall(call);
    const status = new URLSearchParams((await tocsin.waitFor()).body);
    expect([status.get('CallStatus'), status.get('CallDuration')]).toEqual(['no-answer', '0']);
  });

  it('reports message statuses with the error code', async () => {
    await post(`${twilio.url}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`, {
      To: '+15558675310',
      From: '+15017122661',
      Body: 'x',
      StatusCallback: `${tocsin.url}/status`,
    });
    await twilio.reportMessageStatus(await twilio.waitForMessage(), 'undelivered', 30003);
    const form = new URLSearchParams((await tocsin.waitFor()).body);
    expect([form.get('MessageStatus'), form.get('ErrorCode'), form.get('MessageSid')]).toEqual(['undelivered', '30003', 'SM00000000000000000000000000000001']);
  });
});
