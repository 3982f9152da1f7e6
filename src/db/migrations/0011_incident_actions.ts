import type { Kysely } from 'kysely';

/**
 * Incident actions (issue 11): impact and merge target on incidents, assignees and responders,
 * custom field definitions and values (one row per value, so a list filter is one indexed lookup),
 * change events (PagerDuty `/v2/change/enqueue`) per channel, and one post-mortem per incident.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('impact', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('incidents').addColumn('merged_into', 'varchar(36)').execute();

  await db.schema
    .createTable('incident_responders')
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('added_by', 'varchar(36)')
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_responders_pk', ['incident_id', 'target_type', 'target_id'])
    .execute();

  await db.schema
    .createTable('custom_fields')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('label', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('options_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incident_field_values')
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('field_id', 'varchar(36)', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addColumn('value', 'varchar(1000)', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_field_values_pk', ['incident_id', 'field_id', 'value'])
    .execute();
  await db.schema.createIndex('incident_field_values_lookup').on('incident_field_values').columns(['field_id', 'value', 'incident_id']).execute();

  await db.schema
    .createTable('change_events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('channel_id', 'varchar(36)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('integration_id', 'varchar(36)', (c) => c.references('integrations.id').onDelete('set null'))
    .addColumn('title', 'varchar(1024)', (c) => c.notNull())
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('links_json', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_events_channel_time').on('change_events').columns(['channel_id', 'event_time']).execute();

  await db.schema
    .createTable('postmortems')
    .addColumn('incident_id', 'varchar(36)', (c) => c.primaryKey().references('incidents.id').onDelete('cascade'))
    .addColumn('markdown', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('postmortems').execute();
  await db.schema.dropTable('change_events').execute();
  await db.schema.dropTable('incident_field_values').execute();
  await db.schema.dropTable('custom_fields').execute();
  await db.schema.dropTable('incident_responders').execute();
  await db.schema.alterTable('incidents').dropColumn('merged_into').execute();
  await db.schema.alterTable('incidents').dropColumn('impact').execute();
}
