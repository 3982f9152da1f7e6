import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { containsPattern } from '../db/types.js';
import type { PageRequest } from '../db/pagination.js';
import type { Channel } from './model.js';

interface ChannelRow {
  id: string;
  name: string;
  description: string;
  team_id: string;
  team_name: string;
  private: number;
  disabled: number;
  created_at: number;
  updated_at: number;
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('channels')
    .innerJoin('teams', 'teams.id', 'channels.team_id')
    .select([
      'channels.id',
      'channels.name',
      'channels.description',
      'channels.team_id',
      'teams.name as team_name',
      'channels.private',
      'channels.disabled',
      'channels.created_at',
      'channels.updated_at',
    ]);
}

/** Public channels, plus private ones owned or managed by one of `teamIds`. */
function visibleCondition(eb: ExpressionBuilder<Database, 'channels'>, teamIdList: readonly string[]) {
  const teamIds = teamIdList.length > 0 ? [...teamIdList] : [''];
  return eb.or([
    eb('channels.private', '=', 0),
    eb('channels.team_id', 'in', teamIds),
    eb.exists(
      eb
        .selectFrom('channel_managing_teams')
        .select('channel_managing_teams.team_id')
        .whereRef('channel_managing_teams.channel_id', '=', 'channels.id')
        .where('channel_managing_teams.team_id', 'in', teamIds),
    ),
  ]);
}

async function withManagingTeams(db: Executor, rows: readonly ChannelRow[]): Promise<Channel[]> {
  if (rows.length === 0) return [];
  const links = await db.selectFrom('channel_managing_teams').selectAll().where('channel_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    teamId: row.team_id,
    teamName: row.team_name,
    managingTeamIds: links.filter((l) => l.channel_id === row.id).map((l) => l.team_id).sort(),
    private: Number(row.private) === 1,
    disabled: Number(row.disabled) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

export async function findChannel(db: Executor, id: string): Promise<Channel | undefined> {
  const row = await baseQuery(db).where('channels.id', '=', id).executeTakeFirst();
  return row ? (await withManagingTeams(db, [row]))[0] : undefined;
}

/**
 * Channels the caller may see, sorted by name. Visibility is applied in SQL so pages stay full:
 * public channels, plus private ones owned or managed by one of `teamIds` (all when `seeAll`).
 */
export async function listVisibleChannels(
  db: Executor,
  page: PageRequest,
  visibility: { seeAll: boolean; teamIds: readonly string[] },
  search?: string,
): Promise<Channel[]> {
  let query = baseQuery(db);
  if (!visibility.seeAll) query = query.where((eb) => visibleCondition(eb, visibility.teamIds));
  if (search) query = query.where(sql`lower(channels.name)`, 'like', sql`${containsPattern(search)} escape '\\'`);
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('channels.name', '>', name), eb.and([eb('channels.name', '=', name), eb('channels.id', '>', id)])]));
  }
  const rows = await query.orderBy('channels.name').orderBy('channels.id').limit(page.limit + 1).execute();
  return withManagingTeams(db, rows);
}

export async function insertChannel(
  db: Executor,
  row: { id: string; name: string; description: string; team_id: string; private: number; disabled: number; created_at: number; updated_at: number },
  managingTeamIds: readonly string[],
): Promise<void> {
  await db.insertInto('channels').values(row).execute();
  await replaceManagingTeams(db, row.id, managingTeamIds);
}

export async function updateChannel(
  db: Executor,
  id: string,
  changes: { name?: string; description?: string; team_id?: string; private?: number; disabled?: number; updated_at: number },
): Promise<void> {
  await db.updateTable('channels').set(changes).where('id', '=', id).execute();
}

export async function replaceManagingTeams(db: Executor, channelId: string, teamIds: readonly string[]): Promise<void> {
  await db.deleteFrom('channel_managing_teams').where('channel_id', '=', channelId).execute();
  if (teamIds.length > 0) {
    await db.insertInto('channel_managing_teams').values(teamIds.map((team_id) => ({ channel_id: channelId, team_id }))).execute();
  }
}

export async function deleteChannel(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('channels').where('id', '=', id).execute();
}

/** Ids of every channel visible under the given visibility (for filtering lists across channels). */
export async function visibleChannelIds(db: Executor, visibility: { seeAll: boolean; teamIds: readonly string[] }): Promise<string[]> {
  let query = db.selectFrom('channels').select('channels.id');
  if (!visibility.seeAll) query = query.where((eb) => visibleCondition(eb, visibility.teamIds));
  return (await query.execute()).map((r) => r.id);
}
