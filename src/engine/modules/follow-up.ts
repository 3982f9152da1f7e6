import type { Executor } from '../../db/types.js';
import type { Log } from '../../core/log.js';
import { enqueueJob } from '../../db/jobs.js';
import type { IncidentHooks } from '../../incidents/lifecycle.js';
import { findIncident, type IncidentRow } from '../../incidents/store.js';
import { queueMessage } from '../../notify/outbox.js';
import { findProviderRow } from '../../notify/providers-store.js';
import { loadSettings, type ProviderRegistry } from '../../notify/registry.js';
import { renderMessage } from '../../notify/templates.js';
import type { NotificationMethod, Recipient } from '../../notify/provider.js';
import { incidentViewOf } from '../../notify/incident-view.js';
import type { EngineModule } from '../engine.js';

export const FOLLOW_UP_JOB = 'im-follow-up';

/** Queues the follow-up of an acknowledgement or resolution (called inside the state change's transaction). */
export async function queueFollowUp(trx: Executor, incident: IncidentRow, kind: 'acknowledged' | 'resolved', now: number): Promise<void> {
  await enqueueJob(trx, { kind: FOLLOW_UP_JOB, key: `follow-up:${incident.id}:${kind}:${now}`, runAt: now, payload: { incidentId: incident.id, kind } }, now);
}

/** Incident hooks that tell group chats about acknowledgements and resolutions. */
export function followUpHooks(): IncidentHooks {
  return {
    onAcknowledged: (trx, incident, now) => queueFollowUp(trx, incident, 'acknowledged', now),
    onClosed: (trx, incident, now) => queueFollowUp(trx, incident, 'resolved', now),
  };
}

/**
 * When an incident is acknowledged or resolved, the group chats that were told about it hear it too:
 * messages a vendor can edit (Slack) are updated in place, the others get a short follow-up message.
 */
export function followUpModule(deps: { db: Executor; registry: ProviderRegistry; secretKey: Buffer; publicUrl: string; log: Log; fetch?: typeof fetch; resolveHost?: (host: string) => Promise<string>; onCommitted?: () => void }): EngineModule {
  return {
    kind: FOLLOW_UP_JOB,
    async run(job, now) {
      const { incidentId, kind } = JSON.parse(job.payload_json) as { incidentId: string; kind: 'acknowledged' | 'resolved' };
      const incident = await findIncident(deps.db, incidentId);
      if (!incident) return { kind: 'done' };
      const sent = await deps.db
        .selectFrom('messages')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .where('status', '=', 'sent')
        .where('person_id', 'is', null)
        .where('kind', 'in', ['trigger', 'repeat', 'escalated'])
        .execute();
      const view = await incidentViewOf(deps.db, deps.publicUrl, incident);
      const handledChats = new Set<string>();
      for (const message of sent) {
        if (!message.provider_id || handledChats.has(message.provider_id)) continue;
        handledChats.add(message.provider_id);
        const row = await findProviderRow(deps.db, message.provider_id);
        const provider = row ? deps.registry.get(row.provider) : undefined;
        if (!row || !provider) continue;
        if (provider.update && message.provider_message_id) {
          const { message: outbound } = renderMessage({
            id: message.id,
            idempotencyKey: `${message.key}:${kind}`,
            method: message.method as NotificationMethod,
            recipient: JSON.parse(message.recipient_json) as Recipient,
            kind,
            incident: view,
            threadKey: incident.id,
          });
          const result = await provider.update(loadSettings(provider, JSON.parse(row.settings_json) as Record<string, unknown>, deps.secretKey), message.provider_message_id, outbound, { fetch: deps.fetch ?? fetch, now, ...(deps.resolveHost && { resolveHost: deps.resolveHost }) });
          if (result.kind !== 'sent') deps.log.warn({ incidentId, provider: row.name, error: result.error }, 'updating a chat message failed');
          continue;
        }
        await queueMessage(
          deps.db,
          { key: `${incident.id}:follow-up:${kind}:${row.id}`, incidentId, personId: null, providerId: row.id, method: message.method, kind, recipient: JSON.parse(message.recipient_json) as object, payload: {} },
          now,
        );
      }
      deps.onCommitted?.();
      return { kind: 'done' };
    },
  };
}
