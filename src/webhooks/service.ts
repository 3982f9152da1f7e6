import type { Clock } from '../core/clock.js';
import { forbidden, notFound, throwIfInvalid } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import type { Log } from '../core/log.js';
import { seal, unseal } from '../core/seal.js';
import type { Executor } from '../db/types.js';
import { enqueueJob } from '../db/jobs.js';
import type { PageRequest } from '../db/pagination.js';
import { FeedCursor, type FeedItem } from '../incidents/feed.js';
import { isAdmin, type Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import {
  backoffMs,
  DELIVERY_RETENTION_MS,
  incidentEventOf,
  isRetryable,
  MAX_ATTEMPTS,
  normalizeWebhookInput,
  signature,
  TEST_EVENT,
  wants,
  type Webhook,
  type WebhookInput,
} from './model.js';
import { alertPayload, incidentPayload } from './payload.js';
import * as store from './store.js';

/** Engine job kinds (engine/modules/webhooks.ts). */
export const SCAN_JOB = 'webhook-scan';
export const DELIVER_JOB = 'webhook-deliver';

const REQUEST_TIMEOUT_MS = 10_000;
const RESPONSE_KEEP_CHARS = 4096;
// A feed left unread this long (no webhook enabled) is not replayed to a new subscription.
const MAX_REPLAY_MS = 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;
const PRESENCE_TTL_MS = 5_000;

export interface WebhookView {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly events: string[];
  readonly channel_ids: string[] | null;
  readonly enabled: boolean;
  readonly created_at: number;
}

/** The result of one HTTP attempt, as the history and "send test" show it. */
export interface AttemptResult {
  readonly delivery_id: string;
  readonly status: 'delivered' | 'retrying' | 'failed';
  readonly response_status: number | null;
  readonly error: string | null;
  readonly duration_ms: number;
}

function present(w: Webhook): WebhookView {
  return { id: w.id, name: w.name, url: w.url, events: [...w.events], channel_ids: w.channelIds ? [...w.channelIds] : null, enabled: w.enabled, created_at: w.createdAt };
}

export interface WebhooksDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly log: Log;
  readonly secretKey: Buffer;
  readonly publicUrl: string;
  /** The same outbound HTTP client providers get (SendContext.fetch). */
  readonly fetch?: typeof fetch | undefined;
  /** Called after a job was queued outside a request's own transaction (wakes the local engine). */
  readonly onQueued?: () => void;
}

