import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import { containsPattern } from '../db/types.js';
import type { TeamsTable } from '../db/schema.js';
import type { PageRequest } from '../db/pagination.js';

/** A team as stored, with its member count. */
export interface Team {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly memberCount: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TeamMember {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: string;
}

type TeamRow = Selectable<TeamsTable> & { member_count: number | string };

function toTeam(row: TeamRow): Team {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    memberCount: Number(row.member_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function teamsWithCounts(db: Executor) {
  return db
    .selectFrom('teams')
    .selectAll('teams')
    .select((eb) =>
      eb.selectFrom('team_members').select((inner) => inner.fn.countAll<number>().as('c')).whereRef('team_members.team_id', '=', 'teams.id').as('member_count'),
    );
}

export async function insertTeam(db: Executor, row: Selectable<TeamsTable>): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

export async function findTeam(db: Executor, id: string): Promise<Team | undefined> {
  const row = await teamsWithCounts(db).where('teams.id', '=', id).executeTakeFirst();
  return row && toTeam(row as TeamRow);
}

export async function listTeams(db: Executor, page: PageRequest, search?: string): Promise<Team[]> {
  let query = teamsWithCounts(db);
  if (search) query = query.where(sql`lower(teams.name)`, 'like', sql`${containsPattern(search)} escape '\\'`);
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('teams.name', '>', name), eb.and([eb('teams.name', '=', name), eb('teams.id', '>', id)])]));
  }
  const rows = await query.orderBy('teams.name').orderBy('teams.id').limit(page.limit + 1).execute();
  return rows.map((row) => toTeam(row as TeamRow));
}

export async function updateTeam(db: Executor, id: string, changes: { name?: string; description?: string; updated_at: number }): Promise<void> {
  await db.updateTable('teams').set(changes).where('id', '=', id).execute();
}

export async function deleteTeam(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('teams').where('id', '=', id).execute();
}

export async function listMembers(db: Executor, teamId: string): Promise<TeamMember[]> {
  return db
    .selectFrom('team_members')
    .innerJoin('persons', 'persons.id', 'team_members.person_id')
    .select(['persons.id', 'persons.name', 'persons.email', 'persons.role'])
    .where('team_members.team_id', '=', teamId)
    .orderBy('persons.name')
    .execute();
}

export async function addMember(db: Executor, teamId: string, personId: string, now: number): Promise<boolean> {
  const existing = await db.selectFrom('team_members').select('person_id').where('team_id', '=', teamId).where('person_id', '=', personId).executeTakeFirst();
  if (existing) return false;
  await db.insertInto('team_members').values({ team_id: teamId, person_id: personId, created_at: now }).execute();
  return true;
}

export async function removeMember(db: Executor, teamId: string, personId: string): Promise<boolean> {
  const result = await db.deleteFrom('team_members').where('team_id', '=', teamId).where('person_id', '=', personId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Ids of the teams a person belongs to. */
export async function teamIdsOf(db: Executor, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('team_id').where('person_id', '=', personId).execute();
  return rows.map((r) => r.team_id);
}

export async function teamsOf(db: Executor, personId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['teams.id', 'teams.name'])
    .where('team_members.person_id', '=', personId)
    .orderBy('teams.name')
    .execute();
}

/** Which of `ids` name existing teams. */
export async function existingTeamIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('teams').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Whether a team still owns something that would be orphaned by its deletion (channels or schedules). */
export async function teamOwnsChannels(db: Executor, teamId: string): Promise<boolean> {
  const row = await db.selectFrom('channels').select('id').where('team_id', '=', teamId).executeTakeFirst();
  if (row !== undefined) return true;
  const schedule = await db.selectFrom('schedules').select('id').where('team_id', '=', teamId).executeTakeFirst();
  return schedule !== undefined;
}
