import { newId } from '../core/ids.js';
import type { FilterSubject } from '../core/filter.js';
import type { Executor } from '../db/types.js';
import type { NormalizedEvent, Severity } from '../core/event.js';
import { chooseIncident, groupKey, idleCloseAt, type IncidentCandidate, RULES_CANDIDATES, SIMILARITY_CANDIDATES } from '../incidents/grouping.js';
import { enqueueJob } from '../db/jobs.js';
import * as incidents from '../incidents/store.js';
import { scheduleWake } from '../incidents/service.js';
import { acknowledgeIncident, alertRecovered, mergeAlert, openIncident, refreshSeverity, type IncidentHooks } from '../incidents/lifecycle.js';
import type { ChannelRuntime } from './rules-service.js';
import { decideDedup, evaluateFlapping, inhibitKey, isSilenced, recordStateChange, type AlertSnapshot } from './model.js';
import * as alerts from './store.js';
import type { AlertRow } from './store.js';

/** What happened to one event in one channel. */
export type ApplyOutcome =
  | { readonly kind: 'created'; readonly alertId: string; readonly incidentId: string | null; readonly state: AlertState }
  | { readonly kind: 'updated' | 'duplicate' | 'recovered' | 'acknowledged'; readonly alertId: string }
  | { readonly kind: 'ignored' | 'discarded' };

/** `active` alerts belong to an incident; silenced and inhibited ones open none. */
export type AlertState = 'active' | 'silenced' | 'inhibited';

type Labels = Readonly<Record<string, string>>;

function snapshot(row: AlertRow): AlertSnapshot {
  return { status: row.status as AlertSnapshot['status'], title: row.title, description: row.description, labels: JSON.parse(row.labels_json) as Labels };
}

/** The filter subject of a stored alert (inhibit rules match stored alerts as sources). */
export function subjectOf(row: Pick<AlertRow, 'severity' | 'title' | 'description' | 'labels_json' | 'integration_id'>): FilterSubject {
  return { severity: row.severity, title: row.title, description: row.description, integration: row.integration_id ?? '', labels: JSON.parse(row.labels_json) as Labels };
}

/** Indexes an active alert under every inhibit rule whose source it matches (see alerts/store `findInhibitingAlert`). */
export async function indexInhibitor(trx: Executor, alertId: string, subject: FilterSubject, runtime: ChannelRuntime): Promise<void> {
  const keys = runtime.inhibits.filter((named) => named.rule.source(subject)).map((named) => ({ ruleId: named.id, equalKey: inhibitKey(named.rule, subject) }));
  await alerts.insertInhibitKeys(trx, alertId, keys);
}

function candidateOf(row: incidents.IncidentRow): IncidentCandidate {
  return {
    id: row.id,
    groupKey: row.group_key,
    startedAt: row.created_at,
    lastMergeAt: row.last_merge_at,
    alertCount: row.alert_count,
    title: row.title,
    description: row.description,
    labels: JSON.parse(row.labels_json) as Labels,
  };
}

export interface ApplyContext {
  readonly channelId: string;
  readonly integrationId: string;
  readonly alertKey: string;
  readonly runtime: ChannelRuntime;
  readonly now: number;
  readonly hooks?: IncidentHooks | undefined;
}

/**
 * Applies one event to the alert with its key in one channel (call inside the event's transaction):
 * dedup, flapping, silence, inhibit, grouping into an incident, recovery and auto-close.
 */
