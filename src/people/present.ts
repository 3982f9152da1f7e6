import { Type } from 'typebox';
import { isAdmin, type Actor, type Person } from './model.js';
import type { Team, TeamMember } from './teams-store.js';

/** Exactly the person fields that leave the server (never the password hash). */
export const PersonSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('responder'), Type.Literal('viewer')]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  phone: Type.Union([Type.String(), Type.Null()], { description: 'shown to the person and administrators only; null for others' }),
  time_zone: Type.String(),
  locale: Type.String(),
  email_verified: Type.Boolean(),
  phone_verified: Type.Boolean(),
  created_at: Type.Integer({ description: 'unix milliseconds' }),
});

/**
 * A person as `viewer` may see them: contact details (phone and verification state) only for the
 * person themself and administrators (issue 10 item 4). The email stays: it is the sign-in name
 * people are picked by, and what dynamic assignment and IM accounts refer to.
 */
export function presentPersonTo(viewer: Actor, p: Person) {
  const full = presentPerson(p);
  if (viewer.person.id === p.id || isAdmin(viewer)) return full;
  return { ...full, phone: null, email_verified: false, phone_verified: false };
}

export const TeamRefSchema = Type.Object({ id: Type.String(), name: Type.String() });

export const MeSchema = Type.Object({ ...PersonSchema.properties, teams: Type.Array(TeamRefSchema) });

export function presentPerson(p: Person) {
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    role: p.role,
    status: p.status,
    phone: p.phone,
    time_zone: p.timeZone,
    locale: p.locale,
    email_verified: p.emailVerifiedAt !== null,
    phone_verified: p.phone !== null && p.phoneVerifiedAt !== null,
    created_at: p.createdAt,
  };
}

export const TeamSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  member_count: Type.Integer(),
  created_at: Type.Integer(),
});

export const TeamMemberSchema = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), role: Type.String() });

export const TeamDetailSchema = Type.Object({ ...TeamSchema.properties, members: Type.Array(TeamMemberSchema) });

export function presentTeam(t: Team) {
  return { id: t.id, name: t.name, description: t.description, member_count: t.memberCount, created_at: t.createdAt };
}

export function presentTeamDetail(t: Team & { members: TeamMember[] }) {
  return { ...presentTeam(t), members: t.members.map((m) => ({ id: m.id, name: m.name, email: m.email, role: m.role })) };
}

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scope: Type.Union([Type.Literal('full'), Type.Literal('read')], { description: 'read: GET requests only' }),
  expires_at: Type.Union([Type.Integer(), Type.Null()], { description: 'unix ms after which the key stops working; null = never' }),
  created_at: Type.Integer(),
  last_used_at: Type.Union([Type.Integer(), Type.Null()]),
});
