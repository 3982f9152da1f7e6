import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alertmanager, alertmanagerAvailable } from '../harness/alertmanager.js';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = alertmanagerAvailable() ? await testDialects() : [];

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

describe.each(dialects)('the real Prometheus Alertmanager as a client, on %s', (dialect) => {
  let h: Harness;
  let am: Alertmanager;
  let channelId: string;
  beforeAll(async () => {
    h = await Harness.start(dialect);
    const channel = await h.channel('Alertmanager e2e');
    channelId = channel.id;
    const integration = await h.integration(channel.id, 'prometheus');
    am = await Alertmanager.start(integration.pushUrl.replace(h.tocsin.config.publicUrl, h.url), { groupBy: ['alertname', 'instance'] });
  });
  afterAll(async () => {
    await am?.stop();
    await h?.stop();
  });

  it('turns firing alerts into incidents and resolved ones into recoveries', async () => {
    await am.fire([
      { labels: { alertname: 'HighLatency', instance: 'api-1:9100', severity: 'critical' }, annotations: { summary: 'p99 latency above 2s on api-1' } },
      { labels: { alertname: 'HighLatency', instance: 'api-2:9100', severity: 'warning' }, annotations: { summary: 'p99 latency above 1s on api-2' } },
    ]);
    const incidents = await eventually(
      () => h.incidents(channelId),
      (list) => list.length === 2,
    );
    expect(incidents.map((i) => [i.title, i.severity]).sort()).toEqual([
      ['p99 latency above 1s on api-2', 'Warning'],
      ['p99 latency above 2s on api-1', 'Critical'],
    ]);
    const alerts = await h.alerts(channelId);
    // Alertmanager's fingerprint is the alert key.
    expect(alerts.every((a) => /^[0-9a-f]{16}$/.test(a.alert_key))).toBe(true);

    await am.fire([{ labels: { alertname: 'HighLatency', instance: 'api-1:9100', severity: 'critical' }, annotations: { summary: 'p99 latency above 2s on api-1' }, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    const afterResolve = await eventually(
      () => h.incidents(channelId, 'closed'),
      (list) => list.length === 1,
    );
    expect(afterResolve[0]?.title).toBe('p99 latency above 2s on api-1');
    expect(await h.incidents(channelId, 'triggered')).toHaveLength(1);
  });
});
