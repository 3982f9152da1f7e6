import { cachedRows } from '../db/precompiled.js';
import type { Executor } from '../db/types.js';
import type { IncidentRow } from '../incidents/store.js';
import type { IncidentView } from './provider.js';

/** The incident as messages show it (without signed action links). */
export async function incidentViewOf(db: Executor, publicUrl: string, incident: IncidentRow): Promise<IncidentView> {
  const [channel] = await cachedRows(db, 'channels:name', [incident.channel_id], () => db.selectFrom('channels').select('name').where('id', '=', incident.channel_id));
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    description: incident.description,
    severity: incident.severity as IncidentView['severity'],
    status: incident.status,
    channelName: channel?.name ?? '',
    labels: JSON.parse(incident.labels_json) as Record<string, string>,
    alertCount: incident.alert_count,
    startedAt: Number(incident.created_at),
    url: `${publicUrl}/incidents/${incident.id}`,
  };
}
