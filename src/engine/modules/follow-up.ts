import type { Executor } from '../../db/types.js';
import { enqueueJob } from '../../db/jobs.js';
import type { IncidentHooks } from '../../incidents/lifecycle.js';
import { findIncident, type IncidentRow } from '../../incidents/store.js';
import { queueMessage } from '../../notify/outbox.js';
import { findProviderRow } from '../../notify/providers-store.js';
import type { ProviderRegistry } from '../../notify/registry.js';
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
 * messages a vendor can edit (Slack) are updated in place, the others get a short follow-up message;
 * devices that got an app push page get the outcome, which replaces the notification.
 * Either way it is an outbox row, sent by the delivery loop (no vendor call inside a job).
 */
export function followUpModule(deps: { db: Executor; registry: ProviderRegistry; onCommitted?: () => void }): EngineModule {
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
        // Group chats, and direct messages on IM vendors that edit in place (Telegram, Slack).
        .where((eb) => eb.or([eb('person_id', 'is', null), eb('method', '=', 'im')]))
        .where('kind', 'in', ['trigger', 'repeat', 'escalated'])
        .orderBy('id')
        .execute();
      // App push: every device that showed the page gets the outcome, which replaces the notification
      // (same tag) instead of leaving a Critical page on the lock screen after someone took it.
      const pushed = await deps.db
        .selectFrom('messages')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .where('status', '=', 'sent')
        .where('method', '=', 'push')
        .where('kind', 'in', ['trigger', 'repeat', 'escalated'])
        .orderBy('id')
        .execute();
      const handledChats = new Set<string>();
      const handledDevices = new Set<string>();
      await deps.db.transaction().execute(async (trx) => {
        for (const message of sent) {
          const chat = message.person_id === null ? message.provider_id : `${message.provider_id}:${message.person_id}`;
          if (!message.provider_id || !chat || handledChats.has(chat)) continue;
          handledChats.add(chat);
          const row = await findProviderRow(trx, message.provider_id);
          const provider = row ? deps.registry.get(row.provider) : undefined;
          if (!row || !provider) continue;
          const editInPlace = provider.update !== undefined && message.provider_message_id !== null;
          // A person is not sent a new DM about what they (or a colleague) just did: only edits.
          if (message.person_id !== null && !editInPlace) continue;
          await queueMessage(
            trx,
            {
              key: `${incident.id}:follow-up:${kind}:${row.id}${message.person_id === null ? '' : `:${message.person_id}`}`,
              incidentId,
              personId: message.person_id,
              providerId: row.id,
              method: message.method,
              kind,
              recipient: JSON.parse(message.recipient_json) as object,
              payload: editInPlace ? { update_of: message.provider_message_id } : {},
            },
            now,
          );
        }
        for (const message of pushed) {
          const recipient = JSON.parse(message.recipient_json) as { address?: string };
          if (!message.provider_id || !recipient.address || handledDevices.has(recipient.address)) continue;
          handledDevices.add(recipient.address);
          await queueMessage(
            trx,
            {
              // Keyed by the first page to this device: one follow-up per device and outcome.
              key: `${incident.id}:follow-up:${kind}:push:${message.id}`,
              incidentId,
              // Not a page to a person: no throttling, and no fallback method if the device is gone.
              personId: null,
              providerId: message.provider_id,
              method: 'push',
              kind,
              recipient: recipient as object,
              payload: {},
            },
            now,
          );
        }
      });
      deps.onCommitted?.();
      return { kind: 'done' };
    },
  };
}
