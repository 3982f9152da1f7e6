import type { Clock } from '../core/clock.js';
import { forbidden, invalid, notFound } from '../core/errors.js';
import type { Executor } from '../db/types.js';
import { canWrite, type Actor } from '../people/model.js';
import type { RequestContext } from '../people/audit.js';
import type { ChannelsService } from '../channels/service.js';
import * as alerts from './alert-store.js';
import { acknowledgeIncident, closeIncident, restartEscalation, unacknowledgeIncident, type IncidentHooks } from './lifecycle.js';
import { cancelJob, enqueueJob } from '../db/jobs.js';
import * as store from './store.js';
import type { IncidentFilter, IncidentRow } from './store.js';

export const INCIDENT_STATUSES = ['triggered', 'processing', 'closed'] as const;

export const SNOOZE_MIN_MINUTES = 1;
export const SNOOZE_MAX_MINUTES = 24 * 60;
/** The engine module that ends a snooze (engine/modules/snooze.ts). */
export const WAKE_JOB = 'incident-wake';

/** Resolves an incident: closes it and all its alerts (from the console, a link or a notification reply). */
export async function resolveIncident(
  trx: Executor,
  incident: IncidentRow,
  now: number,
  by: { actorId: string | null; via: string; rootCause?: string | undefined; resolution?: string | undefined },
  hooks: IncidentHooks = {},
): Promise<void> {
  await closeWithAlerts(trx, incident, now, { reason: `resolved via ${by.via}`, actorId: by.actorId, rootCause: by.rootCause ?? null, resolution: by.resolution ?? null }, hooks);
}

/**
 * Closes an incident together with its open alerts (resolve, idle auto-close). An alert left open
 * under a closed incident would swallow its later events as repeats, so a still-firing problem would
 * never page again.
 */
export async function closeWithAlerts(trx: Executor, incident: IncidentRow, now: number, detail: Parameters<typeof closeIncident>[3], hooks: IncidentHooks = {}): Promise<void> {
  if (incident.status === 'closed') return;
  await alerts.recoverOpenAlertsOfIncident(trx, incident.id, now);
  await store.updateIncident(trx, incident.id, { active_alert_count: 0 });
  await closeIncident(trx, incident, now, detail, hooks);
}

/** What a signed action link may do (SPEC §8.2): acknowledge or resolve its incident, as the person it was sent to. */
export async function performLinkAction(trx: Executor, input: { incidentId: string; action: 'ack' | 'resolve'; personId: string | null }, now: number, hooks: IncidentHooks = {}): Promise<void> {
  const incident = await store.findIncident(trx, input.incidentId);
  if (!incident) return;
  if (input.action === 'ack') await acknowledgeIncident(trx, incident, now, { actorId: input.personId, via: 'link' }, hooks);
  else await resolveIncident(trx, incident, now, { actorId: input.personId, via: 'link' }, hooks);
}

/** Queues the end of a snooze (the snooze action, and an incident opened by a muted flapping alert). */
export async function scheduleWake(trx: Executor, incidentId: string, until: number, now: number): Promise<void> {
  await enqueueJob(trx, { kind: WAKE_JOB, key: `wake:${incidentId}:${until}`, runAt: until, payload: { incidentId, until } }, now);
}

/** Ends a snooze: back to Triggered and escalation from level 1 (SPEC §4). */
export async function wakeIncident(trx: Executor, incident: IncidentRow, now: number, actorId: string | null, hooks: IncidentHooks = {}): Promise<void> {
  if (incident.snoozed_until === null || incident.status === 'closed') return;
  await store.updateIncident(trx, incident.id, { snoozed_until: null, status: 'triggered', acknowledged_at: null, acknowledgers_json: '[]', updated_at: now });
  await store.insertTimeline(trx, incident.id, now, 'woken', { by: actorId ? 'person' : 'snooze expired' }, actorId);
  await cancelJob(trx, `wake:${incident.id}:${incident.snoozed_until}`, now);
  await restartEscalation(trx, { ...incident, snoozed_until: null, status: 'triggered' }, now, hooks);
}

/** How an action arrived, for the timeline: the console (a session) or a script (an API key). */
function viaOf(actor: Actor): 'console' | 'api' {
  return actor.via === 'api_key' ? 'api' : 'console';
}

/** Pauses notifications until `until` (replacing an earlier snooze); the wake-up job ends it. */
export async function snoozeIncident(trx: Executor, incident: IncidentRow, now: number, until: number, by: { actorId: string | null; via?: string }): Promise<void> {
  if (incident.snoozed_until !== null) await cancelJob(trx, `wake:${incident.id}:${incident.snoozed_until}`, now);
  await store.updateIncident(trx, incident.id, { snoozed_until: until, updated_at: now });
  const minutes = Math.round((until - now) / 60_000);
  await store.insertTimeline(trx, incident.id, now, 'snoozed', { until, minutes, ...(by.via && { via: by.via }) }, by.actorId);
  await scheduleWake(trx, incident.id, until, now);
}

