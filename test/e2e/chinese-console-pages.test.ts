import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';

/**
 * Schedules, escalation, noise reduction, people, teams, settings, webhooks, analytics and the audit
 * log with the admin's locale set to zh-CN: none of those pages' English strings is left on screen,
 * weekday and month names come from the locale, and nothing is wider than a phone.
 */
const runnable = chromiumAvailable() && consoleBuilt();

/** The namespaces these pages' strings live in. */
const NAMESPACES = ['schedules', 'escalation', 'noise', 'people', 'teams', 'settings', 'webhooks', 'analytics', 'audit'];
const LOCALES = join(import.meta.dirname, '../../web/src/locales');

function flatten(value: unknown, out: Map<string, string> = new Map(), prefix = ''): Map<string, string> {
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) flatten(child, out, prefix ? `${prefix}.${key}` : key);
  return out;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const baseKey = (key: string) => key.replace(/_(one|other)$/, '');

/**
 * Each English string whose Chinese differs, as a pattern matching a whole on-screen text ("Layer {{n}}"
 * matches "Layer 2"). Strings that are the same in both languages (MTTA, Slack, audit action ids) are
 * not evidence of anything and are skipped.
 */
function englishPatterns(): { id: string; pattern: RegExp }[] {
  const patterns: { id: string; pattern: RegExp }[] = [];
  for (const namespace of NAMESPACES) {
    const en = flatten(JSON.parse(readFileSync(join(LOCALES, 'en', `${namespace}.json`), 'utf8')));
    const zh = flatten(JSON.parse(readFileSync(join(LOCALES, 'zh-CN', `${namespace}.json`), 'utf8')));
    for (const [key, text] of en) {
      const chinese = zh.get(key) ?? zh.get(`${baseKey(key)}_other`);
      const literal = text.replace(/\{\{[^}]+\}\}/g, '');
      if (chinese === text || !/[A-Za-z]{3,}/.test(literal)) continue;
      const source = text
        .split(/\{\{[^}]+\}\}/)
        .map(escape)
        .join('.*?');
      patterns.push({ id: `${namespace}:${key}`, pattern: new RegExp(`^\\s*${source}\\s*$`, 's') });
    }
  }
  return patterns;
}

/**
 * Texts of components shared with the rest of the console (translated with them, not with these
 * pages) that happen to equal one of these pages' English strings: the time zone picker's label, a
 * person's status badge, the copy button of a copyable field.
 */
const SHARED_COMPONENT_TEXTS = [/^Time zone$/, /^Enabled$/, /^Copy /];

/** Every text node and every label-like attribute (aria-label, placeholder, title) under `scope`. */
function visibleTexts(page: Page, scope: string): Promise<string[]> {
  return page.locator(scope).first().evaluate((main) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (text) out.push(text);
    }
    for (const element of main.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const name of ['aria-label', 'placeholder', 'title']) {
        const value = element.getAttribute(name)?.trim();
        if (value) out.push(value);
      }
    }
    return out;
  });
}

const ENGLISH_DATES = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December)\b/;

