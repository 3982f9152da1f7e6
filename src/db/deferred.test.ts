import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/harness/databases.js';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import { collectDeferred, deferInsert, flushDeferred } from './deferred.js';
import type { Executor } from './types.js';
import { createWriteQueue } from './write-queue.js';

const dialects = await testDialects();

describe.each(dialects)('deferred inserts on %s', (dialect) => {
  const database = useMigratedDatabase(dialect, async (db) => {
    await db.kysely.insertInto('teams').values({ id: 'team-1', name: 'Team', description: '', created_at: 1, updated_at: 1 }).execute();
    await database.db.kysely.insertInto('integrations').values({ id: 'int-1', channel_id: null, team_id: 'team-1', name: 'i', source: 'standard', key_hash: 'h', key_sealed: 's', email_prefix: null, settings_json: '{}', disabled: 0, last_event_at: null, created_at: 1, updated_at: 1 }).execute();
  });

  const raw = (id: string) => ({ id, integration_id: 'int-1', received_at: 1, content_type: 'application/json', payload: `{"id":"${id}"}`, outcome: 'accepted', detail: '' });
  const payloads = async (prefix: string) =>
    (await database.db.kysely.selectFrom('raw_events').select(['id', 'payload']).where('id', 'like', `${prefix}%`).orderBy('id').execute()).map((r) => `${r.id}=${r.payload}`);

  it('writes at once without collection, and only at the flush while collecting (every row, exactly its values)', async () => {
    await deferInsert(database.db.kysely, 'raw_events', raw('now-1'));
    expect(await payloads('now-')).toEqual(['now-1={"id":"now-1"}']);

    await database.db.kysely.transaction().execute(async (trx) => {
      collectDeferred(trx);
      for (let i = 0; i < 250; i += 1) await deferInsert(trx, 'raw_events', raw(`late-${String(i).padStart(3, '0')}`));
      // Not yet written: inside the transaction the rows are still pending.
      expect(await trx.selectFrom('raw_events').select('id').where('id', 'like', 'late-%').execute()).toEqual([]);
      await flushDeferred(trx);
    });
    const stored = await payloads('late-');
    expect(stored).toHaveLength(250);
    expect(stored[0]).toBe('late-000={"id":"late-000"}');
    expect(stored[249]).toBe('late-249={"id":"late-249"}');
  });

  it('keeps the deferred rows of the good units of a group-commit batch and none of the failing unit', async () => {
    const queue = createWriteQueue(database.db.kysely);
    const unit = (id: string, fail: boolean) => ({
      work: async (trx: Executor) => {
        await deferInsert(trx, 'raw_events', raw(id));
        if (fail) throw new Error('invalid event');
        return id;
      },
    });
    const settled = await Promise.allSettled([queue.submit(unit('q-1', false)), queue.submit(unit('q-2', true)), queue.submit(unit('q-3', false))]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await payloads('q-')).toEqual(['q-1={"id":"q-1"}', 'q-3={"id":"q-3"}']);
  });

  it('fails the unit whose deferred row breaks a constraint at the flush, and commits its neighbours', async () => {
    const queue = createWriteQueue(database.db.kysely);
    const settled = await Promise.allSettled([
      queue.submit({ work: (trx) => deferInsert(trx, 'raw_events', raw('c-1')) }),
      // No such integration: the foreign key fails when the batch writes its deferred rows.
      queue.submit({ work: (trx) => deferInsert(trx, 'raw_events', { ...raw('c-2'), integration_id: 'missing' }) }),
      queue.submit({ work: (trx) => deferInsert(trx, 'raw_events', raw('c-3')) }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await payloads('c-')).toEqual(['c-1={"id":"c-1"}', 'c-3={"id":"c-3"}']);
  });
});
