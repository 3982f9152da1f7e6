import { Agent } from 'node:http';
import { openDatabase } from '../../src/db/connect.js';
import { post } from '../load.js';
import { peakRssMb } from './ingest.js';
import type { DialectName } from '../../test/harness/databases.js';
import { BenchServer } from '../server.js';
import { ArrivalSink } from '../sink.js';

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

function summary(values: number[]) {
  values.sort((a, b) => a - b);
  return { count: values.length, p50Ms: Math.round(percentile(values, 50)), p99Ms: Math.round(percentile(values, 99)), maxMs: Math.round(values.at(-1) ?? 0) };
}

/** A channel whose rule posts level 1 to `<pathPrefix>-1` and, `escalateMin` later, level 2 to `<pathPrefix>-2` (default `/level`). */
export async function setUp(server: BenchServer, sink: ArrivalSink, name: string, escalateMin: number, pathPrefix = '/level'): Promise<string> {
  const url = await server.standardIntegration(name);
  const channels = await server.api<{ data: { id: string }[] }>('GET', `/api/v1/channels?q=${encodeURIComponent(name)}`);
  const channelId = channels.data[0]?.id ?? '';
  const level1 = await server.api('POST', '/api/v1/notification-providers', { provider: 'webhook', name: `${name} L1`, settings: { url: `${sink.url}${pathPrefix}-1` } });
  const level2 = await server.api('POST', '/api/v1/notification-providers', { provider: 'webhook', name: `${name} L2`, settings: { url: `${sink.url}${pathPrefix}-2` } });
  await server.api('POST', `/api/v1/channels/${channelId}/escalation-rules`, {
    name: 'bench',
    spec: {
      levels: [
        { targets: { group_chats: [level1.id] }, methods: { kind: 'preferences' }, escalate_after_min: escalateMin },
        { targets: { group_chats: [level2.id] }, methods: { kind: 'preferences' }, escalate_after_min: escalateMin },
      ],
    },
  });
  return url;
}

const WARM_UP_SECONDS = 3;

/** Open-loop sender: `rate` new-incident events per second for `seconds`; returns each title's send time. */
async function sendAtRate(url: string, rate: number, seconds: number, prefix: string, onTick?: (i: number) => void): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  const total = rate * seconds;
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const started = Date.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    onTick?.(i);
    const title = `${prefix} ${i}`;
    sent.set(title, Date.now());
    inFlight.push(post(agent, target, JSON.stringify({ title_rule: title, event_status: 'Critical', alert_key: title })));
    if (inFlight.length > 1024) await Promise.all(inFlight.splice(0, 512));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return sent;
}

/** Waits until every sent title arrived at `path` (or the deadline); returns the latencies and how many never came. */
async function arrivals(sink: ArrivalSink, path: string, sent: Map<string, number>, waitMs: number) {
  const deadline = Date.now() + waitMs;
  while ([...sent.keys()].some((t) => !sink.arrivals.has(`${path}|${t}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const latencies: number[] = [];
  let missing = 0;
  for (const [title, at] of sent) {
    const arrived = sink.arrivals.get(`${path}|${title}`);
    if (arrived === undefined) missing += 1;
    else latencies.push(arrived - at);
  }
  return { missing, ...summary(latencies) };
}

/**
 * Ingest → first provider request at a sustained rate of new incidents in one channel (DESIGN §8:
 * p99 ≤ 50 ms SQLite / 100 ms PostgreSQL at 1 000/s), and fairness: during that storm, a single new
 * incident every 100 ms in another channel, whose first page must not wait behind the storm (p99 ≤ 100 ms).
 * The storm is measured after WARM_UP_SECONDS at the same rate; the first second of the warm-up is
 * reported too (`cold_start`).
 */
export async function firstNotificationLatency(dialect: DialectName, rate: number, seconds: number) {
  const server = await BenchServer.start(dialect);
  const sink = await ArrivalSink.start();
  try {
    const url = await setUp(server, sink, `latency ${dialect} ${rate}`, 30);
    const quietUrl = await setUp(server, sink, `quiet ${dialect} ${rate}`, 30, '/quiet');
    // A running server is warm: three seconds at the same rate first (statement shapes compiled,
    // JIT tiers, heap and SQLite cache grown, connections to the receiver open — with one second the
    // first second of the storm still backed up), then the measured storm. The first second of the
    // warm-up is reported on its own as `cold_start`.
    const warm = await sendAtRate(url, rate, WARM_UP_SECONDS, `warm-${rate}`);
    const coldStart = await arrivals(sink, '/level-1', new Map([...warm].slice(0, rate)), 30_000);
    await arrivals(sink, '/level-1', warm, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    const quiet = new Map<string, number>();
    const quietAgent = new Agent({ keepAlive: true, maxSockets: 4 });
    const probes: Promise<unknown>[] = [];
    const every = Math.max(1, Math.round(rate / 10));
    const sent = await sendAtRate(url, rate, seconds, `lat-${rate}`, (i) => {
      if (i % every !== every - 1) return;
      const title = `quiet ${i}`;
      quiet.set(title, Date.now());
      probes.push(post(quietAgent, new URL(quietUrl), JSON.stringify({ title_rule: title, event_status: 'Critical', alert_key: title })));
    });
    await Promise.all(probes);
    quietAgent.destroy();
    const storm = await arrivals(sink, '/level-1', sent, 30_000);
    const fairness = await arrivals(sink, '/quiet-1', quiet, 10_000);
    return { dialect, events_per_second: rate, seconds, ...storm, other_channel_first_page: fairness, cold_start: coldStart, rss_mb: peakRssMb(server.pid) };
  } finally {
    await sink.close();
    await server.stop();
  }
}

/** N incidents whose level 2 falls due in the same minute: how late after its due time each is sent. */
export async function escalationStorm(dialect: DialectName, incidents: number) {
  const server = await BenchServer.start(dialect);
  const sink = await ArrivalSink.start();
  try {
    const url = await setUp(server, sink, `storm ${dialect}`, 1);
    const rate = 500;
    await sendAtRate(url, rate, Math.ceil(incidents / rate), 'storm');
    const deadline = Date.now() + 180_000;
    const level2 = () => [...sink.arrivals.keys()].filter((k) => k.startsWith('/level-2|')).length;
    while (level2() < incidents && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    // Due time of each level-2 step = its job's run_at.
    const db = openDatabase({ dataDir: server.database.dataDir, databaseUrl: server.database.databaseUrl });
    try {
      const jobs = await db.kysely.selectFrom('jobs').select(['key', 'run_at']).where('kind', '=', 'escalate').where('key', 'like', '%:0:1:0:0').execute();
      const titles = new Map((await db.kysely.selectFrom('incidents').select(['id', 'title']).execute()).map((r) => [r.id, r.title]));
      const rows = jobs.map((j) => ({ run_at: j.run_at, title: titles.get(j.key.split(':')[1] ?? '') ?? '' }));
      const lateness: number[] = [];
      for (const row of rows) {
        const arrived = sink.arrivals.get(`/level-2|${row.title}`);
        if (arrived !== undefined) lateness.push(Math.max(0, arrived - Number(row.run_at)));
      }
      return { dialect, incidents, level2_sent: level2(), due_to_sent: summary(lateness) };
    } finally {
      await db.close();
    }
  } finally {
    await sink.close();
    await server.stop();
  }
}
