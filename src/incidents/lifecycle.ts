import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../core/event.js';
import { stormCrossed } from './grouping.js';
import * as store from './store.js';
import type { IncidentRow } from './store.js';

export type IncidentStatus = 'triggered' | 'processing' | 'closed';

/** State changes other domains react to (escalation, webhooks, live updates), called inside the transaction. */
export interface IncidentHooks {
  onCreated?(trx: Executor, incident: IncidentRow, now: number): Promise<void>;
  onAcknowledged?(trx: Executor, incident: IncidentRow, now: number): Promise<void>;
  onClosed?(trx: Executor, incident: IncidentRow, now: number): Promise<void>;
  /** Escalation starts over at level 1 (reopen, wake from snooze, last acknowledger withdrew). */
  onRestart?(trx: Executor, incident: IncidentRow, now: number): Promise<void>;
  /** An action changed the incident: `assigned`, `escalated`, `merged` or `updated` (SPEC §7 webhook event names). */
  onUpdated?(trx: Executor, incident: IncidentRow, action: 'assigned' | 'escalated' | 'merged' | 'updated', now: number): Promise<void>;
}

/** Bumps the escalation epoch so jobs of the previous pass stop, then lets escalation start over. */
export async function restartEscalation(trx: Executor, incident: IncidentRow, now: number, hooks: IncidentHooks = {}): Promise<IncidentRow> {
  const epoch = incident.escalation_epoch + 1;
  await store.updateIncident(trx, incident.id, { escalation_epoch: epoch, escalation_level: null, updated_at: now });
  const restarted = { ...incident, escalation_epoch: epoch, escalation_level: null };
  await hooks.onRestart?.(trx, restarted, now);
  return restarted;
}

/** The alert fields an incident takes from its first alert. */
export interface FirstAlert {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
}

/** Fields a new incident is opened with; everything else starts the same for every new incident. */
export type NewIncidentFields = Pick<IncidentRow, 'id' | 'number' | 'channel_id' | 'title' | 'description' | 'severity' | 'labels_json' | 'group_key' | 'alert_count' | 'active_alert_count'> &
  Partial<Pick<IncidentRow, 'edited_fields' | 'snoozed_until' | 'impact'>>;

/** A new Triggered incident's row: the given fields over the defaults of a fresh incident. */
export function newIncidentRow(fields: NewIncidentFields, now: number): IncidentRow {
  return {
    edited_fields: '[]',
    snoozed_until: null,
    impact: '',
    ...fields,
    status: 'triggered',
    storm_level: 0,
    created_at: now,
    updated_at: now,
    last_merge_at: now,
    acknowledged_at: null,
    closed_at: null,
    root_cause: null,
    resolution: null,
    rule_id: null,
    rule_snapshot_json: null,
    escalation_epoch: 0,
    escalation_level: null,
    acknowledgers_json: '[]',
    merged_into: null,
  };
}

/** Opens an incident for its first alert (title, description, labels come from it). */
export async function openIncident(
  trx: Executor,
  input: { channelId: string; alert: FirstAlert; groupKey: string | null; now: number; snoozedUntil?: number | null | undefined },
  hooks: IncidentHooks = {},
): Promise<IncidentRow> {
  const { now, alert } = input;
  const row = newIncidentRow(
    {
      id: newId(now),
      number: await store.nextIncidentNumber(trx),
      channel_id: input.channelId,
      title: alert.title,
      description: alert.description,
      severity: alert.severity,
      labels_json: JSON.stringify(alert.labels),
      group_key: input.groupKey,
      alert_count: 1,
      active_alert_count: 1,
      snoozed_until: input.snoozedUntil ?? null,
    },
    now,
  );

  await store.insertIncident(trx, row);
  await store.insertTimeline(trx, row.id, now, 'created', { alert_id: alert.id, severity: alert.severity, title: alert.title });
  await hooks.onCreated?.(trx, row, now);
  return row;
}

function higher(a: string, b: string): string {
  return (SEVERITY_RANK[a as Severity] ?? 0) >= (SEVERITY_RANK[b as Severity] ?? 0) ? a : b;
}

/** Adds an alert to an open incident: counts, severity (highest of its alerts), storm thresholds. */
export async function mergeAlert(
  trx: Executor,
  incident: IncidentRow,
  alert: { id: string; severity: Severity; title: string },
  now: number,
  stormThresholds: readonly number[],
  similarity?: { score: number; sharedTokens: readonly string[] },
): Promise<void> {
  // Counters and severity change in single statements: concurrent merges on PostgreSQL never lose one.
  const counted = await store.countMergedAlert(trx, incident.id, now);
  if (!counted) return;
  const alertCount = counted.alert_count;
  const crossed = stormCrossed(stormThresholds, alertCount - 1, alertCount);
  await store.insertTimeline(trx, incident.id, now, 'alert_merged', { alert_id: alert.id, title: alert.title, severity: alert.severity, ...(similarity && { similarity }) });
  const lower = SEVERITIES.filter((s) => SEVERITY_RANK[s] < SEVERITY_RANK[alert.severity]);
  if (await store.setIfIn(trx, incident.id, 'severity', lower, alert.severity)) {
    await store.insertTimeline(trx, incident.id, now, 'severity_changed', { from: incident.severity, to: alert.severity });
  }
  if (crossed.length > 0) {
    const level = Math.max(...crossed);
    await store.setIfIn(trx, incident.id, 'storm_level', [0, ...stormThresholds.filter((t) => t < level)], level);
  }
  for (const threshold of crossed) await store.insertTimeline(trx, incident.id, now, 'storm', { threshold, alert_count: alertCount });
}

