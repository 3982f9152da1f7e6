import type { Clock } from '../core/clock.js';
import { AppError, conflict, forbidden, invalid, notFound, throwIfInvalid } from '../core/errors.js';
import { newId, randomDigits } from '../core/ids.js';
import { constantTimeEqual, hashSecret } from '../core/secrets.js';
import type { Executor } from '../db/types.js';
import { isUniqueViolation } from '../db/types.js';
import type { Page, PageRequest } from '../db/pagination.js';
import { toPage } from '../db/pagination.js';
import { isAdmin, normalizePersonInput, type Person, type PersonInput } from './model.js';
import { hashPassword } from './passwords.js';
import * as store from './store.js';
import * as auth from './auth-store.js';
import { recordAudit, type RequestContext } from './audit.js';

export type ContactKind = 'email' | 'phone';

/** Sends a verification code to an address; the notification layer provides the real one. */
export type CodeSender = (message: { person: Person; kind: ContactKind; target: string; code: string }) => Promise<void>;

export interface PeopleDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly sendCode: CodeSender;
  readonly defaultTimeZone: string;
}

const CODE_TTL_MS = 10 * 60_000;
const CODE_RESEND_MS = 30_000;
/** Codes (email and SMS together) one person may be sent per rolling day: a premium-rate number must not be a money pump. */
export const CODES_PER_DAY = 10;
const DAY_MS = 86_400_000;
const CODE_MAX_ATTEMPTS = 5;

/** What the audit log keeps of a person: never secrets. */
function auditView(p: Person): object {
  return { email: p.email, name: p.name, role: p.role, status: p.status, phone: p.phone, time_zone: p.timeZone };
}

