import { describe, expect, it } from 'vitest';
import { canManageOwnedBy, normalizePersonInput, type Actor, type Person } from './model.js';

describe('normalizePersonInput', () => {
  it('lower-cases emails and strips phone punctuation', () => {
    const { value, errors } = normalizePersonInput({ email: '  Ada@Example.COM ', phone: '+44 (20) 7946-0958' });
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ email: 'ada@example.com', phone: '+442079460958' });
  });

  it('returns all field errors at once', () => {
    const { errors } = normalizePersonInput({ email: 'nope', name: '', role: 'root', phone: '12345', timeZone: 'Nowhere/City', password: 'short' });
    expect(errors.map((e) => e.field)).toEqual(['email', 'name', 'role', 'phone', 'time_zone', 'password']);
  });

  it('treats an empty phone as removing it', () => {
    expect(normalizePersonInput({ phone: '' }).value.phone).toBeNull();
  });
});

describe('canManageOwnedBy', () => {
  const make = (role: Person['role'], teams: string[]): Actor => ({ person: { role } as Person, teamIds: new Set(teams), via: 'api_key' });
  it('needs write rights and membership, or admin', () => {
    expect(canManageOwnedBy(make('admin', []), ['t'])).toBe(true);
    expect(canManageOwnedBy(make('responder', ['t']), ['t'])).toBe(true);
    expect(canManageOwnedBy(make('responder', ['u']), ['t'])).toBe(false);
    expect(canManageOwnedBy(make('viewer', ['t']), ['t'])).toBe(false);
  });
});
