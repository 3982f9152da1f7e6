import type { Insertable } from 'kysely';
import { insertRows } from './precompiled.js';
import type { Database } from './schema.js';
import type { Executor } from './types.js';

type Table = keyof Database & string;

/**
 * Inserts from concurrent callers outside any transaction (delivery's action links: two rows per
 * page), gathered for one turn of the event loop and written in one transaction with multi-row
 * statements. On SQLite every lone insert is a commit of its own; a storm's pages would pay one each.
 * Each caller's promise settles after the shared commit; if it fails, every caller of that turn gets
 * the error (nothing of that turn is stored).
 */
export function createInsertBatcher(db: Executor) {
  let pending: { table: Table; rows: readonly Insertable<Database[Table]>[]; resolve: () => void; reject: (error: unknown) => void }[] = [];

  async function write(batch: typeof pending): Promise<void> {
    try {
      await db.transaction().execute(async (trx) => {
        const byShape = new Map<string, { table: Table; rows: Insertable<Database[Table]>[] }>();
        for (const { table, rows } of batch) {
          for (const row of rows) {
            const key = `${table}:${Object.keys(row).join(',')}`;
            const group = byShape.get(key);
            if (group) group.rows.push(row);
            else byShape.set(key, { table, rows: [row] });
          }
        }
        for (const { table, rows } of byShape.values()) {
          for (let i = 0; i < rows.length; i += 100) await insertRows(trx, table, rows.slice(i, i + 100));
        }
      });
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  return {
    /** Inserts `rows` with whatever else arrives in this turn; resolves once they are committed. */
    insert<T extends Table>(table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
      if (rows.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        if (pending.length === 0) {
          setImmediate(() => {
            const batch = pending;
            pending = [];
            void write(batch);
          });
        }
        pending.push({ table, rows: rows as readonly Insertable<Database[Table]>[], resolve, reject });
      });
    },
  };
}

export type InsertBatcher = ReturnType<typeof createInsertBatcher>;
