import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { NotificationProvidersTable } from '../db/schema.js';

export type ProviderRow = Selectable<NotificationProvidersTable>;

export async function listProviderRows(db: Executor): Promise<ProviderRow[]> {
  return db.selectFrom('notification_providers').selectAll().orderBy('name').orderBy('id').execute();
}

export async function findProviderRow(db: Executor, id: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('notification_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertProviderRow(db: Executor, row: ProviderRow): Promise<void> {
  await db.insertInto('notification_providers').values(row).execute();
}

export async function updateProviderRow(db: Executor, id: string, changes: Partial<Pick<ProviderRow, 'name' | 'settings_json' | 'enabled'>> & { updated_at: number }): Promise<void> {
  await db.updateTable('notification_providers').set(changes).where('id', '=', id).execute();
}

export async function deleteProviderRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('notification_providers').where('id', '=', id).execute();
}

/** Inserts unless a row with this id exists (several nodes starting at once). */
export async function insertProviderRowIfMissing(db: Executor, row: ProviderRow): Promise<void> {
  await db.insertInto('notification_providers').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}
