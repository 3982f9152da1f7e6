import { describe, expect, it } from 'vitest';
import type { Actor, Person, Role } from '../people/model.js';
import { canManageChannel, canSeeChannel, normalizeChannelInput } from './model.js';

function actor(role: Role, teams: string[]): Actor {
  const person = { id: 'p', role, status: 'active' } as Person;
  return { person, teamIds: new Set(teams), via: 'session' };
}

const privateChannel = { private: true, teamId: 'owner', managingTeamIds: ['helper'] };
const publicChannel = { ...privateChannel, private: false };

describe('channel access policy', () => {
  it.each([
    ['admin outside the teams', actor('admin', []), privateChannel, true],
    ['member of the owning team', actor('responder', ['owner']), privateChannel, true],
    ['member of a managing team', actor('viewer', ['helper']), privateChannel, true],
    ['outsider', actor('responder', ['other']), privateChannel, false],
    ['outsider, public channel', actor('viewer', []), publicChannel, true],
  ])('visibility for %s', (_name, who, channel, expected) => {
    expect(canSeeChannel(who, channel)).toBe(expected);
  });

  it.each([
    ['admin', actor('admin', []), true],
    ['responder of the owning team', actor('responder', ['owner']), true],
    ['responder of a managing team', actor('responder', ['helper']), true],
    ['viewer of the owning team', actor('viewer', ['owner']), false],
    ['responder elsewhere', actor('responder', ['other']), false],
  ])('configuration rights for %s', (_name, who, expected) => {
    expect(canManageChannel(who, publicChannel)).toBe(expected);
  });
});

describe('normalizeChannelInput', () => {
  it('trims, drops the owner and duplicates from managing teams', () => {
    const { value, errors } = normalizeChannelInput({ name: '  Payments  ', managingTeamIds: ['a', 'a', 'owner', 'b'] }, 'owner');
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ name: 'Payments', managingTeamIds: ['a', 'b'] });
  });

  it('reports every broken rule with its field', () => {
    const { errors } = normalizeChannelInput({ name: 'x'.repeat(60), managingTeamIds: ['a', 'b', 'c', 'd'] }, 'owner');
    expect(errors.map((e) => e.field)).toEqual(['name', 'managing_team_ids']);
    expect(normalizeChannelInput({ name: '   ' }, undefined).errors).toEqual([{ field: 'name', message: 'must not be empty' }]);
  });

  it('counts characters, not bytes, against the 59-character limit', () => {
    expect(normalizeChannelInput({ name: '支付'.repeat(29) + '中' }, undefined).errors).toEqual([]);
  });
});
