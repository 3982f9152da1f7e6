import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();

describe.each(dialects)('heartbeat integration on %s', (dialect) => {
  let h: Harness;
  let room: HttpPeer;
  let channelId: string;
  let pushUrl: string;
  let key: string;

  beforeAll(async () => {
    h = await Harness.start(dialect);
    room = await HttpPeer.start();
    const providerId = await h.provider('webhook', 'Ops room', { url: `${room.url}/room` });
    const channel = await h.channel('Cron jobs');
    channelId = channel.id;
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Room',
      spec: { levels: [{ targets: { group_chats: [providerId] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    const created = await h.admin.post<{ integration_key: string; push_url: string }>(`/api/v1/channels/${channel.id}/integrations`, {
      name: 'Nightly backup',
      source: 'heartbeat',
      settings: { interval_s: 60, grace_s: 30 },
    });
    expect(created.status).toBe(201);
    key = created.body.integration_key;
    pushUrl = created.body.push_url;
  });
  afterAll(async () => {
    await h?.stop();
    await room?.close();
  });

  const beat = async (method: 'GET' | 'POST') => (await fetch(`${h.url}/event/push/heartbeat?integration_key=${key}`, { method })).status;

  it('refuses bad settings and keys of other integrations', async () => {
    const bad = await h.admin.post<{ error: { field: string } }>(`/api/v1/channels/${channelId}/integrations`, { name: 'x', source: 'heartbeat', settings: { interval_s: 1, grace_s: -5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('settings.interval_s');
    const standard = await h.integration(channelId, 'standard');
    expect((await fetch(`${h.url}/event/push/heartbeat?integration_key=${standard.key}`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${h.url}/event/push/heartbeat?integration_key=${'0'.repeat(32)}`)).status).toBe(401);
  });

  it('opens an incident and pages when a beat is missed, and recovers on the next beat', { timeout: 60_000 }, async () => {
    expect(pushUrl).toContain('/event/push/heartbeat?integration_key=');
    expect(await beat('POST')).toBe(200);
    await h.advance('80s');
    expect(await beat('GET')).toBe(200);
    // 80 s + 60 s interval + 30 s grace = 170 s: still fine at 169 s.
    await h.advance('89s');
    expect(await h.incidents(channelId)).toHaveLength(0);
    expect(room.requests).toHaveLength(0);

    await h.advance('2s');
    const [incident] = await h.incidents(channelId);
    expect(incident?.title).toBe('Heartbeat missed: Nightly backup');
    expect(incident?.severity).toBe('Critical');
    expect(incident?.status).toBe('triggered');
    await h.advance('0s');
    expect(room.requests.filter((r) => r.body.includes('Heartbeat missed'))).toHaveLength(1);

    expect(await beat('POST')).toBe(200);
    const [recovered] = await h.incidents(channelId);
    expect(recovered?.status).toBe('closed');
    const alerts = await h.alerts(channelId);
    expect(alerts.filter((a) => a.status === 'Ok')).toHaveLength(1);

    // Re-armed by that beat: silence again opens a new incident.
    await h.advance('91s');
    expect((await h.incidents(channelId)).filter((i) => i.status === 'triggered')).toHaveLength(1);

    // Opsgenie's heartbeat ping recovers it too (GenieKey = the integration key).
    const pong = await fetch(`${h.url}/v2/heartbeats/nightly-backup/ping`, { headers: { authorization: `GenieKey ${key}` } });
    expect(pong.status).toBe(202);
    expect(((await pong.json()) as { result: string }).result).toMatch(/PONG/);
    expect((await h.incidents(channelId)).filter((i) => i.status === 'triggered')).toHaveLength(0);
    expect((await fetch(`${h.url}/v2/heartbeats/nightly-backup/ping`, { method: 'POST', headers: { authorization: 'GenieKey nope' } })).status).toBe(401);
  });
});
