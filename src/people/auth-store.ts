import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { ApiKeysTable, SessionsTable, VerificationCodesTable } from '../db/schema.js';

export type SessionRow = Selectable<SessionsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type VerificationCodeRow = Selectable<VerificationCodesTable>;

export async function insertSession(db: Executor, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(db: Executor, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Signs a person out everywhere except, optionally, one session. */
export async function deleteSessionsOf(db: Executor, personId: string, except?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('person_id', '=', personId);
  if (except) query = query.where('id', '!=', except);
  await query.execute();
}

export async function insertApiKey(db: Executor, row: Insertable<ApiKeysTable>): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function findApiKeyByPrefix(db: Executor, prefix: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function listApiKeys(db: Executor, personId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('person_id', '=', personId).where('revoked_at', 'is', null).orderBy('id').execute();
}

export async function revokeApiKey(db: Executor, personId: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markApiKeyUsed(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function insertVerificationCode(db: Executor, row: VerificationCodeRow): Promise<void> {
  // A new code replaces any earlier one of the same kind.
  await db.deleteFrom('verification_codes').where('person_id', '=', row.person_id).where('kind', '=', row.kind).execute();
  await db.insertInto('verification_codes').values(row).execute();
}

export async function findVerificationCode(db: Executor, personId: string, kind: string): Promise<VerificationCodeRow | undefined> {
  return db
    .selectFrom('verification_codes')
    .selectAll()
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
}

export async function updateVerificationCode(db: Executor, id: string, changes: { attempts?: number; consumed_at?: number }): Promise<void> {
  await db.updateTable('verification_codes').set(changes).where('id', '=', id).execute();
}

/** Records one sent code and forgets this person's sends older than `since`. */
export async function recordVerificationSend(db: Executor, row: { id: string; person_id: string; kind: string; created_at: number }, since: number): Promise<void> {
  await db.deleteFrom('verification_sends').where('person_id', '=', row.person_id).where('created_at', '<=', since).execute();
  await db.insertInto('verification_sends').values(row).execute();
}

/** Codes sent to a person (any kind) after `since`. */
export async function countVerificationSends(db: Executor, personId: string, since: number): Promise<number> {
  const row = await db.selectFrom('verification_sends').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).where('person_id', '=', personId).where('created_at', '>', since).executeTakeFirst();
  return Number(row?.n ?? 0);
}
