/**
 * Web Push (RFC 8030 / 8291 / 8292) to the console installed as an app: the "app push" method
 * (SPEC §8.2). Docs: docs/notifications/webpush.md.
 *
 * The recipient's address is one browser subscription as the Push API gives it:
 * `{"endpoint":"https://…","keys":{"p256dh":"<base64url P-256 point>","auth":"<base64url 16 bytes>"}}`.
 * The `web-push` package encrypts the payload (aes128gcm, RFC 8291) and signs the VAPID JWT (ES256,
 * `aud` = the push service's origin, `sub` = the configured contact) through `generateRequestDetails`
 * only: the request itself goes through `context.fetch`, like every provider's, so the outbound guard
 * applies to push services too.
 *
 * Payload (JSON, what the console's service worker shows): `{"title","body","severity","url",
 * "incident_id","number","tag","ack_url","resolve_url","kind"}` — `tag` is the incident id so a later
 * message about the same incident replaces the earlier notification; the actions Acknowledge / Resolve
 * open the signed links.
 *
 * Outcome: 201 (200/202) → sent. 404 / 410 → failed with an error starting `webpush subscription gone`
 * (the subscription expired: the caller removes it); 429 (Retry-After) and 5xx → retry; 400 / 401 / 403
 * / 413 → failed (bad VAPID keys, payload too large).
 */
import { createECDH } from 'node:crypto';
import webpush from 'web-push';
import type { FieldError } from '../../../core/errors.js';
import { callVendor, isHttpUrl, isRecord, snippet, transientHttp } from '../../provider-kit.js';
import type { OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';

export interface WebPushSettings {
  readonly subject: string;
  readonly publicKey: string;
  readonly privateKey: string;
  readonly ttlSeconds: number;
}

export interface PushSubscriptionJson {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export const SUBSCRIPTION_GONE = 'webpush subscription gone';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The subscription in a recipient address, or undefined when it is not one. */
export function parseSubscription(address: string): PushSubscriptionJson | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(address);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.endpoint !== 'string' || !isHttpUrl(parsed.endpoint) || !isRecord(parsed.keys)) return undefined;
  const { p256dh, auth } = parsed.keys;
  if (typeof p256dh !== 'string' || typeof auth !== 'string' || !BASE64URL.test(p256dh) || !BASE64URL.test(auth)) return undefined;
  return { endpoint: parsed.endpoint, keys: { p256dh, auth } };
}

/** What the service worker receives. */
export function pushPayload(message: OutboundMessage): Record<string, unknown> {
  const base = { title: message.content.subject ?? 'Tocsin', body: message.content.text, kind: message.kind };
  if (message.kind === 'bundle') return { ...base, url: message.bundle[0]?.url ?? '', tag: 'tocsin-bundle', severity: message.bundle[0]?.severity ?? 'Info' };
  if (message.kind === 'verification') return { ...base, tag: 'tocsin-verification' };
  const { incident } = message;
  return {
    ...base,
    severity: incident.severity,
    url: incident.url,
    incident_id: incident.id,
    number: incident.number,
    tag: incident.id,
    ...(incident.ackUrl ? { ack_url: incident.ackUrl } : {}),
    ...(incident.resolveUrl ? { resolve_url: incident.resolveUrl } : {}),
  };
}

/** A fresh VAPID key pair (base64url), as `TOCSIN_VAPID_*` or the provider form take them. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}

export const webPushProvider: Provider<WebPushSettings> = {
  id: 'webpush',
  label: 'Web Push (console app)',
  methods: ['push'],
  maxTextLength: 240,
  fields: [
    { name: 'vapid_subject', label: 'Contact (VAPID subject)', type: 'string', required: true, pattern: '(mailto:[^\\s@]+@[^\\s@]+|https://\\S+)', help: 'mailto:oncall-admin@example.com — push services contact it about problems' },
    { name: 'vapid_public_key', label: 'VAPID public key', type: 'string', required: true, pattern: '[A-Za-z0-9_-]{87}', help: 'Generate a pair with: npx web-push generate-vapid-keys' },
    { name: 'vapid_private_key', label: 'VAPID private key', type: 'secret', required: true, pattern: '[A-Za-z0-9_-]{43}' },
    { name: 'ttl_seconds', label: 'Time to live (s)', type: 'number', default: 3600, min: 0, max: 2_419_200, help: 'How long the push service keeps a notification for an offline device' },
  ],

  checkSettings(raw): FieldError[] {
    // The public key must be the private key's: a mismatched pair signs JWTs push services refuse.
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(Buffer.from(String(raw.vapid_private_key), 'base64url'));
      if (ecdh.getPublicKey().toString('base64url') === raw.vapid_public_key) return [];
    } catch {
      // falls through to the error below
    }
    return [{ field: 'settings.vapid_private_key', message: 'is not the private key of the VAPID public key' }];
  },

  parseSettings(raw): WebPushSettings {
    return {
      subject: typeof raw.vapid_subject === 'string' ? raw.vapid_subject : '',
      publicKey: typeof raw.vapid_public_key === 'string' ? raw.vapid_public_key : '',
      privateKey: typeof raw.vapid_private_key === 'string' ? raw.vapid_private_key : '',
      ttlSeconds: typeof raw.ttl_seconds === 'number' ? raw.ttl_seconds : 3600,
    };
  },

  async send(settings, message, context: SendContext): Promise<SendResult> {
    const subscription = message.recipient.kind === 'person' ? parseSubscription(message.recipient.address) : undefined;
    if (!subscription) return { kind: 'failed', error: 'Web Push needs a browser subscription as the address' };
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      const urgent = message.kind !== 'verification' && message.kind !== 'bundle' && message.incident.severity === 'Critical';
      details = webpush.generateRequestDetails(subscription, JSON.stringify(pushPayload(message)), {
        vapidDetails: { subject: settings.subject, publicKey: settings.publicKey, privateKey: settings.privateKey },
        TTL: settings.ttlSeconds,
        urgency: urgent ? 'high' : 'normal',
      });
    } catch (error) {
      return { kind: 'failed', error: `webpush: ${error instanceof Error ? error.message : String(error)}` };
    }
    const headers = Object.entries(details.headers).map(([name, value]): [string, string] => [name, String(value)]);
    const answer = await callVendor(context, details.endpoint, { method: details.method, headers, ...(details.body ? { body: new Uint8Array(details.body) } : {}) });
    if ('kind' in answer) return answer;
    if (answer.status === 404 || answer.status === 410) return { kind: 'failed', error: `${SUBSCRIPTION_GONE} (HTTP ${answer.status})` };
    const transient = transientHttp('webpush', answer, context.now);
    if (transient) return transient;
    if (answer.status >= 200 && answer.status < 300) {
      const location = answer.headers.get('location');
      return { kind: 'sent', ...(location ? { providerMessageId: location } : {}) };
    }
    return { kind: 'failed', error: `webpush: HTTP ${answer.status}${snippet(answer.text)}` };
  },
};