/** Outbound webhooks: subscriptions (administrators), the feed scanner, and signed deliveries with retries. */
export function createWebhooksService(deps: WebhooksDeps) {
  const { db, clock } = deps;
  const send = deps.fetch ?? fetch;
  let lastPrune = 0;
  let presence: { any: boolean; at: number } | undefined;
  let scanRequested = false;

  function requireAdmin(actor: Actor): void {
    if (!isAdmin(actor)) throw forbidden('only administrators manage outbound webhooks');
  }

  async function load(id: string): Promise<store.WebhookRow> {
    const row = await store.findWebhook(db, id);
    if (!row) throw notFound('webhook');
    return row;
  }

  async function anyEnabled(): Promise<boolean> {
    if (presence && Date.now() - presence.at < PRESENCE_TTL_MS) return presence.any;
    const any = (await store.enabledWebhooks(db)).length > 0;
    presence = { any, at: Date.now() };
    return any;
  }

  /** One signed POST of a stored delivery; records the attempt and the delivery's new state. */
  async function attempt(delivery: store.DeliveryRow, webhook: store.WebhookRow, now: number): Promise<AttemptResult> {
    const number = delivery.attempts + 1;
    const body = delivery.request_body;
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Tocsin-Webhooks/1',
      'x-tocsin-event': delivery.event_type,
      'x-tocsin-event-id': delivery.event_id,
      'x-tocsin-delivery': delivery.id,
      'x-tocsin-signature': signature(unseal(deps.secretKey, webhook.secret_sealed), body),
    };
    const started = performance.now();
    let status: number | undefined;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      const response = await send(webhook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      status = response.status;
      responseBody = (await response.text()).slice(0, RESPONSE_KEEP_CHARS);
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
    }
    const duration = Math.round(performance.now() - started);
    const ok = status !== undefined && status >= 200 && status < 300;
    if (!ok && error === null) error = `HTTP ${status ?? '?'}`;
    const final = ok || !isRetryable(status) || number >= MAX_ATTEMPTS;
    const outcome: AttemptResult['status'] = ok ? 'delivered' : final ? 'failed' : 'retrying';
    await store.insertAttempt(db, {
      id: newId(now),
      delivery_id: delivery.id,
      attempt: number,
      request_headers_json: JSON.stringify(headers),
      response_status: status ?? null,
      response_body: responseBody,
      error: ok ? null : error,
      duration_ms: duration,
      created_at: now,
    });
    await store.updateDelivery(db, delivery.id, { status: outcome, attempts: number, finished_at: final ? now : null });
    return { delivery_id: delivery.id, status: outcome, response_status: status ?? null, error: ok ? null : error, duration_ms: duration };
  }

  function eventTypeOf(item: FeedItem): string | undefined {
    return item.source === 'timeline' ? incidentEventOf(item.kind) : `alert.${item.kind}`;
  }

  async function buildBody(item: FeedItem, eventType: string): Promise<string | undefined> {
    const incidentId = item.incidentId;
    const incident = incidentId ? await incidentPayload(db, deps.publicUrl, incidentId) : undefined;
    const alert = item.source === 'event' ? await alertPayload(db, item.alertId) : undefined;
    if (item.source === 'event' && !alert) return undefined;
    const actor =
      item.source === 'timeline' && item.actorId ? await db.selectFrom('persons').select(['id', 'name', 'email']).where('id', '=', item.actorId).executeTakeFirst() : undefined;
    return JSON.stringify({
      event_id: item.id,
      event_type: eventType,
      event_time: item.createdAt,
      ...(incident && { incident }),
      ...(alert && { alert }),
      ...(actor && { actor }),
      ...(item.source === 'timeline' && { change: { kind: item.kind, data: item.data } }),
    });
  }

  return {
    async create(ctx: RequestContext, input: WebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
      requireAdmin(ctx.actor);
      throwIfInvalid(normalizeWebhookInput(input, true));
      const now = clock.now();
      const secret = input.secret ?? `whsec_${randomToken(24)}`;
      const row: store.WebhookRow = {
        id: newId(now),
        name: input.name?.trim() || new URL(input.url ?? '').host,
        url: input.url ?? '',
        events_json: JSON.stringify([...new Set(input.events ?? [])]),
        channel_ids_json: input.channelIds ? JSON.stringify([...new Set(input.channelIds)]) : null,
        secret_sealed: seal(deps.secretKey, secret),
        enabled: input.enabled === false ? 0 : 1,
        created_by: ctx.actor.person.id,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await store.insertWebhook(trx, row);
        // The feed is read from here on: a new subscription is not sent history.
        if ((await store.readFeedMark(trx)) === undefined) await store.advanceFeedMark(trx, now);
        await recordAudit(trx, ctx, now, { action: 'webhook.create', targetType: 'webhook', targetId: row.id, after: { url: row.url, events: input.events, channel_ids: input.channelIds ?? null } });
      });
      presence = undefined;
      return { webhook: present(store.toWebhook(row)), secret };
    },

    async list(actor: Actor, page: PageRequest): Promise<{ data: WebhookView[]; next_cursor: string | null }> {
      requireAdmin(actor);
      const rows = await store.listWebhooks(db, page.limit, page.after?.[1]);
      const visible = rows.slice(0, page.limit);
      const last = visible[visible.length - 1];
      return {
        data: visible.map((r) => present(store.toWebhook(r))),
        next_cursor: rows.length > page.limit && last ? Buffer.from(JSON.stringify(['', last.id])).toString('base64url') : null,
      };
    },

    async get(actor: Actor, id: string): Promise<WebhookView> {
      requireAdmin(actor);
      return present(store.toWebhook(await load(id)));
    },

    async update(ctx: RequestContext, id: string, input: WebhookInput): Promise<WebhookView> {
      requireAdmin(ctx.actor);
      throwIfInvalid(normalizeWebhookInput(input, false));
      const now = clock.now();
      const before = await load(id);
      await store.updateWebhook(db, id, {
        ...(input.name !== undefined && { name: input.name.trim() || before.name }),
        ...(input.url !== undefined && { url: input.url }),
        ...(input.events !== undefined && { events_json: JSON.stringify([...new Set(input.events)]) }),
        ...(input.channelIds !== undefined && { channel_ids_json: input.channelIds === null ? null : JSON.stringify([...new Set(input.channelIds)]) }),
        ...(input.secret !== undefined && { secret_sealed: seal(deps.secretKey, input.secret) }),
        ...(input.enabled !== undefined && { enabled: input.enabled ? 1 : 0 }),
        updated_at: now,
      });
      const after = await load(id);
      await recordAudit(db, ctx, now, { action: 'webhook.update', targetType: 'webhook', targetId: id, before: present(store.toWebhook(before)), after: present(store.toWebhook(after)) });
      presence = undefined;
      return present(store.toWebhook(after));
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      requireAdmin(ctx.actor);
      const before = await load(id);
      await db.transaction().execute(async (trx) => {
        await store.deleteWebhook(trx, id);
        await recordAudit(trx, ctx, clock.now(), { action: 'webhook.delete', targetType: 'webhook', targetId: id, before: present(store.toWebhook(before)) });
      });
      presence = undefined;
    },

    async deliveries(actor: Actor, id: string, page: PageRequest) {
      requireAdmin(actor);
      await load(id);
      const rows = await store.listDeliveries(db, id, page.limit, page.after?.[1]);
      const visible = rows.slice(0, page.limit);
      const last = visible[visible.length - 1];
      return {
        data: visible.map(({ delivery, attempts }) => ({
          id: delivery.id,
          event_id: delivery.event_id,
          event_type: delivery.event_type,
          incident_id: delivery.incident_id,
          alert_id: delivery.alert_id,
          status: delivery.status,
          attempt_count: delivery.attempts,
          request_body: delivery.request_body,
          created_at: Number(delivery.created_at),
          finished_at: delivery.finished_at === null ? null : Number(delivery.finished_at),
          attempts: attempts.map((a) => ({
            attempt: a.attempt,
            request_headers: JSON.parse(a.request_headers_json) as Record<string, string>,
            response_status: a.response_status,
            response_body: a.response_body,
            error: a.error,
            duration_ms: a.duration_ms,
            created_at: Number(a.created_at),
          })),
        })),
        next_cursor: rows.length > page.limit && last ? Buffer.from(JSON.stringify(['', last.delivery.id])).toString('base64url') : null,
      };
    },

    /** Sends a signed `webhook.test` event now and returns what the receiver answered (not retried). */
    async sendTest(ctx: RequestContext, id: string): Promise<AttemptResult> {
      requireAdmin(ctx.actor);
      const webhook = await load(id);
      const now = clock.now();
      const eventId = newId(now);
      const delivery: store.DeliveryRow = {
        id: newId(now),
        webhook_id: id,
        event_id: eventId,
        event_type: TEST_EVENT,
        incident_id: null,
        alert_id: null,
        status: 'pending',
        attempts: MAX_ATTEMPTS - 1,
        request_body: JSON.stringify({ event_id: eventId, event_type: TEST_EVENT, event_time: now, message: `Test event from Tocsin, sent by ${ctx.actor.person.name}` }),
        created_at: now,
        finished_at: null,
      };
      await store.insertDelivery(db, delivery);
      const result = await attempt(delivery, webhook, now);
      // The one attempt of a test counts as the first in the history.
      await db.updateTable('webhook_attempts').set({ attempt: 1 }).where('delivery_id', '=', delivery.id).execute();
      await store.updateDelivery(db, delivery.id, { attempts: 1 });
      return result;
    },

    /** Something committed: queue a scan of the feed soon, if anyone subscribes (coalesced). */
    poke(): void {
      if (scanRequested) return;
      scanRequested = true;
      setTimeout(() => {
        void (async () => {
          scanRequested = false;
          if (!(await anyEnabled())) return;
          const now = clock.now();
          await enqueueJob(db, { kind: SCAN_JOB, key: `webhook-scan:${newId(now)}`, runAt: now }, now);
          deps.onQueued?.();
        })().catch((error: unknown) => deps.log.warn({ err: error }, 'webhooks: queueing a feed scan failed'));
      }, 25).unref();
    },

    /** Turns new feed rows into deliveries for matching subscriptions; returns how many were queued. */
    async scan(now: number): Promise<number> {
      if (now - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now;
        await store.pruneDeliveries(db, now - DELIVERY_RETENTION_MS);
      }
      const webhooks = (await store.enabledWebhooks(db)).map(store.toWebhook);
      const mark = (await store.readFeedMark(db)) ?? now;
      if (webhooks.length === 0) return 0;
      const cursor = new FeedCursor(Math.max(mark, now - MAX_REPLAY_MS));
      const items = await cursor.next(db);
      let queued = 0;
      for (const item of items) {
        const eventType = eventTypeOf(item);
        if (!eventType) continue;
        const targets = webhooks.filter((w) => wants(w, eventType, item.channelId) && item.createdAt >= w.createdAt);
        if (targets.length === 0) continue;
        const existing = await db.selectFrom('webhook_deliveries').select('webhook_id').where('webhook_id', 'in', targets.map((w) => w.id)).where('event_id', '=', item.id).execute();
        const fresh = targets.filter((w) => !existing.some((e) => e.webhook_id === w.id));
        if (fresh.length === 0) continue;
        const body = await buildBody(item, eventType);
        if (!body) continue;
        for (const webhook of fresh) {
          const id = newId(now);
          await db.transaction().execute(async (trx) => {
            const inserted = await store.insertDelivery(trx, {
              id,
              webhook_id: webhook.id,
              event_id: item.id,
              event_type: eventType,
              incident_id: item.incidentId,
              alert_id: item.source === 'event' ? item.alertId : null,
              status: 'pending',
              attempts: 0,
              request_body: body,
              created_at: now,
              finished_at: null,
            });
            if (inserted) {
              await enqueueJob(trx, { kind: DELIVER_JOB, key: `webhook-delivery:${id}`, runAt: now, payload: { deliveryId: id } }, now);
              queued += 1;
            }
          });
        }
      }
      await store.advanceFeedMark(db, cursor.mark);
      return queued;
    },

    /** One delivery attempt; when to try again, or undefined when the delivery is settled. */
    async deliver(deliveryId: string, now: number): Promise<number | undefined> {
      const delivery = await store.findDelivery(db, deliveryId);
      if (!delivery || delivery.status === 'delivered' || delivery.status === 'failed') return undefined;
      const webhook = await store.findWebhook(db, delivery.webhook_id);
      if (!webhook || Number(webhook.enabled) !== 1) {
        await store.updateDelivery(db, delivery.id, { status: 'failed', finished_at: now });
        return undefined;
      }
      const result = await attempt(delivery, webhook, now);
      return result.status === 'retrying' ? now + backoffMs(delivery.attempts + 1, Math.random()) : undefined;
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
