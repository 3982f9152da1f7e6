import type { FieldError } from '../core/errors.js';
import { checkEmail, checkLength, checkPhone, checkTimeZone, collect } from '../core/validate.js';

export const ROLES = ['admin', 'responder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export type PersonStatus = 'active' | 'disabled';

/** A person as the domain sees it (never with the password hash). */
export interface Person {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly status: PersonStatus;
  readonly phone: string | null;
  readonly emailVerifiedAt: number | null;
  readonly phoneVerifiedAt: number | null;
  readonly timeZone: string;
  readonly locale: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Who is calling, resolved once per request by the auth hook. */
export interface Actor {
  readonly person: Person;
  readonly teamIds: ReadonlySet<string>;
  readonly via: 'session' | 'api_key';
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Password rule: length only (NIST 800-63B); composition rules push people to worse passwords. */
export function checkPassword(field: string, password: string): FieldError | undefined {
  if (password.length < PASSWORD_MIN) return { field, message: `must be at least ${PASSWORD_MIN} characters` };
  if (password.length > PASSWORD_MAX) return { field, message: `must be at most ${PASSWORD_MAX} characters` };
  return undefined;
}

/** Fields a person record may be created or updated with. */
export interface PersonInput {
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  readonly role?: string | undefined;
  readonly status?: string | undefined;
  readonly phone?: string | null | undefined;
  readonly timeZone?: string | undefined;
  readonly locale?: string | undefined;
  readonly password?: string | undefined;
}

/** Trims and checks every given field, returning the cleaned input and all field errors. */
export function normalizePersonInput(input: PersonInput): { value: PersonInput; errors: FieldError[] } {
  const email = input.email === undefined ? undefined : normalizeEmail(input.email);
  const name = input.name?.trim();
  const phone = input.phone === undefined || input.phone === null ? input.phone : input.phone.replace(/[\s()-]/g, '') || null;
  const errors = collect(
    email === undefined ? undefined : checkEmail('email', email),
    name === undefined ? undefined : checkLength('name', name, 1, 100),
    input.role === undefined || isRole(input.role) ? undefined : { field: 'role', message: `must be one of ${ROLES.join(', ')}` },
    input.status === undefined || input.status === 'active' || input.status === 'disabled'
      ? undefined
      : { field: 'status', message: 'must be active or disabled' },
    phone === undefined || phone === null ? undefined : checkPhone('phone', phone),
    input.timeZone === undefined ? undefined : checkTimeZone('time_zone', input.timeZone),
    input.locale === undefined ? undefined : checkLength('locale', input.locale, 2, 16),
    input.password === undefined ? undefined : checkPassword('password', input.password),
  );
  return { value: { ...input, email, name, phone }, errors };
}

/** Admins do everything; responders work incidents and edit what their teams own; viewers only read. */
export function canWrite(actor: Actor): boolean {
  return actor.person.role !== 'viewer';
}

export function isAdmin(actor: Actor): boolean {
  return actor.person.role === 'admin';
}

/** True when the actor may change something owned by any of `teamIds`. */
export function canManageOwnedBy(actor: Actor, teamIds: readonly string[]): boolean {
  if (isAdmin(actor)) return true;
  if (!canWrite(actor)) return false;
  return teamIds.some((id) => actor.teamIds.has(id));
}
