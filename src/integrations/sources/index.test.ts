import { describe, expect, it } from 'vitest';
import { SOURCE_FACTORIES, SOURCE_NAMES, SOURCES, isSourceName } from './index.js';

describe('source registry', () => {
  it('has a mapper or a factory for every source except email', () => {
    const covered = [...Object.keys(SOURCES), ...Object.keys(SOURCE_FACTORIES), 'email'];
    expect([...new Set(covered)].sort()).toEqual([...SOURCE_NAMES].sort());
  });

  it('maps a minimal standard event through the registry', () => {
    const events = SOURCES.standard({ body: { title_rule: 't', event_status: 'Info' }, rawBody: '', query: {}, headers: {}, now: 1000 });
    expect(events).toEqual([{ title: 't', status: 'Info', action: 'trigger', alertKey: undefined, description: '', labels: {}, eventTime: 1000 }]);
  });

  it('recognises source names', () => {
    expect(isSourceName('prometheus')).toBe(true);
    expect(isSourceName('alertmanager')).toBe(false);
  });
});
