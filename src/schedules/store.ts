import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import { containsPattern } from '../db/types.js';
import type { PageRequest } from '../db/pagination.js';
import type { ScheduleOverridesTable, SchedulesTable } from '../db/schema.js';
import { normalizeSchedule, type LayerJson, type StoredOverride, type StoredSchedule } from './model.js';

type ScheduleRow = Omit<Selectable<SchedulesTable>, 'ical_token_hash' | 'ical_token_sealed'> & { team_name: string };

function baseQuery(db: Executor) {
  return db
    .selectFrom('schedules')
    .innerJoin('teams', 'teams.id', 'schedules.team_id')
    .select([
      'schedules.id',
      'schedules.name',
      'schedules.description',
      'schedules.team_id',
      'teams.name as team_name',
      'schedules.time_zone',
      'schedules.private',
      'schedules.spec_json',
      'schedules.created_at',
      'schedules.updated_at',
    ]);
}

/** Serializes layers (already normalized) for `spec_json`. */
export function serializeSpec(layers: readonly LayerJson[]): string {
  return JSON.stringify({ layers });
}

/** Rows are re-checked by the model on the way out, so the resolver only ever sees valid layers. */
function toSchedule(row: ScheduleRow): StoredSchedule {
  const spec = JSON.parse(row.spec_json) as { layers?: unknown };
  const checked = normalizeSchedule({
    name: row.name,
    team_id: row.team_id,
    description: row.description,
    time_zone: row.time_zone,
    layers: spec.layers ?? [],
  });
  if (!checked.ok) throw new Error(`stored schedule ${row.id} is invalid: ${checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  return {
    ...checked.value,
    id: row.id,
    teamName: row.team_name,
    private: Number(row.private) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findSchedule(db: Executor, id: string): Promise<StoredSchedule | undefined> {
  const row = await baseQuery(db).where('schedules.id', '=', id).executeTakeFirst();
  return row ? toSchedule(row) : undefined;
}

/**
 * Schedules the caller may see, sorted by name: public ones plus private ones owned by one of
 * `teamIds` (all when `seeAll`). Visibility is applied in SQL so pages stay full.
 */
export async function listVisibleSchedules(
  db: Executor,
  page: PageRequest,
  visibility: { seeAll: boolean; teamIds: readonly string[] },
  search?: string,
): Promise<StoredSchedule[]> {
  let query = baseQuery(db);
  if (!visibility.seeAll) {
    const teamIds = visibility.teamIds.length > 0 ? [...visibility.teamIds] : [''];
    query = query.where((eb) => eb.or([eb('schedules.private', '=', 0), eb('schedules.team_id', 'in', teamIds)]));
  }
  if (search) query = query.where(sql`lower(schedules.name)`, 'like', sql`${containsPattern(search)} escape '\\'`);
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('schedules.name', '>', name), eb.and([eb('schedules.name', '=', name), eb('schedules.id', '>', id)])]));
  }
  const rows = await query
    .orderBy('schedules.name')
    .orderBy('schedules.id')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toSchedule);
}

/** Every schedule (for cross-schedule computations: a person's shifts, shift notices). */
export async function listAllSchedules(db: Executor): Promise<StoredSchedule[]> {
  const rows = await baseQuery(db).orderBy('schedules.id').execute();
  return rows.map(toSchedule);
}

export async function insertSchedule(db: Executor, row: Selectable<SchedulesTable>): Promise<void> {
  await db.insertInto('schedules').values(row).execute();
}

export async function updateSchedule(
  db: Executor,
  id: string,
  changes: Partial<
    Pick<Selectable<SchedulesTable>, 'name' | 'description' | 'team_id' | 'time_zone' | 'private' | 'spec_json' | 'ical_token_hash' | 'ical_token_sealed'>
  > & {
    updated_at: number;
  },
): Promise<void> {
  await db.updateTable('schedules').set(changes).where('id', '=', id).execute();
}

export async function deleteSchedule(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('schedules').where('id', '=', id).execute();
}

/** The sealed feed token of a schedule. */
export async function findScheduleTokenSealed(db: Executor, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('schedules').select('ical_token_sealed').where('id', '=', id).executeTakeFirst();
  return row?.ical_token_sealed;
}

export async function findScheduleByTokenHash(db: Executor, hash: string): Promise<StoredSchedule | undefined> {
  const row = await baseQuery(db).where('schedules.ical_token_hash', '=', hash).executeTakeFirst();
  return row ? toSchedule(row) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Overrides

function toOverride(row: Selectable<ScheduleOverridesTable>): StoredOverride {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    personId: row.person_id,
    role: row.role,
    start: row.start_at,
    end: row.end_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by,
  };
}

export async function insertOverride(db: Executor, row: Selectable<ScheduleOverridesTable>): Promise<void> {
  await db.insertInto('schedule_overrides').values(row).execute();
}

export async function findOverride(db: Executor, scheduleId: string, id: string): Promise<StoredOverride | undefined> {
  const row = await db.selectFrom('schedule_overrides').selectAll().where('schedule_id', '=', scheduleId).where('id', '=', id).executeTakeFirst();
  return row ? toOverride(row) : undefined;
}

export async function markOverrideDeleted(db: Executor, id: string, deletedAt: number, deletedBy: string | null): Promise<void> {
  await db.updateTable('schedule_overrides').set({ deleted_at: deletedAt, deleted_by: deletedBy }).where('id', '=', id).execute();
}

/**
 * Live overrides of the given schedules (or of all) that overlap [start, end), grouped by schedule and in
 * creation order (the resolver lets a later override win where two overlap).
 */
export async function activeOverrides(
  db: Executor,
  scheduleIds: readonly string[] | 'all',
  range: { start: number; end: number },
): Promise<Map<string, StoredOverride[]>> {
  const out = new Map<string, StoredOverride[]>();
  if (scheduleIds !== 'all' && scheduleIds.length === 0) return out;
  let query = db.selectFrom('schedule_overrides').selectAll();
  if (scheduleIds !== 'all') query = query.where('schedule_id', 'in', [...scheduleIds]);
  const rows = await query
    .where('deleted_at', 'is', null)
    .where('start_at', '<', range.end)
    .where('end_at', '>', range.start)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = out.get(row.schedule_id) ?? [];
    list.push(toOverride(row));
    out.set(row.schedule_id, list);
  }
  return out;
}

/** Ids of schedules with a live override for the person overlapping [start, end). */
export async function schedulesWithOverridesFor(db: Executor, personId: string, range: { start: number; end: number }): Promise<Set<string>> {
  const rows = await db
    .selectFrom('schedule_overrides')
    .select('schedule_id')
    .distinct()
    .where('person_id', '=', personId)
    .where('deleted_at', 'is', null)
    .where('start_at', '<', range.end)
    .where('end_at', '>', range.start)
    .execute();
  return new Set(rows.map((r) => r.schedule_id));
}

/**
 * A schedule's overrides by start time (then id), optionally overlapping a range and including the
 * deleted ones; the cursor carries the last start time and id.
 */
export async function listOverrides(
  db: Executor,
  scheduleId: string,
  page: PageRequest,
  filter: { includeDeleted: boolean; start?: number | undefined; end?: number | undefined },
): Promise<StoredOverride[]> {
  let query = db.selectFrom('schedule_overrides').selectAll().where('schedule_id', '=', scheduleId);
  if (!filter.includeDeleted) query = query.where('deleted_at', 'is', null);
  if (filter.start !== undefined) query = query.where('end_at', '>', filter.start);
  if (filter.end !== undefined) query = query.where('start_at', '<', filter.end);
  if (page.after) {
    const start = Number(page.after[0]);
    const id = page.after[1];
    query = query.where((eb) => eb.or([eb('start_at', '>', start), eb.and([eb('start_at', '=', start), eb('id', '>', id)])]));
  }
  const rows = await query
    .orderBy('start_at')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toOverride);
}

// ---------------------------------------------------------------------------------------------------
// Personal feed tokens

export async function findPersonTokenSealed(db: Executor, personId: string): Promise<string | undefined> {
  const row = await db.selectFrom('person_ical_tokens').select('token_sealed').where('person_id', '=', personId).executeTakeFirst();
  return row?.token_sealed;
}

/** Stores a person's first feed token (a unique violation means another request stored one first). */
export async function insertPersonToken(db: Executor, row: { person_id: string; token_hash: string; token_sealed: string; created_at: number }): Promise<void> {
  await db.insertInto('person_ical_tokens').values(row).execute();
}

/** Stores the person's feed token, replacing any earlier one (which stops working). */
export async function replacePersonToken(
  db: Executor,
  row: { person_id: string; token_hash: string; token_sealed: string; created_at: number },
): Promise<void> {
  await db.deleteFrom('person_ical_tokens').where('person_id', '=', row.person_id).execute();
  await db.insertInto('person_ical_tokens').values(row).execute();
}

export async function findPersonIdByTokenHash(db: Executor, hash: string): Promise<string | undefined> {
  const row = await db.selectFrom('person_ical_tokens').select('person_id').where('token_hash', '=', hash).executeTakeFirst();
  return row?.person_id;
}
