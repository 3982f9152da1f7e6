/**
 * `npm run bench`: measures the budgets of DESIGN §8 on this machine. Prints a detailed JSON document,
 * then, as its LAST line, the one-line JSON object of SPEC §9. Everything targets 127.0.0.1, every
 * loop is bounded. Options: --quick (under 3 minutes), --open-alerts=N (default 100000, full run only),
 * --only=ingest|notify|storm|schedules|open-alerts.
 */
import { alertmanagerAvailable } from '../test/harness/alertmanager.js';
import { testDialects, type DialectName } from '../test/harness/databases.js';
import { alertmanagerThroughput, ingestThroughput, withOpenAlerts } from './scenarios/ingest.js';
import { scheduleBenchmarks } from './scenarios/schedules.js';
import { escalationStorm, firstNotificationLatency } from './scenarios/escalation.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string | undefined]));
const quick = args.has('quick');
const only = args.get('only');
const runs = (name: string) => !only || only === name;
const total = quick ? 5000 : 20_000;
const notifySeconds = quick ? 5 : 10;
const stormIncidents = quick ? 2000 : 10_000;
const openAlerts = Number(args.get('open-alerts') ?? 100_000);
const log = (message: string) => process.stderr.write(`bench: ${new Date().toISOString()} ${message}\n`);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const report: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, quick, requests_per_run: total };
const dialects = await testDialects();
type Figures = Record<string, number | null>;
const figures: Record<DialectName, Figures> = { sqlite: {}, postgres: {} };
let amRate: number | null = null;

if (runs('ingest')) {
  const ingest: Record<string, unknown> = {};
  if (alertmanagerAvailable()) {
    log('Alertmanager reference (64 connections)');
    const am = await alertmanagerThroughput(total);
    ingest.alertmanager = am;
    amRate = am.perSecond;
    log(`  alertmanager ${JSON.stringify(am)}`);
  }
  for (const dialect of dialects) {
    log(`ingest on ${dialect} (64 connections)`);
    const result = await ingestThroughput(dialect, total);
    ingest[dialect] = result;
    figures[dialect].ingest_new_eps = result.newAlerts.perSecond;
    figures[dialect].ingest_repeat_eps = result.dedup.perSecond;
    figures[dialect].rss_mb = result.peakRssMb ?? null;
    log(`  ${dialect} new ${JSON.stringify(result.newAlerts)} repeat ${JSON.stringify(result.dedup)}`);
  }
  report.ingest = ingest;
}

if (runs('notify')) {
  const latency: unknown[] = [];
  for (const dialect of dialects) {
    log(`ingest → first provider request at 1 000/s for ${notifySeconds} s on ${dialect}, with another channel's incidents alongside`);
    const measured = await firstNotificationLatency(dialect, 1000, notifySeconds);
    latency.push(measured);
    log(`  ${dialect} ${JSON.stringify(measured)}`);
    figures[dialect].notify_p50_ms = measured.p50Ms;
    figures[dialect].notify_p99_ms = measured.p99Ms;
    figures[dialect].notify_missing = measured.missing;
    figures[dialect].storm_other_channel_first_page_p99_ms = measured.other_channel_first_page.p99Ms;
    figures[dialect].rss_mb = Math.max(figures[dialect].rss_mb ?? 0, measured.rss_mb ?? 0) || null;
  }
  report.first_notification_latency = latency;
}

if (runs('storm')) {
  // Each storm waits a real minute for level 2; the dialects overlap, staggered so that neither's
  // sending or level-2 burst coincides with the other's.
  log(`escalation storm: ${stormIncidents} incidents' level 2 due in the same minute`);
  const storms = await Promise.all(dialects.map(async (dialect, i) => (await wait(i * 15_000), escalationStorm(dialect, stormIncidents))));
  for (const storm of storms) {
    figures[storm.dialect].storm_due_to_sent_p99_ms = storm.due_to_sent.p99Ms;
    figures[storm.dialect].storm_level2_missing = storm.incidents - storm.level2_sent;
  }
  report.escalation_storm = storms;
  log(`  ${JSON.stringify(storms)}`);
}

if (!quick && runs('schedules')) {
  log('schedules');
  report.schedules = scheduleBenchmarks();
}

if (!quick && runs('open-alerts')) {
  log(`open alerts: 1000 vs ${openAlerts}`);
  const small = await withOpenAlerts(1000, total);
  const large = await withOpenAlerts(openAlerts, total);
  report.open_alerts = { small, large, throughput_drop: Math.round((1 - large.newAlerts.perSecond / small.newAlerts.perSecond) * 100) / 100 };
}

/** The SPEC §9 figures of one dialect, every key present (null when not measured). */
function contract(dialect: DialectName): Figures | null {
  if (!dialects.includes(dialect)) return null;
  const f = figures[dialect];
  const keys = ['ingest_new_eps', 'ingest_repeat_eps', 'notify_p50_ms', 'notify_p99_ms', 'storm_due_to_sent_p99_ms', 'rss_mb', 'storm_other_channel_first_page_p99_ms', 'notify_missing', 'storm_level2_missing'];
  return Object.fromEntries(keys.map((k) => [k, f[k] ?? null]));
}

const sqliteNew = figures.sqlite.ingest_new_eps ?? null;
const line = {
  tocsin: { sqlite: contract('sqlite'), postgres: contract('postgres') },
  alertmanager: amRate === null ? null : { ingest_new_eps: amRate },
  ratio: amRate === null || sqliteNew === null ? null : { ingest_new: Math.round((sqliteNew / amRate) * 100) / 100 },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(line)}\n`);
