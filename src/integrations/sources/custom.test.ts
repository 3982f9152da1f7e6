import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { createCustomMapper, validateCustomMapperSettings, type CustomMapperSettings } from './custom.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function run(settings: CustomMapperSettings, body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return createCustomMapper(settings)({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a SourceError');
}

/** An in-house uptime checker's batch. */
const batch = {
  source: 'pingd',
  checks: [
    {
      'check name': 'Checkout API',
      state: 'DOWN',
      id: 'chk-17',
      detail: { text: 'HTTP 503 from https://shop.example.com/api/health', at: '2025-01-15T11:59:00Z' },
      meta: { region: 'eu-west', attempts: 3, tls: true },
    },
    { 'check name': 'Search', state: 'UP', id: 'chk-22', detail: { at: 1736942340 }, meta: { region: 'us-east' } },
  ],
};

const batchSettings: CustomMapperSettings = {
  split: '$.checks[*]',
  title: "$['check name']",
  status: '$.state',
  statusMap: { DOWN: 'Critical', UP: 'Ok', degraded: 'Warning' },
  alertKey: '$.id',
  description: '$.detail.text',
  labels: '$.meta',
  eventTime: '$.detail.at',
};

describe('createCustomMapper', () => {
  it('splits a batch into events with every rule', () => {
    expect(run(batchSettings, batch)).toEqual([
      {
        title: 'Checkout API',
        status: 'Critical',
        action: 'trigger',
        alertKey: 'chk-17',
        description: 'HTTP 503 from https://shop.example.com/api/health',
        labels: { region: 'eu-west', attempts: '3', tls: 'true' },
        eventTime: Date.parse('2025-01-15T11:59:00Z'),
      },
      { title: 'Search', status: 'Ok', action: 'resolve', alertKey: 'chk-22', description: '', labels: { region: 'us-east' }, eventTime: 1736942340000 },
    ]);
  });

  it('maps a single object with a label map and defaults', () => {
    const settings: CustomMapperSettings = { title: '$.alert.name', labels: { host: '$.alert.target.host', first_tag: '$.alert.tags[0]', missing: '$.nope' } };
    expect(run(settings, { alert: { name: 'Queue backlog', target: { host: 'mq-2' }, tags: ['ops', 'mq'] } })).toEqual([
      {
        title: 'Queue backlog',
        status: 'Warning',
        action: 'trigger',
        alertKey: undefined,
        description: '',
        labels: { host: 'mq-2', first_tag: 'ops' },
        eventTime: NOW,
      },
    ]);
  });

  it.each([
    ['DOWN', 'Critical'],
    ['down', 'Critical'],
    ['Degraded', 'Warning'],
    ['resolved', 'Ok'],
    ['ERROR', 'Critical'],
    ['info', 'Info'],
    ['mystery', 'Info'],
    [null, 'Info'],
    [2, 'Info'],
  ])('status %j maps to %s', (state, expected) => {
    const settings: CustomMapperSettings = { title: '$.t', status: '$.s', statusMap: { DOWN: 'Critical', degraded: 'Warning' }, defaultStatus: 'Info' };
    expect(run(settings, { t: 'x', s: state })[0]?.status).toBe(expected);
  });

  it('gives no events for an empty batch and honours ?severity=', () => {
    expect(run(batchSettings, { checks: [] })).toEqual([]);
    expect(run(batchSettings, batch, { severity: 'Info' }).map((e) => e.status)).toEqual(['Info', 'Ok']);
  });

  it.each([
    ['a missing title in a batch item', { checks: [{ 'check name': 'a' }, { state: 'DOWN' }] }, "$.checks[1]['check name']: is required (title)"],
    ['a bad time', { checks: [{ 'check name': 'a', detail: { at: 'soon' } }] }, '$.checks[0].detail.at: must be a unix time or an ISO 8601 time'],
    ['a non-object body', '[]', 'body: must be a JSON object'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(() => run(batchSettings, body))).toBe(message);
  });

  it('refuses invalid settings', () => {
    expect(errorOf(() => createCustomMapper({ title: 'name' }))).toBe('settings.title: is not a valid JSONPath: a path must start with $ at position 0');
  });
});

describe('validateCustomMapperSettings', () => {
  it('accepts valid settings', () => {
    expect(validateCustomMapperSettings(batchSettings)).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(
      validateCustomMapperSettings({
        split: '$.items[',
        status: 5,
        statusMap: { up: 'OK', down: 'Critical' },
        defaultStatus: 'Ok',
        labels: { host: '$.h', bad: 'h' },
      }),
    ).toEqual([
      { field: 'settings.split', rule: "is not a valid JSONPath: expected an index, '*' or a quoted name at position 8" },
      { field: 'settings.title', rule: 'is required' },
      { field: 'settings.status', rule: 'must be a JSONPath string' },
      { field: 'settings.statusMap.up', rule: 'must be one of Critical, Warning, Info, Ok' },
      { field: 'settings.defaultStatus', rule: 'must be one of Critical, Warning, Info' },
      { field: 'settings.labels.bad', rule: 'is not a valid JSONPath: a path must start with $ at position 0' },
    ]);
    expect(validateCustomMapperSettings(null)).toEqual([{ field: 'settings', rule: 'must be an object' }]);
    expect(validateCustomMapperSettings({ title: '$.t', labels: 5 })).toEqual([
      { field: 'settings.labels', rule: 'must be a JSONPath or an object of label name → JSONPath' },
    ]);
  });
});
