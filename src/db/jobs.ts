import type { Insertable, Selectable } from 'kysely';
import { deferInsert } from './deferred.js';
import { newId } from '../core/ids.js';
import { cachedRows, insertRow } from './precompiled.js';
import type { Executor } from './types.js';
import type { DialectName } from './connect.js';
import type { JobsTable } from './schema.js';

export type JobRow = Selectable<JobsTable>;

/** A step to run later. `key` makes scheduling idempotent: the same key is never queued twice. */
export interface NewJob {
  readonly kind: string;
  readonly key: string;
  readonly runAt: number;
  readonly payload?: object;
}

function jobRow(job: NewJob, now: number): Insertable<JobsTable> {
  return {
    id: newId(now),
    kind: job.kind,
    key: job.key,
    run_at: job.runAt,
    payload_json: JSON.stringify(job.payload ?? {}),
    status: 'pending',
    attempts: 0,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    finished_at: null,
  };
}

/** Queues a job inside the caller's transaction; returns false when a job with the key already exists. */
export async function enqueueJob(db: Executor, job: NewJob, now: number): Promise<boolean> {
  return (await insertRow(db, 'jobs', jobRow(job, now), 'key')) > 0;
}

/**
 * Like `enqueueJob` for callers that do not need to know whether the key was new; in a transaction
 * that collects deferred inserts, written with the batch's other timers in one statement before the
 * commit. Jobs re-check their incident when they run, so one cancelled earlier in the same batch
 * (before this insert) only runs to find nothing to do.
 */
export async function enqueueJobDeferred(db: Executor, job: NewJob, now: number): Promise<void> {
  await deferInsert(db, 'jobs', jobRow(job, now), 'key');
}

/** Moves a pending job to a new time (e.g. an idle timer pushed back by new activity). */
export async function rescheduleJob(db: Executor, key: string, runAt: number): Promise<void> {
  await db.updateTable('jobs').set({ run_at: runAt }).where('key', '=', key).where('status', '=', 'pending').execute();
}

/**
 * Makes sure a recurring job is scheduled: queues it, or revives it when an earlier run ended for good
 * (failed, or finished by an older version). Its fixed key would otherwise keep it dead forever.
 */
export async function ensureRecurringJob(db: Executor, job: NewJob, now: number): Promise<void> {
  if (await enqueueJob(db, job, now)) return;
  await db
    .updateTable('jobs')
    .set({ status: 'pending', run_at: job.runAt, attempts: 0, locked_by: null, locked_until: null, finished_at: null })
    .where('key', '=', job.key)
    .where('status', '!=', 'pending')
    .execute();
}

/**
 * Extends this worker's leases on `ids` to `until`; returns the ids it still holds. A missing id was
 * taken over (its lease had expired): its holder must not act on it any more.
 */
export async function renewJobLeases(db: Executor, ids: readonly string[], worker: string, until: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.updateTable('jobs').set({ locked_until: until }).where('id', 'in', [...ids]).where('locked_by', '=', worker).where('status', '=', 'pending').returning('id').execute();
  return rows.map((r) => r.id);
}

/** Cancels a pending job (its step no longer applies). */
export async function cancelJob(db: Executor, key: string, now: number): Promise<void> {
  await db.updateTable('jobs').set({ status: 'cancelled', finished_at: now }).where('key', '=', key).where('status', '=', 'pending').execute();
}

/**
 * Claims up to `limit` due jobs for `worker` with a lease. On PostgreSQL, `FOR UPDATE SKIP LOCKED`
 * lets several nodes claim side by side without waiting on each other; SQLite has a single writer,
 * so a plain update is already exclusive. An expired lease (crashed worker) makes a job claimable again.
 */
