/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, signInAsAdmin } from '../harness/browser.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';
import { Harness } from '../harness/tocsin.js';

const runnable = chromiumAvailable() && consoleBuilt();
const PHONE = '+14155550188';

describe.runIf(runnable)('channel templates in the console (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let twilio: FakeTwilio;
  let channel: { id: string; name: string };
  let key: string;

  beforeAll(async () => {
    h = await Harness.start('sqlite', { devMode: true });
    browser = await launchChromium();
    twilio = await FakeTwilio.start();
    await h.provider('twilio_sms', 'Twilio SMS', { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: '+15005550006', api_base: twilio.url });
    const me = await h.person('responder', 'Pat Pager');
    await me.client.patch('/api/v1/me', { phone: PHONE });
    await me.client.post('/api/v1/me/verifications', { kind: 'phone' });
    await h.advance('0s');
    const code = /(\d{6})/.exec((await twilio.waitForMessage((m) => m.to === PHONE)).body)?.[1];
    await me.client.post('/api/v1/me/verifications/confirm', { kind: 'phone', code });
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['sms'], Warning: ['sms'], Info: ['sms'] });
    channel = await h.channel('Storage');
    key = (await h.integration(channel.id, 'standard')).key;
    await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'SMS', spec: { levels: [{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] } });
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Volume nearly full', event_status: 'Critical', alert_key: 'first' });
    await h.advance('0s');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    await twilio?.close();
  });

  it('edits the SMS template with a live preview of the latest incident; the next SMS uses it', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signInAsAdmin(page, h.url);
    await page.goto(`${h.url}/channels/${channel.id}/templates`);
    const text = page.getByTestId('template-text');
    await text.waitFor();
    await text.fill('OPS {{incident.severity}}: {{incident.title}}');
    await page.waitForFunction(() => document.querySelector('[data-testid="template-preview"]')?.textContent === 'OPS Critical: Volume nearly full');
    const saved = page.waitForResponse((response) => response.request().method() === 'PUT' && response.url().includes(`/channels/${channel.id}/templates/sms`));
    await page.getByTestId('template-save').click();
    expect((await saved).status()).toBe(200);
    await h.advance('2m');
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Second volume full', event_status: 'Critical', alert_key: 'second' });
    await h.advance('0s');
    expect((await twilio.waitForMessage((m) => m.body.includes('Second volume full'))).body).toBe('OPS Critical: Second volume full');
    await context.close();
  });
});
