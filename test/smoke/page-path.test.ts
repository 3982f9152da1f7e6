import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTocsin, createLogger, type Tocsin } from '../../src/app/wire.js';
import { freePort } from '../harness/alertmanager.js';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();

/** POSTs a standard event without the harness (to any node). */
async function pushTo(base: string, key: string, body: unknown): Promise<number> {
  const response = await fetch(`${base}/event/push/alert/standard?integration_key=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

describe.each(dialects)('the page path (group commit, first page, mute, disabled channels) on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it('answers each request of a burst on its own: bad ones 400, the rest 200, one alert per key', async () => {
    const channel = await h.channel('Burst');
    const { key } = await h.integration(channel.id, 'standard');
    const requests = Array.from({ length: 50 }, (_, i) => {
      if (i % 10 === 3) return { body: { title_rule: 'bad', event_status: 'critical', alert_key: 'same' }, expected: 400 };
      // A stray NUL (PostgreSQL text cannot store it) is cleaned, not answered with a 500.
      if (i % 10 === 7) return { body: { title_rule: 'Disk full\u0000', event_status: 'Critical', alert_key: 'same' }, expected: 200 };
      return { body: { title_rule: 'Disk full', event_status: 'Critical', alert_key: 'same' }, expected: 200 };
    });
    const statuses = await Promise.all(requests.map((r) => pushTo(h.url, key, r.body)));
    expect(statuses).toEqual(requests.map((r) => r.expected));
    const alerts = await h.alerts(channel.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ alert_key: 'same', title: 'Disk full', event_count: 45 });
    expect(await h.incidents(channel.id)).toHaveLength(1);
  });

  it('opens exactly one incident for concurrent new alerts of one group', async () => {
    const channel = await h.channel('Same group');
    await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, { grouping: { mode: 'rules', by: ['labels.cluster'], window: { kind: 'off' } } });
    const { key } = await h.integration(channel.id, 'standard');
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => pushTo(h.url, key, { title_rule: `node ${i} down`, event_status: 'Warning', alert_key: `node-${i}`, labels: { cluster: 'eu-1' } })),
    );
    expect(statuses.every((s) => s === 200) && statuses.length === 30).toBe(true);
    expect(await h.alerts(channel.id)).toHaveLength(30);
    const incidents = await h.incidents(channel.id);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.alert_count).toBe(30);
  });

  it('writes the first page in the ingest commit: outbox row at the 2xx, no escalate job for level 1', async () => {
    const hook = await HttpPeer.start();
    try {
      const chat = await h.provider('webhook', 'First page chat', { url: `${hook.url}/first-page` });
      const channel = await h.channel('First page');
      const { key } = await h.integration(channel.id, 'standard');
      const levels = [
        { targets: { group_chats: [chat] }, methods: { kind: 'preferences' }, escalate_after_min: 10 },
        { targets: { group_chats: [chat] }, methods: { kind: 'preferences' }, escalate_after_min: 10 },
      ];
      expect((await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Now', spec: { levels } })).status).toBe(201);
      expect(await pushTo(h.url, key, { title_rule: 'Checkout down', event_status: 'Critical', alert_key: 'checkout' })).toBe(200);
      const [incident] = await h.incidents(channel.id);
      const db = h.tocsin.db.kysely;
      const messages = await db.selectFrom('messages').select(['provider_id', 'status']).where('incident_id', '=', incident?.id ?? '').execute();
      expect(messages).toEqual([{ provider_id: chat, status: 'pending' }]);
      const escalateJobs = await db.selectFrom('jobs').select('key').where('kind', '=', 'escalate').where('key', 'like', `escalate:${incident?.id ?? ''}:%`).execute();
      // Only level 2 waits in a job; level 1 never had one.
      expect(escalateJobs.map((j) => j.key)).toEqual([`escalate:${incident?.id ?? ''}:0:1:0:0`]);
    } finally {
      await hook.close();
    }
  });

  it('keeps an escalate job for level 1 when the rule delays the first page', async () => {
    const channel = await h.channel('Delayed first page');
    const { key } = await h.integration(channel.id, 'standard');
    const me = await h.person('responder', 'Delayed Dora');
    const spec = { delay_seconds: 60, levels: [{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 10 }] };
    expect((await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Later', spec })).status).toBe(201);
    expect(await pushTo(h.url, key, { title_rule: 'Queue backlog', event_status: 'Warning', alert_key: 'queue' })).toBe(200);
    const [incident] = await h.incidents(channel.id);
    const db = h.tocsin.db.kysely;
    expect(await db.selectFrom('messages').select('id').where('incident_id', '=', incident?.id ?? '').execute()).toEqual([]);
    const jobs = await db.selectFrom('jobs').select(['key', 'run_at']).where('key', 'like', `escalate:${incident?.id ?? ''}:%`).execute();
    expect(jobs).toEqual([{ key: `escalate:${incident?.id ?? ''}:0:0:0:0`, run_at: h.clock.now() + 60_000 }]);
  });

  it('mutes a flapping alert in mute mode: its incident opens snoozed and pages when the mute ends', async () => {
    const hook = await HttpPeer.start();
    try {
      const chat = await h.provider('webhook', 'Mute chat', { url: `${hook.url}/mute` });
      const channel = await h.channel('Muted flapping');
      expect((await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, { flapping: { mode: 'mute', max_changes: 4, in_mins: 60, mute_mins: 30 } })).status).toBe(200);
      const levels = [{ targets: { group_chats: [chat] }, methods: { kind: 'preferences' }, escalate_after_min: 60 }];
      expect((await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Chat', spec: { levels } })).status).toBe(201);
      const { key } = await h.integration(channel.id, 'standard');
      const send = (status: string) => pushTo(h.url, key, { title_rule: 'flappy', event_status: status, alert_key: 'flap' });
      for (const status of ['Critical', 'Ok', 'Critical', 'Ok']) {
        expect(await send(status)).toBe(200);
        await h.advance('2m');
      }
      expect(await send('Critical')).toBe(200); // the 5th change: flapping, muted for 30 minutes
      const [incident] = await h.incidents(channel.id, 'triggered');
      const db = h.tocsin.db.kysely;
      const pages = () => db.selectFrom('messages').select('id').where('incident_id', '=', incident?.id ?? '').execute();
      const row = await db.selectFrom('incidents').select('snoozed_until').where('id', '=', incident?.id ?? '').executeTakeFirstOrThrow();
      expect(row.snoozed_until).toBe(h.clock.now() + 30 * 60_000);
      await h.advance('29m');
      expect(await pages()).toEqual([]);
      await h.advance('2m');
      expect(await pages()).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('drops events for a disabled channel: answered 200 with the reason, counted, never stored or paged', async () => {
    const channel = await h.channel('Disabled');
    const { id: integrationId, key } = await h.integration(channel.id, 'standard');
    expect((await h.admin.patch(`/api/v1/channels/${channel.id}`, { disabled: true })).status).toBe(200);
    const pushed = await h.push<{ data: { dropped?: { alert_key: string; reason: string }[] } }>(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Ignored', event_status: 'Critical', alert_key: 'off' });
    expect(pushed.status).toBe(200);
    expect(pushed.body.data.dropped).toEqual([{ alert_key: 'off', reason: 'the channel is disabled' }]);
    expect(await h.alerts(channel.id)).toEqual([]);
    expect(await h.incidents(channel.id)).toEqual([]);
    const activity = await h.admin.get<{ counts: { accepted: number; dropped: number } }>(`/api/v1/integrations/${integrationId}/activity`);
    expect(activity.body.counts).toMatchObject({ accepted: 0, dropped: 1 });
    // Enabled again, the next event is stored at once (the change reached the ingest cache).
    expect((await h.admin.patch(`/api/v1/channels/${channel.id}`, { disabled: false })).status).toBe(200);
    expect(await pushTo(h.url, key, { title_rule: 'Back', event_status: 'Critical', alert_key: 'on' })).toBe(200);
    expect(await h.alerts(channel.id)).toHaveLength(1);
  });

  it('finds an inhibiting alert however many newer alerts are open, also for a rule created after it', { timeout: 60_000 }, async () => {
    const channel = await h.channel('Inhibit index');
    const { key } = await h.integration(channel.id, 'standard');
    const send = (alertKey: string, alertname: string, node: string) =>
      pushTo(h.url, key, { title_rule: `${alertname} on ${node}`, event_status: 'Warning', alert_key: alertKey, labels: { alertname, node } });
    expect(await send('node-a', 'NodeDown', 'a')).toBe(200);
    const source = (await h.alerts(channel.id))[0];
    // 1 200 newer open alerts (more than any bounded scan of recent alerts would look at).
    const now = h.clock.now();
    const db = h.tocsin.db.kysely;
    for (let start = 0; start < 1200; start += 400) {
      const rows = Array.from({ length: 400 }, (_, j) => ({
        id: `zz${String(start + j).padStart(8, '0')}`,
        channel_id: channel.id,
        integration_id: null,
        incident_id: null,
        alert_key: `filler-${start + j}`,
        title: 'filler',
        description: '',
        severity: 'Warning',
        status: 'Warning',
        labels_json: JSON.stringify({ alertname: 'Filler', node: `f${start + j}` }),
        suppressed_by: null,
        event_count: 1,
        state: 'active',
        flapping: 0,
        flap_changes: '[]',
        muted_until: null,
        first_event_at: now,
        last_event_at: now,
        recovered_at: null,
        created_at: now,
      }));
      await db.insertInto('alerts').values(rows).execute();
    }
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/inhibit-rules`, {
      name: 'node down hides its services',
      spec: { source: [[{ key: 'labels.alertname', op: 'in', values: ['NodeDown'] }]], target: [[{ key: 'labels.alertname', op: 'in', values: ['ServiceSlow'] }]], equal: ['node'] },
    });
    expect(rule.status).toBe(201);
    expect(await send('svc-a', 'ServiceSlow', 'a')).toBe(200);
    expect(await send('svc-b', 'ServiceSlow', 'b')).toBe(200);
    const stored = await db.selectFrom('alerts').select(['alert_key', 'state', 'suppressed_by']).where('channel_id', '=', channel.id).where('alert_key', 'in', ['svc-a', 'svc-b']).orderBy('alert_key').execute();
    expect(stored).toEqual([
      { alert_key: 'svc-a', state: 'inhibited', suppressed_by: source?.id },
      { alert_key: 'svc-b', state: 'active', suppressed_by: null },
    ]);
    // Once the source recovers, a new target alert on the same node is no longer inhibited.
    expect(await pushTo(h.url, key, { title_rule: 'NodeDown on a', event_status: 'Ok', alert_key: 'node-a' })).toBe(200);
    expect(await send('svc-a2', 'ServiceSlow', 'a')).toBe(200);
    const after = await db.selectFrom('alerts').select('state').where('channel_id', '=', channel.id).where('alert_key', '=', 'svc-a2').executeTakeFirstOrThrow();
    expect(after.state).toBe('active');
  });

  it.runIf(dialect === 'postgres')('keeps one alert per key and one incident per group when two nodes ingest at once', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const second: Tocsin = await buildTocsin({ config: { ...h.tocsin.config, port }, clock: h.clock, logger: createLogger({ logLevel: 'silent' }) });
    try {
      const secondUrl = await second.app.listen({ port, host: '127.0.0.1' });
      const channel = await h.channel('Two nodes');
      await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, { grouping: { mode: 'rules', by: ['labels.cluster'], window: { kind: 'off' } } });
      const { key } = await h.integration(channel.id, 'standard');
      const sends = Array.from({ length: 60 }, (_, i) => {
        const node = i % 2 === 0 ? h.url : secondUrl;
        // Every key is pushed three times, by both nodes; all keys share one group.
        return pushTo(node, key, { title_rule: `disk ${i % 20} full`, event_status: 'Critical', alert_key: `disk-${i % 20}`, labels: { cluster: 'us-1' } });
      });
      const statuses = await Promise.all(sends);
      expect(statuses.filter((s) => s === 200)).toHaveLength(60);
      const alerts = await h.alerts(channel.id);
      expect(alerts).toHaveLength(20);
      expect(alerts.reduce((sum, a) => sum + a.event_count, 0)).toBe(60);
      const incidents = await h.incidents(channel.id);
      expect(incidents).toHaveLength(1);
      expect(incidents[0]?.alert_count).toBe(20);
    } finally {
      await second.close();
    }
  });
});
