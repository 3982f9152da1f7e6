/**
 * Severity mapping tables of SPEC §3.1, one per source, and the `?severity=` override every push
 * endpoint honours. Pure data and functions.
 */
import { ownValue } from '../../core/lookup.js';
import { SourceError, type EventStatus, type NormalizedEvent, type Severity } from '../model.js';

/** Alertmanager / Grafana: the first of these labels present decides the severity. */
export const PROMETHEUS_SEVERITY_LABELS = ['severity', 'priority', 'level'] as const;

/** Alertmanager / Grafana label values (compared lower-cased); anything else is {@link PROMETHEUS_DEFAULT_SEVERITY}. */
export const PROMETHEUS_SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'Critical',
  warning: 'Warning',
  warn: 'Warning',
  info: 'Info',
};

export const PROMETHEUS_DEFAULT_SEVERITY: Severity = 'Warning';

/** Severity of an Alertmanager or Grafana alert from its labels (SPEC §3.1). */
export function prometheusSeverity(labels: Readonly<Record<string, string>>): Severity {
  for (const name of PROMETHEUS_SEVERITY_LABELS) {
    const value = ownValue(labels, name);
    if (value === undefined) continue;
    return ownValue(PROMETHEUS_SEVERITY, value.trim().toLowerCase()) ?? PROMETHEUS_DEFAULT_SEVERITY;
  }
  return PROMETHEUS_DEFAULT_SEVERITY;
}

/** Zabbix severity names (`{EVENT.SEVERITY}`, compared lower-cased). */
export const ZABBIX_SEVERITY: Readonly<Record<string, Severity>> = {
  disaster: 'Critical',
  high: 'Critical',
  average: 'Warning',
  warning: 'Warning',
  information: 'Info',
  'not classified': 'Info',
};

/** Zabbix numeric severities (`{EVENT.NSEVERITY}`, 0 = Not classified … 5 = Disaster), same mapping. */
export const ZABBIX_NSEVERITY: readonly Severity[] = ['Info', 'Info', 'Warning', 'Warning', 'Critical', 'Critical'];

/** Nagios host and service states (`$HOSTSTATE$`, `$SERVICESTATE$`). */
export const NAGIOS_STATE: Readonly<Record<string, EventStatus>> = {
  CRITICAL: 'Critical',
  DOWN: 'Critical',
  UNREACHABLE: 'Critical',
  WARNING: 'Warning',
  UNKNOWN: 'Info',
  OK: 'Ok',
  UP: 'Ok',
};

/** PagerDuty Events API v2 `payload.severity`. */
export const PAGERDUTY_SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'Critical',
  error: 'Warning',
  warning: 'Warning',
  info: 'Info',
};

/** Opsgenie `priority` (also Datadog `$ALERT_PRIORITY`). */
export const OPSGENIE_PRIORITY: Readonly<Record<string, Severity>> = {
  P1: 'Critical',
  P2: 'Critical',
  P3: 'Warning',
  P4: 'Info',
  P5: 'Info',
};

export const OPSGENIE_DEFAULT_PRIORITY = 'P3';

/** CloudWatch `NewStateValue`; the ALARM severity is configurable per integration. */
export const CLOUDWATCH_STATE: Readonly<Record<string, EventStatus>> = {
  ALARM: 'Warning',
  OK: 'Ok',
  INSUFFICIENT_DATA: 'Info',
};

const OVERRIDES: Readonly<Record<string, Severity>> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

/**
 * The `?severity=` override, if the query has one: `Critical`, `Warning` or `Info` (any letter case).
 * An empty value means no override; anything else is a SourceError on `severity`.
 */
export function severityOverride(query: Readonly<Record<string, string | undefined>>): Severity | undefined {
  const raw = query.severity;
  if (raw === undefined || raw.trim() === '') return undefined;
  const severity = ownValue(OVERRIDES, raw.trim().toLowerCase());
  if (!severity) throw new SourceError('severity', 'must be one of Critical, Warning, Info');
  return severity;
}

/**
 * Applies the `?severity=` override to the triggering events of a batch. Recoveries stay `Ok` and
 * acknowledgements keep their status: the override is about how loud a problem is, not whether it exists.
 */
export function applySeverityOverride(events: NormalizedEvent[], query: Readonly<Record<string, string | undefined>>): NormalizedEvent[] {
  const severity = severityOverride(query);
  if (!severity) return events;
  return events.map((event) => (event.action === 'trigger' && event.status !== 'Ok' ? { ...event, status: severity } : event));
}
