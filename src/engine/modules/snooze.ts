import type { Executor } from '../../db/types.js';
import type { IncidentHooks } from '../../incidents/lifecycle.js';
import { WAKE_JOB, wakeIncident } from '../../incidents/service.js';
import { findIncident } from '../../incidents/store.js';
import type { EngineModule } from '../engine.js';

/** Ends snoozes at their time; a job for an older snooze (snoozed again, or woken by hand) does nothing. */
export function snoozeModule(deps: { db: Executor; hooks?: IncidentHooks }): EngineModule {
  return {
    kind: WAKE_JOB,
    async run(job, now) {
      const { incidentId, until } = JSON.parse(job.payload_json) as { incidentId: string; until: number };
      await deps.db.transaction().execute(async (trx) => {
        const incident = await findIncident(trx, incidentId);
        if (!incident || incident.snoozed_until !== until) return;
        await wakeIncident(trx, incident, now, null, deps.hooks);
      });
      return { kind: 'done' };
    },
  };
}
