import type { Executor } from '../db/types.js';
import { enqueueJob } from '../db/jobs.js';
import type { Integration } from './integration-model.js';
import type { IngestService } from './ingest-service.js';
import { findIntegration } from './store.js';
import { heartbeatDeadline, heartbeatOptions, missedHeartbeatEvent } from './sources/heartbeat.js';

/** The engine module that fires when a heartbeat integration stays silent (engine/modules/heartbeat.ts). */
export const HEARTBEAT_JOB = 'heartbeat-missed';

const jobKey = (integrationId: string) => `heartbeat:${integrationId}`;

/**
 * A dead man's switch: each beat moves one durable timer to beat + interval + grace; when the timer
 * fires, a Critical event enters the normal ingest path (so rules page as for any alert), and the
 * next beat's Ok event recovers it. The switch is armed by the first beat.
 */
export function createHeartbeatService(deps: { db: Executor; ingest: IngestService }) {
  const { db } = deps;
  return {
    /** Re-arms the timer after a beat at `now`. */
    async beat(integration: Integration, now: number): Promise<void> {
      const runAt = heartbeatDeadline(heartbeatOptions(integration.settings.sourceOptions), now);
      const payload = { integrationId: integration.id, lastBeatAt: now };
      const queued = await enqueueJob(db, { kind: HEARTBEAT_JOB, key: jobKey(integration.id), runAt, payload }, now);
      if (queued) return;
      await db
        .updateTable('jobs')
        .set({ run_at: runAt, payload_json: JSON.stringify(payload), status: 'pending', attempts: 0, finished_at: null, last_error: null })
        .where('key', '=', jobKey(integration.id))
        .execute();
    },

    /** The timer fired: no beat since `lastBeatAt`. Raises the alert unless the integration is gone or off. */
    async missed(integrationId: string, lastBeatAt: number, now: number): Promise<void> {
      const stored = await findIntegration(db, integrationId);
      if (!stored || stored.integration.disabled || stored.integration.source !== 'heartbeat') return;
      const { integration } = stored;
      const event = missedHeartbeatEvent(integration.name, heartbeatOptions(integration.settings.sourceOptions), lastBeatAt, now);
      await deps.ingest.ingest(integration, [event], { contentType: 'text/plain', payload: `no heartbeat since ${new Date(lastBeatAt).toISOString()}` });
    },
  };
}

export type HeartbeatService = ReturnType<typeof createHeartbeatService>;
