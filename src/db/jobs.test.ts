import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/harness/databases.js';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import { nextRunAt } from './jobs.js';

const dialects = await testDialects();

interface JobTimes {
  readonly runAt: number;
  readonly lockedUntil: number | null;
  readonly status?: string;
}

/** What `nextRunAt` must answer: the least claimable time of any pending job. */
function expected(jobs: readonly JobTimes[]): number | undefined {
  const times = jobs.filter((j) => (j.status ?? 'pending') === 'pending').map((j) => Math.max(j.runAt, j.lockedUntil ?? 0));
  return times.length > 0 ? Math.min(...times) : undefined;
}

describe.each(dialects)('next job time on %s', (dialect) => {
  const database = useMigratedDatabase(dialect);
  let batch = 0;

  async function withJobs(jobs: readonly JobTimes[]): Promise<number | undefined> {
    const db = database.db.kysely;
    await db.deleteFrom('jobs').execute();
    batch += 1;
    const rows = jobs.map((j, i) => ({
      id: `job-${batch}-${String(i).padStart(5, '0')}`,
      kind: 'test',
      key: `key-${batch}-${i}`,
      run_at: j.runAt,
      payload_json: '{}',
      status: j.status ?? 'pending',
      attempts: 0,
      locked_by: j.lockedUntil === null ? null : 'worker',
      locked_until: j.lockedUntil,
      last_error: null,
      created_at: 1,
      finished_at: null,
    }));
    for (let i = 0; i < rows.length; i += 100) await db.insertInto('jobs').values(rows.slice(i, i + 100)).execute();
    return nextRunAt(db);
  }

  it('is nothing without pending jobs, and the earliest run time of unclaimed ones', async () => {
    expect(await withJobs([])).toBeUndefined();
    expect(await withJobs([{ runAt: 500, lockedUntil: null, status: 'done' }])).toBeUndefined();
    expect(await withJobs([{ runAt: 3000, lockedUntil: null }, { runAt: 1000, lockedUntil: null }, { runAt: 2000, lockedUntil: null }])).toBe(1000);
  });

  it('waits for the lease of a job another node is running, unless a later job is due before it runs out', async () => {
    expect(await withJobs([{ runAt: 1000, lockedUntil: 61_000 }, { runAt: 5000, lockedUntil: null }])).toBe(5000);
    expect(await withJobs([{ runAt: 1000, lockedUntil: 4000 }, { runAt: 5000, lockedUntil: null }])).toBe(4000);
  });

  it('looks past a long head of claimed jobs (more than one page of the walk)', async () => {
    // 300 due jobs all claimed until 90 000; the first unclaimed one runs at 50 000.
    const claimed = Array.from({ length: 300 }, (_, i) => ({ runAt: 1000 + i, lockedUntil: 90_000 }));
    expect(await withJobs([...claimed, { runAt: 50_000, lockedUntil: null }, { runAt: 95_000, lockedUntil: null }])).toBe(50_000);
    // Ties on the run time are walked past too.
    const tied = Array.from({ length: 150 }, () => ({ runAt: 7000, lockedUntil: 80_000 }));
    expect(await withJobs([...tied, { runAt: 7000, lockedUntil: null }])).toBe(7000);
  });

  it('agrees with the plain aggregate on random mixes of claimed, unclaimed and finished jobs', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 12; round += 1) {
      const jobs = Array.from({ length: 1 + Math.floor(random() * 200) }, () => ({
        runAt: Math.floor(random() * 10_000),
        lockedUntil: random() < 0.6 ? Math.floor(random() * 20_000) : null,
        status: random() < 0.1 ? 'done' : 'pending',
      }));
      expect(await withJobs(jobs)).toBe(expected(jobs));
    }
  });
});
