import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhooksTable } from '../db/schema.js';
import type { Webhook } from './model.js';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

const FEED_MARK = 'webhook_feed_mark';

export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: JSON.parse(row.events_json) as string[],
    channelIds: row.channel_ids_json === null ? undefined : (JSON.parse(row.channel_ids_json) as string[]),
    enabled: Number(row.enabled) === 1,
    createdAt: Number(row.created_at),
  };
}

export async function insertWebhook(db: Executor, row: WebhookRow): Promise<void> {
  await db.insertInto('webhooks').values(row).execute();
}

export async function findWebhook(db: Executor, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listWebhooks(db: Executor, limit: number, afterId: string | undefined): Promise<WebhookRow[]> {
  let query = db.selectFrom('webhooks').selectAll().orderBy('id').limit(limit + 1);
  if (afterId) query = query.where('id', '>', afterId);
  return query.execute();
}

export async function enabledWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('enabled', '=', 1).execute();
}

export async function updateWebhook(db: Executor, id: string, changes: Partial<Omit<WebhookRow, 'id' | 'created_at' | 'created_by'>>): Promise<void> {
  await db.updateTable('webhooks').set(changes).where('id', '=', id).execute();
}

export async function deleteWebhook(db: Executor, id: string): Promise<void> {
  const deliveries = db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

/** Inserts a delivery unless this subscription already has one for the event; true when inserted. */
export async function insertDelivery(db: Executor, row: DeliveryRow): Promise<boolean> {
  const result = await db
    .insertInto('webhook_deliveries')
    .values(row)
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findDelivery(db: Executor, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDelivery(db: Executor, id: string, changes: Partial<Pick<DeliveryRow, 'status' | 'attempts' | 'finished_at'>>): Promise<void> {
  await db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).execute();
}

export async function insertAttempt(db: Executor, row: AttemptRow): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

/** A subscription's deliveries, newest first, with their attempts. */
export async function listDeliveries(db: Executor, webhookId: string, limit: number, beforeId: string | undefined): Promise<{ delivery: DeliveryRow; attempts: AttemptRow[] }[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(limit + 1);
  if (beforeId) query = query.where('id', '<', beforeId);
  const deliveries = await query.execute();
  if (deliveries.length === 0) return [];
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      deliveries.map((d) => d.id),
    )
    .orderBy('attempt')
    .execute();
  return deliveries.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.delivery_id === delivery.id) }));
}

/** Deletes deliveries (and their attempts) created before `before` (7-day history). */
export async function pruneDeliveries(db: Executor, before: number): Promise<number> {
  const old = db.selectFrom('webhook_deliveries').select('id').where('created_at', '<', before);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', old).execute();
  const result = await db.deleteFrom('webhook_deliveries').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The persisted feed watermark of the webhook scanner (ms), if any. */
export async function readFeedMark(db: Executor): Promise<number | undefined> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', FEED_MARK).executeTakeFirst();
  return row ? Number(row.value) : undefined;
}

/** Moves the watermark forward (never back, whichever node scanned last). */
export async function advanceFeedMark(db: Executor, mark: number): Promise<void> {
  const updated = await db.updateTable('counters').set({ value: mark }).where('name', '=', FEED_MARK).where('value', '<', mark).executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await db
    .insertInto('counters')
    .values({ name: FEED_MARK, value: mark })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}
