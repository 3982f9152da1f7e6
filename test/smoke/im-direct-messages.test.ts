import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { FakeTelegram } from '../harness/peers/fake-telegram.js';
import { FakeFeishuOpen } from '../harness/peers/fake-feishu-open.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';
import { SmtpPeer } from '../harness/peers/smtp-peer.js';

const dialects = await testDialects();
const SECRET = 'smoke-telegram-dm-secret-0123456';
const TG_USER = 5550001;

/**
 * IM direct messages end to end (issue 12 item 3) and notifications in the person's language
 * (issue 13): Telegram chats linked from the personal center, acknowledged from the DM's button; a
 * person reached on every IM provider that can reach them; a zh-CN person's SMS, email and Feishu
 * card in Chinese while an English person's stay English.
 */
describe.each(dialects)('IM direct messages and localized notifications on %s', (dialect) => {
  let h: Harness;
  let telegram: FakeTelegram;
  let feishu: FakeFeishuOpen;
  let twilio: FakeTwilio;
  let smtp: SmtpPeer;
  let telegramId: string;
  let wang: { person: Person; client: ApiClient };
  let ada: { person: Person; client: ApiClient };
  let counter = 0;

  async function verifyPhone(who: { person: Person; client: ApiClient }, phone: string): Promise<string> {
    await who.client.patch('/api/v1/me', { phone });
    expect((await who.client.post('/api/v1/me/verifications', { kind: 'phone' })).status).toBe(202);
    await h.advance('0s');
    const sms = await twilio.waitForMessage((m) => m.to === phone && /\d{6}/.test(m.body));
    const code = /(\d{6})/.exec(sms.body)?.[1];
    expect((await who.client.post<{ phone_verified: boolean }>('/api/v1/me/verifications/confirm', { kind: 'phone', code })).body.phone_verified).toBe(true);
    return sms.body;
  }

  async function fire(people: string[], title: string): Promise<{ id: string; number: number }> {
    counter += 1;
    const channel = await h.channel(`DMs ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const levels = [{ targets: { people }, methods: { kind: 'preferences' }, escalate_after_min: 30 }];
    expect((await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'DMs', spec: { levels } })).status).toBe(201);
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
    await h.advance('0s');
    const [incident] = await h.incidents(channel.id);
    return incident as { id: string; number: number };
  }
  const status = async (id: string) => (await h.admin.get<{ status: string }>(`/api/v1/incidents/${id}`)).body.status;
  const imAvailability = async (who: { client: ApiClient }) =>
    (await who.client.get<{ data: { method: string; available: boolean; reason?: string }[] }>('/api/v1/me/notification-methods')).body.data.find((m) => m.method === 'im');

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    [telegram, feishu, twilio, smtp] = await Promise.all([FakeTelegram.start(), FakeFeishuOpen.start(), FakeTwilio.start(), SmtpPeer.start()]);
    await h.provider('twilio_sms', 'Twilio SMS', { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: '+15005550006', api_base: twilio.url });
    await h.provider('smtp', 'Mail', { host: '127.0.0.1', port: smtp.port, secure: false, starttls: false, tls_verify: false, from: 'oncall@tocsin.example' });
    telegramId = await h.provider('telegram', 'Ops Telegram', {
      bot_token: telegram.token,
      chat_id: String(telegram.chatId),
      webhook_secret: SECRET,
      bot_username: 'TocsinOpsBot',
      api_base: telegram.url,
    });
    wang = await h.person('responder', 'Wang Wei');
    ada = await h.person('responder', 'Ada Lovelace');
    expect((await wang.client.patch('/api/v1/me', { locale: 'zh-CN', time_zone: 'Asia/Shanghai' })).status).toBe(200);
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all([telegram?.close(), feishu?.close(), twilio?.close(), smtp?.close()]);
  });

  it('Telegram: link the chat from the personal center, get the DM, acknowledge from its button, the DM is edited', async () => {
    await ada.client.put('/api/v1/me/notification-preferences', { Critical: ['im'], Warning: ['im'], Info: ['im'] });
    expect((await imAvailability(ada))?.reason).toBe('To get direct messages: Ops Telegram — link your chat with the button below.');
    const list = await ada.client.get<{ data: { provider_id: string; linked: boolean; ready: boolean }[] }>('/api/v1/me/im-links');
    expect(list.body.data).toEqual([expect.objectContaining({ provider_id: telegramId, linked: false, ready: true })]);

    const link = await ada.client.post<{ url: string; expires_at: number }>(`/api/v1/me/im-links/${telegramId}`, {});
    expect(link.status).toBe(201);
    const token = /^https:\/\/t\.me\/TocsinOpsBot\?start=([A-Za-z0-9_-]{32})$/.exec(link.body.url)?.[1] ?? '';
    expect(token).not.toBe('');
    const webhook = `${h.url}/callbacks/telegram/${telegramId}/webhook`;
    expect((await telegram.startBot(webhook, 'wrong-secret-token-000000', { userId: TG_USER, payload: token })).status).toBe(401);
    const started = await telegram.startBot(webhook, SECRET, { userId: TG_USER, username: 'ada_l', payload: token });
    expect(started.status).toBe(200);
    expect(await started.json()).toEqual({ method: 'sendMessage', chat_id: TG_USER, text: expect.stringContaining('Linked to Ada Lovelace') });
    // The token works once.
    const replay = await telegram.startBot(webhook, SECRET, { userId: 5550999, payload: token });
    expect(((await replay.json()) as { text: string }).text).toContain('invalid or has expired');
    expect((await ada.client.get<{ data: { linked: boolean; display_name: string }[] }>('/api/v1/me/im-links')).body.data[0]).toMatchObject({ linked: true, display_name: '@ada_l' });
    expect((await imAvailability(ada))?.available).toBe(true);

    const incident = await fire([ada.person.id], 'Checkout latency p99 above 2s');
    const dm = telegram.messages.find((m) => m.chatId === TG_USER);
    expect(dm?.text).toContain('Checkout latency p99 above 2s');
    expect(JSON.stringify(dm?.replyMarkup)).toContain(`"callback_data":"ack:${incident.id}"`);
    const sent = telegram.requests.find((r) => r.path.endsWith('/sendMessage'));
    expect(JSON.parse(sent?.rawBody ?? '{}')).toMatchObject({ chat_id: TG_USER, parse_mode: 'HTML' });

    const pressed = await telegram.pressButton(webhook, SECRET, { message: dm!, data: `ack:${incident.id}`, userId: TG_USER });
    expect(await pressed.json()).toMatchObject({ method: 'answerCallbackQuery', text: 'Acknowledging…' });
    expect(await status(incident.id)).toBe('processing');
    const timeline = await h.admin.get(`/api/v1/incidents/${incident.id}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain(ada.person.id);
    await h.advance('0s');
    await h.advance('0s');
    expect(dm?.edits).toBe(1);
    expect(dm?.text).toContain('✅ Acknowledged');
    expect(JSON.stringify(dm?.replyMarkup)).not.toContain('ack:');
    expect(telegram.messages.filter((m) => m.chatId === TG_USER)).toHaveLength(1);

    // Unlinking stops the DMs and says so again.
    expect((await ada.client.delete(`/api/v1/me/im-links/${telegramId}`)).status).toBe(204);
    expect((await imAvailability(ada))?.available).toBe(false);
  });

  it('a zh-CN person gets Chinese SMS, email, Feishu card and Telegram DM; an English person English; both Feishu and Telegram reach a person', async () => {
    const feishuId = await h.provider('feishu_app', 'Feishu app', { app_id: feishu.appId, app_secret: feishu.appSecret, api_base: feishu.url });
    expect(feishuId).toBeTruthy();
    const verification = await verifyPhone(wang, '+8613800138000');
    expect(verification).toMatch(/^您的 Tocsin 验证码是 \d{6}，10 分钟内有效。$/);
    await verifyPhone(ada, '+14155550123');
    await h.verifyEmail(wang.client, wang.person.id);
    await h.verifyEmail(ada.client, ada.person.id);
    feishu.users.set(wang.person.email, 'ou_0000000000000000000000000000wang');
    feishu.users.set(ada.person.email, 'ou_00000000000000000000000000000ada');
    // "Send a test" of a DM-only app sends a test DM to the given (or the admin's own) address.
    const tested = await h.admin.post<{ status: string; method: string; to: string }>(`/api/v1/notification-providers/${feishuId}/test`, { to: ada.person.email });
    expect(tested.body).toMatchObject({ status: 'sent', method: 'im', to: ada.person.email });
    expect(feishu.messages.at(-1)?.content).toMatchObject({ header: { title: { content: expect.stringContaining('[Test]') } } });
    feishu.messages.length = 0;
    // Wang links Telegram too: one page reaches him on both IM apps.
    const link = await wang.client.post<{ url: string }>(`/api/v1/me/im-links/${telegramId}`, {});
    await telegram.startBot(`${h.url}/callbacks/telegram/${telegramId}/webhook`, SECRET, { userId: 5550002, payload: link.body.url.split('start=')[1] ?? '' });
    const prefs = { Critical: ['sms', 'email', 'im'], Warning: ['email'], Info: ['email'] };
    await wang.client.put('/api/v1/me/notification-preferences', prefs);
    await ada.client.put('/api/v1/me/notification-preferences', prefs);

    const incident = await fire([wang.person.id, ada.person.id], 'Payment gateway 502');

    const zhSms = await twilio.waitForMessage((m) => m.to === '+8613800138000' && m.body.includes('Payment gateway 502'));
    expect(zhSms.body).toBe(`#${incident.number} 严重 新故障：Payment gateway 502（DMs ${counter}）`);
    const enSms = await twilio.waitForMessage((m) => m.to === '+14155550123' && m.body.includes('Payment gateway 502'));
    expect(enSms.body).toBe(`#${incident.number} Critical Triggered: Payment gateway 502 (DMs ${counter})`);

    const zhMail = await smtp.waitFor((m) => m.envelope.to.includes(wang.person.email) && (m.parsed.subject ?? '').includes('Payment gateway 502'));
    expect(zhMail.parsed.text).toContain('状态：未处理');
    expect(zhMail.parsed.text).toContain(`协作空间：DMs ${counter}`);
    expect(zhMail.parsed.text).toMatch(/开始时间：2\d{3}年\d{1,2}月\d{1,2}日 \d\d:\d\d/);
    expect(zhMail.parsed.text).toMatch(/认领：http\S+\/a\//);
    expect(String(zhMail.parsed.html)).toContain('>认领</a>');
    const enMail = await smtp.waitFor((m) => m.envelope.to.includes(ada.person.email) && (m.parsed.subject ?? '').includes('Payment gateway 502'));
    expect(enMail.parsed.text).toContain('Status: triggered');
    expect(enMail.parsed.text).not.toMatch(/[\u4e00-\u9fff]/);

    const cards = (email: string) => feishu.messages.filter((m) => m.receiveId === email);
    expect(cards(wang.person.email)).toHaveLength(1);
    const zhCard = JSON.stringify(cards(wang.person.email)[0]?.content);
    expect(zhCard).toContain(`[严重] #${incident.number} Payment gateway 502`);
    expect(zhCard).toContain('认领');
    const enCard = JSON.stringify(cards(ada.person.email)[0]?.content);
    expect(enCard).toContain(`[Critical] #${incident.number} Payment gateway 502`);
    expect(enCard).toContain('Acknowledge');
    expect(enCard).not.toMatch(/[\u4e00-\u9fff]/);

    const wangDm = telegram.messages.find((m) => m.chatId === 5550002);
    expect(wangDm?.text).toContain('Payment gateway 502');
    expect(JSON.stringify(wangDm?.replyMarkup)).toContain('"text":"认领"');
    const deliveries = await h.admin.get<{ data: { method: string; status: string; recipient: { name: string } }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(deliveries.body.data.filter((d) => d.method === 'im' && d.recipient.name === 'Wang Wei').map((d) => d.status)).toEqual(['sent', 'sent']);

    // The acknowledge page speaks the recipient's language too.
    const ackLink = (/认领：(http\S+)/.exec(zhMail.parsed.text ?? '')?.[1] ?? '').replace(/^https?:\/\/[^/]+/, h.url);
    const confirm = await fetch(ackLink);
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain('<html lang="zh-CN">');
    expect(confirmHtml).toContain(`认领故障 #${incident.number}`);
    const acted = await (await fetch(ackLink, { method: 'POST' })).text();
    expect(acted).toContain('已认领');
    expect(acted).toContain(`故障 #${incident.number} 当前状态：处理中。`);
    const unknown = await fetch(`${h.url}/a/${'x'.repeat(32)}`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('此链接无效');
  });

  it('a group chat posts in its own "language" setting, whoever is on call', async () => {
    const chineseChat = await h.provider('telegram', 'Ops Telegram 中文', { bot_token: telegram.token, chat_id: String(telegram.chatId), api_base: telegram.url, language: 'zh-CN' });
    counter += 1;
    const channel = await h.channel(`Group language ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const levels = [{ targets: { group_chats: [chineseChat] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }];
    expect((await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Group', spec: { levels } })).status).toBe(201);
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Queue backlog', event_status: 'Warning', alert_key: 'queue' });
    await h.advance('0s');
    const posted = telegram.messages.find((m) => m.chatId === telegram.chatId && m.text.includes('Queue backlog'));
    expect(posted?.text).toContain('[警告]');
    expect(posted?.text).toContain('未处理');
    expect(JSON.stringify(posted?.replyMarkup)).toContain('"text":"认领"');
  });
});
