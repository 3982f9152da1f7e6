/** Settings → Import in headless Chromium: preview a PagerDuty account (nothing written), then import it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';
import { FakeVendorApi } from '../harness/peers/fake-vendor-api.js';
import { pagerDutyRoutes } from '../harness/fixtures/pagerduty-account.js';

const runnable = chromiumAvailable() && consoleBuilt();

describe.runIf(runnable)('Settings → Import in the console', () => {
  let h: Harness;
  let pd: FakeVendorApi;
  let browser: Browser;
  beforeAll(async () => {
    h = await Harness.start('sqlite');
    pd = await FakeVendorApi.start('Token token=console-token', pagerDutyRoutes);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await pd?.close();
    await h?.stop();
  });

  const schedules = async () => (await h.admin.get<{ data: { name: string }[] }>('/api/v1/schedules')).body.data.map((s) => s.name);

  it('previews the plan without writing, then imports and shows the URL replacement table', { timeout: 120_000 }, async () => {
    // No animations: under load a click could land on a menu item still sliding into place.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await signInAsAdmin(page, h.url);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByText('Settings').click();
      const importLink = nav.getByRole('link', { name: 'Import' });
      await importLink.waitFor({ state: 'visible' });
      await importLink.click();
      await page.waitForURL('**/settings/import');
      await page.getByTestId('import-url').fill(pd.url);
      await page.getByTestId('import-token').fill('console-token');
      expect(await page.getByTestId('import-run').isDisabled()).toBe(true);

      await page.getByTestId('import-preview').click();
      await page.getByTestId('import-report').getByText('Preview: what the import will do').waitFor();
      expect(await page.getByTestId('import-items').textContent()).toContain('Primary');
      expect(await page.getByTestId('import-unmapped').textContent()).toContain('keynote_inbound_integration');
      expect(await schedules()).toEqual([]);

      await page.getByTestId('import-run').click();
      await page.getByTestId('import-report').getByText('Imported', { exact: true }).waitFor();
      await expect.poll(() => page.getByTestId('import-replacements').textContent()).toMatch(/\/v2\/enqueue \(routing_key [0-9a-f]{32}\)/);
      expect(await schedules()).toEqual(['Primary']);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: screenshotPath('import-console-failure.png'), fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});
