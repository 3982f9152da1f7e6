/** One field of an audited object, before and after the change. */
export interface FieldChange {
  key: string;
  before: string | undefined;
  after: string | undefined;
  changed: boolean;
}

/** Snapshots are usually objects; anything else (a bare value) is shown as a single `value` field. */
function asRecord(snapshot: unknown): Record<string, unknown> {
  if (snapshot === null || snapshot === undefined) return {};
  if (typeof snapshot === 'object' && !Array.isArray(snapshot)) return snapshot as Record<string, unknown>;
  return { value: snapshot };
}

function render(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/**
 * Field-by-field comparison of an audit entry's before/after snapshots, changed fields first,
 * so the reader sees what happened without scanning two JSON blobs.
 */
export function diffSnapshots(beforeSnapshot: unknown, afterSnapshot: unknown): FieldChange[] {
  const before = asRecord(beforeSnapshot);
  const after = asRecord(afterSnapshot);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes = [...keys].map((key) => {
    const old = render(before[key]);
    const current = render(after[key]);
    return { key, before: old, after: current, changed: old !== current };
  });
  return changes.sort((a, b) => Number(b.changed) - Number(a.changed) || a.key.localeCompare(b.key));
}
