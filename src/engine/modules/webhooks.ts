import { DELIVER_JOB, SCAN_JOB, type WebhooksService } from '../../webhooks/service.js';
import type { EngineModule } from '../engine.js';

/** Reads the change feed into webhook deliveries; each delivery becomes its own job. */
export function webhookScanModule(deps: { webhooks: WebhooksService; onQueued: () => void }): EngineModule {
  return {
    kind: SCAN_JOB,
    async run(_job, now) {
      if ((await deps.webhooks.scan(now)) > 0) deps.onQueued();
      return { kind: 'done' };
    },
  };
}

/** One signed POST per run; network errors and 5xx come back later with backoff and jitter. */
export function webhookDeliverModule(deps: { webhooks: WebhooksService }): EngineModule {
  return {
    kind: DELIVER_JOB,
    async run(job, now) {
      const { deliveryId } = JSON.parse(job.payload_json) as { deliveryId: string };
      const retryAt = await deps.webhooks.deliver(deliveryId, now);
      return retryAt === undefined ? { kind: 'done' } : { kind: 'later', runAt: retryAt, error: 'receiver failed; retrying' };
    },
  };
}
