/**
 * What this browser can do about app push, and the subscribe step itself. iOS and iPadOS deliver Web
 * Push only to a console added to the Home Screen (16.4+), so there the first step is installing.
 */
import { SERVICE_WORKER_URL } from './serviceWorker';

export type PushSupport =
  | { readonly kind: 'supported'; readonly permission: NotificationPermission }
  | { readonly kind: 'ios-needs-install' }
  | { readonly kind: 'insecure' }
  | { readonly kind: 'unsupported' };

function isIos(): boolean {
  const ua = navigator.userAgent;
  // iPadOS presents itself as a Mac with touch.
  return /iPhone|iPad|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

function isStandalone(): boolean {
  return window.matchMedia('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
}

export function pushSupport(): PushSupport {
  if (!window.isSecureContext) return { kind: 'insecure' };
  const apis = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  if (isIos() && !isStandalone()) return { kind: 'ios-needs-install' };
  if (!apis) return { kind: 'unsupported' };
  return { kind: 'supported', permission: Notification.permission };
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/** The service worker registration, registering it when the page has not yet. */
export async function readyRegistration(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration('/');
  if (!existing) await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' });
  return navigator.serviceWorker.ready;
}

/** This browser's current subscription, if it was made with `publicKey` (a rotated key needs a new one). */
export async function currentSubscription(publicKey: string): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  if (!subscription) return null;
  return sameKey(subscription.options.applicationServerKey, keyBytes(publicKey)) ? subscription : null;
}

/** Whether this browser holds a subscription made with another key (the server's keys were changed). */
export async function subscribedWithOtherKey(publicKey: string): Promise<boolean> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  return subscription !== null && !sameKey(subscription.options.applicationServerKey, keyBytes(publicKey));
}

/** Asks for permission (from a click), then subscribes this browser with the server's public key. */
export async function subscribe(publicKey: string): Promise<PushSubscriptionJSON> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new PermissionError(permission);
  const registration = await readyRegistration();
  const key = keyBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  try {
    subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (error) {
    // The browser could not get an endpoint from its push service (offline, blocked, or no push support in this build).
    throw new SubscribeError(error instanceof Error ? error.message : String(error));
  }
  return subscription.toJSON();
}

/** Thrown when the person (or the browser) refused notifications. */
export class PermissionError extends Error {
  constructor(readonly permission: NotificationPermission) {
    super(`notification permission ${permission}`);
    this.name = 'PermissionError';
  }
}

/** The browser's push service refused or could not be reached. */
export class SubscribeError extends Error {
  constructor(readonly reason: string) {
    super(`push subscription failed: ${reason}`);
    this.name = 'SubscribeError';
  }
}
