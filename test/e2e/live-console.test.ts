/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const runnable = chromiumAvailable() && consoleBuilt();

describe.runIf(runnable)('live console, analytics and webhooks (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let receiver: HttpPeer;
  let key: string;
  let channelId: string;

  beforeAll(async () => {
    h = await Harness.start('sqlite');
    browser = await launchChromium();
    receiver = await HttpPeer.start();
    const channel = await h.channel('Storefront');
    channelId = channel.id;
    key = (await h.integration(channel.id, 'standard')).key;
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await h?.stop();
  });

  async function signedInPage(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInAsAdmin(page, h.url);
    return { page, errors, close: () => context.close() };
  }

  const fire = (title: string) => h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title, labels: { service: 'checkout' } });

  it('shows an acknowledgement made in one page in another page’s list, without reloading', { timeout: 120_000 }, async () => {
    await fire('Cart service down');
    const [incident] = await h.incidents(channelId);
    const watcher = await signedInPage();
    const actor = await signedInPage();

    await watcher.page.goto(`${h.url}/incidents`);
    const row = watcher.page.getByTestId('incident-row').filter({ hasText: 'Cart service down' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Triggered/);
    // Any later page load would reset this marker; it must survive the update.
    await watcher.page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    await actor.page.goto(`${h.url}/incidents/${incident?.id ?? ''}`);
    await actor.page.getByTestId('incident-ack').click();
    const ackedAt = Date.now();
    await expect.poll(() => row.textContent(), { timeout: 5000, interval: 50 }).toMatch(/Processing/);
    // Well inside the 60 s safety-net refresh: the stream carried it.
    expect(Date.now() - ackedAt).toBeLessThan(5000);

    // A brand-new incident appears too.
    await fire('Payment gateway timeouts');
    await watcher.page.getByTestId('incident-row').filter({ hasText: 'Payment gateway timeouts' }).waitFor({ timeout: 5000 });
    expect(await watcher.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await watcher.page.screenshot({ path: screenshotPath('live-incident-list-updated.png') });
    expect(watcher.errors).toEqual([]);
    expect(actor.errors).toEqual([]);
    await watcher.close();
    await actor.close();
  });

  it('opens Analytics and Webhooks, and no page says "Coming soon"', { timeout: 120_000 }, async () => {
    const { page, errors, close } = await signedInPage();
    for (const path of ['/incidents', '/channels', '/integrations', '/schedules', '/teams', '/people', '/analytics', '/webhooks', '/settings/providers', '/settings/audit', '/me']) {
      await page.goto(`${h.url}${path}`);
      await page.locator('h2').first().waitFor();
      expect(await page.locator('body').textContent(), path).not.toMatch(/coming soon/i);
    }

    await page.goto(`${h.url}/analytics`);
    await page.getByTestId('analytics-summary').waitFor();
    await expect.poll(() => page.getByTestId('analytics-stat').first().textContent()).toMatch(/Incidents\s*2/);
    await page.locator('.recharts-surface').first().waitFor();
    await page.screenshot({ path: screenshotPath('analytics.png'), fullPage: true });

    await page.goto(`${h.url}/webhooks`);
    await page.getByTestId('add-webhook-button').first().click();
    await page.getByTestId('webhook-url').fill(`${receiver.url}/events`);
    await page.getByTestId('webhook-save').click();
    await page.getByText('Signing secret').first().waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('webhook-row').first().waitFor();
    await page.getByTestId('webhook-test').first().click();
    await expect.poll(() => receiver.requests.length).toBe(1);
    expect(receiver.requests[0]?.headers['x-tocsin-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    await page.getByTestId('webhook-history').first().click();
    await page.getByTestId('webhook-deliveries').waitFor();
    await page.screenshot({ path: screenshotPath('webhooks.png'), fullPage: true });
    expect(errors).toEqual([]);
    await close();
  });
});
