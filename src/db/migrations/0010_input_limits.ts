import type { Kysely } from 'kysely';

/**
 * One row per verification code sent, kept for a day, so codes per person and day can be capped
 * across every node (issue 10 item 15: premium-rate SMS toll fraud). `verification_codes` cannot
 * count them: a new code replaces the previous one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('verification_sends')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('person_id', 'varchar(36)', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('verification_sends_person').on('verification_sends').columns(['person_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('verification_sends').execute();
}
