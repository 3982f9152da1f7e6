import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';

const dialects = await testDialects();

/**
 * Twilio voice (issue 12 item 5): with "call again after 1 minute when unanswered", a call nobody
 * answers (or voicemail answers) is placed once more a minute later, and only then does the page
 * fall back to the next method. A Chinese reader's call is spoken in Mandarin.
 */
describe.each(dialects)('Twilio voice: one retry of an unanswered call, then fallback; calls in Chinese on %s', (dialect) => {
  let h: Harness;
  let twilio: FakeTwilio;
  let counter = 0;

  async function personWithPhone(name: string, phone: string, locale?: string): Promise<{ person: Person; client: ApiClient }> {
    const who = await h.person('responder', name);
    if (locale) await who.client.patch('/api/v1/me', { locale });
    await who.client.patch('/api/v1/me', { phone });
    await who.client.post('/api/v1/me/verifications', { kind: 'phone' });
    await h.advance('0s');
    const sms = await twilio.waitForMessage((m) => m.to === phone && /\d{6}/.test(m.body));
    await who.client.post('/api/v1/me/verifications/confirm', { kind: 'phone', code: /(\d{6})/.exec(sms.body)?.[1] });
    await who.client.put('/api/v1/me/notification-preferences', { Critical: ['voice'], Warning: ['sms'], Info: ['sms'] });
    return who;
  }

  async function fire(personId: string, title: string): Promise<{ id: string }> {
    counter += 1;
    const channel = await h.channel(`Voice ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Voice', spec: { levels: [{ targets: { people: [personId] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] } });
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
    await h.advance('0s');
    const [incident] = await h.incidents(channel.id);
    return incident as { id: string };
  }

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    twilio = await FakeTwilio.start();
    const settings = { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: '+15005550006', api_base: twilio.url };
    await h.provider('twilio_sms', 'Twilio SMS', settings);
    await h.provider('twilio_voice', 'Twilio Voice', { ...settings, retry_unanswered: true });
  });
  afterAll(async () => {
    await h?.stop();
    await twilio?.close();
  });

  it('no answer → the same call again after one minute → voicemail → SMS fallback', async () => {
    const me = await personWithPhone('Rita Redial', '+14155550177');
    twilio.nextCallOutcome('no-answer');
    const incident = await fire(me.person.id, 'Redial when unanswered');
    const calls = () => twilio.calls.filter((c) => c.to === '+14155550177');
    const first = await twilio.waitForCall((c) => c.to === '+14155550177');
    await twilio.finishCall(first);
    await h.advance('0s');
    // Not the fallback yet: the redial waits for its minute.
    expect(twilio.messages.some((m) => m.body.includes('Redial when unanswered'))).toBe(false);
    const failed = (await h.admin.get<{ data: { kind: string; data: Record<string, unknown> }[] }>(`/api/v1/incidents/${incident.id}/timeline`)).body.data.find((e) => e.kind === 'notification_failed');
    expect(failed?.data).toMatchObject({ method: 'voice', error: 'no-answer', redial_at: expect.any(Number) });
    await h.advance('55s');
    expect(calls()).toHaveLength(1);
    twilio.nextCallOutcome('voicemail');
    await h.advance('10s');
    expect(calls()).toHaveLength(2);
    expect(calls()[1]?.twiml).toBe(calls()[0]?.twiml);
    await twilio.finishCall(calls()[1]!);
    await h.advance('0s');
    const sms = await twilio.waitForMessage((m) => m.to === '+14155550177' && m.body.includes('Redial when unanswered'));
    expect(sms.body).toContain('Critical');
    // One retry only: nothing more is called.
    await h.advance('5m');
    expect(calls()).toHaveLength(2);
    const log = await h.admin.get<{ data: { method: string; status: string }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(log.body.data.map((d) => `${d.method}:${d.status}`).sort()).toEqual(['sms:sent', 'voice:failed', 'voice:failed']);
  });

  it('a call answered on the retry is not followed by a fallback', async () => {
    const me = await personWithPhone('Omar Once', '+14155550178');
    twilio.nextCallOutcome('busy');
    await fire(me.person.id, 'Busy then answered');
    await twilio.finishCall(await twilio.waitForCall((c) => c.to === '+14155550178'));
    await h.advance('0s');
    await h.advance('61s');
    const second = twilio.calls.filter((c) => c.to === '+14155550178')[1];
    expect(second).toBeDefined();
    await twilio.finishCall(second!);
    await h.advance('2m');
    expect(twilio.messages.some((m) => m.body.includes('Busy then answered'))).toBe(false);
  });

  it('calls a zh-CN person in Mandarin, and answers their key in Mandarin', async () => {
    const wang = await personWithPhone('Wang Wei', '+8613800138111', 'zh-CN');
    const incident = await fire(wang.person.id, 'Disk full');
    const call = await twilio.waitForCall((c) => c.to === '+8613800138111');
    expect(call.twiml).toContain('<Say voice="Polly.Zhiyu" language="cmn-CN">Tocsin 告警。严重故障');
    expect(call.twiml).toContain('按 1 认领，按 2 解决。');
    expect(call.twiml).toContain('&amp;lang=zh-CN');
    const pressed = await twilio.pressKey(call, '1');
    expect(pressed.says).toEqual(['已认领。 再见。']);
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${incident.id}`)).body.status).toBe('processing');
  });
});
