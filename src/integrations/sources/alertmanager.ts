/**
 * Prometheus Alertmanager `webhook_config` payload, version 4 (`POST /event/push/alert/prometheus`).
 * One request carries a group of alerts; each alert is one event keyed by its `fingerprint`.
 */
import { SourceError, type EventImage, type NormalizedEvent, type SourceInput, type SourceMapper } from '../model.js';
import { bodyObject, isRecord, labelsOf, optionalString, parseTime, stringMap, type JsonObject } from './read.js';
import { applySeverityOverride, prometheusSeverity } from './severity.js';
import { checkBatchSize } from './limits.js';

/** Annotations that become the title or description rather than labels. */
const TEXT_ANNOTATIONS = new Set(['summary', 'description', 'message']);

/** What Grafana adds to an Alertmanager-shaped alert. */
export interface AlertExtras {
  readonly labels: Record<string, string>;
  readonly images?: EventImage[];
}

export interface AlertmanagerLikeOptions {
  /** Title when an alert has neither `annotations.summary` nor `labels.alertname`. */
  readonly fallbackTitle: (alert: JsonObject) => string;
  /** Description when an alert has no `description` / `message` annotation. */
  readonly fallbackDescription?: (alert: JsonObject) => string;
  /** Extra labels and images per alert (Grafana URLs and values); runs after the common checks. */
  readonly extras?: (alert: JsonObject, field: string) => AlertExtras;
}

/**
 * Maps an Alertmanager-shaped body (Alertmanager v4, Grafana v1): labels are `commonLabels` overlaid with
 * the alert's labels; annotations other than summary/description/message become labels unless a label
 * of that name exists.
 */
export function mapAlertmanagerLike(body: JsonObject, options: AlertmanagerLikeOptions, now: number): NormalizedEvent[] {
  const alerts = body.alerts;
  if (alerts === undefined || alerts === null) throw new SourceError('alerts', 'is required');
  if (!Array.isArray(alerts)) throw new SourceError('alerts', 'must be an array');
  checkBatchSize(alerts.length, 'alerts');

  const commonLabels = stringMap(body.commonLabels, 'commonLabels');
  const commonAnnotations = stringMap(body.commonAnnotations, 'commonAnnotations');
  const groupStatus = optionalString(body, 'status', 'status');

  return alerts.map((item: unknown, i): NormalizedEvent => {
    const field = `alerts[${i}]`;
    if (!isRecord(item)) throw new SourceError(field, 'must be an object');
    const alert = item;

    const alertLabels = stringMap(alert.labels, `${field}.labels`);
    const annotations = { ...commonAnnotations, ...stringMap(alert.annotations, `${field}.annotations`) };
    const status = optionalString(alert, 'status', `${field}.status`) ?? groupStatus;
    if (status === undefined) throw new SourceError(`${field}.status`, 'is required');
    if (status !== 'firing' && status !== 'resolved') throw new SourceError(`${field}.status`, 'must be firing or resolved');

    const fingerprint = optionalString(alert, 'fingerprint', `${field}.fingerprint`);
    const startsAt = readTime(alert, 'startsAt', field);
    const endsAt = readTime(alert, 'endsAt', field);
    const generatorUrl = optionalString(alert, 'generatorURL', `${field}.generatorURL`);
    const extras = options.extras?.(alert, field);

    const labels = { ...commonLabels, ...alertLabels };
    const annotationLabels = Object.fromEntries(Object.entries(annotations).filter(([name]) => !TEXT_ANNOTATIONS.has(name) && !(name in labels)));
    const allLabels = labelsOf(annotationLabels, { generator_url: generatorUrl }, extras?.labels ?? {}, labels);

    const title = nonBlank(annotations.summary) ?? nonBlank(labels.alertname) ?? options.fallbackTitle(alert);
    const description = nonBlank(annotations.description) ?? nonBlank(annotations.message) ?? options.fallbackDescription?.(alert) ?? '';
    const resolved = status === 'resolved';

    return {
      title,
      status: resolved ? 'Ok' : prometheusSeverity(labels),
      action: resolved ? 'resolve' : 'trigger',
      alertKey: nonBlank(fingerprint),
      description,
      labels: allLabels,
      // A recovery happened when the alert ended; a trigger when it started.
      eventTime: (resolved ? (endsAt ?? startsAt) : startsAt) ?? now,
      ...(extras?.images && extras.images.length > 0 ? { images: extras.images } : {}),
    };
  });
}

/** Alertmanager's "no time" is the Go zero time `0001-01-01T00:00:00Z`. */
function readTime(alert: JsonObject, key: string, field: string): number | undefined {
  const text = optionalString(alert, key, `${field}.${key}`);
  if (text === undefined || text === '' || text.startsWith('0001-01-01')) return undefined;
  const ms = parseTime(text);
  if (ms === undefined) throw new SourceError(`${field}.${key}`, 'must be an RFC 3339 time');
  return ms;
}

function nonBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

/** Alertmanager webhook v4 → one event per alert. */
export const alertmanagerMapper: SourceMapper = (input: SourceInput) => {
  const body = bodyObject(input.body);
  const events = mapAlertmanagerLike(
    body,
    {
      fallbackTitle: (alert) =>
        typeof alert.fingerprint === 'string' && alert.fingerprint !== '' ? `Alertmanager alert ${alert.fingerprint}` : 'Alertmanager alert',
    },
    input.now,
  );
  return applySeverityOverride(events, input.query);
};
