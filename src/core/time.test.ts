import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './time.js';

describe('parseIsoTime (issue 10 item 26)', () => {
  const at = Date.UTC(2026, 2, 2, 9, 0, 0);

  it.each([
    ['2026-03-02T09:00:00Z', at],
    ['2026-03-02T09:00:00.000+00:00', at],
    ['2026-03-02T09:00:00+0000', at],
    ['2026-03-02T14:30:00+05:30', at],
    ['2026-03-02 09:00:00Z', at],
    ['2026-03-02T09:00:00', at],
  ])('%s', (text, expected) => {
    expect(parseIsoTime(text)).toBe(expected);
  });

  it.each(['March 2 2026', 'Mon, 02 Mar 2026 09:00:00 GMT', '2026-02-30T09:00:00Z', '1772442000', 'yesterday', '', `2026-03-02T09:00:00Z${' '.repeat(50)}x`])('refuses %j', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });

  it('reads a zone-less time as UTC whatever the server zone, or refuses it on request', () => {
    expect(parseIsoTime('2026-03-02T09:00:00')).toBe(at);
    expect(parseIsoTime('2026-03-02T09:00:00', { zoneless: 'reject' })).toBeUndefined();
    expect(parseIsoTime('2026-03-02T09:00:00Z', { zoneless: 'reject' })).toBe(at);
  });
});
