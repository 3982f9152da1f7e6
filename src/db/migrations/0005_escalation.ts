import type { Kysely } from 'kysely';

/** Escalation rules, the per-incident escalation state, notification providers and the outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('escalation_rules')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('channel_id', 'varchar(36)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('spec_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('escalation_rules_channel').on('escalation_rules').columns(['channel_id', 'position']).execute();

  await db.schema.alterTable('incidents').addColumn('rule_id', 'varchar(36)').execute();
  await db.schema.alterTable('incidents').addColumn('rule_snapshot_json', 'text').execute();
  // Bumped on reopen and wake: jobs of an older escalation pass find a different epoch and stop.
  await db.schema.alterTable('incidents').addColumn('escalation_epoch', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('incidents').addColumn('escalation_level', 'integer').execute();
  await db.schema.alterTable('incidents').addColumn('snoozed_until', 'bigint').execute();
  await db.schema.alterTable('incidents').addColumn('acknowledgers_json', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema.alterTable('persons').addColumn('preferences_json', 'text', (c) => c.notNull().defaultTo('{}')).execute();

  await db.schema
    .createTable('notification_providers')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('provider', 'varchar(32)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('settings_json', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    // (incident, epoch, level, round, repeat, recipient, method): a page is never sent twice.
    .addColumn('key', 'varchar(300)', (c) => c.notNull().unique())
    .addColumn('incident_id', 'varchar(36)')
    .addColumn('person_id', 'varchar(36)')
    .addColumn('provider_id', 'varchar(36)')
    .addColumn('method', 'varchar(32)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('recipient_json', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_by', 'varchar(64)')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('messages_due').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('messages_incident').on('messages').columns(['incident_id', 'id']).execute();

  await db.schema
    .createTable('action_tokens')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('incident_id', 'varchar(36)', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(36)')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['action_tokens', 'messages', 'notification_providers', 'escalation_rules']) await db.schema.dropTable(table).execute();
  for (const column of ['rule_id', 'rule_snapshot_json', 'escalation_epoch', 'escalation_level', 'snoozed_until', 'acknowledgers_json']) {
    await db.schema.alterTable('incidents').dropColumn(column).execute();
  }
  await db.schema.alterTable('persons').dropColumn('preferences_json').execute();
}
