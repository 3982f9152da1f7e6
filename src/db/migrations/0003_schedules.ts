import type { Kysely } from 'kysely';

/** On-call schedules, their overrides (history kept) and the secret iCalendar feed tokens. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('team_id', 'varchar(36)', (c) => c.notNull().references('teams.id'))
    .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
    .addColumn('private', 'integer', (c) => c.notNull())
    // Layers in their API form, checked by normalizeSchedule on every write and read.
    .addColumn('spec_json', 'text', (c) => c.notNull())
    .addColumn('ical_token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('ical_token_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('schedules_team').on('schedules').column('team_id').execute();

  // person_id, created_by and deleted_by carry no foreign key: the history outlives the people in it.
  await db.schema
    .createTable('schedule_overrides')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('schedule_id', 'varchar(36)', (c) => c.notNull().references('schedules.id').onDelete('cascade'))
    .addColumn('person_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('role', 'varchar(32)', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addColumn('deleted_by', 'varchar(36)')
    .execute();
  await db.schema.createIndex('schedule_overrides_range').on('schedule_overrides').columns(['schedule_id', 'end_at']).execute();
  await db.schema.createIndex('schedule_overrides_person').on('schedule_overrides').columns(['person_id', 'end_at']).execute();

  await db.schema
    .createTable('person_ical_tokens')
    .addColumn('person_id', 'varchar(36)', (c) => c.primaryKey().references('persons.id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('token_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['person_ical_tokens', 'schedule_overrides', 'schedules']) {
    await db.schema.dropTable(table).execute();
  }
}
