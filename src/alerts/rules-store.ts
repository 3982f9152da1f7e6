import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { ChannelRulesTable } from '../db/schema.js';

export type ChannelRuleRow = Selectable<ChannelRulesTable>;
export type RuleKind = 'silence' | 'inhibit' | 'drop';

export async function listRules(db: Executor, channelId: string, kind?: RuleKind): Promise<ChannelRuleRow[]> {
  let query = db.selectFrom('channel_rules').selectAll().where('channel_id', '=', channelId);
  if (kind) query = query.where('kind', '=', kind);
  return query.orderBy('position').orderBy('id').execute();
}

export async function findRule(db: Executor, id: string): Promise<ChannelRuleRow | undefined> {
  return db.selectFrom('channel_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(db: Executor, row: ChannelRuleRow): Promise<void> {
  await db.insertInto('channel_rules').values(row).execute();
}

export async function updateRule(db: Executor, id: string, changes: Partial<Pick<ChannelRuleRow, 'name' | 'enabled' | 'spec_json' | 'position'>> & { updated_at: number }): Promise<void> {
  await db.updateTable('channel_rules').set(changes).where('id', '=', id).execute();
}

export async function deleteRule(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('channel_rules').where('id', '=', id).execute();
}

export async function readNoiseJson(db: Executor, channelId: string): Promise<string | undefined> {
  const row = await db.selectFrom('channels').select('noise_json').where('id', '=', channelId).executeTakeFirst();
  return row?.noise_json;
}

/** What the ingest path needs of the channel row itself: its noise settings and whether it is disabled. */
export async function readChannelState(db: Executor, channelId: string): Promise<{ noise_json: string; disabled: number } | undefined> {
  return db.selectFrom('channels').select(['noise_json', 'disabled']).where('id', '=', channelId).executeTakeFirst();
}

export async function writeNoiseJson(db: Executor, channelId: string, json: string, now: number): Promise<void> {
  await db.updateTable('channels').set({ noise_json: json, updated_at: now }).where('id', '=', channelId).execute();
}
