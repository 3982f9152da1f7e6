import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, consoleBuilt, launchChromium, screenshotPath, signInAsAdmin } from '../harness/browser.js';
import { HttpPeer } from '../harness/peers/http-peer.js';
import { Harness } from '../harness/tocsin.js';

/**
 * Issue 13, "Done means": switching the language to 简体中文 in the personal center changes every
 * console page. A person with an English browser signs in, switches through the UI, then this test
 * walks the main pages of the whole console over realistic data (the demo organisation) and fails on
 * any English UI text it finds: visible text nodes, aria-labels, placeholders and titles.
 *
 * What is not UI text: everything the server sent as data (names, titles, labels, e-mail addresses…
 * harvested from the API answers the page itself received), brand and technical names (ALLOWED_WORDS),
 * identifiers, URLs, code blocks and text areas. Sentences the server writes for people (an incident's
 * timeline) are NOT data: they must come in Chinese too.
 *
 * Each page is its own test, named with the part of the console it belongs to (console-a: layout,
 * channels, incidents, integrations, personal center; console-b: schedules, escalation, noise, people,
 * teams, settings), so a failure says where the English is. Run one part with `-t "console-a"`.
 * test/e2e/chinese-console-pages.test.ts complements this walk with the settings dialogs, Chinese dates
 * and phone width; test/unit/console-literals.test.ts covers tooltips and toasts no walk opens.
 */

type Part = 'console-a' | 'console-b';

interface ConsolePage {
  part: Part;
  name: string;
  /** Components of other parts the page shows, whose English also fails it until they are merged. */
  shows?: string;
  /** The path, given the ids of the seeded objects. */
  path: (ids: SeededIds) => string;
}

interface SeededIds {
  channel: string;
  incident: string;
  sharedIntegration: string;
  schedule: string;
  team: string;
}

/** The main pages of the whole console, in the order a person meets them. */
const PAGES: readonly ConsolePage[] = [
  { part: 'console-a', name: 'channels list', path: () => '/channels', shows: 'onboarding: GettingStarted checklist' },
  { part: 'console-a', name: 'channel incidents tab', path: (ids) => `/channels/${ids.channel}/incidents` },
  { part: 'console-a', name: 'channel integrations tab', path: (ids) => `/channels/${ids.channel}/integrations` },
  { part: 'console-b', name: 'channel escalation rules tab', path: (ids) => `/channels/${ids.channel}/escalation` },
  { part: 'console-b', name: 'channel noise reduction tab', path: (ids) => `/channels/${ids.channel}/noise` },
  { part: 'console-a', name: 'channel templates tab', path: (ids) => `/channels/${ids.channel}/templates` },
  { part: 'console-a', name: 'channel settings tab', path: (ids) => `/channels/${ids.channel}/settings`, shows: 'onboarding: NewTeamLink' },
  { part: 'console-a', name: 'incidents list', path: () => '/incidents' },
  { part: 'console-a', name: 'incident timeline', path: (ids) => `/incidents/${ids.incident}/timeline` },
  { part: 'console-a', name: 'incident alerts', path: (ids) => `/incidents/${ids.incident}/alerts` },
  { part: 'console-a', name: 'incident delivery log', path: (ids) => `/incidents/${ids.incident}/deliveries` },
  { part: 'console-a', name: 'incident post-mortem', path: (ids) => `/incidents/${ids.incident}/postmortem` },
  { part: 'console-a', name: 'integration center', path: () => '/integrations' },
  { part: 'console-a', name: 'shared integration routing', path: (ids) => `/integrations/${ids.sharedIntegration}/routing` },
  { part: 'console-b', name: 'schedules list', path: () => '/schedules' },
  { part: 'console-b', name: 'schedule detail', path: (ids) => `/schedules/${ids.schedule}` },
  { part: 'console-b', name: 'teams list', path: () => '/teams' },
  { part: 'console-b', name: 'team detail', path: (ids) => `/teams/${ids.team}` },
  { part: 'console-b', name: 'people', path: () => '/people' },
  { part: 'console-b', name: 'analytics', path: () => '/analytics' },
  { part: 'console-b', name: 'webhooks', path: () => '/webhooks' },
  { part: 'console-b', name: 'notification providers', path: () => '/settings/providers' },
  { part: 'console-b', name: 'audit log', path: () => '/settings/audit' },
  { part: 'console-b', name: 'custom fields', path: () => '/settings/custom-fields' },
  { part: 'console-b', name: 'import', path: () => '/settings/import' },
  { part: 'console-a', name: 'personal center', path: () => '/me', shows: 'console-b: components/schedules/CalendarFeed' },
];

