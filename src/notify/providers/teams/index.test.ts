import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeTeams } from '../../../../test/harness/peers/fake-teams.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { teamsProvider, type TeamsSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const context: SendContext = { fetch: (input, init) => globalThis.fetch(input, init), now: NOW };

function settings(raw: Record<string, unknown>): TeamsSettings {
  const normalized = normalizeProviderSettings(teamsProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return teamsProvider.parseSettings(normalized.value);
}

const trigger: IncidentMessage = {
  id: 'm-1',
  idempotencyKey: 'k-1',
  method: 'webhook',
  recipient: { kind: 'group_chat', name: 'Teams SRE' },
  kind: 'trigger',
  incident: sampleIncident(),
  content: { text: '/var/lib/postgresql is at 93%' },
};

describe('teams provider against a fake Workflows webhook', () => {
  let teams: FakeTeams;
  beforeAll(async () => {
    teams = await FakeTeams.start();
  });
  afterAll(async () => teams.close());
  beforeEach(() => teams.reset());

  it('posts the exact Adaptive Card 1.4 with open-URL Acknowledge / Resolve buttons and a mention', async () => {
    const s = settings({ webhook_url: teams.webhookUrl, mentions: 'ada@example.com:Ada Lovelace' });
    expect(await teamsProvider.send(s, trigger, context)).toEqual({ kind: 'sent' });
    const [request] = teams.requests;
    expect(request?.path).toBe(new URL(teams.webhookUrl).pathname + new URL(teams.webhookUrl).search);
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-Teams/1'],
    ]);
    expect(JSON.parse(request?.rawBody ?? '')).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: '[Critical] #42 Disk usage above 90% on db-1', wrap: true, weight: 'Bolder', size: 'Medium', color: 'Attention' },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Channel', value: 'Databases' },
                  { title: 'Severity', value: 'Critical' },
                  { title: 'Status', value: 'Triggered' },
                  { title: 'Alerts', value: '2' },
                ],
              },
              { type: 'TextBlock', text: '/var/lib/postgresql is at 93%', wrap: true },
              { type: 'TextBlock', text: '<at>Ada Lovelace</at>', wrap: true },
            ],
            actions: [
              { type: 'Action.OpenUrl', title: 'Acknowledge', url: 'https://tocsin.example.com/a/sample-ack' },
              { type: 'Action.OpenUrl', title: 'Resolve', url: 'https://tocsin.example.com/a/sample-resolve' },
              { type: 'Action.OpenUrl', title: 'Open in Tocsin', url: 'https://tocsin.example.com/incidents/42' },
            ],
            msteams: { width: 'Full', entities: [{ type: 'mention', text: '<at>Ada Lovelace</at>', mentioned: { id: 'ada@example.com', name: 'Ada Lovelace' } }] },
          },
        },
      ],
    });
    expect(teams.cards).toHaveLength(1);
  });

  it('a resolved follow-up is green, without buttons that act, and pings nobody', async () => {
    const s = settings({ webhook_url: teams.webhookUrl, mentions: 'ada@example.com' });
    await teamsProvider.send(s, { ...trigger, kind: 'resolved' }, context);
    const card = teams.cards[0] as { body: { text?: string; color?: string }[]; actions: { title: string }[]; msteams: Record<string, unknown> };
    expect(card.body[0]).toMatchObject({ text: 'Resolved: [Critical] #42 Disk usage above 90% on db-1', color: 'Good' });
    expect(card.actions.map((a) => a.title)).toEqual(['Open in Tocsin']);
    expect(card.msteams).toEqual({ width: 'Full' });
  });

  it('a 429 is retried after Retry-After, never dropped; a wrong signature fails with the vendor code', async () => {
    teams.rateLimitNext();
    const s = settings({ webhook_url: teams.webhookUrl });
    expect(await teamsProvider.send(s, trigger, context)).toEqual({
      kind: 'retry',
      error: 'teams: HTTP 429: {"error":{"code":"WorkflowRequestsThrottled","message":"Rate limit is exceeded."}}',
      retryAfterMs: 30_000,
    });
    expect(await teamsProvider.send(s, trigger, context)).toEqual({ kind: 'sent' });
    const forged = settings({ webhook_url: teams.webhookUrl.replace(/sig=[^&]+/, 'sig=wrong') });
    expect(await teamsProvider.send(forged, trigger, context)).toEqual({ kind: 'failed', error: 'teams DirectApiInvalidAuthorizationSignature: The provided authorization signature is invalid.' });
  });

  it('cuts a huge text so the card stays under Teams’ 28 KB', async () => {
    const huge: IncidentMessage = { ...trigger, content: { text: '"告警"'.repeat(4000) } };
    expect(await teamsProvider.send(settings({ webhook_url: teams.webhookUrl }), huge, context)).toEqual({ kind: 'sent' });
    expect(Buffer.byteLength(teams.requests[0]?.rawBody ?? '', 'utf8')).toBeLessThanOrEqual(27_000);
  });

  it('validates the workflow URL and mentions', () => {
    expect(validateProviderSettings(teamsProvider, { webhook_url: 'https://example.com/hook', mentions: 'not a mention' }).map((e) => e.field)).toEqual([
      'settings.webhook_url',
      'settings.mentions',
    ]);
  });
});
