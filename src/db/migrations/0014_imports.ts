import type { Kysely } from 'kysely';

/**
 * Migration from other tools (issue 14): the status of Opsgenie API requests (its clients poll
 * `GET /v2/alerts/requests/{id}` after every call) and the vendor-id → Tocsin-id map of importers,
 * which makes a re-run update rather than duplicate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('opsgenie_requests')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('integration_id', 'varchar(36)', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(512)', (c) => c.notNull())
    .addColumn('alert_id', 'varchar(36)')
    .addColumn('alias', 'varchar(512)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('opsgenie_requests_created').on('opsgenie_requests').column('created_at').execute();

  await db.schema
    .createTable('import_mappings')
    .addColumn('vendor', 'varchar(32)', (c) => c.notNull())
    .addColumn('account', 'varchar(255)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('vendor_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('local_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_mappings_pk', ['vendor', 'account', 'kind', 'vendor_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_mappings').execute();
  await db.schema.dropTable('opsgenie_requests').execute();
}
