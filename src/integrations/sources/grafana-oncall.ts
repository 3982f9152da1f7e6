/**
 * Grafana OnCall inbound URLs (`POST /integrations/v1/<kind>/<token>/`, issue 14): the payloads OnCall
 * accepted, so switching is changing the host and the token. `alertmanager` and `grafana_alerting`
 * are the Alertmanager and Grafana mappers; this file adds what OnCall took beyond those:
 * - `grafana`: legacy Grafana alerting (`ruleId`, `ruleName`, `state`, `evalMatches`) — or, when the
 *   body has an `alerts` array, unified alerting as `grafana_alerting`;
 * - `webhook` / `formatted_webhook`: OnCall's default templates — `title`, `message`, `image_url`,
 *   `link_to_upstream_details`, `alert_uid` (the alert key), and `state: "ok"` resolves.
 */
import { type NormalizedEvent, type SourceMapper } from '../model.js';
import { alertmanagerMapper } from './alertmanager.js';
import { grafanaMapper } from './grafana.js';
import { bodyObject, flattenToLabels, isRecord, labelText, labelsOf, optionalScalar, optionalString, truncate, type JsonObject } from './read.js';
import { applySeverityOverride, prometheusSeverity } from './severity.js';

/** The `<kind>` path segments of OnCall's inbound URLs. */
export const ONCALL_KINDS = ['alertmanager', 'grafana_alerting', 'grafana', 'webhook', 'formatted_webhook'] as const;
export type OncallKind = (typeof ONCALL_KINDS)[number];

const MAX_LABELS = 50;

/** Legacy Grafana alerting webhook (before unified alerting). */
export const grafanaLegacyMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  if (Array.isArray(body.alerts)) return grafanaMapper(input);
  const state = (optionalString(body, 'state', 'state') ?? 'alerting').toLowerCase();
  const tags = isRecord(body.tags) ? labelsOf(body.tags) : {};
  const ruleId = optionalScalar(body, 'ruleId', 'ruleId');
  const title = optionalString(body, 'title', 'title') ?? optionalString(body, 'ruleName', 'ruleName') ?? 'Grafana alert';
  const matches: Record<string, string> = {};
  if (Array.isArray(body.evalMatches)) {
    for (const match of body.evalMatches.slice(0, 20)) {
      if (!isRecord(match)) continue;
      const metric = labelText(match.metric);
      const value = labelText(match.value);
      if (metric && value !== undefined) matches[`value_${metric}`] = value;
    }
  }
  const event: NormalizedEvent = {
    title: truncate(title, 512),
    // `ok` resolves; `no_data` is not a recovery, Grafana's own OnCall template treats it as firing.
    status: state === 'ok' ? 'Ok' : prometheusSeverity(tags),
    action: 'trigger',
    alertKey: ruleId ? `grafana-rule-${ruleId}` : (optionalString(body, 'ruleUrl', 'ruleUrl') ?? undefined),
    description: optionalString(body, 'message', 'message') ?? '',
    labels: labelsOf(tags, matches, {
      rule_name: optionalString(body, 'ruleName', 'ruleName'),
      rule_url: optionalString(body, 'ruleUrl', 'ruleUrl'),
      grafana_state: state,
      grafana_org_id: optionalScalar(body, 'orgId', 'orgId'),
    }),
    images: imageOf(optionalString(body, 'imageUrl', 'imageUrl')),
    eventTime: input.now,
  };
  return applySeverityOverride([event], input.query);
};

/** OnCall's webhook and formatted webhook: its default templates over any JSON object. */
export const oncallWebhookMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  const state = (optionalScalar(body, 'state', 'state') ?? '').toLowerCase();
  const severityText = optionalScalar(body, 'severity', 'severity');
  const known = new Set(['title', 'message', 'image_url', 'link_to_upstream_details', 'alert_uid', 'state']);
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(body)) if (!known.has(key)) rest[key] = value;
  const labels = Object.fromEntries(Object.entries(flattenToLabels(rest, '')).slice(0, MAX_LABELS));
  const link = optionalString(body, 'link_to_upstream_details', 'link_to_upstream_details');
  if (link) labels.link_to_upstream_details = truncate(link, 2048);
  const uid = optionalScalar(body, 'alert_uid', 'alert_uid');
  const event: NormalizedEvent = {
    title: truncate(optionalScalar(body, 'title', 'title') ?? 'Webhook alert', 512),
    status: state === 'ok' || state === 'resolved' ? 'Ok' : prometheusSeverity(severityText ? { severity: severityText } : {}),
    action: 'trigger',
    alertKey: uid,
    description: truncate(optionalString(body, 'message', 'message') ?? '', 2048),
    labels,
    images: imageOf(optionalString(body, 'image_url', 'image_url')),
    eventTime: input.now,
  };
  return applySeverityOverride([event], input.query);
};

function imageOf(url: string | undefined) {
  return url && /^https?:\/\//.test(url) ? [{ src: url }] : undefined;
}

/** The mapper of each OnCall inbound URL kind. */
export const ONCALL_MAPPERS: Readonly<Record<OncallKind, SourceMapper>> = {
  alertmanager: alertmanagerMapper,
  grafana_alerting: grafanaMapper,
  grafana: grafanaLegacyMapper,
  webhook: oncallWebhookMapper,
  formatted_webhook: oncallWebhookMapper,
};

/** Tocsin integration sources whose keys each kind accepts (OnCall's token becomes the integration key). */
export const ONCALL_SOURCES: Readonly<Record<OncallKind, readonly string[]>> = {
  alertmanager: ['prometheus'],
  grafana_alerting: ['grafana', 'prometheus'],
  grafana: ['grafana'],
  webhook: ['standard', 'custom'],
  formatted_webhook: ['standard', 'custom'],
};
