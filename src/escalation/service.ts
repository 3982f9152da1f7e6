import type { Clock } from '../core/clock.js';
import { invalid, notFound, throwIfInvalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { checkLength, collect } from '../core/validate.js';
import type { Executor } from '../db/types.js';
import { enqueueJobDeferred } from '../db/jobs.js';
import type { Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import type { ChannelsService } from '../channels/service.js';
import type { IncidentHooks } from '../incidents/lifecycle.js';
import * as incidents from '../incidents/store.js';
import type { IncidentRow } from '../incidents/store.js';
import { applyDynamicAssignment, chooseRule, compileRule, defaultRuleSpec, normalizeRuleSpec, summarize, type CompiledRule, type EscalationRuleSpec } from './model.js';
import { firstStep, type Step } from './planner.js';
import * as store from './store.js';
import type { EscalationRuleRow } from './store.js';

/** The engine module that runs escalation steps (engine/modules/escalate.ts). */
export const ESCALATE_JOB = 'escalate';

/** The job key of one escalation step: never scheduled twice (DESIGN §4). */
export function escalationJobKey(incidentId: string, epoch: number, step: Step): string {
  return `escalate:${incidentId}:${epoch}:${step.level}:${step.round}:${step.repeat}`;
}

/** Queues an escalation step in the caller's transaction. */
export async function queueStep(trx: Executor, incidentId: string, epoch: number, step: Step, at: number, now: number): Promise<void> {
  await enqueueJobDeferred(trx, { kind: ESCALATE_JOB, key: escalationJobKey(incidentId, epoch, step), runAt: at, payload: { incidentId, epoch, step } }, now);
}

export interface RuleView {
  readonly id: string;
  readonly channel_id: string;
  readonly name: string;
  readonly position: number;
  readonly enabled: boolean;
  readonly spec: EscalationRuleSpec;
  readonly summary: string;
  readonly created_at: number;
  readonly updated_at: number;
}

/** Resolves ids to display names for rule summaries. */
export type NameResolver = (trx: Executor, spec: EscalationRuleSpec, reader: Actor) => Promise<(id: string) => string | undefined>;

/** Ids of the schedules (among `ids`) the actor may see. */
export type ScheduleVisibility = (trx: Executor, actor: Actor, ids: readonly string[]) => Promise<Set<string>>;

/**
 * Runs an escalation step at once in the caller's transaction (notify/escalation-step.ts); returns
 * when to run it again if it must wait.
 */
export type StepRunner = (
  trx: Executor,
  incident: IncidentRow,
  step: Step,
  now: number,
  /** Fields to write on the incident with the step's own change (the rule chosen for it). */
  assignment: Partial<Pick<IncidentRow, 'rule_id' | 'rule_snapshot_json'>>,
) => Promise<{ kind: 'done' } | { kind: 'later'; runAt: number }>;

/** Escalation rules per channel, and the hooks that start escalation when incidents trigger. */
export function createEscalationService(deps: { db: Executor; clock: Clock; channels: ChannelsService; names: NameResolver; visibleSchedules: ScheduleVisibility; runStepNow?: StepRunner | undefined }) {
  const { db, clock, channels } = deps;

  async function present(trx: Executor, row: EscalationRuleRow, reader: Actor): Promise<RuleView> {
    const spec = JSON.parse(row.spec_json) as EscalationRuleSpec;
    const lookup = await deps.names(trx, spec, reader);
    return {
      id: row.id,
      channel_id: row.channel_id,
      name: row.name,
      position: row.position,
      enabled: Number(row.enabled) === 1,
      spec,
      summary: summarize(spec, lookup),
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }

  function checkName(name: string | undefined): string | undefined {
    const trimmed = name?.trim();
    throwIfInvalid(collect(trimmed === undefined ? undefined : checkLength('name', trimmed, 1, 100)));
    return trimmed;
  }

  function checkSpec(input: unknown): EscalationRuleSpec {
    const normalized = normalizeRuleSpec(input);
    if (!normalized.ok) throwIfInvalid(normalized.errors.map((e) => ({ ...e, field: `spec.${e.field}` })));
    return (normalized as { ok: true; value: EscalationRuleSpec }).value;
  }

  /**
   * Schedule targets must be schedules the rule's editor may see (issue 10 item 3): otherwise a
   * responder could page through, and read the name of, another team's private schedule.
   */
  async function checkTargets(trx: Executor, actor: Actor, spec: EscalationRuleSpec): Promise<void> {
    const ids = spec.levels.flatMap((l) => (l.targets.schedules ?? []).map((s) => s.id));
    const visible = await deps.visibleSchedules(trx, actor, [...new Set(ids)]);
    const errors: { field: string; message: string }[] = [];
    spec.levels.forEach((level, i) =>
      (level.targets.schedules ?? []).forEach((s, j) => {
        if (!visible.has(s.id)) errors.push({ field: `spec.levels[${i}].targets.schedules[${j}].id`, message: 'no schedule with this id' });
      }),
    );
    throwIfInvalid(errors);
  }

  // Compiled rules per channel: an incident storm must not re-read and re-compile them per incident.
  // Edits on this node drop the entry; other nodes' edits apply within RULES_TTL_MS.
  const RULES_TTL_MS = 10_000;
  // Each rule keeps its parsed spec and the snapshot JSON written on every incident it takes (a rule
  // without dynamic assignment snapshots as is): parsing and serialising them per incident showed in
  // the profile of an incident storm.
  type CachedRule = CompiledRule & { readonly row: EscalationRuleRow; readonly spec: EscalationRuleSpec; readonly specJson: string };
  const compiledRules = new Map<string, { at: number; enabledCount: number; rules: CachedRule[] }>();

  async function rulesOf(trx: Executor, channelId: string, now: number) {
    const cached = compiledRules.get(channelId);
    if (cached && now >= cached.at && now - cached.at < RULES_TTL_MS) return cached;
    const rows = (await store.listRules(trx, channelId)).filter((r) => Number(r.enabled) === 1);
    const rules: CachedRule[] = [];
    for (const row of rows) {
      const rule = compileRule(row.id, JSON.parse(row.spec_json));
      const spec = JSON.parse(row.spec_json) as EscalationRuleSpec;
      if (rule.ok) rules.push({ ...rule.value, row, spec, specJson: JSON.stringify(spec) });
    }
    const entry = { at: now, enabledCount: rows.length, rules };
    compiledRules.set(channelId, entry);
    return entry;
  }

  /** Drops the compiled rules once a change has committed. */
  function changed<T>(committed: Promise<T>): Promise<T> {
    return committed.finally(() => compiledRules.clear());
  }

  /** Matches the channel's rules, snapshots the first match on the incident and queues its first step. */
  async function startEscalation(trx: Executor, incident: IncidentRow, now: number): Promise<void> {
    const { rules: compiled, enabledCount } = await rulesOf(trx, incident.channel_id, now);
    const rows = { length: enabledCount };
    const labels = JSON.parse(incident.labels_json) as Record<string, string>;
    const subject = { severity: incident.severity, title: incident.title, description: incident.description, integration: '', labels };
    const match = chooseRule(compiled, subject, now);
    if (!match) {
      await incidents.insertTimeline(trx, incident.id, now, 'not_assigned', { reason: rows.length === 0 ? 'the channel has no escalation rule' : 'no escalation rule matched' });
      return;
    }
    const { spec, specJson } = match;
    // Labels choose who is paged only where the rule opted in (issue 10 item 5).
    const snapshot = spec.dynamic_assignment === true ? applyDynamicAssignment(spec, labels) : spec;
    const assignment = { rule_id: match.row.id, rule_snapshot_json: snapshot === spec ? specJson : JSON.stringify(snapshot) };
    await incidents.insertTimeline(trx, incident.id, now, 'assigned', { rule_id: match.row.id, rule_name: match.row.name });
    const first = firstStep(snapshot, now);
    if (first.at > now || !deps.runStepNow) {
      await incidents.updateIncident(trx, incident.id, assignment);
      await queueStep(trx, incident.id, incident.escalation_epoch, first.step, first.at, now);
      return;
    }
    // No delay window: the first page is planned and written in this (the ingest) transaction, so it
    // is in the outbox the moment the sender gets its 2xx, with no escalate job in between. The step
    // writes the rule with its own change to the incident.
    const outcome = await deps.runStepNow(trx, { ...incident, ...assignment }, first.step, now, assignment);
    // A snoozed incident (opened by a muted flapping alert) restarts escalation when its wake job runs.
    if (outcome.kind === 'later' && incident.snoozed_until === null) await queueStep(trx, incident.id, incident.escalation_epoch, first.step, outcome.runAt, now);
  }

  const hooks: IncidentHooks = {
    onCreated: (trx, incident, now) => startEscalation(trx, incident, now),
    async onRestart(trx, incident, now) {
      // Restart at level 1 of the rule frozen on the incident, without the delay window.
      const fresh = await incidents.findIncident(trx, incident.id);
      if (!fresh?.rule_snapshot_json) return;
      await queueStep(trx, incident.id, incident.escalation_epoch, { level: 0, round: 0, repeat: 0 }, now, now);
    },
  };

  return {
    hooks,

    async list(actor: Actor, channelId: string): Promise<RuleView[]> {
      await channels.get(actor, channelId);
      const rows = await store.listRules(db, channelId);
      return Promise.all(rows.map((r) => present(db, r, actor)));
    },

    async create(ctx: RequestContext, channelId: string, input: { name: string; enabled?: boolean | undefined; spec?: unknown }): Promise<RuleView> {
      const name = checkName(input.name) ?? '';
      const spec = checkSpec(input.spec ?? defaultRuleSpec());
      const now = clock.now();
      return changed(db.transaction().execute(async (trx) => {
        await channels.getManageable(ctx.actor, channelId, trx);
        await checkTargets(trx, ctx.actor, spec);
        const position = (await store.listRules(trx, channelId)).length;
        const row: EscalationRuleRow = { id: newId(now), channel_id: channelId, name, position, enabled: input.enabled === false ? 0 : 1, spec_json: JSON.stringify(spec), created_at: now, updated_at: now };
        await store.insertRule(trx, row);
        await recordAudit(trx, ctx, now, { action: 'escalation_rule.create', targetType: 'channel', targetId: channelId, after: { id: row.id, name, spec } });
        return present(trx, row, ctx.actor);
      }));
    },

    async update(ctx: RequestContext, ruleId: string, input: { name?: string | undefined; enabled?: boolean | undefined; spec?: unknown }): Promise<RuleView> {
      const name = checkName(input.name);
      const spec = input.spec === undefined ? undefined : checkSpec(input.spec);
      const now = clock.now();
      return changed(db.transaction().execute(async (trx) => {
        const before = await store.findRule(trx, ruleId);
        if (!before) throw notFound('escalation rule');
        await channels.getManageable(ctx.actor, before.channel_id, trx);
        if (spec !== undefined) await checkTargets(trx, ctx.actor, spec);
        await store.updateRule(trx, ruleId, {
          ...(name !== undefined && { name }),
          ...(input.enabled !== undefined && { enabled: input.enabled ? 1 : 0 }),
          ...(spec !== undefined && { spec_json: JSON.stringify(spec) }),
          updated_at: now,
        });
        const after = await store.findRule(trx, ruleId);
        if (!after) throw notFound('escalation rule');
        // Running escalations keep their snapshot: editing a rule never changes them (SPEC §4).
        await recordAudit(trx, ctx, now, { action: 'escalation_rule.update', targetType: 'channel', targetId: before.channel_id, before: { name: before.name, enabled: before.enabled, spec: JSON.parse(before.spec_json) as unknown }, after: { name: after.name, enabled: after.enabled, spec: JSON.parse(after.spec_json) as unknown } });
        return present(trx, after, ctx.actor);
      }));
    },

    /** Sets the priority order of a channel's rules (the first enabled match wins). */
    async reorder(ctx: RequestContext, channelId: string, ruleIds: readonly string[]): Promise<RuleView[]> {
      const now = clock.now();
      return changed(db.transaction().execute(async (trx) => {
        await channels.getManageable(ctx.actor, channelId, trx);
        const rows = await store.listRules(trx, channelId);
        const known = new Set(rows.map((r) => r.id));
        if (ruleIds.length !== rows.length || ruleIds.some((id) => !known.has(id))) throw invalid('rule_ids', "must list each of the channel's rules exactly once");
        for (const [position, id] of ruleIds.entries()) await store.updateRule(trx, id, { position, updated_at: now });
        await recordAudit(trx, ctx, now, { action: 'escalation_rule.reorder', targetType: 'channel', targetId: channelId, before: { order: rows.map((r) => r.id) }, after: { order: ruleIds } });
        return Promise.all((await store.listRules(trx, channelId)).map((r) => present(trx, r, ctx.actor)));
      }));
    },

    /** Copies a rule (disabled, at the end) so it can be edited without touching the original. */
    async copy(ctx: RequestContext, ruleId: string): Promise<RuleView> {
      const source = await store.findRule(db, ruleId);
      if (!source) throw notFound('escalation rule');
      return this.create(ctx, source.channel_id, { name: `${source.name} (copy)`.slice(0, 100), enabled: false, spec: JSON.parse(source.spec_json) });
    },

    async remove(ctx: RequestContext, ruleId: string): Promise<void> {
      const now = clock.now();
      await changed(db.transaction().execute(async (trx) => {
        const before = await store.findRule(trx, ruleId);
        if (!before) throw notFound('escalation rule');
        await channels.getManageable(ctx.actor, before.channel_id, trx);
        await store.deleteRule(trx, ruleId);
        await recordAudit(trx, ctx, now, { action: 'escalation_rule.delete', targetType: 'channel', targetId: before.channel_id, before: { name: before.name } });
      }));
    },
  };
}

export type EscalationService = ReturnType<typeof createEscalationService>;
