import { sql, type Insertable, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { deferInsert } from '../db/deferred.js';
import { newId } from '../core/ids.js';
import { cachedRows, insertRow } from '../db/precompiled.js';
import type { Executor } from '../db/types.js';
import type { DialectName } from '../db/connect.js';
import type { MessagesTable } from '../db/schema.js';

export type MessageRow = Selectable<MessagesTable>;

/**
 * Jobs of this kind were how outbox rows used to be sent (one job per row). The outbox is now claimed
 * directly (engine/modules/deliver.ts); such jobs, from an older version or any writer that still
 * queues them, only wake delivery.
 */
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
  /** Not to be sent before this time (UTC ms); default now. */
  readonly notBefore?: number;
}

function outboxRow(message: NewMessage, now: number): Insertable<MessagesTable> {
  return {
    id: newId(now),
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
    next_attempt_at: message.notBefore ?? now,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    sent_at: null,
  };
}

/**
 * Writes a notification to the outbox, in the caller's transaction (the one that made the state
 * change); the delivery loop claims it from there once committed (wake the engine after commit). The
 * unique key makes a second write of the same page a no-op. Returns the new row's id, or undefined
 * when the key was taken.
 */
export async function queueMessage(trx: Executor, message: NewMessage, now: number): Promise<string | undefined> {
  const row = outboxRow(message, now);
  const inserted = await insertRow(trx, 'messages', row, 'key');
  return inserted === 0 ? undefined : row.id;
}

/**
 * Like `queueMessage` for callers that do not need to know whether the key was new: in a transaction
 * that collects deferred inserts (group commit), the batch's pages go out as multi-row statements
 * just before its commit — one statement for a storm's worth of pages instead of one each.
 */
export async function queueMessageDeferred(trx: Executor, message: NewMessage, now: number): Promise<void> {
  await deferInsert(trx, 'messages', outboxRow(message, now), 'key');
}

/**
 * Claims up to `limit` due outbox rows for `worker`: each moves pending → sending under a lease
 * before any vendor call. Fair (DESIGN §4): rows are taken round-robin across channels — the first
 * due row of every channel, then the second… — and by severity within a round, so a storm of
 * thousands in one channel never queues a page of another channel behind it. On PostgreSQL the rows
 * are locked with SKIP LOCKED and the update re-checks their state, so nodes claim side by side and a
 * row is never claimed twice; SQLite's single writer makes the one statement exclusive.
 */
export async function claimDueMessages(db: Executor, dialect: DialectName, worker: string, now: number, leaseMs: number, limit: number): Promise<MessageRow[]> {
  const candidates = (query: Executor) =>
    query
      .selectFrom('messages as m')
      .leftJoin('incidents as i', 'i.id', 'm.incident_id')
      .select('m.id')
      .where((eb) =>
        eb.or([
          eb.and([eb('m.status', '=', 'pending'), eb('m.next_attempt_at', '<=', now)]),
          eb.and([eb('m.status', '=', 'sending'), eb('m.locked_until', '<', now)]),
        ]),
      )
      .orderBy(sql`row_number() over (partition by coalesce(i.channel_id, m.id) order by m.next_attempt_at, m.id)`)
      .orderBy(sql`case i.severity when 'Critical' then 0 when 'Warning' then 1 when 'Info' then 2 else 0 end`)
      .orderBy('m.next_attempt_at')
      .limit(limit);
  const leaseQuery = (query: Executor, ids: ReturnType<typeof candidates> | SelectQueryBuilder<Database, 'messages', { id: string }>) =>
    query
      .updateTable('messages')
      .set({ status: 'sending', locked_by: worker, locked_until: now + leaseMs })
      .where('id', 'in', ids as never)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', now)]),
        ]),
      )
      .returningAll();
  // Precompiled (it runs on every wake-up of delivery); the values in the order Kysely binds them.
  const due = ['pending', now, 'sending', now];
  const parameters = ['sending', worker, now + leaseMs, ...due, limit, ...due];
  if (dialect === 'sqlite') return cachedRows<MessageRow>(db, 'messages:claim', parameters, () => leaseQuery(db, candidates(db)));
  // FOR UPDATE cannot go with a window function in one query level: the fair choice is a subquery,
  // and the rows of it still free are locked (SKIP LOCKED: never waiting on another node) and leased
  // in the same statement — one round trip, no explicit transaction.
  return cachedRows<MessageRow>(db, 'messages:claim-pg', parameters, () => leaseQuery(db, db.selectFrom('messages').select('id').where('id', 'in', candidates(db)).forUpdate().skipLocked()));
}

