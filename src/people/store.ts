import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import { containsPattern } from '../db/types.js';
import type { PersonsTable } from '../db/schema.js';
import type { PageRequest } from '../db/pagination.js';
import type { Person, PersonStatus, Role } from './model.js';

type PersonRow = Selectable<PersonsTable>;

function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    status: row.status as PersonStatus,
    phone: row.phone,
    emailVerifiedAt: row.email_verified_at,
    phoneVerifiedAt: row.phone_verified_at,
    timeZone: row.time_zone,
    locale: row.locale,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertPerson(db: Executor, row: Insertable<PersonsTable> & Omit<PersonRow, 'preferences_json'>): Promise<Person> {
  await db.insertInto('persons').values(row).execute();
  return toPerson({ ...row, preferences_json: row.preferences_json ?? '{}' });
}

export async function findPersonById(db: Executor, id: string): Promise<Person | undefined> {
  const row = await db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPerson(row);
}

/** The person and their password hash, for sign-in only. */
export async function findCredentials(db: Executor, email: string): Promise<{ person: Person; passwordHash: string | null } | undefined> {
  const row = await db.selectFrom('persons').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { person: toPerson(row), passwordHash: row.password_hash };
}

export async function findPasswordHash(db: Executor, id: string): Promise<string | null> {
  const row = await db.selectFrom('persons').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash ?? null;
}

export async function updatePerson(db: Executor, id: string, changes: Partial<Omit<PersonRow, 'id' | 'created_at'>>): Promise<void> {
  await db.updateTable('persons').set(changes).where('id', '=', id).execute();
}

export async function deletePerson(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('persons').where('id', '=', id).execute();
}

export async function countAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** People sorted by name, optionally filtered by a name/email substring. */
export async function listPersons(db: Executor, page: PageRequest, search?: string): Promise<Person[]> {
  let query = db.selectFrom('persons').selectAll();
  if (search) {
    const pattern = containsPattern(search);
    query = query.where((eb) =>
      eb.or([eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`), eb(sql`email`, 'like', sql`${pattern} escape '\\'`)]),
    );
  }
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  const rows = await query.orderBy('name').orderBy('id').limit(page.limit + 1).execute();
  return rows.map(toPerson);
}

export async function findPersonsByIds(db: Executor, ids: readonly string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('persons').selectAll().where('id', 'in', ids).execute();
  return rows.map(toPerson);
}

/** The longest-standing active administrator, for one-shot commands that act on the organisation's behalf. */
export async function findFirstActiveAdmin(db: Executor): Promise<Person | undefined> {
  const row = await db.selectFrom('persons').selectAll().where('role', '=', 'admin').where('status', '=', 'active').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return row && toPerson(row);
}
