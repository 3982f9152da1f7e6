import type { Executor } from '../../db/types.js';
import type { IncidentRuleSpec } from '../../escalation/model.js';
import { planStep, type Step } from '../../escalation/planner.js';
import { ESCALATE_JOB, queueStep } from '../../escalation/service.js';
import { findIncident, insertTimeline, updateIncident } from '../../incidents/store.js';
import { dispatchLevel } from '../../notify/dispatch.js';
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
        if (!incident || incident.escalation_epoch !== epoch || !incident.rule_snapshot_json) return { kind: 'done' } as const;
        const spec = JSON.parse(incident.rule_snapshot_json) as IncidentRuleSpec;
        const state = { status: incident.status as 'triggered' | 'processing' | 'closed', snoozedUntil: incident.snoozed_until, createdAt: incident.created_at };
        const plan = planStep(spec, state, step, now);
        switch (plan.kind) {
          case 'wait':
            return { kind: 'later', runAt: plan.until } as const;
          case 'stop':
            if (plan.reason === 'exhausted') await insertTimeline(trx, incident.id, now, 'escalation_exhausted', { level: step.level + 1, round: step.round });
            return { kind: 'done' } as const;
          case 'skip':
            if (plan.next) await queueStep(trx, incident.id, epoch, plan.next.step, plan.next.at, now);
            return { kind: 'done' } as const;
          case 'notify':
            await dispatchLevel(trx, deps.registry, { incident, level: plan.level, step: plan.step, epoch }, now);
            await updateIncident(trx, incident.id, { escalation_level: plan.step.level });
            if (plan.next) await queueStep(trx, incident.id, epoch, plan.next.step, plan.next.at, now);
            return { kind: 'done' } as const;
        }
      });
      deps.onCommitted?.();
      return outcome;
    },
  };
}
