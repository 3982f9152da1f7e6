/**
 * A person's Web Push devices (issue 12 item 1): the key the console subscribes with, and the
 * devices themselves — listed, registered (upsert by endpoint), removed and tested by their own person
 * only. Someone else's device answers 404, as if it did not exist.
 */
import type { Clock } from '../core/clock.js';
import { AppError, invalid, notFound, throwIfInvalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import type { Actor } from '../people/model.js';
import { loadSettings, type ProviderRegistry, type StoredSettings } from './registry.js';
import { listProviderRows, type ProviderRow } from './providers-store.js';
import * as store from './push-devices-store.js';
import { normalizePushDevice, pushAddress, type PushDeviceInput } from './push-devices.js';
import { renderMessage, sampleIncident } from './templates.js';
import { SUBSCRIPTION_GONE } from './providers/webpush/index.js';
import type { IncidentView, SendResult } from './provider.js';

export interface PushDeviceView {
  readonly id: string;
  readonly label: string;
  readonly endpoint_origin: string;
  readonly created_at: number;
  readonly last_success_at: number | null;
}

/** What the console needs to subscribe: the VAPID public key of the provider that delivers app push. */
export interface PushConfigView {
  readonly available: boolean;
  readonly public_key: string | null;
  readonly reason: string | null;
}

export interface PushTestResult {
  readonly status: 'sent' | 'failed';
  readonly error: string | null;
  /** The push service said the subscription is gone: the device was removed. */
  readonly removed: boolean;
}

/** Phones, tablets and computers of one person; more is a script gone wrong, not a person. */
export const MAX_PUSH_DEVICES = 20;

/** Only the push service's origin leaves the server: the endpoint path is a bearer capability. */
function present(row: store.PushDeviceRow): PushDeviceView {
  let origin = '';
  try {
    origin = new URL(row.endpoint).origin;
  } catch {
    origin = '';
  }
  return { id: row.id, label: row.label, endpoint_origin: origin, created_at: row.created_at, last_success_at: row.last_success_at };
}

export function createPushDevicesService(deps: { db: Executor; clock: Clock; registry: ProviderRegistry; secretKey: Buffer; publicUrl: string; fetch?: typeof fetch | undefined }) {
  const { db, clock, registry } = deps;

  /** The configuration app push goes out through: the same pick as dispatch (first enabled one serving push). */
  async function pushProvider(): Promise<ProviderRow | undefined> {
    return (await listProviderRows(db)).filter((row) => Number(row.enabled) === 1).find((row) => registry.get(row.provider)?.methods.includes('push'));
  }

  async function own(actor: Actor, id: string): Promise<store.PushDeviceRow> {
    const row = await store.findPushDevice(db, id);
    if (!row || row.person_id !== actor.person.id) throw notFound('push device');
    return row;
  }

  return {
    async config(): Promise<PushConfigView> {
      const row = await pushProvider();
      if (!row) return { available: false, public_key: null, reason: 'App push is turned off: an administrator enables the Web Push provider under Settings → Notification providers.' };
      const key = (JSON.parse(row.settings_json) as StoredSettings).vapid_public_key;
      return typeof key === 'string' ? { available: true, public_key: key, reason: null } : { available: false, public_key: null, reason: 'The Web Push provider has no VAPID public key.' };
    },

    async list(actor: Actor): Promise<PushDeviceView[]> {
      return (await store.listPushDevices(db, actor.person.id)).map(present);
    },

    /** Registers this browser's subscription for the caller; the same endpoint again updates the row. */
    async register(ctx: RequestContext, input: PushDeviceInput, userAgent: string | undefined): Promise<{ device: PushDeviceView; created: boolean }> {
      const normalized = normalizePushDevice(input, userAgent);
      if (!normalized.ok) throwIfInvalid(normalized.errors);
      const value = (normalized as Extract<typeof normalized, { ok: true }>).value;
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const before = await store.findPushDeviceByEndpoint(trx, value.endpoint);
        if (before?.person_id !== ctx.actor.person.id && (await store.countPushDevices(trx, ctx.actor.person.id)) >= MAX_PUSH_DEVICES) {
          throw new AppError('Conflict', `endpoint: you already have ${MAX_PUSH_DEVICES} devices; remove one you no longer use first`, 'endpoint');
        }
        const row: store.PushDeviceRow = {
          id: before?.id ?? newId(now),
          person_id: ctx.actor.person.id,
          endpoint: value.endpoint,
          p256dh: value.p256dh,
          auth: value.auth,
          label: value.label,
          user_agent: userAgent ? userAgent.slice(0, 512) : null,
          created_at: before?.created_at ?? now,
          last_success_at: before?.last_success_at ?? null,
        };
        await store.upsertPushDevice(trx, row);
        if (!before || before.person_id !== ctx.actor.person.id) {
          await recordAudit(trx, ctx, now, { action: 'push_device.register', targetType: 'person', targetId: ctx.actor.person.id, after: { device: row.id, label: row.label } });
        }
        const saved = await store.findPushDeviceByEndpoint(trx, value.endpoint);
        if (!saved) throw notFound('push device');
        return { device: present(saved), created: before?.person_id !== ctx.actor.person.id };
      });
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const row = await own(ctx.actor, id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await store.deletePushDevice(trx, row.id);
        await recordAudit(trx, ctx, now, { action: 'push_device.remove', targetType: 'person', targetId: ctx.actor.person.id, before: { device: row.id, label: row.label } });
      });
    },

    /** Sends a test notification to one of my devices now (not through the outbox: a test is not a page). */
    async test(actor: Actor, id: string): Promise<PushTestResult> {
      const row = await own(actor, id);
      const providerRow = await pushProvider();
      const provider = providerRow ? registry.get(providerRow.provider) : undefined;
      if (!providerRow || !provider) throw invalid('provider', 'app push is turned off: an administrator enables the Web Push provider first');
      const messageId = newId(clock.now());
      // Clicking the test notification opens the personal center, where the device list is.
      const sample = sampleIncident(deps.publicUrl);
      const incident: IncidentView = { ...sample, id: 'tocsin-test', url: `${deps.publicUrl}/me`, ackUrl: undefined, resolveUrl: undefined };
      const { message } = renderMessage({
        id: messageId,
        idempotencyKey: `test:${messageId}`,
        method: 'push',
        recipient: { kind: 'person', personId: actor.person.id, name: actor.person.name, address: pushAddress(row) },
        kind: 'test',
        incident,
      });
      const settings = loadSettings(provider, JSON.parse(providerRow.settings_json) as StoredSettings, deps.secretKey);
      const result = await provider
        .send(settings, message, { fetch: deps.fetch ?? fetch, now: clock.now() })
        .catch((error: unknown): SendResult => ({ kind: 'failed', error: error instanceof Error ? error.message : String(error) }));
      if (result.kind === 'sent') {
        await store.markPushDeviceDelivered(db, row.endpoint, clock.now());
        return { status: 'sent', error: null, removed: false };
      }
      const gone = result.error.startsWith(SUBSCRIPTION_GONE);
      if (gone) await store.deletePushDevice(db, row.id);
      return { status: 'failed', error: result.error, removed: gone };
    },
  };
}

export type PushDevicesService = ReturnType<typeof createPushDevicesService>;
