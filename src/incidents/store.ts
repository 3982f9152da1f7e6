import { sql, type Selectable } from 'kysely';
import { isPostgres, type Executor } from '../db/types.js';
import type { IncidentsTable, TimelineTable } from '../db/schema.js';
import { newId } from '../core/ids.js';
import { deferInsert } from '../db/deferred.js';
import { insertRow, cachedRows, updateById } from '../db/precompiled.js';

export type IncidentRow = Selectable<IncidentsTable>;
export type TimelineRow = Selectable<TimelineTable>;

/**
 * Next short incident number (#1234). PostgreSQL: from a sequence, which never makes concurrent
 * creators wait for each other's commit (a rolled-back transaction leaves a gap). SQLite: the counter
 * row (one writer anyway).
 */
export async function nextIncidentNumber(db: Executor): Promise<number> {
  if (isPostgres(db)) {
    const [next] = await cachedRows<{ value: number }>(db, 'incidents:number-sequence', [], () => db.selectNoFrom(sql<number>`nextval('incident_number_seq')`.as('value')));
    return Number(next?.value);
  }
  const [updated] = await cachedRows(db, 'counters:increment', [1, 'incident_number'], () =>
    db
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'incident_number')
      .returning('value'),
  );
  if (updated) return Number(updated.value);
  await db
    .insertInto('counters')
    .values({ name: 'incident_number', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .execute();
  const row = await db.selectFrom('counters').select('value').where('name', '=', 'incident_number').executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function insertIncident(db: Executor, row: IncidentRow): Promise<void> {
  await insertRow(db, 'incidents', row);
}

export async function findIncident(db: Executor, id: string): Promise<IncidentRow | undefined> {
  const [row] = await cachedRows(db, 'incidents:by-id', [id], () => db.selectFrom('incidents').selectAll().where('id', '=', id));
  return row;
}

/** Several incidents at once (any order; missing ids are left out). */
export async function findIncidents(db: Executor, ids: readonly string[]): Promise<IncidentRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('incidents').selectAll().where('id', 'in', [...ids]).execute();
}

export async function findIncidentByNumber(db: Executor, number: number): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function updateIncident(db: Executor, id: string, changes: Partial<Omit<IncidentRow, 'id' | 'number' | 'channel_id' | 'created_at'>>): Promise<void> {
  await updateById(db, 'incidents', id, changes);
}

/**
 * Counts one more alert on an incident in a single statement (no read-modify-write, so concurrent
 * merges on PostgreSQL never lose a count); returns the counts after the change.
 */
export async function countMergedAlert(db: Executor, id: string, now: number): Promise<{ alert_count: number; storm_level: number } | undefined> {
  const row = await db
    .updateTable('incidents')
    .set((eb) => ({ alert_count: eb('alert_count', '+', 1), active_alert_count: eb('active_alert_count', '+', 1), last_merge_at: now, updated_at: now }))
    .where('id', '=', id)
    .returning(['alert_count', 'storm_level'])
    .executeTakeFirst();
  return row && { alert_count: Number(row.alert_count), storm_level: Number(row.storm_level) };
}

/** Sets a field only while it still holds one of `from` (atomic compare-and-set); true when it changed. */
export async function setIfIn(db: Executor, id: string, field: 'severity' | 'storm_level', from: readonly (string | number)[], to: string | number): Promise<boolean> {
  if (from.length === 0) return false;
  const result = await db.updateTable('incidents').set({ [field]: to }).where('id', '=', id).where(field, 'in', [...from]).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts one alert of an incident as recovered in a single statement; returns the row after the change. */
export async function countRecoveredAlert(db: Executor, id: string, now: number): Promise<IncidentRow | undefined> {
  return db
    .updateTable('incidents')
    .set((eb) => ({ active_alert_count: eb.case().when('active_alert_count', '>', 0).then(eb('active_alert_count', '-', 1)).else(0).end(), updated_at: now }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Applies `changes` only if status and acknowledgers are still what the caller read (optimistic
 * concurrency for the acknowledger list); false means somebody changed them first: re-read and retry.
 */
export async function updateIfUnchanged(
  db: Executor,
  seen: Pick<IncidentRow, 'id' | 'status' | 'acknowledgers_json'>,
  changes: Partial<Omit<IncidentRow, 'id' | 'number' | 'channel_id' | 'created_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('incidents')
    .set(changes)
    .where('id', '=', seen.id)
    .where('status', '=', seen.status)
    .where('acknowledgers_json', '=', seen.acknowledgers_json)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Closes an incident unless it is already closed; false when another writer closed it first. */
export async function closeIfOpen(db: Executor, id: string, changes: Partial<Omit<IncidentRow, 'id' | 'number' | 'channel_id' | 'created_at'>>): Promise<boolean> {
  const result = await db.updateTable('incidents').set(changes).where('id', '=', id).where('status', '!=', 'closed').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Open incidents of a channel sharing a group key (one indexed query; newest first). */
export async function openIncidentsByGroupKey(db: Executor, channelId: string, groupKey: string, limit = 5): Promise<IncidentRow[]> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('group_key', '=', groupKey)
    .where('status', '!=', 'closed')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The most recent open incidents of a channel (similarity grouping compares against these). */
export async function recentOpenIncidents(db: Executor, channelId: string, limit = 50): Promise<IncidentRow[]> {
  return db.selectFrom('incidents').selectAll().where('channel_id', '=', channelId).where('status', '!=', 'closed').orderBy('id', 'desc').limit(limit).execute();
}

export interface IncidentFilter {
  readonly channelIds?: readonly string[] | undefined;
  readonly status?: string | undefined;
  readonly severity?: string | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  readonly text?: string | undefined;
  /** Custom field values every returned incident has (field id + stored value). */
  readonly fieldFilters?: readonly { fieldId: string; value: string }[] | undefined;
  /** A person assigned to (or responding to) the incident. */
  readonly assigneeId?: string | undefined;
}

/** Newest first, keyset-paged on id. `channelIds` limits to channels the caller may see. */
export async function listIncidents(db: Executor, filter: IncidentFilter, limit: number, afterId: string | undefined): Promise<IncidentRow[]> {
  let query = db.selectFrom('incidents').selectAll();
  if (filter.channelIds) query = query.where('channel_id', 'in', filter.channelIds.length ? [...filter.channelIds] : ['']);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.severity) query = query.where('severity', '=', filter.severity);
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
  if (filter.text) query = query.where((eb) => eb(eb.fn('lower', ['title']), 'like', `%${filter.text?.toLowerCase().replace(/[\\%_]/g, '')}%`));
  for (const f of filter.fieldFilters ?? []) {
    query = query.where('id', 'in', (eb) => eb.selectFrom('incident_field_values').select('incident_id').where('field_id', '=', f.fieldId).where('value', '=', f.value));
  }
  if (filter.assigneeId) {
    const personId = filter.assigneeId;
    query = query.where('id', 'in', (eb) => eb.selectFrom('incident_responders').select('incident_id').where('target_type', '=', 'person').where('target_id', '=', personId));
  }
  if (afterId) query = query.where('id', '<', afterId);
  return query.orderBy('id', 'desc').limit(limit + 1).execute();
}

export async function insertTimeline(db: Executor, incidentId: string, now: number, kind: string, data: object, actorId: string | null = null): Promise<void> {
  // Nothing reads an incident's timeline inside the transaction that writes it: batched when it can be.
  await deferInsert(db, 'timeline', { id: newId(now), incident_id: incidentId, kind, actor_id: actorId, data_json: JSON.stringify(data), created_at: now });
}

export async function listTimeline(db: Executor, incidentId: string): Promise<TimelineRow[]> {
  return db.selectFrom('timeline').selectAll().where('incident_id', '=', incidentId).orderBy('id').execute();
}
