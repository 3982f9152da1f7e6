import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { ADMIN_PASSWORD, Harness } from '../harness/tocsin.js';

/**
 * axe-core (the engine behind most accessibility checkers) on the console's main pages, in light and
 * dark mode: no serious or critical violation (missing labels and names, contrast, landmarks, ARIA
 * misuse). The pages are filled with the demo organisation so tables, badges and timelines are drawn.
 */

const runnable = chromiumAvailable() && consoleBuilt();
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeNode {
  readonly target: readonly string[];
  readonly html: string;
  readonly failureSummary?: string;
}
interface AxeViolation {
  readonly id: string;
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  readonly help: string;
  readonly nodes: readonly AxeNode[];
}

/** Runs axe on the page as it is and returns its serious and critical violations, readable. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((node) =>
        `${v.impact} ${v.id} (${v.help}) at ${node.target.join(' ')} ${node.html.slice(0, 160)}: ${node.failureSummary ?? ''}`.replace(/\s+/g, ' '),
      ),
    );
}

const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];

/** A desktop-sized context in the colour scheme; the console's CSP would refuse axe's injected script. */
function newContext(browser: Browser, scheme: Scheme): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme, bypassCSP: true });
}

describe.runIf(runnable)('accessibility of the console (axe-core)', () => {
  let h: Harness;
  let browser: Browser;
  const ids = { channel: '', incident: '', schedule: '' };

  beforeAll(async () => {
    h = await Harness.start('sqlite', { skipSetup: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('the setup and sign-in pages have no serious violations in light and dark mode', { timeout: 90_000 }, async () => {
    const found: string[] = [];
    const check = async (scheme: Scheme, path: string, ready: string) => {
      const context = await newContext(browser, scheme);
      const page = await context.newPage();
      try {
        await page.goto(`${h.url}${path}`);
        await page.getByTestId(ready).waitFor();
        await page.waitForTimeout(300);
        for (const violation of await seriousViolations(page)) found.push(`${path} (${scheme}): ${violation}`);
      } finally {
        await context.close();
      }
    };
    for (const scheme of SCHEMES) await check(scheme, '/setup', 'setup-form');
    // The first admin, created through the setup form as a person would.
    const context = await newContext(browser, 'light');
    const page = await context.newPage();
    await page.goto(`${h.url}/setup`);
    await page.getByTestId('setup-name').fill('Ada Admin');
    await page.getByTestId('setup-email').fill('admin@example.com');
    await page.getByTestId('setup-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('setup-confirm-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('setup-submit').click();
    await page.waitForURL('**/channels');
    await context.close();
    for (const scheme of SCHEMES) await check(scheme, '/login', 'login-email');
    expect(found).toEqual([]);
  });

  const pages: { name: string; path: () => string; ready: string }[] = [
    { name: 'channels', path: () => '/channels', ready: 'channels-table' },
    { name: 'channel detail', path: () => `/channels/${ids.channel}`, ready: 'incident-row' },
    { name: 'escalation rules', path: () => `/channels/${ids.channel}/escalation`, ready: 'escalation-rule-row' },
    { name: 'channel integrations', path: () => `/channels/${ids.channel}/integrations`, ready: 'integration-card' },
    { name: 'incidents', path: () => '/incidents', ready: 'incident-row' },
    { name: 'incident detail', path: () => `/incidents/${ids.incident}`, ready: 'incident-timeline' },
    { name: 'integrations', path: () => '/integrations', ready: 'create-shared-integration' },
    { name: 'schedules', path: () => '/schedules', ready: 'schedules-table' },
    { name: 'schedule detail', path: () => `/schedules/${ids.schedule}`, ready: 'schedule-timeline-card' },
    { name: 'teams', path: () => '/teams', ready: 'teams-table' },
    { name: 'people', path: () => '/people', ready: 'people-table' },
    { name: 'settings', path: () => '/settings/providers', ready: 'add-provider-button' },
    { name: 'personal center', path: () => '/me', ready: 'contact-methods-section' },
  ];

  it.each(SCHEMES)('the main pages have no serious violations in %s mode', { timeout: 240_000 }, async (scheme) => {
    if (!ids.channel) {
      // Run alone (vitest -t), the setup test has not created the first admin.
      const setup = await h.admin.get<{ needs_setup: boolean }>('/api/v1/setup');
      if (setup.body.needs_setup) await h.admin.post('/api/v1/setup', { email: 'admin@example.com', name: 'Ada Admin', password: ADMIN_PASSWORD });
      const login = await h.admin.post('/api/v1/auth/login', { email: 'admin@example.com', password: ADMIN_PASSWORD });
      expect(login.status).toBe(200);
      expect((await h.admin.post('/api/v1/demo', {})).status).toBe(201);
      const channels = await h.admin.get<{ data: { id: string }[] }>('/api/v1/channels');
      const incidents = await h.admin.get<{ data: { id: string }[] }>('/api/v1/incidents?limit=1');
      const schedules = await h.admin.get<{ data: { id: string }[] }>('/api/v1/schedules');
      ids.channel = channels.body.data[0]?.id ?? '';
      ids.incident = incidents.body.data[0]?.id ?? '';
      ids.schedule = schedules.body.data[0]?.id ?? '';
    }
    const context = await newContext(browser, scheme);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      await signInAsAdmin(page, h.url);
      expect(await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe(scheme);
      const found: string[] = [];
      for (const target of pages) {
        await page.goto(`${h.url}${target.path()}`);
        await page.getByTestId(target.ready).first().waitFor();
        // Let transitions finish so contrast is measured on the final colours.
        await page.waitForTimeout(300);
        for (const violation of await seriousViolations(page)) found.push(`${target.name}: ${violation}`);
        await page.screenshot({ path: screenshotPath(`accessibility-${scheme}-${target.name.replace(/ /g, '-')}.png`) });
      }
      expect(found).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
