import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { SseClient } from '../harness/sse.js';
import type { ApiClient } from '../harness/client.js';

const dialects = await testDialects();

describe.each(dialects)('live updates (SSE) on %s', (dialect) => {
  let h: Harness;
  const streams: SseClient[] = [];
  let privateKey: string;
  let publicKey: string;
  let member: ApiClient;
  let memberKey: string;
  let outsiderKey: string;

  const keyOf = async (client: ApiClient) => (await client.post<{ key: string }>('/api/v1/me/api-keys', { name: 'stream' })).body.key;
  const open = async (apiKey: string, lastEventId?: string) => {
    const stream = await SseClient.open(`${h.url}/api/v1/stream`, { authorization: `Bearer ${apiKey}`, ...(lastEventId && { 'last-event-id': lastEventId }) });
    streams.push(stream);
    return stream;
  };
  const fire = (key: string, alertKey: string) => h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: alertKey, event_status: 'Critical', alert_key: alertKey });

  beforeAll(async () => {
    h = await Harness.start(dialect);
    const m = await h.person('responder', 'Member');
    const o = await h.person('responder', 'Outsider');
    member = m.client;
    const team = await h.team('Private owners', [m.person]);
    const privateChannel = await h.channel('Live private', { teamId: team.id, private: true });
    const publicChannel = await h.channel('Live public');
    privateKey = (await h.integration(privateChannel.id, 'standard')).key;
    publicKey = (await h.integration(publicChannel.id, 'standard')).key;
    memberKey = await keyOf(member);
    outsiderKey = await keyOf(o.client);
  });
  afterAll(async () => {
    for (const stream of streams) await stream.close();
    await h?.stop();
  });

  it('streams an acknowledgement within a second, and nothing of a private channel to an outsider', { timeout: 30_000 }, async () => {
    const memberStream = await open(memberKey);
    const outsiderStream = await open(outsiderKey);
    await fire(privateKey, 'private-1');
    const created = await memberStream.waitFor((e) => e.event === 'incident.created' && e.data.title === 'private-1', 5000);
    const incidentId = String(created.data.id);
    expect(created.id).toBeTruthy();
    await memberStream.waitFor((e) => e.event === 'alert.created' && e.data.incident_id === incidentId, 5000);

    const acked = await member.post<{ status: string }>(`/api/v1/incidents/${incidentId}/ack`);
    const ackedAt = Date.now();
    expect(acked.body.status).toBe('processing');
    const updated = await memberStream.waitFor((e) => e.event === 'incident.updated' && e.data.id === incidentId && e.data.status === 'processing', 1000);
    expect(updated.at - ackedAt).toBeLessThan(1000);
    await memberStream.waitFor((e) => e.event === 'incident.timeline' && e.data.incident_id === incidentId && e.data.kind === 'acknowledged', 1000);

    // The outsider's stream works (a public incident arrives) but carries nothing about the private one.
    await fire(publicKey, 'public-1');
    await outsiderStream.waitFor((e) => e.event === 'incident.created' && e.data.title === 'public-1', 5000);
    await memberStream.waitFor((e) => e.event === 'incident.created' && e.data.title === 'public-1', 5000);
    expect(outsiderStream.events.length).toBeGreaterThan(0);
    const leaked = outsiderStream.events.filter((e) => JSON.stringify(e.data).includes(incidentId) || e.data.title === 'private-1');
    expect(leaked).toEqual([]);
  });

  it('resumes after Last-Event-ID with what was missed, and only that', { timeout: 30_000 }, async () => {
    const first = await open(memberKey);
    await fire(privateKey, 'resume-1');
    const created = await first.waitFor((e) => e.event === 'incident.created' && e.data.title === 'resume-1', 5000);
    const incidentId = String(created.data.id);
    await first.waitFor((e) => e.event === 'alert.created' && e.data.incident_id === incidentId, 5000);
    const lastSeen = first.events[first.events.length - 1];
    await first.close();

    expect((await member.post(`/api/v1/incidents/${incidentId}/comments`, { body: 'while you were away' })).status).toBe(201);
    const resumed = await open(memberKey, lastSeen?.id);
    const comment = await resumed.waitFor((e) => e.event === 'incident.timeline' && e.data.kind === 'commented', 5000);
    expect(comment.data.incident_id).toBe(incidentId);
    expect(resumed.events.some((e) => e.id === created.id)).toBe(false);

    // An id the server no longer knows asks the client to reload rather than silently missing changes.
    const stale = await open(memberKey, 't:00000000-0000-7000-8000-000000000000');
    await stale.waitFor((e) => e.event === 'reset', 5000);
  });

  it('refuses a stream without credentials', async () => {
    const response = await fetch(`${h.url}/api/v1/stream`);
    expect(response.status).toBe(401);
  });
});
