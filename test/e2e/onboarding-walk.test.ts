import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium } from '../harness/browser.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';
import { SmtpPeer } from '../harness/peers/smtp-peer.js';
import { Harness } from '../harness/tocsin.js';

/**
 * Issue 13's "done means": a new administrator walks the getting-started checklist on a fresh SQLite
 * database, from the console only (the API is never called by the test), until a test alert pages them
 * by email (fake SMTP) and SMS (fake Twilio). Every step must tick itself on the checklist. The walk
 * runs in English and Simplified Chinese at desktop and phone width and saves a screenshot of each
 * step under test/e2e/__screenshots__/onboarding/<language>-<viewport>/ (git-ignored).
 *
 * Elements are found by data-testid, or by role and accessible name read from the locale files, so
 * the same steps run in both languages.
 */

const runnable = chromiumAvailable() && consoleBuilt();

const LOCALES = join(process.cwd(), 'web/src/locales');
const SCREENSHOTS = join(process.cwd(), 'test/e2e/__screenshots__/onboarding');

type Strings = Record<string, unknown>;

/** A string from web/src/locales/<language>/<namespace>.json by dotted key, placeholders filled in. */
function text(language: string, namespace: string, key: string, values: Record<string, string | number> = {}): string {
  const file = JSON.parse(readFileSync(join(LOCALES, language, `${namespace}.json`), 'utf8')) as Strings;
  const found = key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Strings)[part] : undefined), file);
  if (typeof found !== 'string') throw new Error(`no ${language}/${namespace}.json key ${key}`);
  return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

const LANGUAGES = [
  { language: 'en', browserLocale: 'en-US', nativeName: 'English' },
  { language: 'zh-CN', browserLocale: 'zh-CN', nativeName: '简体中文' },
] as const;

const VIEWPORTS = [
  { viewport: 'desktop', width: 1280, height: 800, mobile: false },
  { viewport: 'phone', width: 390, height: 844, mobile: true },
] as const;

const STEPS = ['team', 'channel', 'integration', 'rule', 'delivery', 'contact', 'alert'] as const;
const ADMIN = { name: 'Ada Admin', email: 'ada@example.com', password: 'correct horse battery', phone: '+14155550100' };
const TWILIO_FROM = '+15005550006';

