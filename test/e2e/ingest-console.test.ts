/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';

const runnable = chromiumAvailable() && consoleBuilt();
/** SQLite by default; TOCSIN_E2E_DIALECT=postgres runs the same journey on PostgreSQL. */
const DIALECT = process.env.TOCSIN_E2E_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/** An Alertmanager webhook (version 4) with one firing alert. */
function alertmanagerPayload(startsAt: string) {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    status: 'firing',
    receiver: 'tocsin',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', severity: 'critical', cluster: 'prod-eu' },
    commonAnnotations: { summary: 'Checkout 5xx rate above 5%' },
    externalURL: 'http://alertmanager.example.com',
    alerts: [
      {
        status: 'firing',
        fingerprint: 'e2e-high-error-rate',
        labels: { alertname: 'HighErrorRate', severity: 'critical', cluster: 'prod-eu', service: 'checkout' },
        annotations: { summary: 'Checkout 5xx rate above 5%', description: '5xx ratio is 7.2% over the last 5 minutes' },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.com/graph',
      },
    ],
  };
}


describe.runIf(runnable)('ingestion in the console (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let channel: { id: string; name: string };
  let incidentId = '';

  beforeAll(async () => {
    h = await Harness.start(DIALECT);
    browser = await launchChromium();
    channel = await h.channel('Checkout');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('adds a Prometheus integration, receives an alert, and acknowledges the incident from the console', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await signInAsAdmin(page, h.url);
    await page.goto(`${h.url}/channels/${channel.id}`);
    await page.getByTestId('channel-tab-integrations').click();
    await page.waitForURL(`**/channels/${channel.id}/integrations`);

    // Add a Prometheus integration through the UI.
    await page.getByTestId('add-integration-button').first().click();
    await page.getByTestId('source-option-prometheus').click();
    await page.getByTestId('integration-name').fill('Prometheus prod-eu');
    await page.getByTestId('add-integration-submit').click();
    await page.getByTestId('integration-created').waitFor();
    const shown = (await page.getByTestId('integration-push-url').textContent()) ?? '';
    expect(shown).toMatch(/\/event\/push\/alert\/prometheus\?integration_key=.+/);
    const snippet = (await page.getByTestId('integration-snippet').textContent()) ?? '';
    expect(snippet).toContain('webhook_configs');
    await page.screenshot({ path: screenshotPath('ingest-integration-created.png') });
    await page.getByTestId('integration-created-done').click();
    await page.getByTestId('integration-card').filter({ hasText: 'Prometheus prod-eu' }).waitFor();

    // The harness sets no public URL, so the shown URL has the default host: keep its path and key.
    const pushUrl = new URL(shown);
    const response = await fetch(`${h.url}${pushUrl.pathname}${pushUrl.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerPayload(new Date(h.clock.now()).toISOString())),
    });
    expect(response.status).toBe(200);

    // The card shows the event, and the incident appears in the channel's Incidents tab.
    await expect.poll(() => page.getByTestId('integration-last-event').first().textContent(), { timeout: 15_000 }).not.toMatch(/No events yet/);
    await page.screenshot({ path: screenshotPath('ingest-integration-cards.png') });

    await page.getByTestId('channel-tab-incidents').click();
    const row = page.getByTestId('incident-row').filter({ hasText: 'Checkout 5xx rate above 5%' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Critical/);
    expect(await row.textContent()).toMatch(/Triggered/);
    await page.screenshot({ path: screenshotPath('ingest-channel-incidents.png') });

    // Open it and acknowledge.
    await row.getByRole('link').click();
    await page.waitForURL(/\/incidents\/[^/]+/);
    incidentId = new URL(page.url()).pathname.split('/')[2] ?? '';
    await page.getByTestId('timeline-entry').first().waitFor();
    await page.getByTestId('incident-ack').click();
    await expect.poll(() => page.getByTestId('incident-status-badge').first().textContent()).toBe('Processing');
    await expect.poll(() => page.locator('[data-testid="timeline-entry"][data-kind="acknowledged"]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('ingest-incident-acknowledged.png'), fullPage: true });

    // The alerts tab and the alert drawer.
    await page.getByTestId('incident-tab-alerts').click();
    await page.getByTestId('alert-row').first().click();
    await page.getByTestId('alert-labels').waitFor();
    await page.waitForTimeout(400); // let the drawer finish sliding in before the screenshot
    expect(await page.getByTestId('alert-labels').textContent()).toContain('prod-eu');
    await page.screenshot({ path: screenshotPath('ingest-alert-drawer.png') });

    // What the browser did, the API confirms.
    const processing = await h.incidents(channel.id, 'processing');
    expect(processing).toEqual([expect.objectContaining({ id: incidentId, title: 'Checkout 5xx rate above 5%', severity: 'Critical', status: 'processing', alert_count: 1 })]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('shows the incident list, integration drawer and noise reduction at phone width', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInAsAdmin(page, h.url);

    await page.goto(`${h.url}/incidents`);
    await page.getByTestId('incident-row').first().waitFor();
    await page.screenshot({ path: screenshotPath('ingest-phone-incidents.png') });

    await page.goto(`${h.url}/incidents/${incidentId}`);
    await page.getByTestId('timeline-entry').first().waitFor();
    await page.screenshot({ path: screenshotPath('ingest-phone-incident.png'), fullPage: true });

    await page.goto(`${h.url}/channels/${channel.id}/integrations`);
    await page.getByTestId('integration-card').first().click();
    await page.getByTestId('integration-tab-activity').click();
    await page.getByTestId('raw-event').first().waitFor();
    await page.screenshot({ path: screenshotPath('ingest-phone-integration-activity.png') });

    await page.goto(`${h.url}/channels/${channel.id}/noise`);
    await page.getByTestId('noise-settings').waitFor();
    await page.screenshot({ path: screenshotPath('ingest-phone-noise.png'), fullPage: true });

    // No horizontal scrolling at 390px.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('configures noise reduction and a weekly silence, and previews shared routing on the desktop', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInAsAdmin(page, h.url);

    // Noise reduction: group by rules on title + labels.cluster, with a 30-minute sliding window.
    await page.goto(`${h.url}/channels/${channel.id}/noise`);
    await page.getByTestId('noise-grouping-mode').getByText('By rules').click();
    await page.getByTestId('noise-dim-labels').fill('cluster');
    await page.getByTestId('noise-dim-labels').press('Enter');
    await page.getByTestId('noise-window-kind').getByText('Sliding').click();
    await page.getByTestId('noise-window-minutes').fill('30');
    await page.getByTestId('noise-save').click();
    await expect
      .poll(async () => (await h.admin.get<{ grouping: unknown }>(`/api/v1/channels/${channel.id}/noise-reduction`)).body.grouping)
      .toEqual({ mode: 'rules', by: ['title', 'labels.cluster'], strict: false, window: { kind: 'sliding', minutes: 30 } });

    // A weekly silence rule.
    await page.getByTestId('add-rule-silence').click();
    await page.getByTestId('rule-name').fill('Nightly batch window');
    await page.getByTestId('silence-filter-label-name').fill('service');
    await page.getByTestId('silence-filter-values').fill('batch-*');
    await page.getByTestId('silence-filter-values').press('Enter');
    await page.getByTestId('silence-time-kind').getByText('Weekly').click();
    await page.screenshot({ path: screenshotPath('ingest-silence-editor.png') });
    await page.getByTestId('rule-submit').click();
    await page.getByTestId('rule-row').filter({ hasText: 'Nightly batch window' }).waitFor();
    const silences = await h.admin.get<{ data: { name: string; spec: { filter: unknown; time: { kind: string } } }[] }>(`/api/v1/channels/${channel.id}/silences`);
    expect(silences.body.data).toEqual([
      expect.objectContaining({ name: 'Nightly batch window', spec: expect.objectContaining({ filter: [[{ key: 'labels.service', op: 'in', values: ['batch-*'] }]], time: expect.objectContaining({ kind: 'weekly' }) }) }),
    ]);
    await page.screenshot({ path: screenshotPath('ingest-noise-reduction.png'), fullPage: true });

    // A shared standard integration with a routing case, previewed against a payload it received.
    // A shared integration routes only into channels its owning team manages: make Platform a managing team.
    const team = await h.team('Platform');
    expect((await h.admin.patch(`/api/v1/channels/${channel.id}`, { managing_team_ids: [team.id] })).status).toBe(200);
    const shared = await h.admin.post<{ id: string; push_url: string }>('/api/v1/integrations', {
      name: 'Central scripts',
      source: 'standard',
      team_id: team.id,
      settings: { routing: { cases: [{ if: [[{ key: 'labels.service', op: 'in', values: ['checkout'] }]], channels: [channel.id] }], default: [] } },
    });
    expect(shared.status).toBe(201);
    const pushed = await h.push(new URL(shared.body.push_url).pathname + new URL(shared.body.push_url).search, {
      title_rule: 'Checkout latency high',
      event_status: 'Warning',
      labels: { service: 'checkout' },
    });
    expect(pushed.status).toBe(200);
    await page.goto(`${h.url}/integrations/${shared.body.id}`);
    await page.getByTestId('routing-case').first().waitFor();
    const previewRow = page.getByTestId('routing-preview-row').first();
    await previewRow.waitFor();
    expect(await previewRow.textContent()).toMatch(/Case 1.*Checkout/);
    await page.screenshot({ path: screenshotPath('ingest-shared-routing.png'), fullPage: true });

    await page.goto(`${h.url}/incidents`);
    await page.getByTestId('incident-row').first().waitFor();
    await page.screenshot({ path: screenshotPath('ingest-incidents.png') });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
