import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import { deferInsert } from '../db/deferred.js';
import { insertRow, cachedRows, updateById } from '../db/precompiled.js';
import type { AlertsTable, EventsTable } from '../db/schema.js';

export type AlertRow = Selectable<AlertsTable>;
export type EventRow = Selectable<EventsTable>;

/** The open (unrecovered) alert for a key in a channel: the dedup lookup, one unique-index probe. */
export async function findOpenAlert(db: Executor, channelId: string, alertKey: string): Promise<AlertRow | undefined> {
  return db.selectFrom('alerts').selectAll().where('channel_id', '=', channelId).where('alert_key', '=', alertKey).where('recovered_at', 'is', null).executeTakeFirst();
}

/** The newest alert for a key, recovered or not (flapping history carries over recoveries). */
export async function findLatestAlert(db: Executor, channelId: string, alertKey: string): Promise<AlertRow | undefined> {
  const [row] = await cachedRows(db, 'alerts:latest-by-key', [channelId, alertKey, 1], () =>
    db.selectFrom('alerts').selectAll().where('channel_id', '=', channelId).where('alert_key', '=', alertKey).orderBy('id', 'desc').limit(1),
  );
  return row;
}

export async function insertAlert(db: Executor, row: AlertRow): Promise<void> {
  await insertRow(db, 'alerts', row);
}

export async function updateAlert(db: Executor, id: string, changes: Partial<Omit<AlertRow, 'id' | 'channel_id' | 'alert_key' | 'created_at'>>): Promise<void> {
  await updateById(db, 'alerts', id, changes);
}

/**
 * Open, triggered alerts of a channel that could inhibit others. Bounded: only channels with inhibit
 * rules pay for it, and only the newest `limit` alerts are considered.
 */
export async function insertEvent(db: Executor, row: EventRow): Promise<void> {
  // Read only after the commit (alert history): batched when the transaction collects.
  await deferInsert(db, 'events', row);
}

/** Indexes an open, active alert as a possible inhibitor under the given rules (keys from `inhibitKey`). */
export async function insertInhibitKeys(db: Executor, alertId: string, keys: readonly { ruleId: string; equalKey: string }[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('inhibit_keys')
    .values(keys.map((k) => ({ rule_id: k.ruleId, equal_key: k.equalKey, alert_id: alertId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Removes an alert from the inhibit index (it recovered, or its labels changed and it is re-indexed). */
export async function deleteInhibitKeys(db: Executor, alertId: string): Promise<void> {
  await db.deleteFrom('inhibit_keys').where('alert_id', '=', alertId).execute();
}

/** Removes a rule's entries (the rule was changed or deleted; a changed rule is indexed again). */
export async function deleteInhibitKeysOfRule(db: Executor, ruleId: string): Promise<void> {
  await db.deleteFrom('inhibit_keys').where('rule_id', '=', ruleId).execute();
}

/**
 * An alert that inhibits under this rule and key: open, active, its incident not acknowledged. One
 * probe of the index, whatever the number of open alerts in the channel.
 */
export async function findInhibitingAlert(db: Executor, ruleId: string, equalKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('inhibit_keys')
    .innerJoin('alerts', 'alerts.id', 'inhibit_keys.alert_id')
    .leftJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .select('alerts.id')
    .where('inhibit_keys.rule_id', '=', ruleId)
    .where('inhibit_keys.equal_key', '=', equalKey)
    .where('alerts.recovered_at', 'is', null)
    .where('alerts.state', '=', 'active')
    .where((eb) => eb.or([eb('incidents.status', 'is', null), eb('incidents.status', '!=', 'processing')]))
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Open, active alerts of a channel after `afterId`, a page at a time (indexing a new inhibit rule). */
export async function openActiveAlertsPage(db: Executor, channelId: string, afterId: string, limit: number): Promise<AlertRow[]> {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('recovered_at', 'is', null)
    .where('state', '=', 'active')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
