import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { PushSubscriptionsTable } from '../db/schema.js';

export type PushDeviceRow = Selectable<PushSubscriptionsTable>;

/** A person's devices, oldest first. */
export async function listPushDevices(db: Executor, personId: string): Promise<PushDeviceRow[]> {
  return db.selectFrom('push_subscriptions').selectAll().where('person_id', '=', personId).orderBy('created_at').orderBy('id').execute();
}

/** How many devices a person has registered. */
export async function countPushDevices(db: Executor, personId: string): Promise<number> {
  const row = await db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<string | number>().as('n')).where('person_id', '=', personId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findPushDevice(db: Executor, id: string): Promise<PushDeviceRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPushDeviceByEndpoint(db: Executor, endpoint: string): Promise<PushDeviceRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('endpoint', '=', endpoint).executeTakeFirst();
}

/**
 * Inserts the subscription, or — when the endpoint is already stored — takes that row over (new keys,
 * label and owner): a browser has one subscription per origin, whoever is signed in on it now.
 */
export async function upsertPushDevice(db: Executor, row: PushDeviceRow): Promise<void> {
  await db
    .insertInto('push_subscriptions')
    .values(row)
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({ person_id: row.person_id, p256dh: row.p256dh, auth: row.auth, label: row.label, user_agent: row.user_agent }),
    )
    .execute();
}

export async function deletePushDevice(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
}

/** Removes the subscription a push service reported gone; returns what was removed. */
export async function deletePushDeviceByEndpoint(db: Executor, endpoint: string): Promise<PushDeviceRow | undefined> {
  const row = await findPushDeviceByEndpoint(db, endpoint);
  if (row) await db.deleteFrom('push_subscriptions').where('id', '=', row.id).execute();
  return row;
}

export async function markPushDeviceDelivered(db: Executor, endpoint: string, now: number): Promise<void> {
  await db.updateTable('push_subscriptions').set({ last_success_at: now }).where('endpoint', '=', endpoint).execute();
}

/** The devices of several people at once (one query per escalation step). */
export async function pushDevicesOfPeople(db: Executor, personIds: readonly string[]): Promise<PushDeviceRow[]> {
  if (personIds.length === 0) return [];
  return db.selectFrom('push_subscriptions').selectAll().where('person_id', 'in', [...personIds]).orderBy('created_at').orderBy('id').execute();
}
