import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/db/connect.js';
import { newId } from '../../src/core/ids.js';
import { Alertmanager } from '../../test/harness/alertmanager.js';
import type { DialectName } from '../../test/harness/databases.js';
import { runLoad, type LoadResult } from '../load.js';
import { BenchServer } from '../server.js';
import { ArrivalSink } from '../sink.js';
import { setUp } from './escalation.js';

// DESIGN §8: ingest rates are measured with at least 64 concurrent connections, for Tocsin and Alertmanager alike.
const CONCURRENCY = 64;

function standardEvent(i: number, prefix: string) {
  return JSON.stringify({ title_rule: `High latency on api-${i}`, event_status: 'Critical', alert_key: `${prefix}-${i}`, labels: { host: `api-${i}`, service: 'checkout', region: 'eu-1' } });
}

/** Peak resident set size of a process, from /proc (Linux). */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * New-alert and repeat (dedup) ingest throughput of one Tocsin on one dialect. Each new alert is a new
 * incident in a channel whose escalation rule pages a webhook (DESIGN §8), so the rate includes
 * writing the first page; repeats are identical events of open alerts.
 */
export async function ingestThroughput(dialect: DialectName, total: number): Promise<{ newAlerts: LoadResult; dedup: LoadResult; dedupRatio: number; pagesReceived: number; peakRssMb: number | undefined }> {
  const server = await BenchServer.start(dialect);
  const sink = await ArrivalSink.start();
  try {
    const url = await setUp(server, sink, `bench ${dialect}`, 30);
    await runLoad(500, CONCURRENCY, (i) => ({ url, body: standardEvent(i, 'warmup') }));
    const newAlerts = await runLoad(total, CONCURRENCY, (i) => ({ url, body: standardEvent(i, 'new') }));
    // The new alerts' pages still being delivered would be measured as the dedup path's cost: the
    // repeats start once the outbox holds nothing waiting (bounded wait).
    await outboxDrained(server, 120_000);
    // The same alerts again: identical events take the dedup path.
    const dedup = await runLoad(total, CONCURRENCY, (i) => ({ url, body: standardEvent(i % 500, 'new') }));
    return { newAlerts, dedup, dedupRatio: Math.round((dedup.perSecond / newAlerts.perSecond) * 100) / 100, pagesReceived: sink.arrivals.size, peakRssMb: peakRssMb(server.pid) };
  } finally {
    await sink.close();
    await server.stop();
  }
}

/** Waits until the server's outbox has nothing pending or being sent (or `waitMs` passes). */
async function outboxDrained(server: BenchServer, waitMs: number): Promise<void> {
  const db = openDatabase({ dataDir: server.database.dataDir, databaseUrl: server.database.databaseUrl });
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const row = await db.kysely.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('waiting')).where('status', 'in', ['pending', 'sending']).executeTakeFirst();
      if (Number(row?.waiting ?? 0) === 0 || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await db.close();
  }
}

/** The reference: the real Alertmanager ingesting the same number of new alerts, one per request. */
export async function alertmanagerThroughput(total: number): Promise<LoadResult> {
  const am = await Alertmanager.start('http://127.0.0.1:9/unused');
  try {
    const alert = (i: number, prefix: string) =>
      JSON.stringify([{ labels: { alertname: 'HighLatency', instance: `api-${i}`, prefix, service: 'checkout', region: 'eu-1', severity: 'critical' }, annotations: { summary: `High latency on api-${i}` } }]);
    await runLoad(500, CONCURRENCY, (i) => ({ url: `${am.url}/api/v2/alerts`, body: alert(i, 'warmup') }));
    return await runLoad(total, CONCURRENCY, (i) => ({ url: `${am.url}/api/v2/alerts`, body: alert(i, 'new') }));
  } finally {
    await am.stop();
  }
}

/** Ingest rate and peak memory with `openAlerts` open alerts already in the channel (SQLite). */
export async function withOpenAlerts(openAlerts: number, total: number): Promise<{ openAlerts: number; newAlerts: LoadResult; peakRssMb: number | undefined }> {
  const server = await BenchServer.start('sqlite');
  try {
    const url = await server.standardIntegration(`open ${openAlerts}`);
    const channels = await server.api<{ data: { id: string; name: string }[] }>('GET', `/api/v1/channels?q=${encodeURIComponent(`open ${openAlerts}`)}`);
    const channelId = channels.data[0]?.id ?? '';
    const db = openDatabase({ dataDir: server.database.dataDir });
    try {
      const now = Date.now();
      for (let start = 0; start < openAlerts; start += 1000) {
        const rows = Array.from({ length: Math.min(1000, openAlerts - start) }, (_, j) => {
          const i = start + j;
          return {
            id: newId(now),
            channel_id: channelId,
            integration_id: null,
            incident_id: null,
            alert_key: `preloaded-${i}`,
            title: `Preloaded alert ${i}`,
            description: '',
            severity: 'Warning',
            status: 'Warning',
            labels_json: JSON.stringify({ host: `host-${i}` }),
            suppressed_by: null,
            event_count: 1,
            state: 'active',
            flapping: 0,
            flap_changes: '[]',
            muted_until: null,
            first_event_at: now,
            last_event_at: now,
            recovered_at: null,
            created_at: now,
          };
        });
        await db.kysely.insertInto('alerts').values(rows).execute();
      }
    } finally {
      await db.close();
    }
    await runLoad(200, CONCURRENCY, (i) => ({ url, body: standardEvent(i, 'warmup') }));
    const newAlerts = await runLoad(total, CONCURRENCY, (i) => ({ url, body: standardEvent(i, 'new') }));
    return { openAlerts, newAlerts, peakRssMb: peakRssMb(server.pid) };
  } finally {
    await server.stop();
  }
}
