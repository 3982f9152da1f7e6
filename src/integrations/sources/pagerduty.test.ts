import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent, type SourceMapper } from '../model.js';
import { pagerDutyChangeMapper, pagerDutyMapper, validatePagerDutyChangeEvent, validatePagerDutyEvent } from './pagerduty.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

function run(body: unknown, query: Record<string, string> = {}, mapper: SourceMapper = pagerDutyMapper): NormalizedEvent[] {
  return mapper({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });
}

function errorOf(body: unknown, mapper: SourceMapper = pagerDutyMapper): string {
  try {
    run(body, {}, mapper);
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a SourceError');
}

/** The trigger example of the Events API v2 documentation, with nested details. */
const trigger = {
  payload: {
    summary: 'Example alert on host1.example.com',
    timestamp: '2015-07-17T08:42:58.315+0000',
    source: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
    severity: 'info',
    component: 'postgres',
    group: 'prod-datapipe',
    class: 'deploy',
    custom_details: { 'ping time': '1500ms', 'load avg': 0.75, disk: { sda: { used: '91%' } }, hosts: ['a', 'b'], note: null },
  },
  routing_key: KEY,
  dedup_key: 'samplekeyhere',
  images: [{ src: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png', href: 'https://example.com/', alt: 'Example text' }],
  links: [{ href: 'https://example.com/', text: 'Link text' }, { href: 'https://runbook.example.com/' }],
  event_action: 'trigger',
  client: 'Sample Monitoring Service',
  client_url: 'https://monitoring.example.com',
};

describe('pagerDutyMapper', () => {
  it('maps a trigger with every field', () => {
    expect(run(trigger)).toEqual([
      {
        title: 'Example alert on host1.example.com',
        status: 'Info',
        action: 'trigger',
        alertKey: 'samplekeyhere',
        description: '',
        labels: {
          'ping time': '1500ms',
          'load avg': '0.75',
          'disk.sda.used': '91%',
          hosts: '["a","b"]',
          source: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
          component: 'postgres',
          group: 'prod-datapipe',
          class: 'deploy',
          client: 'Sample Monitoring Service',
          client_url: 'https://monitoring.example.com',
        },
        eventTime: Date.parse('2015-07-17T08:42:58.315Z'),
        images: [{ src: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png', href: 'https://example.com/', alt: 'Example text' }],
        links: [{ href: 'https://example.com/', text: 'Link text' }, { href: 'https://runbook.example.com/' }],
      },
    ]);
  });

  it('leaves the key to the pipeline when a trigger has no dedup_key', () => {
    expect(
      run({ routing_key: KEY, event_action: 'trigger', payload: { summary: 'Disk full', source: 'db-1', severity: 'critical', custom_details: 'free text' } }),
    ).toEqual([
      {
        title: 'Disk full',
        status: 'Critical',
        action: 'trigger',
        alertKey: undefined,
        description: '',
        labels: { custom_details: 'free text', source: 'db-1' },
        eventTime: NOW,
      },
    ]);
  });

  it('maps acknowledge and resolve', () => {
    expect(run({ routing_key: KEY, dedup_key: 'k-1', event_action: 'acknowledge' })).toEqual([
      { title: 'k-1', status: 'Info', action: 'acknowledge', alertKey: 'k-1', description: '', labels: {}, eventTime: NOW },
    ]);
    expect(run({ routing_key: KEY, dedup_key: 'k-1', event_action: 'resolve' })).toEqual([
      { title: 'k-1', status: 'Ok', action: 'resolve', alertKey: 'k-1', description: '', labels: {}, eventTime: NOW },
    ]);
  });

  it.each([
    ['critical', 'Critical'],
    ['error', 'Warning'],
    ['warning', 'Warning'],
    ['info', 'Info'],
  ])('severity %s is %s', (severity, expected) => {
    expect(run({ event_action: 'trigger', payload: { summary: 's', source: 'x', severity } })[0]?.status).toBe(expected);
  });

  it('honours ?severity= for triggers only', () => {
    expect(run(trigger, { severity: 'Critical' })[0]?.status).toBe('Critical');
    expect(run({ dedup_key: 'k', event_action: 'resolve' }, { severity: 'Critical' })[0]?.status).toBe('Ok');
  });

  it.each([
    ['a non-object body', [], 'body: must be a JSON object'],
    ['a missing event_action', { payload: {} }, 'event_action: is required'],
    ['a bad event_action', { event_action: 'page' }, 'event_action: must be trigger, acknowledge or resolve'],
    ['resolve without dedup_key', { event_action: 'resolve' }, 'dedup_key: is required for resolve'],
    ['a long dedup_key', { event_action: 'acknowledge', dedup_key: 'k'.repeat(256) }, 'dedup_key: must be at most 255 characters'],
    ['trigger without payload', { event_action: 'trigger' }, 'payload: is required for trigger'],
    ['a missing summary', { event_action: 'trigger', payload: { source: 's', severity: 'info' } }, 'payload.summary: is required'],
    [
      'a long summary',
      { event_action: 'trigger', payload: { summary: 's'.repeat(1025), source: 's', severity: 'info' } },
      'payload.summary: must be at most 1024 characters',
    ],
    ['a missing source', { event_action: 'trigger', payload: { summary: 's', severity: 'info' } }, 'payload.source: is required'],
    [
      'a bad severity',
      { event_action: 'trigger', payload: { summary: 's', source: 's', severity: 'high' } },
      'payload.severity: must be critical, error, warning or info',
    ],
    [
      'a bad timestamp',
      { event_action: 'trigger', payload: { summary: 's', source: 's', severity: 'info', timestamp: 'now' } },
      'payload.timestamp: must be an ISO 8601 time',
    ],
    [
      'an image without src',
      { event_action: 'trigger', payload: { summary: 's', source: 's', severity: 'info' }, images: [{ alt: 'a' }] },
      'images[0].src: is required',
    ],
    ['links not an array', { event_action: 'trigger', payload: { summary: 's', source: 's', severity: 'info' }, links: {} }, 'links: must be an array'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});

describe('validatePagerDutyEvent', () => {
  it('lists every error for the 400 response', () => {
    expect(validatePagerDutyEvent({ event_action: 'trigger', payload: { summary: 7, severity: 'loud', component: 1 }, images: [{}] })).toEqual([
      'payload.summary: must be a string',
      'payload.source: is required',
      'payload.severity: must be critical, error, warning or info',
      'payload.component: must be a string',
      'images[0].src: is required',
    ]);
    expect(validatePagerDutyEvent(trigger)).toEqual([]);
    expect(validatePagerDutyEvent('x')).toEqual(['body: must be a JSON object']);
  });
});

describe('pagerDutyChangeMapper', () => {
  const change = {
    routing_key: KEY,
    payload: {
      summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
      timestamp: '2020-07-17T08:42:58.315+0000',
      source: 'acme-build-pipeline-tool-default-i-9999',
      custom_details: { build_state: 'passed', build_number: '2', run_time: '1236s' },
    },
    links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
  };

  it('maps a change event', () => {
    expect(run(change, {}, pagerDutyChangeMapper)).toEqual([
      {
        title: 'Build Success: Increase snapshot create timeout to 30 seconds',
        status: 'Info',
        action: 'trigger',
        alertKey: undefined,
        description: '',
        labels: { build_state: 'passed', build_number: '2', run_time: '1236s', source: 'acme-build-pipeline-tool-default-i-9999' },
        eventTime: Date.parse('2020-07-17T08:42:58.315Z'),
        change: true,
        links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
      },
    ]);
  });

  it('maps a minimal change event', () => {
    expect(run({ payload: { summary: 'Deployed v2' } }, {}, pagerDutyChangeMapper)).toEqual([
      { title: 'Deployed v2', status: 'Info', action: 'trigger', alertKey: undefined, description: '', labels: {}, eventTime: NOW, change: true },
    ]);
  });

  it.each([
    ['a missing payload', {}, 'payload: is required'],
    ['a missing summary', { payload: { source: 'x' } }, 'payload.summary: is required'],
    ['a bad source', { payload: { summary: 's', source: 1 } }, 'payload.source: must be a string'],
    ['a bad link', { payload: { summary: 's' }, links: [{ text: 't' }] }, 'links[0].href: is required'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body, pagerDutyChangeMapper)).toBe(message);
    expect(validatePagerDutyChangeEvent(body)).toEqual([message]);
  });
});
