import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/harness/databases.js';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import type { Db } from './connect.js';
import type { Executor } from './types.js';
import { createWriteQueue } from './write-queue.js';

const dialects = await testDialects();

async function insertCounter(trx: Executor, name: string): Promise<void> {
  await trx.insertInto('counters').values({ name, value: 1 }).execute();
}

async function counterNames(db: Db): Promise<string[]> {
  return (await db.kysely.selectFrom('counters').select('name').execute()).map((r) => r.name).sort();
}

describe.each(dialects)('group commit write queue on %s', (dialect) => {
  const database = useMigratedDatabase(dialect);

  it('commits units submitted together in one transaction and settles each after the commit', async () => {
    const batches: number[] = [];
    const queue = createWriteQueue(database.db.kysely, { onCommitted: (units) => batches.push(units) });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => queue.submit({ work: async (trx) => (await insertCounter(trx, `together-${i}`), i) })));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(batches).toEqual([20]);
    expect((await counterNames(database.db)).filter((n) => n.startsWith('together-'))).toHaveLength(20);
  });

  it('fails only the bad unit of a batch, leaves none of its writes, and commits its neighbours', async () => {
    await insertCounter(database.db.kysely, 'taken');
    const queue = createWriteQueue(database.db.kysely);
    const settled = await Promise.allSettled([
      queue.submit({ work: (trx) => insertCounter(trx, 'good-1') }),
      queue.submit({
        work: async (trx) => {
          await insertCounter(trx, 'bad-partial');
          throw new Error('invalid event');
        },
      }),
      queue.submit({ work: (trx) => insertCounter(trx, 'good-2') }),
      // A unique conflict that re-applying cannot resolve fails alone, with the database's error.
      queue.submit({ work: (trx) => insertCounter(trx, 'taken') }),
      queue.submit({ work: (trx) => insertCounter(trx, 'good-3') }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'invalid event' });
    const names = await counterNames(database.db);
    expect(names).toEqual(expect.arrayContaining(['good-1', 'good-2', 'good-3']));
    expect(names).not.toContain('bad-partial');
  });

  it('re-applies a unit that hit a unique key written by another writer, and it succeeds', async () => {
    // Another node committed this key after the unit decided it was absent (a READ COMMITTED race).
    await insertCounter(database.db.kysely, 'raced');
    const queue = createWriteQueue(database.db.kysely);
    let tries = 0;
    const raced = queue.submit({
      work: async (trx) => {
        tries += 1;
        const existing = tries === 1 ? undefined : await trx.selectFrom('counters').select('value').where('name', '=', 'raced').executeTakeFirst();
        if (existing) await trx.updateTable('counters').set({ value: Number(existing.value) + 1 }).where('name', '=', 'raced').execute();
        else await insertCounter(trx, 'raced');
        return tries;
      },
    });
    const neighbour = queue.submit({ work: (trx) => insertCounter(trx, 'raced-neighbour') });
    await expect(raced).resolves.toBe(2);
    await expect(neighbour).resolves.toBeUndefined();
    const row = await database.db.kysely.selectFrom('counters').select('value').where('name', '=', 'raced').executeTakeFirstOrThrow();
    expect(Number(row.value)).toBe(2);
  });
  it('fills batches fairly across lanes: a quiet lane’s unit commits in the next batch, ahead of a storm’s backlog', async () => {
    const order: string[] = [];
    let batch = 0;
    const committedIn = new Map<string, number>();
    const queue = createWriteQueue(database.db.kysely, { maxBatch: 20, onCommitted: () => (batch += 1) });
    const unit = (lane: string, name: string) =>
      queue
        .submit({
          lane,
          work: async (trx) => {
            order.push(name);
            await insertCounter(trx, name);
          },
        })
        .then(() => committedIn.set(name, batch));
    // 200 units of a storm are queued before the quiet lane's single unit arrives.
    const storm = Array.from({ length: 200 }, (_, i) => unit('storm', `fair-storm-${i}`));
    const quiet = unit('quiet', 'fair-quiet');
    await Promise.all([...storm, quiet]);
    // Ten batches of 20 plus one: the quiet unit went out with the first batch, not the last.
    expect(batch).toBe(11);
    expect(committedIn.get('fair-quiet')).toBe(1);
    expect(committedIn.get('fair-storm-199')).toBe(11);
    // Within a lane, units keep their order.
    const stormOrder = order.filter((n) => n.startsWith('fair-storm-'));
    expect(stormOrder).toEqual(Array.from({ length: 200 }, (_, i) => `fair-storm-${i}`));
  });
});

describe.each(dialects.filter((d) => d === 'postgres'))('overlapping group-commit batches on %s', (dialect) => {
  const database = useMigratedDatabase(dialect);

  it('runs two batches side by side on separate connections, each settled after its own commit', async () => {
    const queue = createWriteQueue(database.db.kysely, { concurrency: 2 });
    let releaseFirst: () => void = () => undefined;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    let secondRan = false;
    // Four units submitted together are shared between the two batches (two each).
    const units = [0, 1, 2, 3].map((i) =>
      queue.submit({
        work: async (trx) => {
          await insertCounter(trx, `overlap-${i}`);
          if (i === 0) await firstMayFinish;
          if (i === 2) {
            secondRan = true;
            releaseFirst();
          }
          return i;
        },
      }),
    );
    // The first batch waits for a unit of the second: with one batch at a time this would never finish.
    expect(await Promise.all(units)).toEqual([0, 1, 2, 3]);
    expect(secondRan).toBe(true);
    expect((await counterNames(database.db)).filter((n) => n.startsWith('overlap-'))).toEqual(['overlap-0', 'overlap-1', 'overlap-2', 'overlap-3']);
  });
});

