import { invalid } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { Executor } from '../db/types.js';
import type { ChannelsService } from '../channels/service.js';
import { isAdmin, type Actor } from '../people/model.js';
import { breakdown, daily, incidentsCsv, interruptions, summaryFrom, type BreakdownRow } from './model.js';
import * as store from './store.js';

const DAY_MS = 86_400_000;
const MAX_RANGE_MS = 400 * DAY_MS;
const DEFAULT_RANGE_MS = 30 * DAY_MS;

export interface AnalyticsQuery {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly channelId?: string | undefined;
  readonly teamId?: string | undefined;
  /** When `from` is absent: the range is the `days` days before `to`. */
  readonly days?: number | undefined;
}

export const BREAKDOWNS = ['channel', 'team', 'person', 'label'] as const;
export type BreakdownBy = (typeof BREAKDOWNS)[number];

/** `from`/`to`: ISO-8601 or unix milliseconds. */
function instant(field: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(field, 'must be an ISO-8601 date-time or unix milliseconds');
  return ms;
}

/** Analytics over the channels the caller may see, optionally narrowed to a channel or a team. */
export function createAnalyticsService(deps: { db: Executor; clock: Clock; channels: ChannelsService }) {
  const { db, clock, channels } = deps;

  async function resolve(actor: Actor, query: AnalyticsQuery): Promise<{ scope: store.Scope; from: number; to: number }> {
    // Default end: just after now, so what happened this very millisecond counts.
    const to = instant('to', query.to, clock.now() + 1);
    const from = instant('from', query.from, to - (query.days !== undefined ? query.days * DAY_MS : DEFAULT_RANGE_MS));
    if (from >= to) throw invalid('from', 'must be before to');
    if (to - from > MAX_RANGE_MS) throw invalid('from', 'the range must be at most 400 days');
    // undefined = every channel (administrators without a filter)
    let ids: string[] | undefined = isAdmin(actor) ? undefined : await channels.visibleIds(actor);
    if (query.channelId) ids = [(await channels.get(actor, query.channelId)).id];
    if (query.teamId) {
      const owned = await store.channelsOfTeam(db, query.teamId);
      ids = ids === undefined ? owned : ids.filter((id) => owned.includes(id));
    }
    const scope: store.Scope = ids === undefined ? { all: true } : { all: false, channelIds: ids };
    return { scope, from, to };
  }

  return {
    async summary(actor: Actor, query: AnalyticsQuery) {
      const { scope, from, to } = await resolve(actor, query);
      const [totals, counts] = await Promise.all([store.incidentTotals(db, scope, from, to), store.countAlertsAndEvents(db, scope, from, to)]);
      return {
        from,
        to,
        ...summaryFrom({ ...totals, ackSecondsSum: totals.ackMs / 1000, resolveSecondsSum: totals.resolveMs / 1000, alerts: counts.alerts, events: counts.events }),
      };
    },

    async daily(actor: Actor, query: AnalyticsQuery) {
      const { scope, from, to } = await resolve(actor, query);
      return { from, to, data: daily(await store.incidentFacts(db, scope, from, to), from, to) };
    },

    async breakdown(actor: Actor, query: AnalyticsQuery & { by: string; labelKey?: string | undefined }): Promise<{ data: (BreakdownRow & { name: string })[] }> {
      if (!(BREAKDOWNS as readonly string[]).includes(query.by)) throw invalid('by', `must be one of ${BREAKDOWNS.join(', ')}`);
      if (query.by === 'label' && !query.labelKey) throw invalid('label_key', 'is required when grouping by label');
      const { scope, from, to } = await resolve(actor, query);
      const facts = await store.incidentFacts(db, scope, from, to);
      const by = query.by as BreakdownBy;
      if (by === 'channel') {
        const names = await store.channelDirectory(db);
        return { data: breakdown(facts, (f) => f.channelId).map((r) => ({ ...r, name: names.get(r.key)?.name ?? r.key })) };
      }
      if (by === 'team') {
        const names = await store.teamNames(db);
        return { data: breakdown(facts, (f) => f.teamId).map((r) => ({ ...r, name: names.get(r.key) ?? r.key })) };
      }
      if (by === 'label') {
        const key = query.labelKey ?? '';
        return { data: breakdown(facts, (f) => (Object.hasOwn(f.labels, key) ? f.labels[key] : undefined)).map((r) => ({ ...r, name: r.key })) };
      }
      // By person: every incident a person was paged for counts for them.
      const paged = await store.pagedPeople(db, facts.map((f) => f.id));
      const byId = new Map(facts.map((f) => [f.id, f]));
      const expanded = paged.flatMap((p) => {
        const fact = byId.get(p.incidentId);
        return fact ? [{ ...fact, channelId: p.personId }] : [];
      });
      const people = await store.personDirectory(db, [...new Set(paged.map((p) => p.personId))]);
      return { data: breakdown(expanded, (f) => f.channelId).map((r) => ({ ...r, name: people.get(r.key)?.name ?? r.key })) };
    },

    async interruptions(actor: Actor, query: AnalyticsQuery) {
      const { scope, from, to } = await resolve(actor, query);
      const sent = await store.interruptingMessages(db, scope, from, to);
      const people = await store.personDirectory(db, [...new Set(sent.map((s) => s.personId))]);
      const rows = interruptions(sent, (id) => people.get(id)?.timeZone ?? 'UTC');
      return { from, to, data: rows.map((r) => ({ ...r, name: people.get(r.person_id)?.name ?? r.person_id, time_zone: people.get(r.person_id)?.timeZone ?? 'UTC' })) };
    },

    async exportCsv(actor: Actor, query: AnalyticsQuery): Promise<string> {
      const { scope, from, to } = await resolve(actor, query);
      const [facts, names] = await Promise.all([store.incidentFacts(db, scope, from, to), store.channelDirectory(db)]);
      return incidentsCsv(facts, (id) => names.get(id)?.name ?? id);
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
