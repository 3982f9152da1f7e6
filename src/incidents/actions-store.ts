import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { AlertsTable, ChangeEventsTable, CustomFieldsTable, IncidentRespondersTable, PostmortemsTable, TimelineTable } from '../db/schema.js';

/** SQL of the incident actions (issue 11): responders, custom fields, merges, change events, post-mortems, paged lists. */

export type ResponderRow = Selectable<IncidentRespondersTable>;
export type FieldRow = Selectable<CustomFieldsTable>;
export type ChangeEventRow = Selectable<ChangeEventsTable>;
export type PostmortemRow = Selectable<PostmortemsTable>;

// ---- people and schedules named by actions ------------------------------------------------------

/** Names of people by id (unknown ids are absent). */
export async function personNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('persons').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Active people among `ids`, with their names. */
export async function activePeople(db: Executor, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('persons').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).where('status', '=', 'active').execute();
}

/** The active person with this (normalised) email address. */
export async function activePersonByEmail(db: Executor, email: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('persons').select(['id', 'name']).where('email', '=', email).where('status', '=', 'active').executeTakeFirst();
}

export async function schedulesByIds(db: Executor, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('schedules').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
}

// ---- responders ---------------------------------------------------------------------------------

export async function respondersOf(db: Executor, incidentIds: readonly string[]): Promise<ResponderRow[]> {
  if (incidentIds.length === 0) return [];
  return db.selectFrom('incident_responders').selectAll().where('incident_id', 'in', [...incidentIds]).orderBy('added_at').execute();
}

export async function deleteResponders(db: Executor, incidentId: string, role: string): Promise<void> {
  await db.deleteFrom('incident_responders').where('incident_id', '=', incidentId).where('role', '=', role).execute();
}

/** Adds targets; one already on the incident keeps its row (and role). */
export async function addResponders(db: Executor, rows: readonly ResponderRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('incident_responders')
    .values([...rows])
    .onConflict((oc) => oc.columns(['incident_id', 'target_type', 'target_id']).doUpdateSet((eb) => ({ role: eb.ref('excluded.role'), added_by: eb.ref('excluded.added_by'), added_at: eb.ref('excluded.added_at') })))
    .execute();
}

// ---- custom fields ------------------------------------------------------------------------------

export async function listFields(db: Executor): Promise<FieldRow[]> {
  return db.selectFrom('custom_fields').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function findField(db: Executor, id: string): Promise<FieldRow | undefined> {
  return db.selectFrom('custom_fields').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertField(db: Executor, row: FieldRow): Promise<void> {
  await db.insertInto('custom_fields').values(row).execute();
}

export async function updateField(db: Executor, id: string, changes: Partial<Omit<FieldRow, 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('custom_fields').set(changes).where('id', '=', id).execute();
}

export async function deleteField(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('incident_field_values').where('field_id', '=', id).execute();
  await db.deleteFrom('custom_fields').where('id', '=', id).execute();
}

/** Removes stored values a narrowed select no longer offers. */
export async function deleteFieldValuesNotIn(db: Executor, fieldId: string, keep: readonly string[]): Promise<void> {
  let query = db.deleteFrom('incident_field_values').where('field_id', '=', fieldId);
  if (keep.length > 0) query = query.where('value', 'not in', [...keep]);
  await query.execute();
}

export async function fieldValuesOf(db: Executor, incidentIds: readonly string[]): Promise<{ incident_id: string; field_id: string; value: string }[]> {
  if (incidentIds.length === 0) return [];
  return db.selectFrom('incident_field_values').selectAll().where('incident_id', 'in', [...incidentIds]).execute();
}

export async function replaceFieldValues(db: Executor, incidentId: string, fieldId: string, values: readonly string[]): Promise<void> {
  await db.deleteFrom('incident_field_values').where('incident_id', '=', incidentId).where('field_id', '=', fieldId).execute();
  if (values.length > 0) await db.insertInto('incident_field_values').values(values.map((value) => ({ incident_id: incidentId, field_id: fieldId, value }))).execute();
}

// ---- merge ----------------------------------------------------------------------------------------

/** Counts of an incident's alerts: all, and those not recovered. */
export async function alertCounts(db: Executor, incidentId: string): Promise<{ total: number; active: number; severities: string[] }> {
  const rows = await db.selectFrom('alerts').select(['severity', 'recovered_at']).where('incident_id', '=', incidentId).execute();
  const active = rows.filter((r) => r.recovered_at === null);
  return { total: rows.length, active: active.length, severities: [...new Set(active.map((r) => r.severity))] };
}

export async function moveAlerts(db: Executor, fromIncidentId: string, toIncidentId: string): Promise<void> {
  await db.updateTable('alerts').set({ incident_id: toIncidentId }).where('incident_id', '=', fromIncidentId).execute();
}

// ---- paged lists ------------------------------------------------------------------------------------

/** An incident's alerts, oldest first, keyset-paged on id (`limit + 1` rows: the extra says more exist). */
export async function alertsPage(db: Executor, incidentId: string, limit: number, afterId: string | undefined): Promise<Selectable<AlertsTable>[]> {
  let query = db.selectFrom('alerts').selectAll().where('incident_id', '=', incidentId);
  if (afterId) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit + 1).execute();
}

/** An incident's timeline, oldest first, keyset-paged on id. */
export async function timelinePage(db: Executor, incidentId: string, limit: number, afterId: string | undefined): Promise<Selectable<TimelineTable>[]> {
  let query = db.selectFrom('timeline').selectAll().where('incident_id', '=', incidentId);
  if (afterId) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit + 1).execute();
}

/** Every entry of one kind (a handful: merges, manual escalations) for read-time context. */
export async function timelineOfKind(db: Executor, incidentId: string, kind: string, limit = 200): Promise<Selectable<TimelineTable>[]> {
  return db.selectFrom('timeline').selectAll().where('incident_id', '=', incidentId).where('kind', '=', kind).orderBy('id').limit(limit).execute();
}

/** An alert's events, newest first, keyset-paged on id. */
export async function eventsPage(db: Executor, alertId: string, limit: number, beforeId: string | undefined) {
  let query = db.selectFrom('events').selectAll().where('alert_id', '=', alertId);
  if (beforeId) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit + 1).execute();
}

// ---- change events ----------------------------------------------------------------------------------

export async function insertChangeEvent(db: Executor, row: ChangeEventRow): Promise<void> {
  await db.insertInto('change_events').values(row).execute();
}

/** Change events of a channel between two instants, newest first. */
export async function changeEventsOf(db: Executor, channelId: string, from: number, to: number, limit: number): Promise<ChangeEventRow[]> {
  return db.selectFrom('change_events').selectAll().where('channel_id', '=', channelId).where('event_time', '>=', from).where('event_time', '<=', to).orderBy('event_time', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Ids of a channel's open incidents, newest first (a change event is noted on each). */
export async function openIncidentIds(db: Executor, channelId: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('incidents').select('id').where('channel_id', '=', channelId).where('status', '!=', 'closed').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}

// ---- post-mortems -----------------------------------------------------------------------------------

export async function findPostmortem(db: Executor, incidentId: string): Promise<PostmortemRow | undefined> {
  return db.selectFrom('postmortems').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
}

export async function savePostmortem(db: Executor, row: PostmortemRow): Promise<void> {
  await db
    .insertInto('postmortems')
    .values(row)
    .onConflict((oc) => oc.column('incident_id').doUpdateSet({ markdown: row.markdown, updated_by: row.updated_by, updated_at: row.updated_at }))
    .execute();
}
