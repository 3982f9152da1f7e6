import type { Clock } from '../core/clock.js';
import { forbidden, invalid, notFound, throwIfInvalid } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import { hashSecret } from '../core/secrets.js';
import { seal, unseal } from '../core/seal.js';
import type { Executor } from '../db/types.js';
import { canManageOwnedBy, canWrite, isAdmin, type Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import { existingTeamIds } from '../people/teams-store.js';
import type { ChannelsService } from '../channels/service.js';
import {
  checkIntegrationBasics,
  DEFAULT_SETTINGS,
  isSourceName,
  pushUrl,
  SOURCE_NAMES,
  type Integration,
  type IntegrationSettings,
  type RateLimit,
} from './integration-model.js';
import * as store from './store.js';
import { routedChannelIds, type RoutingSpec } from './routing.js';
import { keepUnchangedSecrets, maskSourceOptions, openSourceOptions, sealSourceOptions } from './secret-options.js';

export interface IntegrationsDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly secretKey: Buffer;
  readonly publicUrl: string;
  readonly inboundEmailDomain: string;
  readonly channels: ChannelsService;
  /** Validates source options, enrichment, pipeline and routing; returns field errors. */
  readonly validateSettings: (source: string, settings: IntegrationSettings, shared: boolean) => { field: string; message: string }[];
}

/** An integration as its managers see it, with the key and the push URL to copy. */
export interface IntegrationView {
  readonly integration: Integration;
  readonly key: string | null;
  readonly pushUrl: string | null;
}

export interface IntegrationInput {
  readonly name?: string | undefined;
  readonly source?: string | undefined;
  readonly teamId?: string | undefined;
  readonly disabled?: boolean | undefined;
  readonly settings?: Partial<IntegrationSettings> | undefined;
}

const KEY_CACHE_MS = 10_000;

/** 32 hex characters: the length PagerDuty clients expect of a routing key. */
function newIntegrationKey(): string {
  return Buffer.from(randomToken(16), 'base64url').toString('hex');
}

