/**
 * `npx tsx bench/profile.ts [sqlite|postgres] [requests]`: runs the new-alert ingest scenario against a
 * server started with `node --cpu-prof`, then prints where the time under load goes: by area of the
 * page path (SQLite, Kysely, outbound client, HTTP server, GC…) and the functions with the most self time. The
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
  readonly children?: readonly number[];
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
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** True when any frame of the sample's stack matches. */
function stackMatches(id: number, pattern: RegExp): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame && pattern.test(`${frame.url} ${frame.functionName}`)) return true;
  }
  return false;
}

// Only the load: start-up (module loading, schema compilation) ends where the first push is handled.
let start = profile.samples.length;
for (let i = 0; i < profile.samples.length; i += 1) {
  if (stackMatches(profile.samples[i] ?? 0, /\bhandlePush$/)) {
    start = i;
    break;
  }
}
const samples = profile.samples.slice(start);

/** Where a sample's time goes, in the areas the page path is made of (ADR 0070). */
function areaOf(id: number): string {
  const frame = byId.get(id)?.callFrame;
  if (!frame) return '?';
  const { url, functionName } = frame;
  if (/db\/connect\.js$/.test(url) && (functionName === 'run' || functionName === 'all')) return 'SQLite statements and commits';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting for the database or the network)';
  if (/kysely/.test(url)) return 'Kysely (query building, executor chain)';
  if (/[/]pg[/]|pg-protocol|pg-pool/.test(url)) return 'PostgreSQL driver';
  if (/undici|webstreams|js_transferable/.test(url) || stackMatches(id, /outbound\.js|light-fetch\.js|undici/)) return 'outbound client (sending pages)';
  if (/fastify|find-my-way|avvio|_http_server|_http_incoming|_http_outgoing|ajv|fast-json-stringify|pino/.test(url) || stackMatches(id, /fastify|_http_server/)) return 'HTTP server (receiving pushes)';
  if (url.includes('/dist/')) return `app: ${url.split('/dist/')[1]?.split('/')[0] ?? ''}`;
  return `other: ${functionName || url}`;
}

const total = samples.length;
const pct = (count: number) => `${((count / total) * 100).toFixed(1).padStart(5)}%`;
process.stdout.write(`${file}: ${total} samples under load (${start} of start-up left out)\n\nBy area:\n`);
const areas = new Map<string, number>();
for (const id of samples) areas.set(areaOf(id), (areas.get(areaOf(id)) ?? 0) + 1);
for (const [area, count] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 16)) process.stdout.write(`${pct(count)}  ${area}\n`);

process.stdout.write('\nBy function (self time):\n');
const self = new Map<string, number>();
for (const id of samples) {
  const frame = byId.get(id)?.callFrame;
  const where = frame ? `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '~/').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}` : '?';
  self.set(where, (self.get(where) ?? 0) + 1);
}
for (const [where, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) process.stdout.write(`${pct(count)}  ${where}\n`);
