/// <reference lib="dom" />
/// <reference lib="webworker" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';
import { FakePushService, decryptAes128gcm, type FakeSubscription } from '../harness/peers/fake-push.js';

const runnable = chromiumAvailable() && consoleBuilt();

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  actions: string[];
  requireInteraction: boolean;
  data: { url?: string; ack_url?: string };
}

/**
 * The installable console in headless Chromium. Offline, Chromium cannot reach a real push service
 * (FCM), so the page's own `pushManager.subscribe()` cannot complete here; everything after it runs for
 * real: the server encrypts a page to a fake push service on 127.0.0.1 (a subscription with the test's
 * keys), the test decrypts it and hands exactly that plaintext to the console's service worker with the
 * DevTools protocol (`ServiceWorker.deliverPushMessage`, what the browser does when the push service
 * delivers), and the worker's notification, click and Acknowledge paths are checked.
 */
describe.runIf(runnable)('app push in the installable console (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let push: FakePushService;
  let device: FakeSubscription;
  let channelId: string;
  let key: string;
  let counter = 0;

  beforeAll(async () => {
    h = await Harness.start('sqlite');
    browser = await launchChromium();
    push = await FakePushService.start();
    const me = (await h.admin.get<{ id: string }>('/api/v1/me')).body;
    const channel = await h.channel('Storefront');
    channelId = channel.id;
    key = (await h.integration(channel.id, 'standard')).key;
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Push the admin',
      spec: { levels: [{ targets: { people: [me.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    expect((await h.admin.put('/api/v1/me/notification-preferences', { Critical: ['push'], Warning: ['push'], Info: ['push'] })).status).toBe(200);
    device = push.subscribe();
    const registered = await h.admin.request('POST', '/api/v1/me/push-devices', { endpoint: device.endpoint, keys: device.keys, label: 'Test phone' });
    expect(registered.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await push?.close();
    await h?.stop();
  });

  /** Fires an incident and returns the page the server pushed for it, decrypted with the device's keys. */
  async function pagePayload(title: string): Promise<{ incidentId: string; plaintext: string }> {
    counter += 1;
    const before = push.bodies.get(device.id)?.length ?? 0;
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: `${title}-${counter}` });
    await h.advance('0s');
    await push.waitFor(() => (push.bodies.get(device.id)?.length ?? 0) > before, 15_000);
    const [incident] = (await h.incidents(channelId)).filter((i) => (i as { title?: string }).title === title);
    const body = push.bodies.get(device.id)?.[before];
    if (!incident || !body) throw new Error('no page pushed');
    return { incidentId: incident.id, plaintext: decryptAes128gcm(body, device) };
  }

  async function consoleWithWorker(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; registrationId: string; worker: Worker; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 412, height: 860 } });
    context.setDefaultTimeout(20_000);
    await context.grantPermissions(['notifications'], { origin: h.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: typeof registrations }) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    await signInAsAdmin(page, h.url);
    await page.goto(`${h.url}/me`);
    // The console registers its worker by itself; wait until it controls the page.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${h.url}/`);
    await expect.poll(() => registrations.find((r) => r.scopeURL === `${h.url}/` && !r.isDeleted)?.registrationId, { timeout: 20_000 }).toBeDefined();
    const registrationId = registrations.find((r) => r.scopeURL === `${h.url}/` && !r.isDeleted)?.registrationId ?? '';
    const worker = context.serviceWorkers().find((w) => w.url() === `${h.url}/sw.js`) ?? (await context.waitForEvent('serviceworker'));
    return { context, page, cdp, registrationId, worker, errors };
  }

  const shown = (page: Page, tag: string) =>
    page.evaluate(async (wanted) => {
      const registration = await navigator.serviceWorker.ready;
      return (await registration.getNotifications({ tag: wanted })).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        actions: ((n as Notification & { actions?: { action: string }[] }).actions ?? []).map((a) => a.action),
        requireInteraction: n.requireInteraction,
        data: n.data as ShownNotification['data'],
      }));
    }, tag);

  /**
   * Hands a push message to the worker until its notification shows, as a push service redelivers
   * an unacknowledged message: on a busy machine Chromium may still be starting the worker and drop
   * the first delivery. Same tag, so a late first copy replaces, never stacks.
   */
  async function deliverUntilShown(page: Page, cdp: CDPSession, registrationId: string, data: string, tag: string): Promise<void> {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: h.url, registrationId, data });
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        if ((await shown(page, tag)).length === 1) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`the notification ${tag} was not shown after four deliveries`);
  }

  /** Runs the worker's own click handler on the notification with `tag` (a click on it, or on one of its actions). */
  const click = (worker: Worker, tag: string, action: '' | 'ack' | 'resolve') =>
    worker.evaluate(
      async ([wanted, chosen]) => {
        const scope = globalThis as unknown as ServiceWorkerGlobalScope & { handleNotificationClick: (n: Notification, a: string) => Promise<unknown> };
        const [notification] = await scope.registration.getNotifications({ tag: wanted });
        if (!notification) throw new Error(`no notification ${wanted}`);
        await scope.handleNotificationClick(notification, chosen);
      },
      [tag, action] as const,
    );

  it('is installable: a manifest with icons (maskable too), theme colour and standalone display, and a root-scoped worker', { timeout: 60_000 }, async () => {
    const manifest = await fetch(`${h.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    const body = (await manifest.json()) as { name: string; short_name: string; display: string; start_url: string; theme_color: string; icons: { src: string; sizes: string; purpose: string }[] };
    expect(body).toMatchObject({ short_name: 'Tocsin', display: 'standalone', theme_color: '#e8590c' });
    expect(body.start_url.startsWith('/')).toBe(true);
    expect(body.icons.filter((i) => i.purpose === 'maskable').map((i) => i.sizes)).toEqual(['192x192', '512x512']);
    for (const icon of body.icons.filter((i) => i.src.endsWith('.png'))) {
      const response = await fetch(`${h.url}${icon.src}`);
      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
    }
    const worker = await fetch(`${h.url}/sw.js`);
    expect(worker.headers.get('content-type')).toContain('javascript');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const html = await (await fetch(`${h.url}/`)).text();
    expect(html).toContain('rel="manifest" href="/manifest.webmanifest"');
  });

  it('shows a pushed page with severity and title, tagged by incident, and a click opens the incident', { timeout: 120_000 }, async () => {
    const { context, page, cdp, registrationId, worker, errors } = await consoleWithWorker();
    try {
      const { incidentId, plaintext } = await pagePayload('Checkout API error rate above 5%');
      await deliverUntilShown(page, cdp, registrationId, plaintext, incidentId);
      const [notification] = await shown(page, incidentId);
      expect(notification?.title).toMatch(/^\[Critical\] #\d+ Checkout API error rate above 5%/);
      expect(notification?.body).toContain('Critical');
      expect(notification?.actions).toEqual(['ack', 'resolve']);
      expect(notification?.requireInteraction).toBe(true);
      expect(notification?.data.url).toBe(`${h.url}/incidents/${incidentId}`);

      // A second message about the same incident replaces the first (same tag), it does not stack.
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: h.url, registrationId, data: plaintext });
      await expect.poll(async () => (await shown(page, incidentId)).length, { timeout: 10_000 }).toBe(1);

      expect(new URL(page.url()).pathname).toBe('/me');
      await click(worker, incidentId, '');
      await page.waitForURL(`**/incidents/${incidentId}`);
      await page.getByText('Checkout API error rate above 5%').first().waitFor();
      // The worker closes the notification as it opens the window; on a busy machine that can land after the page loads.
      await expect.poll(async () => (await shown(page, incidentId)).length, { timeout: 10_000 }).toBe(0);
      await page.screenshot({ path: screenshotPath('webpush-opened-incident.png') });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('acknowledges from the notification’s action without opening a window, and says so', { timeout: 120_000 }, async () => {
    const { context, page, cdp, registrationId, worker } = await consoleWithWorker();
    try {
      const { incidentId, plaintext } = await pagePayload('Search latency p99 above 3s');
      await deliverUntilShown(page, cdp, registrationId, plaintext, incidentId);
      const pagesBefore = context.pages().length;
      await click(worker, incidentId, 'ack');
      expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${incidentId}`)).body.status).toBe('processing');
      const [after] = await shown(page, incidentId);
      expect(after?.title).toMatch(/^Acknowledged · /);
      // Resolve stays offered; Acknowledge is done.
      expect(after?.actions).toEqual(['resolve']);
      expect(context.pages().length).toBe(pagesBefore);
      expect(new URL(page.url()).pathname).toBe('/me');

      // The server's follow-up to the device (someone took it) replaces the page quietly: no longer sticky.
      const before = push.bodies.get(device.id)?.length ?? 0;
      await h.advance('0s');
      await push.waitFor(() => (push.bodies.get(device.id)?.length ?? 0) > before, 15_000);
      const followUp = decryptAes128gcm(push.bodies.get(device.id)?.[before] ?? Buffer.alloc(0), device);
      expect(JSON.parse(followUp)).toMatchObject({ kind: 'acknowledged', tag: incidentId });
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: h.url, registrationId, data: followUp });
      // Waited for by its title: the "Acknowledged · …" notice it replaces is not sticky either.
      await expect.poll(async () => (await shown(page, incidentId))[0]?.title, { timeout: 10_000 }).toMatch(/^\[Critical\] #\d+ /);
      const [replaced] = await shown(page, incidentId);
      expect(replaced?.requireInteraction).toBe(false);
      expect(replaced?.actions).toEqual(['resolve']);
      expect(await shown(page, incidentId)).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('lists my devices in the personal center, sends a test and removes one; the enable button is offered', { timeout: 120_000 }, async () => {
    const { context, page } = await consoleWithWorker();
    try {
      const section = page.getByTestId('push-devices-section');
      await section.waitFor();
      const row = section.getByTestId('push-device-row').filter({ hasText: 'Test phone' });
      await row.waitFor();
      await expect.poll(() => row.textContent()).toMatch(/last delivered/);
      const before = push.bodies.get(device.id)?.length ?? 0;
      await row.getByTestId('push-device-test').click();
      await page.getByText('Test notification sent').waitFor();
      expect(JSON.parse(decryptAes128gcm(push.bodies.get(device.id)?.[before] ?? Buffer.alloc(0), device))).toMatchObject({ kind: 'test', url: `${h.url}/me` });
      await expect(section.getByTestId('push-enable').isVisible()).resolves.toBe(true);
      await section.screenshot({ path: screenshotPath('webpush-personal-center.png') });

      await row.getByRole('button', { name: 'Remove Test phone' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove device' }).click();
      await section.getByText('No devices yet').waitFor();
      expect((await h.admin.get<{ data: unknown[] }>('/api/v1/me/push-devices')).body.data).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('asks for permission on "Enable notifications on this device" and reports a push service it cannot reach', { timeout: 120_000 }, async () => {
    // Headless Chromium has no push service (no FCM connection): subscribe() is refused, as on a device
    // whose push service is unreachable. The console must say so and register nothing.
    const { context, page } = await consoleWithWorker();
    try {
      const devicesBefore = (await h.admin.get<{ data: unknown[] }>('/api/v1/me/push-devices')).body.data.length;
      const section = page.getByTestId('push-devices-section');
      await section.getByTestId('push-enable').click();
      await page.getByText('Could not enable notifications').waitFor();
      await page.getByText(/could not get an address from its push service \(Registration failed/).waitFor();
      expect(await page.evaluate(() => Notification.permission)).toBe('granted');
      expect((await h.admin.get<{ data: unknown[] }>('/api/v1/me/push-devices')).body.data).toHaveLength(devicesBefore);
    } finally {
      await context.close();
    }
  });
});
