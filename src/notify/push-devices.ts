/**
 * Web Push devices (issue 12 item 1), pure: what a browser's `PushSubscription.toJSON()` must look
 * like to be stored, the label a person sees for a device, and the outbox address of one device.
 */
import type { FieldError } from '../core/errors.js';

/** What the console sends: `PushSubscription.toJSON()` plus an optional label. */
export interface PushDeviceInput {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  readonly label?: string | undefined;
}

export interface NormalizedPushDevice {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
  readonly label: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
export const MAX_ENDPOINT_LENGTH = 1024;

function decodedLength(value: string): number | undefined {
  if (!BASE64URL.test(value)) return undefined;
  return Buffer.from(value.replace(/=+$/, ''), 'base64url').length;
}

/**
 * Checks a subscription against RFC 8291: `p256dh` is an uncompressed P-256 point (65 bytes, 0x04
 * first), `auth` a 16-byte secret, both base64url; the endpoint an http(s) URL (push services use
 * https; where requests may go is the outbound deny list's job). Returns every broken rule at once.
 */
export function normalizePushDevice(input: PushDeviceInput, userAgent: string | undefined): { ok: true; value: NormalizedPushDevice } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const endpoint = input.endpoint.trim();
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || endpoint.length > MAX_ENDPOINT_LENGTH) {
    errors.push({ field: 'endpoint', message: `must be the push service's http(s) URL of at most ${MAX_ENDPOINT_LENGTH} characters` });
  }
  const p256dh = input.keys.p256dh.replace(/=+$/, '');
  const point = decodedLength(p256dh) === 65 ? Buffer.from(p256dh, 'base64url') : undefined;
  if (!point || point[0] !== 4) errors.push({ field: 'keys.p256dh', message: 'must be a base64url uncompressed P-256 public key (65 bytes)' });
  const auth = input.keys.auth.replace(/=+$/, '');
  if (decodedLength(auth) !== 16) errors.push({ field: 'keys.auth', message: 'must be a base64url 16-byte authentication secret' });
  const label = (input.label ?? '').trim() || deviceLabel(userAgent);
  if (label.length > 100) errors.push({ field: 'label', message: 'must be at most 100 characters' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { endpoint, p256dh, auth, label } };
}

const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/Edg(A|iOS)?\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/Android/, 'Android'],
  [/iPhone|iPod/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Android" from a User-Agent, so a person can tell their devices apart. */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? 'Browser';
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

/** The outbox address of one device: the subscription JSON the Web Push provider reads. */
export function pushAddress(device: { readonly endpoint: string; readonly p256dh: string; readonly auth: string }): string {
  return JSON.stringify({ endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } });
}

/** The endpoint of an outbox address written by `pushAddress`, or undefined. */
export function endpointOfAddress(address: string): string | undefined {
  try {
    const parsed = JSON.parse(address) as { endpoint?: unknown };
    return typeof parsed.endpoint === 'string' ? parsed.endpoint : undefined;
  } catch {
    return undefined;
  }
}

/** A push message's recipient JSON with the subscription replaced by the device's label. */
export function withoutPushAddress(recipientJson: string): string {
  try {
    const recipient = JSON.parse(recipientJson) as Record<string, unknown>;
    return JSON.stringify({ ...recipient, address: typeof recipient.device === 'string' ? recipient.device : 'push device' });
  } catch {
    return recipientJson;
  }
}
