import type { Selectable } from 'kysely';
import type { Executor } from '../db/types.js';
import { deferInsert } from '../db/deferred.js';
import type { IntegrationsTable } from '../db/schema.js';
import { DEFAULT_RATE_LIMIT, type Integration, type IntegrationSettings, type SourceName } from './integration-model.js';

type IntegrationRow = Selectable<IntegrationsTable>;

function parseSettings(json: string): IntegrationSettings {
  const raw = JSON.parse(json) as Partial<IntegrationSettings>;
  return {
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...raw.rateLimit },
    sourceOptions: raw.sourceOptions ?? {},
    enrichment: raw.enrichment ?? [],
    pipeline: raw.pipeline ?? [],
    routing: raw.routing ?? null,
  };
}

function toIntegration(row: IntegrationRow): Integration {
  return {
    id: row.id,
    emailPrefix: row.email_prefix,
    channelId: row.channel_id,
    teamId: row.team_id,
    name: row.name,
    source: row.source as SourceName,
    settings: parseSettings(row.settings_json),
    disabled: Number(row.disabled) === 1,
    lastEventAt: row.last_event_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The integration with its sealed key (for showing the push URL to people who may manage it). */
export interface StoredIntegration {
  readonly integration: Integration;
  readonly keySealed: string;
}

export async function insertIntegration(db: Executor, row: IntegrationRow): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

export async function findIntegration(db: Executor, id: string): Promise<StoredIntegration | undefined> {
  const row = await db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { integration: toIntegration(row), keySealed: row.key_sealed };
}

/** The hot-path lookup: by the SHA-256 of the presented key (unique index). */
export async function findIntegrationByKeyHash(db: Executor, keyHash: string): Promise<Integration | undefined> {
  const row = await db.selectFrom('integrations').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return row && toIntegration(row);
}

/** The email integration receiving mail for `<prefix>@…` (unique index). */
export async function findIntegrationByEmailPrefix(db: Executor, prefix: string): Promise<Integration | undefined> {
  const row = await db.selectFrom('integrations').selectAll().where('email_prefix', '=', prefix.toLowerCase()).executeTakeFirst();
  return row && toIntegration(row);
}

export async function listIntegrations(db: Executor, filter: { channelId: string } | { shared: true }): Promise<StoredIntegration[]> {
  let query = db.selectFrom('integrations').selectAll();
  query = 'channelId' in filter ? query.where('channel_id', '=', filter.channelId) : query.where('channel_id', 'is', null);
  const rows = await query.orderBy('name').orderBy('id').execute();
  return rows.map((row) => ({ integration: toIntegration(row), keySealed: row.key_sealed }));
}

export async function updateIntegration(
  db: Executor,
  id: string,
  changes: Partial<Pick<IntegrationRow, 'name' | 'settings_json' | 'disabled' | 'key_hash' | 'key_sealed' | 'team_id'>> & { updated_at: number },
): Promise<void> {
  await db.updateTable('integrations').set(changes).where('id', '=', id).execute();
}

export async function deleteIntegration(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('integrations').where('id', '=', id).execute();
}

export function serializeSettings(settings: IntegrationSettings): string {
  return JSON.stringify(settings);
}

/** Accepted / dropped / rejected counts over the hours since `sinceHour`. */
export async function eventCounts(db: Executor, integrationId: string, sinceHour: number): Promise<{ accepted: number; dropped: number; rejected: number }> {
  const row = await db
    .selectFrom('integration_stats')
    .select((eb) => [eb.fn.sum<number>('accepted').as('accepted'), eb.fn.sum<number>('dropped').as('dropped'), eb.fn.sum<number>('rejected').as('rejected')])
    .where('integration_id', '=', integrationId)
    .where('hour', '>=', sinceHour)
    .executeTakeFirst();
  return { accepted: Number(row?.accepted ?? 0), dropped: Number(row?.dropped ?? 0), rejected: Number(row?.rejected ?? 0) };
}

export type Outcome = 'accepted' | 'dropped' | 'rejected';

/** Adds to this hour's counters (insert or increment, portable across dialects). */
export async function countOutcome(db: Executor, integrationId: string, hour: number, outcome: Outcome, n = 1): Promise<void> {
  const updated = await db
    .updateTable('integration_stats')
    .set((eb) => ({ [outcome]: eb(outcome, '+', n) }))
    .where('integration_id', '=', integrationId)
    .where('hour', '=', hour)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await db
    .insertInto('integration_stats')
    .values({ integration_id: integrationId, hour, accepted: 0, dropped: 0, rejected: 0, [outcome]: n })
    .onConflict((oc) => oc.columns(['integration_id', 'hour']).doUpdateSet((eb) => ({ [outcome]: eb(`integration_stats.${outcome}`, '+', n) })))
    .execute();
}

export async function touchLastEvent(db: Executor, integrationId: string, at: number): Promise<void> {
  await db.updateTable('integrations').set({ last_event_at: at }).where('id', '=', integrationId).execute();
}

/** Keeps a raw payload for debugging; the newest 20 per integration are shown. */
export async function insertRawEvent(
  db: Executor,
  row: { id: string; integration_id: string; received_at: number; content_type: string; payload: string; outcome: Outcome; detail: string },
): Promise<void> {
  await deferInsert(db, 'raw_events', row);
}

export async function recentRawEvents(db: Executor, integrationId: string, limit = 20) {
  return db.selectFrom('raw_events').selectAll().where('integration_id', '=', integrationId).orderBy('id', 'desc').limit(limit).execute();
}

/**
 * Channels a shared integration may route to: those its owning team owns or manages (issue 10 item 1).
 * `ids` narrows to the given channels; `name` finds one by name. Channels of other teams (private or
 * not) and deleted ones never come back, so a name cannot probe for channels the team cannot manage.
 */
export async function routableChannels(db: Executor, teamId: string, filter: { ids: readonly string[] } | { name: string }): Promise<{ id: string; name: string }[]> {
  if ('ids' in filter && filter.ids.length === 0) return [];
  let query = db
    .selectFrom('channels')
    .select(['channels.id', 'channels.name'])
    .where((eb) =>
      eb.or([
        eb('channels.team_id', '=', teamId),
        eb.exists(
          eb
            .selectFrom('channel_managing_teams')
            .select('channel_managing_teams.team_id')
            .whereRef('channel_managing_teams.channel_id', '=', 'channels.id')
            .where('channel_managing_teams.team_id', '=', teamId),
        ),
      ]),
    );
  query = 'ids' in filter ? query.where('channels.id', 'in', [...filter.ids]) : query.where('channels.name', '=', filter.name);
  return query.execute();
}

/** Which of `ids` still exist (checked inside the ingest transaction: a deleted target is skipped, not a FK error). */
export async function existingChannelIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('channels').select('id').where('id', 'in', [...ids]).execute();
  return new Set(rows.map((r) => r.id));
}
