import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { TcpProxy } from '../harness/tcp-proxy.js';
import { createTestDatabase } from '../harness/databases.js';
import { openDatabase } from '../../src/db/connect.js';
import { openWakeChannel } from '../../src/db/wake.js';

const dialects = await testDialects();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  readonly key: string;
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | null;
  readonly code: string | undefined;
  readonly phase: string;
}

/**
 * PostgreSQL going away under load (DESIGN §5 "Faults"): a TCP proxy of the test's own sits between
 * Tocsin and the database and is cut — connections reset, then a black hole — while pushes keep coming.
 */
describe.runIf(dialects.includes('postgres'))('the database going away under load', () => {
  let h: Harness | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    await h?.stop();
    await proxy?.close();
  });

  it('answers 503 with Retry-After within the timeouts, reports not ready, and recovers without a restart losing nothing it accepted', { timeout: 90_000 }, async () => {
    proxy = await TcpProxy.start(Number(new URL(process.env.TOCSIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').port || 5432));
    const port = proxy.port;
    h = await Harness.start('postgres', {
      env: { TOCSIN_DB_CONNECT_TIMEOUT_MS: '1000', TOCSIN_DB_QUERY_TIMEOUT_MS: '1500' },
      databaseUrl: (url) => {
        const proxied = new URL(url);
        proxied.port = String(port);
        return proxied.toString();
      },
    });
    const harness = h;
    const channel = await harness.channel('Faults');
    const { key } = await harness.integration(channel.id, 'standard', { rate_limit: { per_second: 10_000, per_minute: 600_000 } });

    let phase = 'before';
    let counter = 0;
    let running = true;
    const answers: Answer[] = [];
    const pushOne = async () => {
      counter += 1;
      const alertKey = `fault-${counter}`;
      const started = Date.now();
      const response = await fetch(`${harness.url}/event/push/alert/standard?integration_key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title_rule: alertKey, event_status: 'Warning', alert_key: alertKey }),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
      answers.push({ key: alertKey, status: response.status, ms: Date.now() - started, retryAfter: response.headers.get('retry-after'), code: body.error?.code, phase });
    };
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (running) {
          await pushOne();
          await sleep(20);
        }
      }),
    );
    const readyz = async () => {
      const started = Date.now();
      const response = await fetch(`${harness.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
      return { status: response.status, ms: Date.now() - started };
    };

    await sleep(1000);
    phase = 'reset';
    proxy.reset();
    await sleep(2500);
    const readyDuringReset = await readyz();
    phase = 'black-hole';
    proxy.blackHole();
    await sleep(4000);
    const readyDuringBlackHole = await readyz();
    const alive = await fetch(`${harness.url}/healthz`);
    phase = 'restored';
    proxy.restore();
    let readyAfter = await readyz();
    for (let i = 0; i < 50 && readyAfter.status !== 200; i += 1) {
      await sleep(200);
      readyAfter = await readyz();
    }
    await sleep(2000);
    running = false;
    await load;

    expect(alive.status).toBe(200);
    expect(readyDuringReset.status).toBe(503);
    expect(readyDuringBlackHole.status).toBe(503);
    expect(readyDuringBlackHole.ms).toBeLessThan(3500);
    expect(readyAfter.status).toBe(200);

    // Every push got an answer that says what happened: stored (200) or "come back later" (503).
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.code === 'ServiceUnavailable' && a.retryAfter !== null)).toBe(true);
    // Within the connect/query timeouts (1 s / 1.5 s) plus a transaction's rollback, not for the outage's length.
    expect(refused.filter((a) => a.phase === 'black-hole').length).toBeGreaterThan(0);
    expect(Math.max(...refused.map((a) => a.ms))).toBeLessThan(6000);
    // Accepted again after the network came back, without a restart.
    const after = answers.filter((a) => a.phase === 'restored' && a.status === 200);
    expect(after.length).toBeGreaterThan(0);

    // Nothing that was answered 200 is missing (checked on a connection of our own, past the proxy).
    const accepted = answers.filter((a) => a.status === 200).map((a) => a.key);
    expect(accepted.length).toBeGreaterThan(0);
    const stored = await sql<{ alert_key: string }>`select alert_key from alerts where channel_id = ${channel.id}`.execute(harness.tocsin.db.kysely).catch(async () => {
      const direct = new pg.Client({ connectionString: harness.tocsin.config.databaseUrl?.replace(`:${port}/`, ':5432/') });
      await direct.connect();
      const rows = await direct.query<{ alert_key: string }>('select alert_key from alerts where channel_id = $1', [channel.id]);
      await direct.end();
      return { rows: rows.rows };
    });
    const storedKeys = new Set(stored.rows.map((r) => r.alert_key));
    expect(accepted.filter((k) => !storedKeys.has(k))).toEqual([]);
  });
});

describe.runIf(dialects.includes('postgres'))('starting while PostgreSQL is unreachable', () => {
  it('waits and retries instead of exiting, and is ready once the database is', { timeout: 60_000 }, async () => {
    const proxy = await TcpProxy.start(Number(new URL(process.env.TOCSIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').port || 5432));
    proxy.reset();
    const restored = sleep(2000).then(() => proxy.restore());
    const started = Date.now();
    const h = await Harness.start('postgres', {
      env: { TOCSIN_DB_CONNECT_TIMEOUT_MS: '500' },
      databaseUrl: (url) => {
        const proxied = new URL(url);
        proxied.port = String(proxy.port);
        return proxied.toString();
      },
    });
    try {
      await restored;
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect((await h.client().get('/readyz')).status).toBe(200);
    } finally {
      await h.stop();
      await proxy.close();
    }
  });
});

describe.runIf(dialects.includes('postgres'))('engine wake-ups between nodes', () => {
  it('LISTENs again by itself after its connection was reset', { timeout: 30_000 }, async () => {
    const database = await createTestDatabase('postgres');
    const proxy = await TcpProxy.start(Number(new URL(database.databaseUrl ?? '').port || 5432));
    const db = openDatabase(database);
    const proxied = new URL(database.databaseUrl ?? '');
    proxied.port = String(proxy.port);
    let wakes = 0;
    const channel = await openWakeChannel(db, proxied.toString(), () => (wakes += 1), undefined, 1000);
    const waitFor = async (condition: () => boolean) => {
      for (let i = 0; i < 100 && !condition(); i += 1) await sleep(100);
      return condition();
    };
    try {
      wakes = 0;
      channel.notify();
      expect(await waitFor(() => wakes > 0)).toBe(true);
      proxy.reset();
      await sleep(500);
      proxy.restore();
      // Reconnected: it wakes its engine once on its own (to catch up), then hears other nodes again.
      expect(await waitFor(() => wakes > 1)).toBe(true);
      const before = wakes;
      channel.notify();
      expect(await waitFor(() => wakes > before)).toBe(true);
    } finally {
      await channel.close();
      await db.close();
      await proxy.close();
      await database.drop();
    }
  });
});

/** SQLite whose file cannot grow any more (a full disk): writes are refused with the real cause, reads go on. */
describe('a full disk under SQLite', () => {
  let h: Harness | undefined;
  afterAll(async () => h?.stop());

  it('answers pushes 503 naming the cause, keeps serving reads, and accepts again once there is room', async () => {
    h = await Harness.start('sqlite');
    const harness = h;
    const channel = await harness.channel('Full disk');
    const { key } = await harness.integration(channel.id, 'standard');
    const push = (alertKey: string) => harness.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: alertKey, event_status: 'Warning', alert_key: alertKey, description: 'x'.repeat(2000) });
    expect((await push('before')).status).toBe(200);
    // The file may not grow by a single page: exactly what a full disk looks like to SQLite.
    const db = harness.tocsin.db.kysely;
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${Number(pages.rows[0]?.page_count)}`).execute(db);

    const refused = await push('while full');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(refused.body).toMatchObject({ error: { code: 'ServiceUnavailable', message: expect.stringContaining('full') } });
    const listed = await harness.alerts(channel.id);
    expect(listed.map((a) => a.alert_key)).toEqual(['before']);

    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    expect((await push('after')).status).toBe(200);
    expect((await harness.alerts(channel.id)).map((a) => a.alert_key).sort()).toEqual(['after', 'before']);
  });
});
