import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

/** What Alertmanager posts to a Grafana OnCall alertmanager integration URL. */
const alertmanagerPayload = (status: 'firing' | 'resolved') => ({
  version: '4',
  groupKey: '{}:{alertname="HighLatency"}',
  status,
  receiver: 'oncall',
  groupLabels: { alertname: 'HighLatency' },
  commonLabels: { alertname: 'HighLatency', severity: 'critical' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status,
      labels: { alertname: 'HighLatency', severity: 'critical', service: 'api' },
      annotations: { summary: 'API latency above 2 s' },
      startsAt: '2026-03-02T08:59:00Z',
      endsAt: status === 'resolved' ? '2026-03-02T09:05:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'a1b2c3d4e5f60718',
    },
  ],
});

describe.each(dialects)('Grafana OnCall inbound URLs on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it('an Alertmanager push to /integrations/v1/alertmanager/{token}/ opens an incident, and its resolution closes it', async () => {
    const channel = await h.channel('OnCall alertmanager');
    const integration = await h.integration(channel.id, 'prometheus');
    const fired = await h.push(`/integrations/v1/alertmanager/${integration.key}/`, alertmanagerPayload('firing'));
    expect(fired.status).toBe(200);
    expect(fired.body).toMatchObject({ data: { alert_key: 'a1b2c3d4e5f60718' } });
    const [incident] = await h.incidents(channel.id);
    expect(incident).toMatchObject({ title: 'API latency above 2 s', severity: 'Critical', status: 'triggered' });

    const resolved = await h.push(`/integrations/v1/alertmanager/${integration.key}/`, alertmanagerPayload('resolved'));
    expect(resolved.status).toBe(200);
    expect((await h.incidents(channel.id))[0]?.status).toBe('closed');
  });

  it('takes formatted webhooks and legacy Grafana alerts, and refuses a token of the wrong kind or an unknown one', async () => {
    const channel = await h.channel('OnCall webhooks');
    const standard = await h.integration(channel.id, 'standard');
    const webhook = await h.push(`/integrations/v1/formatted_webhook/${standard.key}/`, { alert_uid: 'disk-1', title: 'Disk almost full', message: '95 %', state: 'alerting' });
    expect(webhook.status).toBe(200);
    expect((await h.incidents(channel.id))[0]).toMatchObject({ title: 'Disk almost full', status: 'triggered' });
    await h.push(`/integrations/v1/formatted_webhook/${standard.key}`, { alert_uid: 'disk-1', title: 'Disk almost full', state: 'ok' });
    expect((await h.incidents(channel.id))[0]?.status).toBe('closed');

    const grafana = await h.integration(channel.id, 'grafana');
    const legacy = await h.push(`/integrations/v1/grafana/${grafana.key}/`, { title: '[Alerting] CPU', ruleId: 7, ruleName: 'CPU', state: 'alerting', message: 'CPU high', tags: { severity: 'warning' } });
    expect(legacy.status).toBe(200);
    expect(legacy.body).toMatchObject({ data: { alert_key: 'grafana-rule-7' } });

    const wrongKind = await h.push(`/integrations/v1/alertmanager/${standard.key}/`, alertmanagerPayload('firing'));
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body).toMatchObject({ error: { code: 'InvalidParameter', field: 'token' } });
    const unknown = await h.push(`/integrations/v1/alertmanager/${'0'.repeat(32)}/`, alertmanagerPayload('firing'));
    expect(unknown.status).toBe(401);
    const badKind = await h.push(`/integrations/v1/zabbix/${standard.key}/`, {});
    expect(badKind.status).toBe(400);
  });
});
