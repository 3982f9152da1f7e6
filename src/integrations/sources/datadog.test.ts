import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { datadogMapper } from './datadog.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function run(body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return datadogMapper({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });
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

/** What the documented template sends for a triggered multi-alert monitor. */
const triggered = {
  event_id: '7738452839201846211',
  alert_id: '48213907',
  aggreg_key: '9bd4ac313a4d1e8fae2482df7b77628',
  alert_cycle_key: '7738452839201846211',
  alert_transition: 'Triggered',
  alert_type: 'error',
  alert_priority: 'P2',
  alert_title: '[P2] [Triggered on {host:web-1}] CPU load is high on web-1',
  event_title: '[P2] [Triggered on {host:web-1}] CPU load is high on web-1',
  alert_status: 'system.load.1 over host:web-1 was > 4 on average during the last 5m',
  alert_scope: 'host:web-1',
  alert_metric: 'system.load.1',
  alert_query: 'avg(last_5m):avg:system.load.1{*} by {host} > 4',
  event_msg: 'Load is high. @webhook-tocsin',
  date: '1736942280000',
  last_updated: '1736942280000',
  hostname: 'web-1',
  tags: 'env:prod,service:checkout,team:payments,canary',
  link: 'https://app.datadoghq.com/event/event?id=7738452839201846211',
  snapshot: 'https://p.datadoghq.com/snapshot/view/dd-snapshots-prod/org_1/2025-01-15/abc.png',
  org_id: '1',
  org_name: 'Example Inc',
};

describe('datadogMapper', () => {
  it('maps a triggered monitor', () => {
    expect(run(triggered)).toEqual([
      {
        title: 'CPU load is high on web-1',
        status: 'Critical',
        action: 'trigger',
        alertKey: '9bd4ac313a4d1e8fae2482df7b77628',
        description: 'Load is high. @webhook-tocsin',
        labels: {
          env: 'prod',
          service: 'checkout',
          team: 'payments',
          canary: 'true',
          host: 'web-1',
          monitor_id: '48213907',
          priority: 'P2',
          transition: 'Triggered',
          metric: 'system.load.1',
          monitor_query: 'avg(last_5m):avg:system.load.1{*} by {host} > 4',
          alert_status: 'system.load.1 over host:web-1 was > 4 on average during the last 5m',
          alert_scope: 'host:web-1',
          datadog_event_id: '7738452839201846211',
          datadog_org: 'Example Inc',
          link: 'https://app.datadoghq.com/event/event?id=7738452839201846211',
        },
        eventTime: 1736942280000,
        images: [
          {
            src: 'https://p.datadoghq.com/snapshot/view/dd-snapshots-prod/org_1/2025-01-15/abc.png',
            alt: 'Datadog graph',
            href: 'https://app.datadoghq.com/event/event?id=7738452839201846211',
          },
        ],
      },
    ]);
  });

  it('maps a recovery to the same key and title', () => {
    const [event] = run({
      ...triggered,
      alert_transition: 'Recovered',
      alert_type: 'success',
      alert_title: '[P2] [Recovered on {host:web-1}] CPU load is high on web-1',
    });
    expect(event).toMatchObject({ title: 'CPU load is high on web-1', status: 'Ok', action: 'resolve', alertKey: '9bd4ac313a4d1e8fae2482df7b77628' });
  });

  it('handles the minimum: empty variables are absent, the key falls back to alert id and scope', () => {
    expect(
      run({
        alert_transition: 'Triggered',
        alert_title: 'Disk full',
        alert_id: '42',
        alert_scope: 'host:db-1,device:/dev/sda',
        tags: '',
        aggreg_key: '',
        date: '',
      }),
    ).toEqual([
      {
        title: 'Disk full',
        status: 'Critical',
        action: 'trigger',
        alertKey: '42:host:db-1,device:/dev/sda',
        description: '',
        labels: { host: 'db-1', device: '/dev/sda', monitor_id: '42', transition: 'Triggered', alert_scope: 'host:db-1,device:/dev/sda' },
        eventTime: NOW,
      },
    ]);
  });

  it.each([
    ['Recovered', undefined, undefined, 'Ok'],
    ['Warn', 'warning', 'P1', 'Warning'],
    ['Re-Warn', undefined, undefined, 'Warning'],
    ['No Data', 'error', undefined, 'Info'],
    ['Triggered', 'error', undefined, 'Critical'],
    ['Triggered', undefined, 'P3', 'Warning'],
    ['Re-Triggered', 'error', 'P5', 'Info'],
    ['Renotify', 'warning', 'P1', 'Warning'],
    ['Triggered', undefined, undefined, 'Critical'],
  ])('transition %s with type %s and priority %s is %s', (transition, type, priority, expected) => {
    expect(run({ alert_transition: transition, alert_title: 't', alert_type: type, alert_priority: priority })[0]?.status).toBe(expected);
  });

  it('honours ?severity= and keeps a title that is only a prefix', () => {
    expect(run({ alert_transition: 'Triggered', alert_title: '[Triggered]' }, { severity: 'Info' })[0]).toMatchObject({ title: '[Triggered]', status: 'Info' });
  });

  it.each([
    ['a non-object body', 'x', 'body: must be a JSON object'],
    ['a missing transition', { alert_title: 't' }, 'alert_transition: is required'],
    ['a missing title', { alert_transition: 'Triggered', event_title: '' }, 'alert_title: is required'],
    ['a bad priority', { alert_transition: 'Triggered', alert_title: 't', alert_priority: 'urgent' }, 'alert_priority: must be one of P1, P2, P3, P4, P5'],
    ['a bad date', { alert_transition: 'Triggered', alert_title: 't', date: '2025-01-15' }, 'date: must be a unix time in milliseconds'],
    ['tags as an array', { alert_transition: 'Triggered', alert_title: 't', tags: ['a:b'] }, 'tags: must be a string'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});
