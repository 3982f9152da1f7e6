import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { openDatabase, type Db } from '../../src/db/connect.js';
import { deliverLoop } from '../../src/engine/modules/deliver.js';
import { claimDueMessages, findMessage, queueMessage, settleMessage } from '../../src/notify/outbox.js';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two nodes' delivery loops on one database, on the real clock with short leases, against a vendor
 * that answers more slowly than a lease lasts.
 */
describe.each(dialects)('delivery leases on %s', (dialect) => {
  let h: Harness;
  let peer: HttpPeer;
  let nodeA: Db;
  let nodeB: Db;
  let providerId: string;
  let incident: { id: string; number: number };

  beforeAll(async () => {
    h = await Harness.start(dialect);
    peer = await HttpPeer.start();
    providerId = await h.provider('webhook', 'Slow room', { url: `${peer.url}/slow` });
    const channel = await h.channel('Leases');
    const { key } = await h.integration(channel.id, 'standard');
    await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Lease test', event_status: 'Critical', alert_key: 'lease' });
    incident = (await h.incidents(channel.id))[0] as { id: string; number: number };
    const config = { dataDir: h.tocsin.config.dataDir, databaseUrl: h.tocsin.config.databaseUrl };
    nodeA = openDatabase(config);
    nodeB = openDatabase(config);
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await h?.stop();
    await peer?.close();
  });

  const loop = (db: Db, worker: string, leaseMs: number) =>
    deliverLoop({
      db: db.engine,
      dialect: db.dialect,
      clock: systemClock,
      registry: h.tocsin.services.registry,
      secretKey: h.tocsin.config.secretKey,
      publicUrl: h.tocsin.config.publicUrl,
      log: quiet,
      worker,
      leaseMs,
      wake: () => undefined,
    });
  const queue = async (key: string) =>
    (await queueMessage(
      h.tocsin.db.kysely,
      { key, incidentId: incident.id, personId: null, providerId, method: 'webhook', kind: 'trigger', recipient: { kind: 'group_chat', name: 'Slow room' }, payload: { level: 1 } },
      systemClock.now(),
    )) as string;
  const requestsFor = (messageId: string) => peer.requests.filter((r) => (JSON.parse(r.body) as { event_id: string }).event_id === messageId);

  it('renews the lease while a slow vendor answers, so another node never sends the same page', { timeout: 20_000 }, async () => {
    peer.delayMs = 1500;
    const id = await queue('lease:slow-vendor');
    const a = loop(nodeA, 'node-a', 300);
    const b = loop(nodeB, 'node-b', 300);
    expect(await a.runDue(systemClock.now())).toBe(1);
    // Node B looks again and again, for five lease lengths, while A waits on the vendor.
    let claimedByB = 0;
    for (let i = 0; i < 15; i += 1) {
      await sleep(100);
      claimedByB += await b.runDue(systemClock.now());
    }
    await a.drain();
    await b.drain();
    expect(claimedByB).toBe(0);
    expect(requestsFor(id)).toHaveLength(1);
    expect(await findMessage(h.tocsin.db.kysely, id)).toMatchObject({ status: 'sent', locked_by: null });
  });

  it('lets another node take over a row whose holder stopped renewing, and refuses the old holder its write', { timeout: 20_000 }, async () => {
    peer.delayMs = 0;
    const id = await queue('lease:crashed-holder');
    // A node claims the row and dies before calling the vendor: nobody renews its 300 ms lease.
    const [claimed] = await claimDueMessages(nodeA.engine, nodeA.dialect, 'crashed-node', systemClock.now(), 300, 10);
    expect(claimed?.id).toBe(id);
    const b = loop(nodeB, 'node-b', 300);
    expect(await b.runDue(systemClock.now())).toBe(0);
    await sleep(400);
    expect(await b.runDue(systemClock.now())).toBe(1);
    await b.drain();
    expect(requestsFor(id)).toHaveLength(1);
    expect(await findMessage(h.tocsin.db.kysely, id)).toMatchObject({ status: 'sent' });
    // The old holder coming back cannot overwrite what the new one recorded.
    expect(await settleMessage(nodeA.engine, id, 'crashed-node', { status: 'failed', last_error: 'late' })).toBe(false);
    expect(await findMessage(h.tocsin.db.kysely, id)).toMatchObject({ status: 'sent', last_error: null });
  });
});

/** A storm of pages in one channel does not queue another channel's page behind it. */
describe.each(dialects)('fair claiming of the outbox on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it("claims another channel's page in the first batch although four hundred older pages of a storm are due", { timeout: 60_000 }, async () => {
    const providerId = await h.provider('webhook', 'Fair room', { url: 'http://127.0.0.1:9/never-called' });
    const open = async (name: string) => {
      const channel = await h.channel(name);
      const { key } = await h.integration(channel.id, 'standard');
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: name, event_status: 'Critical', alert_key: name });
      return (await h.incidents(channel.id))[0] as { id: string };
    };
    const storm = await open('Storm channel');
    const quiet = await open('Quiet channel');
    const db = h.tocsin.db.kysely;
    const page = (incidentId: string, key: string, at: number) =>
      queueMessage(db, { key, incidentId, personId: null, providerId, method: 'webhook', kind: 'trigger', recipient: { kind: 'group_chat', name: 'Fair room' }, payload: { level: 1 } }, at);
    const now = h.clock.now();
    for (let i = 0; i < 400; i += 1) await page(storm.id, `storm:${i}`, now - 60_000 + i);
    const quietId = await page(quiet.id, 'quiet:0', now);
    const claimed = await claimDueMessages(db, h.tocsin.db.dialect, 'fair-node', now, 60_000, 50);
    expect(claimed).toHaveLength(50);
    expect(claimed.map((m) => m.id)).toContain(quietId);
  });
});
