import type { Clock } from '../../core/clock.js';
import { createInsertBatcher } from '../../db/insert-batcher.js';
import type { Executor } from '../../db/types.js';
import type { DialectName } from '../../db/connect.js';
import { claimDueMessages, DELIVER_JOB, nextMessageDueAt, renewMessageLeases, type MessageRow } from '../../notify/outbox.js';
import { prepareDelivery, recordOutcomes, THROTTLED_METHODS, type DeliveryDeps, type Outcome } from '../../notify/delivery.js';
import { ESCALATION_KINDS } from '../../notify/retry.js';
import { directReads, readsForClaim, type DeliveryReads } from '../../notify/delivery-reads.js';
import type { SendResult } from '../../notify/provider.js';
import { LeaseKeeper } from '../lease.js';
import type { EngineLoop, EngineModule } from '../engine.js';

/** Rows claimed per statement. */
const CLAIM_BATCH = 200;
/** Rows held at once by this node (claimed, being prepared, sent or recorded). */
const MAX_IN_FLIGHT = 1000;
/**
 * Concurrent vendor calls per provider configuration (one Slack workspace, one Twilio account…): the
 * outbound client's connections per origin (net/outbound.ts). At 32, a storm's pages to one webhook
 * were capped at 32 / its response time — about 1 000/s at 30 ms — and backed up (ADR 0071).
 */
const PER_PROVIDER = 64;
/** Units preparing at once (database reads and action links): enough to keep vendors busy, few enough not to flood the pool. */
const PREPARING = 16;
/** Outcomes written per transaction at most; fewer when the stream is thin (written on the next turn). */
const RECORD_BATCH = 200;
const RECORD_RETRY_MS = 1000;

export interface DeliverLoopDeps extends Omit<DeliveryDeps, 'random'> {
  readonly dialect: DialectName;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  readonly random?: () => number;
  /** Resolves a host to an address TOCSIN_OUTBOUND_DENY allows (SMTP). */
  readonly resolveHost?: (host: string) => Promise<string>;
  /** Something new became due (a retry, a fallback) or capacity freed up: look again. */
  readonly wake: () => void;
  /**
   * Where lease renewals go: a different pool from the delivery work (on PostgreSQL), so a renewal
   * never queues behind hundreds of preparing units and lets a lease lapse while a vendor thinks.
   */
  readonly leaseDb?: Executor;
}

/** A tiny counting semaphore: at most `limit` vendor calls at once per provider. */
class Pool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/**
 * The outbox loop (DESIGN §4, "claim before you call out"): claims due rows in fair batches, each
 * pending → sending under a lease before any network call; prepares each unit (one row, or one
 * person's bundle); calls the vendor outside every transaction with a bounded pool per provider;
 * writes outcomes back in batches. No database lane — least of all SQLite's single writer — waits on a
 * vendor, and leases are renewed while vendors think.
 */
