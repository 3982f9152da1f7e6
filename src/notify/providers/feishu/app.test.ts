import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeFeishuOpen } from '../../../../test/harness/peers/fake-feishu-open.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings } from '../../registry.js';
import { renderMessage, sampleIncident } from '../../templates.js';
import { feishuAppProvider, type FeishuAppSettings } from './app.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (now: number): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function dm(address: string, locale?: 'en' | 'zh-CN'): IncidentMessage {
  const { message } = renderMessage({
    id: '0190a5c2-0000-7000-8000-00000000m001',
    idempotencyKey: 'k-1',
    method: 'im',
    recipient: { kind: 'person', personId: 'p1', name: 'Ada', address },
    kind: 'trigger',
    incident: { ...sampleIncident(), startedAt: NOW - 60_000 },
    ...(locale && { locale, timeZone: 'Asia/Shanghai' }),
  });
  return message as IncidentMessage;
}

describe('feishu app provider (direct messages) against a fake Feishu Open Platform', () => {
  let feishu: FakeFeishuOpen;
  let settings: FeishuAppSettings;
  let now = NOW;
  beforeAll(async () => {
    feishu = await FakeFeishuOpen.start();
    feishu.users.set('ada@example.com', 'ou_7d8a6e6df7621556ce0d21922b676706');
  });
  afterAll(async () => feishu.close());
  beforeEach(() => {
    feishu.reset();
    // A fresh API base per test keeps the process-wide token cache of other tests out of the way.
    now += 24 * 3600_000;
    const normalized = normalizeProviderSettings(feishuAppProvider, { app_id: feishu.appId, app_secret: feishu.appSecret, api_base: `${feishu.url}/` });
    if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
    settings = feishuAppProvider.parseSettings(normalized.value);
    feishu.revokeTokens();
  });

  it('validates its settings: app id cli_…, the secret required', () => {
    const bad = normalizeProviderSettings(feishuAppProvider, { app_id: 'nope' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field).sort()).toEqual(['settings.app_id', 'settings.app_secret']);
  });

  it('gets a tenant token, then DMs the card by email with exact URL, headers and body', async () => {
    const result = await feishuAppProvider.send(settings, dm('ada@example.com'), at(now));
    expect(result).toEqual({ kind: 'sent', providerMessageId: 'om_fake1' });
    const [token, send] = feishu.requests;
    expect(token?.path).toBe('/open-apis/auth/v3/tenant_access_token/internal');
    expect(ownHeaders(token?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json; charset=utf-8'],
      ['User-Agent', 'Tocsin-Feishu-App/1'],
    ]);
    expect(token?.rawBody).toBe(JSON.stringify({ app_id: feishu.appId, app_secret: feishu.appSecret }));
    expect(send?.method).toBe('POST');
    expect(send?.path).toBe('/open-apis/im/v1/messages?receive_id_type=email');
    expect(ownHeaders(send?.rawHeaders ?? [])).toEqual([
      ['Authorization', 'Bearer t-g1044000001FAKE'],
      ['Content-Type', 'application/json; charset=utf-8'],
      ['User-Agent', 'Tocsin-Feishu-App/1'],
    ]);
    const body = JSON.parse(send?.rawBody ?? '{}') as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['receive_id', 'msg_type', 'content', 'uuid']);
    expect(body).toMatchObject({ receive_id: 'ada@example.com', msg_type: 'interactive', uuid: '0190a5c2-0000-7000-8000-00000000m001' });
    const card = JSON.parse(String(body.content)) as { header: { template: string; title: { content: string } }; elements: { tag: string; actions?: { text: { content: string }; url: string }[] }[] };
    expect(card.header).toEqual({ template: 'red', title: { tag: 'plain_text', content: '[Critical] #42 Disk usage above 90% on db-1' } });
    const buttons = card.elements.find((e) => e.tag === 'action')?.actions ?? [];
    expect(buttons.map((b) => [b.text.content, b.url])).toEqual([
      ['Acknowledge', 'https://tocsin.example.com/a/sample-ack'],
      ['Resolve', 'https://tocsin.example.com/a/sample-resolve'],
      ['Open in Tocsin', 'https://tocsin.example.com/incidents/42'],
    ]);
  });

  it('writes the card in Chinese for a zh-CN reader, with the date in their time zone', async () => {
    await feishuAppProvider.send(settings, dm('ada@example.com', 'zh-CN'), at(now));
    const card = feishu.messages[0]?.content as { header: { title: { content: string } }; elements: unknown[] };
    expect(card.header.title.content).toBe('[严重] #42 Disk usage above 90% on db-1');
    const text = JSON.stringify(card.elements);
    for (const word of ['协作空间', '严重程度', '告警数', '开始时间', '认领', '解决', '在 Tocsin 中查看']) expect(text).toContain(word);
    expect(text).not.toContain('Acknowledge');
    // 08:59 UTC the day before `now` is 16:59 in Shanghai.
    expect(text).toMatch(/16:59/);
  });

  it('addresses an open id with receive_id_type=open_id', async () => {
    await feishuAppProvider.send(settings, dm('ou_7d8a6e6df7621556ce0d21922b676706'), at(now));
    expect(feishu.requests.at(-1)?.path).toBe('/open-apis/im/v1/messages?receive_id_type=open_id');
    expect(feishu.messages).toHaveLength(1);
  });

  it('caches the token until five minutes before it expires, then fetches a new one', async () => {
    await feishuAppProvider.send(settings, dm('ada@example.com'), at(now));
    await feishuAppProvider.send(settings, dm('ada@example.com'), at(now + 60 * 60_000));
    expect(feishu.requests.filter((r) => r.path.includes('tenant_access_token'))).toHaveLength(1);
    await feishuAppProvider.send(settings, dm('ada@example.com'), at(now + 7200_000 - 4 * 60_000));
    expect(feishu.requests.filter((r) => r.path.includes('tenant_access_token'))).toHaveLength(2);
    expect(feishu.messages).toHaveLength(3);
  });

  it('drops a token Feishu refuses (99991663) and sends once more with a fresh one', async () => {
    await feishuAppProvider.send(settings, dm('ada@example.com'), at(now));
    feishu.revokeTokens();
    const result = await feishuAppProvider.send(settings, dm('ada@example.com'), at(now + 1000));
    expect(result.kind).toBe('sent');
    expect(feishu.requests.map((r) => `${r.path.split('?')[0]}:${JSON.parse(r.reply.body).code}`)).toEqual([
      '/open-apis/auth/v3/tenant_access_token/internal:0',
      '/open-apis/im/v1/messages:0',
      '/open-apis/im/v1/messages:99991663',
      '/open-apis/auth/v3/tenant_access_token/internal:0',
      '/open-apis/im/v1/messages:0',
    ]);
  });

  it('retries a rate limit (429, code 99991400) after x-ogw-ratelimit-reset, and fails users outside the app (230013)', async () => {
    feishu.rateLimitNext();
    expect(await feishuAppProvider.send(settings, dm('ada@example.com'), at(now))).toEqual({ kind: 'retry', error: 'feishu 99991400: request trigger frequency limit', retryAfterMs: 2000 });
    expect(await feishuAppProvider.send(settings, dm('stranger@example.com'), at(now))).toEqual({ kind: 'failed', error: 'feishu 230013: Bot has NO availability to this user.' });
  });

  it('fails permanently on a wrong app secret (10014), without sending', async () => {
    const wrong = { ...settings, appSecret: 'not-the-secret' };
    expect(await feishuAppProvider.send(wrong, dm('ada@example.com'), at(now))).toEqual({ kind: 'failed', error: 'feishu token 10014: app secret invalid' });
    expect(feishu.messages).toHaveLength(0);
  });

  it('refuses group chats: it only sends direct messages', async () => {
    const group = { ...dm('ada@example.com'), recipient: { kind: 'group_chat', name: 'SRE' } } as IncidentMessage;
    expect((await feishuAppProvider.send(settings, group, at(now))).kind).toBe('failed');
  });
});
