import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDingTalkOpen } from '../../../../test/harness/peers/fake-dingtalk-open.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings } from '../../registry.js';
import { renderMessage, sampleIncident } from '../../templates.js';
import { dingtalkAppProvider, dingtalkMobile, type DingTalkAppSettings } from './app.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (now: number): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function dm(address: string, locale?: 'en' | 'zh-CN'): IncidentMessage {
  const { message } = renderMessage({
    id: 'm-1',
    idempotencyKey: 'k-1',
    method: 'im',
    recipient: { kind: 'person', personId: 'p1', name: 'Wang', address },
    kind: 'trigger',
    incident: sampleIncident(),
    ...(locale && { locale }),
  });
  return message as IncidentMessage;
}

describe('dingtalk work notifications against a fake DingTalk open API', () => {
  let dingtalk: FakeDingTalkOpen;
  let settings: DingTalkAppSettings;
  let now = NOW;
  beforeAll(async () => {
    dingtalk = await FakeDingTalkOpen.start();
    dingtalk.users.set('13800138000', 'manager4220');
  });
  afterAll(async () => dingtalk.close());
  beforeEach(() => {
    dingtalk.reset();
    dingtalk.notices.length = 0;
    dingtalk.revokeTokens();
    now += 24 * 3600_000 + 1;
    const normalized = normalizeProviderSettings(dingtalkAppProvider, { app_key: dingtalk.appKey, app_secret: dingtalk.appSecret, agent_id: String(dingtalk.agentId), api_base: dingtalk.url });
    if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
    settings = dingtalkAppProvider.parseSettings(normalized.value);
  });

  it('writes mainland mobiles without +86', () => {
    expect(dingtalkMobile('+8613800138000')).toBe('13800138000');
    expect(dingtalkMobile('+14155550100')).toBe('+14155550100');
  });

  it('gets a token, finds the user by mobile, sends an action card: exact requests', async () => {
    const result = await dingtalkAppProvider.send(settings, dm('+8613800138000', 'zh-CN'), at(now));
    expect(result).toEqual({ kind: 'sent', providerMessageId: '901' });
    const [token, lookup, send] = dingtalk.requests;
    expect(token?.method).toBe('GET');
    expect(token?.path).toBe(`/gettoken?appkey=${dingtalk.appKey}&appsecret=${dingtalk.appSecret}`);
    expect(lookup?.path).toBe('/topapi/v2/user/getbymobile?access_token=dt00000001fake');
    expect(ownHeaders(lookup?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-DingTalk-App/1'],
    ]);
    expect(lookup?.rawBody).toBe('{"mobile":"13800138000"}');
    expect(send?.path).toBe('/topapi/message/corpconversation/asyncsend_v2?access_token=dt00000001fake');
    const body = JSON.parse(send?.rawBody ?? '{}') as { agent_id: number; userid_list: string; msg: { msgtype: string; action_card: Record<string, unknown> } };
    expect(body.agent_id).toBe(dingtalk.agentId);
    expect(body.userid_list).toBe('manager4220');
    expect(body.msg.msgtype).toBe('action_card');
    expect(body.msg.action_card.title).toBe('[严重] #42 Disk usage above 90% on db-1');
    expect(body.msg.action_card.btn_orientation).toBe('1');
    expect(body.msg.action_card.btn_json_list).toEqual([
      { title: '认领', action_url: 'https://tocsin.example.com/a/sample-ack' },
      { title: '解决', action_url: 'https://tocsin.example.com/a/sample-resolve' },
      { title: '在 Tocsin 中查看', action_url: 'https://tocsin.example.com/incidents/42' },
    ]);
    expect(String(body.msg.action_card.markdown)).toContain('**[严重] #42 Disk usage above 90% on db-1**');
  });

  it('reuses the token and the user id; a refused token (40014) is fetched again once', async () => {
    await dingtalkAppProvider.send(settings, dm('+8613800138000'), at(now));
    await dingtalkAppProvider.send(settings, dm('+8613800138000'), at(now + 60_000));
    expect(dingtalk.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/gettoken',
      '/topapi/v2/user/getbymobile',
      '/topapi/message/corpconversation/asyncsend_v2',
      '/topapi/message/corpconversation/asyncsend_v2',
    ]);
    dingtalk.revokeTokens();
    expect((await dingtalkAppProvider.send(settings, dm('+8613800138000'), at(now + 120_000))).kind).toBe('sent');
    expect(dingtalk.requests.slice(4).map((r) => `${r.path.split('?')[0]}:${JSON.parse(r.reply.body).errcode}`)).toEqual([
      '/topapi/message/corpconversation/asyncsend_v2:40014',
      '/gettoken:0',
      '/topapi/message/corpconversation/asyncsend_v2:0',
    ]);
    expect(dingtalk.notices).toHaveLength(3);
    // Expiry: two hours later the cached token is not used any more.
    await dingtalkAppProvider.send(settings, dm('+8613800138000'), at(now + 7200_000));
    expect(dingtalk.tokensIssued).toBeGreaterThanOrEqual(3);
  });

  it('retries flow control (90018), fails unknown mobiles (60121), wrong secrets (40089) and non-phone addresses', async () => {
    dingtalk.rateLimitNext();
    expect(await dingtalkAppProvider.send(settings, dm('+8613800138000'), at(now))).toEqual({ kind: 'retry', error: 'dingtalk 90018: 当前请求过于频繁，请稍后再试', retryAfterMs: 30_000 });
    expect(await dingtalkAppProvider.send(settings, dm('+8613900000000'), at(now))).toEqual({ kind: 'failed', error: 'dingtalk 60121: no DingTalk user with the mobile +8613900000000 (找不到该用户)' });
    expect(await dingtalkAppProvider.send({ ...settings, appSecret: 'wrong-secret-0000' }, dm('+8613800138000'), at(now))).toEqual({ kind: 'failed', error: 'dingtalk gettoken 40089: 不合法的corpid或corpsecret' });
    expect((await dingtalkAppProvider.send(settings, dm('wang@example.com'), at(now))).kind).toBe('failed');
  });

  it('sends bundles as markdown', async () => {
    const { message } = renderMessage({ id: 'b', idempotencyKey: 'b', method: 'im', recipient: { kind: 'person', personId: 'p1', name: 'Wang', address: '+8613800138000' }, kind: 'bundle', bundle: [sampleIncident(), { ...sampleIncident(), number: 43 }] });
    await dingtalkAppProvider.send(settings, message as OutboundMessage, at(now));
    expect(dingtalk.notices[0]?.msg).toMatchObject({ msgtype: 'markdown', markdown: { title: '2 incidents' } });
  });
});
