import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness/databases.js';
import { openDatabase, migrate } from './connect.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('background WAL checkpoints on SQLite', () => {
  it('copies committed pages into the database file from a worker while the writer’s own threshold is not reached', async () => {
    const database = await createTestDatabase('sqlite');
    const problems: string[] = [];
    const db = openDatabase({ dataDir: database.dataDir, backgroundCheckpoints: true, onProblem: (m) => problems.push(m) });
    try {
      await migrate(db);
      const file = join(database.dataDir, 'tocsin.sqlite');
      // The writer checkpoints by itself only past 10 000 pages once the worker runs.
      let threshold = 0;
      for (let i = 0; i < 100 && threshold !== 10_000; i += 1) {
        threshold = Number((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely)).rows[0]?.wal_autocheckpoint);
        if (threshold !== 10_000) await pause(20);
      }
      expect(threshold).toBe(10_000);
      const before = statSync(file).size;
      // About 12 MB (~3 000 pages) in 300 commits: well under the writer's threshold.
      const blob = 'x'.repeat(40_000);
      for (let i = 0; i < 300; i += 1) {
        await db.kysely.insertInto('counters').values({ name: `blob-${i}-${blob}`, value: i }).execute();
        if (i % 30 === 0) await pause(20);
      }
      let grown = 0;
      for (let i = 0; i < 50 && grown < 8_000_000; i += 1) {
        await pause(50);
        grown = statSync(file).size - before;
      }
      expect(grown).toBeGreaterThan(8_000_000);
      expect(problems).toEqual([]);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
