/**
 * The hot path's statements (those `precompiled.ts` runs from cached SQL), by SQL text. On
 * PostgreSQL they run as named prepared statements (`connect.ts`): the server parses and plans each
 * once per connection instead of on every execution — under load the database's own CPU is what a
 * batch waits for. Bounded: only statement shapes of our own code are ever marked.
 */
const MAX_NAMED = 2000;
const names = new Map<string, string>();

/** Marks `sql` as a hot statement. */
export function markHot(sql: string): void {
  if (names.size < MAX_NAMED && !names.has(sql)) names.set(sql, `tocsin_${names.size}`);
}

/** The prepared-statement name of a hot statement, or undefined. */
export function hotName(sql: string): string | undefined {
  return names.get(sql);
}
