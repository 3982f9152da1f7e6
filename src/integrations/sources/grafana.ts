/**
 * Grafana unified alerting webhook, version 1 (`POST /event/push/alert/grafana`), and its optional
 * HMAC-SHA256 signature check.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SourceError, type EventImage, type SourceMapper } from '../model.js';
import { mapAlertmanagerLike } from './alertmanager.js';
import { bodyObject, isRecord, labelText, optionalScalar, optionalString, type JsonObject } from './read.js';
import { applySeverityOverride } from './severity.js';

/** Grafana's default signature header name. */
export const GRAFANA_SIGNATURE_HEADER = 'X-Grafana-Alerting-Signature';

/**
 * Grafana webhook → one event per alert, as Alertmanager, plus: the URLs as labels `dashboard_url`,
 * `panel_url`, `silence_url` (and `generator_url`), each `values.<refId>` as label `value_<refId>`,
 * `orgId` as label `grafana_org_id`, `imageURL` as an image. The group `title` and `message` are
 * fallbacks for an alert without summary/alertname (title) or description (message, single-alert groups only).
 */
export const grafanaMapper: SourceMapper = (input) => {
  const body = bodyObject(input.body);
  const orgId = optionalScalar(body, 'orgId', 'orgId');
  const groupTitle = optionalString(body, 'title', 'title');
  const groupMessage = optionalString(body, 'message', 'message');
  const single = Array.isArray(body.alerts) && body.alerts.length === 1;

  const events = mapAlertmanagerLike(
    body,
    {
      fallbackTitle: () => (groupTitle && groupTitle.trim() !== '' ? groupTitle : 'Grafana alert'),
      fallbackDescription: () => (single && groupMessage ? groupMessage : ''),
      extras: (alert, field) => grafanaExtras(alert, field, orgId),
    },
    input.now,
  );
  return applySeverityOverride(events, input.query);
};

function grafanaExtras(alert: JsonObject, field: string, orgId: string | undefined): { labels: Record<string, string>; images: EventImage[] } {
  const labels: Record<string, string> = {};
  const put = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') labels[name] = value;
  };
  put('grafana_org_id', orgId);
  put('dashboard_url', optionalString(alert, 'dashboardURL', `${field}.dashboardURL`));
  put('panel_url', optionalString(alert, 'panelURL', `${field}.panelURL`));
  put('silence_url', optionalString(alert, 'silenceURL', `${field}.silenceURL`));
  put('value_string', optionalString(alert, 'valueString', `${field}.valueString`));

  const values = alert.values;
  if (values !== undefined && values !== null) {
    if (!isRecord(values)) throw new SourceError(`${field}.values`, 'must be an object');
    for (const [refId, value] of Object.entries(values)) put(`value_${refId}`, labelText(value));
  }

  const imageUrl = optionalString(alert, 'imageURL', `${field}.imageURL`);
  const images: EventImage[] = imageUrl ? [{ src: imageUrl, alt: 'Grafana panel' }] : [];
  return { labels, images };
}

export interface GrafanaSignatureCheck {
  /** The request body exactly as received. */
  readonly rawBody: string;
  /** Request headers; names are matched case-insensitively. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly secret: string;
  /** Header carrying the hex HMAC, as configured in the contact point (Grafana's default: {@link GRAFANA_SIGNATURE_HEADER}). */
  readonly headerName: string;
  /** Header carrying the timestamp, when the contact point sets one: then `timestamp:body` is signed. */
  readonly timestampHeader?: string | undefined;
  /** With `now` (unix ms), a timestamp (unix seconds) older or newer than `toleranceSeconds` is refused. */
  readonly now?: number | undefined;
  readonly toleranceSeconds?: number | undefined;
}

export type SignatureResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Checks Grafana's webhook HMAC-SHA256 signature (hex) over the raw body, or over `timestamp:body`. */
export function verifyGrafanaSignature(check: GrafanaSignatureCheck): SignatureResult {
  const signature = headerValue(check.headers, check.headerName)?.trim();
  if (!signature) return { ok: false, reason: `missing ${check.headerName} header` };

  let signed = check.rawBody;
  if (check.timestampHeader) {
    const timestamp = headerValue(check.headers, check.timestampHeader)?.trim();
    if (!timestamp) return { ok: false, reason: `missing ${check.timestampHeader} header` };
    if (check.now !== undefined) {
      const seconds = Number(timestamp);
      const tolerance = check.toleranceSeconds ?? 300;
      if (!Number.isFinite(seconds) || Math.abs(check.now / 1000 - seconds) > tolerance) return { ok: false, reason: 'timestamp outside the allowed window' };
    }
    signed = `${timestamp}:${check.rawBody}`;
  }

  const expected = createHmac('sha256', check.secret).update(signed, 'utf8').digest();
  const given = /^[0-9a-fA-F]+$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

function headerValue(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
