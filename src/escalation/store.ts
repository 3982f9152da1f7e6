import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import type { EscalationRulesTable } from '../db/schema.js';

export type EscalationRuleRow = Selectable<EscalationRulesTable>;

export async function listRules(db: Executor, channelId: string): Promise<EscalationRuleRow[]> {
  return db.selectFrom('escalation_rules').selectAll().where('channel_id', '=', channelId).orderBy('position').orderBy('id').execute();
}

export async function findRule(db: Executor, id: string): Promise<EscalationRuleRow | undefined> {
  return db.selectFrom('escalation_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(db: Executor, row: EscalationRuleRow): Promise<void> {
  await db.insertInto('escalation_rules').values(row).execute();
}

export async function updateRule(db: Executor, id: string, changes: Partial<Pick<EscalationRuleRow, 'name' | 'enabled' | 'spec_json' | 'position'>> & { updated_at: number }): Promise<void> {
  await db.updateTable('escalation_rules').set(changes).where('id', '=', id).execute();
}

export async function deleteRule(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('escalation_rules').where('id', '=', id).execute();
}
