/**
 * Use cases behind the Opsgenie Alert API routes that are not plain events: reading an alert, notes,
 * snooze, and request statuses. The integration key is the authority: every lookup is confined to
 * alerts that integration created.
 */
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
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

/** Who asked, as Opsgenie's bodies say it (`user`, free text): shown on the timeline next to "via opsgenie". */
export interface OpsgenieVia {
  readonly via: 'opsgenie';
  readonly user?: string | undefined;
}

/**
 * The incident actions `escalate` and `assign` run, provided by the incidents domain and connected in
 * app/wire.ts (integrations never import incident actions: the dependency points the other way).
 */
export interface OpsgenieIncidentActions {
  /** The incident's next escalation level, paged now. */
  escalateNextFor(trx: Executor, incidentId: string, now: number, via: OpsgenieVia): Promise<void>;
  /** The person with this id or email becomes the assignee and is paged. */
  assignFor(trx: Executor, incidentId: string, owner: { id?: string | undefined; email?: string | undefined }, now: number, via: OpsgenieVia): Promise<void>;
}

export interface OpsgenieDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly onCommitted?: (() => void) | undefined;
  readonly incidentActions: OpsgenieIncidentActions;
}

const TEXT_MAX = 100;

/** A short optional string member of an Opsgenie body (`user`, `owner.username`…), or a 422 naming it. */
function shortText(record: Readonly<Record<string, unknown>>, key: string, field: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OpsgenieActionError(422, `${field}: must be a string`);
  if (value.length > 512) throw new OpsgenieActionError(422, `${field}: must be at most 512 characters`);
  return value;
}

function objectMember(body: Readonly<Record<string, unknown>>, key: string): Readonly<Record<string, unknown>> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new OpsgenieActionError(422, `${key}: must be an object`);
  return value as Record<string, unknown>;
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

  function viaOf(body: Readonly<Record<string, unknown>>): OpsgenieVia {
    const user = shortText(body, 'user', 'user');
    return { via: 'opsgenie', ...(user && { user: user.slice(0, TEXT_MAX) }) };
  }

  /** Runs an incident action on the alert's open incident; the domain's 4xx becomes Opsgenie's 422. */
  async function act(alert: AlertRow, run: (trx: Executor, incidentId: string, now: number) => Promise<void>): Promise<void> {
    const now = clock.now();
    try {
      await db.transaction().execute(async (trx) => run(trx, (await workableIncident(trx, alert)).id, now));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) throw new OpsgenieActionError(422, error.message);
      throw error;
    }
    deps.onCommitted?.();
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

    /**
     * `escalate`: Opsgenie names an escalation policy; an incident in Tocsin has exactly one rule, frozen
     * when it opened, so the request moves it to that rule's next level (the name is kept on the timeline).
     */
    async escalate(alert: AlertRow, body: Readonly<Record<string, unknown>>): Promise<void> {
      const escalation = objectMember(body, 'escalation');
      if (escalation) {
        shortText(escalation, 'id', 'escalation.id');
        shortText(escalation, 'name', 'escalation.name');
      }
      const via = viaOf(body);
      await act(alert, (trx, incidentId, now) => deps.incidentActions.escalateNextFor(trx, incidentId, now, via));
    },

    /** `assign`: `owner.id` (a Tocsin person id) or `owner.username` (their email) becomes the assignee. */
    async assign(alert: AlertRow, body: Readonly<Record<string, unknown>>): Promise<void> {
      const owner = objectMember(body, 'owner');
      if (!owner) throw new OpsgenieActionError(422, 'owner: is required (an object with id or username)');
      const id = shortText(owner, 'id', 'owner.id');
      const email = shortText(owner, 'username', 'owner.username');
      if (!id && !email) throw new OpsgenieActionError(422, 'owner: name the person by id or username (email)');
      const via = viaOf(body);
      await act(alert, (trx, incidentId, now) => deps.incidentActions.assignFor(trx, incidentId, { id, email }, now, via));
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
