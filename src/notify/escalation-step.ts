import type { Executor } from '../db/types.js';
import type { IncidentRuleSpec } from '../escalation/model.js';
import { planStep, type Step } from '../escalation/planner.js';
import { queueStep } from '../escalation/service.js';
import { insertTimeline, updateIncident, type IncidentRow } from '../incidents/store.js';
import { dispatchLevel } from './dispatch.js';
import type { ProviderRegistry } from './registry.js';

/** What became of a step: finished (the next one, if any, is queued), or to be run again at `runAt`. */
/** Incident fields written together with the step's own change (a new incident's rule and its snapshot). */
export type StepAssignment = Partial<Pick<IncidentRow, 'rule_id' | 'rule_snapshot_json' | 'escalation_level'>>;

export type StepOutcome = { readonly kind: 'done' } | { readonly kind: 'later'; readonly runAt: number };

/**
 * Runs one escalation step of an incident inside the caller's transaction: asks the planner what to
 * do, writes the notifications to the outbox and queues the next step. The engine's escalate jobs
 * call it for later levels; ingest calls it for a new incident's first level, so the first page is
 * written in the same commit as the incident (DESIGN §3) without an intermediate job.
 */
export async function runEscalationStep(
  trx: Executor,
  registry: ProviderRegistry,
  incident: IncidentRow,
  epoch: number,
  step: Step,
  now: number,
  assignment: StepAssignment = {},
): Promise<StepOutcome> {
  // The rule chosen for a new incident is written with its first level's outcome: one statement, not two.
  const assign = async (changes: StepAssignment) => {
    if (Object.keys(changes).length > 0) await updateIncident(trx, incident.id, changes);
  };
  if (incident.escalation_epoch !== epoch || !incident.rule_snapshot_json) {
    await assign(assignment);
    return { kind: 'done' };
  }
  const spec = JSON.parse(incident.rule_snapshot_json) as IncidentRuleSpec;
  const state = { status: incident.status as 'triggered' | 'processing' | 'closed', snoozedUntil: incident.snoozed_until, createdAt: incident.created_at };
  const plan = planStep(spec, state, step, now);
  switch (plan.kind) {
    case 'wait':
      await assign(assignment);
      return { kind: 'later', runAt: plan.until };
    case 'stop':
      await assign(assignment);
      if (plan.reason === 'exhausted') await insertTimeline(trx, incident.id, now, 'escalation_exhausted', { level: step.level + 1, round: step.round });
      return { kind: 'done' };
    case 'skip':
      await assign(assignment);
      if (plan.next) await queueStep(trx, incident.id, epoch, plan.next.step, plan.next.at, now);
      return { kind: 'done' };
    case 'notify':
      await dispatchLevel(trx, registry, { incident, level: plan.level, step: plan.step, epoch }, now);
      await assign({ ...assignment, escalation_level: plan.step.level });
      if (plan.next) await queueStep(trx, incident.id, epoch, plan.next.step, plan.next.at, now);
      return { kind: 'done' };
  }
}
