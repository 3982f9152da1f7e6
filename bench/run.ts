/**
 * `npm run bench`: measures the budgets of DESIGN §8 on this machine and prints one JSON document.
 * Everything targets 127.0.0.1, every loop is bounded. Options: --quick (smaller runs),
 * --open-alerts=N (default 100000), --only=ingest|schedules|open-alerts.
 */
import { alertmanagerAvailable } from '../test/harness/alertmanager.js';
import { testDialects } from '../test/harness/databases.js';
import { alertmanagerThroughput, ingestThroughput, withOpenAlerts } from './scenarios/ingest.js';
import { scheduleBenchmarks } from './scenarios/schedules.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string | undefined]));
const quick = args.has('quick');
const only = args.get('only');
const total = quick ? 1000 : 4000;
const openAlerts = Number(args.get('open-alerts') ?? 100_000);
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

const report: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, requests_per_run: total };
const budgets: Record<string, { value: number | undefined; budget: string; ok: boolean | undefined }> = {};

if (!only || only === 'schedules') {
  log('schedules');
  const schedules = scheduleBenchmarks();
  report.schedules = schedules;
}

if (!only || only === 'ingest') {
  const dialects = await testDialects();
  const ingest: Record<string, unknown> = {};
  let amRate: number | undefined;
  if (alertmanagerAvailable()) {
    log('Alertmanager reference');
    const am = await alertmanagerThroughput(total);
    ingest.alertmanager = am;
    amRate = am.perSecond;
  }
  for (const dialect of dialects) {
    log(`ingest on ${dialect}`);
    const result = await ingestThroughput(dialect, total);
    ingest[dialect] = result;
    if (dialect === 'sqlite') {
      budgets.ingest_new_alerts_vs_alertmanager = { value: amRate && Math.round((result.newAlerts.perSecond / amRate) * 100) / 100, budget: '>= 1.0', ok: amRate ? result.newAlerts.perSecond >= amRate : undefined };
    }
    budgets[`dedup_vs_new_${dialect}`] = { value: result.dedupRatio, budget: '>= 1.5', ok: result.dedupRatio >= 1.5 };
  }
  report.ingest = ingest;
}

if (!only || only === 'open-alerts') {
  log(`open alerts: 1000 vs ${openAlerts}`);
  const small = await withOpenAlerts(1000, total);
  const large = await withOpenAlerts(openAlerts, total);
  report.open_alerts = { small, large };
  const change = Math.round((1 - large.newAlerts.perSecond / small.newAlerts.perSecond) * 100) / 100;
  budgets.open_alerts_throughput_drop = { value: change, budget: '<= 0.20', ok: change <= 0.2 };
  budgets.peak_rss_mb_with_open_alerts = { value: large.peakRssMb, budget: '<= 300 (at 100 000 open alerts)', ok: large.peakRssMb === undefined ? undefined : large.peakRssMb <= 300 };
}

report.budgets = budgets;
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
