import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';

export type DialectName = 'sqlite' | 'postgres';

/** An open database: the Kysely instance plus what differs between dialects. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** True once migrations have completed in this process (for /readyz). */
  migrated: boolean;
  close(): Promise<void>;
}

/** Opens the embedded SQLite file in `dataDir`, or PostgreSQL when `databaseUrl` is set. */
export function openDatabase(options: { dataDir: string; databaseUrl?: string | undefined }): Db {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(join(options.dataDir, 'tocsin.sqlite'));
}

function openSqlite(file: string): Db {
  const database = new SQLite(file);
  // WAL lets readers run beside the single writer; NORMAL sync is durable across process crashes in WAL mode.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { kysely, dialect: 'sqlite', migrated: false, close: () => kysely.destroy() };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs about as much as running a small statement, so
 * statements are cached by SQL text (the query shapes are few, parameters vary). Safe because Kysely
 * runs one query at a time per connection and only streams through `iterate`, which gets a fresh one.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        statement = database.prepare(sql);
        cache.set(sql, statement);
      }
      const prepared = statement;
      return {
        reader: prepared.reader,
        all: (parameters: readonly unknown[]) => prepared.all(...parameters),
        run: (parameters: readonly unknown[]) => prepared.run(...parameters),
        iterate: (parameters: readonly unknown[]) => database.prepare(sql).iterate(...parameters),
      };
    },
  };
}

// int8 (bigint) columns hold millisecond times, well inside Number's exact range.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

function openPostgres(connectionString: string): Db {
  const pool = new pg.Pool({ connectionString, max: 10, types: pgTypes });
  // An idle client dying (server restart, failover) must not crash the process: the pool discards it
  // and the next query connects anew; queries in flight still see their own errors.
  pool.on('error', () => undefined);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', migrated: false, close: () => kysely.destroy() };
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  db.migrated = true;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** A cheap round trip to the database. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db.kysely);
}