/** Integrations: creation, keys, settings and the cached key lookup used by every push. */
export function createIntegrationsService(deps: IntegrationsDeps) {
  const { db, clock } = deps;
  // Integration key hash → integration, so the hot path usually skips the database.
  const keyCache = new Map<string, { integration: Integration | undefined; at: number }>();

  /** Secret source options never leave the server: the view carries them masked. */
  function view(actor: Actor | null, stored: Integration, keySealed: string, manageable: boolean): IntegrationView {
    const integration = withOptions(stored, maskSourceOptions(stored.settings.sourceOptions));
    if (!manageable || !actor) return { integration, key: null, pushUrl: null };
    const key = unseal(deps.secretKey, keySealed);
    return { integration, key, pushUrl: pushUrl(deps.publicUrl, integration.source, key, { prefix: integration.emailPrefix, domain: deps.inboundEmailDomain }) };
  }

  function withOptions(integration: Integration, sourceOptions: Readonly<Record<string, unknown>>): Integration {
    return { ...integration, settings: { ...integration.settings, sourceOptions } };
  }

  /** Settings as stored: secret source options sealed. */
  function serialize(settings: IntegrationSettings): string {
    return store.serializeSettings({ ...settings, sourceOptions: sealSourceOptions(deps.secretKey, settings.sourceOptions) });
  }

  /** Settings for the audit log: secrets masked. */
  function auditSettings(settings: IntegrationSettings): IntegrationSettings {
    return { ...settings, sourceOptions: maskSourceOptions(settings.sourceOptions) };
  }

  /**
   * A shared integration's routing, raw payloads and settings are its owning team's (and admins'):
   * payloads routed into a private channel must not be readable by everyone (issue 10 item 2).
   */
  function canSeeShared(actor: Actor, integration: Integration): boolean {
    return isAdmin(actor) || (integration.teamId !== null && actor.teamIds.has(integration.teamId));
  }

  /**
   * Every channel a shared integration routes to must be one its owning team manages (issue 10
   * item 1). One message for a missing channel and another team's, so nothing is revealed.
   */
  async function checkRoutingTargets(trx: Executor, teamId: string, routing: unknown): Promise<void> {
    const spec = (routing ?? null) as RoutingSpec | null;
    const wanted = routedChannelIds(spec);
    const allowed = new Set((await store.routableChannels(trx, teamId, { ids: wanted })).map((c) => c.id));
    const errors: { field: string; message: string }[] = [];
    const rule = (id: string) => `channel ${id} is not a channel the owning team manages`;
    (spec?.cases ?? []).forEach((c, i) => {
      const bad = c.channels.find((id) => !allowed.has(id));
      if (bad) errors.push({ field: `settings.routing.cases[${i}].channels`, message: rule(bad) });
    });
    const badDefault = (spec?.default ?? []).find((id) => !allowed.has(id));
    if (badDefault) errors.push({ field: 'settings.routing.default', message: rule(badDefault) });
    throwIfInvalid(errors);
  }

  async function canManage(actor: Actor, integration: Integration, trx: Executor = db): Promise<boolean> {
    if (integration.channelId) {
      await deps.channels.get(actor, integration.channelId, trx);
      return deps.channels.getManageable(actor, integration.channelId, trx).then(
        () => true,
        () => false,
      );
    }
    return canManageOwnedBy(actor, integration.teamId ? [integration.teamId] : []);
  }

  async function loadManageable(actor: Actor, id: string, trx: Executor = db) {
    const found = await store.findIntegration(trx, id);
    if (!found) throw notFound('integration');
    if (!(await canManage(actor, found.integration, trx))) throw forbidden('only the owning team and administrators may change this integration');
    return found;
  }

  function mergeSettings(current: IntegrationSettings, patch: Partial<IntegrationSettings> | undefined): IntegrationSettings {
    if (!patch) return current;
    return {
      rateLimit: { ...current.rateLimit, ...(patch.rateLimit as Partial<RateLimit> | undefined) },
      sourceOptions: patch.sourceOptions ?? current.sourceOptions,
      enrichment: patch.enrichment ?? current.enrichment,
      pipeline: patch.pipeline ?? current.pipeline,
      routing: patch.routing === undefined ? current.routing : patch.routing,
    };
  }

  function checkSettings(source: string, settings: IntegrationSettings, input: IntegrationInput, shared: boolean): void {
    throwIfInvalid([...checkIntegrationBasics({ name: input.name, rateLimit: settings.rateLimit }), ...deps.validateSettings(source, settings, shared)]);
  }

  function forgetCache(): void {
    keyCache.clear();
  }

  return {
    /** Creates a dedicated integration (with `channelId`) or a shared one (with `teamId`). */
    async create(ctx: RequestContext, target: { channelId: string } | { teamId: string }, input: IntegrationInput): Promise<IntegrationView> {
      if (!canWrite(ctx.actor)) throw forbidden('viewers cannot create integrations');
      const source = input.source ?? '';
      if (!isSourceName(source)) throw invalid('source', `must be one of ${SOURCE_NAMES.join(', ')}`);
      const settings = mergeSettings(DEFAULT_SETTINGS, input.settings);
      checkSettings(source, settings, input, !('channelId' in target));
      if (!input.name?.trim()) throw invalid('name', 'must not be empty');
      const now = clock.now();
      const key = newIntegrationKey();
      const id = newId(now);
      return db.transaction().execute(async (trx) => {
        let channelId: string | null = null;
        let teamId: string | null = null;
        if ('channelId' in target) {
          channelId = (await deps.channels.getManageable(ctx.actor, target.channelId, trx)).id;
        } else {
          if (!(await existingTeamIds(trx, [target.teamId])).has(target.teamId)) throw invalid('team_id', 'no team with this id');
          if (!canManageOwnedBy(ctx.actor, [target.teamId])) throw invalid('team_id', 'you must be a member of the owning team');
          teamId = target.teamId;
          await checkRoutingTargets(trx, teamId, settings.routing);
        }
        const row = {
          id,
          channel_id: channelId,
          team_id: teamId,
          name: input.name?.trim() ?? '',
          source,
          key_hash: hashSecret(key),
          key_sealed: seal(deps.secretKey, key),
          // Unguessable, so a leaked domain does not let strangers open incidents by mail.
          email_prefix: source === 'email' ? `alert-${newIntegrationKey().slice(0, 16)}` : null,
          settings_json: serialize(settings),
          disabled: input.disabled ? 1 : 0,
          last_event_at: null,
          created_at: now,
          updated_at: now,
        };
        await store.insertIntegration(trx, row);
        await recordAudit(trx, ctx, now, { action: 'integration.create', targetType: 'integration', targetId: id, after: { name: row.name, source, channel_id: channelId, team_id: teamId } });
        const created = await store.findIntegration(trx, id);
        if (!created) throw notFound('integration');
        return view(ctx.actor, created.integration, created.keySealed, true);
      });
    },

    async get(actor: Actor, id: string): Promise<IntegrationView> {
      const found = await store.findIntegration(db, id);
      if (!found) throw notFound('integration');
      if (found.integration.channelId) await deps.channels.get(actor, found.integration.channelId);
      else if (!canSeeShared(actor, found.integration)) throw notFound('integration');
      return view(actor, found.integration, found.keySealed, await canManage(actor, found.integration));
    },

    async listForChannel(actor: Actor, channelId: string): Promise<IntegrationView[]> {
      const channel = await deps.channels.get(actor, channelId);
      const manageable = deps.channels.canManage(actor, channel);
      const rows = await store.listIntegrations(db, { channelId });
      return rows.map((r) => view(actor, r.integration, r.keySealed, manageable));
    },

    async listShared(actor: Actor): Promise<IntegrationView[]> {
      const rows = (await store.listIntegrations(db, { shared: true })).filter((r) => canSeeShared(actor, r.integration));
      return rows.map((r) => view(actor, r.integration, r.keySealed, isAdmin(actor) || canManageOwnedBy(actor, r.integration.teamId ? [r.integration.teamId] : [])));
    },

    async update(ctx: RequestContext, id: string, input: IntegrationInput): Promise<IntegrationView> {
      const now = clock.now();
      const result = await db.transaction().execute(async (trx) => {
        const before = await loadManageable(ctx.actor, id, trx);
        const current = { ...before.integration.settings, sourceOptions: openSourceOptions(deps.secretKey, before.integration.settings.sourceOptions) };
        const patch = input.settings?.sourceOptions ? { ...input.settings, sourceOptions: keepUnchangedSecrets(input.settings.sourceOptions, current.sourceOptions) } : input.settings;
        const settings = mergeSettings(current, patch);
        checkSettings(before.integration.source, settings, input, before.integration.channelId === null);
        if (before.integration.teamId !== null && before.integration.channelId === null && input.settings?.routing !== undefined) {
          await checkRoutingTargets(trx, before.integration.teamId, settings.routing);
        }
        await store.updateIntegration(trx, id, {
          ...(input.name !== undefined && { name: input.name.trim() }),
          ...(input.disabled !== undefined && { disabled: input.disabled ? 1 : 0 }),
          settings_json: serialize(settings),
          updated_at: now,
        });
        await recordAudit(trx, ctx, now, {
          action: 'integration.update',
          targetType: 'integration',
          targetId: id,
          before: { name: before.integration.name, disabled: before.integration.disabled, settings: auditSettings(before.integration.settings) },
          after: { name: input.name ?? before.integration.name, disabled: input.disabled ?? before.integration.disabled, settings: auditSettings(settings) },
        });
        const after = await store.findIntegration(trx, id);
        if (!after) throw notFound('integration');
        return view(ctx.actor, after.integration, after.keySealed, true);
      });
      forgetCache();
      return result;
    },

    /** Issues a new key; the old one stops working at once. */
    async regenerateKey(ctx: RequestContext, id: string): Promise<IntegrationView> {
      const now = clock.now();
      const key = newIntegrationKey();
      const result = await db.transaction().execute(async (trx) => {
        await loadManageable(ctx.actor, id, trx);
        await store.updateIntegration(trx, id, { key_hash: hashSecret(key), key_sealed: seal(deps.secretKey, key), updated_at: now });
        await recordAudit(trx, ctx, now, { action: 'integration.regenerate_key', targetType: 'integration', targetId: id });
        const after = await store.findIntegration(trx, id);
        if (!after) throw notFound('integration');
        return view(ctx.actor, after.integration, after.keySealed, true);
      });
      forgetCache();
      return result;
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await loadManageable(ctx.actor, id, trx);
        await store.deleteIntegration(trx, id);
        await recordAudit(trx, ctx, now, { action: 'integration.delete', targetType: 'integration', targetId: id, before: { name: before.integration.name, source: before.integration.source } });
      });
      forgetCache();
    },

    /** Resolves a presented key (hash lookup, cached briefly so other nodes' changes apply within 10 s). */
    async resolveKey(key: string): Promise<Integration | undefined> {
      if (!/^[0-9a-f]{32}$/.test(key)) return undefined;
      const hash = hashSecret(key);
      const now = clock.now();
      const cached = keyCache.get(hash);
      if (cached && now - cached.at < KEY_CACHE_MS) return cached.integration;
      const found = await store.findIntegrationByKeyHash(db, hash);
      // The hot path checks signatures with the opened secrets; nothing here is ever presented.
      const integration = found && withOptions(found, openSourceOptions(deps.secretKey, found.settings.sourceOptions));
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(hash, { integration, at: now });
      return integration;
    },

    /** The email integration for a recipient's local part (the SMTP listener's lookup). */
    async resolveEmailPrefix(prefix: string): Promise<Integration | undefined> {
      return store.findIntegrationByEmailPrefix(db, prefix);
    },

    /** Counts over the last 24 hours and the newest raw payloads, for the integration card. */
    async activity(actor: Actor, id: string) {
      const current = await this.get(actor, id);
      const sinceHour = Math.floor(clock.now() / 3_600_000) - 23;
      return {
        integration: current,
        counts: await store.eventCounts(db, id, sinceHour),
        raw: await store.recentRawEvents(db, id),
      };
    },

    forgetCache,
  };
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;