export async function applyEvent(trx: Executor, event: NormalizedEvent, ctx: ApplyContext): Promise<ApplyOutcome> {
  const { now, runtime } = ctx;
  const latest = await alerts.findLatestAlert(trx, ctx.channelId, ctx.alertKey);
  const decision = decideDedup(latest && snapshot(latest), event, now);
  const eventTime = event.eventTime ?? now;

  async function storeEvent(alertId: string, status: string, labels: Labels): Promise<void> {
    await alerts.insertEvent(trx, { id: newId(now), alert_id: alertId, status, title: event.title, description: event.description, labels_json: JSON.stringify(labels), event_time: eventTime, received_at: now });
  }

  switch (decision.kind) {
    case 'ignore-ok':
    case 'ignore-ack':
      return { kind: 'ignored' };
    case 'duplicate': {
      if (!latest) return { kind: 'ignored' };
      await alerts.updateAlert(trx, latest.id, { last_event_at: now, event_count: latest.event_count + 1 });
      return { kind: 'duplicate', alertId: latest.id };
    }
    case 'acknowledge': {
      if (!latest) return { kind: 'ignored' };
      const incident = latest.incident_id ? await incidents.findIncident(trx, latest.incident_id) : undefined;
      if (incident) await acknowledgeIncident(trx, incident, now, { via: 'integration' }, ctx.hooks);
      return { kind: 'acknowledged', alertId: latest.id };
    }
    case 'update': {
      if (!latest) return { kind: 'ignored' };
      const c = decision.changes;
      const labels = c.labels ?? (JSON.parse(latest.labels_json) as Labels);
      await alerts.updateAlert(trx, latest.id, {
        ...(c.status !== undefined && { status: c.status, severity: c.status }),
        ...(c.title !== undefined && { title: c.title }),
        ...(c.description !== undefined && { description: c.description }),
        ...(c.labels !== undefined && { labels_json: JSON.stringify(c.labels) }),
        last_event_at: now,
        event_count: latest.event_count + 1,
      });
      await storeEvent(latest.id, event.status, labels);
      if (c.status !== undefined && latest.incident_id && latest.state === 'active') await refreshSeverity(trx, latest.incident_id, now);
      if (latest.state === 'active' && runtime.inhibits.length > 0) {
        // Its labels, title or severity changed: index it again under the rules it now matches.
        await alerts.deleteInhibitKeys(trx, latest.id);
        const severity = c.status ?? latest.severity;
        await indexInhibitor(trx, latest.id, { severity, title: c.title ?? latest.title, description: c.description ?? latest.description, integration: latest.integration_id ?? '', labels }, runtime);
      }
      return { kind: 'updated', alertId: latest.id };
    }
    case 'recover': {
      if (!latest) return { kind: 'ignored' };
      const labels = { ...(JSON.parse(latest.labels_json) as Labels), ...decision.addedLabels };
      const history = recordStateChange(JSON.parse(latest.flap_changes) as number[], now, runtime.noise.flapping);
      await alerts.updateAlert(trx, latest.id, {
        status: 'Ok',
        recovered_at: decision.recoveredAt,
        labels_json: JSON.stringify(labels),
        flap_changes: JSON.stringify(history),
        last_event_at: now,
        event_count: latest.event_count + 1,
      });
      await storeEvent(latest.id, 'Ok', labels);
      if (runtime.inhibits.length > 0) await alerts.deleteInhibitKeys(trx, latest.id);
      if (latest.incident_id && latest.state === 'active') {
        await alertRecovered(trx, latest.incident_id, { id: latest.id, title: latest.title }, now, runtime.noise.autoClose.whenAllRecovered, ctx.hooks);
      }
      return { kind: 'recovered', alertId: latest.id };
    }
    case 'new':
    case 'reopen-as-new':
      return createAlert(trx, event, ctx, latest, storeEvent);
  }
}

