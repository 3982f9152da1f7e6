import type { Clock } from '../core/clock.js';
import { notFound, throwIfInvalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { checkLength, collect } from '../core/validate.js';
import type { FilterMatcher } from '../core/filter.js';
import type { Executor } from '../db/types.js';
import type { Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import type { ChannelsService } from '../channels/service.js';
import { compileNoise, DEFAULT_NOISE, withDefaults, type CompiledNoise, type NoiseSettingsWire } from './noise.js';
import { inhibitKey, type InhibitRule, type SilenceRule } from './model.js';
import { subjectOf } from './apply-event.js';
import * as alertStore from './store.js';
import { compileSpec, validateRuleSpec, type Named } from './rules.js';
import * as store from './rules-store.js';
import type { ChannelRuleRow, RuleKind } from './rules-store.js';

/** Everything the ingest path needs of a channel, compiled once and cached. */
export interface ChannelRuntime {
  /** A disabled channel (or one that no longer exists) takes no events: they are dropped and counted. */
  readonly disabled: boolean;
  readonly noise: CompiledNoise;
  readonly silences: readonly Named<SilenceRule>[];
  readonly inhibits: readonly Named<InhibitRule>[];
  readonly drops: readonly Named<FilterMatcher>[];
}

export interface RuleView {
  readonly id: string;
  readonly channel_id: string;
  readonly kind: RuleKind;
  readonly name: string;
  readonly enabled: boolean;
  readonly spec: unknown;
  readonly created_at: number;
  readonly updated_at: number;
}

// Open alerts read per query when a new inhibit rule indexes them.
const INDEX_PAGE = 500;

// Other nodes' edits reach this node's cache within this long.
const RUNTIME_TTL_MS = 10_000;

function present(row: ChannelRuleRow): RuleView {
  return {
    id: row.id,
    channel_id: row.channel_id,
    kind: row.kind as RuleKind,
    name: row.name,
    enabled: Number(row.enabled) === 1,
    spec: JSON.parse(row.spec_json) as unknown,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Noise-reduction settings and silence / inhibit / drop rules of channels. */
export function createRulesService(deps: { db: Executor; clock: Clock; channels: ChannelsService }) {
  const { db, clock, channels } = deps;
  const runtimes = new Map<string, { runtime: ChannelRuntime; at: number }>();

  async function loadRuntime(channelId: string): Promise<ChannelRuntime> {
    const channel = await store.readChannelState(db, channelId);
    const noiseJson = channel?.noise_json ?? '{}';
    const compiledNoise = compileNoise(withDefaults(JSON.parse(noiseJson) as Partial<NoiseSettingsWire>));
    // Stored settings were validated on save; fall back to defaults rather than block ingestion.
    const noise = compiledNoise.ok ? compiledNoise.value : (compileNoise(DEFAULT_NOISE) as { ok: true; value: CompiledNoise }).value;
    const silences: Named<SilenceRule>[] = [];
    const inhibits: Named<InhibitRule>[] = [];
    const drops: Named<FilterMatcher>[] = [];
    for (const row of await store.listRules(db, channelId)) {
      if (Number(row.enabled) !== 1) continue;
      const compiled = compileSpec(row.kind as RuleKind, JSON.parse(row.spec_json));
      if (!compiled.ok) continue;
      if (row.kind === 'silence') silences.push({ id: row.id, name: row.name, rule: compiled.value as SilenceRule });
      else if (row.kind === 'inhibit') inhibits.push({ id: row.id, name: row.name, rule: compiled.value as InhibitRule });
      else drops.push({ id: row.id, name: row.name, rule: compiled.value as FilterMatcher });
    }
    return { disabled: channel === undefined || Number(channel.disabled) === 1, noise, silences, inhibits, drops };
  }

  /**
   * Rebuilds a rule's entries in the inhibit index (alerts/store `findInhibitingAlert`): a new or
   * changed inhibit rule applies to the alerts already open, not only to those that come later.
   */
  async function reindexInhibitRule(trx: Executor, row: ChannelRuleRow): Promise<void> {
    await alertStore.deleteInhibitKeysOfRule(trx, row.id);
    if (row.kind !== 'inhibit' || Number(row.enabled) !== 1) return;
    const compiled = compileSpec('inhibit', JSON.parse(row.spec_json));
    if (!compiled.ok) return;
    const rule = compiled.value as InhibitRule;
    for (let after = ''; ; ) {
      const page = await alertStore.openActiveAlertsPage(trx, row.channel_id, after, INDEX_PAGE);
      for (const alert of page) {
        const subject = subjectOf(alert);
        if (rule.source(subject)) await alertStore.insertInhibitKeys(trx, alert.id, [{ ruleId: row.id, equalKey: inhibitKey(rule, subject) }]);
      }
      const last = page.at(-1);
      if (page.length < INDEX_PAGE || !last) return;
      after = last.id;
    }
  }

  function normalizeName(name: string | undefined): string | undefined {
    const trimmed = name?.trim();
    throwIfInvalid(collect(trimmed === undefined ? undefined : checkLength('name', trimmed, 1, 100)));
    return trimmed;
  }

  return {
    /** The compiled rules of a channel (cached; refreshed on change and every 10 s). */
    async runtime(channelId: string): Promise<ChannelRuntime> {
      const now = clock.now();
      const cached = runtimes.get(channelId);
      if (cached && now >= cached.at && now - cached.at < RUNTIME_TTL_MS) return cached.runtime;
      const runtime = await loadRuntime(channelId);
      runtimes.set(channelId, { runtime, at: now });
      return runtime;
    },

    invalidate(channelId: string): void {
      runtimes.delete(channelId);
    },

    async getNoise(actor: Actor, channelId: string): Promise<NoiseSettingsWire> {
      await channels.get(actor, channelId);
      return withDefaults(JSON.parse((await store.readNoiseJson(db, channelId)) ?? '{}') as Partial<NoiseSettingsWire>);
    },

    async setNoise(ctx: RequestContext, channelId: string, input: Partial<NoiseSettingsWire>): Promise<NoiseSettingsWire> {
      const now = clock.now();
      const result = await db.transaction().execute(async (trx) => {
        await channels.getManageable(ctx.actor, channelId, trx);
        const before = withDefaults(JSON.parse((await store.readNoiseJson(trx, channelId)) ?? '{}') as Partial<NoiseSettingsWire>);
        const next = withDefaults({ ...before, ...input });
        const compiled = compileNoise(next);
        if (!compiled.ok) throwIfInvalid(compiled.errors);
        await store.writeNoiseJson(trx, channelId, JSON.stringify(next), now);
        await recordAudit(trx, ctx, now, { action: 'channel.noise_update', targetType: 'channel', targetId: channelId, before, after: next });
        return next;
      });
      runtimes.delete(channelId);
      return result;
    },

    async list(actor: Actor, channelId: string, kind: RuleKind): Promise<RuleView[]> {
      await channels.get(actor, channelId);
      return (await store.listRules(db, channelId, kind)).map(present);
    },

    async create(ctx: RequestContext, channelId: string, kind: RuleKind, input: { name: string; enabled?: boolean | undefined; spec: unknown }): Promise<RuleView> {
      const name = normalizeName(input.name) ?? '';
      throwIfInvalid(validateRuleSpec(kind, input.spec));
      const now = clock.now();
      const id = newId(now);
      const row = await db.transaction().execute(async (trx) => {
        await channels.getManageable(ctx.actor, channelId, trx);
        const position = (await store.listRules(trx, channelId, kind)).length;
        const created: ChannelRuleRow = {
          id,
          channel_id: channelId,
          kind,
          name,
          enabled: input.enabled === false ? 0 : 1,
          position,
          spec_json: JSON.stringify(input.spec),
          created_by: ctx.actor.person.id,
          created_at: now,
          updated_at: now,
        };
        await store.insertRule(trx, created);
        await reindexInhibitRule(trx, created);
        await recordAudit(trx, ctx, now, { action: `${kind}.create`, targetType: 'channel', targetId: channelId, after: { id, name, spec: input.spec } });
        return created;
      });
      runtimes.delete(channelId);
      return present(row);
    },

    async update(ctx: RequestContext, ruleId: string, input: { name?: string | undefined; enabled?: boolean | undefined; spec?: unknown }): Promise<RuleView> {
      const name = normalizeName(input.name);
      const now = clock.now();
      const after = await db.transaction().execute(async (trx) => {
        const before = await store.findRule(trx, ruleId);
        if (!before) throw notFound('rule');
        await channels.getManageable(ctx.actor, before.channel_id, trx);
        if (input.spec !== undefined) throwIfInvalid(validateRuleSpec(before.kind as RuleKind, input.spec));
        await store.updateRule(trx, ruleId, {
          ...(name !== undefined && { name }),
          ...(input.enabled !== undefined && { enabled: input.enabled ? 1 : 0 }),
          ...(input.spec !== undefined && { spec_json: JSON.stringify(input.spec) }),
          updated_at: now,
        });
        const updated = await store.findRule(trx, ruleId);
        if (!updated) throw notFound('rule');
        await reindexInhibitRule(trx, updated);
        await recordAudit(trx, ctx, now, { action: `${before.kind}.update`, targetType: 'channel', targetId: before.channel_id, before: present(before), after: present(updated) });
        return updated;
      });
      runtimes.delete(after.channel_id);
      return present(after);
    },

    async remove(ctx: RequestContext, ruleId: string): Promise<void> {
      const now = clock.now();
      const channelId = await db.transaction().execute(async (trx) => {
        const before = await store.findRule(trx, ruleId);
        if (!before) throw notFound('rule');
        await channels.getManageable(ctx.actor, before.channel_id, trx);
        await store.deleteRule(trx, ruleId);
        await alertStore.deleteInhibitKeysOfRule(trx, ruleId);
        await recordAudit(trx, ctx, now, { action: `${before.kind}.delete`, targetType: 'channel', targetId: before.channel_id, before: present(before) });
        return before.channel_id;
      });
      runtimes.delete(channelId);
    },

    /** The rule's channel, for routes that look a rule up by id. */
    async channelOf(actor: Actor, ruleId: string): Promise<RuleView> {
      const row = await store.findRule(db, ruleId);
      if (!row) throw notFound('rule');
      await channels.get(actor, row.channel_id);
      return present(row);
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
