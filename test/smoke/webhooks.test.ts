import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { SmtpPeer } from '../harness/peers/smtp-peer.js';
import { HttpPeer, type CapturedRequest } from '../harness/peers/http-peer.js';

const dialects = await testDialects();
const SECRET = 'a-shared-secret-0123456789';

interface Delivery {
  event_id: string;
  event_type: string;
  status: string;
  attempts: { attempt: number; response_status: number | null; error: string | null }[];
}

describe.each(dialects)('outbound webhooks on %s', (dialect) => {
  let h: Harness;
  let smtp: SmtpPeer;
  let receiver: HttpPeer;
  let alice: { person: Person; client: ApiClient };
  let channelId: string;
  let fire: (title: string) => Promise<string>;

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    smtp = await SmtpPeer.start();
    receiver = await HttpPeer.start();
    await h.provider('smtp', 'Company mail', { host: '127.0.0.1', port: smtp.port, secure: false, starttls: false, tls_verify: false, from: 'oncall@tocsin.example' });
    alice = await h.person('responder', 'Alice Oncall');
    await h.verifyEmail(alice.client, alice.person.id);
    await alice.client.put('/api/v1/me/notification-preferences', { Critical: ['email'], Warning: ['email'], Info: ['email'] });
    const channel = await h.channel('Webhooked');
    channelId = channel.id;
    const { key } = await h.integration(channel.id, 'standard');
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Alice',
      spec: { levels: [{ targets: { people: [alice.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status).toBe(201);
    fire = async (title) => {
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
      const [incident] = await h.incidents(channel.id);
      return (incident as { id: string }).id;
    };
  });
  afterAll(async () => {
    await h?.stop();
    await smtp?.close();
    await receiver?.close();
  });

  /** Runs due engine jobs (the feed scan is queued just after a commit) until `done` holds. */
  async function until(done: () => boolean, step = '0s'): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('condition not met within 10 s');
      await new Promise((r) => setTimeout(r, 30));
      await h.advance(step);
    }
  }

  const hookRequests = () => receiver.requests.filter((r) => r.path === '/hook');
  const verify = (request: CapturedRequest) => request.headers['x-tocsin-signature'] === `sha256=${createHmac('sha256', SECRET).update(request.rawBody).digest('hex')}`;

  it('validates subscriptions and leaves them to administrators', async () => {
    const bad = await h.admin.post<{ error: { field: string; message: string } }>('/api/v1/webhooks', { url: 'ftp://example.com', events: ['incident.exploded'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/url|events/);
    const refused = await alice.client.post('/api/v1/webhooks', { url: `${receiver.url}/x`, events: ['*'] });
    expect(refused.status).toBe(403);
  });

  it('retries after two 5xx answers, delivers on the third, signed, with the real assignees', { timeout: 60_000 }, async () => {
    const created = await h.admin.post<{ id: string; secret: string }>('/api/v1/webhooks', { url: `${receiver.url}/hook`, events: ['incident.acknowledged'], channel_ids: [channelId], secret: SECRET });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe(SECRET);
    const generated = await h.admin.post<{ id: string; secret: string }>('/api/v1/webhooks', { url: `${receiver.url}/other`, events: ['alert.created'], enabled: false });
    expect(generated.body.secret.length).toBeGreaterThanOrEqual(24);

    const incidentId = await fire('Disk full');
    await h.advance('0s');
    expect(smtp.messages.some((m) => m.envelope.to.includes(alice.person.email))).toBe(true);

    receiver.respondWith(500, 'down');
    receiver.respondWith(503, 'still down');
    expect((await alice.client.post(`/api/v1/incidents/${incidentId}/ack`)).status).toBe(200);
    await until(() => hookRequests().length >= 1);
    await until(() => hookRequests().length >= 2, '40s');
    await until(() => hookRequests().length >= 3, '80s');
    await h.advance('30m');

    const requests = hookRequests();
    expect(requests).toHaveLength(3);
    const bodies = requests.map((r) => JSON.parse(r.body) as { event_id: string; event_type: string; incident: { id: string; assignees: { id: string; name: string }[]; responders: { id: string }[]; severity: string; labels: object; links: { console: string } } });
    expect(new Set(bodies.map((b) => b.event_id)).size).toBe(1);
    expect(requests.every(verify)).toBe(true);
    expect(requests.some((r) => r.headers['x-tocsin-signature'] === `sha256=${createHmac('sha256', 'wrong secret').update(r.rawBody).digest('hex')}`)).toBe(false);
    const body = bodies[0];
    expect(body?.event_type).toBe('incident.acknowledged');
    expect(body?.incident.id).toBe(incidentId);
    expect(body?.incident.assignees.map((a) => a.name)).toEqual(['Alice Oncall']);
    expect(body?.incident.responders.map((r) => r.id)).toContain(alice.person.id);
    expect(body?.incident.severity).toBe('Critical');
    expect(body?.incident.links.console).toContain(`/incidents/${incidentId}`);

    const history = await h.admin.get<{ data: Delivery[] }>(`/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(history.body.data).toHaveLength(1);
    const [delivery] = history.body.data;
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts.map((a) => a.response_status)).toEqual([500, 503, 200]);
    // The disabled subscription received nothing.
    expect(receiver.requests.filter((r) => r.path === '/other')).toHaveLength(0);
  });

  it('sends a test event on demand, and nothing once disabled', { timeout: 60_000 }, async () => {
    const created = await h.admin.post<{ id: string }>('/api/v1/webhooks', { url: `${receiver.url}/second`, events: ['*'], secret: SECRET });
    const tested = await h.admin.post<{ status: string; response_status: number }>(`/api/v1/webhooks/${created.body.id}/test`);
    expect(tested.body).toMatchObject({ status: 'delivered', response_status: 200 });
    const testRequest = receiver.requests.filter((r) => r.path === '/second').at(-1);
    expect(testRequest && verify(testRequest)).toBe(true);

    const incidentId = await fire('Every event');
    await until(() => receiver.requests.some((r) => r.path === '/second' && r.body.includes('"incident.created"')));
    expect(receiver.requests.some((r) => r.path === '/second' && r.body.includes('"alert.created"'))).toBe(true);

    expect((await h.admin.patch(`/api/v1/webhooks/${created.body.id}`, { enabled: false })).status).toBe(200);
    const before = receiver.requests.length;
    expect((await h.admin.post(`/api/v1/incidents/${incidentId}/resolve`, {})).status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      await h.advance('1s');
    }
    expect(receiver.requests.slice(before).filter((r) => r.path === '/second')).toHaveLength(0);
  });
});
