import { Counter, Gauge, type Registry } from 'prom-client';
import type { Api } from '../core/api.js';
import type { Clock } from '../core/clock.js';
import type { Executor } from '../db/types.js';
import { idFloor } from '../incidents/feed.js';

const HOUR_MS = 3_600_000;

/** The source a push path serves, for ingest metrics (undefined for every other route). */
export function ingestSourceOf(route: string): string | undefined {
  const push = /^\/event\/push\/alert\/([a-z]+)$/.exec(route);
  if (push) return push[1];
  if (route === '/event/push/heartbeat' || route.startsWith('/v2/heartbeats/')) return 'heartbeat';
  if (route.startsWith('/v2/enqueue') || route.startsWith('/v2/change/')) return 'pagerduty';
  if (route.startsWith('/v2/alerts')) return 'opsgenie';
  if (route.startsWith('/integrations/v1/')) return 'grafana_oncall';
  return undefined;
}

/** How an ingest request ended, from its status code. */
export function ingestOutcomeOf(status: number): string {
  if (status < 300) return 'accepted';
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status < 500) return 'rejected';
  return 'error';
}

/**
 * Tocsin watching itself (SPEC issue 11 item 9): outbox depth and age of the oldest pending page, engine
 * job lag, deliveries by provider and result, ingest by source and outcome. Queue figures are read from
 * the database at scrape time, so every node reports the shared truth; ingest is counted per process.
 */
export function installSelfMetrics(app: Api, registry: Registry, deps: { db: Executor; clock: Clock; liveClients: () => number }): void {
  const { db, clock } = deps;
  new Gauge({
    name: 'tocsin_live_clients',
    help: 'Consoles connected to live updates (SSE) on this process',
    registers: [registry],
    collect() {
      this.set(deps.liveClients());
    },
  });
  const ingest = new Counter({
    name: 'tocsin_ingest_requests_total',
    help: 'Ingest requests by source and outcome (accepted, rejected, throttled, unauthorized, error), this process',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const source = ingestSourceOf(request.routeOptions.url ?? '');
    if (source) ingest.inc({ source, outcome: ingestOutcomeOf(reply.statusCode) });
  });

  new Gauge({
    name: 'tocsin_outbox_depth',
    help: 'Notifications waiting to be sent (pending or being sent)',
    registers: [registry],
    async collect() {
      const row = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'sending']).executeTakeFirst();
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'tocsin_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest notification that is due and not yet sent (0 when none)',
    registers: [registry],
    async collect() {
      const now = clock.now();
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.min<number>('next_attempt_at').as('oldest'))
        .where('status', 'in', ['pending', 'sending'])
        .where('next_attempt_at', '<=', now)
        .executeTakeFirst();
      this.set(row?.oldest === null || row?.oldest === undefined ? 0 : Math.max(0, (now - Number(row.oldest)) / 1000));
    },
  });
  new Gauge({
    name: 'tocsin_engine_job_lag_seconds',
    help: 'How late the most overdue engine job is (0 when nothing is overdue)',
    registers: [registry],
    async collect() {
      const now = clock.now();
      const row = await db.selectFrom('jobs').select((eb) => eb.fn.min<number>('run_at').as('oldest')).where('status', '=', 'pending').where('run_at', '<=', now).executeTakeFirst();
      this.set(row?.oldest === null || row?.oldest === undefined ? 0 : Math.max(0, (now - Number(row.oldest)) / 1000));
    },
  });
  new Gauge({
    name: 'tocsin_engine_jobs_due',
    help: 'Engine jobs due now and not yet run',
    registers: [registry],
    async collect() {
      const row = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').where('run_at', '<=', clock.now()).executeTakeFirst();
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'tocsin_notification_deliveries_last_hour',
    help: 'Notifications created in the last hour by provider and result (sent, failed, pending, sending, cancelled), all nodes',
    labelNames: ['provider', 'result'] as const,
    registers: [registry],
    async collect() {
      const since = clock.now() - HOUR_MS;
      const rows = await db
        .selectFrom('messages')
        .leftJoin('notification_providers', 'notification_providers.id', 'messages.provider_id')
        .select(['notification_providers.provider', 'messages.status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('messages.id', '>=', idFloor(since))
        .where('messages.created_at', '>=', since)
        .groupBy(['notification_providers.provider', 'messages.status'])
        .execute();
      this.reset();
      for (const r of rows) this.set({ provider: r.provider ?? 'none', result: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: 'tocsin_webhook_deliveries_last_hour',
    help: 'Outbound webhook deliveries created in the last hour by result, all nodes',
    labelNames: ['result'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('created_at', '>=', clock.now() - HOUR_MS)
        .groupBy('status')
        .execute();
      this.reset();
      for (const r of rows) this.set({ result: r.status }, Number(r.n));
    },
  });
}
