import type { Executor } from '../../db/types.js';
import type { RulesService } from '../../alerts/rules-service.js';
import type { IncidentHooks } from '../../incidents/lifecycle.js';
import { closeWithAlerts } from '../../incidents/service.js';
import { findIncident } from '../../incidents/store.js';
import { idleCloseAt } from '../../incidents/grouping.js';
import type { EngineModule } from '../engine.js';

export const IDLE_CLOSE = 'incident-idle-close';

/**
 * Closes an incident after the channel's "no new alert for N seconds". The job re-reads the
 * incident: a merge since it was queued moves the deadline, so the job reschedules itself.
 */
export function idleCloseModule(deps: { db: Executor; rules: RulesService; hooks?: IncidentHooks }): EngineModule {
  return {
    kind: IDLE_CLOSE,
    async run(job, now) {
      const { incidentId } = JSON.parse(job.payload_json) as { incidentId: string };
      const current = await findIncident(deps.db, incidentId);
      if (!current || current.status === 'closed') return { kind: 'done' };
      // Read before the transaction: on SQLite the transaction holds the only connection.
      const runtime = await deps.rules.runtime(current.channel_id);
      return deps.db.transaction().execute(async (trx) => {
        const incident = await findIncident(trx, incidentId);
        if (!incident || incident.status === 'closed') return { kind: 'done' } as const;
        const deadline = idleCloseAt(incident.last_merge_at, runtime.noise.autoClose);
        if (deadline === undefined) return { kind: 'done' } as const;
        if (deadline > now) return { kind: 'later', runAt: deadline } as const;
        await closeWithAlerts(trx, incident, now, { reason: `no new alert for ${runtime.noise.autoClose.afterIdleSeconds} s` }, deps.hooks);
        return { kind: 'done' } as const;
      });
    },
  };
}