/** Brand, vendor and technical names that stay as they are in a Chinese console. */
const ALLOWED_WORDS = new Set(
  [
    'Tocsin', 'Prometheus', 'Alertmanager', 'Grafana', 'Zabbix', 'Nagios', 'Icinga', 'Amazon', 'CloudWatch', 'Datadog', 'PagerDuty',
    'Opsgenie', 'GenieKey', 'Webhook', 'Webhooks', 'Slack', 'DingTalk', 'WeCom', 'Feishu', 'Lark', 'Telegram', 'Discord', 'Twilio',
    'Microsoft', 'Google', 'OnCall', 'Pod', 'Web', 'Outlook', 'Apple', 'Calendar', 'iCalendar', 'Markdown', 'JSONPath', 'Bearer', 'Authorization', 'App', 'Terraform',
    'Bot', 'AccessKey', 'SecretKey', 'SecretId', 'AgentId', 'AppKey', 'AppSecret', 'SmsSdkAppId', 'VoiceSdkAppid', 'ActionCard', 'STARTTLS', 'userid', 'setWebhook',
    'MySQL', 'Redis', 'Kafka', 'Nginx', 'curl', 'cron', 'sqlite', 'SQLite', 'PostgreSQL', 'postgres', 'md', 'ms', 'min', 'key', 'labels', 'true', 'false', 'Email', 'IM',
  ].map((w) => w.toLowerCase()),
);

/** Phrases of brand names that contain ordinary English words. */
const ALLOWED_PHRASES = [
  'Microsoft Teams', 'Teams 私信', 'Google Calendar', 'Apple Calendar', 'Events API', 'Alert API',
  // Datadog's own menu, which exists only in English.
  'Integrations → Webhooks → New',
  // Vendors' credential names and menus in provider forms, spelled as the vendor's console spells them.
  'Bot Token', 'Auth Token', 'Account SID', 'Account info', 'Messaging Service', 'Client ID', 'Client Secret', 'App Secret',
  'AccessKey Secret', 'Incoming Webhook', 'Basic Information', 'Send webhook alerts to a channel', 'Reply-To', 'VAPID subject',
  'npx web-push generate-vapid-keys', 'xoxb-…',
  // A language's own name in a language picker.
  'English',
];

/** Keys of API answers that hold sentences written for people, which must follow the language. */
const SENTENCE_KEYS = new Set(['text', 'reason', 'reasons', 'problem', 'help']);

/** Keys whose values are codes the console must show translated (Critical → 严重), so never data. */
const CODE_KEYS = new Set(['status', 'severity', 'role', 'kind', 'method', 'methods', 'source', 'op', 'outcome', 'state', 'scope', 'mode', 'event_status', 'type', 'via', 'locale', 'code']);

interface Finding {
  where: string;
  text: string;
  words: string[];
}

