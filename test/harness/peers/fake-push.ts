/**
 * A fake Web Push service (RFC 8030) on 127.0.0.1, plus a fake browser: `subscribe()` makes a
 * subscription whose endpoint is this service and whose keys the test generated itself (P-256 ECDH
 * pair + 16-byte auth secret), and `decrypt()` opens an aes128gcm body (RFC 8188 / RFC 8291) with those
 * keys — written from the RFCs, independently of the `web-push` package the provider uses.
 * `verifyVapid()` checks the `Authorization: vapid t=<JWT>, k=<key>` header (RFC 8292): ES256 signature
 * by `k`, `aud` = this service's origin, `exp` within 24 h, `sub` a mailto: or https: contact.
 *   POST /push/<id>  → 201 Created with Location; gone(id) → 410; rateLimitNext() → 429 Retry-After: 7
 */
import { createCipheriv, createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { VendorPeer, type VendorReply, type VendorRequest } from './vendor-peer.js';

export interface FakeSubscription {
  readonly id: string;
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  readonly ecdh: ECDH;
  readonly authSecret: Buffer;
}

export class FakePushService extends VendorPeer {
  /** Raw bodies received per subscription id. */
  readonly bodies = new Map<string, Buffer[]>();
  private readonly goneIds = new Set<string>();
  private counter = 0;

  static async start(): Promise<FakePushService> {
    const fake = new FakePushService();
    await fake.listen();
    return fake;
  }

  /** A new browser subscription on this service with test-generated keys. */
  subscribe(): FakeSubscription {
    this.counter += 1;
    const id = `sub${this.counter}`;
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    return { id, endpoint: `${this.url}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') }, ecdh, authSecret };
  }

  /** The subscription was removed by the browser: the service answers 410 Gone. */
  gone(id: string): void {
    this.goneIds.add(id);
  }

  protected answer(request: VendorRequest): VendorReply {
    const match = /^\/push\/(sub\d+)$/.exec(request.path);
    if (request.method !== 'POST' || !match) return { status: 404, body: '' };
    const id = match[1] ?? '';
    if (this.goneIds.has(id)) return { status: 410, body: 'push subscription has unsubscribed or expired.' };
    if (this.takeRateLimit()) return { status: 429, headers: { 'Retry-After': '7' }, body: 'Too Many Requests' };
    const list = this.bodies.get(id) ?? [];
    list.push(request.rawBytes);
    this.bodies.set(id, list);
    return { status: 201, headers: { Location: `${this.url}/message/${id}-${list.length}` }, body: '' };
  }
}

/** RFC 8291 §3.4 + RFC 8188: the plaintext of an aes128gcm body sent to `subscription`. */
export function decryptAes128gcm(body: Buffer, subscription: FakeSubscription): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (ciphertext.length > recordSize) throw new Error('more than one record');
  const shared = subscription.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscription.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, subscription.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** RFC 8292: checks `Authorization: vapid t=…, k=…`; returns the JWT claims. */
export function verifyVapid(authorization: string, audience: string, nowSeconds: number): Record<string, unknown> {
  const match = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!match) throw new Error(`not a vapid authorization: ${authorization}`);
  const [header, claims, signature] = (match[1] ?? '').split('.') as [string, string, string];
  const key = Buffer.from(match[2] ?? '', 'base64url');
  if (key.length !== 65 || key[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const jwk = { kty: 'EC', crv: 'P-256', x: key.subarray(1, 33).toString('base64url'), y: key.subarray(33).toString('base64url') };
  const ok = verify('sha256', Buffer.from(`${header}.${claims}`), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!ok) throw new Error('VAPID JWT signature does not verify');
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (head.alg !== 'ES256') throw new Error('alg must be ES256');
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (body.aud !== audience) throw new Error(`aud ${String(body.aud)} is not ${audience}`);
  if (typeof body.exp !== 'number' || body.exp <= nowSeconds || body.exp > nowSeconds + 24 * 3600) throw new Error('exp outside the next 24 hours');
  if (typeof body.sub !== 'string' || !/^(mailto:|https:)/.test(body.sub)) throw new Error('sub must be mailto: or https:');
  return body;
}

/** Encrypts like a sender would (used only to prove `decryptAes128gcm` itself in tests). */
export function encryptForTest(plaintext: string, subscription: FakeSubscription): Buffer {
  const sender = createECDH('prime256v1');
  sender.generateKeys();
  const salt = randomBytes(16);
  const shared = sender.computeSecret(subscription.ecdh.getPublicKey());
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscription.ecdh.getPublicKey(), sender.getPublicKey()]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, subscription.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  const sealed = Buffer.concat([cipher.update(Buffer.concat([Buffer.from(plaintext), Buffer.from([2])])), cipher.final(), cipher.getAuthTag()]);
  const header = Buffer.alloc(21);
  salt.copy(header, 0);
  header.writeUInt32BE(4096, 16);
  header.writeUInt8(65, 20);
  return Buffer.concat([header, sender.getPublicKey(), sealed]);
}