describe.runIf(runnable)('schedules, escalation, noise, people, teams, settings in Chinese (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let scheduleId = '';
  let teamId = '';
  let channelId = '';
  const patterns = englishPatterns();

  beforeAll(async () => {
    h = await Harness.start('sqlite');
    browser = await launchChromium();
    const locale = await h.admin.patch('/api/v1/me', { locale: 'zh-CN' });
    expect(locale.status, JSON.stringify(locale.body)).toBe(200);
    const zhang = (await h.person('responder', '张伟')).person;
    const li = (await h.person('responder', '李娜')).person;
    const team = await h.team('支付值班组', [zhang, li]);
    teamId = team.id;
    const schedule = await h.admin.post<{ id: string }>('/api/v1/schedules', {
      name: '支付主值班',
      team_id: team.id,
      time_zone: 'Asia/Shanghai',
      layers: [
        {
          name: '工作日',
          members: [[zhang.id], [li.id]],
          rotation: { unit: 'week', count: 1, handoff_time: '09:00', weekday: 'monday' },
          start: Date.UTC(2026, 1, 23, 1, 0),
          restrictions: { kind: 'weekly', windows: [{ start_day: 'monday', start: '09:00', end_day: 'friday', end: '18:00' }] },
        },
      ],
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    scheduleId = schedule.body.id;
    const override = await h.admin.post(`/api/v1/schedules/${scheduleId}/overrides`, {
      person_id: li.id,
      role: 'primary',
      start: h.clock.now() + 3600_000,
      end: h.clock.now() + 5 * 3600_000,
    });
    expect(override.status, JSON.stringify(override.body)).toBe(201);
    channelId = (await h.channel('支付服务', { teamId: team.id })).id;
    const filter = [[{ key: 'labels.host', op: 'in', values: ['db-1'] }]];
    expect((await h.admin.post(`/api/v1/channels/${channelId}/silences`, { name: '数据库维护', spec: { filter, time: { kind: 'range', start: h.clock.now(), end: h.clock.now() + 3600_000 } } })).status).toBe(201);
    expect((await h.admin.post(`/api/v1/channels/${channelId}/drop-rules`, { name: '测试环境', spec: { filter } })).status).toBe(201);
    expect((await h.admin.post('/api/v1/custom-fields', { name: 'region', label: '地域', kind: 'multi_select', options: ['华东', '华北'] })).status).toBe(201);
    expect((await h.admin.post('/api/v1/webhooks', { name: '工单系统', url: 'http://127.0.0.1:9/hook', events: ['*'] })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const pages = () => [
    { name: 'schedules', path: '/schedules', ready: 'schedules-table' },
    { name: 'schedule', path: `/schedules/${scheduleId}`, ready: 'timeline-row-final' },
    { name: 'schedule-month', path: `/schedules/${scheduleId}?view=month&date=2026-03-02`, ready: 'timeline-row-final' },
    { name: 'schedule-edit', path: `/schedules/${scheduleId}/edit`, ready: 'schedule-preview-timeline' },
    // A channel's tabs: only the tab panel is these pages' (the channel header and tab names are not).
    { name: 'escalation', path: `/channels/${channelId}/escalation`, ready: 'escalation-rules-tab', scope: '[role="tabpanel"]:has([data-testid="escalation-rules-tab"])' },
    { name: 'noise', path: `/channels/${channelId}/noise`, ready: 'noise-settings', scope: '[role="tabpanel"]:has([data-testid="noise-settings"])' },
    { name: 'people', path: '/people', ready: 'people-table' },
    { name: 'teams', path: '/teams', ready: 'teams-table' },
    { name: 'team', path: `/teams/${teamId}`, ready: 'team-members-table' },
    { name: 'providers', path: '/settings/providers', ready: null },
    { name: 'custom-fields', path: '/settings/custom-fields', ready: 'custom-fields-table' },
    { name: 'import', path: '/settings/import', ready: 'import-vendor' },
    { name: 'webhooks', path: '/webhooks', ready: 'webhooks-table' },
    { name: 'analytics', path: '/analytics', ready: 'analytics-summary' },
    { name: 'audit', path: '/settings/audit', ready: 'audit-table' },
  ];

  async function open(context: BrowserContext): Promise<{ page: Page; pageErrors: string[] }> {
    const page = await context.newPage();
    await page.clock.install({ time: h.clock.now() });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInAsAdmin(page, h.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    return { page, pageErrors };
  }

  it('leaves none of these pages’ English strings on screen, and names days and months in Chinese', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    const { page, pageErrors } = await open(context);
    const leftovers: string[] = [];
    for (const target of pages()) {
      await page.goto(`${h.url}${target.path}`);
      if (target.ready) await page.getByTestId(target.ready).first().waitFor();
      else await page.locator('main h2').first().waitFor();
      await page.waitForLoadState('networkidle');
      const texts = await visibleTexts(page, 'scope' in target ? target.scope : 'main');
      for (const text of texts.filter((t) => !SHARED_COMPONENT_TEXTS.some((shared) => shared.test(t)))) {
        const hit = patterns.find(({ pattern }) => pattern.test(text));
        if (hit) leftovers.push(`${target.name}: “${text}” (${hit.id})`);
        if (ENGLISH_DATES.test(text)) leftovers.push(`${target.name}: English date “${text}”`);
      }
      await page.screenshot({ path: screenshotPath(`zh-${target.name}.png`), fullPage: true });
    }
    expect(leftovers).toEqual([]);

    // The timeline's days and range come from Intl in the person's locale.
    await page.goto(`${h.url}/schedules/${scheduleId}?view=week&date=2026-03-02`);
    await page.getByTestId('timeline-row-final').waitFor();
    expect(await page.getByTestId('timeline-range-title').textContent()).toMatch(/3月2日.*3月8日/);
    const header = await page.getByTestId('timeline').textContent();
    expect(header).toContain('周一');
    expect(header).toContain('周日');
    expect(await page.getByTestId('timeline-view-two-weeks').textContent()).toBe('两周');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('fits a phone in Chinese: no page is wider than the screen', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(20_000);
    const { page, pageErrors } = await open(context);
    const tooWide: string[] = [];
    for (const target of pages()) {
      await page.goto(`${h.url}${target.path}`);
      if (target.ready) await page.getByTestId(target.ready).first().waitFor();
      else await page.locator('main h2').first().waitFor();
      await page.waitForLoadState('networkidle');
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      if (widths.scroll > widths.client + 1) tooWide.push(`${target.name}: ${widths.scroll}px > ${widths.client}px`);
      await page.screenshot({ path: screenshotPath(`zh-phone-${target.name}.png`), fullPage: true });
    }
    expect(tooWide).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

// The namespaces named above must exist, or the walk would check nothing.
describe('the Chinese walk covers real namespaces', () => {
  it('finds each namespace file', () => {
    const files = readdirSync(join(LOCALES, 'en')).map((f) => f.replace(/\.json$/, ''));
    expect(files).toEqual(expect.arrayContaining(NAMESPACES));
  });
});
