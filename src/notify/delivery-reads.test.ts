import { describe, expect, it } from 'vitest';
import { testDialects } from '../../test/harness/databases.js';
import { useMigratedDatabase } from '../../test/harness/migrated-database.js';
import { newIncidentRow } from '../incidents/lifecycle.js';
import type { IncidentRow } from '../incidents/store.js';
import { readsForClaim } from './delivery-reads.js';

const dialects = await testDialects();

const incident = (id: string, number: number): IncidentRow =>
  newIncidentRow({ id, number, channel_id: 'ch-1', title: `Incident ${id}`, description: '', severity: 'Critical', labels_json: '{}', group_key: null, alert_count: 1, active_alert_count: 1 }, 1);

describe.each(dialects)('delivery reads per claim on %s', (dialect) => {
  const database = useMigratedDatabase(dialect, async (db) => {
    await db.kysely.insertInto('teams').values({ id: 'team-1', name: 'Team', description: '', created_at: 1, updated_at: 1 }).execute();
    await db.kysely.insertInto('channels').values({ id: 'ch-1', name: 'Payments', description: '', team_id: 'team-1', private: 0, disabled: 0, created_at: 1, updated_at: 1 }).execute();
    await db.kysely.insertInto('incidents').values([incident('inc-1', 1), incident('inc-2', 2)]).execute();
  });

  it('serves the claim’s incidents from one read while fresh, and reads again once stale (an acknowledgement meanwhile is seen)', async () => {
    const db = database.db.kysely;
    let now = 1_000_000;
    const reads = await readsForClaim(db, ['inc-1', 'inc-2', 'inc-1'], () => now);
    await db.updateTable('incidents').set({ status: 'processing' }).where('id', '=', 'inc-1').execute();
    expect((await reads.incident('inc-1'))?.status).toBe('triggered');
    expect((await reads.incident('inc-2'))?.title).toBe('Incident inc-2');
    now += 600;
    expect((await reads.incident('inc-1'))?.status).toBe('processing');
    // An incident outside the claim (a bundle's other rows) is read on demand.
    await db.insertInto('incidents').values(incident('inc-3', 3)).execute();
    expect((await reads.incident('inc-3'))?.id).toBe('inc-3');
    expect(await reads.incident('missing')).toBeUndefined();
  });

  it('reads a channel’s name and template once per claim; the next claim sees a rename and a new template', async () => {
    const db = database.db.kysely;
    const first = await readsForClaim(db, ['inc-1']);
    expect(await first.channelName('ch-1')).toBe('Payments');
    expect(await first.override('ch-1', 'webhook')).toEqual({});
    await db.updateTable('channels').set({ name: 'Billing' }).where('id', '=', 'ch-1').execute();
    await db.insertInto('channel_templates').values({ channel_id: 'ch-1', method: 'webhook', subject: null, text: 'Custom {{ incident.title }}', html: null, updated_at: 2, updated_by: null }).execute();
    expect(await first.channelName('ch-1')).toBe('Payments');
    expect(await first.override('ch-1', 'webhook')).toEqual({});
    const next = await readsForClaim(db, ['inc-1']);
    expect(await next.channelName('ch-1')).toBe('Billing');
    expect(await next.override('ch-1', 'webhook')).toEqual({ text: 'Custom {{ incident.title }}' });
  });
});
