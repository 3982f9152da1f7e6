import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { SmtpPeer } from '../harness/peers/smtp-peer.js';
import { HttpPeer } from '../harness/peers/http-peer.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';

const dialects = await testDialects();

interface Result {
  method: string;
  to: string;
  status: string;
  error: string | null;
}

describe.each(dialects)('test notifications on %s', (dialect) => {
  let h: Harness;
  let smtp: SmtpPeer;
  let room: HttpPeer;
  let twilio: FakeTwilio;
  let roomId: string;
  let mailId: string;
  let alice: { person: Person; client: ApiClient };

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    smtp = await SmtpPeer.start();
    room = await HttpPeer.start();
    twilio = await FakeTwilio.start();
    mailId = await h.provider('smtp', 'Company mail', { host: '127.0.0.1', port: smtp.port, secure: false, starttls: false, tls_verify: false, from: 'oncall@tocsin.example' });
    roomId = await h.provider('webhook', 'War room', { url: `${room.url}/room` });
    await h.provider('twilio_sms', 'Twilio SMS', { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: '+15005550006', api_base: twilio.url });
    alice = await h.person('responder', 'Alice Tester');
    await h.verifyEmail(alice.client, alice.person.id);
    await alice.client.patch('/api/v1/me', { phone: '+14155550123' });
    await alice.client.post('/api/v1/me/verifications', { kind: 'phone' });
    await h.advance('0s');
    const sms = await twilio.waitForMessage((m) => m.to === '+14155550123' && /\d{6}/.test(m.body));
    await alice.client.post('/api/v1/me/verifications/confirm', { kind: 'phone', code: /(\d{6})/.exec(sms.body)?.[1] });
  });
  afterAll(async () => {
    await h?.stop();
    await smtp?.close();
    await room?.close();
    await twilio?.close();
  });

  it('tests a group chat and shows a failure as it happened', async () => {
    const ok = await h.admin.post<Result>(`/api/v1/notification-providers/${roomId}/test`, {});
    expect(ok.body).toMatchObject({ status: 'sent', to: 'War room', error: null });
    expect(room.requests.at(-1)?.body).toMatch(/test/i);
    room.respondWith(500, 'room is down');
    const failed = await h.admin.post<Result>(`/api/v1/notification-providers/${roomId}/test`, {});
    expect(failed.body.status).toBe('failed');
    expect(failed.body.error).toMatch(/500/);
  });

  it('tests an email provider to a given address, and refuses a bad one', async () => {
    const sent = await h.admin.post<Result>(`/api/v1/notification-providers/${mailId}/test`, { to: 'someone@example.com' });
    expect(sent.body).toMatchObject({ status: 'sent', method: 'email', to: 'someone@example.com' });
    expect(smtp.messages.some((m) => m.envelope.to.includes('someone@example.com') && (m.parsed.subject ?? '').includes('[Test]'))).toBe(true);
    const bad = await h.admin.post<{ error: { field: string } }>(`/api/v1/notification-providers/${mailId}/test`, { to: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('to');
    expect((await alice.client.post(`/api/v1/notification-providers/${roomId}/test`, {})).status).toBe(403);
  });

  it('tests a person through each verified method', async () => {
    const tested = await alice.client.post<{ data: Result[] }>(`/api/v1/users/${alice.person.id}/test-notification`);
    expect(tested.status).toBe(200);
    expect(tested.body.data.map((r) => [r.method, r.status]).sort()).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
    ]);
    await twilio.waitForMessage((m) => m.to === '+14155550123' && m.body.includes('[Test]'));
    expect(smtp.messages.some((m) => m.envelope.to.includes(alice.person.email) && (m.parsed.subject ?? '').includes('[Test]'))).toBe(true);
    const bob = await h.person('responder', 'Bob');
    expect((await bob.client.post(`/api/v1/users/${alice.person.id}/test-notification`)).status).toBe(403);
    expect((await h.admin.post<{ data: Result[] }>(`/api/v1/users/${alice.person.id}/test-notification`)).body.data).toHaveLength(2);
  });
});
