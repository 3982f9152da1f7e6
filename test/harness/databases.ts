import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { requireOrSkip } from './requirements.js';

export type DialectName = 'sqlite' | 'postgres';

/** The secret key every test server on PostgreSQL shares (required there; issue 10 item 9). */
export const TEST_SECRET_KEY = '5ec4e7'.padEnd(64, '0');

export const PG_ADMIN_URL = process.env.TOCSIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgAvailable: Promise<boolean> | undefined;

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The dialects every smoke test runs on: SQLite always, PostgreSQL when reachable (required in CI). */
export async function testDialects(): Promise<DialectName[]> {
  pgAvailable ??= probePostgres();
  const hasPg = requireOrSkip('PostgreSQL', await pgAvailable, `cannot connect to ${PG_ADMIN_URL}`);
  return hasPg ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty database of the given dialect, dropped again by `drop()`. */
export interface TestDatabase {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-test-'));
  if (dialect === 'sqlite') {
    return { dataDir, databaseUrl: undefined, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `tocsin_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