/** Incidents and alerts as people read and work them; channel visibility applies to every call. */
export function createIncidentsService(deps: { db: Executor; clock: Clock; channels: ChannelsService; hooks?: IncidentHooks; onCommitted?: () => void }) {
  const { db, clock, channels } = deps;

  /** A transaction after which the engine looks for jobs it may have queued (escalation, wake-ups). */
  async function transact<T>(fn: (trx: Executor) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(fn);
    deps.onCommitted?.();
    return result;
  }

  async function loadVisible(actor: Actor, id: string, trx: Executor = db): Promise<IncidentRow> {
    const incident = await store.findIncident(trx, id);
    if (!incident) throw notFound('incident');
    await channels.get(actor, incident.channel_id, trx).catch(() => {
      throw notFound('incident');
    });
    return incident;
  }

  async function loadWorkable(actor: Actor, id: string, trx: Executor): Promise<IncidentRow> {
    const incident = await loadVisible(actor, id, trx);
    if (!canWrite(actor)) throw forbidden('viewers cannot act on incidents');
    return incident;
  }

  return {
    async list(actor: Actor, filter: IncidentFilter & { channelId?: string | undefined }, limit: number, afterId: string | undefined) {
      if (filter.status && !(INCIDENT_STATUSES as readonly string[]).includes(filter.status)) throw invalid('status', `must be one of ${INCIDENT_STATUSES.join(', ')}`);
      let channelIds: string[];
      if (filter.channelId) channelIds = [(await channels.get(actor, filter.channelId)).id];
      else channelIds = await channels.visibleIds(actor);
      return store.listIncidents(db, { ...filter, channelIds }, limit, afterId);
    },

    get: loadVisible,

    async listAlerts(actor: Actor, filter: Omit<alerts.AlertFilter, 'channelIds'> & { channelId?: string | undefined }, limit: number, afterId: string | undefined) {
      const channelIds = filter.channelId ? [(await channels.get(actor, filter.channelId)).id] : await channels.visibleIds(actor);
      return alerts.listAlerts(db, { ...filter, channelIds }, limit, afterId);
    },

    async getAlert(actor: Actor, id: string) {
      const alert = await alerts.findAlert(db, id);
      if (!alert) throw notFound('alert');
      await channels.get(actor, alert.channel_id).catch(() => {
        throw notFound('alert');
      });
      return { alert, events: await alerts.eventsOfAlert(db, id) };
    },

    /** `Triggered` → `Processing`. */
    async acknowledge(ctx: RequestContext, id: string): Promise<IncidentRow> {
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        if (incident.status === 'closed') throw invalid('status', 'a closed incident cannot be acknowledged; reopen it first');
        await acknowledgeIncident(trx, incident, now, { actorId: ctx.actor.person.id, via: viaOf(ctx.actor) }, deps.hooks);
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },

    /** Withdraws my acknowledgement. */
    async unacknowledge(ctx: RequestContext, id: string): Promise<IncidentRow> {
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        if (incident.status !== 'processing') throw invalid('status', 'only an acknowledged (processing) incident can be unacknowledged');
        await unacknowledgeIncident(trx, incident, now, ctx.actor.person.id, deps.hooks);
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },

    /** Pauses all notifications for 1 min – 24 h; then the incident is Triggered again and escalation restarts. */
    async snooze(ctx: RequestContext, id: string, minutes: number): Promise<IncidentRow> {
      if (!Number.isInteger(minutes) || minutes < SNOOZE_MIN_MINUTES || minutes > SNOOZE_MAX_MINUTES) {
        throw invalid('minutes', `must be an integer from ${SNOOZE_MIN_MINUTES} to ${SNOOZE_MAX_MINUTES}`);
      }
      const now = clock.now();
      const until = now + minutes * 60_000;
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        if (incident.status === 'closed') throw invalid('status', 'a closed incident cannot be snoozed');
        await snoozeIncident(trx, incident, now, until, { actorId: ctx.actor.person.id });
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },

    async wake(ctx: RequestContext, id: string): Promise<IncidentRow> {
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        if (incident.snoozed_until === null) throw invalid('status', 'the incident is not snoozed');
        await wakeIncident(trx, incident, now, ctx.actor.person.id, deps.hooks);
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },

    /** Reopens a closed incident (reason required): Triggered, escalation from level 1. */
    async reopen(ctx: RequestContext, id: string, reason: string): Promise<IncidentRow> {
      const trimmed = reason.trim();
      if (!trimmed) throw invalid('reason', 'is required');
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        if (incident.status !== 'closed') throw invalid('status', 'only a closed incident can be reopened');
        await store.updateIncident(trx, id, { status: 'triggered', closed_at: null, acknowledged_at: null, acknowledgers_json: '[]', snoozed_until: null, updated_at: now });
        await store.insertTimeline(trx, id, now, 'reopened', { reason: trimmed.slice(0, 2000) }, ctx.actor.person.id);
        await restartEscalation(trx, { ...incident, status: 'triggered', closed_at: null }, now, deps.hooks);
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },

    /** Adds a markdown comment to the timeline. */
    async comment(ctx: RequestContext, id: string, markdown: string): Promise<void> {
      const text = markdown.trim();
      if (!text) throw invalid('body', 'must not be empty');
      const now = clock.now();
      await transact(async (trx) => {
        await loadWorkable(ctx.actor, id, trx);
        await store.insertTimeline(trx, id, now, 'commented', { markdown: text.slice(0, 20_000) }, ctx.actor.person.id);
      });
    },

    /** Closes the incident and all its alerts, with optional root cause and resolution. */
    async resolve(ctx: RequestContext, id: string, detail: { rootCause?: string | undefined; resolution?: string | undefined }): Promise<IncidentRow> {
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        await resolveIncident(trx, incident, now, { actorId: ctx.actor.person.id, via: viaOf(ctx.actor), rootCause: detail.rootCause, resolution: detail.resolution }, deps.hooks);
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },
  };
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
