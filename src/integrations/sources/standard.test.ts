import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { standardMapper } from './standard.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function run(body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return standardMapper({ body, rawBody: JSON.stringify(body), query, headers: {}, now: NOW });
}

function errorOf(body: unknown, query: Record<string, string> = {}): string {
  try {
    run(body, query);
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('standardMapper', () => {
  it('maps a firing event with every field', () => {
    expect(
      run({
        title_rule: '$resource::$check is down',
        event_status: 'Critical',
        alert_key: 'db-01/disk',
        description: 'Disk usage 97%',
        labels: { resource: 'db-01', check: 'disk', env: 'prod' },
        event_time: 1736942400,
        images: [{ src: 'https://img.example.com/g.png', alt: 'graph', href: 'https://grafana.example.com/d/1' }, { src: 'https://img.example.com/h.png' }],
      }),
    ).toEqual([
      {
        title: 'db-01::disk is down',
        status: 'Critical',
        action: 'trigger',
        alertKey: 'db-01/disk',
        description: 'Disk usage 97%',
        labels: { resource: 'db-01', check: 'disk', env: 'prod' },
        eventTime: 1736942400000,
        images: [{ src: 'https://img.example.com/g.png', alt: 'graph', href: 'https://grafana.example.com/d/1' }, { src: 'https://img.example.com/h.png' }],
      },
    ]);
  });

  it('maps a recovery to action resolve', () => {
    expect(run({ title_rule: 'Disk full', event_status: 'Ok', alert_key: 'k1' })).toEqual([
      { title: 'Disk full', status: 'Ok', action: 'resolve', alertKey: 'k1', description: '', labels: {}, eventTime: NOW },
    ]);
  });

  it('fills defaults when optional fields are missing', () => {
    expect(run({ title_rule: 'Ping lost', event_status: 'Info' })).toEqual([
      { title: 'Ping lost', status: 'Info', action: 'trigger', alertKey: undefined, description: '', labels: {}, eventTime: NOW },
    ]);
  });

  it('renders {{ labels.x }} templates and truncates long titles to 512 characters', () => {
    const [event] = run({ title_rule: `{{ labels.host }} ${'x'.repeat(600)}`, event_status: 'Warning', labels: { host: 'h1' } });
    expect(event?.title).toBe(`h1 ${'x'.repeat(509)}`);
    expect([...(event?.title ?? '')].length).toBe(512);
  });

  it('accepts event_time as a numeric string and millisecond values', () => {
    expect(run({ title_rule: 't', event_status: 'Info', event_time: '1736942400' })[0]?.eventTime).toBe(1736942400000);
    expect(run({ title_rule: 't', event_status: 'Info', event_time: 1736942400123 })[0]?.eventTime).toBe(1736942400123);
  });

  it('applies the ?severity= override to triggers but not to recoveries', () => {
    expect(run({ title_rule: 't', event_status: 'Info' }, { severity: 'critical' })[0]?.status).toBe('Critical');
    expect(run({ title_rule: 't', event_status: 'Ok', alert_key: 'k' }, { severity: 'Critical' })[0]?.status).toBe('Ok');
  });

  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));

  it.each([
    ['a non-object body', [1, 2], 'body: must be a JSON object'],
    ['a text body', 'hello', 'body: must be a JSON object'],
    ['missing title_rule', { event_status: 'Critical' }, 'title_rule: is required'],
    ['a non-string title_rule', { title_rule: 5, event_status: 'Critical' }, 'title_rule: must be a string'],
    ['a blank title_rule', { title_rule: '  ', event_status: 'Critical' }, 'title_rule: must not be empty'],
    ['missing event_status', { title_rule: 't' }, 'event_status: is required'],
    ['a lower-case event_status', { title_rule: 't', event_status: 'critical' }, 'event_status: must be one of Critical, Warning, Info, Ok'],
    ['Ok without alert_key', { title_rule: 't', event_status: 'Ok' }, 'alert_key: is required when event_status is Ok'],
    ['a long alert_key', { title_rule: 't', event_status: 'Info', alert_key: 'k'.repeat(256) }, 'alert_key: must be at most 255 characters'],
    ['a long description', { title_rule: 't', event_status: 'Info', description: 'd'.repeat(2049) }, 'description: must be at most 2048 characters'],
    ['labels not an object', { title_rule: 't', event_status: 'Info', labels: ['a'] }, 'labels: must be an object of strings'],
    ['a non-string label', { title_rule: 't', event_status: 'Info', labels: { host: 5 } }, 'labels.host: must be a string'],
    ['too many labels', { title_rule: 't', event_status: 'Info', labels: many }, 'labels: must have at most 50 labels'],
    [
      'a long label name',
      { title_rule: 't', event_status: 'Info', labels: { ['n'.repeat(129)]: 'v' } },
      `labels.${'n'.repeat(129)}: name must be at most 128 characters`,
    ],
    ['a long label value', { title_rule: 't', event_status: 'Info', labels: { host: 'v'.repeat(2049) } }, 'labels.host: must be at most 2048 characters'],
    ['a bad event_time', { title_rule: 't', event_status: 'Info', event_time: 'yesterday' }, 'event_time: must be a unix time in seconds'],
    ['images not an array', { title_rule: 't', event_status: 'Info', images: {} }, 'images: must be an array'],
    ['an image without src', { title_rule: 't', event_status: 'Info', images: [{ src: 'a' }, { alt: 'x' }] }, 'images[1].src: is required'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });

  it('rejects a bad ?severity=', () => {
    expect(errorOf({ title_rule: 't', event_status: 'Info' }, { severity: 'loud' })).toBe('severity: must be one of Critical, Warning, Info');
  });
});
