/**
 * Links between people and their chats on IM providers that cannot find people by email (Telegram):
 * the one-time deep-link tokens a person gets in the personal center, and the chats those tokens
 * linked (issue 12 item 3). Tokens are stored hashed and expire after 15 minutes.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret } from '../core/secrets.js';
import type { Executor } from '../db/types.js';

export const LINK_TOKEN_TTL_MS = 15 * 60_000;

export interface ImLink {
  readonly providerId: string;
  readonly personId: string;
  readonly externalId: string;
  readonly displayName: string | null;
  readonly createdAt: number;
}

/**
 * A new one-time token for `personId` on a provider configuration; earlier unused tokens of the same
 * person and provider stop working. URL-safe and at most 64 characters (Telegram's `start` limit).
 */
export async function createLinkToken(db: Executor, providerId: string, personId: string, now: number): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(24).toString('base64url');
  await db.deleteFrom('im_link_tokens').where('provider_id', '=', providerId).where('person_id', '=', personId).execute();
  await db.insertInto('im_link_tokens').values({ token_hash: hashSecret(token), provider_id: providerId, person_id: personId, expires_at: now + LINK_TOKEN_TTL_MS, created_at: now }).execute();
  return { token, expiresAt: now + LINK_TOKEN_TTL_MS };
}

/** Uses a token once: the person it was made for, or undefined when unknown, expired or for another provider. */
export async function consumeLinkToken(db: Executor, providerId: string, token: string, now: number): Promise<string | undefined> {
  const hash = hashSecret(token);
  const row = await db.selectFrom('im_link_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  if (!row || row.provider_id !== providerId) return undefined;
  await db.deleteFrom('im_link_tokens').where('token_hash', '=', hash).execute();
  return Number(row.expires_at) > now ? row.person_id : undefined;
}

/** Links `externalId` to the person on the provider, replacing the person's earlier chat and any other person's claim to that chat. */
export async function saveLink(db: Executor, link: ImLink): Promise<void> {
  await db.deleteFrom('im_links').where('provider_id', '=', link.providerId).where((eb) => eb.or([eb('person_id', '=', link.personId), eb('external_id', '=', link.externalId)])).execute();
  await db
    .insertInto('im_links')
    .values({ provider_id: link.providerId, person_id: link.personId, external_id: link.externalId, display_name: link.displayName, created_at: link.createdAt })
    .execute();
}

export async function deleteLink(db: Executor, providerId: string, personId: string): Promise<boolean> {
  const result = await db.deleteFrom('im_links').where('provider_id', '=', providerId).where('person_id', '=', personId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toLink(row: { provider_id: string; person_id: string; external_id: string; display_name: string | null; created_at: number }): ImLink {
  return { providerId: row.provider_id, personId: row.person_id, externalId: row.external_id, displayName: row.display_name, createdAt: Number(row.created_at) };
}

/** Every link of the given people. */
export async function linksOf(db: Executor, personIds: readonly string[]): Promise<ImLink[]> {
  if (personIds.length === 0) return [];
  return (await db.selectFrom('im_links').selectAll().where('person_id', 'in', [...personIds]).execute()).map(toLink);
}

/** The person whose chat `externalId` is on a provider. */
export async function personOfChat(db: Executor, providerId: string, externalId: string): Promise<string | undefined> {
  const row = await db.selectFrom('im_links').select('person_id').where('provider_id', '=', providerId).where('external_id', '=', externalId).executeTakeFirst();
  return row?.person_id;
}
