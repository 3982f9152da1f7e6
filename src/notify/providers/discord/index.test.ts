import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../../../test/harness/peers/fake-discord.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { discordProvider, type DiscordSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const context: SendContext = { fetch: (input, init) => globalThis.fetch(input, init), now: NOW };

function settings(raw: Record<string, unknown>): DiscordSettings {
  const normalized = normalizeProviderSettings(discordProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return discordProvider.parseSettings(normalized.value);
}

const TEXT = '**[Critical] #42 Disk usage above 90% on db-1**\n[Open](https://tocsin.example.com/incidents/42) · [Acknowledge](https://tocsin.example.com/a/sample-ack)';
const trigger: IncidentMessage = {
  id: 'm-1',
  idempotencyKey: 'k-1',
  method: 'webhook',
  recipient: { kind: 'group_chat', name: 'Discord SRE' },
  kind: 'trigger',
  incident: sampleIncident(),
  content: { text: TEXT },
};

describe('discord provider against a fake Discord webhook', () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = await FakeDiscord.start();
  });
  afterAll(async () => discord.close());
  beforeEach(() => discord.reset());

  it('posts the exact embed with the severity colour, links and only the configured mentions', async () => {
    const s = settings({ webhook_url: discord.webhookUrl, mention_user_ids: '80351110224678912', mention_role_ids: '41771983423143936' });
    const result = await discordProvider.send(s, trigger, context);
    expect(result).toEqual({ kind: 'sent', providerMessageId: [...discord.messages.keys()][0] });
    const [request] = discord.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/api/webhooks/${discord.webhookId}/${discord.token}?wait=true`);
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-Discord/1 (https://github.com/tocsin, 1)'],
    ]);
    expect(request?.rawBody).toBe(
      JSON.stringify({
        content: '<@80351110224678912> <@&41771983423143936>',
        allowed_mentions: { parse: [], users: ['80351110224678912'], roles: ['41771983423143936'] },
        embeds: [
          {
            title: '[Critical] #42 Disk usage above 90% on db-1',
            url: 'https://tocsin.example.com/incidents/42',
            description: TEXT,
            color: 14692657,
            fields: [
              { name: 'Channel', value: 'Databases', inline: true },
              { name: 'Status', value: 'Triggered', inline: true },
              { name: 'Alerts', value: '2', inline: true },
            ],
            footer: { text: 'Tocsin' },
          },
        ],
      }),
    );
  });

  it('edits the message in place on acknowledge: new colour, no pings', async () => {
    const s = settings({ webhook_url: discord.webhookUrl, mention_user_ids: '80351110224678912' });
    const sent = await discordProvider.send(s, trigger, context);
    const id = sent.kind === 'sent' ? (sent.providerMessageId ?? '') : '';
    const acked: IncidentMessage = { ...trigger, kind: 'acknowledged', incident: { ...trigger.incident, status: 'Processing' }, content: { text: 'Acknowledged' } };
    expect(await discordProvider.update?.(s, id, acked, context)).toEqual({ kind: 'sent', providerMessageId: id });
    const patch = discord.requests[1];
    expect(patch?.method).toBe('PATCH');
    expect(patch?.path).toBe(`/api/webhooks/${discord.webhookId}/${discord.token}/messages/${id}`);
    const edited = discord.messages.get(id);
    expect(edited?.content).toBe('');
    expect(edited?.embeds[0]).toMatchObject({ color: 0xfab005, description: 'Acknowledged', fields: [{ name: 'Channel' }, { name: 'Status', value: 'Processing' }, { name: 'Alerts' }] });
  });

  it('a 429 is retried after the body’s retry_after (never dropped); then it goes through', async () => {
    discord.rateLimitNext();
    const s = settings({ webhook_url: discord.webhookUrl });
    expect(await discordProvider.send(s, trigger, context)).toEqual({ kind: 'retry', error: 'discord: HTTP 429: {"message":"You are being rate limited.","retry_after":1.5,"global":false}', retryAfterMs: 1500 });
    expect((await discordProvider.send(s, trigger, context)).kind).toBe('sent');
    expect(discord.messages.size).toBe(1);
  });

  it('Discord’s errors fail with its code and message', async () => {
    const wrongToken = settings({ webhook_url: `${discord.url}/api/webhooks/${discord.webhookId}/${'x'.repeat(40)}` });
    expect(await discordProvider.send(wrongToken, trigger, context)).toEqual({ kind: 'failed', error: 'discord 50027: Invalid Webhook Token' });
    const unknown = settings({ webhook_url: `${discord.url}/api/webhooks/1111111111111111111/${discord.token}` });
    expect(await discordProvider.send(unknown, trigger, context)).toEqual({ kind: 'failed', error: 'discord 10015: Unknown Webhook' });
    const s = settings({ webhook_url: discord.webhookUrl });
    expect(await discordProvider.update?.(s, '1190000000000009999', { ...trigger, kind: 'resolved' }, context)).toEqual({ kind: 'failed', error: 'discord 10008: Unknown Message' });
  });

  it('stays within Discord’s limits for a huge incident', async () => {
    const huge: IncidentMessage = { ...trigger, incident: { ...trigger.incident, title: 'T'.repeat(1000) }, content: { text: 'x'.repeat(9000) } };
    expect((await discordProvider.send(settings({ webhook_url: discord.webhookUrl }), huge, context)).kind).toBe('sent');
  });

  it('validates the webhook URL and ids', () => {
    expect(validateProviderSettings(discordProvider, { webhook_url: 'https://discord.com/api/webhooks/123/abc', mention_user_ids: 'bob' }).map((e) => e.field)).toEqual([
      'settings.webhook_url',
      'settings.mention_user_ids',
    ]);
  });
});
