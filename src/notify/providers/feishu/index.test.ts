import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeFeishu } from '../../../../test/harness/peers/fake-feishu.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { escapeLarkMd, feishuProvider, feishuSign, type FeishuSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const SECRET = 'SEC-feishu-0123456789';
/** Computed outside Node: base64(HMAC-SHA256(key "1767603600\nSEC-feishu-0123456789", "")). */
const GOLDEN_SIGN = 'quDeQl78splbhzDAZnBVZvZDubDvdyEPHuFGhUgND3M=';
const context = (now = NOW): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function settings(raw: Record<string, unknown>): FeishuSettings {
  const normalized = normalizeProviderSettings(feishuProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return feishuProvider.parseSettings(normalized.value);
}

const incident = { ...sampleIncident(), labels: { host: 'db-1', env: 'prod' } };
const trigger: IncidentMessage = {
  id: 'm-1',
  idempotencyKey: 'k-1',
  method: 'webhook',
  recipient: { kind: 'group_chat', name: 'Feishu SRE' },
  kind: 'trigger',
  incident,
  content: { text: 'rendered text is not used for cards' },
};

const BUTTON = (text: string, type: string, url: string): string =>
  `{"tag":"button","text":{"tag":"plain_text","content":"${text}"},"type":"${type}","url":"${url}"}`;
const ACK = BUTTON('Acknowledge', 'primary', 'https://tocsin.example.com/a/sample-ack');
const RESOLVE = BUTTON('Resolve', 'default', 'https://tocsin.example.com/a/sample-resolve');
const OPEN = BUTTON('Open in Tocsin', 'default', 'https://tocsin.example.com/incidents/42');
const FIELD = (name: string, value: string, short = true): string => `{"is_short":${short},"text":{"tag":"lark_md","content":"**${name}**\\n${value}"}}`;
const TRIGGER_CARD =
  '{"config":{"wide_screen_mode":true},"header":{"template":"red","title":{"tag":"plain_text","content":"[Critical] #42 Disk usage above 90% on db-1"}},"elements":[' +
  `{"tag":"div","fields":[${FIELD('Channel', 'Databases')},${FIELD('Severity', 'Critical')},${FIELD('Status', 'Triggered')},${FIELD('Alerts', '2')},` +
  `${FIELD('Assignees', 'Ada Lovelace', false)},${FIELD('Labels', 'env=prod, host=db-1', false)}]},` +
  '{"tag":"div","text":{"tag":"plain_text","content":"/var/lib/postgresql is at 93% and growing 1%/hour."}},' +
  `{"tag":"action","actions":[${ACK},${RESOLVE},${OPEN}]}]}`;

function ownHeaders(rawHeaders: readonly string[]): [string, string][] {
  const added = new Set(['host', 'connection', 'accept', 'accept-language', 'sec-fetch-mode', 'accept-encoding', 'content-length']);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    if (!added.has((rawHeaders[i] ?? '').toLowerCase())) pairs.push([rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '']);
  return pairs;
}

describe('feishu provider against a fake Feishu bot that checks signatures itself', () => {
  let signed: FakeFeishu;
  let open: FakeFeishu;
  beforeAll(async () => {
    signed = await FakeFeishu.start({ secret: SECRET, now: () => NOW });
    open = await FakeFeishu.start({ token: 'b7e3c2d1-open-bot' });
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
    expect(feishuProvider.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'webhook_url:url',
      'secret:secret',
      'min_severity:select',
      'notify_triggered:boolean',
      'notify_acknowledged:boolean',
      'notify_resolved:boolean',
      'language:select',
    ]);
    expect(feishuProvider.methods).toEqual(['webhook']);
  });

  it('posts the exact signed interactive card', async () => {
    expect(feishuSign(SECRET, '1767603600')).toBe(GOLDEN_SIGN);
    expect(await feishuProvider.send(settings({ webhook_url: signed.hookUrl, secret: SECRET }), trigger, context())).toEqual({ kind: 'sent' });
    const [request] = signed.requests;
    expect(request?.path).toBe(`/open-apis/bot/v2/hook/${signed.token}`);
    expect(request?.rawBody).toBe(`{"timestamp":"1767603600","sign":"${GOLDEN_SIGN}","msg_type":"interactive","card":${TRIGGER_CARD}}`);
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-Feishu/1'],
    ]);
    expect(signed.messages).toHaveLength(1);
  });

  it('sends no timestamp or sign without a secret', async () => {
    await feishuProvider.send(settings({ webhook_url: open.hookUrl }), trigger, context());
    expect(open.requests[0]?.rawBody).toBe(`{"msg_type":"interactive","card":${TRIGGER_CARD}}`);
  });

  it("a wrong secret fails with Feishu's own error text; so does a clock an hour off", async () => {
    expect(await feishuProvider.send(settings({ webhook_url: signed.hookUrl, secret: 'SEC-wrong' }), trigger, context())).toEqual({
      kind: 'failed',
      error: 'feishu 19021: sign match fail or timestamp is not within one hour from current time',
    });
    expect(await feishuProvider.send(settings({ webhook_url: signed.hookUrl, secret: SECRET }), trigger, context(NOW - 3601_000))).toEqual({
      kind: 'failed',
      error: 'feishu 19021: sign match fail or timestamp is not within one hour from current time',
    });
    expect(await feishuProvider.send(settings({ webhook_url: signed.hookUrl }), trigger, context())).toEqual({
      kind: 'failed',
      error: 'feishu 19021: sign match fail or timestamp is not within one hour from current time',
    });
    expect(await feishuProvider.send(settings({ webhook_url: `${signed.url}/open-apis/bot/v2/hook/not-the-token` }), trigger, context())).toEqual({
      kind: 'failed',
      error: 'feishu 19001: param invalid: incoming webhook access token invalid',
    });
    expect(signed.messages).toEqual([]);
  });

  it('rate limits are retried, never dropped', async () => {
    signed.rateLimitNext();
    const s = settings({ webhook_url: signed.hookUrl, secret: SECRET });
    expect(await feishuProvider.send(s, trigger, context())).toEqual({
      kind: 'retry',
      error: 'feishu 11232: frequency limited psm[lark.oapi.app_platform_runtime]appID[1]',
      retryAfterMs: 10_000,
    });
    expect(await feishuProvider.send(s, trigger, context())).toEqual({ kind: 'sent' });
    expect(signed.messages).toHaveLength(1);
  });

  it('acknowledged and resolved follow-ups are short cards', async () => {
    const s = settings({ webhook_url: open.hookUrl });
    await feishuProvider.send(s, { ...trigger, kind: 'acknowledged', incident: { ...incident, status: 'Acknowledged' } }, context());
    await feishuProvider.send(s, { ...trigger, kind: 'resolved', incident: { ...incident, status: 'Resolved' } }, context());
    expect(open.requests.map((r) => r.rawBody)).toEqual([
      '{"msg_type":"interactive","card":{"config":{"wide_screen_mode":true},"header":{"template":"yellow","title":{"tag":"plain_text","content":"Acknowledged: [Critical] #42 Disk usage above 90% on db-1"}},' +
        `"elements":[{"tag":"div","text":{"tag":"lark_md","content":"**Acknowledged** · Databases · Ada Lovelace"}},{"tag":"action","actions":[${RESOLVE},${OPEN}]}]}}`,
      '{"msg_type":"interactive","card":{"config":{"wide_screen_mode":true},"header":{"template":"green","title":{"tag":"plain_text","content":"Resolved: [Critical] #42 Disk usage above 90% on db-1"}},' +
        `"elements":[{"tag":"div","text":{"tag":"lark_md","content":"**Resolved** · Databases · Ada Lovelace"}},{"tag":"action","actions":[${OPEN}]}]}}`,
    ]);
  });

  it('colours by severity, notes escalations and escapes card markup in labels', async () => {
    const s = settings({ webhook_url: open.hookUrl });
    const warning: OutboundMessage = {
      ...trigger,
      kind: 'escalated',
      escalationLevel: 2,
      incident: {
        ...incident,
        severity: 'Warning',
        labels: { note: '<at id=all></at> & co' },
        description: '',
        assignees: [],
        ackUrl: undefined,
        resolveUrl: undefined,
      },
    };
    await feishuProvider.send(s, warning, context());
    await feishuProvider.send(s, { ...trigger, kind: 'test', incident: { ...incident, severity: 'Info' } }, context());
    const [first, second] = open.messages.map((m) => m.body.card as { header: { template: string; title: { content: string } }; elements: unknown[] });
    expect(first?.header).toEqual({ template: 'orange', title: { tag: 'plain_text', content: '[Warning] #42 Disk usage above 90% on db-1' } });
    expect(first?.elements).toEqual([
      { tag: 'div', text: { tag: 'lark_md', content: '**Escalated · level 2**' } },
      {
        tag: 'div',
        fields: [
          JSON.parse(FIELD('Channel', 'Databases')),
          JSON.parse(FIELD('Severity', 'Warning')),
          JSON.parse(FIELD('Status', 'Triggered')),
          JSON.parse(FIELD('Alerts', '2')),
          JSON.parse(FIELD('Labels', 'note=&lt;at id=all&gt;&lt;/at&gt; &amp; co', false)),
        ],
      },
      { tag: 'action', actions: [JSON.parse(OPEN)] },
    ]);
    expect(second?.header).toEqual({ template: 'blue', title: { tag: 'plain_text', content: '[Test] [Info] #42 Disk usage above 90% on db-1' } });
  });

  it('filters by severity and event type without calling Feishu (test messages always pass)', async () => {
    const s = settings({ webhook_url: open.hookUrl, min_severity: 'Critical', notify_acknowledged: false, notify_resolved: false });
    const info: OutboundMessage = { ...trigger, incident: { ...incident, severity: 'Info' } };
    expect(await feishuProvider.send(s, info, context())).toEqual({ kind: 'sent', providerMessageId: 'filtered' });
    expect(await feishuProvider.send(s, { ...trigger, kind: 'acknowledged' }, context())).toEqual({ kind: 'sent', providerMessageId: 'filtered' });
    expect(await feishuProvider.send(s, { ...trigger, kind: 'resolved' }, context())).toEqual({ kind: 'sent', providerMessageId: 'filtered' });
    expect(open.requests).toEqual([]);
    expect(await feishuProvider.send(s, { ...info, kind: 'test' }, context())).toEqual({ kind: 'sent' });
    expect(await feishuProvider.send(s, { ...trigger, kind: 'repeat' }, context())).toEqual({ kind: 'sent' });
    const quiet = settings({ webhook_url: open.hookUrl, notify_triggered: false });
    expect(await feishuProvider.send(quiet, { ...trigger, kind: 'escalated' }, context())).toEqual({ kind: 'sent', providerMessageId: 'filtered' });
    expect(await feishuProvider.send(quiet, { ...trigger, kind: 'resolved' }, context())).toEqual({ kind: 'sent' });
    expect(open.requests).toHaveLength(3);
  });

  it('sends bundles and verification codes as text', async () => {
    const bundle: OutboundMessage = {
      id: 'b',
      idempotencyKey: 'b',
      method: 'webhook',
      recipient: { kind: 'group_chat', name: 'x' },
      kind: 'bundle',
      bundle: [incident],
      content: { text: '1 incidents: #42' },
    };
    await feishuProvider.send(settings({ webhook_url: signed.hookUrl, secret: SECRET }), bundle, context());
    expect(signed.requests[0]?.rawBody).toBe(`{"timestamp":"1767603600","sign":"${GOLDEN_SIGN}","msg_type":"text","content":{"text":"1 incidents: #42"}}`);
    expect(signed.messages).toHaveLength(1);
  });

  it('HTTP errors and network failures', async () => {
    const closed = await FakeFeishu.start();
    const url = closed.hookUrl;
    await closed.close();
    const refused = await feishuProvider.send(settings({ webhook_url: url }), trigger, context());
    expect(refused.kind).toBe('retry');
    const statuses: [number, string][] = [
      [429, ''],
      [502, '<html>bad gateway</html>'],
      [404, '404 page not found'],
    ];
    const results = [];
    for (const [status, body] of statuses) {
      const fetchStub: SendContext = {
        now: NOW,
        fetch: () => Promise.resolve(new Response(body, { status, headers: status === 429 ? { 'Retry-After': '3' } : {} })),
      };
      results.push(await feishuProvider.send(settings({ webhook_url: open.hookUrl }), trigger, fetchStub));
    }
    expect(results).toEqual([
      { kind: 'retry', error: 'feishu: HTTP 429', retryAfterMs: 3000 },
      { kind: 'retry', error: 'feishu: HTTP 502' },
      { kind: 'failed', error: 'feishu: HTTP 404: 404 page not found' },
    ]);
  });
});

