import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

describe.each(dialects)('alert ingestion on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it('walks the seed journey: event → alert + incident → Ok → recovered and auto-closed', async () => {
    const channel = await h.channel('Seed journey');
    const integration = await h.integration(channel.id, 'standard');
    expect(integration.key).toMatch(/^[0-9a-f]{32}$/);
    expect(integration.pushUrl).toBe(`${h.tocsin.config.publicUrl}/event/push/alert/standard?integration_key=${integration.key}`);

    const fired = await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, {
      title_rule: 'CPU high on $host',
      event_status: 'Critical',
      alert_key: 'cpu-web-1',
      labels: { host: 'web-1', service: 'checkout' },
    });
    expect(fired.status).toBe(200);
    expect(fired.body).toMatchObject({ request_id: expect.any(String), data: { alert_key: 'cpu-web-1' } });

    const [incident] = await h.incidents(channel.id);
    expect(incident).toMatchObject({ title: 'CPU high on web-1', severity: 'Critical', status: 'triggered', alert_count: 1, channel_id: channel.id });
    expect(incident?.number).toBeGreaterThan(0);
    const [alert] = await h.alerts(channel.id);
    expect(alert).toMatchObject({ alert_key: 'cpu-web-1', incident_id: incident?.id, status: 'Critical', state: 'active' });

    // An identical event only counts; it writes no timeline entry.
    await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'CPU high on $host', event_status: 'Critical', alert_key: 'cpu-web-1', labels: { host: 'web-1', service: 'checkout' } });
    expect((await h.alerts(channel.id))[0]?.event_count).toBe(2);
    const timelineBefore = await h.admin.get<{ data: { kind: string }[] }>(`/api/v1/incidents/${incident?.id}/timeline`);
    // The channel has no escalation rule: the timeline says nobody is notified.
    expect(timelineBefore.body.data.map((e) => e.kind)).toEqual(['created', 'not_assigned']);

    const recovered = await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'CPU high on $host', event_status: 'Ok', alert_key: 'cpu-web-1' });
    expect(recovered.status).toBe(200);
    expect((await h.alerts(channel.id))[0]).toMatchObject({ status: 'Ok' });
    const closed = await h.admin.get<{ status: string; closed_at: number }>(`/api/v1/incidents/${incident?.id}`);
    expect(closed.body).toMatchObject({ status: 'closed', closed_at: expect.any(Number) });
    const timeline = await h.admin.get<{ data: { kind: string }[] }>(`/api/v1/incidents/${incident?.id}/timeline`);
    expect(timeline.body.data.map((e) => e.kind)).toEqual(['created', 'not_assigned', 'alert_recovered', 'resolved']);

    // A new trigger for the recovered key opens a new alert and a new incident.
    await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'CPU high again', event_status: 'Warning', alert_key: 'cpu-web-1' });
    expect(await h.alerts(channel.id)).toHaveLength(2);
    expect(await h.incidents(channel.id, 'triggered')).toHaveLength(1);

    const activity = await h.admin.get<{ last_event_at: number; counts: { accepted: number }; raw_events: unknown[] }>(`/api/v1/integrations/${integration.id}/activity`);
    expect(activity.body.last_event_at).toBe(h.clock.now());
    expect(activity.body.counts.accepted).toBe(4);
    expect(activity.body.raw_events).toHaveLength(4);
  });

  it('accepts an Ok for an unknown key and ignores it; derives a stable key when none is given', async () => {
    const channel = await h.channel('Keys');
    const { key } = await h.integration(channel.id, 'standard');
    const ok = await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'x', event_status: 'Ok', alert_key: 'never-seen' });
    expect(ok.status).toBe(200);
    expect(await h.alerts(channel.id)).toHaveLength(0);
    const first = await h.push<{ data: { alert_key: string } }>(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Disk full', event_status: 'Warning', labels: { b: '2', a: '1' } });
    const second = await h.push<{ data: { alert_key: string } }>(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Disk full', event_status: 'Warning', labels: { a: '1', b: '2' } });
    expect(first.body.data.alert_key).toMatch(/^[0-9a-f]{32}$/);
    expect(second.body.data.alert_key).toBe(first.body.data.alert_key);
    expect(await h.alerts(channel.id)).toHaveLength(1);
  });

  it('answers bad input with a 4xx naming the field, and counts it as rejected', async () => {
    const channel = await h.channel('Bad input');
    const integration = await h.integration(channel.id, 'standard');
    const path = `/event/push/alert/standard?integration_key=${integration.key}`;
    const cases: [unknown, string][] = [
      [{ event_status: 'Critical' }, 'title_rule'],
      [{ title_rule: 't', event_status: 'critical' }, 'event_status'],
      [{ title_rule: 't', event_status: 'Critical', labels: { host: 42 } }, 'labels.host'],
      [{ title_rule: 't', event_status: 'Ok' }, 'alert_key'],
    ];
    for (const [body, field] of cases) {
      const response = await h.push(path, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'InvalidParameter', field, message: expect.stringContaining(field) }, request_id: expect.any(String) });
    }
    // Unparseable JSON is refused before the integration is looked up, so it is not counted against it.
    expect((await h.push(path, '{not json')).body).toMatchObject({ error: { code: 'InvalidParameter', field: 'body' } });
    expect((await h.push('/event/push/alert/standard?integration_key=0123456789abcdef0123456789abcdef', { title_rule: 't', event_status: 'Info' })).status).toBe(401);
    expect((await h.push('/event/push/alert/standard', { title_rule: 't', event_status: 'Info' })).status).toBe(401);
    expect((await h.push(`/event/push/alert/prometheus?integration_key=${integration.key}`, { alerts: [] })).body).toMatchObject({ error: { field: 'integration_key' } });
    const activity = await h.admin.get<{ counts: { rejected: number } }>(`/api/v1/integrations/${integration.id}/activity`);
    expect(activity.body.counts.rejected).toBe(4);
  });

  it('groups alerts by labels within the window and opens a new incident after it', async () => {
    const channel = await h.channel('Grouping');
    await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, { grouping: { mode: 'rules', by: ['labels.cluster'], window: { kind: 'fixed', minutes: 10 } } });
    const { key } = await h.integration(channel.id, 'standard');
    const send = (alertKey: string, cluster: string, severity = 'Warning') =>
      h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: `alert ${alertKey}`, event_status: severity, alert_key: alertKey, labels: { cluster } });
    await send('a1', 'eu-1');
    await h.advance('3m');
    await send('a2', 'eu-1', 'Critical');
    await send('b1', 'us-1');
    let incidents = await h.incidents(channel.id);
    expect(incidents).toHaveLength(2);
    const eu = incidents.find((i) => i.labels.cluster === 'eu-1');
    expect(eu).toMatchObject({ alert_count: 2, severity: 'Critical', title: 'alert a1' });
    await h.advance('8m');
    await send('a3', 'eu-1');
    incidents = await h.incidents(channel.id);
    expect(incidents).toHaveLength(3);
    expect(incidents.find((i) => i.id === eu?.id)?.alert_count).toBe(2);
  });

  it('routes a shared integration to two channels, and to the default when no case matches', async () => {
    const team = await h.team('Routing owners');
    const db = await h.channel('MySQL routed', { teamId: team.id });
    const noc = await h.channel('NOC routed', { teamId: team.id });
    const fallback = await h.channel('Fallback routed', { teamId: team.id });
    const created = await h.admin.post<{ integration_key: string }>('/api/v1/integrations', {
      name: 'Shared Alertmanager',
      source: 'standard',
      team_id: team.id,
      settings: {
        routing: {
          cases: [{ if: [[{ key: 'labels.team', op: 'in', values: ['db'] }]], channels: [db.id, noc.id] }],
          default: [fallback.id],
        },
      },
    });
    expect(created.status).toBe(201);
    const key = created.body.integration_key;
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'replication lag', event_status: 'Critical', alert_key: 'lag', labels: { team: 'db' } });
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'something else', event_status: 'Info', alert_key: 'other', labels: { team: 'web' } });
    expect((await h.incidents(db.id)).map((i) => i.title)).toEqual(['replication lag']);
    expect((await h.incidents(noc.id)).map((i) => i.title)).toEqual(['replication lag']);
    expect((await h.incidents(fallback.id)).map((i) => i.title)).toEqual(['something else']);

    const noDefault = await h.admin.post<{ integration_key: string }>('/api/v1/integrations', {
      name: 'Shared without default',
      source: 'standard',
      team_id: team.id,
      settings: { routing: { cases: [{ if: [[{ key: 'labels.team', op: 'in', values: ['db'] }]], channels: [db.id] }] } },
    });
    const unrouted = await h.push(`/event/push/alert/standard?integration_key=${noDefault.body.integration_key}`, { title_rule: 'lost', event_status: 'Info', alert_key: 'x' });
    expect(unrouted.status).toBe(422);
    expect(unrouted.body).toMatchObject({ error: { code: 'Unroutable', message: expect.stringContaining('no routing rule matched') } });
  });

  it('silences matching alerts (no incident) until the silence expires', async () => {
    const channel = await h.channel('Silenced');
    const { key } = await h.integration(channel.id, 'standard');
    const now = h.clock.now();
    const silence = await h.admin.post(`/api/v1/channels/${channel.id}/silences`, {
      name: 'maintenance of db-1',
      spec: { filter: [[{ key: 'labels.host', op: 'in', values: ['db-1'] }]], time: { kind: 'range', start: now, end: now + 30 * 60_000 } },
    });
    expect(silence.status).toBe(201);
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'db down', event_status: 'Critical', alert_key: 'db', labels: { host: 'db-1' } });
    expect(await h.incidents(channel.id)).toHaveLength(0);
    expect((await h.alerts(channel.id))[0]).toMatchObject({ state: 'silenced', incident_id: null });
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'db down', event_status: 'Ok', alert_key: 'db' });
    await h.advance('31m');
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'db down', event_status: 'Critical', alert_key: 'db', labels: { host: 'db-1' } });
    expect(await h.incidents(channel.id)).toHaveLength(1);
  });

  it('inhibits a target alert while an active source alert with equal labels exists', async () => {
    const channel = await h.channel('Inhibited');
    const { key } = await h.integration(channel.id, 'standard');
    await h.admin.post(`/api/v1/channels/${channel.id}/inhibit-rules`, {
      name: 'node down hides its services',
      spec: { source: [[{ key: 'labels.alertname', op: 'in', values: ['NodeDown'] }]], target: [[{ key: 'severity', op: 'in', values: ['Warning'] }]], equal: ['node'] },
    });
    const send = (alertKey: string, alertname: string, node: string, status = 'Warning') =>
      h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: `${alertname} on ${node}`, event_status: status, alert_key: alertKey, labels: { alertname, node } });
    await send('node-a', 'NodeDown', 'a', 'Critical');
    await send('svc-a', 'ServiceSlow', 'a');
    await send('svc-b', 'ServiceSlow', 'b');
    const alerts = await h.alerts(channel.id);
    expect(alerts.find((a) => a.alert_key === 'svc-a')).toMatchObject({ state: 'inhibited', incident_id: null });
    expect(alerts.find((a) => a.alert_key === 'svc-b')).toMatchObject({ state: 'active' });
    expect(await h.incidents(channel.id)).toHaveLength(2);
  });

  it('drops matching events before dedup: counted, never stored', async () => {
    const channel = await h.channel('Dropping');
    const integration = await h.integration(channel.id, 'standard');
    await h.admin.post(`/api/v1/channels/${channel.id}/drop-rules`, { name: 'ignore test envs', spec: { filter: [[{ key: 'labels.env', op: 'in', values: ['test*'] }]] } });
    const dropped = await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'noise', event_status: 'Critical', alert_key: 'n', labels: { env: 'test-3' } });
    expect(dropped.status).toBe(200);
    await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'real', event_status: 'Critical', alert_key: 'r', labels: { env: 'prod' } });
    expect((await h.alerts(channel.id)).map((a) => a.alert_key)).toEqual(['r']);
    const activity = await h.admin.get<{ counts: { accepted: number; dropped: number } }>(`/api/v1/integrations/${integration.id}/activity`);
    expect(activity.body.counts).toMatchObject({ accepted: 1, dropped: 1 });
  });

  it('marks an alert key flapping after the fifth trigger/recover change within the hour', async () => {
    const channel = await h.channel('Flapping');
    const { key } = await h.integration(channel.id, 'standard');
    const send = (status: string) => h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'flappy', event_status: status, alert_key: 'flap' });
    // Changes: trigger (1), recover (2), trigger (3), recover (4) — not yet flapping.
    for (const status of ['Critical', 'Ok', 'Critical', 'Ok']) {
      await send(status);
      await h.advance('2m');
    }
    await send('Critical'); // the 5th change within the hour
    const newest = (await h.alerts(channel.id))[0];
    const earlier = (await h.alerts(channel.id))[1];
    expect(earlier?.flapping).toBe(false);
    expect(newest?.flapping).toBe(true);
    const timeline = await h.admin.get<{ data: { kind: string }[] }>(`/api/v1/incidents/${newest?.incident_id}/timeline`);
    expect(timeline.body.data.map((e) => e.kind)).toContain('flapping');
  });

  it('answers 429 beyond the integration rate limit', async () => {
    const channel = await h.channel('Rate limited');
    const { key } = await h.integration(channel.id, 'standard', { rate_limit: { per_second: 3, per_minute: 1000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: `e${i}`, event_status: 'Info', alert_key: `k${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    await h.advance('1s');
    expect((await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'later', event_status: 'Info', alert_key: 'k9' })).status).toBe(200);
  });

  it('hides a private channel’s incidents from outsiders', async () => {
    const { client: outsider } = await h.person('responder');
    const channel = await h.channel('Private incidents', { private: true });
    const { key } = await h.integration(channel.id, 'standard');
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'secret', event_status: 'Critical', alert_key: 's' });
    const [incident] = await h.incidents(channel.id);
    expect((await outsider.get(`/api/v1/incidents/${incident?.id}`)).status).toBe(404);
    const listed = await outsider.get<{ data: { id: string }[] }>('/api/v1/incidents?limit=100');
    expect(listed.body.data.map((i) => i.id)).not.toContain(incident?.id);
    expect((await outsider.get(`/api/v1/incidents?channel_id=${channel.id}`)).status).toBe(404);
  });
});