/**
 * Claims, for one bundle, the other due escalation pages of a person by one method (SPEC §8.1
 * throttling: what arrives within the window goes out as one message).
 */
export async function claimBundle(db: Executor, worker: string, personId: string, method: string, kinds: readonly string[], now: number, leaseMs: number, limit: number): Promise<MessageRow[]> {
  const ids = db
    .selectFrom('messages')
    .select('id')
    .where('person_id', '=', personId)
    .where('method', '=', method)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where('kind', 'in', [...kinds])
    .orderBy('id')
    .limit(limit);
  return db
    .updateTable('messages')
    .set({ status: 'sending', locked_by: worker, locked_until: now + leaseMs })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
}

/** Extends this worker's leases; returns the ids it still holds (the others were taken over). */
export async function renewMessageLeases(db: Executor, ids: readonly string[], worker: string, until: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.updateTable('messages').set({ locked_until: until }).where('id', 'in', [...ids]).where('locked_by', '=', worker).where('status', '=', 'sending').returning('id').execute();
  return rows.map((r) => r.id);
}

/** What happened to a claimed row, to be written back by its lease holder. */
export type MessageChange = Partial<Pick<MessageRow, 'status' | 'attempts' | 'last_error' | 'sent_at' | 'next_attempt_at' | 'provider_message_id' | 'wait_reason'>>;

/**
 * Writes a claimed row's outcome and ends the claim; only the lease holder may (a row whose lease
 * expired and was taken over is not touched). Returns false when the claim was no longer held.
 */
export async function settleMessage(db: Executor, id: string, worker: string, changes: MessageChange): Promise<boolean> {
  // A waiting reason holds only until the row's next outcome.
  const set = { wait_reason: null, ...changes, locked_by: null, locked_until: null };
  // Precompiled per set of changed columns (one per outcome kind): every delivered page runs it.
  const rows = await cachedRows(db, `messages:settle:${Object.keys(set).join(',')}`, [...Object.values(set), id, worker, 'sending'], () =>
    db.updateTable('messages').set(set).where('id', '=', id).where('locked_by', '=', worker).where('status', '=', 'sending').returning('id'),
  );
  return rows.length > 0;
}

/** Rows settled per statement by `settleSentMessages`. */
const SETTLE_CHUNK = 200;

/**
 * Marks claimed rows sent in one statement per chunk (the common outcome: a page delivered, with no
 * vendor message id to keep): the same change `settleMessage` makes, only for many rows at once, and
 * likewise only for rows this worker still holds. Returns the ids it settled.
 */
export async function settleSentMessages(db: Executor, ids: readonly string[], worker: string, now: number): Promise<Set<string>> {
  const settled = new Set<string>();
  for (let i = 0; i < ids.length; i += SETTLE_CHUNK) {
    const chunk = ids.slice(i, i + SETTLE_CHUNK);
    const rows = await db
      .updateTable('messages')
      .set((eb) => ({ status: 'sent', attempts: eb('attempts', '+', 1), sent_at: now, last_error: null, provider_message_id: null, wait_reason: null, locked_by: null, locked_until: null }))
      .where('id', 'in', chunk)
      .where('locked_by', '=', worker)
      .where('status', '=', 'sending')
      .returning('id')
      .execute();
    for (const row of rows) settled.add(row.id);
  }
  return settled;
}

/** The earliest time an outbox row becomes claimable (due, or its lease runs out). */
export async function nextMessageDueAt(db: Executor): Promise<number | undefined> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => [
      eb.fn.min<number>(eb.case().when('status', '=', 'pending').then(eb.ref('next_attempt_at')).end()).as('due'),
      eb.fn.min<number>(eb.case().when('status', '=', 'sending').then(eb.ref('locked_until')).end()).as('expires'),
    ])
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  const times = [row?.due, row?.expires].filter((t): t is number => t !== null && t !== undefined).map(Number);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** When this person last got an escalation page by this method within the window, if at all. */
export async function lastPageSentSince(db: Executor, personId: string, method: string, kinds: readonly string[], since: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max<number>('sent_at').as('last'))
    .where('person_id', '=', personId)
    .where('method', '=', method)
    .where('status', '=', 'sent')
    .where('kind', 'in', [...kinds])
    .where('sent_at', '>', since)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? undefined : Number(row.last);
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
