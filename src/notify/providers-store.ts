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

/** The cached configurations; read again when stale or when one of `needed` is not among them (just created on another node). */
async function providerRows(db: Executor, needed: readonly string[] = []) {
  const key = db.getExecutor().adapter;
  const now = Date.now();
  const hit = cached.get(key);
  if (hit && now >= hit.at && now - hit.at < PROVIDERS_TTL_MS && needed.every((id) => hit.byId.has(id))) return hit;
  const rows = await db.selectFrom('notification_providers').selectAll().orderBy('name').orderBy('id').execute();
  const entry = { at: now, rows, byId: new Map(rows.map((r) => [r.id, r])) };
  cached.set(key, entry);
  return entry;
}

function forgetProviders(db: Executor): void {
  cached.delete(db.getExecutor().adapter);
}

/** All configurations, by name (copies: callers may not change the cached rows); `needed` ids force a fresh read when missing. */
export async function listProviderRows(db: Executor, needed: readonly string[] = []): Promise<ProviderRow[]> {
  return (await providerRows(db, needed)).rows.map((r) => ({ ...r }));
}

export async function findProviderRow(db: Executor, id: string): Promise<ProviderRow | undefined> {
  const row = (await providerRows(db, [id])).byId.get(id);
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
