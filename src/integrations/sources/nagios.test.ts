import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { nagiosMapper } from './nagios.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function run(body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return nagiosMapper({ body, rawBody: '', query, headers: {}, now: NOW });
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

/** What the documented curl command posts as a form for a service notification. */
const serviceProblem = {
  NOTIFICATIONTYPE: 'PROBLEM',
  HOSTNAME: 'db-01',
  HOSTALIAS: 'Primary database',
  HOSTADDRESS: '10.0.4.21',
  HOSTSTATE: 'UP',
  SERVICEDESC: 'Disk /var',
  SERVICESTATE: 'CRITICAL',
  SERVICEOUTPUT: 'DISK CRITICAL - free space: /var 812 MB (3% inode=91%)',
  LONGSERVICEOUTPUT: '',
  SERVICEGROUPNAMES: 'databases',
  HOSTGROUPNAMES: 'linux-servers,db-servers',
  TIMET: '1736942100',
};

describe('nagiosMapper', () => {
  it('maps a service problem', () => {
    expect(run(serviceProblem)).toEqual([
      {
        title: 'Disk /var on db-01',
        status: 'Critical',
        action: 'trigger',
        alertKey: 'db-01/Disk /var',
        description: 'DISK CRITICAL - free space: /var 812 MB (3% inode=91%)',
        labels: {
          host: 'db-01',
          service: 'Disk /var',
          state: 'CRITICAL',
          host_address: '10.0.4.21',
          host_alias: 'Primary database',
          host_groups: 'linux-servers,db-servers',
          service_groups: 'databases',
          notification_type: 'PROBLEM',
        },
        eventTime: 1736942100000,
      },
    ]);
  });

  it('maps a service recovery to the same key', () => {
    const [event] = run({ ...serviceProblem, NOTIFICATIONTYPE: 'RECOVERY', SERVICESTATE: 'OK', SERVICEOUTPUT: 'DISK OK' });
    expect(event).toMatchObject({ status: 'Ok', action: 'resolve', alertKey: 'db-01/Disk /var', description: 'DISK OK' });
  });

  it('maps a host problem from JSON with lower-case and NAGIOS_ prefixed names', () => {
    expect(
      run({
        nagios_notificationtype: 'PROBLEM',
        hostname: 'sw-core-1',
        HOSTSTATE: 'UNREACHABLE',
        HOSTOUTPUT: 'PING CRITICAL - Packet loss = 100%',
        LONGHOSTOUTPUT: 'line 2',
      }),
    ).toEqual([
      {
        title: 'Host sw-core-1',
        status: 'Critical',
        action: 'trigger',
        alertKey: 'sw-core-1',
        description: 'PING CRITICAL - Packet loss = 100%\nline 2',
        labels: { host: 'sw-core-1', state: 'UNREACHABLE', notification_type: 'PROBLEM' },
        eventTime: NOW,
      },
    ]);
  });

  it('maps an acknowledgement to action acknowledge, keeping the severity', () => {
    expect(
      run({
        NOTIFICATIONTYPE: 'ACKNOWLEDGEMENT',
        HOSTNAME: 'web-1',
        SERVICEDESC: 'HTTP',
        SERVICESTATE: 'WARNING',
        NOTIFICATIONAUTHOR: 'ada',
        NOTIFICATIONCOMMENT: 'on it',
      }),
    ).toEqual([
      {
        title: 'HTTP on web-1',
        status: 'Warning',
        action: 'acknowledge',
        alertKey: 'web-1/HTTP',
        description: 'ada: on it',
        labels: { host: 'web-1', service: 'HTTP', state: 'WARNING', notification_type: 'ACKNOWLEDGEMENT', ack_author: 'ada', ack_comment: 'on it' },
        eventTime: NOW,
      },
    ]);
  });

  it.each([
    ['CRITICAL', 'Critical', 'trigger'],
    ['WARNING', 'Warning', 'trigger'],
    ['UNKNOWN', 'Info', 'trigger'],
    ['OK', 'Ok', 'resolve'],
    ['critical', 'Critical', 'trigger'],
  ])('service state %s is %s', (state, status, action) => {
    expect(run({ HOSTNAME: 'h', SERVICEDESC: 's', SERVICESTATE: state })[0]).toMatchObject({ status, action });
  });

  it.each([
    ['DOWN', 'Critical'],
    ['UNREACHABLE', 'Critical'],
    ['UP', 'Ok'],
  ])('host state %s is %s', (state, status) => {
    expect(run({ HOSTNAME: 'h', HOSTSTATE: state })[0]?.status).toBe(status);
  });

  it('lets the state decide for flapping and downtime notifications, and ?severity= override', () => {
    expect(run({ NOTIFICATIONTYPE: 'FLAPPINGSTART', HOSTNAME: 'h', HOSTSTATE: 'DOWN' }, { severity: 'Info' })[0]).toMatchObject({
      status: 'Info',
      action: 'trigger',
    });
    expect(run({ NOTIFICATIONTYPE: 'DOWNTIMEEND', HOSTNAME: 'h', HOSTSTATE: 'UP' })[0]).toMatchObject({ status: 'Ok', action: 'resolve' });
  });

  it.each([
    ['a text body', 'HOSTNAME=x', 'body: must be a JSON object'],
    ['a missing HOSTNAME', { HOSTSTATE: 'DOWN' }, 'HOSTNAME: is required'],
    ['a missing HOSTSTATE', { HOSTNAME: 'h' }, 'HOSTSTATE: is required'],
    ['a missing SERVICESTATE', { HOSTNAME: 'h', SERVICEDESC: 's', HOSTSTATE: 'UP' }, 'SERVICESTATE: is required'],
    ['a bad SERVICESTATE', { HOSTNAME: 'h', SERVICEDESC: 's', SERVICESTATE: 'PENDING' }, 'SERVICESTATE: must be one of OK, WARNING, CRITICAL, UNKNOWN'],
    ['a bad HOSTSTATE', { HOSTNAME: 'h', HOSTSTATE: 'WARNING' }, 'HOSTSTATE: must be one of UP, DOWN, UNREACHABLE'],
    ['a bad TIMET', { HOSTNAME: 'h', HOSTSTATE: 'UP', TIMET: 'now' }, 'TIMET: must be a unix time in seconds'],
    ['an object field', { HOSTNAME: { a: 1 }, HOSTSTATE: 'UP' }, 'HOSTNAME: must be a string'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});
