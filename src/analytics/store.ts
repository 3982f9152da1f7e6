import type { Executor } from '../db/types.js';
import { idFloor } from '../incidents/feed.js';
import type { IncidentFact } from './model.js';

/** Which channels a query covers; `all` skips the channel filter (administrators, no filter). */
export type Scope = { readonly all: true } | { readonly all: false; readonly channelIds: readonly string[] };

const INTERRUPTING_METHODS = ['voice', 'sms', 'push'];

/** Incidents created in [from, to) with their first acknowledgement (incidents_created index). */
export async function incidentFacts(db: Executor, scope: Scope, from: number, to: number): Promise<IncidentFact[]> {
  if (!scope.all && scope.channelIds.length === 0) return [];
  let query = db
    .selectFrom('incidents')
    .innerJoin('channels', 'channels.id', 'incidents.channel_id')
    .select([
      'incidents.id',
      'incidents.number',
      'incidents.title',
      'incidents.channel_id',
      'channels.team_id',
      'incidents.severity',
      'incidents.status',
      'incidents.labels_json',
      'incidents.created_at',
      'incidents.closed_at',
      'incidents.alert_count',
      // The first acknowledgement ever: acknowledged_at is cleared when an acknowledgement is withdrawn.
      (eb) =>
        eb
          .selectFrom('timeline')
          .select((t) => t.fn.min<number>('timeline.created_at').as('first'))
          .whereRef('timeline.incident_id', '=', 'incidents.id')
          .where('timeline.kind', '=', 'acknowledged')
          .as('first_ack_at'),
    ])
    .where('incidents.created_at', '>=', from)
    .where('incidents.created_at', '<', to);
  if (!scope.all) query = query.where('incidents.channel_id', 'in', scope.channelIds);
  const rows = await query.orderBy('incidents.created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    number: Number(r.number),
    title: r.title,
    channelId: r.channel_id,
    teamId: r.team_id,
    severity: r.severity,
    status: r.status,
    labels: JSON.parse(r.labels_json) as Record<string, string>,
    createdAt: Number(r.created_at),
    firstAckAt: r.first_ack_at === null || r.first_ack_at === undefined ? null : Number(r.first_ack_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    alertCount: Number(r.alert_count),
  }));
}

/** Counts and summed response times of the incidents created in [from, to), aggregated in SQL. */
export async function incidentTotals(db: Executor, scope: Scope, from: number, to: number): Promise<{ incidents: number; acknowledged: number; ackMs: number; closed: number; resolveMs: number }> {
  if (!scope.all && scope.channelIds.length === 0) return { incidents: 0, acknowledged: 0, ackMs: 0, closed: 0, resolveMs: 0 };
  let inner = db
    .selectFrom('incidents')
    .select([
      'incidents.created_at',
      'incidents.closed_at',
      (eb) =>
        eb
          .selectFrom('timeline')
          .select((t) => t.fn.min<number>('timeline.created_at').as('first'))
          .whereRef('timeline.incident_id', '=', 'incidents.id')
          .where('timeline.kind', '=', 'acknowledged')
          .as('first_ack'),
    ])
    .where('incidents.created_at', '>=', from)
    .where('incidents.created_at', '<', to);
  if (!scope.all) inner = inner.where('incidents.channel_id', 'in', scope.channelIds);
  const row = await db
    .selectFrom(inner.as('f'))
    .select((eb) => [
      eb.fn.countAll<number>().as('incidents'),
      eb.fn.count<number>('f.first_ack').as('acknowledged'),
      eb.fn.sum<number>(eb('f.first_ack', '-', eb.ref('f.created_at'))).as('ack_ms'),
      eb.fn.count<number>('f.closed_at').as('closed'),
      eb.fn.sum<number>(eb('f.closed_at', '-', eb.ref('f.created_at'))).as('resolve_ms'),
    ])
    .executeTakeFirst();
  return {
    incidents: Number(row?.incidents ?? 0),
    acknowledged: Number(row?.acknowledged ?? 0),
    ackMs: Number(row?.ack_ms ?? 0),
    closed: Number(row?.closed ?? 0),
    resolveMs: Number(row?.resolve_ms ?? 0),
  };
}

