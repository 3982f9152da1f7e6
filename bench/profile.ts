/**
 * `npx tsx bench/profile.ts [sqlite|postgres] [requests]`: runs the new-alert ingest scenario against a
 * server started with `node --cpu-prof`, then prints the functions with the most self time. The
 * profile itself is left in bench/results/profiles/ for Chrome DevTools. Run `npm run build:server` first.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DialectName } from '../test/harness/databases.js';
import { runLoad } from './load.js';
import { BenchServer } from './server.js';
import { ArrivalSink } from './sink.js';
import { setUp } from './scenarios/escalation.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

const dialect = (process.argv[2] ?? 'sqlite') as DialectName;
const requests = Number(process.argv[3] ?? 4000);
const dir = resolve('bench/results/profiles');
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));
const server = await BenchServer.start(dialect, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
const sink = await ArrivalSink.start();
const url = await setUp(server, sink, `profile ${dialect}`, 30);
const event = (i: number) => JSON.stringify({ title_rule: `High latency on api-${i}`, event_status: 'Critical', alert_key: `p-${i}`, labels: { host: `api-${i}`, service: 'checkout' } });
const result = await runLoad(requests, 64, (i) => ({ url, body: event(i) }));
process.stderr.write(`${JSON.stringify(result)}\n`);
await server.stop(60_000);
await sink.close();

const file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile of the server was written');
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
for (const id of profile.samples) {
  const frame = byId.get(id)?.callFrame;
  const where = frame ? `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '~/').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}` : '?';
  self.set(where, (self.get(where) ?? 0) + 1);
}
const total = profile.samples.length;
process.stdout.write(`${file}: ${total} samples\n`);
for (const [where, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stdout.write(`${((count / total) * 100).toFixed(1).padStart(5)}%  ${where}\n`);
