import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';

/**
 * Issue 13: a weekly rotation with Monday handoffs that starts on a Friday gives the first person ten
 * days; the layer form and the preview must say so instead of "until the first handoff".
 */
const runnable = chromiumAvailable() && consoleBuilt();

describe.runIf(runnable)('the first shift of a rotation in the schedule editor', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await Harness.start('sqlite');
    await h.team('Payments SRE');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('states its end and length in the layer form and the preview', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, h.url);
      await page.goto(`${h.url}/schedules/new`);
      const note = page.getByTestId('layer-0-first-shift');
      const preview = page.getByTestId('preview-first-shift').first();

      // The new layer rotates weekly, handing off on Mondays at 09:00; start it on Friday 5 Dec 2025.
      await page.getByTestId('layer-0-start').fill('2025-12-05T09:00');
      await expect.poll(() => note.textContent()).toMatch(/^First shift: Fri, Dec 5, 09:00 → Mon, Dec 15, 09:00 \(10 days, .*\), then weekly$/);
      expect(await preview.textContent()).toMatch(/^Layer 1: First shift: .*\(10 days/);

      // Started on a handoff, the first shift is a regular week.
      await page.getByTestId('layer-0-start').fill('2025-12-08T09:00');
      await expect.poll(() => note.textContent()).toBe('First shift: Mon, Dec 8, 09:00 → Mon, Dec 15, 09:00 (7 days), then weekly');
      expect(await page.getByTestId('layer-0-start').locator('xpath=ancestor::*[contains(@class,"mantine-InputWrapper-root")][1]').textContent()).not.toContain(
        'until the first handoff',
      );
    } finally {
      await context.close();
    }
  });
});
