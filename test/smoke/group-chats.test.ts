import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { FakeTeams } from '../harness/peers/fake-teams.js';
import { FakeTelegram } from '../harness/peers/fake-telegram.js';
import { FakeDiscord } from '../harness/peers/fake-discord.js';
import { FakeWeCom } from '../harness/peers/fake-wecom.js';

const dialects = await testDialects();
const TELEGRAM_SECRET = 'smoke-telegram-secret-token-0123';
const TELEGRAM_USER = 777000111;

describe.each(dialects)('WeCom, Teams, Telegram and Discord group chats with acknowledge paths on %s', (dialect) => {
  let h: Harness;
  let teams: FakeTeams;
  let telegram: FakeTelegram;
  let discord: FakeDiscord;
  let wecom: FakeWeCom;
  let me: { person: Person; client: ApiClient };
  let counter = 0;

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    [teams, telegram, discord, wecom] = await Promise.all([FakeTeams.start(), FakeTelegram.start(), FakeDiscord.start(), FakeWeCom.start()]);
    me = await h.person('responder', 'Tara Telegram');
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all([teams?.close(), telegram?.close(), discord?.close(), wecom?.close()]);
  });

  async function fire(groupChats: string[], title: string): Promise<{ id: string; number: number }> {
    counter += 1;
    const channel = await h.channel(`Chats ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Chats',
      spec: { levels: [{ targets: { group_chats: groupChats }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
    await h.advance('0s');
    const [incident] = await h.incidents(channel.id);
    return incident as { id: string; number: number };
  }
  const status = async (id: string) => (await h.admin.get<{ status: string }>(`/api/v1/incidents/${id}`)).body.status;

  it('Teams card → its signed Acknowledge link → incident acknowledged → follow-up cards in Teams and WeCom, Discord edited in place', async () => {
    const teamsId = await h.provider('teams', 'Ops Teams', { webhook_url: teams.webhookUrl });
    const discordId = await h.provider('discord', 'Ops Discord', { webhook_url: discord.webhookUrl });
    const wecomId = await h.provider('wecom', 'Ops WeCom', { webhook_url: wecom.webhookUrl });
    const incident = await fire([teamsId, discordId, wecomId], 'Teams link acknowledge');
    expect(teams.cards).toHaveLength(1);
    expect(wecom.messages).toHaveLength(1);
    expect(JSON.stringify(wecom.messages[0])).toContain('Teams link acknowledge');
    const [discordMessage] = [...discord.messages.values()];
    expect(discordMessage?.embeds[0]).toMatchObject({ color: 0xe03131, url: `${h.url}/incidents/${incident.id}` });
    const actions = (teams.cards[0] as { actions: { title: string; url: string }[] }).actions;
    const ackUrl = actions.find((a) => a.title === 'Acknowledge')?.url ?? '';
    expect(ackUrl.startsWith(`${h.url}/a/`)).toBe(true);
    // A GET only shows the confirmation page (link scanners prefetch); the button POSTs.
    expect((await fetch(ackUrl)).status).toBe(200);
    expect(await status(incident.id)).toBe('triggered');
    expect((await fetch(ackUrl, { method: 'POST' })).status).toBe(200);
    expect(await status(incident.id)).toBe('processing');
    await h.advance('0s');
    await h.advance('0s');
    expect(teams.cards).toHaveLength(2);
    expect(JSON.stringify(teams.cards[1])).toContain('Acknowledged: [Critical]');
    expect(wecom.messages).toHaveLength(2);
    expect(discord.messages.size).toBe(1);
    expect(discordMessage?.embeds[0]).toMatchObject({ color: 0xfab005 });
  });

  it('Telegram button → webhook with the secret token → person acknowledged → message edited; forged and unlinked presses do nothing', async () => {
    const telegramId = await h.provider('telegram', 'Ops Telegram', {
      bot_token: telegram.token,
      chat_id: String(telegram.chatId),
      webhook_secret: TELEGRAM_SECRET,
      user_map: `${TELEGRAM_USER} = ${me.person.email}`,
      api_base: telegram.url,
    });
    const incident = await fire([telegramId], 'Telegram button acknowledge');
    const [message] = telegram.messages;
    expect(message?.text).toContain('Telegram button acknowledge');
    const webhook = `${h.url}/callbacks/telegram/${telegramId}/webhook`;
    const forged = await telegram.pressButton(webhook, 'not-the-secret-token-0000', { message: message!, data: `ack:${incident.id}`, userId: TELEGRAM_USER });
    expect(forged.status).toBe(401);
    const stranger = await telegram.pressButton(webhook, TELEGRAM_SECRET, { message: message!, data: `ack:${incident.id}`, userId: 31337 });
    expect(stranger.status).toBe(200);
    expect(((await stranger.json()) as { text: string }).text).toContain('not linked');
    expect(await status(incident.id)).toBe('triggered');
    const pressed = await telegram.pressButton(webhook, TELEGRAM_SECRET, { message: message!, data: `ack:${incident.id}`, userId: TELEGRAM_USER });
    expect(pressed.status).toBe(200);
    expect(await pressed.json()).toMatchObject({ method: 'answerCallbackQuery', text: 'Acknowledging…' });
    expect(await status(incident.id)).toBe('processing');
    const timeline = await h.admin.get<{ data: { kind: string; actor_id?: string | null }[] }>(`/api/v1/incidents/${incident.id}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain(me.person.id);
    await h.advance('0s');
    await h.advance('0s');
    expect(telegram.messages).toHaveLength(1);
    expect(message?.edits).toBe(1);
    expect(message?.text).toContain('Acknowledged');
    expect(JSON.stringify(message?.replyMarkup)).not.toContain('ack:');
  });

  it('the personal center offers only methods an enabled provider can deliver, and says why not', async () => {
    const methods = async () => (await me.client.get<{ data: { method: string; available: boolean; reason?: string }[] }>('/api/v1/me/notification-methods')).body.data;
    const before = new Map((await methods()).map((m) => [m.method, m]));
    expect(before.get('sms')).toEqual({ method: 'sms', available: false, reason: expect.stringContaining('No SMS provider is set up yet') });
    await h.provider('aliyun_sms', 'Aliyun SMS', { access_key_id: 'LTAI5tTocsinFakeKey01', access_key_secret: 'tocsinFakeAliyunSecret0123456789', sign_name: 'Tocsin', template_code: 'SMS_123456789' });
    const after = new Map((await methods()).map((m) => [m.method, m]));
    expect(after.get('sms')).toEqual({ method: 'sms', available: false, reason: 'Add your phone number and verify it.' });
  });

  it('a vendor 429 queues the message until it goes through', async () => {
    const discordId = await h.provider('discord', 'Busy Discord', { webhook_url: discord.webhookUrl });
    discord.rateLimitNext(3);
    const before = discord.messages.size;
    const incident = await fire([discordId], 'Through Discord rate limits');
    await h.advance('30s');
    const deliveries = await h.admin.get<{ data: { status: string; attempts: number }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(deliveries.body.data[0]).toMatchObject({ status: 'sent', attempts: 4 });
    expect(discord.messages.size).toBe(before + 1);
  });
});
