/** SQL of the Opsgenie compatibility routes: alerts as an integration sees them, and request statuses. */
import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { AlertsTable, IncidentsTable, OpsgenieRequestsTable } from '../db/schema.js';

export type OpsgenieRequestRow = Selectable<OpsgenieRequestsTable>;

/** The integration's alert with this id (an integration key never reaches another integration's alerts). */
export async function alertById(db: Executor, integrationId: string, id: string): Promise<Selectable<AlertsTable> | undefined> {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).where('integration_id', '=', integrationId).executeTakeFirst();
}

/**
 * The integration's alert with this alias: the newest open one, else the newest. The channel condition
 * keeps the lookup on the (channel_id, alert_key) index without a new index on the ingest hot path.
 */
export async function alertByAlias(db: Executor, integration: { id: string; channelId: string | null }, alias: string): Promise<Selectable<AlertsTable> | undefined> {
  const rows = await db
    .selectFrom('alerts')
    .selectAll()
    .where('channel_id', 'in', integration.channelId ? [integration.channelId] : db.selectFrom('channels').select('id'))
    .where('alert_key', '=', alias)
    .where('integration_id', '=', integration.id)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return rows.find((r) => r.recovered_at === null) ?? rows[0];
}

/** The integration's newest alert in the incident numbered `number` (Opsgenie's tinyId). */
export async function alertByIncidentNumber(db: Executor, integrationId: string, number: number): Promise<Selectable<AlertsTable> | undefined> {
  return db
    .selectFrom('alerts')
    .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .selectAll('alerts')
    .where('incidents.number', '=', number)
    .where('alerts.integration_id', '=', integrationId)
    .orderBy('alerts.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function incidentOf(db: Executor, incidentId: string): Promise<Selectable<IncidentsTable> | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirst();
}

export async function insertRequest(db: Executor, row: OpsgenieRequestRow): Promise<void> {
  await db.insertInto('opsgenie_requests').values(row).execute();
}

/** A request of this integration (another integration's request id reads as unknown). */
export async function findRequest(db: Executor, integrationId: string, id: string): Promise<OpsgenieRequestRow | undefined> {
  return db.selectFrom('opsgenie_requests').selectAll().where('id', '=', id).where('integration_id', '=', integrationId).executeTakeFirst();
}
