import { describe, expect, it } from 'vitest';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import { runDirect } from './direct-sqlite.js';
import { cachedRows, insertRow } from './precompiled.js';
import type { Executor } from './types.js';

const SELECT = 'select "name", "value" from "counters" where "name" like ? order by "name"';

/** Names of counters starting with `prefix`, through the precompiled path (direct when allowed). */
async function counters(db: Executor, prefix: string): Promise<string[]> {
  const rows = await cachedRows<{ name: string }>(db, 'test:counters-like', [`${prefix}%`], () => db.selectFrom('counters').select(['name', 'value']).where('name', 'like', `${prefix}%`).orderBy('name'));
  return rows.map((r) => r.name);
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('direct execution of precompiled statements on SQLite', () => {
  const database = useMigratedDatabase('sqlite');

  it('runs directly when no transaction is open, and inside the transaction that holds the connection', async () => {
    const db = database.db.kysely;
    await insertRow(db, 'counters', { name: 'direct-a', value: 1 });
    expect(runDirect<{ name: string }>(db, SELECT, ['direct-%'])?.rows.map((r) => r.name)).toEqual(['direct-a']);
    await db.transaction().execute(async (trx) => {
      await insertRow(trx, 'counters', { name: 'direct-b', value: 1 });
      // The transaction sees its own row directly; the connection outside it must wait.
      expect(runDirect<{ name: string }>(trx, SELECT, ['direct-%'])?.rows.map((r) => r.name)).toEqual(['direct-a', 'direct-b']);
      expect(runDirect(db, SELECT, ['direct-%'])).toBeUndefined();
    });
  });

  it('never reads another transaction’s uncommitted rows: it waits for the commit', async () => {
    const db = database.db.kysely;
    const trx = await db.startTransaction().execute();
    await insertRow(trx, 'counters', { name: 'wait-1', value: 1 });
    let seen: string[] | undefined;
    const read = counters(db, 'wait-').then((names) => (seen = names));
    await tick();
    await tick();
    expect(seen).toBeUndefined();
    await trx.commit().execute();
    await read;
    expect(seen).toEqual(['wait-1']);
  });

  it('never writes into another transaction: a write outside survives that transaction’s rollback', async () => {
    const db = database.db.kysely;
    const trx = await db.startTransaction().execute();
    await insertRow(trx, 'counters', { name: 'rolled-back', value: 1 });
    const outside = insertRow(db, 'counters', { name: 'kept', value: 1 });
    await tick();
    await trx.rollback().execute();
    await outside;
    expect(await counters(db, 'rolled-back')).toEqual([]);
    expect(await counters(db, 'kept')).toEqual(['kept']);
  });
});
