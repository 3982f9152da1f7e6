import type { Kysely } from 'kysely';

/** Number of lock rows ingest keys hash onto (src/db/ingest-locks.ts). */
export const INGEST_LOCK_SLOTS = 1024;

/**
 * The page path (issue 9): a fixed set of lock rows that ingest batches lock on PostgreSQL, so two
 * nodes never apply the same alert key or group key at the same time; and the inhibit index: for
 * every open, active alert that matches an inhibit rule's source, the hash of its `equal` label values,
 * so a new alert finds its inhibitor with one indexed probe instead of scanning the channel's alerts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('ingest_locks').addColumn('slot', 'integer', (c) => c.primaryKey()).execute();
  const rows = Array.from({ length: INGEST_LOCK_SLOTS }, (_, slot) => ({ slot }));
  await (db as Kysely<{ ingest_locks: { slot: number } }>).insertInto('ingest_locks').values(rows).execute();
  await db.schema
    .createTable('inhibit_keys')
    .addColumn('rule_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('equal_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('alert_id', 'varchar(36)', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('inhibit_keys_pk', ['rule_id', 'equal_key', 'alert_id'])
    .execute();
  await db.schema.createIndex('inhibit_keys_alert').on('inhibit_keys').column('alert_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inhibit_keys').execute();
  await db.schema.dropTable('ingest_locks').execute();
}
