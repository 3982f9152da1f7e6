import { PostgresAdapter, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A connection or an open transaction; stores accept either so services decide the transaction scope. */
export type Executor = Kysely<Database>;

/** SQL `LIKE` pattern for a case-insensitive "contains" search, with wildcards in the input escaped. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** True when a database error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * True for PostgreSQL's deadlock (40P01) and serialization failure (40001): the statement lost a race
 * with another transaction and succeeds when applied again.
 */
export function isTransientConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001';
}

/** True when `db` talks to PostgreSQL (for the few statements that differ by dialect). */
export function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
