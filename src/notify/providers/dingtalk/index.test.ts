import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDingTalk } from '../../../../test/harness/peers/fake-dingtalk.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { dingtalkProvider, dingtalkSign, parseMobiles, spaceLines, type DingTalkSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const SECRET = 'SECd1n9741a5bc0e2f3456789abcdef0123456789abcdef0123456789abcdef01';
/** Computed outside Node: urlencode(base64(HMAC-SHA256(secret, "1767603600000\n" + secret))). */
const GOLDEN_SIGN = '8sviYRXCG9XmHREJji1y4UPw%2FIQVcBpk1aP00Jz1D2Q%3D';
const context = (now = NOW): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function settings(raw: Record<string, unknown>): DingTalkSettings {
  const normalized = normalizeProviderSettings(dingtalkProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return dingtalkProvider.parseSettings(normalized.value);
}

const incident = sampleIncident();
const trigger: IncidentMessage = {
  id: 'm-1',
  idempotencyKey: 'k-1',
  method: 'webhook',
  recipient: { kind: 'group_chat', name: 'DingTalk SRE' },
  kind: 'trigger',
  incident,
  content: {
    text: '**[Critical] #42 Disk usage above 90% on db-1**\nTriggered · Databases · 2 alert(s)\n\n`env=prod` `host=db-1`\n\n[Open](https://tocsin.example.com/incidents/42)',
  },
};
const TEXT =
  '**[Critical] #42 Disk usage above 90% on db-1**\\n\\nTriggered · Databases · 2 alert(s)\\n\\n`env=prod` `host=db-1`\\n\\n[Open](https://tocsin.example.com/incidents/42)';

function ownHeaders(rawHeaders: readonly string[]): [string, string][] {
  const added = new Set(['host', 'connection', 'accept', 'accept-language', 'sec-fetch-mode', 'accept-encoding', 'content-length']);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    if (!added.has((rawHeaders[i] ?? '').toLowerCase())) pairs.push([rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '']);
  return pairs;
}

describe('dingtalk provider against a fake DingTalk robot that checks signatures itself', () => {
  let signed: FakeDingTalk;
  let open: FakeDingTalk;
  beforeAll(async () => {
    signed = await FakeDingTalk.start({ secret: SECRET, now: () => NOW });
    open = await FakeDingTalk.start({ accessToken: 'open0robot0token0123' });
  });
  afterAll(async () => {
    await signed.close();
    await open.close();
  });
  beforeEach(() => {
    signed.reset();
    open.reset();
  });

  it('declares its settings form', () => {
    expect(dingtalkProvider.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'webhook_url:url',
      'secret:secret',
      'message_type:select',
      'at_mobiles:string',
      'min_severity:select',
      'notify_triggered:boolean',
      'notify_acknowledged:boolean',
      'notify_resolved:boolean',
      'language:select',
    ]);
  });

  it('signs in the query (ms timestamp, URL-encoded sign) and posts the exact markdown with @mobiles', async () => {
    expect(encodeURIComponent(dingtalkSign(SECRET, NOW))).toBe(GOLDEN_SIGN);
    const s = settings({ webhook_url: signed.webhookUrl, secret: SECRET, at_mobiles: '13800000000, 13900000000' });
    expect(await dingtalkProvider.send(s, trigger, context())).toEqual({ kind: 'sent' });
    const [request] = signed.requests;
    expect(request?.path).toBe(`/robot/send?access_token=${signed.accessToken}&timestamp=1767603600000&sign=${GOLDEN_SIGN}`);
    expect(request?.rawBody).toBe(
      `{"msgtype":"markdown","markdown":{"title":"[Critical] #42 Disk usage above 90% on db-1","text":"${TEXT}\\n\\n@13800000000 @13900000000"},` +
        '"at":{"atMobiles":["13800000000","13900000000"],"isAtAll":false}}',
    );
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-DingTalk/1'],
    ]);
    expect(signed.messages).toHaveLength(1);
  });

  it('actionCard mode has buttons opening the signed links', async () => {
    await dingtalkProvider.send(settings({ webhook_url: open.webhookUrl, message_type: 'actionCard' }), trigger, context());
    expect(open.requests[0]?.path).toBe('/robot/send?access_token=open0robot0token0123');
    expect(open.requests[0]?.rawBody).toBe(
      `{"msgtype":"actionCard","actionCard":{"title":"[Critical] #42 Disk usage above 90% on db-1","text":"${TEXT}","btnOrientation":"1","btns":[` +
        '{"title":"Acknowledge","actionURL":"https://tocsin.example.com/a/sample-ack"},{"title":"Resolve","actionURL":"https://tocsin.example.com/a/sample-resolve"},' +
        '{"title":"Open in Tocsin","actionURL":"https://tocsin.example.com/incidents/42"}]}}',
    );
  });

  it("a wrong secret fails with DingTalk's errcode and errmsg; so do a stale clock and a missing sign", async () => {
    expect(await dingtalkProvider.send(settings({ webhook_url: signed.webhookUrl, secret: 'SECwrong' }), trigger, context())).toEqual({
      kind: 'failed',
      error: 'dingtalk 310000: sign not match',
    });
    expect(await dingtalkProvider.send(settings({ webhook_url: signed.webhookUrl, secret: SECRET }), trigger, context(NOW + 3601_000))).toEqual({
      kind: 'failed',
      error: 'dingtalk 310000: invalid timestamp',
    });
    expect(await dingtalkProvider.send(settings({ webhook_url: signed.webhookUrl }), trigger, context())).toEqual({
      kind: 'failed',
      error: 'dingtalk 310000: invalid timestamp',
    });
    expect(
      await dingtalkProvider.send(settings({ webhook_url: `${signed.url}/robot/send?access_token=some0other0token`, secret: SECRET }), trigger, context()),
    ).toEqual({ kind: 'failed', error: 'dingtalk 300001: token is not exist' });
    expect(signed.messages).toEqual([]);
  });

  it('the fake refuses a sign sent without URL encoding, as DingTalk does', async () => {
    let t = NOW;
    while (!dingtalkSign(SECRET, t).includes('+')) t += 1;
    const raw = dingtalkSign(SECRET, t);
    const post = (sign: string) =>
      fetch(`${signed.webhookUrl}&timestamp=${t}&sign=${sign}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"msgtype":"text","text":{"content":"hi"}}',
      });
    expect(await (await post(raw)).json()).toEqual({ errcode: 310000, errmsg: 'sign not match' });
    expect(await (await post(encodeURIComponent(raw))).json()).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('rate limits are retried, never dropped', async () => {
    signed.rateLimitNext();
    const s = settings({ webhook_url: signed.webhookUrl, secret: SECRET });
    expect(await dingtalkProvider.send(s, trigger, context())).toEqual({
      kind: 'retry',
      error: 'dingtalk 130101: send too fast, exceed 20 times per minute',
      retryAfterMs: 60_000,
    });
    expect(await dingtalkProvider.send(s, trigger, context())).toEqual({ kind: 'sent' });
    expect(signed.messages).toHaveLength(1);
  });

  it('acknowledged and resolved follow-ups are short markdown notes', async () => {
    const s = settings({ webhook_url: open.webhookUrl, message_type: 'actionCard' });
    await dingtalkProvider.send(s, { ...trigger, kind: 'acknowledged' }, context());
    await dingtalkProvider.send(s, { ...trigger, kind: 'resolved' }, context());
    expect(open.requests.map((r) => r.rawBody)).toEqual([
      '{"msgtype":"markdown","markdown":{"title":"Acknowledged: [Critical] #42 Disk usage above 90% on db-1","text":"**Acknowledged: [Critical] #42 Disk usage above 90% on db-1**\\n\\nDatabases · Ada Lovelace\\n\\n' +
        '[Open](https://tocsin.example.com/incidents/42) · [Resolve](https://tocsin.example.com/a/sample-resolve)"},"at":{"atMobiles":[],"isAtAll":false}}',
      '{"msgtype":"markdown","markdown":{"title":"Resolved: [Critical] #42 Disk usage above 90% on db-1","text":"**Resolved: [Critical] #42 Disk usage above 90% on db-1**\\n\\nDatabases · Ada Lovelace\\n\\n' +
        '[Open](https://tocsin.example.com/incidents/42)"},"at":{"atMobiles":[],"isAtAll":false}}',
    ]);
  });

  it('filters by severity and event type without calling DingTalk', async () => {
    const s = settings({ webhook_url: open.webhookUrl, min_severity: 'Warning', notify_resolved: false });
    expect(await dingtalkProvider.send(s, { ...trigger, incident: { ...incident, severity: 'Info' } }, context())).toEqual({
      kind: 'sent',
      providerMessageId: 'filtered',
    });
    expect(await dingtalkProvider.send(s, { ...trigger, kind: 'resolved' }, context())).toEqual({ kind: 'sent', providerMessageId: 'filtered' });
    expect(open.requests).toEqual([]);
    expect(await dingtalkProvider.send(s, { ...trigger, kind: 'acknowledged', incident: { ...incident, severity: 'Warning' } }, context())).toEqual({
      kind: 'sent',
    });
    expect(await dingtalkProvider.send(s, { ...trigger, kind: 'test', incident: { ...incident, severity: 'Info' } }, context())).toEqual({ kind: 'sent' });
    expect(open.requests).toHaveLength(2);
    expect((open.messages[1]?.markdown as { title: string }).title).toBe('[Test] [Info] #42 Disk usage above 90% on db-1');
  });

  it('keywords security: a message without the keyword fails with the vendor text', async () => {
    const keyed = await FakeDingTalk.start({ keywords: ['Critical', 'Warning', 'Info'] });
    try {
      expect(await dingtalkProvider.send(settings({ webhook_url: keyed.webhookUrl }), trigger, context())).toEqual({ kind: 'sent' });
      const plain: OutboundMessage = {
        id: 'v',
        idempotencyKey: 'v',
        method: 'webhook',
        recipient: { kind: 'group_chat', name: 'x' },
        kind: 'verification',
        code: '1',
        content: { text: 'nothing to see' },
      };
      expect(await dingtalkProvider.send(settings({ webhook_url: keyed.webhookUrl }), plain, context())).toEqual({
        kind: 'failed',
        error: 'dingtalk 310000: keywords not in content',
      });
    } finally {
      await keyed.close();
    }
  });

  it('HTTP errors, busy answers and network failures', async () => {
    const stub = (status: number, body: string): SendContext => ({ now: NOW, fetch: () => Promise.resolve(new Response(body, { status })) });
    const s = settings({ webhook_url: open.webhookUrl });
    expect(await dingtalkProvider.send(s, trigger, stub(200, '{"errcode":-1,"errmsg":"系统繁忙"}'))).toEqual({ kind: 'retry', error: 'dingtalk -1: 系统繁忙' });
    expect(await dingtalkProvider.send(s, trigger, stub(200, '{"errcode":410100,"errmsg":"send too fast"}'))).toEqual({
      kind: 'retry',
      error: 'dingtalk 410100: send too fast',
      retryAfterMs: 60_000,
    });
    expect(await dingtalkProvider.send(s, trigger, stub(502, 'bad gateway'))).toEqual({ kind: 'retry', error: 'dingtalk: HTTP 502' });
    expect(await dingtalkProvider.send(s, trigger, stub(403, 'forbidden'))).toEqual({ kind: 'failed', error: 'dingtalk: HTTP 403: forbidden' });
    expect(await dingtalkProvider.send(s, trigger, stub(200, '<html>'))).toEqual({ kind: 'failed', error: 'dingtalk: unexpected answer: <html>' });
    const closed = await FakeDingTalk.start();
    const url = closed.webhookUrl;
    await closed.close();
    expect((await dingtalkProvider.send(settings({ webhook_url: url }), trigger, context())).kind).toBe('retry');
  });
});

describe('dingtalk settings and formatting', () => {
  it('validates the robot URL and the mobiles', () => {
    expect(
      validateProviderSettings(dingtalkProvider, {
        webhook_url: 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef',
        at_mobiles: '13800000000,+86-13900000000',
      }),
    ).toEqual([]);
    expect(validateProviderSettings(dingtalkProvider, { webhook_url: 'https://oapi.dingtalk.com/robot/send', at_mobiles: '138000, ada, 13800000000' })).toEqual(
      [
        { field: 'settings.webhook_url', message: 'must be a robot webhook URL …/robot/send?access_token=<token> (without timestamp or sign)' },
        { field: 'settings.at_mobiles', message: 'not mobile numbers: ada' },
      ],
    );
    expect(
      validateProviderSettings(dingtalkProvider, { webhook_url: 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef&timestamp=1&sign=x' })[0]
        ?.field,
    ).toBe('settings.webhook_url');
    expect(parseMobiles(' 138 0000 ;13800000000,13800000000')).toEqual({ mobiles: ['13800000000'], invalid: ['138', '0000'] });
  });

  it('keeps markdown lines apart', () => {
    expect(spaceLines('a\nb\n\n\nc\n')).toBe('a\n\nb\n\nc');
  });
});
