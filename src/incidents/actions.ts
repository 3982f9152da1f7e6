import type { Clock } from '../core/clock.js';
import { AppError, forbidden, invalid, notFound, throwIfInvalid, type FieldError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import { SEVERITY_RANK, type Severity } from '../core/event.js';
import { canWrite, type Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import type { ChannelsService } from '../channels/service.js';
import { closeIncident, newIncidentRow, type IncidentHooks } from './lifecycle.js';
import { normalizeFieldValue, parseFieldFilter, readFieldValue, type FieldDefinition, type FieldValue } from './fields-model.js';
import { fieldDefinitions } from './fields-service.js';
import * as store from './store.js';
import * as actionsStore from './actions-store.js';
import type { IncidentRow } from './store.js';

/** Who an assignment or "add responders" names: people, and schedules (whoever is on call when paged). */
export interface PageTargets {
  readonly people: readonly string[];
  readonly schedules: readonly string[];
}

/**
 * What the incident actions need from escalation and notification, provided by the escalation
 * domain and connected in app/wire.ts (incidents never import them: they import incidents).
 */
export interface EscalationControl {
  /** Restarts escalation at `levelIndex` (0-based) of the rule frozen on the incident, paging that level now. */
  escalateTo(trx: Executor, incident: IncidentRow, levelIndex: number, now: number): Promise<void>;
  /** Pages people and schedules by their own preferences (outbox rows written by a durable job). */
  page(trx: Executor, incident: IncidentRow, targets: PageTargets, reason: string, now: number): Promise<void>;
}

/** Extra fields an incident is presented with. */
export interface IncidentExtras {
  readonly assignees: { type: 'person' | 'schedule'; id: string; name: string }[];
  readonly responders: { type: 'person' | 'schedule'; id: string; name: string }[];
  readonly custom_fields: Record<string, FieldValue>;
}

/** Who did an action: a signed-in person, or an integration acting for a sender (`via`, e.g. opsgenie). */
interface ActedBy {
  readonly personId: string | null;
  readonly via?: { readonly via: string; readonly user?: string | undefined } | undefined;
}
const byPerson = (ctx: RequestContext): ActedBy => ({ personId: ctx.actor.person.id });

export const EDITABLE_SEVERITIES: readonly Severity[] = ['Critical', 'Warning', 'Info'];
export const MERGE_SOURCES_MAX = 20;
export const BATCH_MAX = 100;
const INCIDENT_ALERTS_MAX = 5000;

export interface IncidentEdit {
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly impact?: string | undefined;
  readonly severity?: string | undefined;
  readonly custom_fields?: Record<string, unknown> | undefined;
}

export interface ManualIncident {
  readonly channel_id: string;
  readonly title: string;
  readonly description?: string | undefined;
  readonly impact?: string | undefined;
  readonly severity: string;
  readonly assignee_ids?: readonly string[] | undefined;
}

function higher(a: string, b: string): string {
  return (SEVERITY_RANK[a as Severity] ?? 0) >= (SEVERITY_RANK[b as Severity] ?? 0) ? a : b;
}

/** Validates the text and severity fields of an edit or a manual incident. */
function checkIncidentFields(input: { title?: string | undefined; description?: string | undefined; impact?: string | undefined; severity?: string | undefined }, errors: FieldError[]): void {
  if (input.title !== undefined && (input.title.trim().length < 1 || input.title.length > 512)) errors.push({ field: 'title', message: 'must be 1–512 characters' });
  if (input.description !== undefined && input.description.length > 20_000) errors.push({ field: 'description', message: 'must be at most 20000 characters' });
  if (input.impact !== undefined && input.impact.length > 20_000) errors.push({ field: 'impact', message: 'must be at most 20000 characters' });
  if (input.severity !== undefined && !(EDITABLE_SEVERITIES as readonly string[]).includes(input.severity)) errors.push({ field: 'severity', message: 'must be Critical, Warning or Info' });
}

/**
 * The incident actions beyond acknowledge/resolve (SPEC §7): reassign and add responders, escalate
 * to a level, merge, edit (with custom fields), manual creation, batch acknowledge/resolve. Each
 * checks channel visibility (404 for a private channel's incident) and the actor's role (viewers
 * cannot act), writes the timeline with who did it, and tells `hooks.onUpdated` what changed.
 */
export function createIncidentActions(deps: {
  db: Executor;
  clock: Clock;
  channels: ChannelsService;
  hooks: IncidentHooks;
  escalation: EscalationControl;
  /** The single-incident acknowledge and resolve, run once per incident of a batch. */
  single: { acknowledge(ctx: RequestContext, id: string): Promise<IncidentRow>; resolve(ctx: RequestContext, id: string, detail: object): Promise<IncidentRow> };
  onCommitted?: () => void;
}) {
  const { db, clock, channels, hooks } = deps;

  async function transact<T>(fn: (trx: Executor) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(fn);
    deps.onCommitted?.();
    return result;
  }

  async function loadVisible(actor: Actor, id: string, trx: Executor): Promise<IncidentRow> {
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

  async function reload(trx: Executor, incident: IncidentRow): Promise<IncidentRow> {
    return (await store.findIncident(trx, incident.id)) ?? incident;
  }

  /** Checks the named people (active) and schedules exist; returns them with names for the timeline. */
  async function resolveTargets(trx: Executor, targets: PageTargets) {
    const people = await actionsStore.activePeople(trx, targets.people);
    const schedules = await actionsStore.schedulesByIds(trx, targets.schedules);
    const errors: FieldError[] = [];
    const missingPerson = targets.people.find((id) => !people.some((p) => p.id === id));
    if (missingPerson) errors.push({ field: 'person_ids', message: `${missingPerson} is not an active person` });
    const missingSchedule = targets.schedules.find((id) => !schedules.some((s) => s.id === id));
    if (missingSchedule) errors.push({ field: 'schedule_ids', message: `${missingSchedule} is not a schedule` });
    if (targets.people.length + targets.schedules.length === 0) errors.push({ field: 'person_ids', message: 'name at least one person or schedule' });
    if (targets.people.length + targets.schedules.length > 50) errors.push({ field: 'person_ids', message: 'name at most 50 people and schedules' });
    throwIfInvalid(errors);
    return [...people.map((p) => ({ type: 'person' as const, id: p.id, name: p.name })), ...schedules.map((s) => ({ type: 'schedule' as const, id: s.id, name: s.name }))];
  }

  async function assign(trx: Executor, by: ActedBy, incident: IncidentRow, targets: PageTargets, role: 'assignee' | 'responder', now: number) {
    const named = await resolveTargets(trx, targets);
    if (role === 'assignee') await actionsStore.deleteResponders(trx, incident.id, 'assignee');
    await actionsStore.addResponders(
      trx,
      named.map((t) => ({ incident_id: incident.id, target_type: t.type, target_id: t.id, role, added_by: by.personId, added_at: now })),
    );
    await store.insertTimeline(trx, incident.id, now, role === 'assignee' ? 'reassigned' : 'responders_added', { targets: named, ...by.via }, by.personId);
    if (incident.status !== 'closed') await deps.escalation.page(trx, incident, targets, role === 'assignee' ? 'assigned' : 'added as responder', now);
    await hooks.onUpdated?.(trx, incident, 'assigned', now);
  }

  /** The number of levels of the incident's frozen rule, or a 422 when it has none or is closed. */
  function escalatableLevels(incident: IncidentRow): number {
    if (incident.status === 'closed') throw invalid('status', 'a closed incident cannot be escalated; reopen it first');
    if (!incident.rule_snapshot_json) throw invalid('level', 'the incident has no escalation rule; reassign it or add responders instead');
    return (JSON.parse(incident.rule_snapshot_json) as { levels: unknown[] }).levels.length;
  }

  /** Jumps to `level` (1-based, already checked) and pages it now. */
  async function escalateTo(trx: Executor, by: ActedBy, incident: IncidentRow, level: number, now: number) {
    const from = incident.escalation_level === null ? null : incident.escalation_level + 1;
    await store.insertTimeline(trx, incident.id, now, 'escalated_manually', { from_level: from, to_level: level, ...by.via }, by.personId);
    await deps.escalation.escalateTo(trx, incident, level - 1, now);
    await hooks.onUpdated?.(trx, incident, 'escalated', now);
  }

  async function applyCustomFields(trx: Executor, ctx: RequestContext, incident: IncidentRow, input: Record<string, unknown>, now: number): Promise<void> {
    const defs = await fieldDefinitions(trx);
    const current = await actionsStore.fieldValuesOf(trx, [incident.id]);
    const errors: FieldError[] = [];
    const writes: { def: FieldDefinition; stored: string[] }[] = [];
    for (const [name, value] of Object.entries(input)) {
      const def = defs.find((d) => d.name === name);
      if (!def) {
        errors.push({ field: `custom_fields.${name}`, message: 'is not a defined custom field' });
        continue;
      }
      const normalized = normalizeFieldValue(def, value, `custom_fields.${name}`);
      if (!normalized.ok) errors.push(normalized.error);
      else writes.push({ def, stored: normalized.stored });
    }
    throwIfInvalid(errors);
    for (const { def, stored } of writes) {
      const before = current.filter((v) => v.field_id === def.id).map((v) => v.value);
      if (before.length === stored.length && before.every((v) => stored.includes(v))) continue;
      await actionsStore.replaceFieldValues(trx, incident.id, def.id, stored);
      await store.insertTimeline(trx, incident.id, now, 'field_changed', { field: `custom_fields.${def.name}`, label: def.label, from: readFieldValue(def, before), to: readFieldValue(def, stored) }, ctx.actor.person.id);
    }
  }

  return {
    /** Assignees, responders and custom field values of incidents, for presenting them. */
    async extras(rows: readonly IncidentRow[], trx: Executor = db): Promise<Map<string, IncidentExtras>> {
      const ids = rows.map((r) => r.id);
      const [responders, values, defs] = await Promise.all([actionsStore.respondersOf(trx, ids), actionsStore.fieldValuesOf(trx, ids), fieldDefinitions(trx)]);
      const personIds = responders.filter((r) => r.target_type === 'person').map((r) => r.target_id);
      const scheduleIds = responders.filter((r) => r.target_type === 'schedule').map((r) => r.target_id);
      const names = await actionsStore.personNames(trx, personIds);
      for (const s of await actionsStore.schedulesByIds(trx, scheduleIds)) names.set(s.id, s.name);
      const out = new Map<string, IncidentExtras>();
      for (const id of ids) {
        const mine = responders.filter((r) => r.incident_id === id);
        const view = (r: actionsStore.ResponderRow) => ({ type: r.target_type as 'person' | 'schedule', id: r.target_id, name: names.get(r.target_id) ?? '(deleted)' });
        const custom: Record<string, FieldValue> = {};
        for (const def of defs) {
          const stored = values.filter((v) => v.incident_id === id && v.field_id === def.id).map((v) => v.value);
          if (stored.length > 0) custom[def.name] = readFieldValue(def, stored);
        }
        out.set(id, { assignees: mine.filter((r) => r.role === 'assignee').map(view), responders: mine.filter((r) => r.role === 'responder').map(view), custom_fields: custom });
      }
      return out;
    },

    /** The short number of an incident the actor may see (file names of exports). */
    async numberOf(actor: Actor, id: string): Promise<number> {
      return (await loadVisible(actor, id, db)).number;
    },

    /** Parses `custom_field=name=value` list filters against the defined fields. */
    async parseFieldFilters(texts: readonly string[]): Promise<{ fieldId: string; value: string }[]> {
      const defs = await fieldDefinitions(db);
      return texts.map((text) => {
        const parsed = parseFieldFilter(text, defs);
        if (!parsed.ok) throw invalid(parsed.error.field, parsed.error.message);
        return parsed.value;
      });
    },

    /** Reassigns the incident to people and/or schedules (replacing the assignees) and pages them. */
    async reassign(ctx: RequestContext, id: string, targets: PageTargets): Promise<IncidentRow> {
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        await assign(trx, byPerson(ctx), incident, targets, 'assignee', now);
        return reload(trx, incident);
      });
    },

    /** Adds responders (people and/or schedules) and pages them; the assignees stay. */
    async addResponders(ctx: RequestContext, id: string, targets: PageTargets): Promise<IncidentRow> {
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        await assign(trx, byPerson(ctx), incident, targets, 'responder', now);
        return reload(trx, incident);
      });
    },

    /** Jumps to a level (1-based) of the incident's escalation rule and pages it now. */
    async escalate(ctx: RequestContext, id: string, level: number): Promise<IncidentRow> {
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        const levels = escalatableLevels(incident);
        if (!Number.isInteger(level) || level < 1 || level > levels) throw invalid('level', `must be a level of the incident's rule, 1 to ${levels}`);
        await escalateTo(trx, byPerson(ctx), incident, level, now);
        return reload(trx, incident);
      });
    },

    /**
     * An integration's "escalate to next" (Opsgenie's `POST /v2/alerts/{id}/escalate`): the level after
     * the current one of the incident's rule, or the last level again when it is already there. The
     * integration key is the authority (the caller found the incident through it), so no person acts.
     */
    async escalateNextFor(trx: Executor, incidentId: string, now: number, via: { via: string; user?: string | undefined }): Promise<void> {
      const incident = await store.findIncident(trx, incidentId);
      if (!incident) throw notFound('incident');
      const levels = escalatableLevels(incident);
      const next = Math.min((incident.escalation_level ?? -1) + 2, levels);
      await escalateTo(trx, { personId: null, via }, incident, next, now);
    },

    /** An integration's "assign" (Opsgenie's owner): the active person with that id or email becomes the assignee and is paged. */
    async assignFor(trx: Executor, incidentId: string, owner: { id?: string | undefined; email?: string | undefined }, now: number, via: { via: string; user?: string | undefined }): Promise<void> {
      const incident = await store.findIncident(trx, incidentId);
      if (!incident) throw notFound('incident');
      if (incident.status === 'closed') throw invalid('status', 'a closed incident cannot be assigned; reopen it first');
      const person = owner.id ? (await actionsStore.activePeople(trx, [owner.id]))[0] : owner.email ? await actionsStore.activePersonByEmail(trx, owner.email.trim().toLowerCase()) : undefined;
      if (!person) throw invalid('owner', owner.id || owner.email ? `no active person is ${owner.id ?? owner.email}` : 'name the owner by id or username (email)');
      await assign(trx, { personId: null, via }, incident, { people: [person.id], schedules: [] }, 'assignee', now);
    },

    /** Moves every alert of the source incidents into this one; the emptied sources close. Same channel only. */
    async merge(ctx: RequestContext, targetId: string, sourceIds: readonly string[]): Promise<IncidentRow> {
      const unique = [...new Set(sourceIds)];
      if (unique.length < 1 || unique.length > MERGE_SOURCES_MAX) throw invalid('source_ids', `must list 1–${MERGE_SOURCES_MAX} incidents`);
      if (unique.includes(targetId)) throw invalid('source_ids', 'must not include the target incident');
      const now = clock.now();
      return transact(async (trx) => {
        const target = await loadWorkable(ctx.actor, targetId, trx);
        if (target.status === 'closed') throw invalid('status', 'merge into an open incident (reopen this one first)');
        const sources: IncidentRow[] = [];
        for (const sourceId of unique) {
          const source = await loadWorkable(ctx.actor, sourceId, trx).catch((error: unknown) => {
            if (error instanceof AppError && error.code === 'ResourceNotFound') throw invalid('source_ids', `incident ${sourceId} not found`);
            throw error;
          });
          if (source.channel_id !== target.channel_id) throw invalid('source_ids', `#${source.number} belongs to another channel; merge incidents of the same channel`);
          if (source.merged_into !== null) throw invalid('source_ids', `#${source.number} was already merged`);
          sources.push(source);
        }
        let total = (await actionsStore.alertCounts(trx, target.id)).total;
        let severity = target.severity;
        const severityEdited = target.edited_fields.includes('"severity"');
        for (const source of sources) {
          const counts = await actionsStore.alertCounts(trx, source.id);
          if (total + counts.total > INCIDENT_ALERTS_MAX) throw invalid('source_ids', `an incident holds at most ${INCIDENT_ALERTS_MAX} alerts`);
          total += counts.total;
          await actionsStore.moveAlerts(trx, source.id, target.id);
          if (!severityEdited) severity = [severity, ...counts.severities].reduce(higher);
          await store.updateIncident(trx, source.id, { alert_count: 0, active_alert_count: 0, merged_into: target.id, updated_at: now });
          await store.insertTimeline(trx, source.id, now, 'merged_into', { target_id: target.id, target_number: target.number, alert_count: counts.total }, ctx.actor.person.id);
          await store.insertTimeline(trx, target.id, now, 'merged', { source_id: source.id, source_number: source.number, alert_count: counts.total }, ctx.actor.person.id);
          await closeIncident(trx, { ...source, alert_count: 0, active_alert_count: 0 }, now, { reason: `merged into #${target.number}`, actorId: ctx.actor.person.id }, hooks);
        }
        const counts = await actionsStore.alertCounts(trx, target.id);
        await store.updateIncident(trx, target.id, { alert_count: counts.total, active_alert_count: counts.active, severity, last_merge_at: now, updated_at: now });
        if (severity !== target.severity) await store.insertTimeline(trx, target.id, now, 'severity_changed', { from: target.severity, to: severity });
        await recordAudit(trx, ctx, now, { action: 'incident.merge', targetType: 'incident', targetId: target.id, after: { sources: sources.map((s) => s.id) } });
        const merged = await reload(trx, target);
        await hooks.onUpdated?.(trx, merged, 'merged', now);
        return merged;
      });
    },

    /** Edits title, description, impact, severity and custom fields; each change goes on the timeline (old → new) and sticks. */
    async edit(ctx: RequestContext, id: string, input: IncidentEdit): Promise<IncidentRow> {
      const errors: FieldError[] = [];
      checkIncidentFields(input, errors);
      throwIfInvalid(errors);
      const now = clock.now();
      return transact(async (trx) => {
        const incident = await loadWorkable(ctx.actor, id, trx);
        const edited = new Set(JSON.parse(incident.edited_fields) as string[]);
        const changes: Partial<IncidentRow> = {};
        for (const field of ['title', 'description', 'impact', 'severity'] as const) {
          const value = field === 'title' ? input.title?.trim() : input[field];
          if (value === undefined || value === incident[field]) continue;
          changes[field] = value;
          if (field !== 'impact') edited.add(field);
          await store.insertTimeline(trx, id, now, 'field_changed', { field, label: field, from: incident[field], to: value }, ctx.actor.person.id);
        }
        if (Object.keys(changes).length > 0) {
          await store.updateIncident(trx, id, { ...changes, edited_fields: JSON.stringify([...edited]), updated_at: now });
          await recordAudit(trx, ctx, now, { action: 'incident.edit', targetType: 'incident', targetId: id, before: Object.fromEntries(Object.keys(changes).map((k) => [k, incident[k as keyof IncidentRow]])), after: changes });
        }
        if (input.custom_fields) await applyCustomFields(trx, ctx, incident, input.custom_fields, now);
        const updated = await reload(trx, incident);
        await hooks.onUpdated?.(trx, updated, 'updated', now);
        return updated;
      });
    },

    /** Acknowledges or resolves many incidents (list selection); each succeeds or fails on its own. */
    async batch(ctx: RequestContext, action: 'ack' | 'resolve', ids: readonly string[]) {
      const unique = [...new Set(ids)];
      if (unique.length < 1 || unique.length > BATCH_MAX) throw invalid('incident_ids', `must list 1–${BATCH_MAX} incidents`);
      if (!canWrite(ctx.actor)) throw forbidden('viewers cannot act on incidents');
      const results: { id: string; ok: boolean; status: string | null; error: { code: string; message: string } | null }[] = [];
      for (const id of unique) {
        try {
          const row = action === 'ack' ? await deps.single.acknowledge(ctx, id) : await deps.single.resolve(ctx, id, {});
          results.push({ id, ok: true, status: row.status, error: null });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({ id, ok: false, status: null, error: { code: error.code, message: error.message } });
        }
      }
      return results;
    },

    /** Opens an incident by hand (no alerts); the channel's escalation rules apply, named assignees are paged. */
    async create(ctx: RequestContext, input: ManualIncident): Promise<IncidentRow> {
      const errors: FieldError[] = [];
      checkIncidentFields(input, errors);
      throwIfInvalid(errors);
      if (!canWrite(ctx.actor)) throw forbidden('viewers cannot create incidents');
      const now = clock.now();
      return transact(async (trx) => {
        const channel = await channels.get(ctx.actor, input.channel_id, trx).catch(() => {
          throw invalid('channel_id', 'no such channel');
        });
        const row = newIncidentRow(
          {
            id: newId(now),
            number: await store.nextIncidentNumber(trx),
            channel_id: channel.id,
            title: input.title.trim(),
            description: input.description ?? '',
            severity: input.severity,
            labels_json: '{}',
            group_key: null,
            alert_count: 0,
            active_alert_count: 0,
            // Nothing derived from alerts may overwrite what a person typed.
            edited_fields: JSON.stringify(['title', 'description', 'severity']),
            impact: input.impact ?? '',
          },
          now,
        );
        await store.insertIncident(trx, row);
        await store.insertTimeline(trx, row.id, now, 'created', { manual: true, title: row.title, severity: row.severity }, ctx.actor.person.id);
        await hooks.onCreated?.(trx, row, now);
        if (input.assignee_ids && input.assignee_ids.length > 0) await assign(trx, byPerson(ctx), row, { people: input.assignee_ids, schedules: [] }, 'assignee', now);
        await recordAudit(trx, ctx, now, { action: 'incident.create', targetType: 'incident', targetId: row.id, after: { title: row.title, severity: row.severity, channel_id: row.channel_id } });
        return reload(trx, row);
      });
    },
  };
}

export type IncidentActions = ReturnType<typeof createIncidentActions>;
