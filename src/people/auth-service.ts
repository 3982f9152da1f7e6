import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { AppError, conflict, forbidden, invalid, notFound, throwIfInvalid, unauthorized } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import { constantTimeEqual, hashSecret } from '../core/secrets.js';
import { checkLength, collect } from '../core/validate.js';
import type { Executor } from '../db/types.js';
import { type Actor, normalizeEmail, normalizePersonInput, type Person } from './model.js';
import { decoyVerify, hashPassword, verifyPassword } from './passwords.js';
import { LoginLimiter } from './login-limiter.js';
import * as people from './store.js';
import * as auth from './auth-store.js';
import { teamIdsOf } from './teams-store.js';
import { recordAudit, type RequestContext } from './audit.js';

export const MAX_API_KEYS = 5;
const API_KEY_PREFIX = 'tcn_';

export interface AuthDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly log: Log;
  readonly sessionTtlMs: number;
  readonly limiter?: LoginLimiter;
}

/** A new console session: the cookie value and the CSRF token the console must echo. */
export interface IssuedSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly person: Person;
}

/** `full`: the owner's rights; `read`: GET only, whatever the owner may do. */
export const API_KEY_SCOPES = ['full', 'read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly scope: ApiKeyScope;
  readonly expires_at: number | null;
  readonly created_at: number;
  readonly last_used_at: number | null;
}

/** The caller an API key stands for, and what the key itself allows. */
export interface ApiKeyCaller {
  readonly id: string;
  readonly actor: Actor;
  readonly readOnly: boolean;
}

function scopeOf(value: string): ApiKeyScope {
  return value === 'read' ? 'read' : 'full';
}

function keyView(r: auth.ApiKeyRow): ApiKeyView {
  return { id: r.id, name: r.name, prefix: r.prefix, scope: scopeOf(r.scope), expires_at: r.expires_at, created_at: r.created_at, last_used_at: r.last_used_at };
}

