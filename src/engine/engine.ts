import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { randomToken } from '../core/ids.js';
import type { Db } from '../db/connect.js';
import { claimDueJobs, failJob, finishJob, nextRunAt, retryJob, type JobRow } from '../db/jobs.js';

/** What a module says after running a job. */
export type JobOutcome = { readonly kind: 'done' } | { readonly kind: 'later'; readonly runAt: number; readonly error?: string };

/** One engine module: the jobs of one kind (DESIGN §4, STYLE 6). Re-check state: a job may be stale. */
export interface EngineModule {
  readonly kind: string;
  run(job: JobRow, now: number): Promise<JobOutcome>;
}

const LEASE_MS = 60_000;
const BATCH = 100;
const PG_LANES = 8;
const MAX_ATTEMPTS = 20;
// Not the delivery mechanism (wake-ups and the next run_at are): a guard against a missed wake-up,
// e.g. a job queued by another node while LISTEN/NOTIFY is unavailable.
const MAX_SLEEP_MS = 30_000;

/**
 * Runs due jobs. Production: `start()` sleeps until the next `run_at` or a `wake()`. Tests:
 * `runUntil(target)` advances a manual clock through every due job in time order, without sleeping.
 */
export class Engine {
  readonly worker = `${hostname()}:${process.pid}:${randomToken(4)}`;
  private readonly modules = new Map<string, EngineModule>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeRequested = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  register(module: EngineModule): void {
    if (this.modules.has(module.kind)) throw new Error(`engine module ${module.kind} registered twice`);
    this.modules.set(module.kind, module);
  }

  /** Runs every job due at `now`, batch after batch, until none is left. Returns how many ran. */
  async runDue(now: number = this.clock.now()): Promise<number> {
    let ran = 0;
    for (;;) {
      const jobs = await claimDueJobs(this.db.kysely, this.db.dialect, this.worker, now, LEASE_MS, BATCH);
      if (jobs.length === 0) return ran;
      // PostgreSQL serves several connections: overlap jobs (their waits are network round trips).
      // SQLite has one connection, so jobs run one after another there.
      const lanes = this.db.dialect === 'postgres' ? PG_LANES : 1;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(lanes, jobs.length) }, async () => {
          while (next < jobs.length) {
            const job = jobs[next];
            next += 1;
            if (job) await this.runOne(job, now);
          }
        }),
      );
      ran += jobs.length;
    }
  }

  private async runOne(job: JobRow, now: number): Promise<void> {
    const module = this.modules.get(job.kind);
    const db = this.db.kysely;
    if (!module) {
      await failJob(db, job.id, this.worker, now, `no engine module for ${job.kind}`);
      return;
    }
    try {
      const outcome = await module.run(job, now);
      if (outcome.kind === 'done') await finishJob(db, job.id, this.worker, now);
      else await retryJob(db, job.id, this.worker, outcome.runAt, outcome.error ?? null);
    } catch (error) {
      // One module's failure never stops the others; the job retries with backoff, then gives up loudly.
      const message = error instanceof Error ? error.message : String(error);
      this.log.error({ err: error, job: job.key }, 'engine job failed');
      if (job.attempts >= MAX_ATTEMPTS) await failJob(db, job.id, this.worker, now, message);
      else await retryJob(db, job.id, this.worker, now + Math.min(300_000, 1000 * 2 ** Math.min(job.attempts, 8)), message);
    }
  }

  /** Test driver: moves a manual clock to `target`, running due jobs in time order on the way. */
  async runUntil(target: number, setClock: (instant: number) => void): Promise<void> {
    for (;;) {
      const next = await nextRunAt(this.db.kysely);
      if (next === undefined || next > target) break;
      if (next > this.clock.now()) setClock(next);
      const ran = await this.runDue(this.clock.now());
      if (ran === 0) break;
    }
    if (target > this.clock.now()) setClock(target);
    await this.runDue(this.clock.now());
  }

  /** Starts the production loop. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something was queued: look again now rather than at the next planned time. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.wakeRequested = false;
    try {
      await this.runDue(this.clock.now());
      const next = await nextRunAt(this.db.kysely);
      const delay = this.wakeRequested ? 0 : next === undefined ? MAX_SLEEP_MS : Math.max(0, Math.min(MAX_SLEEP_MS, next - this.clock.now()));
      if (!this.stopped) this.schedule(delay);
    } catch (error) {
      this.log.error({ err: error }, 'engine loop failed; retrying in 1 s');
      if (!this.stopped) this.schedule(1000);
    }
  }
}
