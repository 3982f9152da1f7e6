import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { databaseFaultReason, isDatabaseUnavailable } from './faults.js';
import { hotName } from './hot-statements.js';
import { registerDirectSqlite } from './direct-sqlite.js';
import { startCheckpointer } from './checkpointer.js';

export type DialectName = 'sqlite' | 'postgres';

/** An open database: the Kysely instance plus what differs between dialects. */
export interface Db {
  readonly kysely: Kysely<Database>;
  /**
   * What the engine uses. On PostgreSQL a pool of its own, so a burst of ingest requests never
   * makes due escalations and deliveries wait for a connection (and the reverse); on SQLite the
   * same single connection (one writer either way).
   */
  readonly engine: Kysely<Database>;
  readonly dialect: DialectName;
  /** True once migrations have completed in this process (for /readyz). */
  migrated: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  /** PostgreSQL: how long to wait for a new connection (default 5 s). */
  readonly dbConnectTimeoutMs?: number;
  /** PostgreSQL: how long one statement may take before its connection is dropped (default 10 s). */
  readonly dbQueryTimeoutMs?: number;
  /** SQLite: checkpoint the write-ahead log in a worker thread instead of on commit (the serving process). */
  readonly backgroundCheckpoints?: boolean;
  /** Where problems of background work are reported. */
  readonly onProblem?: (message: string) => void;
}

/** Opens the embedded SQLite file in `dataDir`, or PostgreSQL when `databaseUrl` is set. */
export function openDatabase(options: OpenOptions): Db {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.dbConnectTimeoutMs ?? 5000, options.dbQueryTimeoutMs ?? 10_000);
  return openSqlite(options.dataDir, options.backgroundCheckpoints === true, options.onProblem);
}

/** Why the data directory cannot hold the database, in words an operator can act on. */
function explainDataDir(dataDir: string, file: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  let hint = '';
  try {
    accessSync(dataDir, constants.W_OK);
  } catch {
    hint = `; the directory ${dataDir} is not writable by this user (uid ${process.getuid?.() ?? '?'})`;
  }
  return new Error(`cannot open the SQLite database ${file}: ${reason}${hint}. Set TOCSIN_DATA_DIR to a writable directory.`, { cause: error });
}

function openSqlite(dataDir: string, backgroundCheckpoints: boolean, onProblem?: (message: string) => void): Db {
  const file = join(dataDir, 'tocsin.sqlite');
  let database: SQLite.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    database = new SQLite(file);
    // WAL lets readers run beside the single writer; NORMAL sync is durable across process crashes in WAL mode.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    throw explainDataDir(dataDir, file, error);
  }
  const statements = statementCache(database);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database, statements) }) });
  registerDirectSqlite(kysely, { database, statement: statements });
  const checkpointer = backgroundCheckpoints ? startCheckpointer(file, database, onProblem) : undefined;
  return {
    kysely,
    engine: kysely,
    dialect: 'sqlite',
    migrated: false,
    close: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs about as much as running a small statement, so
 * statements are cached by SQL text (the query shapes are few, parameters vary). Safe because Kysely
 * runs one query at a time per connection and only streams through `iterate`, which gets a fresh one.
 */
function statementCache(database: SQLite.Database): (sql: string) => SQLite.Statement {
  const cache = new Map<string, SQLite.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      statement = database.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

function withStatementCache(database: SQLite.Database, statements: (sql: string) => SQLite.Statement): SqliteDatabase {
  return {
    close: () => database.close(),
    prepare(sql: string) {
      // SQLite rolls a transaction back by itself on some errors (disk full, I/O error). Kysely then
      // sends ROLLBACK, which fails with "cannot rollback - no transaction is active" and would replace
      // the real cause; with no transaction open there is nothing to roll back.
      if (/^\s*rollback\s*;?\s*$/i.test(sql)) return rollbackIfOpen(database);
      const prepared = statements(sql);
      return {
        reader: prepared.reader,
        all: (parameters: readonly unknown[]) => prepared.all(...parameters),
        run: (parameters: readonly unknown[]) => prepared.run(...parameters),
        iterate: (parameters: readonly unknown[]) => database.prepare(sql).iterate(...parameters),
      };
    },
  };
}

function rollbackIfOpen(database: SQLite.Database): ReturnType<SqliteDatabase['prepare']> {
  const rollback = database.prepare('rollback');
  const run = () => (database.inTransaction ? rollback.run() : { changes: 0, lastInsertRowid: 0 });
  return { reader: false, all: () => [], run, iterate: () => [][Symbol.iterator]() };
}

// int8 (bigint) columns hold millisecond times, well inside Number's exact range.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

function openPostgres(connectionString: string, connectTimeoutMs: number, queryTimeoutMs: number): Db {
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: resilientPool(connectionString, 10, connectTimeoutMs, queryTimeoutMs) }) });
  const engine = new Kysely<Database>({ dialect: new PostgresDialect({ pool: resilientPool(connectionString, 6, connectTimeoutMs, queryTimeoutMs) }) });
  return {
    kysely,
    engine,
    dialect: 'postgres',
    migrated: false,
    close: async () => {
      await Promise.all([kysely.destroy(), engine.destroy()]);
    },
  };
}

