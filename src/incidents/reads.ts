import type { Clock } from '../core/clock.js';
import { forbidden, invalid, notFound } from '../core/errors.js';
import type { Executor } from '../db/types.js';
import { canWrite, type Actor } from '../people/model.js';
import type { RequestContext } from '../people/audit.js';
import type { ChannelsService } from '../channels/service.js';
import { findAlert } from './alert-store.js';
import { describeEntry, type TimelineContext, type TimelineLanguage } from './timeline-text.js';
import { postmortemDraft } from './postmortem.js';
import * as store from './store.js';
import * as actionsStore from './actions-store.js';
import type { IncidentRow, TimelineRow } from './store.js';

/** A timeline entry with the sentence a person reads and the actor's name. */
export interface DescribedEntry {
  readonly row: TimelineRow;
  readonly text: string;
  readonly actorName: string | null;
}

export const POSTMORTEM_MAX = 200_000;
/** Change events this long before an incident started are "recent changes" for it. */
export const CHANGES_LOOKBACK_MS = 24 * 3_600_000;

/** Paged reads of an incident (timeline with sentences, alerts, an alert's events, recent changes) and its post-mortem. */
export function createIncidentReads(deps: { db: Executor; clock: Clock; channels: ChannelsService }) {
  const { db, clock, channels } = deps;

  async function loadVisible(actor: Actor, id: string): Promise<IncidentRow> {
    const incident = await store.findIncident(db, id);
    if (!incident) throw notFound('incident');
    await channels.get(actor, incident.channel_id).catch(() => {
      throw notFound('incident');
    });
    return incident;
  }

  async function describe(incident: IncidentRow, rows: readonly TimelineRow[], language: TimelineLanguage = 'en'): Promise<DescribedEntry[]> {
    const manual = await actionsStore.timelineOfKind(db, incident.id, 'escalated_manually');
    const ids = [...rows, ...manual].map((r) => r.actor_id).filter((id): id is string => id !== null);
    const names = await actionsStore.personNames(db, ids);
    const snapshot = incident.rule_snapshot_json ? (JSON.parse(incident.rule_snapshot_json) as { levels?: { escalate_after_min: number }[]; mode?: string }) : undefined;
    const ctx: TimelineContext = {
      names,
      levels: snapshot?.levels ?? [],
      mode: snapshot?.mode === 'unresolved' ? 'unresolved' : 'unacknowledged',
      manualEscalations: manual.map((m) => ({ level: Number((JSON.parse(m.data_json) as { to_level?: number }).to_level), at: m.created_at, actorId: m.actor_id })),
    };
    return rows.map((row) => {
      const data = JSON.parse(row.data_json) as Record<string, unknown>;
      return { row, text: describeEntry({ kind: row.kind, actor_id: row.actor_id, data, created_at: row.created_at }, ctx, language), actorName: row.actor_id ? (names.get(row.actor_id) ?? null) : null };
    });
  }

  return {
    /** The timeline oldest first, `limit + 1` rows after `afterId` (the extra row says more exist), its sentences in `language`. */
    async timeline(actor: Actor, id: string, limit: number, afterId: string | undefined, language: TimelineLanguage = 'en'): Promise<DescribedEntry[]> {
      const incident = await loadVisible(actor, id);
      return describe(incident, await actionsStore.timelinePage(db, id, limit, afterId), language);
    },

    async alerts(actor: Actor, id: string, limit: number, afterId: string | undefined) {
      await loadVisible(actor, id);
      return actionsStore.alertsPage(db, id, limit, afterId);
    },

    /** An alert's own timeline: its events, newest first. */
    async alertEvents(actor: Actor, alertId: string, limit: number, beforeId: string | undefined) {
      const alert = await findAlert(db, alertId);
      if (!alert) throw notFound('alert');
      await channels.get(actor, alert.channel_id).catch(() => {
        throw notFound('alert');
      });
      return actionsStore.eventsPage(db, alertId, limit, beforeId);
    },

    /** Change events of the incident's channel from a day before it started until it closed (newest first, the latest 100). */
    async changes(actor: Actor, id: string) {
      const incident = await loadVisible(actor, id);
      return actionsStore.changeEventsOf(db, incident.channel_id, incident.created_at - CHANGES_LOOKBACK_MS, incident.closed_at ?? clock.now(), 100);
    },

    /** The saved post-mortem, or a draft prefilled with the timeline and impact (not saved until edited). */
    async postmortem(actor: Actor, id: string, language: TimelineLanguage = 'en'): Promise<{ markdown: string; saved: boolean; updated_at: number | null; updated_by: string | null }> {
      const incident = await loadVisible(actor, id);
      const saved = await actionsStore.findPostmortem(db, id);
      if (saved) return { markdown: saved.markdown, saved: true, updated_at: saved.updated_at, updated_by: saved.updated_by };
      const channel = await channels.get(actor, incident.channel_id);
      const rows = (await actionsStore.timelinePage(db, id, 1000, undefined)).filter((r) => r.kind !== 'postmortem_saved');
      const described = await describe(incident, rows, language);
      const markdown = postmortemDraft(incident, channel.name, described.map((d) => ({ at: d.row.created_at, text: d.text, actor: d.actorName })), language);
      return { markdown, saved: false, updated_at: null, updated_by: null };
    },

    async savePostmortem(ctx: RequestContext, id: string, markdown: string): Promise<{ markdown: string; saved: boolean; updated_at: number; updated_by: string }> {
      if (markdown.length > POSTMORTEM_MAX) throw invalid('markdown', `must be at most ${POSTMORTEM_MAX} characters`);
      await loadVisible(ctx.actor, id);
      if (!canWrite(ctx.actor)) throw forbidden('viewers cannot edit post-mortems');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const existing = await actionsStore.findPostmortem(trx, id);
        await actionsStore.savePostmortem(trx, { incident_id: id, markdown, updated_by: ctx.actor.person.id, created_at: existing?.created_at ?? now, updated_at: now });
        await store.insertTimeline(trx, id, now, 'postmortem_saved', { length: markdown.length }, ctx.actor.person.id);
      });
      return { markdown, saved: true, updated_at: now, updated_by: ctx.actor.person.id };
    },
  };
}

export type IncidentReads = ReturnType<typeof createIncidentReads>;
