import { describe, expect, it } from 'vitest';
import { parseIdentifier, presentOpsgenieAlert, priorityOf, snoozeMinutes } from './opsgenie-model.js';

const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);

describe('Opsgenie identifiers', () => {
  it('reads id, alias and tiny; a bare identifier may be either id or alias', () => {
    expect(parseIdentifier('abc', 'alias')).toEqual({ type: 'alias', value: 'abc' });
    expect(parseIdentifier('0193-x', 'id')).toEqual({ type: 'id', value: '0193-x' });
    expect(parseIdentifier('42', 'tiny')).toEqual({ type: 'tiny', value: '42' });
    expect(parseIdentifier('abc', undefined)).toEqual({ type: 'id-or-alias', value: 'abc' });
  });

  it('refuses other identifier types, a non-numeric tiny id and a blank identifier, naming the field', () => {
    expect(() => parseIdentifier('abc', 'name')).toThrow('identifierType: must be one of id, alias, tiny');
    expect(() => parseIdentifier('abc', 'tiny')).toThrow('identifier: must be a number when identifierType is tiny');
    expect(() => parseIdentifier(' ', 'alias')).toThrow('identifier: is required');
  });
});

describe('Opsgenie snooze endTime', () => {
  it('gives whole minutes from now, within 1 min – 24 h', () => {
    expect(snoozeMinutes(new Date(NOW + 90 * 60_000).toISOString(), NOW)).toBe(90);
    expect(snoozeMinutes(new Date(NOW + 30_000).toISOString(), NOW)).toBe(1);
    expect(() => snoozeMinutes(new Date(NOW - 60_000).toISOString(), NOW)).toThrow('endTime: must be in the future');
    expect(() => snoozeMinutes(new Date(NOW + 25 * 3_600_000).toISOString(), NOW)).toThrow('endTime: must be at most 24 hours ahead');
    expect(() => snoozeMinutes('tomorrow', NOW)).toThrow('endTime: must be an ISO 8601 date and time');
    expect(() => snoozeMinutes(undefined, NOW)).toThrow('endTime: is required');
  });
});

describe('a Tocsin alert in Opsgenie shape', () => {
  const alert = {
    id: 'a1',
    alert_key: 'db-down',
    title: 'Database down',
    description: 'primary unreachable',
    severity: 'Warning',
    status: 'Warning',
    labels_json: JSON.stringify({ tag_db: 'true', region: 'eu', entity: 'db-1', source: 'nagios' }),
    event_count: 3,
    first_event_at: NOW - 600_000,
    last_event_at: NOW - 60_000,
    recovered_at: null,
    created_at: NOW - 600_000,
  };
  const incident = { number: 7, status: 'processing', acknowledged_at: NOW - 300_000, closed_at: null, snoozed_until: NOW + 60_000, updated_at: NOW - 300_000 };

  it('carries tags, details, entity, source, tinyId and the acknowledgement', () => {
    const view = presentOpsgenieAlert({ alert, incident, integration: { id: 'i1', name: 'ops' } }, NOW);
    expect(view).toMatchObject({
      id: 'a1',
      tinyId: '7',
      alias: 'db-down',
      message: 'Database down',
      status: 'open',
      acknowledged: true,
      snoozed: true,
      tags: ['db'],
      details: { region: 'eu' },
      entity: 'db-1',
      source: 'nagios',
      priority: 'P3',
      count: 3,
      report: { ackTime: 300_000 },
      integration: { id: 'i1', name: 'ops', type: 'API' },
    });
  });

  it('is closed once the alert recovered, and never snoozed then', () => {
    const view = presentOpsgenieAlert({ alert: { ...alert, status: 'Ok', recovered_at: NOW }, incident, integration: { id: 'i1', name: 'ops' } }, NOW);
    expect(view).toMatchObject({ status: 'closed', snoozed: false, report: { closeTime: 600_000 } });
  });

  it('keeps an explicit priority label, else derives one from severity', () => {
    expect(priorityOf('Critical', { priority: 'P2' })).toBe('P2');
    expect(priorityOf('Critical', {})).toBe('P1');
    expect(priorityOf('Info', {})).toBe('P5');
  });
});
