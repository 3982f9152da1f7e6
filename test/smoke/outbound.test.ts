import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();

interface Delivery {
  readonly method: string;
  readonly status: string;
  readonly last_error: string | null;
}

describe.each(dialects)('outbound requests (SSRF, issue 10 item 16) on %s', (dialect) => {
  let h: Harness;
  let hook: HttpPeer;
  let counter = 0;

  beforeAll(async () => {
    // 127.0.0.2 plays the internal service (metadata endpoint, admin port); the fake peer on 127.0.0.1 is allowed.
    h = await Harness.start(dialect, { env: { TOCSIN_OUTBOUND_DENY: '127.0.0.2/32,169.254.0.0/16' } });
    hook = await HttpPeer.start();
  });
  afterAll(async () => {
    await h?.stop();
    await hook?.close();
  });

  /** A channel paging one webhook provider; returns the incident the alert opened, after delivery ran. */
  async function pageWebhook(url: string): Promise<{ id: string }> {
    counter += 1;
    const providerId = await h.provider('webhook', `Hook ${counter}`, { url });
    const channel = await h.channel(`Outbound ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Default',
      spec: { levels: [{ targets: { group_chats: [providerId] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: `page ${counter}`, event_status: 'Critical', alert_key: `k${counter}` });
    const [incident] = await h.incidents(channel.id);
    await h.advance('0s');
    return incident as { id: string };
  }

  it('refuses denied destinations in any spelling, after DNS, without sending a byte', async () => {
    const port = new URL(hook.url).port;
    for (const host of ['127.0.0.2', '0x7f000002', '2130706434', '169.254.169.254']) {
      const incident = await pageWebhook(`http://${host}:${port}/hook`);
      const deliveries = await h.admin.get<{ data: Delivery[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
      expect(deliveries.body.data, host).toHaveLength(1);
      expect(deliveries.body.data[0]?.last_error, host).toContain('refused by TOCSIN_OUTBOUND_DENY');
    }
    expect(hook.requests).toEqual([]);
  });

  it('still reaches allowed destinations', async () => {
    const incident = await pageWebhook(`${hook.url}/allowed`);
    await hook.waitFor((r) => r.path === '/allowed');
    const deliveries = await h.admin.get<{ data: Delivery[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(deliveries.body.data.map((d) => d.status)).toEqual(['sent']);
  });

  it('shows the body of a failed delivery to admins only', async () => {
    hook.respondWith(500, 'root:x:0:0 internal answer');
    const incident = await pageWebhook(`${hook.url}/failing`);
    await hook.waitFor((r) => r.path === '/failing');
    const asAdmin = await h.admin.get<{ data: Delivery[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(asAdmin.body.data[0]?.last_error).toContain('root:x:0:0 internal answer');
    const responder = await h.person('responder');
    const asResponder = await responder.client.get<{ data: Delivery[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(asResponder.status).toBe(200);
    expect(asResponder.body.data[0]?.last_error).toContain('HTTP 500');
    expect(asResponder.body.data[0]?.last_error).not.toContain('internal answer');
  });
});
