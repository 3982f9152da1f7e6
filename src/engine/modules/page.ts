import type { Executor } from '../../db/types.js';
import { PAGE_JOB, type PageJobPayload } from '../../escalation/manual.js';
import { findIncident } from '../../incidents/store.js';
import { dispatchLevel } from '../../notify/dispatch.js';
import type { ProviderRegistry } from '../../notify/registry.js';
import type { EngineModule } from '../engine.js';

/**
 * Pages the people and schedules an incident was reassigned to (or who were added as responders),
 * each by their own preferences, through the same outbox as escalation. A closed incident pages nobody.
 */
export function pageModule(deps: { db: Executor; registry: ProviderRegistry; onCommitted?: () => void }): EngineModule {
  return {
    kind: PAGE_JOB,
    async run(job, now) {
      const { incidentId, targets, reason } = JSON.parse(job.payload_json) as PageJobPayload;
      await deps.db.transaction().execute(async (trx) => {
        const incident = await findIncident(trx, incidentId);
        if (!incident || incident.status === 'closed') return;
        const level = {
          targets: { people: [...targets.people], schedules: targets.schedules.map((id) => ({ id })) },
          methods: { kind: 'preferences' as const },
          escalate_after_min: 1,
        };
        await dispatchLevel(trx, deps.registry, { incident, level, step: { level: 0, round: 0, repeat: 0 }, epoch: incident.escalation_epoch, adHoc: { keyBase: `page:${job.id}`, reason } }, now);
      });
      deps.onCommitted?.();
      return { kind: 'done' };
    },
  };
}
