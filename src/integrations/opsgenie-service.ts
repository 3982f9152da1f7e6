/**
 * Use cases behind the Opsgenie Alert API routes that are not plain events: reading an alert, notes,
 * snooze, and request statuses. The integration key is the authority: every lookup is confined to
 * alerts that integration created.
 */
import type { Clock } from '../core/clock.js';
import type { Executor } from '../db/types.js';
import type { AlertsTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import { insertTimeline } from '../incidents/store.js';
import { snoozeIncident } from '../incidents/service.js';
import type { Integration } from './integration-model.js';
import { presentOpsgenieAlert, presentRequestStatus, type IdentifierLookup, type OpsgenieAction } from './opsgenie-model.js';
import * as store from './opsgenie-store.js';

type AlertRow = Selectable<AlertsTable>;

/** Why an action on an alert could not be done (answered in Opsgenie's error shape). */
export class OpsgenieActionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'OpsgenieActionError';
  }
}

/**
 * An incident action Tocsin may or may not have (escalate, assign arrive with the incident-response
 * work); wire.ts passes what exists and the routes answer 422 for the rest.
 */
export type IncidentAction = (trx: Executor, incidentId: string, body: Readonly<Record<string, unknown>>, now: number) => Promise<void>;

export interface OpsgenieDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly onCommitted?: (() => void) | undefined;
  readonly escalate?: IncidentAction | undefined;
  readonly assign?: IncidentAction | undefined;
}

export function createOpsgenieService(deps: OpsgenieDeps) {
  const { db, clock } = deps;

  async function find(integration: Integration, lookup: IdentifierLookup, executor: Executor = db): Promise<AlertRow | undefined> {
    switch (lookup.type) {
      case 'id':
        return store.alertById(executor, integration.id, lookup.value);
      case 'alias':
        return store.alertByAlias(executor, integration, lookup.value);
      case 'tiny':
        return store.alertByIncidentNumber(executor, integration.id, Number(lookup.value));
      case 'id-or-alias':
        return (await store.alertById(executor, integration.id, lookup.value)) ?? store.alertByAlias(executor, integration, lookup.value);
    }
  }

  /** The alert's open incident, or an OpsgenieActionError saying why there is none to act on. */
  async function workableIncident(trx: Executor, alert: AlertRow) {
    const incident = alert.incident_id ? await store.incidentOf(trx, alert.incident_id) : undefined;
    if (!incident) throw new OpsgenieActionError(422, 'the alert has no incident (it is silenced or inhibited)');
    if (incident.status === 'closed') throw new OpsgenieActionError(422, 'the alert is closed');
    return incident;
  }

  return {
    /** The alert an identifier names, if this integration created it. */
    find,

    /** The alert in Opsgenie's shape. */
    async view(integration: Integration, lookup: IdentifierLookup) {
      const alert = await find(integration, lookup);
      if (!alert) return undefined;
      const incident = alert.incident_id ? await store.incidentOf(db, alert.incident_id) : undefined;
      return presentOpsgenieAlert({ alert, incident, integration }, clock.now());
    },

    /** Opsgenie note → a comment on the alert's incident (kept even when the incident is closed, as Opsgenie does). */
    async addNote(alert: AlertRow, note: string, user: string | undefined): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!alert.incident_id || !(await store.incidentOf(trx, alert.incident_id))) throw new OpsgenieActionError(422, 'the alert has no incident (it is silenced or inhibited)');
        await insertTimeline(trx, alert.incident_id, now, 'commented', { markdown: note.slice(0, 20_000), via: 'opsgenie', ...(user && { user: user.slice(0, 100) }) }, null);
      });
    },

    /** Snoozes the alert's incident for `minutes`. */
    async snooze(alert: AlertRow, minutes: number): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const incident = await workableIncident(trx, alert);
        await snoozeIncident(trx, incident, now, now + minutes * 60_000, { actorId: null, via: 'opsgenie' });
      });
      deps.onCommitted?.();
    },

    /** Escalate or assign, when this Tocsin has the action. */
    async perform(action: 'escalate' | 'assign', alert: AlertRow, body: Readonly<Record<string, unknown>>): Promise<void> {
      const run = deps[action];
      if (!run) throw new OpsgenieActionError(422, `${action}: this Tocsin version has no ${action} action for incidents; use the console`);
      const now = clock.now();
      await db.transaction().execute(async (trx) => run(trx, (await workableIncident(trx, alert)).id, body, now));
      deps.onCommitted?.();
    },

    /** Remembers a request's outcome for `GET /v2/alerts/requests/{id}`. */
    async record(input: { requestId: string; integration: Integration; action: OpsgenieAction; success: boolean; status: string; alertId?: string | undefined; alias?: string | undefined }): Promise<void> {
      await store.insertRequest(db, {
        id: input.requestId,
        integration_id: input.integration.id,
        action: input.action,
        success: input.success ? 1 : 0,
        status: input.status.slice(0, 512),
        alert_id: input.alertId ?? null,
        alias: input.alias === undefined ? null : input.alias.slice(0, 512),
        created_at: clock.now(),
      });
    },

    /** A remembered request of this integration, in Opsgenie's shape. */
    async requestStatus(integration: Integration, requestId: string) {
      const row = await store.findRequest(db, integration.id, requestId);
      return row ? presentRequestStatus(row) : undefined;
    },
  };
}

export type OpsgenieService = ReturnType<typeof createOpsgenieService>;
