import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
  readonly optional?: boolean;
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};

/** The oldest Node the README promises: every locked package must accept it, or npm warns EBADENGINE. */
const oldestSupportedNode = semver.minVersion(manifest.engines.node)?.version ?? '';

describe('dependency engines', () => {
  const declared = Object.entries(lock.packages).filter(
    (entry): entry is [string, LockedPackage & { engines: { node: string } }] => {
      const engines = entry[1].engines;
      return entry[0] !== '' && engines !== undefined && !Array.isArray(engines) && typeof (engines as { node?: string }).node === 'string';
    },
  );

  it('reads a Node range from package.json and engine ranges from the lock file', () => {
    expect(oldestSupportedNode).toMatch(/^20\./);
    expect(declared.length).toBeGreaterThan(50);
  });

  it('installs no package that refuses the Node version the README names', () => {
    const refusing = declared
      .filter(([, entry]) => !semver.satisfies(oldestSupportedNode, entry.engines.node, { includePrerelease: true }))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version ?? '?'} wants node ${entry.engines.node}`);
    expect(refusing).toEqual([]);
  });
});
