/*
 * Tocsin's service worker (issue 12 item 1; docs/notifications/webpush.md, ADR 0056).
 *
 * - Shows a page as a notification: severity and title, tag = incident id (a later message about the
 *   same incident replaces the earlier one), Acknowledge / Resolve actions when the payload carries
 *   the signed action links.
 * - A click on the notification focuses an open console window on the incident, or opens one. A click
 *   on Acknowledge / Resolve POSTs the signed link from here, without opening a window, and replaces
 *   the notification with the outcome.
 * - Caches nothing but a small offline page: API calls and assets always go to the network.
 *
 * Served from the root (/sw.js) so its scope is the whole console; plain script, no build step.
 */
const OFFLINE_CACHE = 'tocsin-offline-v1';
const OFFLINE_URL = '/offline.html';
const ICON = '/icons/icon-192.png';
const BADGE = '/icons/badge-96.png';

const TEXT = {
  en: {
    ack: 'Acknowledge',
    resolve: 'Resolve',
    acked: 'Acknowledged',
    resolved: 'Resolved',
    failed: 'Could not {action}: open the incident',
    unusable: 'This link can no longer be used: open the incident',
    open: 'Open',
  },
  zh: {
    ack: '认领',
    resolve: '关闭',
    acked: '已认领',
    resolved: '已关闭',
    failed: '{action}失败：请打开故障处理',
    unusable: '该链接已失效：请打开故障处理',
    open: '打开',
  },
};

function text() {
  const language = (self.navigator && self.navigator.language) || 'en';
  return language.toLowerCase().startsWith('zh') ? TEXT.zh : TEXT.en;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(OFFLINE_CACHE)
      .then((cache) => cache.addAll([OFFLINE_URL, ICON, BADGE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== OFFLINE_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

// Only page loads fall back to the offline page; everything else (the API above all) is not touched.
self.addEventListener('fetch', (event) => {
  if (event.request.mode !== 'navigate') return;
  event.respondWith(fetch(event.request).catch(() => caches.match(OFFLINE_URL).then((cached) => cached || Response.error())));
});

/** The notification for a push payload (see src/notify/providers/webpush/index.ts pushPayload). */
function notificationFor(data) {
  const words = text();
  const severity = typeof data.severity === 'string' && data.severity ? `[${data.severity}] ` : '';
  const actions = [];
  if (data.ack_url) actions.push({ action: 'ack', title: words.ack });
  if (data.resolve_url) actions.push({ action: 'resolve', title: words.resolve });
  const max = (self.Notification && self.Notification.maxActions) || 2;
  const followUp = data.kind === 'acknowledged' || data.kind === 'resolved';
  return {
    title: `${severity}${data.title || 'Tocsin'}`,
    options: {
      body: data.body || '',
      tag: data.tag || data.incident_id || 'tocsin',
      // A repeat or an escalation about the same incident must ring again; news that someone took it
      // (acknowledged / resolved) replaces the page quietly.
      renotify: !followUp,
      silent: followUp,
      requireInteraction: !followUp && data.severity === 'Critical',
      icon: ICON,
      badge: BADGE,
      timestamp: Date.now(),
      data,
      actions: actions.slice(0, max),
    },
  };
}

/** Shows one push payload; what cannot be parsed is still shown, as text. */
function showPush(payload) {
  let data;
  try {
    data = payload ? payload.json() : {};
  } catch {
    data = { title: 'Tocsin', body: payload ? payload.text() : '' };
  }
  if (typeof data !== 'object' || data === null) data = { title: 'Tocsin', body: String(data) };
  const { title, options } = notificationFor(data);
  return self.registration.showNotification(title, options);
}

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(event.data));
});

/**
 * Brings the console to `url`: a console window that is open already navigates there (through the
 * console's router, see web/src/pwa/serviceWorker.ts) and gets the focus; otherwise a new window opens.
 */
async function openConsole(url) {
  const target = new URL(url || '/', self.location.origin);
  if (target.origin !== self.location.origin) return self.clients.openWindow(target.href);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === target.origin);
  if (!open) return self.clients.openWindow(target.href);
  open.postMessage({ type: 'tocsin:navigate', url: target.pathname + target.search + target.hash });
  try {
    await open.focus();
  } catch {
    // Focusing needs a user gesture the browser may not grant: the window has navigated anyway.
  }
  return open;
}

/** Acknowledge / Resolve through the signed link, from the worker; the notification then says how it went. */
async function act(action, data) {
  const words = text();
  const link = action === 'ack' ? data.ack_url : data.resolve_url;
  const label = action === 'ack' ? words.ack : words.resolve;
  // A link to another origin (a misconfigured public URL) cannot be posted from here: its page asks.
  if (!link || new URL(link).origin !== self.location.origin) return self.clients.openWindow(link || data.url || '/');
  let status = 0;
  try {
    status = (await fetch(link, { method: 'POST', credentials: 'same-origin', redirect: 'follow' })).status;
  } catch {
    status = 0;
  }
  const done = status >= 200 && status < 300;
  const outcome = done ? (action === 'ack' ? words.acked : words.resolved) : status === 410 || status === 403 || status === 404 ? words.unusable : words.failed.replace('{action}', label);
  const next = done && action === 'ack' && data.resolve_url ? { ...data, ack_url: undefined } : { ...data, ack_url: undefined, resolve_url: undefined };
  const { options } = notificationFor(next);
  return self.registration.showNotification(`${outcome} · ${data.title || 'Tocsin'}`, {
    ...options,
    body: data.body || '',
    renotify: false,
    requireInteraction: false,
    silent: true,
    data: { ...next, outcome: done ? action : 'failed' },
  });
}

/** What a click on the notification (or one of its actions) does. */
function handleNotificationClick(notification, action) {
  const data = notification.data || {};
  notification.close();
  if (action === 'ack' || action === 'resolve') return act(action, data);
  return openConsole(data.url);
}

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(handleNotificationClick(event.notification, event.action));
});
