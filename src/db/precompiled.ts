import { CompiledQuery, type Compilable, type Insertable, type QueryResult, type Updateable } from 'kysely';
import { markHot } from './hot-statements.js';
import { runDirect } from './direct-sqlite.js';
import type { Database } from './schema.js';
import type { Executor } from './types.js';

/**
 * Precompiled hot-path statements. Kysely builds and compiles an operation tree for every query; on
 * the ingest path that cost as much as running the statement. A statement's SQL depends only on its
 * shape (table, column names, dialect), so the first run of each shape is compiled by Kysely and its
 * SQL kept; later runs pass the new values straight to the driver.
 *
 * Safe by construction: a shape is cached only if Kysely's own parameters for that first run are
 * exactly the values this module would have passed (same order, same count); otherwise that shape
 * keeps going through Kysely every time.
 */

type Shape = { readonly sql: string } | { readonly uncacheable: true };
// Keyed by the dialect adapter (one per database, shared by its transactions), then by shape.
const shapes = new WeakMap<object, Map<string, Shape>>();
const MAX_SHAPES = 2000;

function shapesOf(db: Executor): Map<string, Shape> {
  const adapter = db.getExecutor().adapter;
  let map = shapes.get(adapter);
  if (!map) {
    map = new Map();
    shapes.set(adapter, map);
  }
  return map;
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function execute<R>(db: Executor, key: string, parameters: readonly unknown[], build: () => Compilable): Promise<QueryResult<R>> {
  // Kysely leaves out undefined values, so such a statement's shape is not its keys: not cached.
  if (parameters.includes(undefined)) return db.executeQuery<R>(build().compile() as CompiledQuery<R>);
  const map = shapesOf(db);
  const shape = map.get(key);
  if (shape && 'sql' in shape) return runDirect<R>(db, shape.sql, parameters) ?? db.executeQuery<R>(CompiledQuery.raw(shape.sql, [...parameters]) as CompiledQuery<R>);
  const compiled = build().compile() as CompiledQuery<R>;
  if (!shape && map.size < MAX_SHAPES) {
    const cacheable = sameValues(compiled.parameters, parameters);
    map.set(key, cacheable ? { sql: compiled.sql } : { uncacheable: true });
    if (cacheable) markHot(compiled.sql);
  }
  return db.executeQuery<R>(compiled);
}

async function run(db: Executor, key: string, parameters: readonly unknown[], build: () => Compilable): Promise<bigint> {
  return (await execute(db, key, parameters, build)).numAffectedRows ?? 0n;
}

/**
 * A hot-path statement that returns rows (a read, or a write with RETURNING), precompiled like the
 * writes: `key` names the query's shape (everything but its values), `parameters` are its values in
 * the order Kysely binds them (a mismatch on the first run leaves the shape uncached).
 */
export async function cachedRows<R>(db: Executor, key: string, parameters: readonly unknown[], build: () => Compilable<R>): Promise<R[]> {
  return (await execute<R>(db, `rows:${key}`, parameters, build)).rows;
}

/**
 * `INSERT INTO table (columns) VALUES (…), (…)` for rows with the same columns in the same order;
 * with `ignoreConflictOn`, rows whose key exists already (or repeats an earlier row's) insert nothing.
 * Returns rows inserted.
 */
export async function insertRows<T extends keyof Database & string>(db: Executor, table: T, rows: readonly Insertable<Database[T]>[], ignoreConflictOn?: string): Promise<number> {
  const [first] = rows;
  if (!first) return 0;
  if (rows.length === 1) return insertRow(db, table, first, ignoreConflictOn);
  const columns = Object.keys(first);
  const shape = columns.join(',');
  // One shape binds values by position: rows whose columns differ go one statement each.
  if (rows.some((row) => Object.keys(row).join(',') !== shape)) {
    let inserted = 0;
    for (const row of rows) inserted += await insertRow(db, table, row, ignoreConflictOn);
    return inserted;
  }
  const values = rows.flatMap((row) => Object.values(row));
  const key = `insert-many:${table}:${shape}:${rows.length}:${ignoreConflictOn ?? ''}`;
  return Number(
    await run(db, key, values, () => {
      const query = db.insertInto(table).values(rows as never);
      return ignoreConflictOn ? query.onConflict((oc) => oc.column(ignoreConflictOn as never).doNothing()) : query;
    }),
  );
}

/** `INSERT INTO table (columns of row) VALUES (…)`; with `ignoreConflictOn`, a duplicate key inserts nothing. Returns rows inserted. */
export async function insertRow<T extends keyof Database & string>(db: Executor, table: T, row: Insertable<Database[T]>, ignoreConflictOn?: string): Promise<number> {
  const columns = Object.keys(row);
  const values = Object.values(row);
  const key = `insert:${table}:${columns.join(',')}:${ignoreConflictOn ?? ''}`;
  const inserted = await run(db, key, values, () => {
    const query = db.insertInto(table).values(row as never);
    return ignoreConflictOn ? query.onConflict((oc) => oc.column(ignoreConflictOn as never).doNothing()) : query;
  });
  return Number(inserted);
}

/** `UPDATE table SET (columns of changes) WHERE id = ?`. Returns rows updated. */
export async function updateById<T extends 'alerts' | 'incidents'>(db: Executor, table: T, id: string, changes: Updateable<Database[T]>): Promise<number> {
  const columns = Object.keys(changes);
  if (columns.length === 0) return 0;
  const key = `update:${table}:${columns.join(',')}`;
  const updated = await run(db, key, [...Object.values(changes), id], () =>
    db
      .updateTable(table as 'alerts')
      .set(changes as Updateable<Database['alerts']>)
      .where('id', '=', id),
  );
  return Number(updated);
}

/** How many statement shapes of this database run precompiled (for tests and metrics). */
export function precompiledShapes(db: Executor): number {
  return [...shapesOf(db).values()].filter((shape) => 'sql' in shape).length;
}
