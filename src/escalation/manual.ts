import { newId } from '../core/ids.js';
import { enqueueJob } from '../db/jobs.js';
import type { Executor } from '../db/types.js';
import type { EscalationControl, PageTargets } from '../incidents/actions.js';
import * as incidents from '../incidents/store.js';
import type { IncidentRow } from '../incidents/store.js';
import { queueStep } from './service.js';

/** The engine module that pages people and schedules named on an incident (engine/modules/page.ts). */
export const PAGE_JOB = 'incident-page';

export interface PageJobPayload {
  readonly incidentId: string;
  readonly targets: PageTargets;
  readonly reason: string;
}

/**
 * Escalation driven by a person (SPEC §7 "escalate", "reassign / add responders"), as durable jobs
 * written in the action's transaction: the engine pages after commit, exactly like a timed step.
 */
export function escalationControl(): EscalationControl {
  return {
    async escalateTo(trx: Executor, incident: IncidentRow, levelIndex: number, now: number): Promise<void> {
      // A new epoch retires the pending steps of the previous pass; escalating re-triggers an
      // acknowledged or snoozed incident (PagerDuty does the same), or the level would not be paged.
      const epoch = incident.escalation_epoch + 1;
      await incidents.updateIncident(trx, incident.id, {
        escalation_epoch: epoch,
        escalation_level: levelIndex,
        status: 'triggered',
        acknowledged_at: null,
        acknowledgers_json: '[]',
        snoozed_until: null,
        updated_at: now,
      });
      await queueStep(trx, incident.id, epoch, { level: levelIndex, round: 0, repeat: 0 }, now, now);
    },

    async page(trx: Executor, incident: IncidentRow, targets: PageTargets, reason: string, now: number): Promise<void> {
      const id = newId(now);
      const payload: PageJobPayload = { incidentId: incident.id, targets, reason };
      await enqueueJob(trx, { kind: PAGE_JOB, key: `page:${incident.id}:${id}`, runAt: now, payload }, now);
    },
  };
}