describe.runIf(runnable)('the onboarding walk in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const walks = LANGUAGES.flatMap((l) => VIEWPORTS.map((v) => ({ ...l, ...v })));
  for (const walk of walks) {
    it(`${walk.language} at ${walk.viewport} width: from setup to the first page by email and SMS`, { timeout: 180_000 }, async () => {
      const t = (key: string, values?: Record<string, string | number>) => text(walk.language, 'onboarding', key, values);
      // A fresh database and fresh fake peers for every walk: the checklist starts empty each time.
      const h = await Harness.start('sqlite', { skipSetup: true });
      const smtp = await SmtpPeer.start();
      const twilio = await FakeTwilio.start();
      const context = await browser.newContext({
        viewport: { width: walk.width, height: walk.height },
        locale: walk.browserLocale,
        ...(walk.mobile && { isMobile: true, hasTouch: true }),
      });
      const started = Date.now();
      try {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
        context.setDefaultTimeout(15_000);
        const page = await context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        const shots = join(SCREENSHOTS, `${walk.language}-${walk.viewport}`);
        mkdirSync(shots, { recursive: true });
        let shot = 0;
        const screenshot = async (name: string) => {
          shot += 1;
          await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
        };
        const step = (key: (typeof STEPS)[number] | 'push') => page.getByTestId(`onboarding-step-${key}`);
        const home = async () => {
          await page.locator('header a[href="/"]').click();
          await page.getByTestId('getting-started').waitFor();
        };
        const expectTicked = async (key: (typeof STEPS)[number]) => {
          await home();
          await expect.poll(() => step(key).getAttribute('data-done'), { timeout: 15_000 }).toBe('true');
        };

        // 1. First-admin setup, in the walk's language.
        await page.goto(h.url);
        await page.waitForURL('**/setup');
        await pick(page, page.getByTestId('language-picker'), walk.nativeName, walk.mobile);
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(walk.language);
        await page.getByTestId('setup-name').fill(ADMIN.name);
        await page.getByTestId('setup-email').fill(ADMIN.email);
        await page.getByTestId('setup-password').fill(ADMIN.password);
        await page.getByTestId('setup-confirm-password').fill(ADMIN.password);
        await screenshot('setup');
        await page.getByTestId('setup-submit').click();

        // 2. The checklist on the home page, nothing done yet, in the chosen language.
        await page.waitForURL('**/channels');
        const checklist = page.getByTestId('getting-started');
        await checklist.getByRole('heading', { name: t('checklist.title') }).waitFor();
        expect(await page.locator('html').getAttribute('lang')).toBe(walk.language);
        for (const key of STEPS) expect(await step(key).getAttribute('data-done')).toBe('false');
        await screenshot('checklist');

        // 3. A team with me in it, created in place from the checklist.
        await step('team')
          .getByRole('button', { name: t('newTeam.first') })
          .click();
        await page.getByTestId('team-name-input').fill('Payments SRE');
        expect(await page.getByTestId('team-join-checkbox').isChecked()).toBe(true);
        await screenshot('team-form');
        await page.getByTestId('team-form-submit').click();
        await expect.poll(() => step('team').getAttribute('data-done')).toBe('true');
        await screenshot('team-done');

        // 4. A channel, from the checklist's link (the form opens at once).
        await step('channel')
          .getByRole('link', { name: t('steps.channel.action') })
          .click();
        await page.getByTestId('channel-name-input').fill('Payment Center');
        await pick(page, page.getByTestId('channel-team-select'), 'Payments SRE', walk.mobile);
        await screenshot('channel-form');
        await page.getByTestId('create-channel-submit').click();
        await page.waitForURL(/\/channels\/[^/]+$/);
        await expectTicked('channel');

        // 5. An integration: copy its URL, see the snippet and the test-alert button.
        await step('integration')
          .getByRole('link', { name: t('steps.integration.action') })
          .click();
        await page.getByTestId('add-integration-button').first().click();
        await page.getByTestId('source-option-standard').click();
        await page.getByTestId('add-integration-submit').click();
        const created = page.getByTestId('integration-created');
        await created.waitFor();
        const pushUrl = (await created.getByTestId('integration-push-url').textContent()) ?? '';
        expect(pushUrl).toMatch(new RegExp(`^${h.url}/`));
        await created.getByTestId('integration-push-url').locator('xpath=..').getByTestId('copy-button').click();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pushUrl);
        await created.getByTestId('integration-snippet').waitFor();
        await created.getByRole('button', { name: t('testAlert.send') }).waitFor();
        await screenshot('integration-created');
        await created.getByTestId('integration-created-done').click();
        await expectTicked('integration');

        // 6. An escalation rule: me, by SMS and email for Critical incidents.
        await step('rule')
          .getByRole('link', { name: t('steps.rule.action') })
          .click();
        await page.getByTestId('add-escalation-rule').first().click();
        const editor = page.getByTestId('escalation-rule-editor');
        await editor.waitFor();
        expect(await editor.getByTestId('rule-name').inputValue()).not.toBe('');
        // No schedule exists yet: the schedule picker says where to make one without losing this draft.
        expect(await editor.getByTestId('create-schedule-link').getAttribute('href')).toBe('/schedules/new');
        await editor.getByTestId('level-people').locator('..').getByText(ADMIN.name).waitFor();
        await editor.getByTestId('level-methods-mode').locator('label').nth(1).click();
        await clickLabelOf(page, editor.getByTestId('level-method-Critical-voice'));
        await clickLabelOf(page, editor.getByTestId('level-method-Critical-email'));
        expect(await editor.getByTestId('level-method-Critical-sms').isChecked()).toBe(true);
        expect(await editor.getByTestId('level-method-Critical-email').isChecked()).toBe(true);
        expect(await editor.getByTestId('level-method-Critical-voice').isChecked()).toBe(false);
        await screenshot('rule-form');
        await editor.getByTestId('rule-save').click();
        // Creating a rule closes the drawer and lists the rule.
        await editor.waitFor({ state: 'detached' });
        await page.getByTestId('escalation-rule-row').first().waitFor();
        await expectTicked('rule');

        // 7. Delivery: the fake SMTP server and the fake Twilio, through Settings → Notification providers.
        await step('delivery')
          .getByRole('link', { name: t('steps.delivery.action') })
          .click();
        await page.waitForURL('**/settings/providers');
        await page.getByTestId('add-provider-button').first().click();
        let form = page.getByTestId('provider-form');
        await pick(page, form.getByTestId('provider-type-select'), /SMTP/, walk.mobile);
        await form.getByTestId('provider-name').fill('Company mail');
        await form.getByTestId('provider-field-host').fill('127.0.0.1');
        await form.getByTestId('provider-field-port').fill(String(smtp.port));
        await setSwitch(page, form.getByTestId('provider-field-starttls'), false);
        await form.getByTestId('provider-field-from').fill('tocsin@example.com');
        await screenshot('provider-smtp');
        await form.getByTestId('provider-submit').click();
        await page.getByTestId('provider-row').filter({ hasText: 'Company mail' }).waitFor();
        await page.getByTestId('add-provider-button').first().click();
        form = page.getByTestId('provider-form');
        await pick(page, form.getByTestId('provider-type-select'), /^Twilio (SMS|短信)/, walk.mobile);
        await form.getByTestId('provider-name').fill('Twilio SMS');
        await form.getByTestId('provider-field-account_sid').fill(FAKE_ACCOUNT_SID);
        await form.getByTestId('provider-field-auth_token').fill(FAKE_AUTH_TOKEN);
        await form.getByTestId('provider-field-from').fill(TWILIO_FROM);
        await form.getByTestId('provider-field-api_base').fill(twilio.url);
        await screenshot('provider-twilio');
        await form.getByTestId('provider-submit').click();
        await page.getByTestId('provider-row').filter({ hasText: 'Twilio SMS' }).waitFor();
        await expectTicked('delivery');

        // 8. Verify email (code from the fake SMTP) and phone (code from the fake Twilio).
        await step('contact')
          .getByRole('link', { name: t('steps.contact.action') })
          .click();
        await page.waitForURL('**/me');
        await page.getByTestId('send-email-code').click();
        await page.getByTestId('email-code-input').waitFor();
        await h.advance('0s');
        const codeMail = await smtp.waitFor((m) => m.envelope.to.includes(ADMIN.email), 15_000);
        await page.getByTestId('email-code-input').fill(sixDigits(codeMail.parsed.text ?? ''));
        await screenshot('verify-email');
        await page.getByTestId('confirm-email-code').click();
        await page.getByTestId('email-code-input').waitFor({ state: 'detached' });
        await page.getByTestId('phone-input').fill(ADMIN.phone);
        await page.getByTestId('phone-submit').click();
        await expect.poll(() => page.getByTestId('send-phone-code').isEnabled()).toBe(true);
        await page.getByTestId('send-phone-code').click();
        await page.getByTestId('phone-code-input').waitFor();
        await h.advance('0s');
        const codeSms = await twilio.waitForMessage((m) => m.to === ADMIN.phone, 15_000);
        await page.getByTestId('phone-code-input').fill(sixDigits(codeSms.body));
        await screenshot('verify-phone');
        await page.getByTestId('confirm-phone-code').click();
        await page.getByTestId('phone-code-input').waitFor({ state: 'detached' });
        await screenshot('contacts-verified');
        await expectTicked('contact');

        // 9. App push on this device: offered, optional (headless Chromium has no push service, so
        // subscribing cannot succeed here; test/e2e/webpush-console.test.ts covers the rest offline).
        await step('push').waitFor();
        expect(await step('push').getAttribute('data-optional')).toBe('true');
        expect(await step('push').getAttribute('data-done')).toBe('false');
        await screenshot('app-push-offered');

        // 10. Fire the test alert from the checklist: an incident opens and pages me by email and SMS.
        await step('alert')
          .getByRole('button', { name: t('testAlert.send') })
          .click();
        await expect.poll(() => checklist.getAttribute('data-complete'), { timeout: 15_000 }).toBe('true');
        for (const key of STEPS) expect(await step(key).getAttribute('data-done')).toBe('true');
        await checklist.getByRole('heading', { name: t('checklist.allDoneTitle') }).waitFor();
        await screenshot('all-done');
        await h.advance('0s');
        const page1 = await smtp.waitFor(
          (m) => m.envelope.to.includes(ADMIN.email) && /Test alert from the Tocsin console/.test(m.parsed.subject ?? ''),
          15_000,
        );
        expect(page1.parsed.text).toContain('Test alert from the Tocsin console');
        const sms = await twilio.waitForMessage((m) => m.to === ADMIN.phone && m.body.includes('Test alert from the Tocsin console'), 15_000);
        expect(sms.from).toBe(TWILIO_FROM);
        expect(pageErrors).toEqual([]);
      } finally {
        console.info(`onboarding walk ${walk.language} ${walk.viewport}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        await context.close();
        await twilio.close();
        await smtp.close();
        await h.stop();
      }
    });
  }
});

/** Opens a Mantine Select and picks the option with this name. */
async function pick(page: Page, select: Locator, option: string | RegExp, phone = false): Promise<void> {
  await select.click();
  const choice = page.getByRole('option', { name: option }).first();
  await choice.waitFor();
  // In a full-screen modal at phone width the dropdown keeps repositioning, so Playwright never sees
  // the option "stable"; there the click event, which is what the option listens to, is sent directly.
  if (phone) await choice.dispatchEvent('click');
  else await choice.click();
  await expect.poll(() => choice.isVisible()).toBe(false);
}

/** Clicks the label of a visually hidden input (Mantine chips and switches), as a person does. */
async function clickLabelOf(page: Page, input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await page.locator(`label[for="${id}"]`).click();
}

/** Sets a Mantine Switch. */
async function setSwitch(page: Page, input: Locator, on: boolean): Promise<void> {
  if ((await input.isChecked()) !== on) await clickLabelOf(page, input);
  expect(await input.isChecked()).toBe(on);
}

function sixDigits(message: string): string {
  const code = /\b(\d{6})\b/.exec(message)?.[1];
  if (!code) throw new Error(`no code in ${message}`);
  return code;
}
