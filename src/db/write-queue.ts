import { collectDeferred, dropDeferred, flushDeferred } from './deferred.js';
import { isDatabaseUnavailable } from './faults.js';
import type { ControlledTransaction, Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isTransientConflict, isUniqueViolation, type Executor } from './types.js';

/** One request's writes: run inside a shared transaction, settled after that transaction commits. */
export interface WriteUnit<T> {
  readonly work: (trx: Executor) => Promise<T>;
  /** Keys this unit writes under (alert keys, group keys); a batch locks them first, in order (PostgreSQL). */
  readonly lockKeys?: readonly string[] | undefined;
  /**
   * Whose unit this is (ingest: the integration). Batches take units round-robin across lanes, so a
   * quiet source's event joins the next batch instead of waiting behind a storm's backlog.
   */
  readonly lane?: string | undefined;
}

export interface WriteQueueOptions {
  /** Most units in one transaction. */
  readonly maxBatch?: number | undefined;
  /** Takes the batch's row locks first thing in its transaction (sorted, so batches never deadlock). */
  readonly lock?: ((trx: Executor, keys: readonly string[]) => Promise<void>) | undefined;
  /**
   * Batches in flight at once (default 1). PostgreSQL can run a few side by side on separate
   * connections: the key locks (`lock`) keep units of the same alert or group apart, exactly as they
   * keep two nodes apart, and one batch's round trips overlap another's. SQLite has one writer: 1.
   */
  readonly concurrency?: number | undefined;
  /** Called after every committed batch, with how many units it held. */
  readonly onCommitted?: ((units: number) => void) | undefined;
}

interface Pending {
  readonly unit: WriteUnit<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const DEFAULT_MAX_BATCH = 256;
// A unit that hit a unique index raced a writer outside this queue (another node): by the time the
// savepoint is rolled back that writer has committed, so applying the unit again sees its row.
const ATTEMPTS_PER_UNIT = 3;

/**
 * Group commit (DESIGN §3): units of work from concurrent requests queue up and run one transaction
 * per batch; each unit's promise settles only after the batch holding it commits. Batches are filled
 * fairly across lanes (sources), so one source's storm delays another's event by at most one batch.
 * Batches run one at a time unless `concurrency` allows more (PostgreSQL, where key locks order
 * units that touch the same alert or group, within a process as across nodes). A batch first runs without savepoints (the common
 * case costs nothing extra); when any unit fails, the batch is rolled back and run again with a
 * savepoint per unit, so one bad unit gets its own error and never fails its neighbours.
 */
export function createWriteQueue(db: Kysely<Database>, options: WriteQueueOptions = {}) {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  // Waiting units per lane, lanes in the order they are next served (FIFO within a lane).
  const lanes = new Map<string, Pending[]>();
  let waiting = 0;
  const concurrency = options.concurrency ?? 1;
  const running = new Set<Promise<void>>();
  let scheduled = false;

  /** Up to `max` units, one per lane per round; a lane served and still waiting moves to the back. */
  function takeBatch(max: number): Pending[] {
    const batch: Pending[] = [];
    while (batch.length < max && waiting > 0) {
      for (const lane of [...lanes.keys()]) {
        const units = lanes.get(lane);
        const next = units?.shift();
        if (!units || !next) continue;
        batch.push(next);
        waiting -= 1;
        lanes.delete(lane);
        if (units.length > 0) lanes.set(lane, units);
        if (batch.length >= max) break;
      }
    }
    return batch;
  }

  function schedule(): void {
    if (scheduled || waiting === 0 || running.size >= concurrency) return;
    scheduled = true;
    // setImmediate lets pending I/O (more requests) join the batch before it starts.
    setImmediate(() => {
      scheduled = false;
      // What waits is shared among the free lanes of the database, so they overlap their round trips.
      const share = Math.min(maxBatch, Math.ceil(waiting / Math.max(1, concurrency - running.size)));
      while (running.size < concurrency && waiting > 0) {
        const batch = drain(takeBatch(share)).finally(() => {
          running.delete(batch);
          schedule();
        });
        running.add(batch);
      }
    });
  }

  async function drain(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await attempt(batch, false);
    } catch {
      try {
        outcomes = await attempt(batch, true);
      } catch (error) {
        // The transaction itself failed (commit, lock, connection): nothing of the batch is stored.
        for (const p of batch) p.reject(error);
        return;
      }
    }
    options.onCommitted?.(batch.length);
    for (const [i, p] of batch.entries()) {
      const outcome = outcomes[i];
      if (outcome?.ok) p.resolve(outcome.value);
      else p.reject(outcome?.error ?? new Error('unit was not run'));
    }
  }

  async function attempt(batch: readonly Pending[], isolate: boolean): Promise<Outcome[]> {
    const trx = await db.startTransaction().execute();
    try {
      if (options.lock) {
        const keys = [...new Set(batch.flatMap((p) => p.unit.lockKeys ?? []))].sort();
        if (keys.length > 0) await options.lock(trx, keys);
      }
      const outcomes: Outcome[] = [];
      // Write-only rows (timeline, events, raw payloads) of the whole batch go out as multi-row inserts
      // before the commit; when isolating, each unit flushes its own inside its savepoint.
      if (!isolate) collectDeferred(trx);
      for (const [i, p] of batch.entries()) {
        outcomes.push(isolate ? await isolated(trx, p.unit, `unit_${i}`) : { ok: true, value: await p.unit.work(trx) });
      }
      if (!isolate) await flushDeferred(trx);
      await trx.commit().execute();
      return outcomes;
    } catch (error) {
      dropDeferred(trx);
      await trx.rollback().execute().catch(() => undefined);
      throw error;
    }
  }

  async function isolated(trx: ControlledTransaction<Database>, unit: WriteUnit<unknown>, name: string): Promise<Outcome> {
    for (let tries = 1; ; tries += 1) {
      const savepoint = await trx.savepoint(name).execute();
      collectDeferred(savepoint);
      try {
        const value = await unit.work(savepoint);
        await flushDeferred(savepoint);
        await savepoint.releaseSavepoint(name).execute();
        return { ok: true, value };
      } catch (error) {
        dropDeferred(savepoint);
        // A database fault (full disk, lost connection) is not this unit's: the whole batch fails with
        // its real cause. SQLite may already have rolled the transaction back, so the savepoint can
        // be gone too; its error would hide the cause.
        if (isDatabaseUnavailable(error)) throw error;
        try {
          await savepoint.rollbackToSavepoint(name).execute();
        } catch {
          throw error;
        }
        if (tries >= ATTEMPTS_PER_UNIT || !(isUniqueViolation(error) || isTransientConflict(error))) return { ok: false, error };
      }
    }
  }

  return {
    /** Queues a unit; resolves with its result once the batch holding it has committed. */
    submit<T>(unit: WriteUnit<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const lane = unit.lane ?? '';
        const pending: Pending = { unit: unit as WriteUnit<unknown>, resolve: resolve as (value: unknown) => void, reject };
        const units = lanes.get(lane);
        if (units) units.push(pending);
        else lanes.set(lane, [pending]);
        waiting += 1;
        schedule();
      });
    },

    /** Waits until every queued unit has been committed or failed (shutdown). */
    async drained(): Promise<void> {
      while (running.size > 0 || scheduled || waiting > 0) await (running.size > 0 ? Promise.all(running) : new Promise((r) => setImmediate(r)));
    },
  };
}

export type WriteQueue = ReturnType<typeof createWriteQueue>;