/**
 * A pg pool that survives the database going away (DESIGN §5 "Faults"):
 * - every client has an 'error' listener for its whole life, so a connection reset while a query runs
 *   rejects that query instead of crashing the process with an unhandled 'error' event;
 * - a client whose query failed because the connection broke or timed out is destroyed on release, not
 *   handed to the next request; the next request connects anew (so recovery needs no restart);
 * - connect and query timeouts bound every wait, so a black-holed database answers errors, not hangs.
 */
function resilientPool(connectionString: string, max: number, connectTimeoutMs: number, queryTimeoutMs: number) {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: pgTypes,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: queryTimeoutMs,
    keepAlive: true,
  });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return {
    async connect() {
      const client = await pool.connect();
      let broken: Error | undefined;
      return {
        query(...args: Parameters<pg.PoolClient['query']>) {
          // Hot statements run prepared under a name: parsed and planned once per connection.
          const [text, values] = args as unknown[];
          const name = typeof text === 'string' && Array.isArray(values) && values.length > 0 ? hotName(text) : undefined;
          const result = name ? client.query({ name, text: text as string, values: values as unknown[] }) : (client.query as (...a: unknown[]) => unknown)(...args);
          if (result instanceof Promise) {
            return result.catch((error: unknown) => {
              if (isDatabaseUnavailable(error)) broken = error instanceof Error ? error : new Error(String(error));
              throw error;
            });
          }
          return result;
        },
        release(destroy?: boolean) {
          client.release(broken ?? (destroy ? new Error('discarded') : undefined));
        },
      } as unknown as pg.PoolClient;
    },
    end: () => pool.end(),
  };
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`, { cause: error });
  }
  db.migrated = true;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** A cheap round trip to the database, bounded by `timeoutMs` (a black-holed database must not hang /readyz). */
export async function ping(db: Db, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db.kysely), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs migrations, waiting for an unreachable database instead of giving up (a node started before
 * its database, or during a failover). Other errors (a failing migration) are thrown at once.
 */
export async function migrateWhenReachable(db: Db, log: { warn(obj: object, msg: string): void }, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await migrate(db);
    } catch (error) {
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      // A local SQLite file does not come back by itself (read-only, disk full): say so at once.
      if (db.dialect === 'sqlite' || (!isDatabaseUnavailable(cause) && !isDatabaseUnavailable(error))) throw error;
      const waitMs = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
      log.warn({ attempt, retryInMs: waitMs, reason: databaseFaultReason(cause) }, `database unavailable at start-up; retrying in ${Math.round(waitMs / 1000)} s`);
      await sleep(waitMs);
    }
  }
}
