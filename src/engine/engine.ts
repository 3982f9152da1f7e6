import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { randomToken } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import type { DialectName } from '../db/connect.js';
import { claimDueJobs, failJob, finishJob, nextRunAt, renewJobLeases, retryJob, type JobRow } from '../db/jobs.js';
import { LeaseKeeper } from './lease.js';

/** What a module says after running a job. */
export type JobOutcome = { readonly kind: 'done' } | { readonly kind: 'later'; readonly runAt: number; readonly error?: string };

/** One kind of durable timer (escalation step, snooze end, clean-up…). Re-check state: a job may be stale. */
export interface EngineModule {
  readonly kind: string;
  run(job: JobRow, now: number): Promise<JobOutcome>;
}

/**
 * One loop of the engine (STYLE 6): claims what is due under a lease and works it, isolated from the
 * other loops' failures. `runDue` starts the work and may return before slow parts (vendor calls)
 * end; `drain` waits for them (shutdown, and tests driving a manual clock).
 */
export interface EngineLoop {
  readonly name: string;
  runDue(now: number): Promise<number>;
  /** The earliest time something becomes due, if anything is waiting. */
  nextDueAt(): Promise<number | undefined>;
  drain(): Promise<void>;
}

export interface EngineOptions {
  /** How long a claim lasts; renewed while the work runs (TOCSIN_ENGINE_LEASE_MS). */
  readonly leaseMs?: number;
}

const DEFAULT_LEASE_MS = 60_000;
const BATCH = 100;
// Matches the engine's own connection pool (db/connect.ts), leaving room for delivery and lease renewals.
const PG_LANES = 4;
const MAX_ATTEMPTS = 20;
// Not the delivery mechanism (wake-ups and the next due time are): a guard against a missed wake-up,
// e.g. a job queued by another node while LISTEN/NOTIFY is unavailable.
const MAX_SLEEP_MS = 30_000;

/**
 * The durable-timer loop: claims due jobs in batches with a lease (kept alive while the batch runs)
 * and hands each to the module of its kind. Jobs only touch the database; nothing here waits on a vendor.
 */
class JobLoop implements EngineLoop {
  readonly name = 'jobs';
  readonly modules = new Map<string, EngineModule>();
  private readonly leases: LeaseKeeper;

  constructor(
    private readonly db: Executor,
    leaseDb: Executor,
    private readonly dialect: DialectName,
    private readonly worker: string,
    private readonly leaseMs: number,
    clock: Clock,
    private readonly log: Log,
  ) {
    this.leases = new LeaseKeeper('jobs', leaseMs, clock, (ids, until) => renewJobLeases(leaseDb, ids, worker, until), log);
  }

  async runDue(now: number): Promise<number> {
    let ran = 0;
    for (;;) {
      const jobs = await claimDueJobs(this.db, this.dialect, this.worker, now, this.leaseMs, BATCH);
      if (jobs.length === 0) return ran;
      this.leases.add(jobs.map((j) => j.id), now + this.leaseMs);
      // PostgreSQL serves several connections: overlap jobs (their waits are database round trips).
      // SQLite has one connection, so jobs run one after another there.
      const lanes = this.dialect === 'postgres' ? PG_LANES : 1;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(lanes, jobs.length) }, async () => {
          while (next < jobs.length) {
            const job = jobs[next];
            next += 1;
            if (!job) continue;
            try {
              // Checked per job: a lease lost during a long batch means another node runs this one.
              if (this.leases.holds(job.id)) await this.runOne(job, now);
            } finally {
              this.leases.release(job.id);
            }
          }
        }),
      );
      ran += jobs.length;
    }
  }

  nextDueAt(): Promise<number | undefined> {
    return nextRunAt(this.db);
  }

  async drain(): Promise<void> {
    this.leases.stop();
  }

  private async runOne(job: JobRow, now: number): Promise<void> {
    const module = this.modules.get(job.kind);
    if (!module) {
      await failJob(this.db, job.id, this.worker, now, `no engine module for ${job.kind}`);
      return;
    }
    try {
      const outcome = await module.run(job, now);
      if (outcome.kind === 'done') await finishJob(this.db, job.id, this.worker, now);
      else await retryJob(this.db, job.id, this.worker, outcome.runAt, outcome.error ?? null);
    } catch (error) {
      // One module's failure never stops the others; the job retries with backoff, then gives up loudly.
      const message = error instanceof Error ? error.message : String(error);
      this.log.error({ err: error, job: job.key }, 'engine job failed');
      const attempts = Number(job.attempts);
      if (attempts >= MAX_ATTEMPTS) await failJob(this.db, job.id, this.worker, now, message);
      else await retryJob(this.db, job.id, this.worker, now + Math.min(300_000, 1000 * 2 ** Math.min(attempts, 8)), message);
    }
  }
}

