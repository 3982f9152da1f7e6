/**
 * `npx tsx bench/cpu-cost.ts [sqlite|postgres] [requests]`: the server's CPU time per new incident,
 * from the push to its first page delivered (ingest and delivery together), read from
 * /proc/<pid>/stat. Unlike events per second this hardly depends on what else the machine runs, so it
 * compares two versions of the page path on a shared host. Also prints the ingest rate it saw.
 * Run `npm run build:server` first.
 */
import { readFileSync } from 'node:fs';
import type { DialectName } from '../test/harness/databases.js';
import { runLoad } from './load.js';
import { BenchServer } from './server.js';
import { ArrivalSink } from './sink.js';
import { setUp } from './scenarios/escalation.js';

const dialect = (process.argv[2] ?? 'sqlite') as DialectName;
const requests = Number(process.argv[3] ?? 4000);

/** User + system CPU milliseconds of a process so far. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const server = await BenchServer.start(dialect);
const sink = await ArrivalSink.start();
try {
  const url = await setUp(server, sink, `cpu ${dialect}`, 30);
  const pid = server.pid ?? 0;
  // Warm-up: the first statements of each shape compile and prepare.
  await runLoad(200, 16, (i) => ({ url, body: JSON.stringify({ title_rule: `warm ${i}`, event_status: 'Critical', alert_key: `warm-${i}` }) }));
  while ([...sink.arrivals.keys()].filter((k) => k.includes('|warm ')).length < 200) await new Promise((r) => setTimeout(r, 50));
  const before = cpuMs(pid);
  const load = await runLoad(requests, 64, (i) => ({ url, body: JSON.stringify({ title_rule: `cost ${i}`, event_status: 'Critical', alert_key: `cost-${i}`, labels: { host: `api-${i}`, service: 'checkout' } }) }));
  const deadline = Date.now() + 300_000;
  while ([...sink.arrivals.keys()].filter((k) => k.includes('|cost ')).length < requests && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const spent = cpuMs(pid) - before;
  const delivered = [...sink.arrivals.keys()].filter((k) => k.includes('|cost ')).length;
  process.stdout.write(`${JSON.stringify({ dialect, requests, delivered, cpuMsPerPage: Number((spent / requests).toFixed(3)), ingestPerSecond: load.perSecond, errors: load.errors })}\n`);
} finally {
  await server.stop();
  await sink.close();
}
