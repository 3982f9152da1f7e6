import { HEARTBEAT_JOB, type HeartbeatService } from '../../integrations/heartbeat.js';
import type { EngineModule } from '../engine.js';

/** Fires when a heartbeat integration's timer runs out (a beat moves the timer, so a run means a miss). */
export function heartbeatModule(deps: { heartbeats: HeartbeatService }): EngineModule {
  return {
    kind: HEARTBEAT_JOB,
    async run(job, now) {
      const { integrationId, lastBeatAt } = JSON.parse(job.payload_json) as { integrationId: string; lastBeatAt: number };
      await deps.heartbeats.missed(integrationId, lastBeatAt, now);
      return { kind: 'done' };
    },
  };
}