export function deliverLoop(deps: DeliverLoopDeps): EngineLoop {
  const random = deps.random ?? Math.random;
  const delivery: DeliveryDeps = { ...deps, random, links: createInsertBatcher(deps.db) };
  const db = deps.db;
  // Renewals and result writes touch the same rows in different orders: one at a time (both are
  // short), or PostgreSQL finds a deadlock between this node's own two connections.
  const rowWrites = new Pool(1);
  const leases = new LeaseKeeper('deliver', deps.leaseMs, deps.clock, (ids, until) => rowWrites.run(() => renewMessageLeases(deps.leaseDb ?? db, ids, deps.worker, until)), deps.log);
  const pools = new Map<string, Pool>();
  const preparing = new Pool(PREPARING);
  const inFlight = new Set<Promise<void>>();
  let held = 0;
  let saturated = false;
  // Outcomes waiting for the next batched write, with the callbacks of the units that produced them.
  let pending: { outcome: Outcome; done: () => void }[] = [];
  let writing: Promise<void> | undefined;
  // One unit per throttled person and method at a time, so "last sent" is read after the previous send is written.
  const throttleChains = new Map<string, Promise<void>>();

  const poolOf = (providerId: string) => {
    let pool = pools.get(providerId);
    if (!pool) pools.set(providerId, (pool = new Pool(PER_PROVIDER)));
    return pool;
  };

  const writeOutcomes = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending.slice(0, RECORD_BATCH);
      try {
        const { queued } = await rowWrites.run(() => recordOutcomes(delivery, batch.map((p) => p.outcome), deps.clock.now()));
        pending = pending.slice(batch.length);
        for (const p of batch) p.done();
        if (queued || saturated) deps.wake();
      } catch (error) {
        // The database is away: keep the outcomes (and the leases) and write them when it is back.
        deps.log.error({ err: error, outcomes: batch.length }, 'writing delivery results failed; retrying');
        await new Promise((r) => setTimeout(r, RECORD_RETRY_MS));
      }
    }
  };

  const scheduleWrite = (): void => {
    // Written on the next turn, so outcomes finishing together share one transaction.
    writing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(writeOutcomes).finally(() => {
      writing = undefined;
      if (pending.length > 0) scheduleWrite();
    });
  };

  const record = async (outcomes: readonly Outcome[]): Promise<void> => {
    if (outcomes.length === 0) return;
    const written = Promise.all(outcomes.map((outcome) => new Promise<void>((done) => pending.push({ outcome, done }))));
    scheduleWrite();
    await written;
  };

  const work = async (unit: readonly MessageRow[], now: number, reads: DeliveryReads): Promise<void> => {
    const mine = new Set(unit.map((r) => r.id));
    const onClaimed = (rows: readonly MessageRow[]) => {
      leases.add(rows.map((r) => r.id), now + deps.leaseMs);
      for (const r of rows) mine.add(r.id);
      held += rows.length;
    };
    try {
      const prepared = await preparing.run(() => prepareDelivery(delivery, unit, now, onClaimed, reads));
      if (prepared.kind === 'settle') {
        await record(prepared.outcomes);
        return;
      }
      const result = await poolOf(prepared.providerId).run(async (): Promise<SendResult | undefined> => {
        // Checked right before the call: a row whose lease was taken over (or nearly ran out) is not sent from here.
        if (!(await leases.ensure(prepared.carried.map((c) => c.row.id), deps.leaseMs / 2))) return undefined;
        return prepared.call(deps.fetch ?? fetch, now, deps.resolveHost).catch((error: unknown): SendResult => ({ kind: 'retry', error: error instanceof Error ? error.message : String(error) }));
      });
      if (result) await record([{ kind: 'result', carried: prepared.carried, providerName: prepared.providerName, result }]);
      else deps.log.warn({ messages: prepared.carried.map((c) => c.row.id) }, 'lease lost before sending; another node sends these');
    } catch (error) {
      // A unit that cannot even be prepared (database away): its leases lapse and it is claimed again.
      deps.log.error({ err: error, messages: [...mine] }, 'preparing a delivery failed');
    } finally {
      for (const id of mine) leases.release(id);
      held -= mine.size;
    }
  };

  /** Throttled pages of one person and method go out as one unit, one unit at a time. */
  const unitsOf = (rows: readonly MessageRow[]): { key: string | undefined; rows: MessageRow[] }[] => {
    const units = new Map<string, MessageRow[]>();
    const singles: { key: undefined; rows: MessageRow[] }[] = [];
    for (const row of rows) {
      if (row.person_id && THROTTLED_METHODS.includes(row.method) && ESCALATION_KINDS.includes(row.kind)) {
        const key = `${row.person_id}:${row.method}`;
        units.set(key, [...(units.get(key) ?? []), row]);
      } else singles.push({ key: undefined, rows: [row] });
    }
    return [...[...units].map(([key, unitRows]) => ({ key, rows: unitRows })), ...singles];
  };

  const start = (unit: { key: string | undefined; rows: MessageRow[] }, now: number, reads: DeliveryReads) => {
    const previous = unit.key ? throttleChains.get(unit.key) : undefined;
    const task = (previous ?? Promise.resolve()).then(() => work(unit.rows, now, reads));
    const tracked = task.finally(() => {
      inFlight.delete(tracked);
      if (unit.key && throttleChains.get(unit.key) === tracked) throttleChains.delete(unit.key);
    });
    if (unit.key) throttleChains.set(unit.key, tracked);
    inFlight.add(tracked);
  };

  return {
    name: 'deliver',
    async runDue(now) {
      let claimed = 0;
      for (;;) {
        const room = MAX_IN_FLIGHT - held;
        saturated = room <= 0;
        if (saturated) return claimed;
        const rows = await claimDueMessages(db, deps.dialect, deps.worker, now, deps.leaseMs, Math.min(CLAIM_BATCH, room));
        if (rows.length === 0) return claimed;
        leases.add(rows.map((r) => r.id), now + deps.leaseMs);
        held += rows.length;
        claimed += rows.length;
        // The claim's incidents in one read, channel facts once per channel (a failed read: each unit reads its own).
        const reads = await readsForClaim(db, rows.flatMap((r) => (r.incident_id ? [r.incident_id] : []))).catch(() => directReads(db));
        for (const unit of unitsOf(rows)) start(unit, now, reads);
      }
    },
    // While full, the next finished unit wakes the engine; answering "due now" would make it spin.
    nextDueAt: async () => (saturated ? undefined : nextMessageDueAt(db)),
    async drain() {
      while (inFlight.size > 0 || writing) {
        await Promise.all([...inFlight]);
        await writing;
      }
      if (held === 0) leases.stop();
    },
  };
}

/** Delivery jobs of older versions: the outbox row is claimed by the loop; the job only wakes it. */
export function legacyDeliverJobs(wake: () => void): EngineModule {
  return {
    kind: DELIVER_JOB,
    async run() {
      wake();
      return { kind: 'done' };
    },
  };
}
