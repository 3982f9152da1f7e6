import { cachedRows } from '../db/precompiled.js';
import type { Executor } from '../db/types.js';
import type { IncidentRow } from '../incidents/store.js';
import type { IncidentView } from './provider.js';

/** A channel's name ('' when it is gone). */
export async function channelNameOf(db: Executor, channelId: string): Promise<string> {
  const [channel] = await cachedRows(db, 'channels:name', [channelId], () => db.selectFrom('channels').select('name').where('id', '=', channelId));
  return channel?.name ?? '';
}

/** The incident as messages show it (without signed action links); `channelName` when the caller already knows it. */
export async function incidentViewOf(db: Executor, publicUrl: string, incident: IncidentRow, channelName?: string): Promise<IncidentView> {
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    description: incident.description,
    severity: incident.severity as IncidentView['severity'],
    status: incident.status,
    channelName: channelName ?? (await channelNameOf(db, incident.channel_id)),
    labels: JSON.parse(incident.labels_json) as Record<string, string>,
    alertCount: incident.alert_count,
    startedAt: Number(incident.created_at),
    url: `${publicUrl}/incidents/${incident.id}`,
  };
}
