import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallbackReceiver, FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../../../../test/harness/peers/fake-twilio.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessageKind, IncidentView, MessageDraft, OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings } from '../../registry.js';
import { renderMessage, sampleIncident } from '../../templates.js';
import type { TwilioSettings } from './common.js';
import { callTwiml, MAX_TWIML, twilioVoiceProvider } from './voice.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const ADA = '+15558675310';
const FROM = '+15017122661';
const INCIDENT_ID = '0190a5c2-7f3e-7a00-8000-000000000042';
const CALLBACK_BASE = 'https://oncall.example.com/callbacks/twilio/cfg-voice';
const context = (callbackBaseUrl?: string): SendContext => ({
  fetch: (input, init) => globalThis.fetch(input, init),
  now: NOW,
  ...(callbackBaseUrl !== undefined ? { callbackBaseUrl } : {}),
});
const ada = { kind: 'person', personId: 'p-ada', name: 'Ada Lovelace', address: ADA } as const;

function settings(raw: Record<string, unknown>): TwilioSettings {
  const normalized = normalizeProviderSettings(twilioVoiceProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return twilioVoiceProvider.parseSettings(normalized.value);
}

function voiceMessage(kind: IncidentMessageKind = 'trigger', incident: Partial<IncidentView> = {}): OutboundMessage {
  const draft: MessageDraft = {
    id: 'msg-v',
    idempotencyKey: 'inc:1:1:p-ada:voice',
    method: 'voice',
    recipient: ada,
    kind,
    incident: { ...sampleIncident(), ...incident },
  };
  return renderMessage(draft).message;
}

const SPOKEN = 'Tocsin alert. Critical incident 42, Triggered: Disk usage above 90% on db-1. Channel Databases.';
const EXPECTED_TWIML =
  '<Response><Gather numDigits="1" action="https://oncall.example.com/callbacks/twilio/cfg-voice/gather?incident=0190a5c2-7f3e-7a00-8000-000000000042" method="POST">' +
  `<Say>${SPOKEN} Press 1 to acknowledge, 2 to resolve.</Say></Gather><Say>No key was pressed.</Say>` +
  '<Redirect method="POST">https://oncall.example.com/callbacks/twilio/cfg-voice/gather?incident=0190a5c2-7f3e-7a00-8000-000000000042&amp;attempt=1</Redirect></Response>';

describe('Twilio Voice TwiML', () => {
  it('an incident call: the spoken text and the menu inside <Gather>, then a repeat', () => {
    const message = voiceMessage();
    expect(message.content.text).toBe(SPOKEN);
    expect(callTwiml(message, CALLBACK_BASE)).toBe(EXPECTED_TWIML);
    expect(callTwiml(message, `${CALLBACK_BASE}/`)).toBe(EXPECTED_TWIML);
  });

  it('XML-escapes titles and channel names from alert sources', () => {
    const twiml = callTwiml(voiceMessage('trigger', { title: '<Hangup/> & "disk" </Say><Dial>+1900</Dial>', channelName: 'R&D <db>' }), CALLBACK_BASE);
    expect(twiml).toContain(
      '<Say>Tocsin alert. Critical incident 42, Triggered: &lt;Hangup/&gt; &amp; "disk" &lt;/Say&gt;&lt;Dial&gt;+1900&lt;/Dial&gt;. Channel R&amp;D &lt;db&gt;. Press 1 to acknowledge, 2 to resolve.</Say>',
    );
    expect(twiml.match(/<[A-Za-z]+/g)).toEqual(['<Response', '<Gather', '<Say', '<Say', '<Redirect']);
  });

  it('escapes the incident id in URLs and stays within Twilio’s 4000 characters', () => {
    const odd = { ...voiceMessage(), incident: { ...sampleIncident(), id: 'a&b "c"' } } as OutboundMessage;
    expect(callTwiml(odd, CALLBACK_BASE)).toContain('action="https://oncall.example.com/callbacks/twilio/cfg-voice/gather?incident=a%26b%20%22c%22"');
    const hostile = { ...voiceMessage(), content: { text: '&'.repeat(600) + '<'.repeat(600) } } as OutboundMessage;
    const twiml = callTwiml(hostile, CALLBACK_BASE);
    expect(twiml.length).toBeLessThanOrEqual(MAX_TWIML);
    expect(twiml).toMatch(/&amp;…<\/Say>|&lt;… Press 1/);
    expect(twiml).toContain('Press 1 to acknowledge, 2 to resolve.</Say></Gather>');
  });

  it('bundles, verification codes, other kinds and calls without a callback base say the text twice', () => {
    const bundle = renderMessage({
      id: 'b',
      idempotencyKey: 'kb',
      method: 'voice',
      recipient: ada,
      kind: 'bundle',
      bundle: [sampleIncident(), { ...sampleIncident(), number: 43, title: 'Load > 9' }],
    }).message;
    expect(callTwiml(bundle, CALLBACK_BASE)).toBe(
      '<Response><Say>Tocsin alert. 2 incidents. Incident 42: Disk usage above 90% on db-1. Incident 43: Load &gt; 9.</Say><Pause length="1"/>' +
        '<Say>Tocsin alert. 2 incidents. Incident 42: Disk usage above 90% on db-1. Incident 43: Load &gt; 9.</Say></Response>',
    );
    const code = renderMessage({ id: 'c', idempotencyKey: 'kc', method: 'voice', recipient: ada, kind: 'verification', code: '4 2 7 1' }).message;
    expect(callTwiml(code, CALLBACK_BASE)).toBe(
      '<Response><Say>Your Tocsin verification code is 4 2 7 1.</Say><Pause length="1"/><Say>Your Tocsin verification code is 4 2 7 1.</Say></Response>',
    );
    expect(callTwiml(voiceMessage('resolved'), CALLBACK_BASE)).not.toContain('<Gather');
    expect(callTwiml(voiceMessage(), undefined)).toBe(`<Response><Say>${SPOKEN}</Say><Pause length="1"/><Say>${SPOKEN}</Say></Response>`);
  });
});

describe('Twilio Voice against the fake Twilio', () => {
  let twilio: FakeTwilio;
  let tocsin: CallbackReceiver<TwilioSettings>;
  let base: TwilioSettings;
  let callbackBase: string;
  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    base = settings({ account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: FROM, api_base: twilio.url });
    tocsin = await CallbackReceiver.start(twilioVoiceProvider, base);
    callbackBase = `${tocsin.url}/callbacks/twilio/cfg-voice`;
  });
  afterAll(async () => {
    await tocsin.close();
    await twilio.close();
  });
  beforeEach(() => {
    twilio.reset();
    tocsin.received.length = 0;
  });

  it('POSTs the exact form body to Calls.json; the CallSid is the provider message id', async () => {
    expect(await twilioVoiceProvider.send(base, voiceMessage(), context(CALLBACK_BASE))).toEqual({
      kind: 'sent',
      providerMessageId: 'CA00000000000000000000000000000001',
    });
    const call = await twilio.waitForCall();
    expect(call.request.path).toBe(`/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Calls.json`);
    expect(call.request.headers.authorization).toBe(`Basic ${Buffer.from(`${FAKE_ACCOUNT_SID}:${FAKE_AUTH_TOKEN}`).toString('base64')}`);
    expect(call.request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.request.body).toBe(
      'To=%2B15558675310&From=%2B15017122661' +
        '&Twiml=%3CResponse%3E%3CGather+numDigits%3D%221%22+action%3D%22https%3A%2F%2Foncall.example.com%2Fcallbacks%2Ftwilio%2Fcfg-voice%2Fgather' +
        '%3Fincident%3D0190a5c2-7f3e-7a00-8000-000000000042%22+method%3D%22POST%22%3E%3CSay%3ETocsin+alert.+Critical+incident+42%2C+Triggered%3A' +
        '+Disk+usage+above+90%25+on+db-1.+Channel+Databases.+Press+1+to+acknowledge%2C+2+to+resolve.%3C%2FSay%3E%3C%2FGather%3E%3CSay%3ENo+key+was' +
        '+pressed.%3C%2FSay%3E%3CRedirect+method%3D%22POST%22%3Ehttps%3A%2F%2Foncall.example.com%2Fcallbacks%2Ftwilio%2Fcfg-voice%2Fgather%3Fincident' +
        '%3D0190a5c2-7f3e-7a00-8000-000000000042%26amp%3Battempt%3D1%3C%2FRedirect%3E%3C%2FResponse%3E' +
        '&StatusCallback=https%3A%2F%2Foncall.example.com%2Fcallbacks%2Ftwilio%2Fcfg-voice%2Fstatus&StatusCallbackEvent=completed&MachineDetection=Enable',
    );
    expect([call.twiml, call.statusCallback, call.statusCallbackEvents]).toEqual([EXPECTED_TWIML, `${CALLBACK_BASE}/status`, ['completed']]);
  });

  it('without a callback base: no StatusCallback, a say-only call', async () => {
    await twilioVoiceProvider.send(base, voiceMessage(), context());
    const call = await twilio.waitForCall();
    expect(call.form.map(([n]) => n)).toEqual(['To', 'From', 'Twiml']);
  });

  it('pressing 1 acknowledges the incident for the called person; the call says "Acknowledged." and hangs up', async () => {
    await twilioVoiceProvider.send(base, voiceMessage(), context(callbackBase));
    const call = await twilio.waitForCall();
    const answer = await twilio.pressKey(call, '1');
    expect(answer.url).toBe(`${callbackBase}/gather?incident=${INCIDENT_ID}`);
    expect([answer.status, answer.contentType, answer.body]).toEqual([
      200,
      'text/xml; charset=utf-8',
      '<Response><Say>Acknowledged. Goodbye.</Say><Hangup/></Response>',
    ]);
    expect(tocsin.actions).toEqual([{ kind: 'acknowledge', incidentId: INCIDENT_ID, from: ADA }]);
    expect(call.ended).toBe(true);
    await twilio.finishCall(call);
    expect(tocsin.actions.at(-1)).toEqual({ kind: 'delivery_status', providerMessageId: call.sid, status: 'delivered' });
  });

  it('answering-machine detection: a call voicemail picked up is a failed delivery, a person is delivered', async () => {
    twilio.nextCallOutcome('voicemail');
    await twilioVoiceProvider.send(base, voiceMessage(), context(callbackBase));
    const call = await twilio.waitForCall();
    expect(call.form).toContainEqual(['MachineDetection', 'Enable']);
    await twilio.finishCall(call);
    expect(tocsin.actions.at(-1)).toEqual({ kind: 'delivery_status', providerMessageId: call.sid, status: 'failed', error: 'answered by voicemail (machine_end_beep)', unanswered: true });
  });

  it('another key repeats the menu; then 2 resolves', async () => {
    await twilioVoiceProvider.send(base, voiceMessage(), context(callbackBase));
    const call = await twilio.waitForCall();
    const gather = `${callbackBase}/gather?incident=${INCIDENT_ID}`;
    const wrong = await twilio.pressKey(call, '9');
    expect(wrong.body).toBe(
      `<Response><Say>Sorry, that is not an option.</Say><Gather numDigits="1" action="${gather}" method="POST"><Say>Press 1 to acknowledge, 2 to resolve.</Say></Gather>` +
        `<Say>No key was pressed.</Say><Redirect method="POST">${gather}&amp;attempt=1</Redirect></Response>`,
    );
    expect((await twilio.pressKey(call, '2')).says).toEqual(['Resolved. Goodbye.']);
    expect(tocsin.actions).toEqual([{ kind: 'resolve', incidentId: INCIDENT_ID, from: ADA }]);
  });

  it('no key: the menu is said three times in all, then goodbye', async () => {
    await twilioVoiceProvider.send(base, voiceMessage(), context(callbackBase));
    const call = await twilio.waitForCall();
    const second = await twilio.noInput(call);
    expect(second.url).toBe(`${callbackBase}/gather?incident=${INCIDENT_ID}&attempt=1`);
    expect(second.says).toEqual(['Press 1 to acknowledge, 2 to resolve.', 'No key was pressed.']);
    const third = await twilio.noInput(call);
    expect(third.url).toBe(`${callbackBase}/gather?incident=${INCIDENT_ID}&attempt=2`);
    expect(third.says).toEqual(['Press 1 to acknowledge, 2 to resolve.', 'No key was pressed.']);
    const last = await twilio.noInput(call);
    expect(last.body).toBe('<Response><Say>Goodbye.</Say><Hangup/></Response>');
    expect(call.ended).toBe(true);
    expect(tocsin.actions).toEqual([]);
  });

  it.each(['no-answer', 'busy', 'failed', 'canceled'] as const)('a %s call is a failed attempt', async (outcome) => {
    twilio.nextCallOutcome(outcome);
    expect((await twilioVoiceProvider.send(base, voiceMessage(), context(callbackBase))).kind).toBe('sent');
    const call = await twilio.waitForCall();
    await expect(twilio.pressKey(call, '1')).rejects.toThrow(`was not answered (${outcome})`);
    expect((await twilio.finishCall(call)).status).toBe(204);
    expect(tocsin.actions).toEqual([{ kind: 'delivery_status', providerMessageId: call.sid, status: 'failed', error: outcome, ...(outcome !== 'canceled' && { unanswered: true }) }]);
  });

  it('forged key presses are refused', async () => {
    const forged = await twilio.callback(
      `${callbackBase}/gather?incident=${INCIDENT_ID}`,
      [
        ['Digits', '2'],
        ['To', ADA],
      ],
      'not-the-auth-token-000000',
    );
    expect(forged.status).toBe(401);
    expect(tocsin.actions).toEqual([]);
  });

  it('maps REST failures like SMS: 4xx failed with Twilio’s code, 5xx retry', async () => {
    twilio.failNext('calls', { status: 400, code: 21215, message: 'Geo Permission configuration is not permitting call' });
    expect(await twilioVoiceProvider.send(base, voiceMessage(), context())).toEqual({
      kind: 'failed',
      error: 'Twilio error 21215: Geo Permission configuration is not permitting call (HTTP 400)',
    });
    twilio.failNext('calls', { status: 500, code: 20500, message: 'Internal Server Error' });
    expect(await twilioVoiceProvider.send(base, voiceMessage(), context())).toEqual({
      kind: 'retry',
      error: 'Twilio error 20500: Internal Server Error (HTTP 500)',
    });
    expect(await twilioVoiceProvider.send({ ...base, from: undefined }, voiceMessage(), context())).toEqual({
      kind: 'failed',
      error: 'no From number is configured',
    });
    expect(twilio.calls).toHaveLength(0);
  });

  it('answers 404 to an SMS-only callback path', async () => {
    expect((await twilio.callback(`${callbackBase}/sms`, [['Body', '1']])).status).toBe(404);
  });
});
