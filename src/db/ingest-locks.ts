import type { DialectName } from './connect.js';
import { INGEST_LOCK_SLOTS } from './migrations/0007_page_path.js';
import type { Executor } from './types.js';

/** FNV-1a: a cheap, stable spread of keys over the lock slots. */
function slotOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % INGEST_LOCK_SLOTS;
}

/**
 * Locks the rows that ingest keys hash onto, in slot order, until the transaction ends. PostgreSQL
 * only: under READ COMMITTED two nodes could otherwise both find no open alert for a key (or no
 * incident for a group) and both create one. Slot order makes every batch lock in the same order,
 * so batches wait for each other but never deadlock. SQLite has a single writer and needs none.
 */
export function ingestLocker(dialect: DialectName): ((trx: Executor, keys: readonly string[]) => Promise<void>) | undefined {
  if (dialect !== 'postgres') return undefined;
  return async (trx, keys) => {
    const slots = [...new Set(keys.map(slotOf))];
    await trx.selectFrom('ingest_locks').select('slot').where('slot', 'in', slots).orderBy('slot').forUpdate().execute();
  };
}
