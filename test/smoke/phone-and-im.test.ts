import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio, signTwilio } from '../harness/peers/fake-twilio.js';
import { FakeFeishu } from '../harness/peers/fake-feishu.js';
import { FakeDingTalk } from '../harness/peers/fake-dingtalk.js';
import { FakeSlack } from '../harness/peers/fake-slack.js';

const dialects = await testDialects();
const TWILIO_NUMBER = '+15005550006';

describe.each(dialects)('phone calls, SMS and IM groups with two-way acknowledge on %s', (dialect) => {
  let h: Harness;
  let twilio: FakeTwilio;
  let feishu: FakeFeishu;
  let dingtalk: FakeDingTalk;
  let smsConfig: string;
  let feishuId: string;
  let dingtalkId: string;
  let me: { person: Person; client: ApiClient };
  let backup: { person: Person; client: ApiClient };
  let counter = 0;

  async function verifyPhone(who: { person: Person; client: ApiClient }, phone: string): Promise<void> {
    await who.client.patch('/api/v1/me', { phone });
    expect((await who.client.post('/api/v1/me/verifications', { kind: 'phone' })).status).toBe(202);
    await h.advance('0s');
    const sms = await twilio.waitForMessage((m) => m.to === phone && /\d{6}/.test(m.body));
    const code = /(\d{6})/.exec(sms.body)?.[1];
    const confirmed = await who.client.post<{ phone_verified: boolean }>('/api/v1/me/verifications/confirm', { kind: 'phone', code });
    expect(confirmed.body.phone_verified).toBe(true);
  }

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    twilio = await FakeTwilio.start();
    // The vendors check signature timestamps against their clock: here, Tocsin's manual one.
    feishu = await FakeFeishu.start({ secret: 'feishu-signing-secret', now: () => h.clock.now() });
    dingtalk = await FakeDingTalk.start({ secret: 'SECdingtalk-signing-secret', now: () => h.clock.now() });
    const twilioSettings = { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: TWILIO_NUMBER, api_base: twilio.url };
    smsConfig = await h.provider('twilio_sms', 'Twilio SMS', twilioSettings);
    await h.provider('twilio_voice', 'Twilio Voice', twilioSettings);
    twilio.incomingSmsUrl = `${h.url}/callbacks/twilio/${smsConfig}/sms`;
    feishuId = await h.provider('feishu', 'Ops Feishu group', { webhook_url: feishu.hookUrl, secret: 'feishu-signing-secret' });
    dingtalkId = await h.provider('dingtalk', 'Ops DingTalk group', { webhook_url: dingtalk.webhookUrl, secret: 'SECdingtalk-signing-secret' });
    me = await h.person('responder', 'Alice Phone');
    backup = await h.person('responder', 'Bob Phone');
    await verifyPhone(me, '+14155550100');
    await verifyPhone(backup, '+14155550101');
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['voice', 'sms'], Warning: ['sms'], Info: ['sms'] });
    await backup.client.put('/api/v1/me/notification-preferences', { Critical: ['sms'], Warning: ['sms'], Info: ['sms'] });
  });
  afterAll(async () => {
    await h?.stop();
    await twilio?.close();
    await feishu?.close();
    await dingtalk?.close();
  });

  async function scenario(first: { people: string[]; group_chats?: string[] }, second?: { people: string[] }) {
    counter += 1;
    const channel = await h.channel(`Phones ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const levels = [{ targets: first, methods: { kind: 'preferences' }, escalate_after_min: 30 }, ...(second ? [{ targets: second, methods: { kind: 'preferences' }, escalate_after_min: 30 }] : [])];
    expect((await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Phones', spec: { levels } })).status).toBe(201);
    return async (title: string) => {
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
      await h.advance('0s');
      const [incident] = await h.incidents(channel.id);
      return incident as { id: string; number: number };
    };
  }
  const status = async (id: string) => (await h.admin.get<{ status: string }>(`/api/v1/incidents/${id}`)).body.status;

  it('verifies the seed quick start: a call and an SMS to my verified phone, and cards in the Feishu and DingTalk groups', async () => {
    const fire = await scenario({ people: [me.person.id], group_chats: [feishuId, dingtalkId] });
    await fire('Database primary down');
    const call = await twilio.waitForCall((c) => c.to === '+14155550100');
    expect(call.twiml).toContain('Database primary down');
    expect(call.twiml).toMatch(/<Gather[^>]*numDigits="1"/);
    const sms = await twilio.waitForMessage((m) => m.to === '+14155550100' && m.body.includes('Database primary down'));
    expect(sms.from).toBe(TWILIO_NUMBER);
    const incident = (await h.admin.get<{ data: { id: string }[] }>(`/api/v1/incidents?q=Database primary down`)).body.data[0];
    const deliveries = await h.admin.get(`/api/v1/incidents/${incident?.id}/deliveries`);
    expect(JSON.stringify(feishu.messages), JSON.stringify(deliveries.body)).toContain('Database primary down');
    expect(JSON.stringify(dingtalk.messages)).toContain('Database primary down');
  });

  it('acknowledges by SMS reply "1" and stops the escalation', async () => {
    await h.advance('2m'); // past the per-person throttle window
    const fire = await scenario({ people: [me.person.id] }, { people: [backup.person.id] });
    const incident = await fire('Ledger lag');
    const sms = await twilio.waitForMessage((m) => m.to === '+14155550100' && m.body.includes('Ledger lag'));
    const exchange = await twilio.replySms(sms, '1');
    expect(exchange.status).toBe(200);
    expect(await status(incident.id)).toBe('processing');
    await h.advance('31m');
    expect(twilio.messages.some((m) => m.to === '+14155550101' && m.body.includes('Ledger lag'))).toBe(false);
  });

  it('acknowledges with key 1 and resolves with key 2 during the call', async () => {
    await h.advance('2m');
    const fire = await scenario({ people: [me.person.id] });
    const first = await fire('Keypress ack');
    const call = await twilio.waitForCall((c) => c.twiml.includes('Keypress ack'));
    await twilio.pressKey(call, '1');
    expect(await status(first.id)).toBe('processing');
    await h.advance('2m');
    const second = await fire('Keypress resolve');
    const call2 = await twilio.waitForCall((c) => c.twiml.includes('Keypress resolve'));
    await twilio.pressKey(call2, '2');
    expect(await status(second.id)).toBe('closed');
  });

  it('falls back to SMS when nobody answers the call', async () => {
    await h.advance('2m');
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['voice'], Warning: ['sms'], Info: ['sms'] });
    twilio.nextCallOutcome('no-answer');
    const fire = await scenario({ people: [me.person.id] });
    const incident = await fire('Nobody answers');
    const call = await twilio.waitForCall((c) => c.twiml.includes('Nobody answers'));
    expect(twilio.messages.some((m) => m.body.includes('Nobody answers'))).toBe(false);
    await twilio.finishCall(call);
    await h.advance('0s');
    const fallback = await twilio.waitForMessage((m) => m.to === '+14155550100' && m.body.includes('Nobody answers'));
    expect(fallback.body).toContain('Nobody answers');
    const kinds = (await h.admin.get<{ data: { kind: string }[] }>(`/api/v1/incidents/${incident.id}/timeline`)).body.data.map((e) => e.kind);
    expect(kinds).toContain('notification_failed');
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['voice', 'sms'], Warning: ['sms'], Info: ['sms'] });
  });

  it('falls back to SMS when voicemail answers the call (answering-machine detection)', async () => {
    await h.advance('2m');
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['voice'], Warning: ['sms'], Info: ['sms'] });
    twilio.nextCallOutcome('voicemail');
    const fire = await scenario({ people: [me.person.id] });
    await fire('Voicemail answers');
    const call = await twilio.waitForCall((c) => c.twiml.includes('Voicemail answers'));
    await twilio.finishCall(call);
    await h.advance('0s');
    const fallback = await twilio.waitForMessage((m) => m.to === '+14155550100' && m.body.includes('Voicemail answers'));
    expect(fallback.body).toContain('Voicemail answers');
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['voice', 'sms'], Warning: ['sms'], Info: ['sms'] });
  });

  it('acknowledges from a Slack button, updates the Slack message in place, and refuses a forged click', async () => {
    const secret = '8f742231b10e8888abcd99aaaaaa85a5';
    const slack = await FakeSlack.start({ signingSecret: secret });
    try {
      const slackId = await h.provider('slack', 'Ops Slack', { bot_token: 'xoxb-test-token', channel: 'C0OPS', signing_secret: secret, api_base: slack.apiBase });
      counter += 1;
      const channel = await h.channel(`Slack ${counter}`);
      const { key } = await h.integration(channel.id, 'standard');
      await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Slack', spec: { levels: [{ targets: { group_chats: [slackId] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] } });
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Slack button test', event_status: 'Critical', alert_key: 'slack-button' });
      await h.advance('0s');
      const [incident] = await h.incidents(channel.id);
      const posted = slack.callsOf('chat.postMessage');
      expect(JSON.stringify(posted.at(-1))).toContain('Slack button test');
      const callbackUrl = `${h.url}/callbacks/slack/${slackId}/interactivity`;
      // Slack names the clicking user by id only; Tocsin asks users.info for the email.
      slack.addUser(me.person.email, 'U0ADA');
      const forged = await slack.pressButton(callbackUrl, { actionId: 'tocsin_ack', value: incident?.id ?? '', userId: 'U0ADA' }, h.clock.now() - 10 * 60_000);
      expect(forged.status).toBe(401);
      expect(await status(incident?.id ?? '')).toBe('triggered');
      const pressed = await slack.pressButton(callbackUrl, { actionId: 'tocsin_ack', value: incident?.id ?? '', userId: 'U0ADA' }, h.clock.now());
      expect(pressed.status).toBe(200);
      expect(await status(incident?.id ?? '')).toBe('processing');
      await h.advance('0s');
      const updates = slack.callsOf('chat.update');
      expect(updates.length).toBeGreaterThan(0);
      expect(JSON.stringify(updates.at(-1))).toMatch(/[Aa]cknowledged/);
    } finally {
      await slack.close();
    }
  });

  it('shows a wrong Feishu or DingTalk secret as a failed delivery with the vendor error', async () => {
    const wrongFeishu = await h.provider('feishu', 'Misconfigured Feishu', { webhook_url: feishu.hookUrl, secret: 'not-the-feishu-secret' });
    const wrongDingTalk = await h.provider('dingtalk', 'Misconfigured DingTalk', { webhook_url: dingtalk.webhookUrl, secret: 'SECnot-the-dingtalk-secret' });
    const fire = await scenario({ people: [], group_chats: [wrongFeishu, wrongDingTalk] });
    const incident = await fire('Wrong secret');
    const deliveries = await h.admin.get<{ data: { recipient: { name: string }; status: string; last_error: string }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    const byName = new Map(deliveries.body.data.map((d) => [d.recipient.name, d]));
    expect(byName.get('Misconfigured Feishu')).toMatchObject({ status: 'failed', last_error: expect.stringContaining('19021') });
    expect(byName.get('Misconfigured DingTalk')).toMatchObject({ status: 'failed', last_error: expect.stringContaining('310000') });
  });

  it('queues a group card through vendor rate limits instead of dropping it', async () => {
    feishu.rateLimitNext(8);
    const fire = await scenario({ people: [], group_chats: [feishuId] });
    const incident = await fire('Through the rate limit');
    await h.advance('5m');
    const deliveries = await h.admin.get<{ data: { status: string; attempts: number }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(deliveries.body.data[0]).toMatchObject({ status: 'sent' });
    expect(deliveries.body.data[0]?.attempts).toBeGreaterThan(6);
    expect(JSON.stringify(feishu.messages)).toContain('Through the rate limit');
  });

  it('refuses forged Twilio callbacks with 401', async () => {
    const url = `${h.url}/callbacks/twilio/${smsConfig}/sms`;
    const params: [string, string][] = [
      ['From', '+14155550100'],
      ['To', TWILIO_NUMBER],
      ['Body', '1'],
    ];
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio('not-the-auth-token', url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(unsigned.status).toBe(401);
  });

  it('skips an unverified phone with a timeline entry', async () => {
    const carol = await h.person('responder', 'Carol No Phone');
    await carol.client.patch('/api/v1/me', { phone: '+14155550199' });
    await carol.client.put('/api/v1/me/notification-preferences', { Critical: ['sms'], Warning: ['sms'], Info: ['sms'] });
    const fire = await scenario({ people: [carol.person.id] });
    const incident = await fire('Unverified phone');
    const entries = (await h.admin.get<{ data: { kind: string; data: { reasons?: string[] } }[] }>(`/api/v1/incidents/${incident.id}/timeline`)).body.data;
    expect(entries.find((e) => e.kind === 'unreachable')?.data.reasons).toEqual(expect.arrayContaining(['sms: phone not verified']));
    expect(twilio.messages.some((m) => m.to === '+14155550199')).toBe(false);
  });
});
