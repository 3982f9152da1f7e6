/**
 * One page for every notification provider: each provider is set up through its real form, one
 * Critical incident pages a person (email and SMS) and posts to every group chat, each fake vendor on
 * 127.0.0.1 receives its message, and the console's delivery log says "sent" for every one.
 *
 * The screenshots are what docs/notifications/ shows (the setup form, the delivery log, the email as a
 * browser renders it). They go to test-output/notifications/; `TOCSIN_DOCS_SCREENSHOTS=1` writes them
 * into docs/notifications/img/ instead, which is how the docs are refreshed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, consoleBuilt, launchChromium, signInAsAdmin, TEST_OUTPUT } from '../harness/browser.js';
import { Harness } from '../harness/tocsin.js';
import { SmtpPeer } from '../harness/peers/smtp-peer.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';
import { FakeSlack } from '../harness/peers/fake-slack.js';
import { FakeFeishu } from '../harness/peers/fake-feishu.js';
import { FakeDingTalk } from '../harness/peers/fake-dingtalk.js';
import { FakeWeCom } from '../harness/peers/fake-wecom.js';
import { FakeTeams } from '../harness/peers/fake-teams.js';
import { FakeTelegram } from '../harness/peers/fake-telegram.js';
import { FakeDiscord } from '../harness/peers/fake-discord.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const runnable = chromiumAvailable() && consoleBuilt();
const outDir = process.env.TOCSIN_DOCS_SCREENSHOTS === '1' ? join(process.cwd(), 'docs/notifications/img') : join(TEST_OUTPUT, 'notifications');
const PHONE = '+15005550123';
const TITLE = 'Disk full on db-1';

describe.skipIf(!runnable)('every notification provider, set up and delivering, as the docs show it', () => {
  let h: Harness;
  let browser: Browser;
  const peers = {} as {
    smtp: SmtpPeer;
    twilio: FakeTwilio;
    slack: FakeSlack;
    feishu: FakeFeishu;
    dingtalk: FakeDingTalk;
    wecom: FakeWeCom;
    teams: FakeTeams;
    telegram: FakeTelegram;
    discord: FakeDiscord;
    hook: HttpPeer;
  };
  /** Provider id → the file name of its docs page (docs/notifications/<page>.md). */
  const providers = new Map<string, string>();
  let incidentId = '';

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    h = await Harness.start('sqlite', { devMode: true });
    // The browser shows times relative to its own clock: put Tocsin's at the same instant.
    h.clock.set(Date.now());
    browser = await launchChromium();
    [peers.smtp, peers.twilio, peers.slack, peers.feishu, peers.dingtalk, peers.wecom, peers.teams, peers.telegram, peers.discord, peers.hook] = await Promise.all([
      SmtpPeer.start(),
      FakeTwilio.start(),
      FakeSlack.start(),
      FakeFeishu.start(),
      FakeDingTalk.start(),
      FakeWeCom.start(),
      FakeTeams.start(),
      FakeTelegram.start(),
      FakeDiscord.start(),
      HttpPeer.start(),
    ]);
    const add = async (page: string, type: string, name: string, settings: Record<string, unknown>) => {
      const id = await h.provider(type, name, settings);
      providers.set(id, page);
      return id;
    };
    await add('email', 'smtp', 'Company mail', { host: '127.0.0.1', port: peers.smtp.port, secure: false, starttls: false, tls_verify: false, from: 'oncall@tocsin.example' });
    await add('twilio', 'twilio_sms', 'Twilio SMS', { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: '+15005550006', api_base: peers.twilio.url });
    // Set up but switched off, so Twilio stays the SMS provider of this page: their forms are what the docs show.
    for (const [page, type, name, settings] of [
      ['aliyun', 'aliyun_sms', 'Aliyun SMS', { access_key_id: 'LTAI5tTocsinDocsKey01', access_key_secret: 'tocsinDocsAliyunSecret0123456789', sign_name: 'Tocsin', template_code: 'SMS_123456789' }],
      ['tencent', 'tencent_sms', 'Tencent Cloud SMS', { secret_id: 'AKIDtocsinDocsSecretId01', secret_key: 'tocsinDocsTencentSecretKey0123', sdk_app_id: '1400123456', sign_name: 'Tocsin', template_id: '123456' }],
    ] as const) {
      const created = await h.admin.post<{ id: string }>('/api/v1/notification-providers', { provider: type, name, enabled: false, settings });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      providers.set(created.body.id, page);
    }
    const chats = [
      await add('slack', 'slack', 'Ops Slack', { bot_token: 'xoxb-test-token', channel: 'C0OPS', signing_secret: '0123456789abcdef0123456789abcdef', api_base: peers.slack.apiBase }),
      await add('feishu', 'feishu', 'Ops Feishu group', { webhook_url: peers.feishu.hookUrl, secret: 'feishu-docs-secret' }),
      await add('dingtalk', 'dingtalk', 'Ops DingTalk group', { webhook_url: peers.dingtalk.webhookUrl, secret: 'SECdingtalk-docs-secret' }),
      await add('wecom', 'wecom', 'Ops WeCom group', { webhook_url: peers.wecom.webhookUrl }),
      await add('teams', 'teams', 'Ops Teams channel', { webhook_url: peers.teams.webhookUrl }),
      await add('telegram', 'telegram', 'Ops Telegram group', { bot_token: peers.telegram.token, chat_id: String(peers.telegram.chatId), webhook_secret: 'docs-telegram-secret-token-0123', api_base: peers.telegram.url }),
      await add('discord', 'discord', 'Ops Discord', { webhook_url: peers.discord.webhookUrl }),
      await add('webhook', 'webhook', 'War room webhook', { url: `${peers.hook.url}/hooks/war-room` }),
    ];

    // The administrator verifies email and phone and wants both for Critical incidents.
    const me = (await h.admin.get<{ id: string }>('/api/v1/me')).body;
    await h.verifyEmail(h.admin, me.id);
    await h.admin.patch('/api/v1/me', { phone: PHONE });
    await h.admin.post('/api/v1/me/verifications', { kind: 'phone' });
    await h.advance('0s');
    const code = /(\d{6})/.exec((await peers.twilio.waitForMessage((m) => m.to === PHONE)).body)?.[1];
    expect((await h.admin.post('/api/v1/me/verifications/confirm', { kind: 'phone', code })).status).toBeLessThan(300);
    await h.admin.put('/api/v1/me/notification-preferences', { Critical: ['email', 'sms'], Warning: ['email'], Info: ['email'] });

    const channel = await h.channel('Databases');
    const { key } = await h.integration(channel.id, 'prometheus');
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'On-call DBA and the rooms',
      spec: { levels: [{ targets: { people: [me.id], group_chats: chats }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    const pushed = await h.push(`/event/push/alert/prometheus?integration_key=${key}`, {
      version: '4',
      status: 'firing',
      receiver: 'tocsin',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager:9093',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-1:9100', service: 'postgres' },
          annotations: { summary: TITLE, description: '/var/lib/postgresql is 97% full (12 GB left).' },
          startsAt: new Date(h.clock.now()).toISOString(),
          fingerprint: 'docs-disk-full',
        },
      ],
    });
    expect(pushed.status).toBeLessThan(300);
    await h.advance('0s');
    const [incident] = await h.incidents(channel.id);
    incidentId = incident?.id ?? '';
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    await Promise.all(Object.values(peers).map((peer) => peer?.close()));
  });

  async function signedIn(width = 1280, height = 800): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await signInAsAdmin(page, h.url);
    return page;
  }

  it('every fake vendor receives the incident', async () => {
    expect(incidentId).not.toBe('');
    const mail = await peers.smtp.waitFor((m) => (m.parsed.subject ?? '').includes(TITLE), 15_000);
    expect(mail.envelope.to).toContain('admin@example.com');
    expect((await peers.twilio.waitForMessage((m) => m.to === PHONE && m.body.includes(TITLE), 15_000)).body).toContain(TITLE);
    await peers.hook.waitFor((r) => r.body.includes(TITLE), 15_000);
    await expect.poll(() => JSON.stringify(peers.slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args)), { timeout: 15_000 }).toContain(TITLE);
    await expect.poll(() => JSON.stringify(peers.feishu.messages), { timeout: 15_000 }).toContain(TITLE);
    await expect.poll(() => JSON.stringify(peers.dingtalk.messages), { timeout: 15_000 }).toContain(TITLE);
    await expect.poll(() => JSON.stringify(peers.wecom.messages), { timeout: 15_000 }).toContain(TITLE);
    await expect.poll(() => JSON.stringify(peers.teams.cards), { timeout: 15_000 }).toContain(TITLE);
    await expect.poll(() => peers.telegram.messages.map((m) => m.text).join('\n'), { timeout: 15_000 }).toContain(TITLE);
    await expect.poll(() => JSON.stringify([...peers.discord.messages.values()]), { timeout: 15_000 }).toContain(TITLE);
  });

  it('the delivery log shows every page and post as sent, and the email renders as sent', async () => {
    const deliveries = await h.admin.get<{ data: { status: string; method: string; recipient?: string; error?: string | null }[] }>(`/api/v1/incidents/${incidentId}/deliveries`);
    expect(deliveries.body.data.filter((d) => d.status !== 'sent'), JSON.stringify(deliveries.body)).toEqual([]);
    const page = await signedIn(1280, 900);
    await page.goto(`${h.url}/incidents/${incidentId}`);
    await page.getByTestId('incident-tab-deliveries').click();
    const rows = page.getByTestId('delivery-row');
    // Email + SMS to the person, and the eight group chats.
    await expect.poll(async () => page.locator('[data-testid="delivery-row"][data-status="sent"]').count(), { timeout: 20_000 }).toBe(10);
    expect(await rows.count()).toBe(10);
    await page.getByTestId('delivery-log').screenshot({ path: join(outDir, 'delivery-log.png') });

    const mail = await peers.smtp.waitFor((m) => (m.parsed.subject ?? '').includes(TITLE));
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
    expect(html).toContain(TITLE);
    const view = await browser.newPage({ viewport: { width: 720, height: 640 } });
    await view.setContent(html);
    await view.screenshot({ path: join(outDir, 'email-message.png'), fullPage: true });
    await view.close();
    await page.context().close();
  });

  it("each provider's setup form, as an administrator fills it in", async () => {
    const page = await signedIn();
    await page.goto(`${h.url}/settings/providers`);
    await page.getByTestId('providers-table').waitFor();
    await page.getByTestId('providers-table').screenshot({ path: join(outDir, 'providers.png') });
    for (const [id, docPage] of providers) {
      await page.locator(`[data-testid="provider-row"][data-provider-id="${id}"] [data-testid="provider-edit"]`).click();
      const form = page.getByTestId('provider-form');
      await form.waitFor();
      // Secrets are never sent back to the console: the form shows them as set, not their value.
      expect(await form.innerText()).not.toContain('0123456789abcdef0123');
      await form.screenshot({ path: join(outDir, `${docPage}-setup.png`) });
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });
    }
    await page.context().close();
  });
});
