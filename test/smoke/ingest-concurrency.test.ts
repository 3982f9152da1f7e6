import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTocsin, createLogger, type Tocsin } from '../../src/app/wire.js';
import { freePort } from '../harness/alertmanager.js';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

/** POSTs a standard event without the harness (to any node). */
async function pushTo(base: string, key: string, body: unknown): Promise<number> {
  const response = await fetch(`${base}/event/push/alert/standard?integration_key=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

describe.each(dialects)('concurrent ingest (group commit) on %s', (dialect) => {
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