/**
 * Alerts opened in [from, to) and their events (the event counter includes exact repeats, which are
 * not stored one by one). Ids are UUIDv7 minted at or after creation, so `id >= floor(from)` is a
 * primary-key range that narrows the scan without an extra index on the ingest path.
 */
export async function countAlertsAndEvents(db: Executor, scope: Scope, from: number, to: number): Promise<{ alerts: number; events: number }> {
  if (!scope.all && scope.channelIds.length === 0) return { alerts: 0, events: 0 };
  let query = db
    .selectFrom('alerts')
    .select((eb) => [eb.fn.countAll<number>().as('alerts'), eb.fn.sum<number>('event_count').as('events')])
    .where('id', '>=', idFloor(from))
    .where('created_at', '>=', from)
    .where('created_at', '<', to);
  if (!scope.all) query = query.where('channel_id', 'in', scope.channelIds);
  const row = await query.executeTakeFirst();
  return { alerts: Number(row?.alerts ?? 0), events: Number(row?.events ?? 0) };
}

/** Voice, SMS and push notifications sent to people in [from, to). */
export async function interruptingMessages(db: Executor, scope: Scope, from: number, to: number): Promise<{ personId: string; at: number }[]> {
  if (!scope.all && scope.channelIds.length === 0) return [];
  let query = db
    .selectFrom('messages')
    .select(['messages.person_id', 'messages.sent_at'])
    .where('messages.id', '>=', idFloor(from - 86_400_000))
    .where('messages.person_id', 'is not', null)
    .where('messages.method', 'in', INTERRUPTING_METHODS)
    .where('messages.kind', '!=', 'verification')
    .where('messages.status', '=', 'sent')
    .where('messages.sent_at', '>=', from)
    .where('messages.sent_at', '<', to);
  if (!scope.all) query = query.where('messages.incident_id', 'in', (eb) => eb.selectFrom('incidents').select('incidents.id').where('incidents.channel_id', 'in', scope.channelIds));
  const rows = await query.execute();
  return rows.flatMap((r) => (r.person_id && r.sent_at !== null ? [{ personId: r.person_id, at: Number(r.sent_at) }] : []));
}

/** Who was paged for which incidents (for the per-person breakdown). */
export async function pagedPeople(db: Executor, incidentIds: readonly string[]): Promise<{ incidentId: string; personId: string }[]> {
  const out: { incidentId: string; personId: string }[] = [];
  for (let i = 0; i < incidentIds.length; i += 500) {
    const chunk = incidentIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('messages')
      .select(['incident_id', 'person_id'])
      .distinct()
      .where('incident_id', 'in', chunk)
      .where('person_id', 'is not', null)
      .where('kind', 'in', ['trigger', 'repeat', 'escalated'])
      .execute();
    for (const r of rows) if (r.incident_id && r.person_id) out.push({ incidentId: r.incident_id, personId: r.person_id });
  }
  return out;
}

export async function personDirectory(db: Executor, ids: readonly string[]): Promise<Map<string, { name: string; timeZone: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('persons').select(['id', 'name', 'time_zone']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, timeZone: r.time_zone }]));
}

export async function channelDirectory(db: Executor): Promise<Map<string, { name: string; teamId: string }>> {
  const rows = await db.selectFrom('channels').select(['id', 'name', 'team_id']).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, teamId: r.team_id }]));
}

export async function teamNames(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('teams').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Channel ids owned by a team. */
export async function channelsOfTeam(db: Executor, teamId: string): Promise<string[]> {
  return (await db.selectFrom('channels').select('id').where('team_id', '=', teamId).execute()).map((r) => r.id);
}
