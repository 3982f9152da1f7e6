import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();

/** The value of one sample in Prometheus text format, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each(dialects)('self-monitoring metrics on %s', (dialect) => {
  let h: Harness;
  let room: HttpPeer;
  let key: string;

  beforeAll(async () => {
    h = await Harness.start(dialect);
    room = await HttpPeer.start();
    const providerId = await h.provider('webhook', 'Room', { url: `${room.url}/room` });
    const channel = await h.channel('Metered');
    await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Room',
      // A delay keeps level 1 as an engine job (without one it is written in the ingest commit), so there is a job to lag.
      spec: { delay_seconds: 30, levels: [{ targets: { group_chats: [providerId] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    key = (await h.integration(channel.id, 'standard')).key;
  });
  afterAll(async () => {
    await h?.stop();
    await room?.close();
  });

  const scrape = async () => (await fetch(`${h.url}/metrics`)).text();

  it('reports outbox depth and age, job lag, deliveries by provider and result, ingest by source and outcome', async () => {
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'metered', event_status: 'Critical' });
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: '', event_status: 'Critical' });
    // Time passes without the engine running: the delayed escalation job (due after 30 s) waits.
    h.clock.advance(45_000);
    let text = await scrape();
    expect(sample(text, 'tocsin_ingest_requests_total', 'source="standard",outcome="accepted"')).toBe(1);
    expect(sample(text, 'tocsin_ingest_requests_total', 'source="standard",outcome="rejected"')).toBe(1);
    expect(sample(text, 'tocsin_engine_job_lag_seconds')).toBeGreaterThanOrEqual(15);
    expect(sample(text, 'tocsin_engine_jobs_due')).toBeGreaterThanOrEqual(1);

    // The room fails once: the page stays in the outbox, and ages once its retry is due.
    room.respondWith(500, 'down');
    await h.advance('0s');
    expect(room.requests).toHaveLength(1);
    text = await scrape();
    expect(sample(text, 'tocsin_engine_job_lag_seconds')).toBe(0);
    expect(sample(text, 'tocsin_outbox_depth')).toBe(1);
    h.clock.advance(3_600_000 - 60_000);
    expect(sample(await scrape(), 'tocsin_outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);

    await h.advance('0s');
    expect(room.requests).toHaveLength(2);
    text = await scrape();
    expect(sample(text, 'tocsin_outbox_depth')).toBe(0);
    expect(sample(text, 'tocsin_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(sample(text, 'tocsin_notification_deliveries_last_hour', 'provider="webhook",result="sent"')).toBe(1);
    expect(sample(text, 'tocsin_live_clients')).toBe(0);
  });
});
