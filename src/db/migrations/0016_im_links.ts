import type { Kysely } from 'kysely';

/**
 * IM direct messages and the delivery log's waiting reason (issue 12 item 3, issue 13):
 * - `im_links`: a person's chat on an IM provider that cannot find people by email (Telegram: the
 *   private chat id the person opened by starting the bot from the personal center's deep link);
 * - `im_link_tokens`: the one-time tokens of those deep links (stored hashed, short-lived);
 * - `messages.wait_reason`: why a pending message waits (throttle / bundle window), for the log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('im_links')
    .addColumn('provider_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('im_links_pk', ['provider_id', 'person_id'])
    .execute();
  await db.schema.createIndex('im_links_external').on('im_links').columns(['provider_id', 'external_id']).execute();
  await db.schema
    .createTable('im_link_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('provider_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('messages').addColumn('wait_reason', 'varchar(300)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('wait_reason').execute();
  await db.schema.dropTable('im_link_tokens').execute();
  await db.schema.dropTable('im_links').execute();
}
