import { describe, expect, it } from 'vitest';
import { normalizeOverride, normalizeSchedule } from './model.js';

const valid = {
  name: ' Payments ',
  team_id: 'team-1',
  time_zone: 'America/New_York',
  layers: [
    {
      name: 'Weekly',
      members: ['p1', ['p2', 'p3']],
      rotation: { unit: 'week', count: 1, handoff_time: '09:00', weekday: 'monday' },
      start: 1_767_225_600_000,
      restrictions: { kind: 'weekly', windows: [{ start_day: 'friday', start: '18:00', end_day: 'monday', end: '09:00' }] },
    },
    {
      name: 'Nights',
      members: [],
      rotation: { unit: 'day', count: 2, handoff_time: '22:00' },
      start: 0,
      end: 1,
      restrictions: { kind: 'daily', windows: [{ start: '22:00', end: '06:00' }] },
      role: 'backup',
    },
  ],
};

describe('normalizeSchedule', () => {
  it('cleans a valid schedule into the domain shape', () => {
    const result = normalizeSchedule(valid);
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Payments',
        teamId: 'team-1',
        description: '',
        timeZone: 'America/New_York',
        layers: [
          {
            name: 'Weekly',
            members: [['p1'], ['p2', 'p3']],
            rotation: { unit: 'week', count: 1, handoffTime: '09:00', weekday: 'monday' },
            start: 1_767_225_600_000,
            end: null,
            restrictions: { kind: 'weekly', windows: [{ startDay: 'friday', start: '18:00', endDay: 'monday', end: '09:00' }] },
            role: 'primary',
          },
          {
            name: 'Nights',
            members: [],
            rotation: { unit: 'day', count: 2, handoffTime: '22:00', weekday: null },
            start: 0,
            end: 1,
            restrictions: { kind: 'daily', windows: [{ start: '22:00', end: '06:00' }] },
            role: 'backup',
          },
        ],
      },
    });
  });

  it('returns every field error at once with dotted paths', () => {
    const result = normalizeSchedule({
      name: '',
      team_id: 7,
      time_zone: 'Mars/Olympus',
      layers: [
        valid.layers[0],
        {
          name: 'x',
          members: ['p1', ['p2', 'p2'], [], 5],
          rotation: { unit: 'fortnight', count: 31, handoff_time: '24:00', weekday: 'monday' },
          start: -1,
          end: 'soon',
          restrictions: { kind: 'daily', windows: [{ start: '9:00', end: '17:00' }] },
          role: 'Primary',
        },
        {
          name: 'y',
          members: ['p1'],
          rotation: { unit: 'week', count: 1, handoff_time: '09:00' },
          start: 10,
          end: 5,
          restrictions: { kind: 'weekly', windows: [] },
        },
      ],
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'name', message: 'must not be empty' },
      { field: 'team_id', message: 'must be a string' },
      { field: 'time_zone', message: 'must be an IANA time zone such as Europe/Berlin' },
      { field: 'layers[1].members[1][1]', message: 'is already in this group' },
      { field: 'layers[1].members[2]', message: 'must have at least 1 item' },
      { field: 'layers[1].members[3]', message: 'must be a person id or a list of person ids' },
      { field: 'layers[1].rotation.unit', message: 'must be one of hour, day, week, month' },
      { field: 'layers[1].rotation.count', message: 'must be an integer from 1 to 30' },
      { field: 'layers[1].rotation.handoff_time', message: 'must be a time HH:MM from 00:00 to 23:59' },
      { field: 'layers[1].rotation.weekday', message: 'is only allowed when unit is week' },
      { field: 'layers[1].start', message: 'must be a unix time in milliseconds' },
      { field: 'layers[1].end', message: 'must be a unix time in milliseconds' },
      { field: 'layers[1].restrictions.windows[0].start', message: 'must be a time HH:MM from 00:00 to 23:59' },
      { field: 'layers[1].role', message: 'must be a lowercase name such as primary or backup (a-z, 0-9, _ or -, up to 32)' },
      { field: 'layers[2].rotation.weekday', message: 'must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday' },
      { field: 'layers[2].end', message: 'must be after start' },
      { field: 'layers[2].restrictions.windows', message: 'must have at least 1 item' },
    ]);
  });

  it('rejects a non-object', () => {
    expect(normalizeSchedule(null)).toEqual({ ok: false, errors: [{ field: 'schedule', message: 'must be an object' }] });
  });
});

describe('normalizeOverride', () => {
  it('defaults the role to primary', () => {
    expect(normalizeOverride({ id: 'o1', person_id: 'p1', start: 10, end: 20 })).toEqual({
      ok: true,
      value: { id: 'o1', personId: 'p1', start: 10, end: 20, role: 'primary' },
    });
  });

  it('reports every error', () => {
    const result = normalizeOverride({ id: '', person_id: 'p1', start: 20, end: 10, role: 'BAD ROLE' });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['id', 'end', 'role']);
  });
});
