/**
 * The JSON our documented Datadog webhook template sends (`docs/integrations/datadog.md`,
 * `POST /event/push/alert/datadog`). Each field carries one Datadog webhook variable; Datadog sends an
 * empty string for a variable that does not apply, which is read as absent.
 */
import { ownValue } from '../../core/lookup.js';
import { SourceError, type EventImage, type NormalizedEvent, type Severity, type SourceMapper } from '../model.js';
import { bodyObject, epochToMs, labelsOf, optionalScalar, tagsToLabels } from './read.js';
import { applySeverityOverride, OPSGENIE_PRIORITY } from './severity.js';

/** `$ALERT_TYPE` values. */
const ALERT_TYPE: Readonly<Record<string, Severity>> = { error: 'Critical', warning: 'Warning', info: 'Info', success: 'Info' };

/** Leading `[Triggered on {host:a}]`, `[P1]`, `[Recovered]` … prefixes Datadog puts in titles. */
const TITLE_PREFIX = /^(\s*\[(?:P[1-5]|Triggered|Re-Triggered|Recovered|Warn|Re-Warn|No Data|Re-No Data|Renotify)\b[^\]]*\])+\s*/i;

/** Datadog webhook → one event; the alert key is `$AGGREG_KEY`, else `$ALERT_ID` + `$ALERT_SCOPE`. */
export const datadogMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  const text = (key: string): string | undefined => optionalScalar(body, key, key);

  const transition = text('alert_transition');
  if (transition === undefined) throw new SourceError('alert_transition', 'is required');
  const rawTitle = text('alert_title') ?? text('event_title');
  if (rawTitle === undefined) throw new SourceError('alert_title', 'is required');
  const title = rawTitle.replace(TITLE_PREFIX, '').trim() || rawTitle;

  const priority = text('alert_priority')?.toUpperCase();
  if (priority !== undefined && !ownValue(OPSGENIE_PRIORITY, priority)) throw new SourceError('alert_priority', 'must be one of P1, P2, P3, P4, P5');
  const status = statusOf(transition, text('alert_type')?.toLowerCase(), priority);

  const alertId = text('alert_id');
  const scope = text('alert_scope');
  const alertKey = text('aggreg_key') ?? (alertId === undefined ? undefined : scope === undefined ? alertId : `${alertId}:${scope}`);

  const date = text('date') ?? text('last_updated');
  let eventTime = input.now;
  if (date !== undefined) {
    if (!/^\d+$/.test(date)) throw new SourceError(text('date') !== undefined ? 'date' : 'last_updated', 'must be a unix time in milliseconds');
    eventTime = epochToMs(Number(date));
  }

  const tags = [...splitTags(text('tags')), ...splitTags(scope)];
  const link = text('link');
  const snapshot = text('snapshot');
  const images: EventImage[] = snapshot ? [{ src: snapshot, alt: 'Datadog graph', ...(link ? { href: link } : {}) }] : [];

  const event: NormalizedEvent = {
    title,
    status,
    action: status === 'Ok' ? 'resolve' : 'trigger',
    alertKey,
    description: text('event_msg') ?? text('alert_status') ?? '',
    labels: labelsOf(tagsToLabels(tags), {
      host: text('hostname'),
      monitor_id: alertId,
      priority,
      transition,
      metric: text('alert_metric'),
      monitor_query: text('alert_query'),
      alert_status: text('alert_status'),
      alert_scope: scope,
      datadog_event_id: text('event_id'),
      datadog_org: text('org_name'),
      link,
    }),
    eventTime,
    ...(images.length > 0 ? { images } : {}),
  };
  return applySeverityOverride([event], input.query);
};

/**
 * Recovered → Ok; Warn → Warning; No Data → Info; Triggered / Re-Triggered / Renotify: `$ALERT_TYPE`
 * warning/info first (a renotification of a warning stays a warning), then the monitor priority
 * (P1–P2 Critical, P3 Warning, P4–P5 Info), else Critical (the alert threshold was crossed).
 */
function statusOf(transition: string, alertType: string | undefined, priority: string | undefined): NormalizedEvent['status'] {
  const t = transition.toLowerCase();
  if (t === 'recovered') return 'Ok';
  if (t === 'warn' || t === 're-warn') return 'Warning';
  if (t === 'no data' || t === 're-no data') return 'Info';
  const byType = alertType === undefined ? undefined : ALERT_TYPE[alertType];
  if (byType === 'Warning' || byType === 'Info') return byType;
  return (priority === undefined ? undefined : ownValue(OPSGENIE_PRIORITY, priority)) ?? 'Critical';
}

function splitTags(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(',');
}
