import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { GRAFANA_SIGNATURE_HEADER, grafanaMapper, verifyGrafanaSignature } from './grafana.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const batchText = readFileSync(new URL('./fixtures/grafana-batch.json', import.meta.url), 'utf8');
const batch = (): Record<string, unknown> => JSON.parse(batchText) as Record<string, unknown>;

function run(body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return grafanaMapper({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });
}

function errorOf(body: unknown): string {
  try {
    run(body);
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('grafanaMapper', () => {
  it('maps a firing and a resolved alert with URLs and values as labels', () => {
    expect(run(batch())).toEqual([
      {
        title: 'This alert was triggered for zone us-1',
        status: 'Critical',
        action: 'trigger',
        alertKey: 'c6eadffa33fcdf37',
        description: 'The system has high memory usage',
        labels: {
          alertname: 'High memory usage',
          grafana_folder: 'Infra',
          team: 'blue',
          zone: 'us-1',
          severity: 'critical',
          runbook_url: 'https://runbooks.example.com/memory',
          generator_url: 'https://grafana.example.com/alerting/grafana/1afz29v7z/view?orgId=1',
          grafana_org_id: '1',
          dashboard_url: 'https://grafana.example.com/d/dash_uid?orgId=1',
          panel_url: 'https://grafana.example.com/d/dash_uid?orgId=1&viewPanel=1',
          silence_url: 'https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DHigh+memory+usage',
          value_string: "[ var='B' labels={zone=us-1} value=44.23943737541908 ], [ var='C' labels={zone=us-1} value=1 ]",
          value_B: '44.23943737541908',
          value_C: '1',
        },
        eventTime: Date.parse('2025-01-15T10:51:03.157Z'),
        images: [{ src: 'https://grafana.example.com/public/img/attachments/abc.png', alt: 'Grafana panel' }],
      },
      {
        title: 'High CPU usage',
        status: 'Ok',
        action: 'resolve',
        alertKey: 'bc97ff14869b13e3',
        description: '',
        labels: {
          alertname: 'High CPU usage',
          grafana_folder: 'Infra',
          team: 'blue',
          zone: 'eu-1',
          generator_url: 'https://grafana.example.com/alerting/grafana/d1rdpdv7k/view?orgId=1',
          grafana_org_id: '1',
          silence_url: 'https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DHigh+CPU+usage',
        },
        eventTime: Date.parse('2025-01-15T11:56:03.157Z'),
      },
    ]);
  });

  it('falls back to the group title and message for a lone alert without text', () => {
    const body = { orgId: 2, title: '[FIRING:1] DatasourceError', message: 'Query failed', alerts: [{ status: 'firing', labels: { severity: 'info' } }] };
    expect(run(body)).toEqual([
      {
        title: '[FIRING:1] DatasourceError',
        status: 'Info',
        action: 'trigger',
        alertKey: undefined,
        description: 'Query failed',
        labels: { severity: 'info', grafana_org_id: '2' },
        eventTime: NOW,
      },
    ]);
  });

  it('falls back to a fixed title when nothing names the alert', () => {
    expect(run({ alerts: [{ status: 'firing' }, { status: 'firing' }], message: 'm' }).map((e) => [e.title, e.description])).toEqual([
      ['Grafana alert', ''],
      ['Grafana alert', ''],
    ]);
  });

  it('honours ?severity=', () => {
    expect(run(batch(), { severity: 'Warning' }).map((e) => e.status)).toEqual(['Warning', 'Ok']);
  });

  it.each([
    ['a missing alerts array', { version: '1', orgId: 1 }, 'alerts: is required'],
    ['a bad orgId', { orgId: {}, alerts: [] }, 'orgId: must be a string'],
    ['values that are not an object', { alerts: [{ status: 'firing', values: [1] }] }, 'alerts[0].values: must be an object'],
    ['a non-string dashboardURL', { alerts: [{ status: 'firing' }, { status: 'firing', dashboardURL: 1 }] }, 'alerts[1].dashboardURL: must be a string'],
    ['a non-string label', { alerts: [{ status: 'firing', labels: { zone: null } }] }, 'alerts[0].labels.zone: must be a string'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});

describe('verifyGrafanaSignature', () => {
  const rawBody = batchText;
  const secret = 's3cret';
  const hmac = (data: string): string => createHmac('sha256', secret).update(data).digest('hex');

  it('accepts a correct signature over the body, whatever the header case', () => {
    expect(
      verifyGrafanaSignature({ rawBody, headers: { 'x-grafana-alerting-signature': hmac(rawBody) }, secret, headerName: GRAFANA_SIGNATURE_HEADER }),
    ).toEqual({ ok: true });
  });

  it('accepts upper-case hex and a custom header', () => {
    expect(verifyGrafanaSignature({ rawBody, headers: { 'X-Sig': hmac(rawBody).toUpperCase() }, secret, headerName: 'x-sig' })).toEqual({ ok: true });
  });

  it('signs timestamp:body when a timestamp header is configured', () => {
    const headers = { 'x-grafana-alerting-signature': hmac(`1736942400:${rawBody}`), 'x-grafana-alerting-timestamp': '1736942400' };
    const base = { rawBody, headers, secret, headerName: GRAFANA_SIGNATURE_HEADER, timestampHeader: 'X-Grafana-Alerting-Timestamp' };
    expect(verifyGrafanaSignature(base)).toEqual({ ok: true });
    expect(verifyGrafanaSignature({ ...base, now: NOW })).toEqual({ ok: true });
    expect(verifyGrafanaSignature({ ...base, now: NOW + 301_000 })).toEqual({ ok: false, reason: 'timestamp outside the allowed window' });
    expect(verifyGrafanaSignature({ ...base, headers: { ...headers, 'x-grafana-alerting-signature': hmac(rawBody) } })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
  });

  it.each([
    ['a missing header', {}, 'missing X-Grafana-Alerting-Signature header'],
    ['a wrong signature', { 'x-grafana-alerting-signature': hmac(`${rawBody} `) }, 'signature does not match'],
    ['a truncated signature', { 'x-grafana-alerting-signature': hmac(rawBody).slice(0, 32) }, 'signature does not match'],
    ['a non-hex signature', { 'x-grafana-alerting-signature': 'sha256=zz' }, 'signature does not match'],
  ])('refuses %s', (_name, headers, reason) => {
    expect(verifyGrafanaSignature({ rawBody, headers, secret, headerName: GRAFANA_SIGNATURE_HEADER })).toEqual({ ok: false, reason });
  });

  it('refuses a missing timestamp header when one is configured', () => {
    expect(
      verifyGrafanaSignature({
        rawBody,
        headers: { 'x-grafana-alerting-signature': hmac(rawBody) },
        secret,
        headerName: GRAFANA_SIGNATURE_HEADER,
        timestampHeader: 'X-Ts',
      }),
    ).toEqual({ ok: false, reason: 'missing X-Ts header' });
  });
});
