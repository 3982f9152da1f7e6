/** SQL of the importers: the vendor-id → Tocsin-id map, and lookups of what may already exist. */
import type { Executor } from '../db/types.js';

export interface Mapping {
  readonly localId: string;
  readonly fingerprint: string;
}

export interface MappingKey {
  readonly vendor: string;
  readonly account: string;
  readonly kind: string;
  readonly vendorId: string;
}

export async function findMapping(db: Executor, key: MappingKey): Promise<Mapping | undefined> {
  const row = await db
    .selectFrom('import_mappings')
    .select(['local_id', 'fingerprint'])
    .where('vendor', '=', key.vendor)
    .where('account', '=', key.account)
    .where('kind', '=', key.kind)
    .where('vendor_id', '=', key.vendorId)
    .executeTakeFirst();
  return row ? { localId: row.local_id, fingerprint: row.fingerprint } : undefined;
}

/** Inserts or replaces a mapping. */
export async function saveMapping(db: Executor, key: MappingKey, localId: string, fingerprint: string, now: number): Promise<void> {
  await db
    .insertInto('import_mappings')
    .values({ vendor: key.vendor, account: key.account, kind: key.kind, vendor_id: key.vendorId, local_id: localId, fingerprint, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['vendor', 'account', 'kind', 'vendor_id']).doUpdateSet({ local_id: localId, fingerprint, updated_at: now }))
    .execute();
}

const TABLES = { person: 'persons', team: 'teams', schedule: 'schedules', channel: 'channels', escalation_rule: 'escalation_rules', integration: 'integrations', override: 'schedule_overrides' } as const;

/** True when the Tocsin object a mapping points to still exists (it may have been deleted by hand). */
export async function localExists(db: Executor, kind: keyof typeof TABLES, id: string): Promise<boolean> {
  const table = TABLES[kind];
  if (table === 'schedule_overrides') {
    return (await db.selectFrom('schedule_overrides').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()) !== undefined;
  }
  return (await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function personIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  return (await db.selectFrom('persons').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst())?.id;
}

export async function teamIdByName(db: Executor, name: string): Promise<string | undefined> {
  return (await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst())?.id;
}

export async function channelIdByName(db: Executor, name: string): Promise<string | undefined> {
  return (await db.selectFrom('channels').select('id').where('name', '=', name).executeTakeFirst())?.id;
}

export async function teamMemberIds(db: Executor, teamId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('team_members').select('person_id').where('team_id', '=', teamId).execute();
  return new Set(rows.map((r) => r.person_id));
}

/** The first active admin: the identity a command-line import acts as. */
export async function firstAdminId(db: Executor): Promise<string | undefined> {
  return (await db.selectFrom('persons').select('id').where('role', '=', 'admin').where('status', '=', 'active').orderBy('created_at').limit(1).executeTakeFirst())?.id;
}