export async function claimDueJobs(db: Executor, dialect: DialectName, worker: string, now: number, leaseMs: number, limit: number): Promise<JobRow[]> {
  const due = (query: Executor) =>
    query
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'pending')
      .where('run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('run_at')
      .limit(limit);
  const lease = (query: Executor, ids: ReturnType<typeof due>) =>
    query
      .updateTable('jobs')
      .set((eb) => ({ locked_by: worker, locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  // One statement either way: on SQLite the single writer makes it exclusive (and there is no
  // read-then-write lock upgrade for two connections to deadlock on); on PostgreSQL the due rows are
  // locked with SKIP LOCKED inside it, so nodes claim side by side in one round trip each.
  const rows = await lease(db, dialect === 'sqlite' ? due(db) : due(db).forUpdate().skipLocked());
  return rows.sort((a, b) => a.run_at - b.run_at);
}

/** Marks a claimed job finished; only the lease holder may (a job whose lease expired was re-claimed). */
export async function finishJob(db: Executor, id: string, worker: string, now: number): Promise<void> {
  await db.updateTable('jobs').set({ status: 'done', finished_at: now, locked_by: null, locked_until: null }).where('id', '=', id).where('locked_by', '=', worker).execute();
}

/**
 * Releases a claimed job to run again at `runAt`. `attempts` counts claims since the last success: a
 * job that ran fine and wants to run again (a recurring job, "not yet") starts counting afresh, so
 * only consecutive failures can exhaust it.
 */
export async function retryJob(db: Executor, id: string, worker: string, runAt: number, error: string | null): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ run_at: runAt, locked_by: null, locked_until: null, last_error: error, ...(error === null && { attempts: 0 }) })
    .where('id', '=', id)
    .where('locked_by', '=', worker)
    .execute();
}

/** Gives up on a job after too many attempts. */
export async function failJob(db: Executor, id: string, worker: string, now: number, error: string): Promise<void> {
  await db.updateTable('jobs').set({ status: 'failed', finished_at: now, last_error: error, locked_by: null, locked_until: null }).where('id', '=', id).where('locked_by', '=', worker).execute();
}

/** Rows looked at per step of `nextRunAt`'s walk. */
const NEXT_RUN_PAGE = 64;

/**
 * The earliest time a pending job can be claimed, for the engine's sleep: its run time, or when the
 * lease of the node running it runs out (so a node does not spin while another works on a due job).
 *
 * Walks pending jobs in run-time order along the `jobs_due` index and stops at the first whose run
 * time is no earlier than the best found: a job's claimable time is never before its run time. Usually
 * that is the second row; an aggregate over every pending job (thousands of level-2 timers during a
 * storm) was read on every wake-up of the engine.
 */
export async function nextRunAt(db: Executor): Promise<number | undefined> {
  let best: number | undefined;
  let after: { runAt: number; id: string } | undefined;
  for (;;) {
    const rows = await cachedRows<{ id: string; run_at: number; locked_until: number | null }>(
      db,
      after ? 'jobs:next-run:after' : 'jobs:next-run',
      after ? ['pending', after.runAt, after.runAt, after.id, NEXT_RUN_PAGE] : ['pending', NEXT_RUN_PAGE],
      () => {
        let query = db.selectFrom('jobs').select(['id', 'run_at', 'locked_until']).where('status', '=', 'pending');
        if (after) {
          const from = after;
          query = query.where((eb) => eb.or([eb('run_at', '>', from.runAt), eb.and([eb('run_at', '=', from.runAt), eb('id', '>', from.id)])]));
        }
        return query.orderBy('run_at').orderBy('id').limit(NEXT_RUN_PAGE);
      },
    );
    for (const row of rows) {
      const runAt = Number(row.run_at);
      if (best !== undefined && runAt >= best) return best;
      const claimable = Math.max(runAt, Number(row.locked_until ?? 0));
      best = best === undefined ? claimable : Math.min(best, claimable);
    }
    const last = rows.at(-1);
    if (rows.length < NEXT_RUN_PAGE || !last) return best;
    after = { runAt: Number(last.run_at), id: last.id };
  }
}

export async function findJob(db: Executor, key: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Deletes finished jobs older than `before` (retention). */
export async function pruneJobs(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('jobs').where('status', 'in', ['done', 'cancelled', 'failed']).where('finished_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
