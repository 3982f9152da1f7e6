import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import { applySeverityOverride, prometheusSeverity, severityOverride } from './severity.js';

const event = (status: NormalizedEvent['status'], action: NormalizedEvent['action']): NormalizedEvent => ({
  title: 't',
  status,
  action,
  description: '',
  labels: {},
});

describe('prometheusSeverity', () => {
  it.each([
    [{ severity: 'critical' }, 'Critical'],
    [{ severity: 'Critical' }, 'Critical'],
    [{ severity: 'warning' }, 'Warning'],
    [{ severity: 'warn' }, 'Warning'],
    [{ severity: 'info' }, 'Info'],
    [{ severity: 'page' }, 'Warning'],
    [{ priority: 'critical' }, 'Critical'],
    [{ level: 'info' }, 'Info'],
    [{ severity: '', priority: 'critical' }, 'Warning'],
    [{}, 'Warning'],
  ])('%j → %s', (labels, expected) => {
    expect(prometheusSeverity(labels)).toBe(expected);
  });
});

describe('severityOverride', () => {
  it.each([
    [{}, undefined],
    [{ severity: '' }, undefined],
    [{ severity: 'Critical' }, 'Critical'],
    [{ severity: 'warning' }, 'Warning'],
    [{ severity: ' INFO ' }, 'Info'],
  ])('%j → %s', (query, expected) => {
    expect(severityOverride(query)).toBe(expected);
  });

  it.each([['Ok'], ['P1'], ['high']])('refuses %s', (value) => {
    expect(() => severityOverride({ severity: value })).toThrow(new SourceError('severity', 'must be one of Critical, Warning, Info'));
  });
});

describe('applySeverityOverride', () => {
  const batch = [event('Info', 'trigger'), event('Ok', 'resolve'), event('Warning', 'acknowledge'), event('Critical', 'trigger')];

  it('changes triggers only', () => {
    expect(applySeverityOverride(batch, { severity: 'Warning' }).map((e) => e.status)).toEqual(['Warning', 'Ok', 'Warning', 'Warning']);
    expect(applySeverityOverride(batch, { severity: 'Critical' }).map((e) => e.status)).toEqual(['Critical', 'Ok', 'Warning', 'Critical']);
  });

  it('returns the batch unchanged without an override', () => {
    expect(applySeverityOverride(batch, {})).toBe(batch);
  });
});
