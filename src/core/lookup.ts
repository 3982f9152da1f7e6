/**
 * `table[key]` for tables keyed by sender input: only the table's own entries count, so `constructor`,
 * `__proto__` or `toString` are unknown keys rather than functions from Object.prototype (DESIGN lessons).
 */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
