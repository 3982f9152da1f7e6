/**
 * `npm run bench`: measures the budgets of DESIGN §8 on this machine and prints one JSON document.
 * Everything targets 127.0.0.1, every loop is bounded. Options: --quick (smaller runs),
 * --open-alerts=N (default 100000), --only=ingest|schedules|open-alerts|notify.
 */
import { alertmanagerAvailable } from '../test/harness/alertmanager.js';
import { testDialects } from '../test/harness/databases.js';
import { alertmanagerThroughput, ingestThroughput, withOpenAlerts } from './scenarios/ingest.js';
import { scheduleBenchmarks } from './scenarios/schedules.js';
import { escalationStorm, firstNotificationLatency } from './scenarios/escalation.js';

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

if (!only || only === 'notify') {
  const dialects = await testDialects();
  const latency: unknown[] = [];
  for (const dialect of dialects) {
    log(`ingest → first provider request on ${dialect}`);
    const measured = await firstNotificationLatency(dialect, 1000, quick ? 3 : 10);
    latency.push(measured);
    budgets[`first_notification_p99_ms_at_1000_per_s_${dialect}`] = { value: measured.p99Ms, budget: '<= 50', ok: measured.missing === 0 && measured.p99Ms <= 50 };
  }
  report.first_notification_latency = latency;
  log('escalation storm (level 2 of many incidents due in the same minute)');
  const storm = await escalationStorm('sqlite', quick ? 2000 : 10_000);
  report.escalation_storm = storm;
  budgets.level2_due_to_sent_p99_ms = { value: storm.due_to_sent.p99Ms, budget: '<= 1000 (10 000 incidents)', ok: storm.level2_sent === storm.incidents && storm.due_to_sent.p99Ms <= 1000 };
}

report.budgets = budgets;
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
