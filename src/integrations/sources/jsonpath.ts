/**
 * The small JSONPath subset custom integrations use: `$`, `.name`, `['name']` / `["name"]`, `[n]`
 * (negative counts from the end), `[*]` and `.*`. No filters, no recursion, no script: a path is data.
 */

export type PathSegment = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'wildcard' };

/** A path that does not parse, with the position of the problem. */
export class JsonPathError extends Error {
  constructor(
    readonly path: string,
    readonly position: number,
    reason: string,
  ) {
    super(`${reason} at position ${position}`);
    this.name = 'JsonPathError';
  }
}

const NAME_START = /[A-Za-z_$@\u0080-\uffff]/;
const NAME_PART = /[A-Za-z0-9_$@\-\u0080-\uffff]/;

/** Parses a path such as `$.alerts[0]['host name']` into segments; throws {@link JsonPathError}. */
export function parseJsonPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonPathError(path, i, reason);
  };
  if (path[i] !== '$') fail('a path must start with $');
  i++;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      if (path[i] === '*') {
        segments.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      const start = i;
      if (!NAME_START.test(path[i] ?? '')) fail('expected a name after .');
      while (i < path.length && NAME_PART.test(path[i] ?? '')) i++;
      segments.push({ kind: 'name', name: path.slice(start, i) });
    } else if (c === '[') {
      i++;
      const d = path[i];
      if (d === '*') {
        i++;
        segments.push({ kind: 'wildcard' });
      } else if (d === "'" || d === '"') {
        i++;
        let name = '';
        while (i < path.length && path[i] !== d) {
          if (path[i] === '\\' && i + 1 < path.length) i++;
          name += path[i];
          i++;
        }
        if (path[i] !== d) fail('unterminated quoted name');
        i++;
        segments.push({ kind: 'name', name });
      } else {
        const match = /^-?\d+/.exec(path.slice(i));
        if (!match) fail("expected an index, '*' or a quoted name");
        const digits = match?.[0] ?? '';
        i += digits.length;
        segments.push({ kind: 'index', index: Number(digits) });
      }
      if (path[i] !== ']') fail('expected ]');
      i++;
    } else {
      fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  return segments;
}

/** Every value the path selects in `document`, in document order (empty when nothing matches). */
export function queryJsonPath(document: unknown, path: string | readonly PathSegment[]): unknown[] {
  const segments = typeof path === 'string' ? parseJsonPath(path) : path;
  let nodes: unknown[] = [document];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (segment.kind === 'wildcard') {
        if (Array.isArray(node)) next.push(...(node as unknown[]));
        else if (isObject(node)) next.push(...Object.values(node));
      } else if (segment.kind === 'index') {
        if (Array.isArray(node)) {
          const at = segment.index < 0 ? node.length + segment.index : segment.index;
          if (at >= 0 && at < node.length) next.push(node[at]);
        }
      } else if (isObject(node) && Object.hasOwn(node, segment.name)) {
        next.push(node[segment.name]);
      }
    }
    nodes = next;
  }
  return nodes;
}

/** The first value the path selects, or undefined. */
export function firstJsonPath(document: unknown, path: string | readonly PathSegment[]): unknown {
  return queryJsonPath(document, path)[0];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
