import { newId, randomToken } from '../core/ids.js';
import { hashSecret } from '../core/secrets.js';
import type { Executor } from '../db/types.js';

export type LinkAction = 'ack' | 'resolve';

export const LINK_TTL_MS = 24 * 3_600_000;

/** A single-purpose, expiring link that acknowledges or resolves one incident without signing in. */
export async function createActionLink(db: Executor, publicUrl: string, input: { incidentId: string; action: LinkAction; personId: string | null }, now: number): Promise<string> {
  const token = randomToken(24);
  await db
    .insertInto('action_tokens')
    .values({ id: newId(now), token_hash: hashSecret(token), incident_id: input.incidentId, action: input.action, person_id: input.personId, expires_at: now + LINK_TTL_MS, used_at: null, created_at: now })
    .execute();
  return `${publicUrl}/a/${token}`;
}

export type LinkCheck =
  | { readonly kind: 'valid'; readonly id: string; readonly incidentId: string; readonly action: LinkAction; readonly personId: string | null }
  | { readonly kind: 'invalid' | 'expired' | 'used' };

/** Looks a presented token up by its hash (the secret itself is never stored). */
export async function checkActionLink(db: Executor, token: string, now: number): Promise<LinkCheck> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return { kind: 'invalid' };
  const row = await db.selectFrom('action_tokens').selectAll().where('token_hash', '=', hashSecret(token)).executeTakeFirst();
  if (!row) return { kind: 'invalid' };
  if (row.used_at !== null) return { kind: 'used' };
  if (row.expires_at <= now) return { kind: 'expired' };
  return { kind: 'valid', id: row.id, incidentId: row.incident_id, action: row.action as LinkAction, personId: row.person_id };
}

/** Marks a link used; false when another request used it first. */
export async function consumeActionLink(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('action_tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
