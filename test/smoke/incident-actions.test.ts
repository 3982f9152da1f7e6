import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

interface Incident {
  id: string;
  status: string;
  snoozed_until: number | null;
  acknowledged_at: number | null;
}

describe.each(dialects)('incident actions on %s', (dialect) => {
  let h: Harness;
  let push: (alertKey: string) => Promise<unknown>;
  let channelId: string;
  beforeAll(async () => {
    h = await Harness.start(dialect);
    const channel = await h.channel('Actions');
    channelId = channel.id;
    const { key } = await h.integration(channel.id, 'standard');
    push = (alertKey) => h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: alertKey, event_status: 'Critical', alert_key: alertKey });
  });
  afterAll(async () => h?.stop());

  async function newIncident(alertKey: string): Promise<Incident> {
    await push(alertKey);
    const list = await h.incidents(channelId);
    return list[0] as unknown as Incident;
  }

  const timelineKinds = async (id: string) => (await h.admin.get<{ data: { kind: string }[] }>(`/api/v1/incidents/${id}/timeline`)).body.data.map((e) => e.kind);

  it('acknowledges, and goes back to Triggered only when every acknowledger withdraws', async () => {
    const incident = await newIncident('ack-unack');
    const { client: other } = await h.person('responder');
    expect((await h.admin.post<Incident>(`/api/v1/incidents/${incident.id}/ack`)).body.status).toBe('processing');
    expect((await other.post<Incident>(`/api/v1/incidents/${incident.id}/ack`)).body.status).toBe('processing');
    expect((await h.admin.post<Incident>(`/api/v1/incidents/${incident.id}/unack`)).body.status).toBe('processing');
    const back = await other.post<Incident>(`/api/v1/incidents/${incident.id}/unack`);
    expect(back.body).toMatchObject({ status: 'triggered', acknowledged_at: null });
    expect(await timelineKinds(incident.id)).toEqual(['created', 'not_assigned', 'acknowledged', 'acknowledged', 'unacknowledged', 'unacknowledged']);
  });

  it('snoozes for a while, then wakes by itself as Triggered', async () => {
    const incident = await newIncident('snooze');
    await h.admin.post(`/api/v1/incidents/${incident.id}/ack`);
    const snoozed = await h.admin.post<Incident>(`/api/v1/incidents/${incident.id}/snooze`, { minutes: 120 });
    expect(snoozed.body.snoozed_until).toBe(h.clock.now() + 120 * 60_000);
    expect((await h.admin.post(`/api/v1/incidents/${incident.id}/snooze`, { minutes: 0 })).body).toMatchObject({ error: { field: 'minutes' } });
    await h.advance('119m');
    expect((await h.admin.get<Incident>(`/api/v1/incidents/${incident.id}`)).body.snoozed_until).not.toBeNull();
    await h.advance('2m');
    expect((await h.admin.get<Incident>(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ status: 'triggered', snoozed_until: null });
    expect(await timelineKinds(incident.id)).toContain('woken');
  });

  it('wakes early by hand; a stale wake job then does nothing', async () => {
    const incident = await newIncident('wake-early');
    await h.admin.post(`/api/v1/incidents/${incident.id}/snooze`, { minutes: 60 });
    expect((await h.admin.post<Incident>(`/api/v1/incidents/${incident.id}/wake`)).body.snoozed_until).toBeNull();
    await h.advance('61m');
    expect((await timelineKinds(incident.id)).filter((k) => k === 'woken')).toHaveLength(1);
  });

  it('resolves with a root cause, and reopens only with a reason', async () => {
    const incident = await newIncident('resolve');
    const resolved = await h.admin.post<Incident & { root_cause: string }>(`/api/v1/incidents/${incident.id}/resolve`, { root_cause: 'bad deploy', resolution: 'rolled back' });
    expect(resolved.body).toMatchObject({ status: 'closed', root_cause: 'bad deploy' });
    const alerts = await h.admin.get<{ data: { status: string }[] }>(`/api/v1/incidents/${incident.id}/alerts`);
    expect(alerts.body.data.every((a) => a.status === 'Ok')).toBe(true);
    expect((await h.admin.post(`/api/v1/incidents/${incident.id}/reopen`, { reason: '  ' })).body).toMatchObject({ error: { field: 'reason' } });
    expect((await h.admin.post<Incident>(`/api/v1/incidents/${incident.id}/reopen`, { reason: 'came back' })).body.status).toBe('triggered');
    await h.admin.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'Looking into **it**' });
    expect(await timelineKinds(incident.id)).toEqual(['created', 'not_assigned', 'resolved', 'reopened', 'commented']);
  });

  it('lets viewers read incidents but not act on them', async () => {
    const incident = await newIncident('viewer');
    const { client: viewer } = await h.person('viewer');
    expect((await viewer.get(`/api/v1/incidents/${incident.id}`)).status).toBe(200);
    expect((await viewer.post(`/api/v1/incidents/${incident.id}/ack`)).status).toBe(403);
  });
});
