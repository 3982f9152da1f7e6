import type { Executor } from '../db/types.js';

/** A person as webhook payloads name them. */
interface PersonRef {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

async function people(db: Executor, ids: readonly string[]): Promise<PersonRef[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('persons').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
  // Keep the order the ids came in (first paged first).
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

/**
 * The incident as subscribers receive it: its fields plus the people really involved — assignees are
 * whoever escalation paged (the outbox), responders whoever acknowledged or acted on its timeline.
 */
export async function incidentPayload(db: Executor, publicUrl: string, incidentId: string): Promise<Record<string, unknown> | undefined> {
  const incident = await db.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirst();
  if (!incident) return undefined;
  const [channel, paged, actors] = await Promise.all([
    db.selectFrom('channels').select(['id', 'name']).where('id', '=', incident.channel_id).executeTakeFirst(),
    db
      .selectFrom('messages')
      .select('person_id')
      .where('incident_id', '=', incidentId)
      .where('person_id', 'is not', null)
      .where('kind', 'in', ['trigger', 'repeat', 'escalated'])
      .orderBy('created_at')
      .limit(500)
      .execute(),
    db.selectFrom('timeline').select('actor_id').where('incident_id', '=', incidentId).where('actor_id', 'is not', null).orderBy('id').limit(500).execute(),
  ]);
  const unique = (ids: readonly (string | null)[]) => [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  const acknowledgers = (JSON.parse(incident.acknowledgers_json) as string[]).filter((id) => !id.startsWith('via:'));
  const url = `${publicUrl}/incidents/${incident.id}`;
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    channel: { id: incident.channel_id, name: channel?.name ?? '' },
    labels: JSON.parse(incident.labels_json) as Record<string, string>,
    alert_count: incident.alert_count,
    active_alert_count: incident.active_alert_count,
    escalation_level: incident.escalation_level === null ? null : Number(incident.escalation_level) + 1,
    assignees: await people(db, unique(paged.map((m) => m.person_id))),
    responders: await people(db, unique([...acknowledgers, ...actors.map((a) => a.actor_id)])),
    created_at: Number(incident.created_at),
    acknowledged_at: incident.acknowledged_at === null ? null : Number(incident.acknowledged_at),
    closed_at: incident.closed_at === null ? null : Number(incident.closed_at),
    root_cause: incident.root_cause,
    resolution: incident.resolution,
    links: { console: url, api: `${publicUrl}/api/v1/incidents/${incident.id}` },
  };
}

/** The alert as subscribers receive it. */
export async function alertPayload(db: Executor, alertId: string): Promise<Record<string, unknown> | undefined> {
  const alert = await db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  if (!alert) return undefined;
  return {
    id: alert.id,
    alert_key: alert.alert_key,
    channel_id: alert.channel_id,
    incident_id: alert.incident_id,
    integration_id: alert.integration_id,
    title: alert.title,
    description: alert.description,
    severity: alert.severity,
    status: alert.status,
    state: alert.state,
    labels: JSON.parse(alert.labels_json) as Record<string, string>,
    event_count: alert.event_count,
    first_event_at: Number(alert.first_event_at),
    last_event_at: Number(alert.last_event_at),
    recovered_at: alert.recovered_at === null ? null : Number(alert.recovered_at),
  };
}
