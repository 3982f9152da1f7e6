/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { HttpPeer } from '../harness/peers/http-peer.js';
import { Harness } from '../harness/tocsin.js';

const runnable = chromiumAvailable() && consoleBuilt();


/** Whitespace-insensitive text, so a summary split into lines on the page compares with the API's. */
function squash(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

interface RuleView {
  id: string;
  name: string;
  enabled: boolean;
  summary: string;
  spec: { levels: { targets: { people?: string[]; teams?: string[] }; escalate_after_min: number }[] };
}

describe.runIf(runnable)('escalation rules and notification providers in the console (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let channel: { id: string; name: string };
  let grace: Awaited<ReturnType<Harness['person']>>['person'];
  let backend: { id: string; name: string };

  beforeAll(async () => {
    h = await Harness.start('sqlite');
    browser = await launchChromium();
    grace = (await h.person('responder', 'Grace Hopper')).person;
    backend = await h.team('Backend', [grace]);
    channel = await h.channel('Payments');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('builds a two-level rule in the editor and shows the server’s summary of both levels', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await signInAsAdmin(page, h.url);
    await page.goto(`${h.url}/channels/${channel.id}`);
    await page.getByTestId('channel-tab-escalation').click();
    await page.waitForURL(`**/channels/${channel.id}/escalation`);
    // No rule yet: the console warns that incidents would notify nobody.
    await page.getByTestId('no-catch-all-warning').waitFor();
    expect(await page.getByTestId('no-catch-all-warning').textContent()).toContain('Incidents that match no rule notify nobody');

    await page.getByTestId('add-escalation-rule').first().click();
    const editor = page.getByTestId('escalation-rule-editor');
    await editor.waitFor();
    // A channel's first rule is offered a name.
    expect(await editor.getByTestId('rule-name').inputValue()).toBe('Default');
    await editor.getByTestId('rule-name').fill('Payments default');

    // Level 1: the new rule starts with "me"; replace me by Grace.
    const level1 = editor.locator('[data-testid="level-card"][data-level="1"]');
    expect(squash(await level1.textContent())).toContain('Ada Admin');
    const people = level1.getByTestId('level-people');
    await people.click();
    await people.press('Backspace');
    await people.fill('Grace');
    await page.getByRole('option', { name: 'Grace Hopper' }).click();
    await people.press('Escape');
    await level1.getByTestId('level-escalate-after').fill('30');

    // Level 2: the Backend team.
    await editor.getByTestId('add-level').click();
    const level2 = editor.locator('[data-testid="level-card"][data-level="2"]');
    await level2.waitFor();
    const teams = level2.getByTestId('level-teams');
    await teams.click();
    await page.getByRole('option', { name: 'Backend' }).click();
    await teams.press('Escape');

    // Creating closes the drawer; the list shows the new rule with the server's reading of it.
    await editor.getByTestId('rule-save').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const row = page.getByTestId('escalation-rule-row').filter({ hasText: 'Payments default' });
    await row.waitFor();
    const shownInList = squash(await row.getByTestId('escalation-rule-summary').textContent());
    await page.getByTestId('no-catch-all-warning').waitFor({ state: 'detached' });
    await page.screenshot({ path: screenshotPath('escalation-rule.png'), fullPage: true });

    // What the API says about the rule the console built.
    const listed = await h.admin.get<{ data: RuleView[] }>(`/api/v1/channels/${channel.id}/escalation-rules`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    const rule = listed.body.data[0] as RuleView;
    expect(rule.name).toBe('Payments default');
    expect(rule.enabled).toBe(true);
    expect(rule.spec.levels).toHaveLength(2);
    expect(rule.spec.levels[0]).toMatchObject({ targets: { people: [grace.id] }, escalate_after_min: 30 });
    expect(rule.spec.levels[1]).toMatchObject({ targets: { teams: [backend.id] } });

    expect(shownInList).toBe(squash(rule.summary));
    expect(shownInList).toMatch(/Grace Hopper/);
    expect(shownInList).toMatch(/if nobody acknowledges in 30 min/);
    expect(shownInList).toMatch(/Backend team/);

    // Editing keeps the drawer open and shows the same reading after each save.
    await row.getByTestId('rule-edit').click();
    const reopened = page.getByTestId('escalation-rule-editor');
    await reopened.waitFor();
    await reopened.getByTestId('rule-save').click();
    const saved = reopened.getByTestId('rule-saved-summary');
    await saved.waitFor();
    expect(squash(await saved.textContent())).toBe(squash(rule.summary));
    await page.screenshot({ path: screenshotPath('escalation-rule-editor.png'), fullPage: true });
    await reopened.getByTestId('rule-close').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // A copy starts disabled, below the original; moving it up persists the new order.
    await row.getByTestId('rule-copy').click();
    await expect.poll(() => page.getByTestId('escalation-rule-row').count()).toBe(2);
    const copyRow = page.getByTestId('escalation-rule-row').nth(1);
    await copyRow.getByTestId('rule-move-up').click();
    await expect
      .poll(async () => (await h.admin.get<{ data: RuleView[] }>(`/api/v1/channels/${channel.id}/escalation-rules`)).body.data.map((r) => r.enabled))
      .toEqual([false, true]);
    // Dragging the original back above the copy (native HTML5 drag and drop) restores the order.
    await page.getByTestId('escalation-rule-row').nth(1).dragTo(page.getByTestId('escalation-rule-row').nth(0), { targetPosition: { x: 40, y: 8 } });
    await expect
      .poll(async () => (await h.admin.get<{ data: RuleView[] }>(`/api/v1/channels/${channel.id}/escalation-rules`)).body.data.map((r) => r.name))
      .toEqual(['Payments default', 'Payments default (copy)']);

    expect(pageErrors).toEqual([]);
    await context.close();

    // Phone width: the same list, and the editor full screen.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(15_000);
    const phonePage = await phone.newPage();
    await signInAsAdmin(phonePage, h.url);
    await phonePage.goto(`${h.url}/channels/${channel.id}/escalation`);
    await phonePage.getByTestId('escalation-rule-row').first().waitFor();
    await phonePage.screenshot({ path: screenshotPath('escalation-rule-phone.png'), fullPage: true });
    await phonePage.getByTestId('rule-edit').first().click();
    await phonePage.getByTestId('escalation-rule-editor').waitFor();
    await phonePage.screenshot({ path: screenshotPath('escalation-rule-editor-phone.png') });
    await phone.close();
  });

  it('configures a webhook provider through the form generated from its fields', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await signInAsAdmin(page, h.url);
    await page.goto(`${h.url}/settings/providers`);
    await page.getByTestId('add-provider-button').first().click();
    const form = page.getByTestId('provider-form');
    await form.waitFor();
    await form.getByTestId('provider-type-select').click();
    await page.getByRole('option', { name: 'Outbound webhook' }).click();
    // The form comes from the provider's declared fields.
    for (const field of ['url', 'method', 'secret', 'headers']) await form.getByTestId(`provider-field-${field}`).waitFor();
    await form.getByTestId('provider-name').fill('#ops-alerts');
    // A required field left empty is caught before the request.
    await form.getByTestId('provider-submit').click();
    await expect.poll(() => form.textContent()).toMatch(/URL is required/);
    await form.getByTestId('provider-field-url').fill('https://hooks.example.com/ops');
    await form.getByTestId('provider-field-secret').fill('whsec-0123456789abcdef');
    await form.getByTestId('provider-field-headers').fill('X-Team: sre');
    await form.screenshot({ path: screenshotPath('notification-provider-form.png') });
    await form.getByTestId('provider-submit').click();
    await form.waitFor({ state: 'detached' });

    const row = page.getByTestId('provider-row').filter({ hasText: '#ops-alerts' });
    await row.waitFor();
    expect(squash(await row.textContent())).toMatch(/Outbound webhook/);

    const listed = await h.admin.get<{ data: { name: string; provider: string; enabled: boolean; methods: string[]; settings: Record<string, unknown> }[] }>(
      '/api/v1/notification-providers',
    );
    // Besides the built-in Web Push provider every installation has (ADR 0055).
    expect(listed.body.data.filter((p) => p.provider !== 'webpush')).toEqual([
      expect.objectContaining({
        name: '#ops-alerts',
        provider: 'webhook',
        enabled: true,
        methods: ['webhook'],
        settings: expect.objectContaining({ url: 'https://hooks.example.com/ops', secret: '••••••', method: 'POST' }),
      }),
    ]);

    // Editing shows the stored secret as dots and keeps it when saved untouched.
    await row.getByTestId('provider-edit').click();
    await form.waitFor();
    expect(await form.getByTestId('provider-field-secret').inputValue()).toBe('••••••');
    await form.getByTestId('provider-name').fill('#ops-alerts-eu');
    await form.getByTestId('provider-submit').click();
    await page.getByTestId('provider-row').filter({ hasText: '#ops-alerts-eu' }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.screenshot({ path: screenshotPath('notification-providers.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
  it('shows my notification preferences with the FAQ checks, and saves them', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signInAsAdmin(page, h.url);
    await page.goto(`${h.url}/me`);
    const section = page.getByTestId('notification-preferences-section');
    await section.waitFor();
    // The admin has no phone: the FAQ's first question is answered on the spot.
    await expect.poll(() => section.getByTestId('check-phone').textContent()).toBe('No phone number — no calls or SMS');
    expect(await section.getByTestId('check-critical-sms').textContent()).toBe('SMS enabled for Critical');
    await section.getByRole('group', { name: 'Critical methods' }).getByText('SMS', { exact: true }).click();
    expect(await section.getByTestId('check-critical-sms').textContent()).toBe('SMS not enabled for Critical');
    // App push is offered only once a Web Push provider exists; SMS can always be switched off.
    await section.getByRole('group', { name: 'Warning methods' }).getByText('SMS', { exact: true }).click();
    await section.getByTestId('preferences-save').click();
    await expect
      .poll(async () => (await h.admin.get<Record<string, string[]>>('/api/v1/me/notification-preferences')).body)
      .toEqual({ Critical: ['voice', 'email'], Warning: ['email'], Info: ['email'] });
    await section.screenshot({ path: screenshotPath('notification-preferences.png') });
    await context.close();
  });

  it('lists an incident’s deliveries, sent and failed, in its delivery log', { timeout: 60_000 }, async () => {
    const good = await HttpPeer.start();
    const bad = await HttpPeer.start();
    try {
      bad.respondWith(404, 'no such hook');
      const warRoom = await h.provider('webhook', 'War room', { url: `${good.url}/hooks/war-room` });
      const broken = await h.provider('webhook', 'Old bot', { url: `${bad.url}/hooks/gone` });
      const checkout = await h.channel('Checkout');
      const { key } = await h.integration(checkout.id, 'standard');
      const created = await h.admin.post(`/api/v1/channels/${checkout.id}/escalation-rules`, {
        name: 'Group chats',
        spec: { levels: [{ targets: { group_chats: [warRoom, broken] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
      });
      expect(created.status).toBe(201);
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Checkout 5xx above 2%', event_status: 'Critical', alert_key: 'checkout-5xx' });
      await h.advance('0s');
      await good.waitFor((r) => r.path === '/hooks/war-room');
      const [incident] = await h.incidents(checkout.id);
      if (!incident) throw new Error('no incident');
      await expect
        .poll(async () => (await h.admin.get<{ data: { status: string }[] }>(`/api/v1/incidents/${incident.id}/deliveries`)).body.data.map((d) => d.status).sort())
        .toEqual(['failed', 'sent']);

      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      await signInAsAdmin(page, h.url);
      await page.goto(`${h.url}/incidents/${incident.id}`);
      await page.getByTestId('incident-tab-deliveries').click();
      await page.waitForURL(`**/incidents/${incident.id}/deliveries`);
      await page.locator('[data-testid="delivery-row"][data-status="sent"]').filter({ hasText: 'War room' }).waitFor();
      const failed = page.locator('[data-testid="delivery-row"][data-status="failed"]').filter({ hasText: 'Old bot' });
      await failed.waitFor();
      expect(await failed.getByTestId('delivery-error').textContent()).toMatch(/404/);
      await page.screenshot({ path: screenshotPath('incident-delivery-log.png'), fullPage: true });
      await context.close();
    } finally {
      await good.close();
      await bad.close();
    }
  });
});
