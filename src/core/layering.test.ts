import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** Every non-test TypeScript file under src/. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The top-level folder of src/ a file belongs to (`alerts`, `incidents`, `core`, …). */
function folderOf(file: string): string {
  return relative(SRC, file).split(sep)[0] ?? '';
}

/** Folder → folders it imports (type-only imports count: they are dependencies of the design too). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), match[1] ?? '');
      const to = folderOf(target);
      if (to === from || !target.startsWith(SRC)) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${relative(SRC, file)} → ${match[1]}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle between folders, each listed once with an import that closes it. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found = new Set<string>();
  const report: string[] = [];
  function walk(path: string[]): void {
    const last = path[path.length - 1] ?? '';
    for (const [next] of graph.get(last) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const key = [...cycle].sort().join(',');
        if (!found.has(key)) {
          found.add(key);
          report.push([...cycle, next].map((f, i, all) => (i < all.length - 1 ? `${f} (${graph.get(f)?.get(all[i + 1] ?? '') ?? ''})` : f)).join(' → '));
        }
      } else if (path.length < 8) walk([...path, next]);
    }
  }
  for (const start of graph.keys()) walk([start]);
  return report;
}

describe('layering of src/ (DESIGN §2)', () => {
  const graph = folderGraph();

  it('finds the imports it checks', () => {
    expect(graph.get('alerts')?.size ?? 0).toBeGreaterThan(0);
  });

  it('has no import cycle between domain folders', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps core free of imports from other folders', () => {
    expect([...(graph.get('core')?.keys() ?? [])]).toEqual([]);
  });

  it('keeps domains from importing http/, app/ and engine/', () => {
    const domains = [...graph.keys()].filter((f) => !['app', 'http', 'engine', 'main.ts'].includes(f));
    const offending = domains.flatMap((d) => [...(graph.get(d) ?? [])].filter(([to]) => ['http', 'app', 'engine'].includes(to)).map(([, via]) => via));
    expect(offending).toEqual([]);
  });
});
