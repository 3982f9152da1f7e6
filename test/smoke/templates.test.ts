import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';

const dialects = await testDialects();
const PHONE = '+14155550177';

// Eight nested sections over three labels repeat the inner text 3^8 = 6561 times: valid when saved,
// over the renderer's 1 000 000-character cap when rendered — a template that breaks at send time.
const EXPLOSIVE = `${'{{#incident.labelList}}'.repeat(8)}${'x'.repeat(200)}${'{{/incident.labelList}}'.repeat(8)}`;

describe.each(dialects)('per-channel templates on %s', (dialect) => {
  let h: Harness;
  let twilio: FakeTwilio;
  let me: { person: Person; client: ApiClient };
  let channel: { id: string };
  let key: string;

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    twilio = await FakeTwilio.start();
    await h.provider('twilio_sms', 'Twilio SMS', { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: '+15005550006', api_base: twilio.url });
    me = await h.person('responder', 'Tim Template');
    await me.client.patch('/api/v1/me', { phone: PHONE });
    await me.client.post('/api/v1/me/verifications', { kind: 'phone' });
    await h.advance('0s');
    const sms = await twilio.waitForMessage((m) => m.to === PHONE);
    await me.client.post('/api/v1/me/verifications/confirm', { kind: 'phone', code: /(\d{6})/.exec(sms.body)?.[1] });
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['sms'], Warning: ['sms'], Info: ['sms'] });
    channel = await h.channel('Templated');
    key = (await h.integration(channel.id, 'standard')).key;
    await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'SMS', spec: { levels: [{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] } });
  });
  afterAll(async () => {
    await h?.stop();
    await twilio?.close();
  });

  async function fire(title: string): Promise<{ id: string }> {
    await h.advance('2m'); // past the SMS throttle window of the previous page
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title, labels: { host: 'db-1', env: 'prod', team: 'dba' } });
    await h.advance('0s');
    const incidents = await h.incidents(channel.id);
    return incidents.find((i) => i.title === title) as { id: string };
  }

  it('a template edited through the API changes the next SMS; the preview renders the channel’s last incident', async () => {
    await fire('Before the edit');
    expect((await twilio.waitForMessage((m) => m.body.includes('Before the edit'))).body).toMatch(/^#\d+ Critical/);
    const saved = await h.admin.put(`/api/v1/channels/${channel.id}/templates/sms`, { text: 'PAGE {{incident.title}} on {{incident.channelName}}' });
    expect(saved.status).toBe(200);
    const preview = await h.admin.post<{ content: { text: string }; errors: unknown[] }>(`/api/v1/channels/${channel.id}/templates/sms/preview`, { text: 'NEXT {{incident.title}}' });
    expect(preview.body).toMatchObject({ content: { text: 'NEXT Before the edit' }, errors: [] });
    await fire('After the edit');
    expect((await twilio.waitForMessage((m) => m.body.includes('After the edit'))).body).toBe('PAGE After the edit on Templated');
  });

  it('refuses unknown variables on save, and only channel managers may edit', async () => {
    const bad = await h.admin.put<{ error: { field: string } }>(`/api/v1/channels/${channel.id}/templates/sms`, { text: '{{secrets}}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('templates.text');
    expect((await me.client.put(`/api/v1/channels/${channel.id}/templates/sms`, { text: 'mine' })).status).toBe(403);
  });

  it('a template that breaks at send time falls back to the default, and the timeline says so', async () => {
    expect((await h.admin.put(`/api/v1/channels/${channel.id}/templates/sms`, { text: EXPLOSIVE })).status).toBe(200);
    const incident = await fire('Broken template');
    const sms = await twilio.waitForMessage((m) => m.body.includes('Broken template'));
    expect(sms.body).toMatch(/^#\d+ Critical Triggered: Broken template/);
    const timeline = await h.admin.get<{ data: { kind: string; data?: unknown; payload?: unknown }[] }>(`/api/v1/incidents/${incident.id}/timeline`);
    const note = timeline.body.data.find((e) => e.kind === 'template_fallback');
    expect(JSON.stringify(note)).toContain('output longer than');
  });
});