/** People: the directory, profiles and contact verification. */
export function createPeopleService(deps: PeopleDeps) {
  const { db, clock } = deps;

  function requireAdmin(ctx: RequestContext): void {
    if (!isAdmin(ctx.actor)) throw forbidden('only administrators may manage people');
  }

  /** Refuses a change that would leave no active administrator. */
  async function keepAnAdmin(trx: Executor, before: Person, after: { role?: string | undefined; status?: string | undefined } | 'deleted'): Promise<void> {
    if (before.role !== 'admin' || before.status !== 'active') return;
    const stillAdmin = after !== 'deleted' && (after.role ?? before.role) === 'admin' && (after.status ?? before.status) === 'active';
    if (!stillAdmin && (await store.countAdmins(trx)) <= 1) throw new AppError('Conflict', 'role: the last active administrator cannot be removed or demoted', 'role');
  }

  async function applyChanges(ctx: RequestContext, id: string, input: PersonInput, action: string): Promise<Person> {
    const { value, errors } = normalizePersonInput(input);
    throwIfInvalid(errors);
    const now = clock.now();
    try {
      return await db.transaction().execute(async (trx) => {
        const before = await store.findPersonById(trx, id);
        if (!before) throw notFound('person');
        await keepAnAdmin(trx, before, value);
        await store.updatePerson(trx, id, {
          ...(value.name !== undefined && { name: value.name }),
          ...(value.email !== undefined && value.email !== before.email && { email: value.email, email_verified_at: null }),
          ...(value.role !== undefined && { role: value.role }),
          ...(value.status !== undefined && { status: value.status }),
          ...(value.phone !== undefined && value.phone !== before.phone && { phone: value.phone, phone_verified_at: null }),
          ...(value.timeZone !== undefined && { time_zone: value.timeZone }),
          ...(value.locale !== undefined && { locale: value.locale }),
          updated_at: now,
        });
        if (value.status === 'disabled') await auth.deleteSessionsOf(trx, id);
        const after = await store.findPersonById(trx, id);
        if (!after) throw notFound('person');
        await recordAudit(trx, ctx, now, { action, targetType: 'person', targetId: id, before: auditView(before), after: auditView(after) });
        return after;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('email', 'a person with this email already exists');
      throw error;
    }
  }

  return {
    async get(id: string): Promise<Person> {
      const person = await store.findPersonById(db, id);
      if (!person) throw notFound('person');
      return person;
    },

    async list(page: PageRequest, search?: string): Promise<Page<Person>> {
      const rows = await store.listPersons(db, page, search);
      return toPage(rows, page, (p) => p.name, (p) => p);
    },

    /** Admins add people; notification recipients need no password (no console access). */
    async create(ctx: RequestContext | null, input: PersonInput): Promise<Person> {
      if (ctx) requireAdmin(ctx);
      const { value, errors } = normalizePersonInput(input);
      if (!value.email) errors.push({ field: 'email', message: 'is required' });
      if (!value.name) errors.push({ field: 'name', message: 'is required' });
      if (!value.role) errors.push({ field: 'role', message: 'is required' });
      throwIfInvalid(errors);
      const now = clock.now();
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      try {
        return await db.transaction().execute(async (trx) => {
          const person = await store.insertPerson(trx, {
            id: newId(now),
            email: value.email ?? '',
            name: value.name ?? '',
            role: value.role ?? 'responder',
            status: 'active',
            password_hash: passwordHash,
            phone: value.phone ?? null,
            email_verified_at: null,
            phone_verified_at: null,
            time_zone: value.timeZone ?? deps.defaultTimeZone,
            locale: value.locale ?? 'en',
            created_at: now,
            updated_at: now,
          });
          await recordAudit(trx, ctx, now, { action: 'person.create', targetType: 'person', targetId: person.id, after: auditView(person) });
          return person;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('email', 'a person with this email already exists');
        throw error;
      }
    },

    async update(ctx: RequestContext, id: string, input: PersonInput): Promise<Person> {
      requireAdmin(ctx);
      return applyChanges(ctx, id, input, 'person.update');
    },

    /** One's own profile: name, phone, time zone, locale (never role or status). */
    async updateProfile(ctx: RequestContext, input: Pick<PersonInput, 'name' | 'phone' | 'timeZone' | 'locale'>): Promise<Person> {
      return applyChanges(ctx, ctx.actor.person.id, { name: input.name, phone: input.phone, timeZone: input.timeZone, locale: input.locale }, 'person.update_profile');
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      requireAdmin(ctx);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await store.findPersonById(trx, id);
        if (!before) throw notFound('person');
        await keepAnAdmin(trx, before, 'deleted');
        await store.deletePerson(trx, id);
        await recordAudit(trx, ctx, now, { action: 'person.delete', targetType: 'person', targetId: id, before: auditView(before) });
      });
    },

    /** Sends a one-time code to the person's email or phone. */
    async startVerification(ctx: RequestContext, kind: ContactKind): Promise<{ kind: ContactKind; expires_at: number }> {
      const person = await store.findPersonById(db, ctx.actor.person.id);
      if (!person) throw notFound('person');
      const target = kind === 'email' ? person.email : person.phone;
      if (!target) throw invalid('kind', 'add a phone number to your profile first');
      const now = clock.now();
      const previous = await auth.findVerificationCode(db, person.id, kind);
      if (previous && now - previous.created_at < CODE_RESEND_MS) {
        const wait = Math.ceil((previous.created_at + CODE_RESEND_MS - now) / 1000);
        throw new AppError('RequestTooFrequently', `kind: a code was just sent; wait ${wait} s before asking again`, 'kind', wait);
      }
      const sentToday = await auth.countVerificationSends(db, person.id, now - DAY_MS);
      if (sentToday >= CODES_PER_DAY) {
        throw new AppError('RequestTooFrequently', `kind: at most ${CODES_PER_DAY} codes per day; try again tomorrow`, 'kind', 3600);
      }
      await auth.recordVerificationSend(db, { id: newId(now), person_id: person.id, kind, created_at: now }, now - DAY_MS);
      const code = randomDigits(6);
      const expiresAt = now + CODE_TTL_MS;
      await auth.insertVerificationCode(db, {
        id: newId(now),
        person_id: person.id,
        kind,
        target,
        code_hash: hashSecret(`${person.id}:${code}`),
        attempts: 0,
        expires_at: expiresAt,
        consumed_at: null,
        created_at: now,
      });
      await deps.sendCode({ person, kind, target, code });
      return { kind, expires_at: expiresAt };
    },

    /** Marks the contact verified when the code matches, is fresh, and was sent to the current address. */
    async confirmVerification(ctx: RequestContext, kind: ContactKind, code: string): Promise<Person> {
      const personId = ctx.actor.person.id;
      const now = clock.now();
      const row = await auth.findVerificationCode(db, personId, kind);
      const person = await store.findPersonById(db, personId);
      if (!row || !person || row.expires_at <= now) throw invalid('code', 'has expired or was never sent; request a new code');
      if (row.attempts >= CODE_MAX_ATTEMPTS) throw invalid('code', 'too many wrong attempts; request a new code');
      const current = kind === 'email' ? person.email : person.phone;
      if (row.target !== current) throw invalid('code', `was sent to a previous ${kind}; request a new code`);
      if (!constantTimeEqual(row.code_hash, hashSecret(`${personId}:${code.trim()}`))) {
        // Counted outside any transaction: a failed guess must stay counted.
        await auth.updateVerificationCode(db, row.id, { attempts: row.attempts + 1 });
        throw invalid('code', 'does not match the code we sent');
      }
      return db.transaction().execute(async (trx) => {
        await auth.updateVerificationCode(trx, row.id, { consumed_at: now });
        await store.updatePerson(trx, personId, kind === 'email' ? { email_verified_at: now, updated_at: now } : { phone_verified_at: now, updated_at: now });
        await recordAudit(trx, ctx, now, { action: `person.verify_${kind}`, targetType: 'person', targetId: personId, after: { [kind]: current } });
        const verified = await store.findPersonById(trx, personId);
        if (!verified) throw notFound('person');
        return verified;
      });
    },
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
