import type { QueryResult } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Executor } from './types.js';

/**
 * Direct execution of precompiled statements on SQLite (ADR 0071). Every query through Kysely passes
 * its executor chain, the single connection's mutex and several promise hops — for a statement that
 * better-sqlite3 runs synchronously in 5–30 µs, that was as much again. A precompiled statement
 * (`precompiled.ts`) already has its SQL, so it can go straight to the prepared statement when doing
 * so cannot change what it sees or joins:
 *
 * - inside a transaction executor (Kysely's single SQLite connection belongs to that transaction
 *   while its executor exists), or
 * - outside any, when the connection has no transaction open right now: better-sqlite3 runs the
 *   statement synchronously, so it completes (and an autocommit write commits) before any other code
 *   can begin one — the same isolation the mutex gives, without waiting for it.
 *
 * When a transaction of someone else is open the statement takes the usual way and waits its turn,
 * so it never reads that transaction's uncommitted rows nor writes into it.
 */
export interface DirectSqlite {
  readonly database: SQLite.Database;
  /** The connection's cached prepared statement for `sql`. */
  statement(sql: string): SQLite.Statement;
}

// Keyed by the dialect adapter: one per Kysely instance, shared by its transactions.
const handles = new WeakMap<object, DirectSqlite>();

/** Makes precompiled statements of `db` eligible for direct execution. */
export function registerDirectSqlite(db: Executor, handle: DirectSqlite): void {
  handles.set(db.getExecutor().adapter, handle);
}

/** Runs a precompiled statement directly when that is safe (see above); undefined when it must go through Kysely. */
export function runDirect<R>(db: Executor, sql: string, parameters: readonly unknown[]): QueryResult<R> | undefined {
  const handle = handles.get(db.getExecutor().adapter);
  if (!handle) return undefined;
  const open = handle.database.inTransaction;
  if (db.isTransaction ? !open : open) return undefined;
  const statement = handle.statement(sql);
  if (statement.reader) return { rows: statement.all(...parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(...parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}
