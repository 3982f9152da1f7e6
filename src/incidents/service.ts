import type { Clock } from '../core/clock.js';
import { forbidden, invalid, notFound } from '../core/errors.js';
import type { Executor } from '../db/types.js';
import { canWrite, type Actor } from '../people/model.js';
import type { RequestContext } from '../people/audit.js';
import type { ChannelsService } from '../channels/service.js';
import * as alerts from '../alerts/store.js';
import { acknowledgeIncident, closeIncident, type IncidentHooks } from './lifecycle.js';
import * as store from './store.js';
import type { IncidentFilter, IncidentRow } from './store.js';

export const INCIDENT_STATUSES = ['triggered', 'processing', 'closed'] as const;

/** Incidents and alerts as people read and work them; channel visibility applies to every call. */
export function createIncidentsService(deps: { db: Executor; clock: Clock; channels: ChannelsService; hooks?: IncidentHooks }) {
  const { db, clock, channels } = deps;

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

    async timeline(actor: Actor, id: string) {
      await loadVisible(actor, id);
      return store.listTimeline(db, id);
    },

    async alertsOf(actor: Actor, id: string) {
      await loadVisible(actor, id);
      return alerts.alertsOfIncident(db, id);
    },

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
      return db.transaction().execute(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        if (incident.status === 'closed') throw invalid('status', 'a closed incident cannot be acknowledged; reopen it first');
        await acknowledgeIncident(trx, incident, now, { actorId: ctx.actor.person.id, via: 'console' }, deps.hooks);
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },

    /** Closes the incident and all its alerts, with optional root cause and resolution. */
    async resolve(ctx: RequestContext, id: string, detail: { rootCause?: string | undefined; resolution?: string | undefined }): Promise<IncidentRow> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        if (incident.status === 'closed') return incident;
        for (const alert of await alerts.openAlertsOfIncident(trx, id)) await alerts.updateAlert(trx, alert.id, { status: 'Ok', recovered_at: now });
        await store.updateIncident(trx, id, { active_alert_count: 0 });
        await closeIncident(trx, incident, now, { reason: 'resolved', actorId: ctx.actor.person.id, rootCause: detail.rootCause ?? null, resolution: detail.resolution ?? null }, deps.hooks);
        return (await store.findIncident(trx, id)) ?? incident;
      });
    },
  };
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
