import type { Insertable } from 'kysely';
import { insertRows } from './precompiled.js';
import type { Database } from './schema.js';
import type { Executor } from './types.js';

/**
 * Deferred inserts (ADR 0070): rows that nothing reads before the transaction commits — timeline
 * entries, alert events, raw payloads — are collected per transaction and written as multi-row
 * statements just before it commits, instead of one statement each. A group-commit batch of 64 new
 * incidents writes its ~250 timeline rows with a handful of statements.
 *
 * Only an executor that was opened for collection (`collectDeferred`) collects; with any other
 * executor `deferInsert` writes at once, so callers never need to know which kind they hold. A
 * collecting caller must call `flushDeferred` before it commits (or `dropDeferred` when it rolls back).
 */

type Table = keyof Database & string;
type Pending = Map<string, { readonly table: Table; readonly ignoreConflictOn: string | undefined; rows: Insertable<Database[Table]>[] }>;

const collecting = new WeakMap<object, Pending>();

/** Rows per statement: well under SQLite's 32 766 bound parameters and PostgreSQL's 65 535 for our widest table. */
const ROWS_PER_STATEMENT = 100;

/** Makes `db` (a transaction or savepoint) collect deferred inserts until it is flushed. */
export function collectDeferred(db: Executor): void {
  collecting.set(db, new Map());
}

/**
 * Inserts `row` now, or when `db` collects, just before its transaction commits. With
 * `ignoreConflictOn` (a unique column) a row whose key exists by then inserts nothing — for writes
 * made idempotent by their key (outbox rows, timers) whose callers do not need to know.
 */
export async function deferInsert<T extends Table>(db: Executor, table: T, row: Insertable<Database[T]>, ignoreConflictOn?: string): Promise<void> {
  const pending = collecting.get(db);
  if (!pending) {
    await insertRows(db, table, [row], ignoreConflictOn);
    return;
  }
  // Rows of one statement share their columns (in the same order) and their conflict handling.
  const key = `${table}:${Object.keys(row).join(',')}:${ignoreConflictOn ?? ''}`;
  const group = pending.get(key);
  if (group) group.rows.push(row as Insertable<Database[Table]>);
  else pending.set(key, { table, ignoreConflictOn, rows: [row as Insertable<Database[Table]>] });
}

/** Writes what `db` collected (as few statements as the row count allows) and stops collecting. */
export async function flushDeferred(db: Executor): Promise<void> {
  const pending = collecting.get(db);
  if (!pending) return;
  collecting.delete(db);
  for (const { table, ignoreConflictOn, rows } of pending.values()) {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertRows(db, table, rows.slice(i, i + ROWS_PER_STATEMENT), ignoreConflictOn);
  }
}

/** Forgets what `db` collected (its transaction or savepoint was rolled back). */
export function dropDeferred(db: Executor): void {
  collecting.delete(db);
}
