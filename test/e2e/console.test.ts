import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';

const runnable = chromiumAvailable() && consoleBuilt();

describe.runIf(runnable)('the console in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await Harness.start('sqlite', { skipSetup: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('sets up the first admin, signs in, creates a team and a private channel that appears in the list', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The console must work under its Content-Security-Policy (issue 10 item 20): no violation reported.
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const firstPage = page.waitForResponse((response) => response.url().endsWith('/channels') && response.request().resourceType() === 'document');

    await page.goto(`${h.url}/channels`);
    expect((await firstPage).headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.waitForURL('**/setup');
    await page.getByTestId('setup-name').fill('Ada Admin');
    await page.getByTestId('setup-email').fill('ada@example.com');
    await page.getByTestId('setup-password').fill('correct horse battery');
    await page.getByTestId('setup-confirm-password').fill('correct horse battery');
    await page.getByTestId('setup-submit').click();
    await page.waitForURL('**/channels');

    // Sign out and back in through the sign-in page.
    await context.clearCookies();
    await page.goto(`${h.url}/channels`);
    await page.waitForURL('**/login**');
    await page.getByTestId('login-email').fill('ada@example.com');
    await page.getByTestId('login-password').fill('wrong password!!');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/wrong email or password/i);
    await page.getByTestId('login-password').fill('correct horse battery');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/channels');

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Teams' }).click();
    await page.getByTestId('create-team-button').first().click();
    await page.getByTestId('team-name-input').fill('Payments SRE');
    // "Add me to this team" is ticked by default: the creator is the team's first member.
    expect(await page.getByLabel('Add me to this team').isChecked()).toBe(true);
    await page.getByTestId('team-form-submit').click();
    await page.waitForURL(/\/teams\/.+/);
    await page.getByTestId('team-member-row').filter({ hasText: 'Ada Admin' }).waitFor();

    await nav.getByRole('link', { name: 'Channels' }).click();
    await page.getByTestId('create-channel-button').first().click();
    await page.getByTestId('channel-name-input').fill('Payment Center');
    await page.getByTestId('channel-team-select').click();
    await page.getByRole('option', { name: 'Payments SRE' }).click();
    await page.getByTestId('channel-access-private').click();
    await page.getByTestId('create-channel-submit').click();
    await page.waitForURL(/\/channels\/[^/]+$/);

    await nav.getByRole('link', { name: 'Channels' }).click();
    const row = page.getByTestId('channel-row').filter({ hasText: 'Payment Center' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Private/i);
    await page.screenshot({ path: screenshotPath('console-channel-list.png'), fullPage: true });

    // What the browser did, the API confirms.
    const listed = await h.client().withApiKey((await createKey(h)).key).get<{ data: { name: string; private: boolean; team_name: string }[] }>('/api/v1/channels');
    expect(listed.body.data).toEqual([expect.objectContaining({ name: 'Payment Center', private: true, team_name: 'Payments SRE' })]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('works at phone width with a collapsible navigation', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${h.url}/login`);
    await page.getByTestId('login-email').fill('ada@example.com');
    await page.getByTestId('login-password').fill('correct horse battery');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/channels');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const burger = page.getByRole('button', { name: 'Open navigation' });
    await burger.waitFor({ state: 'visible' });
    await burger.click();
    await nav.getByRole('link', { name: 'Teams' }).click();
    await page.waitForURL('**/teams');
    await page.screenshot({ path: screenshotPath('console-phone-teams.png') });
    await context.close();
  });
});

async function createKey(h: Harness): Promise<{ key: string }> {
  const client = h.client();
  await client.post('/api/v1/auth/login', { email: 'ada@example.com', password: 'correct horse battery' });
  const created = await client.post<{ key: string }>('/api/v1/me/api-keys', { name: 'e2e' });
  return created.body;
}
