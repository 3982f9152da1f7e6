import type { CSSProperties } from 'react';

/** Theme colours that read well both as a light fill (layers) and a solid fill (final row). */
const PALETTE = ['blue', 'teal', 'grape', 'orange', 'cyan', 'pink', 'indigo', 'lime', 'violet', 'yellow', 'green', 'red'] as const;

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/**
 * A colour per person. People in `order` (a schedule's members, in rotation order) get distinct
 * colours; anyone else gets one derived from their id, so a colour never changes between views.
 */
export function personColorFn(order: ReadonlyArray<string> = []): (personId: string | undefined) => string {
  const assigned = new Map<string, string>();
  for (const id of order) {
    if (!assigned.has(id)) assigned.set(id, PALETTE[assigned.size % PALETTE.length] ?? 'blue');
  }
  // Everyone else: a colour derived from their id, preferring the ones nobody in `order` has.
  const used = new Set(assigned.values());
  const free = PALETTE.filter((color) => !used.has(color));
  const pool = free.length > 0 ? free : PALETTE;
  return (personId) => {
    if (!personId) return 'gray';
    return assigned.get(personId) ?? pool[hash(personId) % pool.length] ?? 'blue';
  };
}

/** The CSS variables a bar or swatch reads its colours from. */
export function colorVars(color: string): CSSProperties {
  return {
    '--bar-bg': `var(--mantine-color-${color}-light)`,
    '--bar-fg': `var(--mantine-color-${color}-light-color)`,
    '--bar-accent': `var(--mantine-color-${color}-filled)`,
  } as CSSProperties;
}