/** Sign-in, sessions, API keys and first-run setup. */
export function createAuthService(deps: AuthDeps) {
  const { db, clock, log } = deps;
  const limiter = deps.limiter ?? new LoginLimiter();

  async function actorFor(person: Person, via: Actor['via']): Promise<Actor> {
    return { person, via, teamIds: new Set(await teamIdsOf(db, person.id)) };
  }

  async function issueSession(person: Person, client: { userAgent: string; ip: string }): Promise<IssuedSession> {
    const now = clock.now();
    const id = newId(now);
    const secret = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = now + deps.sessionTtlMs;
    await auth.insertSession(db, {
      id,
      person_id: person.id,
      secret_hash: hashSecret(secret),
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      last_seen_at: now,
      user_agent: client.userAgent.slice(0, 512),
      ip: client.ip.slice(0, 64),
    });
    return { token: `${id}.${secret}`, csrfToken, issuedAt: now, expiresAt, person };
  }

  return {
    /** True until the first admin exists. */
    async needsSetup(): Promise<boolean> {
      return (await people.countAdmins(db)) === 0;
    },

    /** Creates the first admin and signs them in; refused once any admin exists. */
    async setup(input: { email: string; name: string; password: string; locale?: string | undefined }, client: { userAgent: string; ip: string }): Promise<IssuedSession> {
      const { value, errors } = normalizePersonInput({ email: input.email, name: input.name, password: input.password, locale: input.locale });
      throwIfInvalid(errors);
      const now = clock.now();
      const passwordHash = await hashPassword(input.password);
      const person = await db.transaction().execute(async (trx) => {
        if ((await people.countAdmins(trx)) > 0) throw new AppError('Conflict', 'setup: an administrator already exists; sign in instead');
        if (await people.findCredentials(trx, value.email ?? '')) throw conflict('email', 'a person with this email already exists');
        const created = await people.insertPerson(trx, {
          id: newId(now),
          email: value.email ?? '',
          name: value.name ?? '',
          role: 'admin',
          status: 'active',
          password_hash: passwordHash,
          phone: null,
          email_verified_at: null,
          phone_verified_at: null,
          time_zone: 'UTC',
          locale: value.locale ?? 'en',
          created_at: now,
          updated_at: now,
        });
        await recordAudit(trx, null, now, { action: 'person.setup_admin', targetType: 'person', targetId: created.id, after: { email: created.email, role: 'admin' } });
        return created;
      });
      log.info({ personId: person.id }, 'first administrator created');
      return issueSession(person, client);
    },

    /** Email + password sign-in, limited per account, per account and address, and per address (login-limiter.ts). */
    async login(input: { email: string; password: string }, client: { userAgent: string; ip: string }): Promise<IssuedSession> {
      const email = normalizeEmail(input.email);
      const now = clock.now();
      // Counted before the (slow) password check, so concurrent guesses cannot all slip through.
      const reserved = limiter.reserve(email, client.ip, now);
      if ('retryAfterSeconds' in reserved) {
        const wait = reserved.retryAfterSeconds;
        throw new AppError('RequestTooFrequently', `too many sign-in attempts; try again in ${wait} s`, undefined, wait);
      }
      const found = await people.findCredentials(db, email);
      const ok = found?.passwordHash ? await verifyPassword(found.passwordHash, input.password) : await decoyVerify(input.password);
      if (!found || !ok || found.person.status !== 'active') {
        log.warn({ email, ip: client.ip }, 'failed sign-in');
        throw unauthorized('wrong email or password');
      }
      limiter.succeeded(reserved.reservation);
      return issueSession(found.person, client);
    },

    async logout(token: string): Promise<void> {
      const [id] = token.split('.');
      if (id) await auth.deleteSession(db, id);
    },

    /** Resolves a session cookie to its actor and CSRF token, or undefined when invalid or expired. */
    async authenticateSession(token: string): Promise<{ actor: Actor; csrfToken: string; sessionId: string } | undefined> {
      const [id, secret] = token.split('.');
      if (!id || !secret || id.length > 36) return undefined;
      const session = await auth.findSession(db, id);
      if (!session || !constantTimeEqual(session.secret_hash, hashSecret(secret))) return undefined;
      const now = clock.now();
      if (session.expires_at <= now) {
        await auth.deleteSession(db, id);
        return undefined;
      }
      const person = await people.findPersonById(db, session.person_id);
      if (!person || person.status !== 'active') return undefined;
      // Writing on every request would turn reads into writes; a minute's precision is plenty.
      if (now - session.last_seen_at > 60_000) await auth.touchSession(db, id, now);
      return { actor: await actorFor(person, 'session'), csrfToken: session.csrf_token, sessionId: id };
    },

    /** Resolves `Authorization: Bearer tcn_...` to its owner; expired and revoked keys resolve to nothing. */
    async authenticateApiKey(key: string): Promise<ApiKeyCaller | undefined> {
      const match = /^tcn_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{20,})$/.exec(key);
      if (!match?.[1] || !match[2]) return undefined;
      const row = await auth.findApiKeyByPrefix(db, `${API_KEY_PREFIX}${match[1]}`);
      if (!row || !constantTimeEqual(row.secret_hash, hashSecret(match[2]))) return undefined;
      const now = clock.now();
      if (row.expires_at !== null && Number(row.expires_at) <= now) return undefined;
      const person = await people.findPersonById(db, row.person_id);
      if (!person || person.status !== 'active') return undefined;
      if (row.last_used_at === null || now - row.last_used_at > 60_000) await auth.markApiKeyUsed(db, row.id, now);
      return { id: row.id, actor: await actorFor(person, 'api_key'), readOnly: scopeOf(row.scope) === 'read' };
    },

    /**
     * Creates an API key for a person; the full key is returned once and only its hash is kept. A key
     * never mints keys (a leaked key must not be able to outlive its own revocation); `ctx` null is the CLI.
     */
    async createApiKey(
      ctx: RequestContext | null,
      personId: string,
      name: string,
      options: { scope?: ApiKeyScope | undefined; expiresAt?: number | null | undefined } = {},
    ): Promise<ApiKeyView & { key: string }> {
      if (ctx?.actor.via === 'api_key') throw forbidden('API keys cannot create API keys; sign in to the console to create one');
      const trimmed = name.trim();
      throwIfInvalid(collect(checkLength('name', trimmed, 1, 100)));
      const now = clock.now();
      const scope = options.scope ?? 'full';
      const expiresAt = options.expiresAt ?? null;
      if (expiresAt !== null && expiresAt <= now) throw invalid('expires_at', 'must be in the future');
      return db.transaction().execute(async (trx) => {
        const existing = await auth.listApiKeys(trx, personId);
        if (existing.length >= MAX_API_KEYS) throw new AppError('Conflict', `name: a person may hold at most ${MAX_API_KEYS} API keys; revoke one first`, 'name');
        const prefix = `${API_KEY_PREFIX}${randomToken(9)}`;
        const secret = randomToken(32);
        const row = { id: newId(now), person_id: personId, name: trimmed, prefix, secret_hash: hashSecret(secret), created_at: now, last_used_at: null, revoked_at: null, expires_at: expiresAt, scope };
        await auth.insertApiKey(trx, row);
        await recordAudit(trx, ctx, now, { action: 'api_key.create', targetType: 'person', targetId: personId, after: { id: row.id, name: trimmed, prefix, scope, expires_at: expiresAt } });
        return { id: row.id, name: trimmed, prefix, scope, expires_at: expiresAt, created_at: now, last_used_at: null, key: `${prefix}_${secret}` };
      });
    },

    async listApiKeys(personId: string): Promise<ApiKeyView[]> {
      const rows = await auth.listApiKeys(db, personId);
      return rows.map(keyView);
    },

    async revokeApiKey(ctx: RequestContext, keyId: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const revoked = await auth.revokeApiKey(trx, ctx.actor.person.id, keyId, now);
        if (!revoked) throw notFound('API key');
        await recordAudit(trx, ctx, now, { action: 'api_key.revoke', targetType: 'person', targetId: ctx.actor.person.id, before: { id: keyId } });
      });
    },

    /** Changes one's own password and ends every other session. */
    async changePassword(ctx: RequestContext, sessionId: string | undefined, current: string, next: string): Promise<void> {
      const { errors } = normalizePersonInput({ password: next });
      throwIfInvalid(errors.map((e) => ({ ...e, field: 'new_password' })));
      const hash = await people.findPasswordHash(db, ctx.actor.person.id);
      if (!hash || !(await verifyPassword(hash, current))) throw new AppError('InvalidParameter', 'current_password: is not your current password', 'current_password');
      const now = clock.now();
      const nextHash = await hashPassword(next);
      await db.transaction().execute(async (trx) => {
        await people.updatePerson(trx, ctx.actor.person.id, { password_hash: nextHash, updated_at: now });
        await auth.deleteSessionsOf(trx, ctx.actor.person.id, sessionId);
        await recordAudit(trx, ctx, now, { action: 'person.password_change', targetType: 'person', targetId: ctx.actor.person.id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
