import type { Kysely } from 'kysely';

/** The vendor's id of a sent message (Twilio SID, Slack channel:ts), to match status callbacks and update in place. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('provider_message_id', 'varchar(200)').execute();
  await db.schema.createIndex('messages_provider_message_id').on('messages').column('provider_message_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('messages_provider_message_id').execute();
  await db.schema.alterTable('messages').dropColumn('provider_message_id').execute();
}
