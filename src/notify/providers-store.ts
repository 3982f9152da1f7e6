import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { NotificationProvidersTable } from '../db/schema.js';

export type ProviderRow = Selectable<NotificationProvidersTable>;

/**
 * Every page reads the provider configurations (dispatch picks one per method, delivery loads the
 * one it sends through); they change rarely, so they are kept per database for a few seconds. Writes
 * on this node drop the copy at once; other nodes' edits apply within PROVIDERS_TTL_MS.
 */
const PROVIDERS_TTL_MS = 5000;
const cached = new WeakMap<object, { readonly at: number; readonly rows: readonly ProviderRow[]; readonly byId: ReadonlyMap<string, ProviderRow> }>();

async function providerRows(db: Executor) {
  const key = db.getExecutor().adapter;
  const now = Date.now();
  const hit = cached.get(key);
  if (hit && now >= hit.at && now - hit.at < PROVIDERS_TTL_MS) return hit;
  const rows = await db.selectFrom('notification_providers').selectAll().orderBy('name').orderBy('id').execute();
  const entry = { at: now, rows, byId: new Map(rows.map((r) => [r.id, r])) };
  cached.set(key, entry);
  return entry;
}

function forgetProviders(db: Executor): void {
  cached.delete(db.getExecutor().adapter);
}

/** All configurations, by name (copies: callers may not change the cached rows). */
export async function listProviderRows(db: Executor): Promise<ProviderRow[]> {
  return (await providerRows(db)).rows.map((r) => ({ ...r }));
}

export async function findProviderRow(db: Executor, id: string): Promise<ProviderRow | undefined> {
  const row = (await providerRows(db)).byId.get(id);
  return row && { ...row };
}

export async function insertProviderRow(db: Executor, row: ProviderRow): Promise<void> {
  forgetProviders(db);
  await db.insertInto('notification_providers').values(row).execute();
  forgetProviders(db);
}

export async function updateProviderRow(db: Executor, id: string, changes: Partial<Pick<ProviderRow, 'name' | 'settings_json' | 'enabled'>> & { updated_at: number }): Promise<void> {
  forgetProviders(db);
  await db.updateTable('notification_providers').set(changes).where('id', '=', id).execute();
  forgetProviders(db);
}

export async function deleteProviderRow(db: Executor, id: string): Promise<void> {
  forgetProviders(db);
  await db.deleteFrom('notification_providers').where('id', '=', id).execute();
  forgetProviders(db);
}

/** Inserts unless a row with this id exists (several nodes starting at once). */
export async function insertProviderRowIfMissing(db: Executor, row: ProviderRow): Promise<void> {
  await db.insertInto('notification_providers').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}
