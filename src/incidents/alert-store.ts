import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { AlertsTable, EventsTable } from '../db/schema.js';

/**
 * The alerts of incidents as the incident API lists and shows them, and their closing when an
 * incident is resolved. SQL only. (The ingest path's alert queries live in alerts/store.ts; alerts
 * depend on incidents, never the reverse — DESIGN §2.)
 */

export type AlertRow = Selectable<AlertsTable>;
export type EventRow = Selectable<EventsTable>;

/** Marks every open alert of an incident recovered, in one statement (the incident was resolved). */
export async function recoverOpenAlertsOfIncident(db: Executor, incidentId: string, now: number): Promise<void> {
  await db.updateTable('alerts').set({ status: 'Ok', recovered_at: now }).where('incident_id', '=', incidentId).where('recovered_at', 'is', null).execute();
}

export async function findAlert(db: Executor, id: string): Promise<AlertRow | undefined> {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function alertsOfIncident(db: Executor, incidentId: string, limit = 500): Promise<AlertRow[]> {
  return db.selectFrom('alerts').selectAll().where('incident_id', '=', incidentId).orderBy('id').limit(limit).execute();
}

export async function eventsOfAlert(db: Executor, alertId: string, limit = 100): Promise<EventRow[]> {
  return db.selectFrom('events').selectAll().where('alert_id', '=', alertId).orderBy('id', 'desc').limit(limit).execute();
}

export interface AlertFilter {
  readonly channelIds?: readonly string[] | undefined;
  readonly incidentId?: string | undefined;
  readonly open?: boolean | undefined;
  readonly severity?: string | undefined;
}

export async function listAlerts(db: Executor, filter: AlertFilter, limit: number, afterId: string | undefined): Promise<AlertRow[]> {
  let query = db.selectFrom('alerts').selectAll();
  if (filter.channelIds) query = query.where('channel_id', 'in', filter.channelIds.length ? [...filter.channelIds] : ['']);
  if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.open === true) query = query.where('recovered_at', 'is', null);
  if (filter.open === false) query = query.where('recovered_at', 'is not', null);
  if (filter.severity) query = query.where('severity', '=', filter.severity);
  if (afterId) query = query.where('id', '<', afterId);
  return query.orderBy('id', 'desc').limit(limit + 1).execute();
}
