import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../model.js';
import { grafanaLegacyMapper, oncallWebhookMapper } from './grafana-oncall.js';

const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);
const input = (body: unknown, query: Record<string, string> = {}) => ({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });

describe('Grafana OnCall webhook payloads', () => {
  it('maps the formatted webhook fields; state ok resolves the alert_uid', () => {
    const [event] = oncallWebhookMapper(
      input({ alert_uid: 'u-1', title: 'Disk full', message: 'at 95 %', image_url: 'https://img/x.png', link_to_upstream_details: 'https://grafana/d/1', state: 'alerting', severity: 'critical', host: 'db-1' }),
    );
    expect(event).toEqual<NormalizedEvent>({
      title: 'Disk full',
      status: 'Critical',
      action: 'trigger',
      alertKey: 'u-1',
      description: 'at 95 %',
      labels: { severity: 'critical', host: 'db-1', link_to_upstream_details: 'https://grafana/d/1' },
      images: [{ src: 'https://img/x.png' }],
      eventTime: NOW,
    });
    expect(oncallWebhookMapper(input({ alert_uid: 'u-1', state: 'OK' }))[0]).toMatchObject({ status: 'Ok', alertKey: 'u-1' });
  });

  it('takes any JSON object for the plain webhook, flattening it into labels', () => {
    const [event] = oncallWebhookMapper(input({ check: { name: 'ping', target: 'web' } }));
    expect(event).toMatchObject({ title: 'Webhook alert', status: 'Warning', alertKey: undefined, labels: { 'check.name': 'ping', 'check.target': 'web' } });
  });
});

describe('legacy Grafana alerting', () => {
  it('keys by rule id, resolves on ok and keeps eval matches as labels', () => {
    const body = { title: '[Alerting] CPU', ruleId: 3, ruleName: 'CPU', ruleUrl: 'https://g/d', state: 'alerting', message: 'CPU high', evalMatches: [{ metric: 'web-1', value: 97 }], tags: { severity: 'critical' } };
    expect(grafanaLegacyMapper(input(body))[0]).toMatchObject({
      title: '[Alerting] CPU',
      status: 'Critical',
      alertKey: 'grafana-rule-3',
      description: 'CPU high',
      labels: { severity: 'critical', 'value_web-1': '97', rule_name: 'CPU', grafana_state: 'alerting' },
    });
    expect(grafanaLegacyMapper(input({ ...body, state: 'ok' }))[0]).toMatchObject({ status: 'Ok', alertKey: 'grafana-rule-3' });
  });
});
