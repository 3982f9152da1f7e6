/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';

const runnable = chromiumAvailable() && consoleBuilt();

interface Incident {
  id: string;
  number: number;
  title: string;
  status: string;
  impact: string;
  custom_fields: Record<string, unknown>;
}

describe.runIf(runnable)('incident actions in the console (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let channel: { id: string; name: string };

  beforeAll(async () => {
    h = await Harness.start('sqlite');
    browser = await launchChromium();
    channel = await h.channel('Storefront');
    expect((await h.admin.post('/api/v1/custom-fields', { name: 'customer_facing', label: 'Customer facing', kind: 'checkbox' })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('opens an incident by hand, edits it with a custom field, reads the timeline sentence, and batch-acknowledges from the list', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInAsAdmin(page, h.url);

    // New incident from the Incidents page.
    await page.goto(`${h.url}/incidents`);
    await page.getByTestId('new-incident-button').click();
    const form = page.getByTestId('new-incident-form');
    await form.getByTestId('new-incident-channel').click();
    await page.getByRole('option', { name: 'Storefront' }).click();
    await form.getByTestId('new-incident-title').fill('Customers report failed checkouts');
    await form.getByTestId('new-incident-submit').click();
    await page.waitForURL(/\/incidents\/[^/]+$/);
    const id = page.url().split('/').pop() ?? '';
    expect((await h.admin.get<Incident>(`/api/v1/incidents/${id}`)).body).toMatchObject({ title: 'Customers report failed checkouts', status: 'triggered' });

    // Edit: impact and the custom checkbox.
    await page.getByTestId('incident-more-actions').click();
    await page.getByTestId('incident-action-edit').click();
    const edit = page.getByTestId('edit-incident-form');
    await edit.getByTestId('edit-impact').fill('EU shoppers cannot pay');
    await edit.getByTestId('custom-field-customer_facing').check();
    await edit.getByTestId('edit-submit').click();
    await page.getByTestId('field-value-customer_facing').waitFor();
    const saved = (await h.admin.get<Incident>(`/api/v1/incidents/${id}`)).body;
    expect(saved).toMatchObject({ impact: 'EU shoppers cannot pay', custom_fields: { customer_facing: true } });

    // The timeline says who changed what, old → new.
    const entry = page.getByTestId('timeline-entry').filter({ hasText: 'changed impact' });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('Ada Admin changed impact: (empty) → “EU shoppers cannot pay”');
    await page.screenshot({ path: screenshotPath('incident-actions-detail.png'), fullPage: true });

    // The post-mortem draft is prefilled with the impact.
    await page.getByTestId('incident-tab-postmortem').click();
    const draft = page.getByTestId('postmortem-text');
    await draft.waitFor();
    expect(await draft.inputValue()).toContain('EU shoppers cannot pay');

    // Batch acknowledge two incidents from the list.
    const second = await h.admin.post<Incident>('/api/v1/incidents', { channel_id: channel.id, title: 'Search is slow', severity: 'Warning' });
    await page.goto(`${h.url}/incidents?status=triggered`);
    await page.locator(`[data-testid="incident-row"][data-incident-id="${id}"]`).waitFor();
    await page.locator(`[data-testid="incident-row"][data-incident-id="${second.body.id}"]`).waitFor();
    await page.getByTestId('select-all-incidents').check();
    await page.getByTestId('batch-ack').click();
    await page.getByTestId('batch-bar').waitFor({ state: 'detached' });
    for (const incidentId of [id, second.body.id]) expect((await h.admin.get<Incident>(`/api/v1/incidents/${incidentId}`)).body.status).toBe('processing');
    await page.screenshot({ path: screenshotPath('incident-actions-list.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
