import { afterAll, beforeAll } from 'vitest';
import { migrate, openDatabase, type Db } from '../../src/db/connect.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './databases.js';

/**
 * A fresh, migrated database for the tests of one `describe` block, dropped after them. Call it inside
 * the block; read `.db` inside tests and hooks (it is set by the time they run). `seed` adds rows the
 * block's tests share.
 */
export function useMigratedDatabase(dialect: DialectName, seed?: (db: Db) => Promise<void>): { readonly db: Db } {
  let database: TestDatabase | undefined;
  let opened: Db | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    opened = openDatabase({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
    await migrate(opened);
    await seed?.(opened);
  });
  afterAll(async () => {
    await opened?.close();
    await database?.drop();
  });
  return {
    get db(): Db {
      if (!opened) throw new Error('the test database is opened in beforeAll');
      return opened;
    },
  };
}
