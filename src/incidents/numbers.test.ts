import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '../../test/harness/databases.js';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import { migrate, openDatabase } from '../db/connect.js';
import { migrations } from '../db/migrations/index.js';
import { nextIncidentNumber } from './store.js';

const dialects = await testDialects();

describe.each(dialects)('incident numbers on %s', (dialect) => {
  const database = useMigratedDatabase(dialect);

  it('counts up by one', async () => {
    const first = await nextIncidentNumber(database.db.kysely);
    expect(await nextIncidentNumber(database.db.kysely)).toBe(first + 1);
    expect(await nextIncidentNumber(database.db.kysely)).toBe(first + 2);
  });
});

describe.each(dialects.filter((d) => d === 'postgres'))('the incident number sequence on %s', (dialect) => {
  const database = useMigratedDatabase(dialect);

  it('lets two open transactions take numbers without waiting for each other’s commit', async () => {
    const db = database.db.kysely;
    const first = await db.startTransaction().execute();
    const second = await db.startTransaction().execute();
    try {
      const a = await nextIncidentNumber(first);
      // With a counter row, this waited for `first` to commit (its row lock): a batch behind every other.
      const b = await Promise.race([nextIncidentNumber(second), new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2000))]);
      expect(b).not.toBe('blocked');
      expect(new Set([a, b]).size).toBe(2);
    } finally {
      await first.rollback().execute();
      await second.rollback().execute();
    }
  });

  it('continues after the numbers given before it was created', async () => {
    const fresh = await createTestDatabase(dialect);
    const db = openDatabase({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl });
    try {
      const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('0016_im_links');
      expect(before.error).toBeUndefined();
      await db.kysely.insertInto('counters').values({ name: 'incident_number', value: 41 }).execute();
      await migrate(db);
      expect(await nextIncidentNumber(db.kysely)).toBe(42);
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});
