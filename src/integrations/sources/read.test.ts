import { describe, expect, it } from 'vitest';
import { epochToMs, flattenToLabels, labelText, labelsOf, parseTime, tagsToLabels, truncate } from './read.js';

describe('read helpers', () => {
  it('truncate counts code points and never splits a surrogate pair', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('😀😀😀', 2)).toBe('😀😀');
  });

  it.each([
    ['text', 'text'],
    [3.5, '3.5'],
    [false, 'false'],
    [{ a: 1 }, '{"a":1}'],
    [[1, 'b'], '[1,"b"]'],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('labelText(%j) is %j', (value, expected) => {
    expect(labelText(value)).toBe(expected);
  });

  it('labelsOf skips empty values and lets later sources win', () => {
    expect(labelsOf({ a: '1', b: '', c: null }, { a: '2', d: 4 })).toEqual({ a: '2', d: '4' });
  });

  it('flattenToLabels uses dotted keys', () => {
    expect(flattenToLabels({ a: { b: { c: 1 } }, d: [1], e: null }, '')).toEqual({ 'a.b.c': '1', d: '[1]' });
  });

  it('tagsToLabels splits at the first colon', () => {
    expect(tagsToLabels(['env:prod', ' url:https://x ', 'canary', 'team:a', 'team:b', 'team:a', ':x', ''])).toEqual({
      env: 'prod',
      url: 'https://x',
      canary: 'true',
      team: 'a,b,a',
    });
  });

  it.each([
    ['2025-01-15T11:58:04.512+0000', Date.UTC(2025, 0, 15, 11, 58, 4, 512)],
    ['2025-01-15T13:58:04+02:00', Date.UTC(2025, 0, 15, 11, 58, 4)],
    ['2025-01-15T11:58:04.157076Z', Date.UTC(2025, 0, 15, 11, 58, 4, 157)],
    ['yesterday', undefined],
  ])('parseTime(%s)', (text, expected) => {
    expect(parseTime(text)).toBe(expected);
  });

  it('epochToMs takes seconds, and milliseconds when the value is too large for seconds', () => {
    expect(epochToMs(1736942400)).toBe(1736942400000);
    expect(epochToMs(1736942400.5)).toBe(1736942400500);
    expect(epochToMs(1736942400123)).toBe(1736942400123);
  });
});
