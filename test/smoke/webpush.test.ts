import { createECDH } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unseal } from '../../src/core/seal.js';
import { generateVapidKeys } from '../../src/notify/providers/webpush/index.js';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { FakePushService, decryptAes128gcm, verifyVapid, type FakeSubscription } from '../harness/peers/fake-push.js';

const dialects = await testDialects();

interface Device {
  id: string;
  label: string;
  endpoint_origin: string;
  last_success_at: number | null;
}
interface Payload {
  title: string;
  body: string;
  severity: string;
  url: string;
  incident_id: string;
  tag: string;
  ack_url?: string;
  resolve_url?: string;
  kind: string;
}
interface TimelineEntry {
  kind: string;
  text: string;
  data: Record<string, unknown>;
}

const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

describe.each(dialects)('app push (Web Push) to registered devices on %s', (dialect) => {
  let h: Harness;
  let push: FakePushService;
  let me: { person: Person; client: ApiClient };
  let other: { person: Person; client: ApiClient };
  let publicKey: string;
  let phone: FakeSubscription;
  let laptop: FakeSubscription;
  let counter = 0;

  const body = (subscription: FakeSubscription) => ({ endpoint: subscription.endpoint, keys: subscription.keys, expirationTime: null });
  const devices = async (client: ApiClient = me.client) => (await client.get<{ data: Device[] }>('/api/v1/me/push-devices')).body.data;
  const timeline = async (id: string) => (await h.admin.get<{ data: TimelineEntry[] }>(`/api/v1/incidents/${id}/timeline`)).body.data;
  /** The payloads a subscription received, decrypted with the keys the test generated for it. */
  const received = (subscription: FakeSubscription): Payload[] => (push.bodies.get(subscription.id) ?? []).map((raw) => JSON.parse(decryptAes128gcm(raw, subscription)) as Payload);

  async function fire(title: string): Promise<{ id: string; number: number }> {
    counter += 1;
    const channel = await h.channel(`Push channel ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Push me',
      spec: { levels: [{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
    await h.advance('0s');
    const [incident] = await h.incidents(channel.id);
    if (!incident) throw new Error('no incident');
    return incident as { id: string; number: number };
  }

  beforeAll(async () => {
    h = await Harness.start(dialect);
    push = await FakePushService.start();
    me = await h.person('responder', 'Pia Push');
    other = await h.person('responder', 'Otto Other');
  });
  afterAll(async () => {
    await h?.stop();
    await push?.close();
  });

  it('works with zero setup: a built-in Web Push provider with generated VAPID keys, its public key given to the console', async () => {
    const config = await me.client.get<{ available: boolean; public_key: string; reason: string | null }>('/api/v1/me/push/config');
    expect(config.body).toMatchObject({ available: true, reason: null });
    expect(config.body.public_key).toMatch(/^[A-Za-z0-9_-]{87}$/);
    publicKey = config.body.public_key;
    const providers = await h.admin.get<{ data: { id: string; provider: string; enabled: boolean; settings: Record<string, unknown> }[] }>('/api/v1/notification-providers');
    const builtin = providers.body.data.find((p) => p.provider === 'webpush');
    expect(builtin).toMatchObject({ id: 'builtin-webpush', enabled: true, settings: { vapid_public_key: publicKey, vapid_private_key: '••••••' } });
    // The private key is sealed at rest.
    const row = await h.tocsin.db.kysely.selectFrom('notification_providers').select('settings_json').where('id', '=', 'builtin-webpush').executeTakeFirstOrThrow();
    const stored = JSON.parse(row.settings_json) as { vapid_private_key: string };
    expect(stored.vapid_private_key).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(unseal(h.tocsin.config.secretKey, stored.vapid_private_key), 'base64url'));
    expect(ecdh.getPublicKey().toString('base64url')).toBe(publicKey);
    // It can be switched off, not deleted (a restart would make new keys and orphan every device).
    expect((await h.admin.delete('/api/v1/notification-providers/builtin-webpush')).status).toBe(409);
  });

  it('registers my devices (upsert by endpoint), keeps them mine, and unlocks App push and the onboarding step', async () => {
    const methods = async () => (await me.client.get<{ data: { method: string; available: boolean; reason?: string }[] }>('/api/v1/me/notification-methods')).body.data.find((m) => m.method === 'push');
    expect(await methods()).toEqual({ method: 'push', available: false, reason: 'No device is registered for app push yet.' });
    expect((await me.client.get<{ push_device: boolean }>('/api/v1/me/onboarding')).body.push_device).toBe(false);

    phone = push.subscribe();
    const first = await me.client.request<Device>('POST', '/api/v1/me/push-devices', body(phone), { 'user-agent': ANDROID_CHROME });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ label: 'Chrome on Android', endpoint_origin: push.url, last_success_at: null });
    expect(JSON.stringify(first.body)).not.toContain('/push/');
    const again = await me.client.post<Device>('/api/v1/me/push-devices', { ...body(phone), label: 'Pixel 8' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, label: 'Pixel 8' });

    const bad = await me.client.post<{ error: { message: string } }>('/api/v1/me/push-devices', { endpoint: 'ftp://push.example/x', keys: { p256dh: 'abc', auth: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('endpoint');
    expect(bad.body.error.message).toContain('keys.p256dh');
    expect(bad.body.error.message).toContain('keys.auth');

    // Someone else neither sees nor removes nor tests my device.
    expect(await devices(other.client)).toEqual([]);
    expect((await other.client.delete(`/api/v1/me/push-devices/${first.body.id}`)).status).toBe(404);
    expect((await other.client.post(`/api/v1/me/push-devices/${first.body.id}/test`, {})).status).toBe(404);
    expect((await h.admin.delete(`/api/v1/me/push-devices/${first.body.id}`)).status).toBe(404);

    laptop = push.subscribe();
    expect((await me.client.request('POST', '/api/v1/me/push-devices', body(laptop), { 'user-agent': LINUX_CHROME })).status).toBe(201);
    expect((await devices()).map((d) => d.label)).toEqual(['Pixel 8', 'Chrome on Linux']);
    expect(await methods()).toEqual({ method: 'push', available: true });
    expect((await me.client.get<{ push_device: boolean }>('/api/v1/me/onboarding')).body.push_device).toBe(true);

    // A removed device is gone for good.
    const spare = push.subscribe();
    const spareId = (await me.client.post<Device>('/api/v1/me/push-devices', body(spare))).body.id;
    expect((await me.client.delete(`/api/v1/me/push-devices/${spareId}`)).status).toBe(204);
    expect((await devices()).map((d) => d.id)).not.toContain(spareId);
  });

  it('pages every device with an aes128gcm body it decrypts to severity, title and action links, signed by a valid VAPID JWT', async () => {
    expect((await me.client.put('/api/v1/me/notification-preferences', { Critical: ['push'], Warning: ['push'], Info: ['email'] })).status).toBe(200);
    push.reset();
    const incident = await fire('Checkout latency p99 above 2s');
    await push.waitFor((r) => r.path === `/push/${phone.id}`);
    await push.waitFor((r) => r.path === `/push/${laptop.id}`);
    expect(push.requests).toHaveLength(2);
    for (const request of push.requests) {
      expect(request.headers['content-encoding']).toBe('aes128gcm');
      expect(request.headers['urgency']).toBe('high');
      const authorization = String(request.headers['authorization']);
      // Signed with the built-in key the console subscribed with; aud = the push service's origin.
      expect(authorization).toContain(`k=${publicKey}`);
      const claims = verifyVapid(authorization, push.url, Math.floor(Date.now() / 1000));
      expect(claims.sub).toBe('mailto:oncall-admin@127.0.0.1');
    }

    // Each device decrypts its own copy with the keys this test generated for it (RFC 8291, not web-push's code).
    for (const subscription of [phone, laptop]) {
      const [payload] = received(subscription);
      expect(payload).toMatchObject({
        kind: 'trigger',
        severity: 'Critical',
        incident_id: incident.id,
        tag: incident.id,
        url: `${h.url}/incidents/${incident.id}`,
      });
      expect(payload?.title).toContain('Checkout latency p99 above 2s');
      expect(payload?.ack_url).toMatch(new RegExp(`^${h.url}/a/`));
      expect(payload?.resolve_url).toMatch(new RegExp(`^${h.url}/a/`));
    }
    // One device cannot open the other's copy.
    expect(() => decryptAes128gcm(push.bodies.get(phone.id)?.[0] ?? Buffer.alloc(0), laptop)).toThrow();

    const sent = (await timeline(incident.id)).filter((e) => e.kind === 'notification_sent').map((e) => e.text);
    expect(sent.sort()).toEqual(['Paged Pia Push by app push on Chrome on Linux (Web Push (built in)) — delivered', 'Paged Pia Push by app push on Pixel 8 (Web Push (built in)) — delivered'].sort());
    expect((await devices()).map((d) => d.last_success_at !== null)).toEqual([true, true]);
    // The delivery log names the device, never its subscription.
    const log = await h.admin.get(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(JSON.stringify(log.body)).toContain('Pixel 8');
    expect(JSON.stringify(log.body)).not.toContain('/push/sub');

    // The notification's Acknowledge action is the signed link the service worker POSTs to.
    const [payload] = received(phone);
    const acked = await fetch(payload?.ack_url ?? '', { method: 'POST' });
    expect(acked.status).toBe(200);
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${incident.id}`)).body.status).toBe('processing');

    // Both devices hear that it was taken: the follow-up replaces the page (same tag), Resolve still offered.
    await h.advance('0s');
    await expect.poll(() => [received(phone).length, received(laptop).length]).toEqual([2, 2]);
    for (const subscription of [phone, laptop]) {
      const followUp = received(subscription)[1];
      expect(followUp).toMatchObject({ kind: 'acknowledged', tag: incident.id, severity: 'Critical' });
      expect(followUp?.ack_url).toBeUndefined();
      expect(followUp?.resolve_url).toMatch(new RegExp(`^${h.url}/a/`));
    }
    const told = (await timeline(incident.id)).filter((e) => e.kind === 'notification_sent' && e.data.follow_up === 'acknowledged').map((e) => e.text);
    expect(told).toContain('Told Pia Push by app push on Pixel 8 that the incident is acknowledged — delivered');
  });

  it('removes a device its push service reports gone (410), says so on the timeline, and keeps paging the others', async () => {
    push.reset();
    push.gone(phone.id);
    const before = received(laptop).length;
    const incident = await fire('Payment webhooks failing');
    await push.waitFor((r) => r.path === `/push/${phone.id}` && r.reply.status === 410);
    await push.waitFor((r) => r.path === `/push/${laptop.id}`);
    await h.advance('0s');
    expect(received(laptop)).toHaveLength(before + 1);
    expect((await devices()).map((d) => d.label)).toEqual(['Chrome on Linux']);
    const failed = (await timeline(incident.id)).find((e) => e.kind === 'notification_failed');
    expect(failed?.text).toBe('Could not reach Pia Push by app push on Pixel 8: webpush subscription gone (HTTP 410); the device no longer accepts notifications and was removed from app push');
    expect(failed?.data).toMatchObject({ device_removed: true, fallback: null });
  });

  it('sends a test push to one device now, and removes it when the service says it is gone', async () => {
    const [device] = await devices();
    push.reset();
    const result = await me.client.post<{ status: string; removed: boolean }>(`/api/v1/me/push-devices/${device?.id}/test`, {});
    expect(result.body).toEqual({ status: 'sent', error: null, removed: false });
    const payload = received(laptop).at(-1);
    expect(payload).toMatchObject({ kind: 'test', url: `${h.url}/me` });
    expect(payload?.ack_url).toBeUndefined();
    push.gone(laptop.id);
    const gone = await me.client.post<{ status: string; removed: boolean }>(`/api/v1/me/push-devices/${device?.id}/test`, {});
    expect(gone.body).toMatchObject({ status: 'failed', removed: true });
    expect(await devices()).toEqual([]);
  });

  it('caps a person at 20 devices; re-registering one of them still works', async () => {
    const mine = Array.from({ length: 20 }, () => push.subscribe());
    for (const subscription of mine) expect((await other.client.post('/api/v1/me/push-devices', body(subscription))).status).toBe(201);
    const extra = await other.client.post<{ error: { code: string; message: string } }>('/api/v1/me/push-devices', body(push.subscribe()));
    expect(extra.status).toBe(409);
    expect(extra.body.error.message).toContain('20 devices');
    expect((await other.client.post('/api/v1/me/push-devices', { ...body(mine[0] as FakeSubscription), label: 'Renamed' })).status).toBe(200);
    expect(await devices(other.client)).toHaveLength(20);
  });

  it('uses the VAPID keys of TOCSIN_VAPID_* when set, and disabling the provider turns app push off', async () => {
    const keys = generateVapidKeys();
    const configured = await Harness.start(dialect, { env: { TOCSIN_VAPID_PUBLIC_KEY: keys.publicKey, TOCSIN_VAPID_PRIVATE_KEY: keys.privateKey, TOCSIN_VAPID_SUBJECT: 'mailto:sre@example.com' } });
    try {
      const config = await configured.admin.get<{ public_key: string }>('/api/v1/me/push/config');
      expect(config.body.public_key).toBe(keys.publicKey);
      expect((await configured.admin.patch('/api/v1/notification-providers/builtin-webpush', { enabled: false })).status).toBe(200);
      const off = await configured.admin.get<{ available: boolean; public_key: string | null; reason: string }>('/api/v1/me/push/config');
      expect(off.body).toMatchObject({ available: false, public_key: null });
      expect(off.body.reason).toContain('Web Push provider');
    } finally {
      await configured.stop();
    }
  });
});
