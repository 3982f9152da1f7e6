import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { zabbixMapper } from './zabbix.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

function run(body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return zabbixMapper({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });
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

const minimal = { event_id: 9, event_value: 1, event_name: 'Disk full', event_severity: 'Average' };

describe('zabbixMapper', () => {
  it('maps a problem', () => {
    expect(run(fixture('zabbix-problem'))).toEqual([
      {
        title: 'High CPU utilization (over 90% for 5m)',
        status: 'Critical',
        action: 'trigger',
        alertKey: '4711',
        description: 'CPU utilization is too high. The system might be slow to respond.',
        labels: {
          class: 'os',
          component: 'cpu',
          scope: 'performance,availability',
          maintenance: 'true',
          host: 'Web server 01',
          host_host: 'web-01.example.com',
          host_ip: '10.0.3.11',
          host_groups: 'Linux servers',
          item_name: 'CPU utilization',
          item_key: 'system.cpu.util',
          item_value: '97.3 %',
          opdata: 'Current utilization: 97.3 %',
          trigger_id: '23041',
          zabbix_event_id: '4711',
          zabbix_severity: 'High',
          zabbix_event_url: 'https://zabbix.example.com/tr_events.php?triggerid=23041&eventid=4711',
        },
        eventTime: 1736942100000,
      },
    ]);
  });

  it('maps a recovery of the same problem to the same key', () => {
    expect(run(fixture('zabbix-recovery'))).toEqual([
      {
        title: 'High CPU utilization (over 90% for 5m)',
        status: 'Ok',
        action: 'resolve',
        alertKey: '4711',
        description: '',
        labels: {
          component: 'cpu',
          host: 'Web server 01',
          trigger_id: '23041',
          zabbix_event_id: '4711',
          zabbix_severity: 'High',
          zabbix_event_url: 'https://zabbix.example.com/tr_events.php?triggerid=23041&eventid=4711',
        },
        eventTime: 1736942700000,
      },
    ]);
  });

  it('maps an acknowledgement update to action acknowledge with the current severity', () => {
    const body = { ...minimal, event_update: '1', event_ack: 'Yes', event_update_user: 'Ada Lovelace', event_update_message: 'looking' };
    expect(run(body)).toEqual([
      {
        title: 'Disk full',
        status: 'Warning',
        action: 'acknowledge',
        alertKey: '9',
        description: 'Ada Lovelace: looking',
        labels: { zabbix_event_id: '9', zabbix_severity: 'Average' },
        eventTime: NOW,
      },
    ]);
  });

  it('treats an update without acknowledgement as a repeat trigger', () => {
    expect(run({ ...minimal, event_update: '1', event_ack: 'No', message: 'Ada commented' })[0]).toMatchObject({
      action: 'trigger',
      status: 'Warning',
      description: 'Ada commented',
    });
  });

  it.each([
    ['Disaster', undefined, 'Critical'],
    ['High', undefined, 'Critical'],
    ['average', undefined, 'Warning'],
    ['Warning', undefined, 'Warning'],
    ['Information', undefined, 'Info'],
    ['Not classified', undefined, 'Info'],
    ['Katastrophe', '5', 'Critical'],
    [undefined, '2', 'Warning'],
    [undefined, '0', 'Info'],
  ])('severity %s / %s is %s', (name, number, expected) => {
    expect(run({ event_id: '1', event_value: '1', event_name: 'x', event_severity: name, event_nseverity: number })[0]?.status).toBe(expected);
  });

  it('uses the trigger name when the event name is missing, and ?severity= overrides', () => {
    expect(run({ event_id: '1', event_value: '1', trigger_name: 'T', event_nseverity: '1' }, { severity: 'Critical' })[0]).toMatchObject({
      title: 'T',
      status: 'Critical',
    });
  });

  it('runs the shipped media type script and maps what it sends', () => {
    const yaml = readFileSync(new URL('../../../docs/integrations/zabbix/tocsin_media_type.yaml', import.meta.url), 'utf8');
    const lines = yaml.split('\n');
    const start = lines.findIndex((line) => line.trim() === 'script: |');
    const end = lines.findIndex((line, i) => i > start && line.trim() !== '' && !line.startsWith('        '));
    const script = lines
      .slice(start + 1, end)
      .map((line) => line.slice(8))
      .join('\n');

    const sent: { url: string; body: string }[] = [];
    class HttpRequest {
      addHeader(): void {}
      setProxy(): void {}
      post(url: string, body: string): string {
        sent.push({ url, body });
        return '{}';
      }
      getStatus(): number {
        return 200;
      }
    }
    const zabbix = { log: (): void => {} };
    const params = {
      tocsin_url: 'https://tocsin.example.com/event/push/alert/zabbix?integration_key=KEY',
      http_proxy: '',
      event_id: '4711',
      event_value: '1',
      event_update: '0',
      event_ack: 'No',
      event_source: '0',
      event_name: 'Disk full on /var',
      event_severity: 'Disaster',
      event_nseverity: '5',
      event_timestamp: '1736942100',
      event_recovery_timestamp: '{EVENT.RECOVERY.TIMESTAMP}',
      event_tags: '[{"tag":"service","value":"db"}]',
      host_name: 'db-01',
      host_host: 'db-01',
      zabbix_url: '{$ZABBIX.URL}',
    };
    const execute = new Function('value', 'HttpRequest', 'Zabbix', script) as (value: string, http: typeof HttpRequest, z: typeof zabbix) => string;
    expect(execute(JSON.stringify(params), HttpRequest, zabbix)).toBe('OK');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(params.tocsin_url);
    expect(run(JSON.parse(sent[0]?.body ?? '{}'))).toEqual([
      {
        title: 'Disk full on /var',
        status: 'Critical',
        action: 'trigger',
        alertKey: '4711',
        description: '',
        labels: { service: 'db', host: 'db-01', zabbix_event_id: '4711', zabbix_severity: 'Disaster' },
        eventTime: 1736942100000,
      },
    ]);
  });

  it.each([
    ['a non-object body', [], 'body: must be a JSON object'],
    ['a missing event_id', { event_value: '1', event_name: 'x', event_severity: 'High' }, 'event_id: is required'],
    ['a missing event_value', { event_id: '1', event_name: 'x' }, 'event_value: is required'],
    ['a bad event_value', { ...minimal, event_value: '2' }, 'event_value: must be 1 (problem) or 0 (recovery)'],
    ['a missing title', { event_id: '1', event_value: '1', event_severity: 'High' }, 'event_name: is required'],
    ['a missing severity', { event_id: '1', event_value: '1', event_name: 'x' }, 'event_severity: is required'],
    [
      'an unknown severity name',
      { ...minimal, event_severity: 'Loud' },
      'event_severity: must be one of Disaster, High, Average, Warning, Information, Not classified',
    ],
    ['a bad nseverity', { event_id: '1', event_value: '1', event_name: 'x', event_nseverity: '9' }, 'event_nseverity: must be a number from 0 to 5'],
    ['a bad timestamp', { ...minimal, event_timestamp: '15.01.2025' }, 'event_timestamp: must be a unix time in seconds'],
    ['tags that are not a list', { ...minimal, event_tags: { a: 'b' } }, 'event_tags: must be a list of {tag, value}'],
    ['tags that are bad JSON', { ...minimal, event_tags: '[{' }, 'event_tags: must be a list of {tag, value}'],
    ['a tag without name', { ...minimal, event_tags: [{ tag: 'a' }, { value: 'b' }] }, 'event_tags[1].tag: is required'],
    ['an object as event name', { ...minimal, event_name: { x: 1 } }, 'event_name: must be a string'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});
