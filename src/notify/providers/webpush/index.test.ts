import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakePushService, decryptAes128gcm, encryptForTest, verifyVapid } from '../../../../test/harness/peers/fake-push.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { SUBSCRIPTION_GONE, generateVapidKeys, webPushProvider, type WebPushSettings } from './index.js';

guardOutbound();

const context: SendContext = { fetch: (input, init) => globalThis.fetch(input, init), now: Date.now() };
const vapid = generateVapidKeys();

function settings(raw: Record<string, unknown> = {}): WebPushSettings {
  const normalized = normalizeProviderSettings(webPushProvider, { vapid_subject: 'mailto:oncall@example.com', vapid_public_key: vapid.publicKey, vapid_private_key: vapid.privateKey, ...raw });
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return webPushProvider.parseSettings(normalized.value);
}

function pageTo(address: string): IncidentMessage {
  return {
    id: 'm-1',
    idempotencyKey: 'k-1',
    method: 'push',
    recipient: { kind: 'person', personId: 'p-1', name: 'Ada', address },
    kind: 'trigger',
    incident: sampleIncident(),
    content: { subject: '#42 Disk usage above 90% on db-1', text: 'Critical · Triggered · Databases' },
  };
}

describe('web push provider against a fake push service, decrypted with the test’s own keys', () => {
  let push: FakePushService;
  beforeAll(async () => {
    push = await FakePushService.start();
  });
  afterAll(async () => push.close());
  beforeEach(() => push.reset());

  it('the test’s decryption is itself right (round trip from the RFC construction)', () => {
    const subscription = push.subscribe();
    expect(decryptAes128gcm(encryptForTest('hello', subscription), subscription)).toBe('hello');
  });

  it('sends an aes128gcm body the subscriber decrypts to severity + title + links, with a valid VAPID JWT', async () => {
    const subscription = push.subscribe();
    const address = JSON.stringify({ endpoint: subscription.endpoint, keys: subscription.keys });
    const result = await webPushProvider.send(settings(), pageTo(address), context);
    expect(result).toEqual({ kind: 'sent', providerMessageId: `${push.url}/message/${subscription.id}-1` });
    const [request] = push.requests;
    expect(request?.headers['content-encoding']).toBe('aes128gcm');
    expect(request?.headers['content-type']).toBe('application/octet-stream');
    expect(request?.headers['ttl']).toBe('3600');
    expect(request?.headers['urgency']).toBe('high');
    const claims = verifyVapid(String(request?.headers['authorization']), push.url, Math.floor(Date.now() / 1000));
    expect(claims.sub).toBe('mailto:oncall@example.com');
    expect(String(request?.headers['authorization'])).toContain(`k=${vapid.publicKey}`);
    const body = push.bodies.get(subscription.id)?.[0];
    expect(JSON.parse(decryptAes128gcm(body ?? Buffer.alloc(0), subscription))).toEqual({
      title: '#42 Disk usage above 90% on db-1',
      body: 'Critical · Triggered · Databases',
      kind: 'trigger',
      severity: 'Critical',
      url: 'https://tocsin.example.com/incidents/42',
      incident_id: '0190a5c2-7f3e-7a00-8000-000000000042',
      number: 42,
      tag: '0190a5c2-7f3e-7a00-8000-000000000042',
      ack_url: 'https://tocsin.example.com/a/sample-ack',
      resolve_url: 'https://tocsin.example.com/a/sample-resolve',
    });
  });

  it('404/410 report the subscription gone; 429 waits for Retry-After', async () => {
    const subscription = push.subscribe();
    const address = JSON.stringify({ endpoint: subscription.endpoint, keys: subscription.keys });
    push.rateLimitNext();
    expect(await webPushProvider.send(settings(), pageTo(address), context)).toEqual({ kind: 'retry', error: 'webpush: HTTP 429: Too Many Requests', retryAfterMs: 7000 });
    push.gone(subscription.id);
    expect(await webPushProvider.send(settings(), pageTo(address), context)).toEqual({ kind: 'failed', error: `${SUBSCRIPTION_GONE} (HTTP 410)` });
    expect(await webPushProvider.send(settings(), pageTo('not a subscription'), context)).toMatchObject({ kind: 'failed' });
  });

  it('refuses VAPID keys that are not a pair or not keys', () => {
    expect(validateProviderSettings(webPushProvider, { vapid_subject: 'mailto:a@example.com', vapid_public_key: vapid.publicKey, vapid_private_key: 'A'.repeat(43) }).map((e) => e.field)).toEqual([
      'settings.vapid_private_key',
    ]);
  });
});
