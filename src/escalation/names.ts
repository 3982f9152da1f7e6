import type { Executor } from '../db/types.js';
import { isAssignedTargets, type EscalationRuleSpec } from './model.js';

/** Display names of the people, teams, schedules and group chats a rule refers to (for its summary). */
export async function ruleNames(trx: Executor, spec: EscalationRuleSpec): Promise<(id: string) => string | undefined> {
  const people = new Set<string>();
  const teams = new Set<string>();
  const schedules = new Set<string>();
  const chats = new Set<string>();
  for (const level of spec.levels) {
    if (isAssignedTargets(level.targets)) continue;
    level.targets.people?.forEach((id) => people.add(id));
    level.targets.teams?.forEach((id) => teams.add(id));
    level.targets.schedules?.forEach((s) => schedules.add(s.id));
    level.targets.group_chats?.forEach((id) => chats.add(id));
  }
  const names = new Map<string, string>();
  const load = async (table: 'persons' | 'teams' | 'schedules' | 'notification_providers', ids: Set<string>) => {
    if (ids.size === 0) return;
    for (const row of await trx.selectFrom(table).select(['id', 'name']).where('id', 'in', [...ids]).execute()) names.set(row.id, row.name);
  };
  await load('persons', people);
  await load('teams', teams);
  await load('schedules', schedules);
  await load('notification_providers', chats);
  return (id) => names.get(id);
}
