import type { Clock } from '../core/clock.js';
import { AppError, forbidden, invalid, notFound, throwIfInvalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { checkLength, collect } from '../core/validate.js';
import type { Executor } from '../db/types.js';
import { isAdmin, type Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import { imTargets } from './dispatch.js';
import { linksOf } from './im-links-store.js';
import { methodAvailability, normalizePreferences, readPreferences, type MethodAvailability, type Preferences } from './preferences.js';
import type { NotificationMethod } from './provider.js';
import * as store from './providers-store.js';
import { prepareSettingsUpdate, redactSecrets, type ProviderRegistry } from './registry.js';
import { messagesPage } from './outbox.js';
import { errorForNonAdmin } from './delivery-errors.js';
import { BUILTIN_WEBPUSH_ID } from './builtin-webpush.js';
import { countPushDevices } from './push-devices-store.js';
import { withoutPushAddress } from './push-devices.js';

export interface ProviderConfigView {
  readonly id: string;
  readonly provider: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly methods: readonly string[];
  readonly settings: Record<string, unknown>;
  readonly created_at: number;
}

/** Provider configurations (admins), personal notification preferences and the delivery log. */
export function createNotifyService(deps: { db: Executor; clock: Clock; registry: ProviderRegistry; secretKey: Buffer }) {
  const { db, clock, registry } = deps;

  /** `withSettings` false: id, provider type, name and state only (what non-admins may see). */
  function present(row: store.ProviderRow, withSettings = true): ProviderConfigView {
    const provider = registry.get(row.provider);
    const settings = withSettings ? (JSON.parse(row.settings_json) as Record<string, unknown>) : {};
    return {
      id: row.id,
      provider: row.provider,
      name: row.name,
      enabled: Number(row.enabled) === 1,
      methods: provider?.methods ?? [],
      settings: provider && withSettings ? redactSecrets(provider, settings) : {},
      created_at: row.created_at,
    };
  }

  function requireAdmin(actor: Actor): void {
    if (!isAdmin(actor)) throw forbidden('only administrators configure notification providers');
  }

  function prepare(providerId: string, settings: unknown, stored: Record<string, unknown> | undefined) {
    const provider = registry.get(providerId);
    if (!provider) throw invalid('provider', `must be one of ${registry.list().map((p) => p.id).join(', ')}`);
    const prepared = prepareSettingsUpdate(provider, settings, stored, deps.secretKey);
    if (!prepared.ok) throwIfInvalid(prepared.errors);
    return (prepared as { ok: true; value: Record<string, unknown> }).value;
  }

  return {
    describeProviders: () => registry.describe(),

    async list(actor: Actor): Promise<ProviderConfigView[]> {
      // Everyone may see which group chats exist (to pick them in rules); only admins see settings,
      // and even they see secrets (tokens, webhook URLs, header lines) as ••••••.
      const admin = isAdmin(actor);
      return (await store.listProviderRows(db)).map((row) => present(row, admin));
    },

    async create(ctx: RequestContext, input: { provider: string; name: string; enabled?: boolean | undefined; settings: unknown }): Promise<ProviderConfigView> {
      requireAdmin(ctx.actor);
      const name = input.name.trim();
      throwIfInvalid(collect(checkLength('name', name, 1, 100)));
      const sealed = prepare(input.provider, input.settings, undefined);
      const now = clock.now();
      const row: store.ProviderRow = { id: newId(now), provider: input.provider, name, settings_json: JSON.stringify(sealed), enabled: input.enabled === false ? 0 : 1, created_at: now, updated_at: now };
      await db.transaction().execute(async (trx) => {
        await store.insertProviderRow(trx, row);
        await recordAudit(trx, ctx, now, { action: 'notification_provider.create', targetType: 'notification_provider', targetId: row.id, after: { provider: row.provider, name } });
      });
      store.forgetProviders();
      return present(row);
    },

    async update(ctx: RequestContext, id: string, input: { name?: string | undefined; enabled?: boolean | undefined; settings?: unknown }): Promise<ProviderConfigView> {
      requireAdmin(ctx.actor);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const before = await store.findProviderRow(trx, id);
        if (!before) throw notFound('notification provider');
        const sealed = input.settings === undefined ? undefined : prepare(before.provider, input.settings, JSON.parse(before.settings_json) as Record<string, unknown>);
        await store.updateProviderRow(trx, id, {
          ...(input.name !== undefined && { name: input.name.trim() }),
          ...(input.enabled !== undefined && { enabled: input.enabled ? 1 : 0 }),
          ...(sealed && { settings_json: JSON.stringify(sealed) }),
          updated_at: now,
        });
        await recordAudit(trx, ctx, now, { action: 'notification_provider.update', targetType: 'notification_provider', targetId: id, before: { name: before.name, enabled: before.enabled }, after: { name: input.name ?? before.name, enabled: input.enabled ?? before.enabled, settings_changed: sealed !== undefined } });
        const after = await store.findProviderRow(trx, id);
        if (!after) throw notFound('notification provider');
        return present(after);
      });
      store.forgetProviders();
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      requireAdmin(ctx.actor);
      // Start-up would create it again with new keys, unsubscribing every device: it is switched off instead.
      if (id === BUILTIN_WEBPUSH_ID) throw new AppError('Conflict', 'the built-in Web Push provider cannot be deleted; disable it instead (enabled: false)', 'id');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await store.findProviderRow(trx, id);
        if (!before) throw notFound('notification provider');
        await store.deleteProviderRow(trx, id);
        await recordAudit(trx, ctx, now, { action: 'notification_provider.delete', targetType: 'notification_provider', targetId: id, before: { name: before.name } });
      });
      store.forgetProviders();
    },

    /** Which personal methods can reach this person now, and why the others cannot. */
    async methodAvailability(personId: string): Promise<MethodAvailability[]> {
      const person = await db.selectFrom('persons').select(['email', 'email_verified_at', 'phone', 'phone_verified_at']).where('id', '=', personId).executeTakeFirst();
      if (!person) throw notFound('person');
      const enabled = (await store.listProviderRows(db)).filter((row) => Number(row.enabled) === 1);
      const deliverable = new Set<NotificationMethod>(enabled.flatMap((row) => registry.get(row.provider)?.methods ?? []));
      const contact = { id: personId, email: person.email, emailVerified: person.email_verified_at !== null, phone: person.phone, phoneVerified: person.phone !== null && person.phone_verified_at !== null };
      const reach = imTargets(contact, enabled, registry, await linksOf(db, [personId]));
      const im = { reachable: reach.targets.map((t) => t.provider.name), missing: reach.missing };
      const pushDevices = await countPushDevices(db, personId);
      return methodAvailability({ deliverable, emailVerified: person.email_verified_at !== null, phone: person.phone, phoneVerified: person.phone !== null && person.phone_verified_at !== null, pushDevices, im });
    },

    async preferences(personId: string): Promise<Preferences> {
      const row = await db.selectFrom('persons').select('preferences_json').where('id', '=', personId).executeTakeFirst();
      if (!row) throw notFound('person');
      return readPreferences(row.preferences_json);
    },

    async setPreferences(ctx: RequestContext, input: unknown): Promise<Preferences> {
      const normalized = normalizePreferences(input);
      if (!normalized.ok) throwIfInvalid(normalized.errors);
      const value = (normalized as { ok: true; value: Preferences }).value;
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('persons').set({ preferences_json: JSON.stringify(value), updated_at: now }).where('id', '=', ctx.actor.person.id).execute();
        await recordAudit(trx, ctx, now, { action: 'person.preferences_update', targetType: 'person', targetId: ctx.actor.person.id, after: value });
      });
      return value;
    },

    /** A page of an incident's delivery log, newest first (callers check incident visibility first); peer answers only for admins. */
    async deliveries(actor: Actor, incidentId: string, limit: number, beforeId: string | undefined) {
      // A push address is the device's subscription (endpoint and keys): the log shows the device's label instead.
      const rows = (await messagesPage(db, incidentId, limit, beforeId)).map((row) => (row.method === 'push' ? { ...row, recipient_json: withoutPushAddress(row.recipient_json) } : row));
      return isAdmin(actor) ? rows : rows.map((row) => ({ ...row, last_error: errorForNonAdmin(row.last_error) }));
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
