import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';

/**
 * Schedules, escalation, noise reduction, people, teams, settings, webhooks, analytics and the audit
 * log, with their dialogs, and the admin's locale set to zh-CN: no English string of any namespace
 * (shared components included) is left on screen, weekday and month names come from the locale, and
 * nothing is wider than a phone. The whole-console walk is test/e2e/i18n-console.test.ts.
 */
const runnable = chromiumAvailable() && consoleBuilt();

const LOCALES = join(import.meta.dirname, '../../web/src/locales');
/**
 * Every namespace's English: these pages also show shared components (filter editor, weekly windows,
 * severity badges, method names, provider forms…) whose strings live in `common`, `providerFields`…
 */
const NAMESPACES = readdirSync(join(LOCALES, 'en')).map((f) => f.replace(/\.json$/, '')).sort();

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

/** Not UI text: rotation role ids (primary, backup) typed as tags into an escalation level's roles. */
const NOT_OURS = [/^(primary|backup)$/];

/** Every text node and every label-like attribute (aria-label, placeholder, title) under `scope`. */
function visibleTexts(page: Page, scope: string): Promise<string[]> {
  return page.locator(scope).first().evaluate((main) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (text) out.push(text);
    }
    for (const element of Array.from(main.querySelectorAll('[aria-label], [placeholder], [title]'))) {
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
  const ours = (text: string) => !NOT_OURS.some((pattern) => pattern.test(text));

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
    const rule = await h.admin.post(`/api/v1/channels/${channelId}/escalation-rules`, {
      name: '工作时间',
      spec: {
        conditions: { time: { time_zone: 'Asia/Shanghai', windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }], outside: false } },
        delay_seconds: 60,
        levels: [
          { targets: { people: [zhang.id], schedules: [{ id: scheduleId, roles: ['primary'] }] }, methods: { kind: 'preferences' }, repeat_every_min: 5, repeat_times: 2, escalate_after_min: 30 },
          { targets: { teams: [team.id] }, methods: { kind: 'explicit', by_severity: { Critical: ['voice', 'sms'], Warning: ['sms'] } }, escalate_after_min: 60 },
        ],
        after_last: { kind: 'loop', times: 2 },
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  /** Pages to walk; `open` lists buttons whose dialog (or drawer) is walked too ("menu>item" opens a menu first). */
  const pages = (): { name: string; path: string; ready: string | null; scope?: string; open?: string[] }[] => [
    { name: 'schedules', path: '/schedules', ready: 'schedules-table' },
    { name: 'schedule', path: `/schedules/${scheduleId}`, ready: 'timeline-row-final', open: ['add-override-button', 'schedule-feed-regenerate', 'schedule-more-actions>delete-schedule'] },
    { name: 'schedule-month', path: `/schedules/${scheduleId}?view=month&date=2026-03-02`, ready: 'timeline-row-final' },
    { name: 'schedule-edit', path: `/schedules/${scheduleId}/edit`, ready: 'schedule-preview-timeline' },
    // A channel's tabs: only the tab panel is these pages' (the channel header and tab names are not).
    {
      name: 'escalation',
      path: `/channels/${channelId}/escalation`,
      ready: 'escalation-rule-row',
      scope: '[role="tabpanel"]:has([data-testid="escalation-rules-tab"])',
      open: ['rule-edit', 'rule-delete'],
    },
    {
      name: 'noise',
      path: `/channels/${channelId}/noise`,
      ready: 'noise-settings',
      scope: '[role="tabpanel"]:has([data-testid="noise-settings"])',
      open: ['add-rule-silence', 'add-rule-inhibit', 'add-rule-drop'],
    },
    { name: 'people', path: '/people', ready: 'people-table', open: ['create-person-button'] },
    { name: 'teams', path: '/teams', ready: 'teams-table', open: ['create-team-button'] },
    { name: 'team', path: `/teams/${teamId}`, ready: 'team-members-table', open: ['edit-team-button', 'delete-team-button'] },
    { name: 'providers', path: '/settings/providers', ready: null, open: ['add-provider-button'] },
    { name: 'custom-fields', path: '/settings/custom-fields', ready: 'custom-fields-table', open: ['add-custom-field'] },
    { name: 'import', path: '/settings/import', ready: 'import-vendor' },
    { name: 'webhooks', path: '/webhooks', ready: 'webhooks-table', open: ['add-webhook-button', 'webhook-history'] },
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
      const check = async (where: string, scope: string) => {
        for (const text of (await visibleTexts(page, scope)).filter(ours)) {
          const hit = patterns.find(({ pattern }) => pattern.test(text));
          if (hit) leftovers.push(`${where}: “${text}” (${hit.id})`);
          if (ENGLISH_DATES.test(text)) leftovers.push(`${where}: English date “${text}”`);
        }
      };
      await check(target.name, target.scope ?? 'main');
      await page.screenshot({ path: screenshotPath(`zh-${target.name}.png`), fullPage: true });
      for (const button of target.open ?? []) {
        for (const step of button.split('>')) await page.getByTestId(step).first().click();
        const dialog = page.locator('[role="dialog"]').last();
        await dialog.waitFor();
        await page.waitForLoadState('networkidle');
        await check(`${target.name} › ${button}`, '[role="dialog"] >> nth=-1');
        await page.screenshot({ path: screenshotPath(`zh-${target.name}-${button.replace(">", "-")}.png`), fullPage: true });
        // The first Escape may only close a select's dropdown inside the dialog.
        for (let i = 0; i < 3 && (await dialog.count()) > 0; i += 1) {
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'detached', timeout: 2_000 }).catch(() => undefined);
        }
        await dialog.waitFor({ state: 'detached' });
      }
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

    // The escalation rule reads in Chinese, one line per severity, names and times included.
    await page.goto(`${h.url}/channels/${channelId}/escalation`);
    await expect.poll(() => page.getByTestId('escalation-rule-summary').textContent()).toContain('张伟');
    const summary = (await page.getByTestId('escalation-rule-summary').textContent()) ?? '';
    expect(summary).toContain('严重告警：1 分钟后按个人偏好通知张伟和支付主值班的值班人员（主值班），每 5 分钟重复一次，最多 2 次；若 30 分钟内无人确认，通过电话和短信通知支付值班组团队');
    expect(summary).toContain('提醒告警：');
    expect(summary).not.toMatch(/alerts:|notify|acknowledges/);
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

// The walk reads every namespace, shared ones included, or it would check nothing.
describe('the Chinese walk covers real namespaces', () => {
  it('reads the pages’ and the shared components’ namespaces', () => {
    expect(NAMESPACES).toEqual(expect.arrayContaining(['common', 'providerFields', 'schedules', 'escalation', 'noise', 'people', 'teams', 'settings', 'webhooks', 'analytics', 'audit']));
  });
});
