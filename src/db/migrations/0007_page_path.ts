import type { Kysely } from 'kysely';

/** Number of lock rows ingest keys hash onto (src/db/ingest-locks.ts). */
export const INGEST_LOCK_SLOTS = 1024;

/**
 * The page path (issue 9): a fixed set of lock rows that ingest batches lock on PostgreSQL, so two
 * nodes never apply the same alert key or group key at the same time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('ingest_locks').addColumn('slot', 'integer', (c) => c.primaryKey()).execute();
  const rows = Array.from({ length: INGEST_LOCK_SLOTS }, (_, slot) => ({ slot }));
  await (db as Kysely<{ ingest_locks: { slot: number } }>).insertInto('ingest_locks').values(rows).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ingest_locks').execute();
}
