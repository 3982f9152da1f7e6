import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { alertmanagerMapper } from './alertmanager.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const batchText = readFileSync(new URL('./fixtures/alertmanager-batch.json', import.meta.url), 'utf8');
const batch = (): Record<string, unknown> => JSON.parse(batchText) as Record<string, unknown>;

function run(body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return alertmanagerMapper({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });
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

function withAlert(alert: Record<string, unknown>): Record<string, unknown> {
  return { version: '4', status: 'firing', alerts: [alert] };
}

describe('alertmanagerMapper', () => {
  it('maps a batch: one event per alert, fingerprint as key, resolved as Ok', () => {
    expect(run(batch())).toEqual([
      {
        title: 'Filesystem has less than 5% space left.',
        status: 'Critical',
        action: 'trigger',
        alertKey: '8f1d7c3b2a9e4f60',
        description: 'Filesystem on /dev/nvme0n1p1 at db-01:9100 has only 3.12% available space left.',
        labels: {
          alertname: 'NodeFilesystemAlmostOutOfSpace',
          cluster: 'eu-prod-1',
          dashboard: 'https://grafana.example.com/d/node',
          device: '/dev/nvme0n1p1',
          generator_url: 'http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1',
          instance: 'db-01:9100',
          job: 'node',
          mountpoint: '/var/lib/postgresql',
          runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/node/nodefilesystemalmostoutofspace',
          severity: 'critical',
        },
        eventTime: Date.parse('2025-01-15T11:58:30.123Z'),
      },
      {
        title: 'NodeFilesystemAlmostOutOfSpace',
        status: 'Warning',
        action: 'trigger',
        alertKey: '0b6e2a5d9c8f7e11',
        description: 'Filesystem on /dev/nvme1n1 at db-02:9100 has only 4.80% available space left.',
        labels: {
          alertname: 'NodeFilesystemAlmostOutOfSpace',
          cluster: 'eu-prod-1',
          dashboard: 'https://grafana.example.com/d/node',
          device: '/dev/nvme1n1',
          instance: 'db-02:9100',
          job: 'node',
          mountpoint: '/var/lib/postgresql',
          severity: 'WARNING',
        },
        eventTime: Date.parse('2025-01-15T11:58:31Z'),
      },
      {
        title: 'Pod is crash looping.',
        status: 'Ok',
        action: 'resolve',
        alertKey: 'c41ab9e07f3d2a58',
        description: '',
        labels: {
          alertname: 'KubePodCrashLooping',
          cluster: 'eu-prod-1',
          container: 'api',
          dashboard: 'https://grafana.example.com/d/node',
          generator_url: 'http://prometheus.example.com:9090/graph?g0.expr=kube_pod_container_status_restarts_total',
          job: 'node',
          namespace: 'shop',
          pod: 'api-7d9f8b6c5d-x2kqz',
          priority: 'info',
        },
        eventTime: Date.parse('2025-01-15T11:55:00Z'),
      },
    ]);
  });

  it.each([
    [{ severity: 'critical' }, 'Critical'],
    [{ severity: 'warn' }, 'Warning'],
    [{ severity: 'info' }, 'Info'],
    [{ severity: 'error' }, 'Warning'],
    [{ severity: 'none' }, 'Warning'],
    [{}, 'Warning'],
    [{ priority: 'critical' }, 'Critical'],
    [{ level: 'info' }, 'Info'],
    [{ severity: 'warning', priority: 'critical' }, 'Warning'],
    [{ level: 'critical', priority: 'info' }, 'Info'],
  ])('severity from labels %j is %s', (labels, expected) => {
    expect(run(withAlert({ status: 'firing', labels: { alertname: 'A', ...labels } }))[0]?.status).toBe(expected);
  });

  it('handles an alert with only the required fields', () => {
    expect(run({ alerts: [{ status: 'firing', labels: {} }] })).toEqual([
      { title: 'Alertmanager alert', status: 'Warning', action: 'trigger', alertKey: undefined, description: '', labels: {}, eventTime: NOW },
    ]);
  });

  it('uses the group status when an alert has none, and the fingerprint in a fallback title', () => {
    const [event] = run({ status: 'resolved', alerts: [{ fingerprint: 'abc', labels: {} }] });
    expect(event).toMatchObject({ title: 'Alertmanager alert abc', status: 'Ok', action: 'resolve', alertKey: 'abc', eventTime: NOW });
  });

  it('keeps labels over annotations of the same name and the override applies to firing alerts only', () => {
    const events = run(batch(), { severity: 'Info' });
    expect(events.map((e) => e.status)).toEqual(['Info', 'Info', 'Ok']);
    const [event] = run(withAlert({ status: 'firing', labels: { team: 'db' }, annotations: { team: 'ignored', summary: 's' } }));
    expect(event?.labels).toEqual({ team: 'db' });
  });

  it('accepts an empty batch', () => {
    expect(run({ version: '4', alerts: [] })).toEqual([]);
  });

  it.each([
    ['a non-object body', 'nope', 'body: must be a JSON object'],
    ['missing alerts', { version: '4' }, 'alerts: is required'],
    ['alerts not an array', { alerts: {} }, 'alerts: must be an array'],
    ['an alert that is not an object', { alerts: [{ status: 'firing' }, 7] }, 'alerts[1]: must be an object'],
    ['an alert without status', { alerts: [{}, { status: 'firing' }] }, 'alerts[0].status: is required'],
    [
      'a non-string label in the third alert',
      { status: 'firing', alerts: [{ labels: {} }, { labels: {} }, { labels: { alertname: 'x', host: 12 } }] },
      'alerts[2].labels.host: must be a string',
    ],
    ['labels not an object', withAlert({ status: 'firing', labels: 'a=b' }), 'alerts[0].labels: must be an object'],
    ['a non-string annotation', withAlert({ status: 'firing', annotations: { summary: ['x'] } }), 'alerts[0].annotations.summary: must be a string'],
    ['a bad status', withAlert({ status: 'pending' }), 'alerts[0].status: must be firing or resolved'],
    ['a bad startsAt', withAlert({ status: 'firing', startsAt: 'yesterday' }), 'alerts[0].startsAt: must be an RFC 3339 time'],
    ['a non-string fingerprint', withAlert({ status: 'firing', fingerprint: 42 }), 'alerts[0].fingerprint: must be a string'],
    ['non-string commonLabels', { alerts: [], commonLabels: { env: true } }, 'commonLabels.env: must be a string'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});
