import type { Executor } from '../db/types.js';
import type { Actor } from '../people/model.js';
import { canSeeSchedule } from '../schedules/model.js';
import { isAssignedTargets, type EscalationRuleSpec } from './model.js';

/** Schedules (by id) the actor may see; a private schedule of another team is as absent as a missing one. */
export async function visibleScheduleIds(trx: Executor, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx.selectFrom('schedules').select(['id', 'private', 'team_id']).where('id', 'in', [...ids]).execute();
  return new Set(rows.filter((r) => canSeeSchedule(actor, { private: Number(r.private) === 1, teamId: r.team_id })).map((r) => r.id));
}

/**
 * Display names of the people, teams, schedules and group chats a rule refers to (for its summary).
 * A schedule the reader may not see is not named (issue 10 item 3): the summary shows its id.
 */
export async function ruleNames(trx: Executor, spec: EscalationRuleSpec, reader: Actor): Promise<(id: string) => string | undefined> {
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
  const visible = await visibleScheduleIds(trx, reader, [...schedules]);
  await load('schedules', visible);
  await load('notification_providers', chats);
  return (id) => names.get(id);
}
