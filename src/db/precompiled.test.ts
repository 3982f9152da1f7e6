import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/harness/databases.js';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import { insertRow, precompiledShapes, updateById } from './precompiled.js';

const dialects = await testDialects();

describe.each(dialects)('precompiled statements on %s', (dialect) => {
  const database = useMigratedDatabase(dialect, async (db) => {
    // Parents for the foreign keys of the rows below.
    await db.kysely.insertInto('teams').values({ id: 'team-1', name: 'Team', description: '', created_at: 1, updated_at: 1 }).execute();
    await database.db.kysely.insertInto('channels').values({ id: 'c', name: 'Channel', description: '', team_id: 'team-1', private: 0, disabled: 0, created_at: 1, updated_at: 1 }).execute();
  });

  const timeline = (id: string, kind: string, actor: string | null) => ({ id, incident_id: 'inc-1', kind, actor_id: actor, data_json: `{"n":"${id}"}`, created_at: 1 });

  it('runs the same shape again with new values (cached SQL) and stores exactly those values', async () => {
    const incident = { id: 'inc-1', number: 1, channel_id: 'c', title: 't', description: '', severity: 'Critical', status: 'triggered', labels_json: '{}', group_key: null, alert_count: 1, active_alert_count: 1, edited_fields: '[]', storm_level: 0, created_at: 1, updated_at: 1, last_merge_at: 1, acknowledged_at: null, closed_at: null, root_cause: null, resolution: null, rule_id: null, rule_snapshot_json: null, escalation_epoch: 0, escalation_level: null, snoozed_until: null, acknowledgers_json: '[]' };
    await insertRow(database.db.kysely, 'incidents', incident);
    await insertRow(database.db.kysely, 'timeline', timeline('t1', 'created', null));
    await insertRow(database.db.kysely, 'timeline', timeline('t2', 'assigned', 'p1'));
    await database.db.kysely.transaction().execute(async (trx) => insertRow(trx, 'timeline', timeline('t3', 'notified', null)));
    const rows = await database.db.kysely.selectFrom('timeline').select(['id', 'kind', 'actor_id', 'data_json']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 't1', kind: 'created', actor_id: null, data_json: '{"n":"t1"}' },
      { id: 't2', kind: 'assigned', actor_id: 'p1', data_json: '{"n":"t2"}' },
      { id: 't3', kind: 'notified', actor_id: null, data_json: '{"n":"t3"}' },
    ]);
    // Kysely's parameters matched the row's values, so both shapes now skip query building.
    expect(precompiledShapes(database.db.kysely)).toBe(2);
  });

  it('reports inserted rows, and none for an ignored conflict', async () => {
    const counter = { name: 'precompiled', value: 1 };
    expect(await insertRow(database.db.kysely, 'counters', counter, 'name')).toBe(1);
    expect(await insertRow(database.db.kysely, 'counters', { ...counter, value: 2 }, 'name')).toBe(0);
  });

  it('updates only the given columns of the given row, whatever shapes ran before', async () => {
    const base = { channel_id: 'c', integration_id: null, incident_id: null, description: '', severity: 'Warning', status: 'Warning', labels_json: '{}', suppressed_by: null, event_count: 1, state: 'active', flapping: 0, flap_changes: '[]', muted_until: null, first_event_at: 1, last_event_at: 1, recovered_at: null, created_at: 1 };
    await insertRow(database.db.kysely, 'alerts', { ...base, id: 'a1', alert_key: 'k1', title: 'one' });
    await insertRow(database.db.kysely, 'alerts', { ...base, id: 'a2', alert_key: 'k2', title: 'two' });
    expect(await updateById(database.db.kysely, 'alerts', 'a1', { event_count: 5, last_event_at: 9 })).toBe(1);
    expect(await updateById(database.db.kysely, 'alerts', 'a2', { event_count: 7, last_event_at: 8 })).toBe(1);
    expect(await updateById(database.db.kysely, 'alerts', 'a2', { title: 'renamed' })).toBe(1);
    const rows = await database.db.kysely.selectFrom('alerts').select(['id', 'title', 'event_count', 'last_event_at']).orderBy('id').execute();
    expect(rows.map((r) => ({ ...r, event_count: Number(r.event_count), last_event_at: Number(r.last_event_at) }))).toEqual([
      { id: 'a1', title: 'one', event_count: 5, last_event_at: 9 },
      { id: 'a2', title: 'renamed', event_count: 7, last_event_at: 8 },
    ]);
  });
});
