/**
 * Response and request shapes of the Tocsin API, written by hand from the API contract.
 * Replace each with the type generated into schema.d.ts once that file exists.
 */

/** Unix time in milliseconds, as every timestamp in the API. */
export type UnixMs = number;

export type Role = 'admin' | 'responder' | 'viewer';
export type PersonStatus = 'active' | 'disabled';

/** A cursor page as returned by every list endpoint. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface TeamRef {
  id: string;
  name: string;
}

export interface Person {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: PersonStatus;
  phone: string | null;
  time_zone: string;
  locale: string;
  email_verified: boolean;
  phone_verified: boolean;
  created_at: UnixMs;
}

/** The signed-in person, with the teams they belong to. */
export interface Me extends Person {
  teams: TeamRef[];
}

export interface SessionResponse {
  user: Me;
  csrf_token: string;
}

export interface SetupStatus {
  needs_setup: boolean;
}

export interface SystemInfo {
  version: string;
  database: 'sqlite' | 'postgres';
  dev_mode: boolean;
}

export type ContactKind = 'email' | 'phone';

export interface VerificationStarted {
  kind: ContactKind;
  expires_at: UnixMs;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: UnixMs;
  last_used_at: UnixMs | null;
}

/** Returned once, on creation: `key` is never shown again. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  member_count: number;
  created_at: UnixMs;
}

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface TeamDetail extends Team {
  members: TeamMember[];
}

export interface Channel {
  id: string;
  name: string;
  description: string;
  team_id: string;
  team_name: string;
  managing_team_ids: string[];
  private: boolean;
  disabled: boolean;
  created_at: UnixMs;
  updated_at: UnixMs;
  can_manage: boolean;
}

export interface AuditEntry {
  id: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: UnixMs;
}

// ---- request bodies ----

export interface SetupBody {
  email: string;
  name: string;
  password: string;
}

export interface LoginBody {
  email: string;
  password: string;
}

export interface UpdateMeBody {
  name?: string;
  phone?: string | null;
  time_zone?: string;
  locale?: string;
}

export interface ChangePasswordBody {
  current_password: string;
  new_password: string;
}

export interface CreatePersonBody {
  email: string;
  name: string;
  role: Role;
  password?: string;
  phone?: string;
  time_zone?: string;
}

export interface UpdatePersonBody {
  name?: string;
  role?: Role;
  status?: PersonStatus;
  phone?: string | null;
  time_zone?: string;
}

export interface CreateTeamBody {
  name: string;
  description?: string;
}

export type UpdateTeamBody = Partial<CreateTeamBody>;

export interface CreateChannelBody {
  name: string;
  team_id: string;
  private: boolean;
  description?: string;
  managing_team_ids?: string[];
}

export interface UpdateChannelBody extends Partial<CreateChannelBody> {
  disabled?: boolean;
}
