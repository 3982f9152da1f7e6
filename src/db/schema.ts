import type { Generated } from 'kysely';

/**
 * Table types. Times are UTC milliseconds (bigint in PostgreSQL, integer in SQLite); flags are
 * integers 0/1 in both dialects so the same rows come back from either; JSON is stored as text.
 */
export interface Database {
  persons: PersonsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  verification_codes: VerificationCodesTable;
  channels: ChannelsTable;
  channel_managing_teams: ChannelManagingTeamsTable;
  audit_log: AuditLogTable;
}

export interface PersonsTable {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  password_hash: string | null;
  phone: string | null;
  email_verified_at: number | null;
  phone_verified_at: number | null;
  time_zone: string;
  locale: string;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  person_id: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  person_id: string;
  secret_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  user_agent: string;
  ip: string;
}

export interface ApiKeysTable {
  id: string;
  person_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface VerificationCodesTable {
  id: string;
  person_id: string;
  kind: string;
  target: string;
  code_hash: string;
  attempts: number;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

export interface ChannelsTable {
  id: string;
  name: string;
  description: string;
  team_id: string;
  private: number;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface ChannelManagingTeamsTable {
  channel_id: string;
  team_id: string;
}

export interface AuditLogTable {
  id: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  created_at: number;
}

/** Keeps `Generated` importable for later tables with database-side defaults. */
export type { Generated };
