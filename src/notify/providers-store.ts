import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { NotificationProvidersTable } from '../db/schema.js';

export type ProviderRow = Selectable<NotificationProvidersTable>;

/**
 * Every page reads the provider configurations (dispatch picks one per method, delivery loads the
 * one it sends through); they change rarely, so they are kept for a few seconds per database handle.
 * A write on this node drops every copy (the API's and the engine's handles are different pools on
 * PostgreSQL, so dropping only the writer's copy left the engine sending with a stale list), once at
 * the statement and again after its transaction commits (`forgetProviders`, called by the service):
 * a reader between the two could otherwise cache the old rows. Other nodes' edits apply within
 * PROVIDERS_TTL_MS, and a provider id missing from the copy is looked up in the database before
 * anyone concludes it is gone.
 */
const PROVIDERS_TTL_MS = 5000;
let cached = new WeakMap<object, { readonly at: number; readonly rows: readonly ProviderRow[]; readonly byId: ReadonlyMap<string, ProviderRow> }>();

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

/** Drops every cached copy of the configurations on this node (after a write commits). */
export function forgetProviders(): void {
  cached = new WeakMap();
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
  forgetProviders();
  await db.insertInto('notification_providers').values(row).execute();
  forgetProviders();
}

export async function updateProviderRow(db: Executor, id: string, changes: Partial<Pick<ProviderRow, 'name' | 'settings_json' | 'enabled'>> & { updated_at: number }): Promise<void> {
  forgetProviders();
  await db.updateTable('notification_providers').set(changes).where('id', '=', id).execute();
  forgetProviders();
}

export async function deleteProviderRow(db: Executor, id: string): Promise<void> {
  forgetProviders();
  await db.deleteFrom('notification_providers').where('id', '=', id).execute();
  forgetProviders();
}

/** Inserts unless a row with this id exists (several nodes starting at once). */
export async function insertProviderRowIfMissing(db: Executor, row: ProviderRow): Promise<void> {
  await db.insertInto('notification_providers').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
  forgetProviders();
}
