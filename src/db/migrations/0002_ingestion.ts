import { sql, type Kysely } from 'kysely';

/** Integrations, raw events, events, alerts, incidents, their timeline, and noise-reduction rules. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('channel_id', 'varchar(36)', (c) => c.references('channels.id').onDelete('cascade'))
    .addColumn('team_id', 'varchar(36)', (c) => c.references('teams.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('source', 'varchar(32)', (c) => c.notNull())
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('key_sealed', 'text', (c) => c.notNull())
    .addColumn('email_prefix', 'varchar(64)', (c) => c.unique())
    .addColumn('settings_json', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('last_event_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('integrations_channel').on('integrations').column('channel_id').execute();

  await db.schema
    .createTable('integration_stats')
    .addColumn('integration_id', 'varchar(36)', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('dropped', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('integration_stats_pk', ['integration_id', 'hour'])
    .execute();

  await db.schema
    .createTable('raw_events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('integration_id', 'varchar(36)', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'varchar(128)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('raw_events_integration').on('raw_events').columns(['integration_id', 'id']).execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('channel_id', 'varchar(36)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('title', 'varchar(512)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('group_key', 'varchar(128)')
    .addColumn('alert_count', 'integer', (c) => c.notNull())
    .addColumn('active_alert_count', 'integer', (c) => c.notNull())
    .addColumn('edited_fields', 'text', (c) => c.notNull())
    .addColumn('storm_level', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_merge_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('root_cause', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('incidents_channel_status').on('incidents').columns(['channel_id', 'status', 'id']).execute();
  await db.schema.createIndex('incidents_group').on('incidents').columns(['channel_id', 'group_key', 'status']).execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('channel_id', 'varchar(36)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('integration_id', 'varchar(36)', (c) => c.references('integrations.id').onDelete('set null'))
    .addColumn('incident_id', 'varchar(36)', (c) => c.references('incidents.id').onDelete('set null'))
    .addColumn('alert_key', 'varchar(255)', (c) => c.notNull())
    .addColumn('title', 'varchar(512)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('suppressed_by', 'varchar(36)')
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('flapping', 'integer', (c) => c.notNull())
    .addColumn('flap_changes', 'text', (c) => c.notNull())
    .addColumn('muted_until', 'bigint')
    .addColumn('first_event_at', 'bigint', (c) => c.notNull())
    .addColumn('last_event_at', 'bigint', (c) => c.notNull())
    .addColumn('recovered_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One open (unrecovered) alert per key and channel; recovered ones stay as history.
  await db.schema.createIndex('alerts_open_key').on('alerts').columns(['channel_id', 'alert_key']).unique().where(sql.ref('recovered_at'), 'is', null).execute();
  await db.schema.createIndex('alerts_key').on('alerts').columns(['channel_id', 'alert_key', 'id']).execute();
  await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('alert_id', 'varchar(36)', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('title', 'varchar(512)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_alert').on('events').columns(['alert_id', 'id']).execute();

  await db.schema
    .createTable('timeline')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_incident').on('timeline').columns(['incident_id', 'id']).execute();

  await db.schema
    .createTable('channel_rules')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('channel_id', 'varchar(36)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('spec_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channel_rules_channel').on('channel_rules').columns(['channel_id', 'kind']).execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('channels').addColumn('noise_json', 'text', (c) => c.notNull().defaultTo('{}')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channels').dropColumn('noise_json').execute();
  for (const table of ['counters', 'channel_rules', 'timeline', 'events', 'alerts', 'incidents', 'raw_events', 'integration_stats', 'integrations']) {
    await db.schema.dropTable(table).execute();
  }
}