/**
 * Runs due work. Production: `start()` sleeps until the next due time or a `wake()`. Tests:
 * `runUntil(target)` advances a manual clock through every due job and message in time order, without sleeping.
 */
export class Engine {
  readonly worker = `${hostname()}:${process.pid}:${randomToken(4)}`;
  readonly leaseMs: number;
  private readonly jobs: JobLoop;
  private readonly loops: EngineLoop[];
  private runners: LoopRunner[] = [];
  private stopped = true;

  constructor(
    /** `engine` does the work; renewals of its leases go through `kysely`, another pool on PostgreSQL. */
    db: { readonly engine: Executor; readonly kysely: Executor; readonly dialect: DialectName },
    private readonly clock: Clock,
    private readonly log: Log,
    options: EngineOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.jobs = new JobLoop(db.engine, db.kysely, db.dialect, this.worker, this.leaseMs, clock, log);
    this.loops = [this.jobs];
  }

  /** Adds a job module (one kind of durable timer). */
  register(module: EngineModule): void {
    if (this.jobs.modules.has(module.kind)) throw new Error(`engine module ${module.kind} registered twice`);
    this.jobs.modules.set(module.kind, module);
  }

  /** Adds a loop that claims its own rows (the outbox). */
  addLoop(loop: EngineLoop): void {
    if (this.loops.some((l) => l.name === loop.name)) throw new Error(`engine loop ${loop.name} added twice`);
    this.loops.push(loop);
  }

  /** Runs everything due at `now`, waiting for it to finish, until nothing is left. Returns how much ran. */
  async runDue(now: number = this.clock.now()): Promise<number> {
    let total = 0;
    for (;;) {
      let ran = 0;
      for (const loop of this.loops) {
        ran += await loop.runDue(now);
        await loop.drain();
      }
      total += ran;
      if (ran === 0) return total;
    }
  }

  /** Test driver: moves a manual clock to `target`, running due work in time order on the way. */
  async runUntil(target: number, setClock: (instant: number) => void): Promise<void> {
    for (;;) {
      const next = await this.nextDueAt();
      if (next === undefined || next > target) break;
      if (next > this.clock.now()) setClock(next);
      const ran = await this.runDue(this.clock.now());
      if (ran === 0) break;
    }
    if (target > this.clock.now()) setClock(target);
    await this.runDue(this.clock.now());
  }

  /** Starts the production loops, each on its own schedule. */
  start(): void {
    this.stopped = false;
    this.runners = this.loops.map((loop) => new LoopRunner(loop, this.clock, this.log));
    for (const runner of this.runners) runner.wake();
  }

  /** Something was queued or finished: the loops (or the one named) look again now rather than at their next planned time. */
  wake(loopName?: string): void {
    if (this.stopped) return;
    for (const runner of this.runners) if (loopName === undefined || runner.name === loopName) runner.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.runners.map((r) => r.stop()));
    for (const loop of this.loops) await loop.drain().catch((error: unknown) => this.log.error({ err: error, loop: loop.name }, 'engine loop failed to drain'));
  }

  private async nextDueAt(): Promise<number | undefined> {
    const times = await Promise.all(this.loops.map((l) => l.nextDueAt()));
    const defined = times.filter((t): t is number => t !== undefined);
    return defined.length > 0 ? Math.min(...defined) : undefined;
  }
}

/**
 * Runs one loop in production: sleeps until its next due time or a wake-up, independently of the
 * other loops, so a long batch of escalation steps never holds up the delivery of a page (and the
 * reverse); a failing loop retries after a second without touching the others.
 */
class LoopRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  private stopped = false;

  constructor(
    private readonly loop: EngineLoop,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  get name(): string {
    return this.loop.name;
  }

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
      await this.loop.runDue(this.clock.now());
      const next = await this.loop.nextDueAt();
      if (this.stopped) return;
      const delay = this.wakeRequested ? 0 : next === undefined ? MAX_SLEEP_MS : Math.max(0, Math.min(MAX_SLEEP_MS, next - this.clock.now()));
      this.schedule(delay);
    } catch (error) {
      this.log.error({ err: error, loop: this.loop.name }, 'engine loop failed (database unavailable?); retrying in 1 s');
      if (!this.stopped) this.schedule(1000);
    }
  }
}
