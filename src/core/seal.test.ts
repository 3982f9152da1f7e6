import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seal, unseal } from './seal.js';

describe('seal / unseal', () => {
  const key = randomBytes(32);

  it('round-trips and never repeats a ciphertext', () => {
    const a = seal(key, 'integration key ✓');
    expect(unseal(key, a)).toBe('integration key ✓');
    expect(seal(key, 'integration key ✓')).not.toBe(a);
    expect(a).not.toContain('integration');
  });

  it('refuses a tampered value or a different key', () => {
    const sealed = seal(key, 'secret');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3] ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => unseal(key, [parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => unseal(randomBytes(32), sealed)).toThrow();
    expect(() => unseal(key, 'garbage')).toThrow('not a sealed value');
  });
});
