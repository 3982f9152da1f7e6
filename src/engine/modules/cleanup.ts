import type { Executor } from '../../db/types.js';
import { ensureRecurringJob, pruneJobs } from '../../db/jobs.js';
import type { EngineModule } from '../engine.js';

export const CLEANUP_JOB = 'cleanup';
const EVERY_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

export interface RetentionDays {
  /** Raw payloads shown on integration cards. */
  readonly rawEvents: number;
  /** Delivered, failed and cancelled notifications (the delivery log). */
  readonly deliveryLog: number;
}

/** Makes sure the recurring clean-up is scheduled (revived if an earlier run ended it for good). */
export async function scheduleCleanup(db: Executor, now: number): Promise<void> {
  await ensureRecurringJob(db, { kind: CLEANUP_JOB, key: CLEANUP_JOB, runAt: now + 60_000 }, now);
}

/**
 * Retention (DESIGN §5): prunes raw payloads and the delivery log past their configured age,
 * finished engine jobs after a week and expired action links, then runs again in six hours.
 * Alerts, incidents and their timelines are kept.
 */
export function cleanupModule(deps: { db: Executor; retention: RetentionDays }): EngineModule {
  return {
    kind: CLEANUP_JOB,
    async run(_job, now) {
      const { db, retention } = deps;
      await db.deleteFrom('raw_events').where('received_at', '<', now - retention.rawEvents * DAY_MS).execute();
      await db.deleteFrom('opsgenie_requests').where('created_at', '<', now - retention.rawEvents * DAY_MS).execute();
      await db
        .deleteFrom('messages')
        .where('status', 'in', ['sent', 'failed', 'cancelled'])
        .where('created_at', '<', now - retention.deliveryLog * DAY_MS)
        .execute();
      await db.deleteFrom('action_tokens').where('expires_at', '<', now - DAY_MS).execute();
      await pruneJobs(db, now - 7 * DAY_MS);
      return { kind: 'later', runAt: now + EVERY_MS };
    },
  };
}
