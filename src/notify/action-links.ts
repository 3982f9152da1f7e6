import { newId, randomToken } from '../core/ids.js';
import { hashSecret } from '../core/secrets.js';
import type { InsertBatcher } from '../db/insert-batcher.js';
import { insertRows } from '../db/precompiled.js';
import type { Executor } from '../db/types.js';

export type LinkAction = 'ack' | 'resolve';

export const LINK_TTL_MS = 24 * 3_600_000;

/** A single-purpose, expiring link that acknowledges or resolves one incident without signing in. */
export async function createActionLink(db: Executor, publicUrl: string, input: { incidentId: string; action: LinkAction; personId: string | null }, now: number): Promise<string> {
  const [url] = await createActionLinks(db, publicUrl, { incidentId: input.incidentId, actions: [input.action], personId: input.personId }, now);
  return url ?? '';
}

/**
 * One link per action, written with one statement (every page carries two: acknowledge and resolve),
 * or through `batcher` together with other pages' links of the same turn (delivery).
 */
export async function createActionLinks(
  db: Executor,
  publicUrl: string,
  input: { incidentId: string; actions: readonly LinkAction[]; personId: string | null },
  now: number,
  batcher?: InsertBatcher,
): Promise<string[]> {
  const tokens = input.actions.map(() => randomToken(24));
  const rows = input.actions.map((action, i) => ({ id: newId(now), token_hash: hashSecret(tokens[i] ?? ''), incident_id: input.incidentId, action, person_id: input.personId, expires_at: now + LINK_TTL_MS, used_at: null, created_at: now }));
  if (batcher) await batcher.insert('action_tokens', rows);
  else await insertRows(db, 'action_tokens', rows);
  return tokens.map((token) => `${publicUrl}/a/${token}`);
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

/**
 * Whether the person a link was sent to may still act on its incident (issue 10 item 19): active,
 * and able to see the incident's channel (public, one of its teams, or an admin). Links sent to a
 * group chat (no person) carry only the link's own authority.
 */
export async function linkHolderMayAct(db: Executor, personId: string | null, incidentId: string): Promise<boolean> {
  const incident = await db
    .selectFrom('incidents')
    .innerJoin('channels', 'channels.id', 'incidents.channel_id')
    .select(['channels.id as channel_id', 'channels.private', 'channels.team_id'])
    .where('incidents.id', '=', incidentId)
    .executeTakeFirst();
  if (!incident) return false;
  if (personId === null) return true;
  const person = await db.selectFrom('persons').select(['status', 'role']).where('id', '=', personId).executeTakeFirst();
  if (!person || person.status !== 'active') return false;
  if (Number(incident.private) !== 1 || person.role === 'admin') return true;
  const managing = await db.selectFrom('channel_managing_teams').select('team_id').where('channel_id', '=', incident.channel_id).execute();
  const teams = [incident.team_id, ...managing.map((m) => m.team_id)];
  const member = await db.selectFrom('team_members').select('team_id').where('person_id', '=', personId).where('team_id', 'in', teams).executeTakeFirst();
  return member !== undefined;
}