/** Visible text nodes and the labelling attributes of visible elements (outside code and text areas). */
async function uiTexts(page: Page, root = 'body'): Promise<{ where: string; text: string }[]> {
  return page.evaluate((rootSelector) => {
    const out: { where: string; text: string }[] = [];
    const skip = (element: Element | null) => Boolean(element?.closest('code, pre, textarea, script, style, noscript, svg, [data-i18n-data]'));
    const visible = (element: Element) => (element as HTMLElement).checkVisibility?.({ checkOpacity: true, checkVisibilityCSS: true }) ?? true;
    const describe = (element: Element) => `${element.tagName.toLowerCase()}${element.getAttribute('data-testid') ? `[data-testid=${element.getAttribute('data-testid')}]` : ''}`;
    for (const rootElement of Array.from(document.querySelectorAll(rootSelector))) {
      const walker = document.createTreeWalker(rootElement, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        const text = node.textContent?.trim() ?? '';
        if (!parent || !text || skip(parent) || !visible(parent)) continue;
        out.push({ where: `text in ${describe(parent)}`, text });
      }
      for (const element of Array.from(rootElement.querySelectorAll('[aria-label], [placeholder], [title]'))) {
        if (skip(element) || !visible(element)) continue;
        for (const attribute of ['aria-label', 'placeholder', 'title']) {
          const value = element.getAttribute(attribute)?.trim();
          if (value) out.push({ where: `${attribute} of ${describe(element)}`, text: value });
        }
      }
    }
    if (rootSelector === 'body') out.push({ where: 'document title', text: document.title });
    return out;
  }, root);
}

