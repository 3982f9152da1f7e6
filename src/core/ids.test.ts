import { describe, expect, it } from 'vitest';
import { newId, randomDigits, randomToken } from './ids.js';

describe('newId', () => {
  it('is a version-7 RFC 9562 UUID carrying the timestamp', () => {
    const at = Date.UTC(2030, 0, 1);
    const id = newId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(at);
  });

  it('sorts in creation order even within one millisecond and when the clock stands still', () => {
    const frozen = Date.UTC(2031, 5, 1);
    const ids = Array.from({ length: 5000 }, () => newId(frozen));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('random secrets', () => {
  it('makes URL-safe tokens of the requested entropy', () => {
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(32)).not.toBe(randomToken(32));
  });

  it('makes fixed-width decimal codes', () => {
    for (let i = 0; i < 200; i += 1) expect(randomDigits(6)).toMatch(/^\d{6}$/);
  });
});
