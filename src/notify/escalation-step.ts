import type { Executor } from '../db/types.js';
import type { IncidentRuleSpec } from '../escalation/model.js';
import { planStep, type Step } from '../escalation/planner.js';
import { queueStep } from '../escalation/service.js';
import { insertTimeline, updateIncident, type IncidentRow } from '../incidents/store.js';
import { dispatchLevel } from './dispatch.js';
import type { ProviderRegistry } from './registry.js';

/** What became of a step: finished (the next one, if any, is queued), or to be run again at `runAt`. */
export type StepOutcome = { readonly kind: 'done' } | { readonly kind: 'later'; readonly runAt: number };

/**
 * Runs one escalation step of an incident inside the caller's transaction: asks the planner what to
 * do, writes the notifications to the outbox and queues the next step. The engine's escalate jobs
 * call it for later levels; ingest calls it for a new incident's first level, so the first page is
 * written in the same commit as the incident (DESIGN §3) without an intermediate job.
 */
export async function runEscalationStep(trx: Executor, registry: ProviderRegistry, incident: IncidentRow, epoch: number, step: Step, now: number): Promise<StepOutcome> {
  if (incident.escalation_epoch !== epoch || !incident.rule_snapshot_json) return { kind: 'done' };
  const spec = JSON.parse(incident.rule_snapshot_json) as IncidentRuleSpec;
  const state = { status: incident.status as 'triggered' | 'processing' | 'closed', snoozedUntil: incident.snoozed_until, createdAt: incident.created_at };
  const plan = planStep(spec, state, step, now);
  switch (plan.kind) {
    case 'wait':
      return { kind: 'later', runAt: plan.until };
    case 'stop':
      if (plan.reason === 'exhausted') await insertTimeline(trx, incident.id, now, 'escalation_exhausted', { level: step.level + 1, round: step.round });
      return { kind: 'done' };
    case 'skip':
      if (plan.next) await queueStep(trx, incident.id, epoch, plan.next.step, plan.next.at, now);
      return { kind: 'done' };
    case 'notify':
      await dispatchLevel(trx, registry, { incident, level: plan.level, step: plan.step, epoch }, now);
      await updateIncident(trx, incident.id, { escalation_level: plan.step.level });
      if (plan.next) await queueStep(trx, incident.id, epoch, plan.next.step, plan.next.at, now);
      return { kind: 'done' };
  }
}
