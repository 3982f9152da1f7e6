import type { Kysely } from 'kysely';

/**
 * API keys get an optional expiry and a scope (`full` or `read`, issue 10 item 21). Existing keys keep
 * working as before: no expiry, full scope.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('api_keys').addColumn('scope', 'varchar(16)', (c) => c.notNull().defaultTo('full')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('scope').execute();
  await db.schema.alterTable('api_keys').dropColumn('expires_at').execute();
}
