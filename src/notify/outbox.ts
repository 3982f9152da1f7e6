import type { Selectable } from 'kysely';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import type { MessagesTable } from '../db/schema.js';
import { enqueueJob } from '../db/jobs.js';

export type MessageRow = Selectable<MessagesTable>;

/** The engine module that sends outbox rows (engine/modules/deliver.ts). */
export const DELIVER_JOB = 'deliver';

export interface NewMessage {
  readonly key: string;
  readonly incidentId: string | null;
  readonly personId: string | null;
  readonly providerId: string;
  readonly method: string;
  readonly kind: string;
  readonly recipient: object;
  readonly payload: object;
}

/**
 * Writes a notification to the outbox with its delivery job, in the caller's transaction (the one
 * that made the state change). The unique key makes a second write of the same page a no-op.
 */
export async function queueMessage(trx: Executor, message: NewMessage, now: number): Promise<string | undefined> {
  const id = newId(now);
  const inserted = await trx
    .insertInto('messages')
    .values({
      id,
      key: message.key,
      incident_id: message.incidentId,
      person_id: message.personId,
      provider_id: message.providerId,
      method: message.method,
      kind: message.kind,
      recipient_json: JSON.stringify(message.recipient),
      payload_json: JSON.stringify(message.payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
  await enqueueJob(trx, { kind: DELIVER_JOB, key: `deliver:${id}`, runAt: now, payload: { messageId: id } }, now);
  return id;
}

/** The message a vendor's status callback refers to. */
export async function findByProviderMessageId(db: Executor, providerId: string, providerMessageId: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('provider_id', '=', providerId).where('provider_message_id', '=', providerMessageId).executeTakeFirst();
}

/** The incident this person was last notified about by `method` (a bare SMS reply "1" acts on it). */
export async function lastIncidentNotified(db: Executor, personId: string, method: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('incident_id')
    .where('person_id', '=', personId)
    .where('method', '=', method)
    .where('status', '=', 'sent')
    .where('incident_id', 'is not', null)
    .orderBy('sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.incident_id ?? undefined;
}

export async function findMessage(db: Executor, id: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateMessage(db: Executor, id: string, changes: Partial<Pick<MessageRow, 'status' | 'attempts' | 'last_error' | 'sent_at' | 'next_attempt_at' | 'locked_until' | 'provider_message_id'>>): Promise<void> {
  await db.updateTable('messages').set(changes).where('id', '=', id).execute();
}

/** The delivery log: newest first, optionally for one incident or person. */
export async function listMessages(db: Executor, filter: { incidentId?: string; personId?: string }, limit: number): Promise<MessageRow[]> {
  let query = db.selectFrom('messages').selectAll();
  if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.personId) query = query.where('person_id', '=', filter.personId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** One page of an incident's delivery log, newest first, keyset on id (`limit + 1` rows: the extra says more exist). */
export async function messagesPage(db: Executor, incidentId: string, limit: number, beforeId: string | undefined): Promise<MessageRow[]> {
  let query = db.selectFrom('messages').selectAll().where('incident_id', '=', incidentId);
  if (beforeId) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit + 1).execute();
}