/** Every string value of a JSON answer (and label names), except sentences for people and codes. */
function harvest(value: unknown, into: Set<string>, key = ''): void {
  if (typeof value === 'string') {
    if (!SENTENCE_KEYS.has(key) && !CODE_KEYS.has(key) && value.trim().length >= 2) into.add(value.trim());
  } else if (Array.isArray(value)) {
    for (const item of value) harvest(item, into, key);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // Labels are data through and through: `severity=critical` is a label, not the console's severity.
      if (key === 'labels') {
        into.add(k);
        if (typeof v === 'string' && v.trim().length >= 2) into.add(v.trim());
      } else harvest(v, into, k);
    }
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English words left in `text` once data values, URLs, identifiers and allowed names are taken out. */
function englishWords(text: string, data: readonly string[]): string[] {
  let rest = ` ${text} `;
  // Allowed phrases first: a data value ("webhook") must not break a vendor's phrase apart.
  for (const phrase of ALLOWED_PHRASES) rest = rest.split(phrase).join(' ');
  // Whole words only: a short data value ("en") must not cut English words ("Opsgenie") into pieces.
  for (const value of data) if (rest.includes(value)) rest = rest.replace(new RegExp(`(?<![A-Za-z])${escapeRegExp(value)}(?![A-Za-z])`, 'g'), ' ');
  rest = rest
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+/g, ' ')
    .replace(/\b[A-Z][a-z]+\/[A-Za-z_]+(\/[A-Za-z_]+)?\b/g, ' ') // IANA time zones (Asia/Shanghai)
    .replace(/\S*[\d_.=:/#$@{}[\]<>|\\]\S*/g, ' '); // identifiers, versions, keys, label pairs, paths
  return (rest.match(/[A-Za-z][A-Za-z'’-]*/g) ?? []).filter((word) => {
    if (word.length < 2) return false;
    if (ALLOWED_WORDS.has(word.toLowerCase())) return false;
    if (/^[A-Z]{2,6}s?$/.test(word)) return false; // acronyms: API, URL, JSON, SMS, CIDR, HTTP…
    return true;
  });
}

/** Waits until the page has nothing loading: no busy region, no skeleton, then a moment to settle. */
async function settle(page: Page): Promise<void> {
  await page.getByRole('navigation').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .mantine-Skeleton-root'), undefined, { timeout: 20_000 });
  await page.waitForTimeout(400);
}

const runnable = chromiumAvailable() && consoleBuilt();

describe.runIf(runnable)('the console in Simplified Chinese', () => {
  let h: Harness;
  let groupChat: HttpPeer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ids: SeededIds;
  const data = new Set<string>();
  let dataList: string[] = [];

  beforeAll(async () => {
    h = await Harness.start('sqlite');
    // A realistic organisation: teams, people, schedules, channels with integrations, rules, incidents.
    const demo = await h.admin.post<{ incidents: number }>('/api/v1/demo', {});
    expect(demo.status).toBe(201);
    expect(demo.body.incidents).toBeGreaterThan(0);
    const channels = await h.admin.get<{ data: { id: string; team_id: string }[] }>('/api/v1/channels');
    const incidents = await h.admin.get<{ data: { id: string }[] }>('/api/v1/incidents');
    const schedules = await h.admin.get<{ data: { id: string }[] }>('/api/v1/schedules');
    const teams = await h.admin.get<{ data: { id: string }[] }>('/api/v1/teams');
    const [channel] = channels.body.data;
    const [schedule] = schedules.body.data;
    const [team] = teams.body.data;
    if (!channel || !incidents.body.data.length || !schedule || !team) throw new Error('the demo seeded no channel, incident, schedule or team');
    // One incident that really paged a group chat, so its timeline and delivery log have rows.
    groupChat = await HttpPeer.start();
    const warRoom = await h.provider('webhook', 'War room', { url: `${groupChat.url}/hooks/war-room` });
    const checkout = await h.channel('Checkout', { teamId: team.id });
    const { key } = await h.integration(checkout.id, 'standard');
    const rule = await h.admin.post(`/api/v1/channels/${checkout.id}/escalation-rules`, {
      name: 'Group chat first',
      spec: { levels: [{ targets: { group_chats: [warRoom] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Checkout 5xx above 2%', event_status: 'Critical', alert_key: 'checkout-5xx' });
    await h.advance('0s');
    await groupChat.waitFor((request) => request.path === '/hooks/war-room');
    const [incident] = await h.incidents(checkout.id);
    if (!incident) throw new Error('no incident opened in Checkout');
    for (let tries = 0; ; tries += 1) {
      const deliveries = await h.admin.get<{ data: { status: string }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
      if (deliveries.body.data.some((d) => d.status === 'sent')) break;
      if (tries > 50) throw new Error(`the group chat delivery was not recorded: ${JSON.stringify(deliveries.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const shared = await h.admin.post<{ id: string }>('/api/v1/integrations', { name: 'Central Alertmanager', source: 'prometheus', team_id: team.id });
    expect(shared.status).toBe(201);
    const webhook = await h.admin.post('/api/v1/webhooks', { url: 'https://hooks.example.com/tocsin', events: ['*'] });
    expect(webhook.status).toBe(201);
    ids = { channel: channel.id, incident: incident.id, sharedIntegration: shared.body.id, schedule: schedule.id, team: team.id };

    browser = await launchChromium();
    // An English browser: the console follows the person's saved choice, not the browser.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on('response', async (response) => {
      if (!response.url().includes('/api/') || !(response.headers()['content-type'] ?? '').includes('application/json')) return;
      // Provider types describe forms (field labels, help texts, options): UI text the console translates, not data.
      if (response.url().includes('/api/v1/notification-provider-types')) return;
      try {
        harvest(await response.json(), data);
        dataList = [...data].sort((a, b) => b.length - a.length);
      } catch {
        // A body already gone (navigation) holds nothing the page still shows.
      }
    });
    await signInAsAdmin(page, h.url);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await groupChat?.close();
    await h?.stop();
  });

  async function untranslated(path?: string, root?: string): Promise<Finding[]> {
    if (path) await page.goto(`${h.url}${path}`);
    await settle(page);
    return (await uiTexts(page, root))
      .map(({ where, text }) => ({ where, text, words: englishWords(text, dataList) }))
      .filter((finding) => finding.words.length > 0);
  }

  it('signs in in English, and the language switch in the personal center turns the console Chinese at once', { timeout: 90_000 }, async () => {
    await page.goto(`${h.url}/me`);
    await settle(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Incidents' }).waitFor();

    await page.getByTestId('profile-locale-select').click();
    await page.getByRole('option', { name: '简体中文' }).click();
    await page.getByTestId('profile-submit').click();

    // No reload: the saved profile refreshes `me`, and the whole console follows.
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '故障' }).waitFor();
    await page.getByText('个人资料已保存').waitFor();
    expect(await page.title()).toBe('个人中心 · Tocsin');
    const me = await h.admin.get<{ locale: string }>('/api/v1/me');
    expect(me.body.locale).toBe('zh-CN');

    // The choice is kept: a new page load starts in Chinese.
    await page.reload();
    await settle(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.screenshot({ path: screenshotPath('i18n-zh-personal-center.png'), fullPage: true });
  });

  for (const consolePage of PAGES) {
    it(`[${consolePage.part}] ${consolePage.name}${consolePage.shows ? ` (shows ${consolePage.shows})` : ''} has no English UI text`, { timeout: 60_000 }, async () => {
      const findings = await untranslated(consolePage.path(ids));
      await page.screenshot({ path: screenshotPath(`i18n-zh-${consolePage.name.replace(/\W+/g, '-')}.png`), fullPage: true });
      expect(findings, `English on ${consolePage.name} (${consolePage.path(ids)})`).toEqual([]);
    });
  }

  it('[console-a] dialogs, drawers and menus (create channel shows onboarding: NewTeamLink) have no English UI text', { timeout: 120_000 }, async () => {
    const findings: Record<string, Finding[]> = {};
    // Only the dialog, drawer or menu itself: the page behind it has its own test.
    const scan = async (name: string) => {
      const found = await untranslated(undefined, '[role="dialog"], [role="menu"]');
      if (found.length > 0) findings[name] = found;
    };

    await page.goto(`${h.url}/channels`);
    await settle(page);
    await page.getByTestId('create-channel-button').first().click();
    await page.getByTestId('create-channel-form').waitFor();
    await scan('create channel dialog');
    await page.keyboard.press('Escape');

    await page.goto(`${h.url}/channels/${ids.channel}/integrations`);
    await settle(page);
    await page.getByTestId('add-integration-button').click();
    await page.getByTestId('source-grid').waitFor();
    await scan('add integration: source picker');
    await page.getByTestId('source-option-standard').click();
    await page.getByTestId('add-integration-form').waitFor();
    await scan('add integration: name step');
    await page.keyboard.press('Escape');
    await page.getByTestId('integration-card').first().click();
    await page.getByTestId('integration-setup').waitFor();
    await scan('integration drawer: setup');
    await page.getByTestId('integration-tab-activity').click();
    await page.getByTestId('integration-activity').waitFor();
    await scan('integration drawer: activity');
    await page.getByTestId('integration-tab-settings').click();
    await page.getByTestId('integration-settings-form').waitFor();
    await scan('integration drawer: settings');
    await page.keyboard.press('Escape');

    await page.goto(`${h.url}/incidents/${ids.incident}/alerts`);
    await settle(page);
    await page.getByTestId('alert-row').first().click();
    await page.getByTestId('alert-event').first().waitFor();
    await scan('alert drawer');
    await page.keyboard.press('Escape');
    await page.getByTestId('incident-more-actions').click();
    await page.getByTestId('incident-action-edit').waitFor();
    await scan('incident actions menu');
    await page.getByTestId('incident-action-edit').click();
    await page.getByTestId('edit-incident-form').waitFor();
    await scan('edit incident dialog');
    await page.keyboard.press('Escape');

    await page.goto(`${h.url}/incidents`);
    await settle(page);
    await page.getByTestId('new-incident-button').click();
    await page.getByTestId('new-incident-form').waitFor();
    await scan('new incident dialog');
    await page.keyboard.press('Escape');

    // Every provider type's settings form: labels, help texts and select options come from the server in
    // English and are translated in the console (providerFields).
    await page.goto(`${h.url}/settings/providers`);
    await settle(page);
    await page.getByTestId('add-provider-button').click();
    const typeSelect = page.getByTestId('provider-type-select');
    await typeSelect.click();
    const typeCount = await page.getByRole('option').count();
    expect(typeCount).toBeGreaterThan(10);
    await page.keyboard.press('Escape');
    for (let index = 0; index < typeCount; index += 1) {
      await typeSelect.click();
      const option = page.getByRole('option').nth(index);
      const typeName = (await option.textContent()) ?? String(index);
      await option.click();
      await page.getByTestId('provider-form').waitFor();
      // Open each select field's list too, so its options are on screen.
      const found = await untranslated(undefined, '[role="dialog"]');
      for (const select of await page.locator('[role="dialog"] [data-testid^="provider-field-"][aria-haspopup="listbox"]').all()) {
        await select.click();
        found.push(...(await untranslated(undefined, '[role="listbox"]')));
        await page.keyboard.press('Escape');
      }
      if (found.length > 0) findings[`provider form: ${typeName}`] = found;
    }
    await page.keyboard.press('Escape');

    await page.goto(`${h.url}/me`);
    await settle(page);
    await page.getByTestId('create-api-key-button').click();
    await page.getByTestId('api-key-name-input').waitFor();
    await scan('create API key dialog');
    await page.keyboard.press('Escape');

    expect(findings).toEqual({});
  });

  it('[console-a] before sign-in, the sign-in page follows the browser language', { timeout: 60_000 }, async () => {
    for (const [locale, title, submit] of [
      ['zh-CN', '登录', '登录'],
      ['en-US', 'Sign in', 'Sign in'],
    ] as const) {
      const signedOut = await browser.newContext({ locale });
      const login = await signedOut.newPage();
      await login.goto(`${h.url}/login`);
      await login.getByTestId('login-submit').waitFor();
      await login.waitForFunction((lang) => document.documentElement.lang === lang, locale === 'zh-CN' ? 'zh-CN' : 'en');
      expect(await login.getByTestId('login-submit').textContent()).toBe(submit);
      expect(await login.title()).toBe(`${title} · Tocsin`);
      if (locale === 'zh-CN') {
        // A wrong password: the server's English rule, shown in Chinese.
        await login.getByTestId('login-email').fill('admin@example.com');
        await login.getByTestId('login-password').fill('not the password at all');
        await login.getByTestId('login-submit').click();
        await expect.poll(() => login.getByTestId('login-error').textContent()).toBe('邮箱或密码错误');
      }
      await signedOut.close();
    }
  });

  it('[console-a] dates and relative times follow the locale', { timeout: 60_000 }, async () => {
    await page.goto(`${h.url}/incidents`);
    await settle(page);
    const times = await page.locator('time').allTextContents();
    expect(times.length).toBeGreaterThan(0);
    // Intl's Chinese relative times: "3天前", "昨天", "5分钟前"…
    for (const time of times) expect(time).toMatch(/[天前后周月年小时分钟秒刚]/);
  });

  it('[console-a] shows a server field error in Chinese, translated from its code and rule', { timeout: 60_000 }, async () => {
    await page.goto(`${h.url}/me`);
    await settle(page);
    const section = page.getByTestId('password-section');
    await section.getByLabel('当前密码').fill('not my password at all');
    await section.locator('input[autocomplete="new-password"]').nth(0).fill('a brand new passphrase');
    await section.locator('input[autocomplete="new-password"]').nth(1).fill('a brand new passphrase');
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/v1/me/password'));
    await page.getByTestId('password-submit').click();
    // The server says "current_password: is not your current password" (400, InvalidParameter)…
    const response = await answer;
    expect(response.status()).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('current_password: is not your current password');
    // …and the person reads it in Chinese, under the field it concerns.
    await section.getByText('当前密码不正确').waitFor();
  });

  it('[console-a] switching back to English makes the console English again', { timeout: 90_000 }, async () => {
    await page.goto(`${h.url}/me`);
    await settle(page);
    await page.getByTestId('profile-locale-select').click();
    await page.getByRole('option', { name: 'English', exact: true }).click();
    await page.getByTestId('profile-submit').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).waitFor();

    await page.goto(`${h.url}/incidents/${ids.incident}/timeline`);
    await settle(page);
    await page.getByRole('tab', { name: 'Timeline' }).waitFor();
    // Server-written sentences follow too: the timeline is English again, no Chinese left on the page.
    const texts = (await uiTexts(page)).map((t) => t.text).join('\n');
    expect(texts).not.toMatch(/[\u4e00-\u9fff]/);
    await page.screenshot({ path: screenshotPath('i18n-en-incident-timeline.png'), fullPage: true });
  });
});