describe('feishu settings', () => {
  it('accepts Feishu and Lark hook URLs and refuses other paths', () => {
    expect(
      validateProviderSettings(feishuProvider, { webhook_url: 'https://open.feishu.cn/open-apis/bot/v2/hook/0c8a7f6e-1d2b-4c3a-9e8f-7a6b5c4d3e2f' }),
    ).toEqual([]);
    expect(
      validateProviderSettings(feishuProvider, {
        webhook_url: 'https://open.larksuite.com/open-apis/bot/v2/hook/0c8a7f6e-1d2b-4c3a-9e8f-7a6b5c4d3e2f',
        secret: 'abc',
      }),
    ).toEqual([]);
    for (const url of [
      'https://open.feishu.cn/open-apis/bot/v2/hook/',
      'https://open.feishu.cn/hook/abcdefgh1234',
      'https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234?x=1',
    ]) {
      expect(validateProviderSettings(feishuProvider, { webhook_url: url }), url).toEqual([
        { field: 'settings.webhook_url', message: 'must be a custom bot webhook URL ending in /open-apis/bot/v2/hook/<token>' },
      ]);
    }
    expect(validateProviderSettings(feishuProvider, { webhook_url: 'ftp://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234' })).toEqual([
      { field: 'settings.webhook_url', message: 'must be an http:// or https:// URL' },
    ]);
    expect(settings({ webhook_url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234' })).toEqual({
      webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234',
      minSeverity: 'Info',
      notifyTriggered: true,
      notifyAcknowledged: true,
      notifyResolved: true,
    });
  });
});

describe('escapeLarkMd (issue 10 item 17)', () => {
  it('keeps alert text from becoming links, images or tags in a card', () => {
    expect(escapeLarkMd('[Reset](https://evil.example) ![x](https://t.example/p.png) <at id=all></at> & co')).toBe(
      '［Reset］(https://evil.example) !［x］(https://t.example/p.png) &lt;at id=all&gt;&lt;/at&gt; &amp; co',
    );
  });
});
