import { CompiledQuery, type Compilable, type Insertable, type Updateable } from 'kysely';
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
const MAX_SHAPES = 1000;

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

async function run(db: Executor, key: string, parameters: readonly unknown[], build: () => Compilable): Promise<bigint> {
  // Kysely leaves out undefined values, so such a statement's shape is not its keys: not cached.
  if (parameters.includes(undefined)) return (await db.executeQuery(build().compile())).numAffectedRows ?? 0n;
  const map = shapesOf(db);
  const shape = map.get(key);
  if (shape && 'sql' in shape) {
    const result = await db.executeQuery(CompiledQuery.raw(shape.sql, [...parameters]));
    return result.numAffectedRows ?? 0n;
  }
  const compiled = build().compile();
  if (!shape && map.size < MAX_SHAPES) map.set(key, sameValues(compiled.parameters, parameters) ? { sql: compiled.sql } : { uncacheable: true });
  const result = await db.executeQuery(compiled);
  return result.numAffectedRows ?? 0n;
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
