import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeWeCom } from '../../../../test/harness/peers/fake-wecom.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, SendContext } from '../../provider.js';
import { validateProviderSettings, normalizeProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { wecomProvider, type WeComSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const context: SendContext = { fetch: (input, init) => globalThis.fetch(input, init), now: NOW };

function settings(raw: Record<string, unknown>): WeComSettings {
  const normalized = normalizeProviderSettings(wecomProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return wecomProvider.parseSettings(normalized.value);
}

const trigger: IncidentMessage = {
  id: 'm-1',
  idempotencyKey: 'k-1',
  method: 'webhook',
  recipient: { kind: 'group_chat', name: 'WeCom SRE' },
  kind: 'trigger',
  incident: sampleIncident(),
  content: { text: '**[Critical] #42 Disk usage above 90% on db-1**\nTriggered · Databases\n[Open](https://tocsin.example.com/incidents/42)' },
};

describe('wecom provider against a fake WeCom robot', () => {
  let wecom: FakeWeCom;
  beforeAll(async () => {
    wecom = await FakeWeCom.start();
  });
  afterAll(async () => wecom.close());
  beforeEach(() => wecom.reset());

  it('declares the webhook URL (it carries the key) as a secret, plus mentions and filters', () => {
    expect(wecomProvider.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'webhook_url:secret',
      'message_type:select',
      'mention_user_ids:string',
      'mention_mobiles:string',
      'min_severity:select',
      'notify_triggered:boolean',
      'notify_acknowledged:boolean',
      'notify_resolved:boolean',
      'language:select',
    ]);
  });

  it('posts the exact markdown with <@userid> mentions', async () => {
    const s = settings({ webhook_url: wecom.webhookUrl, mention_user_ids: 'zhangsan, lisi' });
    expect(await wecomProvider.send(s, trigger, context)).toEqual({ kind: 'sent' });
    const [request] = wecom.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/cgi-bin/webhook/send?key=${wecom.key}`);
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-WeCom/1'],
    ]);
    expect(request?.rawBody).toBe(
      '{"msgtype":"markdown","markdown":{"content":"**[Critical] #42 Disk usage above 90% on db-1**\\nTriggered · Databases\\n[Open](https://tocsin.example.com/incidents/42)\\n<@zhangsan> <@lisi>"}}',
    );
    expect(wecom.messages).toHaveLength(1);
  });

  it('text mode @s by mobile and user id in the mention lists', async () => {
    const s = settings({ webhook_url: wecom.webhookUrl, message_type: 'text', mention_user_ids: '@all', mention_mobiles: '13800001111' });
    expect(await wecomProvider.send(s, trigger, context)).toEqual({ kind: 'sent' });
    expect(JSON.parse(wecom.requests[0]?.rawBody ?? '')).toEqual({
      msgtype: 'text',
      text: { content: trigger.content.text, mentioned_list: ['@all'], mentioned_mobile_list: ['13800001111'] },
    });
  });

  it('refuses mobiles with markdown, and URLs that are not robot webhooks', () => {
    expect(validateProviderSettings(wecomProvider, { webhook_url: wecom.webhookUrl, mention_mobiles: '13800001111' })).toEqual([
      { field: 'settings.mention_mobiles', message: 'WeCom markdown cannot @ by mobile: choose message type "text" or @ by user id' },
    ]);
    expect(validateProviderSettings(wecomProvider, { webhook_url: 'https://example.com/hook' })[0]?.field).toBe('settings.webhook_url');
  });

  it('keeps a long text within 4096 UTF-8 bytes (Chinese text counts 3 bytes a character) with mentions kept', async () => {
    const long: IncidentMessage = { ...trigger, content: { text: '磁盘'.repeat(3000) } };
    expect(await wecomProvider.send(settings({ webhook_url: wecom.webhookUrl, mention_user_ids: 'zhangsan' }), long, context)).toEqual({ kind: 'sent' });
    const content = (JSON.parse(wecom.requests[0]?.rawBody ?? '') as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(4096);
    expect(content.endsWith('…\n<@zhangsan>')).toBe(true);
  });

  it('a rate limit (45009) is retried after a minute, never dropped', async () => {
    wecom.rateLimitNext();
    const s = settings({ webhook_url: wecom.webhookUrl });
    expect(await wecomProvider.send(s, trigger, context)).toEqual({ kind: 'retry', error: 'wecom 45009: api freq out of limit', retryAfterMs: 60_000 });
    expect(await wecomProvider.send(s, trigger, context)).toEqual({ kind: 'sent' });
    expect(wecom.messages).toHaveLength(1);
  });

  it('an unknown key fails with WeCom’s errcode; filters skip what the chat does not want', async () => {
    const wrong = settings({ webhook_url: `${wecom.url}/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000` });
    expect(await wecomProvider.send(wrong, trigger, context)).toEqual({ kind: 'failed', error: 'wecom 93000: invalid webhook url, hint: [1767603600_1_x]' });
    const quiet = settings({ webhook_url: wecom.webhookUrl, min_severity: 'Critical', notify_resolved: false });
    expect(await wecomProvider.send(quiet, { ...trigger, incident: { ...trigger.incident, severity: 'Warning' } }, context)).toEqual({ kind: 'sent', providerMessageId: 'filtered' });
    expect(await wecomProvider.send(quiet, { ...trigger, kind: 'resolved' }, context)).toEqual({ kind: 'sent', providerMessageId: 'filtered' });
    expect(await wecomProvider.send(quiet, { ...trigger, kind: 'acknowledged' }, context)).toEqual({ kind: 'sent' });
    expect(wecom.messages).toHaveLength(1);
  });
});
