import type { Kysely } from 'kysely';

/** Per-channel template overrides of notification methods (SPEC §8.3, issue 12). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_templates')
    .addColumn('channel_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('method', 'varchar(16)', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('text', 'text')
    .addColumn('html', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(64)')
    .addPrimaryKeyConstraint('channel_templates_pk', ['channel_id', 'method'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_templates').execute();
}