async function createAlert(
  trx: Executor,
  event: NormalizedEvent,
  ctx: ApplyContext,
  previous: AlertRow | undefined,
  storeEvent: (alertId: string, status: string, labels: Labels) => Promise<void>,
): Promise<ApplyOutcome> {
  const { now, runtime } = ctx;
  const severity = event.status as Severity;
  const subject: FilterSubject = { severity, title: event.title, description: event.description, integration: ctx.integrationId, labels: event.labels };

  const silence = runtime.silences.find((s) => isSilenced(s.rule, subject, now));
  if (silence?.rule.action === 'discard') return { kind: 'discarded' };

  // Flapping is per key: a recovered alert's change history carries over to the key's next alert.
  const history = recordStateChange(previous ? (JSON.parse(previous.flap_changes) as number[]) : [], now, runtime.noise.flapping);
  const flapping = runtime.noise.flapping.mode === 'off' ? { flapping: false } : evaluateFlapping(history, now, runtime.noise.flapping);

  let state: AlertState = silence ? 'silenced' : 'active';
  let inhibitedBy: string | undefined;
  // One indexed probe per inhibit rule whose target matches: complete, whatever the channel's open alerts.
  for (const named of state === 'active' ? runtime.inhibits : []) {
    if (!named.rule.target(subject)) continue;
    inhibitedBy = await alerts.findInhibitingAlert(trx, named.id, inhibitKey(named.rule, subject));
    if (inhibitedBy !== undefined) {
      state = 'inhibited';
      break;
    }
  }

  const alertId = newId(now);
  let incidentId: string | null = null;
  if (state === 'active') {
    const key = groupKey(runtime.noise.grouping, subject);
    const candidates =
      key === null
        ? []
        : await incidents.openIncidentsByGroupKey(trx, ctx.channelId, key, runtime.noise.grouping.mode === 'similarity' ? SIMILARITY_CANDIDATES : RULES_CANDIDATES);
    const choice = chooseIncident(runtime.noise.grouping, subject, candidates.map(candidateOf), now);
    if (choice.kind === 'merge') {
      const target = candidates.find((c) => c.id === choice.incidentId);
      if (target) {
        incidentId = target.id;
        await mergeAlert(trx, target, { id: alertId, severity, title: event.title }, now, runtime.noise.stormThresholds, choice.similarity);
      }
    }
    if (incidentId === null) {
      // Flapping in mute mode: the incident opens snoozed until the mute ends, then pages (SPEC §2.3).
      const mutedUntil = flapping.mutedUntil !== undefined && flapping.mutedUntil > now ? flapping.mutedUntil : null;
      const opened = await openIncident(
        trx,
        { channelId: ctx.channelId, alert: { id: alertId, title: event.title, description: event.description, severity, labels: event.labels }, groupKey: key, now, snoozedUntil: mutedUntil },
        ctx.hooks,
      );
      if (mutedUntil !== null) await scheduleWake(trx, opened.id, mutedUntil, now);
      incidentId = opened.id;
      const idleDeadline = idleCloseAt(now, runtime.noise.autoClose);
      // Kind and key are the engine's idle-close module's (engine/modules/idle-close.ts).
      if (idleDeadline !== undefined) await enqueueJob(trx, { kind: 'incident-idle-close', key: `idle-close:${opened.id}`, runAt: idleDeadline, payload: { incidentId: opened.id } }, now);
    }
    if (flapping.flapping) await incidents.insertTimeline(trx, incidentId, now, 'flapping', { alert_id: alertId, alert_key: ctx.alertKey, muted_until: flapping.mutedUntil ?? null });
  }

  await alerts.insertAlert(trx, {
    id: alertId,
    channel_id: ctx.channelId,
    integration_id: ctx.integrationId,
    incident_id: incidentId,
    alert_key: ctx.alertKey,
    title: event.title,
    description: event.description,
    severity,
    status: severity,
    labels_json: JSON.stringify(event.labels),
    suppressed_by: silence?.id ?? inhibitedBy ?? null,
    event_count: 1,
    state,
    flapping: flapping.flapping ? 1 : 0,
    flap_changes: JSON.stringify(history),
    muted_until: flapping.mutedUntil ?? null,
    first_event_at: event.eventTime ?? now,
    last_event_at: now,
    recovered_at: null,
    created_at: now,
  });
  await storeEvent(alertId, severity, event.labels);
  if (state === 'active' && runtime.inhibits.length > 0) await indexInhibitor(trx, alertId, subject, runtime);
  return { kind: 'created', alertId, incidentId, state };
}
