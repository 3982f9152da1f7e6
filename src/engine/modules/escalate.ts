import type { Executor } from '../../db/types.js';
import type { Step } from '../../escalation/planner.js';
import { ESCALATE_JOB } from '../../escalation/service.js';
import { findIncident } from '../../incidents/store.js';
import { runEscalationStep } from '../../notify/escalation-step.js';
import type { ProviderRegistry } from '../../notify/registry.js';
import type { EngineModule } from '../engine.js';

/**
 * Runs one escalation step: re-reads the incident (an acknowledged, closed or re-escalated incident's
 * stale job does nothing), asks the planner what to do, writes the notifications to the outbox and
 * queues the next step, all in one transaction.
 */
export function escalateModule(deps: { db: Executor; registry: ProviderRegistry; onCommitted?: () => void }): EngineModule {
  return {
    kind: ESCALATE_JOB,
    async run(job, now) {
      const { incidentId, epoch, step } = JSON.parse(job.payload_json) as { incidentId: string; epoch: number; step: Step };
      const outcome = await deps.db.transaction().execute(async (trx) => {
        const incident = await findIncident(trx, incidentId);
        if (!incident) return { kind: 'done' } as const;
        return runEscalationStep(trx, deps.registry, incident, epoch, step, now);
      });
      deps.onCommitted?.();
      return outcome;
    },
  };
}