/** Re-derives severity from the incident's open alerts after one of them changed severity. */
export async function refreshSeverity(trx: Executor, incidentId: string, now: number): Promise<void> {
  const incident = await store.findIncident(trx, incidentId);
  if (!incident || incident.status === 'closed' || incident.edited_fields.includes('"severity"')) return;
  const rows = await trx.selectFrom('alerts').select('severity').where('incident_id', '=', incidentId).where('recovered_at', 'is', null).execute();
  if (rows.length === 0) return;
  const severity = rows.map((r) => r.severity).reduce(higher);
  if (severity === incident.severity) return;
  await store.updateIncident(trx, incidentId, { severity, updated_at: now });
  await store.insertTimeline(trx, incidentId, now, 'severity_changed', { from: incident.severity, to: severity });
}

/** Closes an incident (resolve action, all alerts recovered, or auto-close). */
export async function closeIncident(
  trx: Executor,
  incident: IncidentRow,
  now: number,
  detail: { reason: string; actorId?: string | null; rootCause?: string | null; resolution?: string | null },
  hooks: IncidentHooks = {},
): Promise<void> {
  if (incident.status === 'closed') return;
  // Only the first of two concurrent closers (say two last recoveries) writes the timeline and hooks.
  const closed = await store.closeIfOpen(trx, incident.id, {
    status: 'closed',
    closed_at: now,
    updated_at: now,
    ...(detail.rootCause !== undefined && { root_cause: detail.rootCause }),
    ...(detail.resolution !== undefined && { resolution: detail.resolution }),
  });
  if (!closed) return;
  await store.insertTimeline(trx, incident.id, now, 'resolved', { reason: detail.reason }, detail.actorId ?? null);
  await hooks.onClosed?.(trx, { ...incident, status: 'closed', closed_at: now }, now);
}

/** One of the incident's alerts recovered; closes the incident when none is left and the channel says so. */
export async function alertRecovered(
  trx: Executor,
  incidentId: string,
  alert: { id: string; title: string },
  now: number,
  closeWhenAllRecovered: boolean,
  hooks: IncidentHooks = {},
): Promise<void> {
  const incident = await store.countRecoveredAlert(trx, incidentId, now);
  if (!incident) return;
  const active = incident.active_alert_count;
  await store.insertTimeline(trx, incidentId, now, 'alert_recovered', { alert_id: alert.id, title: alert.title });
  if (active === 0 && closeWhenAllRecovered && incident.status !== 'closed') {
    await closeIncident(trx, incident, now, { reason: 'all alerts recovered' }, hooks);
  }
}

// How often an acknowledgement re-reads the incident after losing a race before giving up.
const ACK_ATTEMPTS = 5;

/** Withdraws one acknowledgement; when nobody acknowledges any more the incident is Triggered again and escalation restarts. */
export async function unacknowledgeIncident(trx: Executor, seen: IncidentRow, now: number, actorId: string, hooks: IncidentHooks = {}): Promise<boolean> {
  let incident: IncidentRow | undefined = seen;
  for (let attempt = 0; incident && attempt < ACK_ATTEMPTS; attempt += 1) {
    if (incident.status !== 'processing') return false;
    const acknowledgers = (JSON.parse(incident.acknowledgers_json) as string[]).filter((id) => id !== actorId);
    const stillAcknowledged = acknowledgers.length > 0;
    const changed = await store.updateIfUnchanged(trx, incident, {
      acknowledgers_json: JSON.stringify(acknowledgers),
      ...(stillAcknowledged ? {} : { status: 'triggered', acknowledged_at: null }),
      updated_at: now,
    });
    if (!changed) {
      incident = await store.findIncident(trx, incident.id);
      continue;
    }
    await store.insertTimeline(trx, incident.id, now, 'unacknowledged', { still_acknowledged_by: acknowledgers }, actorId);
    if (!stillAcknowledged) await restartEscalation(trx, { ...incident, status: 'triggered', acknowledged_at: null, acknowledgers_json: '[]' }, now, hooks);
    return true;
  }
  return false;
}

/**
 * Acknowledges a triggered incident (from the API, a notification, or a source such as PagerDuty).
 * The acknowledger list is updated by compare-and-set: two people acknowledging at once both count.
 */
export async function acknowledgeIncident(trx: Executor, seen: IncidentRow, now: number, by: { actorId?: string | null; via: string }, hooks: IncidentHooks = {}): Promise<boolean> {
  let incident: IncidentRow | undefined = seen;
  for (let attempt = 0; incident && attempt < ACK_ATTEMPTS; attempt += 1) {
    if (incident.status === 'closed') return false;
    const acknowledgers = JSON.parse(incident.acknowledgers_json) as string[];
    const key = by.actorId ?? `via:${by.via}`;
    if (incident.status === 'processing' && acknowledgers.includes(key)) return false;
    const nextAcknowledgers = acknowledgers.includes(key) ? acknowledgers : [...acknowledgers, key];
    const changed = await store.updateIfUnchanged(trx, incident, {
      status: 'processing',
      acknowledged_at: incident.acknowledged_at ?? now,
      acknowledgers_json: JSON.stringify(nextAcknowledgers),
      updated_at: now,
    });
    if (!changed) {
      incident = await store.findIncident(trx, incident.id);
      continue;
    }
    await store.insertTimeline(trx, incident.id, now, 'acknowledged', { via: by.via }, by.actorId ?? null);
    if (incident.status === 'triggered') await hooks.onAcknowledged?.(trx, { ...incident, status: 'processing', acknowledged_at: now }, now);
    return true;
  }
  return false;
}
