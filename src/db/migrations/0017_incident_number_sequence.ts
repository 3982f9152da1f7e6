import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * PostgreSQL takes incident numbers from a sequence (ADR 0071): the `counters` row serialised every
 * ingest batch that opened an incident behind the previous one's commit (its row lock is held until
 * then), so overlapping batches bought nothing. The sequence starts after the highest number given so
 * far. SQLite, with its single writer, keeps the counter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create sequence if not exists incident_number_seq`.execute(db);
  await sql`
    select setval('incident_number_seq', greatest(
      coalesce((select value from counters where name = 'incident_number'), 0),
      coalesce((select max(number) from incidents), 0),
      1
    ), exists (select 1 from incidents) or exists (select 1 from counters where name = 'incident_number' and value > 0))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    insert into counters (name, value) values ('incident_number', (select coalesce(max(number), 0) from incidents))
    on conflict (name) do update set value = excluded.value
  `.execute(db);
  await sql`drop sequence if exists incident_number_seq`.execute(db);
}
