import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/harness/databases.js';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import { ingestLocker } from './ingest-locks.js';

const dialects = await testDialects();

describe.each(dialects.filter((d) => d === 'postgres'))('ingest locks on %s', (dialect) => {
  const database = useMigratedDatabase(dialect);
  const lock = ingestLocker(dialect);
  const settledWithin = (promise: Promise<unknown>, ms: number) => Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

  it('makes a batch with a shared key wait for the other’s commit, and lets disjoint batches run side by side', async () => {
    if (!lock) throw new Error('PostgreSQL locks ingest keys');
    const db = database.db.kysely;
    const first = await db.startTransaction().execute();
    const shared = await db.startTransaction().execute();
    const disjoint = await db.startTransaction().execute();
    try {
      await lock(first, ['alert:c:a', 'group:c:g']);
      expect(await settledWithin(lock(disjoint, ['alert:c:b', 'group:c:h']), 2000)).toBe(true);
      const waiting = lock(shared, ['alert:c:z', 'group:c:g']);
      expect(await settledWithin(waiting, 500)).toBe(false);
      await first.commit().execute();
      expect(await settledWithin(waiting, 2000)).toBe(true);
    } finally {
      await Promise.all([shared.rollback().execute(), disjoint.rollback().execute()]);
    }
  });
});
