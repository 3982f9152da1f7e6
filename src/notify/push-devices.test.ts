import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deviceLabel, endpointOfAddress, normalizePushDevice, pushAddress, withoutPushAddress } from './push-devices.js';

function keys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

describe('push devices', () => {
  it('accepts a browser subscription (padding stripped) and labels it from the User-Agent', () => {
    const k = keys();
    const result = normalizePushDevice({ endpoint: ' https://fcm.googleapis.com/fcm/send/abc:def ', keys: { p256dh: `${k.p256dh}=`, auth: `${k.auth}==` } }, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1');
    expect(result).toEqual({ ok: true, value: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def', p256dh: k.p256dh, auth: k.auth, label: 'Safari on iPhone' } });
  });

  it('names every broken rule at once', () => {
    const compressed = Buffer.concat([Buffer.from([2]), randomBytes(32)]).toString('base64url');
    const result = normalizePushDevice({ endpoint: 'javascript:alert(1)', keys: { p256dh: compressed, auth: randomBytes(8).toString('base64url') }, label: 'x'.repeat(101) }, undefined);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(['endpoint', 'keys.p256dh', 'keys.auth', 'label']);
    expect(normalizePushDevice({ endpoint: `https://push.example/${'a'.repeat(1100)}`, keys: keys() }, undefined)).toMatchObject({ ok: false, errors: [{ field: 'endpoint' }] });
  });

  it('tells common browsers and systems apart', () => {
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).toBe('Edge on Windows');
    expect(deviceLabel('Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0')).toBe('Firefox on Android');
    expect(deviceLabel('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15')).toBe('Safari on macOS');
    expect(deviceLabel(undefined)).toBe('Browser');
  });

  it('round-trips the outbox address and hides it in the delivery log', () => {
    const k = keys();
    const address = pushAddress({ endpoint: 'https://push.example/s/1', p256dh: k.p256dh, auth: k.auth });
    expect(JSON.parse(address)).toEqual({ endpoint: 'https://push.example/s/1', keys: k });
    expect(endpointOfAddress(address)).toBe('https://push.example/s/1');
    expect(endpointOfAddress('not json')).toBeUndefined();
    const shown = withoutPushAddress(JSON.stringify({ kind: 'person', name: 'Ada', address, device: 'Pixel 8' }));
    expect(JSON.parse(shown)).toEqual({ kind: 'person', name: 'Ada', address: 'Pixel 8', device: 'Pixel 8' });
  });
});
