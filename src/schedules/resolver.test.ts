import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { finalTimeline, finalTimelineUnbounded, layerTimeline, onCallAt, shiftsOfPerson, TimelineRangeError } from './resolver.js';
import { at, makeLayer, makeOverride, makeSchedule, utc } from './test-helpers.js';

const NY = 'America/New_York';
const LON = 'Europe/London';
const LH = 'Australia/Lord_Howe';

/** Compact view of shifts: [startUTC, endUTC, people]. */
function view(shifts: readonly { start: number; end: number; personIds: readonly string[] }[]): [string, string, string][] {
  return shifts.map((s) => [utc(s.start), utc(s.end), s.personIds.join('+')]);
}

function local(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZ");
}

const HOUR = 3_600_000;

describe('daily 09:00 handoff keeps 09:00 local across DST', () => {
  const cases = [
    // zone, day before the change 09:00 local (UTC), the change day 09:00 (UTC), the day after (UTC)
    { day: '2026-03-08', zone: NY, d0: '2026-03-07T14:00:00.000Z', d1: '2026-03-08T13:00:00.000Z', d2: '2026-03-09T13:00:00.000Z', hours: 23 },
    { day: '2026-11-01', zone: NY, d0: '2026-10-31T13:00:00.000Z', d1: '2026-11-01T14:00:00.000Z', d2: '2026-11-02T14:00:00.000Z', hours: 25 },
    { day: '2026-03-29', zone: LON, d0: '2026-03-28T09:00:00.000Z', d1: '2026-03-29T08:00:00.000Z', d2: '2026-03-30T08:00:00.000Z', hours: 23 },
    { day: '2026-10-25', zone: LON, d0: '2026-10-24T08:00:00.000Z', d1: '2026-10-25T09:00:00.000Z', d2: '2026-10-26T09:00:00.000Z', hours: 25 },
    { day: '2026-04-05', zone: LH, d0: '2026-04-03T22:00:00.000Z', d1: '2026-04-04T22:30:00.000Z', d2: '2026-04-05T22:30:00.000Z', hours: 24.5 },
    { day: '2026-10-04', zone: LH, d0: '2026-10-02T22:30:00.000Z', d1: '2026-10-03T22:00:00.000Z', d2: '2026-10-04T22:00:00.000Z', hours: 23.5 },
  ];
  for (const c of cases) {
    it(`${c.zone} ${c.day}`, () => {
      const schedule = makeSchedule(c.zone, [makeLayer({ start: at(c.d0), members: [['a'], ['b'], ['c']] })]);
      const shifts = layerTimeline(schedule, 0, { start: at(c.d0), end: at(c.d2) + 2 * HOUR });
      expect(view(shifts)).toEqual([
        [c.d0, c.d1, 'a'],
        [c.d1, c.d2, 'b'],
        [c.d2, utc(at(c.d2) + 2 * HOUR), 'c'],
      ]);
      expect((at(c.d1) - at(c.d0)) / HOUR).toBe(c.hours);
      for (const s of [c.d0, c.d1, c.d2]) expect(local(at(s), c.zone).slice(11, 16)).toBe('09:00');
    });
  }
});

describe('handoffs at times that do not exist or exist twice', () => {
  it('a daily 02:30 handoff on the New York spring-forward day happens at 03:30 EDT', () => {
    const schedule = makeSchedule(NY, [makeLayer({ start: at('2026-03-06T02:30:00-05:00'), rotation: { handoffTime: '02:30' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-03-06T07:30:00Z'), end: at('2026-03-10T06:30:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-03-06T07:30:00.000Z', '2026-03-07T07:30:00.000Z', 'a'],
      ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', 'b'], // 24 h: 02:30 EST → 03:30 EDT
      ['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z', 'c'], // 23 h: 03:30 EDT → 02:30 EDT
      ['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z', 'a'],
    ]);
    expect(local(at('2026-03-08T07:30:00Z'), NY)).toBe('2026-03-08T03:30-04:00');
  });

  it('a daily 01:30 handoff on the New York fall-back day happens once, at the first 01:30 (EDT)', () => {
    const schedule = makeSchedule(NY, [makeLayer({ start: at('2026-10-31T01:30:00-04:00'), rotation: { handoffTime: '01:30' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-10-31T05:30:00Z'), end: at('2026-11-02T06:30:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', 'a'],
      ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z', 'b'], // 25 h, no second handoff at 01:30 EST
    ]);
  });

  it('a Lord Howe 02:15 handoff (inside the 30-minute gap) moves to 02:45', () => {
    const schedule = makeSchedule(LH, [makeLayer({ start: at('2026-10-03T02:15:00+10:30'), rotation: { handoffTime: '02:15' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-10-02T15:45:00Z'), end: at('2026-10-04T15:15:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-10-02T15:45:00.000Z', '2026-10-03T15:45:00.000Z', 'a'],
      ['2026-10-03T15:45:00.000Z', '2026-10-04T15:15:00.000Z', 'b'],
    ]);
    expect(local(at('2026-10-03T15:45:00Z'), LH)).toBe('2026-10-04T02:45+11:00');
  });
});

describe('hourly rotations step in absolute hours', () => {
  it('New York fall-back: the repeated hour is two 1-hour shifts', () => {
    const schedule = makeSchedule(NY, [
      makeLayer({ start: at('2026-11-01T00:00:00-04:00'), members: [['a'], ['b']], rotation: { unit: 'hour', handoffTime: '00:00' } }),
    ]);
    const shifts = finalTimeline(schedule, [], { start: at('2026-11-01T04:00:00Z'), end: at('2026-11-01T09:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', 'a'], // 00:00 EDT
      ['2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z', 'b'], // 01:00 EDT
      ['2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z', 'a'], // 01:00 EST
      ['2026-11-01T07:00:00.000Z', '2026-11-01T08:00:00.000Z', 'b'], // 02:00 EST
      ['2026-11-01T08:00:00.000Z', '2026-11-01T09:00:00.000Z', 'a'],
    ]);
  });

  it('London fall-back: every shift is exactly one hour', () => {
    const schedule = makeSchedule(LON, [
      makeLayer({ start: at('2026-10-24T22:00:00Z'), members: [['a'], ['b'], ['c']], rotation: { unit: 'hour', handoffTime: '23:00' } }),
    ]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-10-24T22:00:00Z'), end: at('2026-10-25T04:00:00Z') });
    expect(shifts.map((s) => s.end - s.start)).toEqual([HOUR, HOUR, HOUR, HOUR, HOUR, HOUR]);
    expect(shifts.map((s) => s.personIds[0])).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('Lord Howe 30-minute fall-back: 1-hour shifts; local handoff minutes move from :00 to :30', () => {
    const schedule = makeSchedule(LH, [
      makeLayer({ start: at('2026-04-05T00:00:00+11:00'), members: [['a'], ['b']], rotation: { unit: 'hour', handoffTime: '00:00' } }),
    ]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-04-04T13:00:00Z'), end: at('2026-04-04T17:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-04-04T13:00:00.000Z', '2026-04-04T14:00:00.000Z', 'a'],
      ['2026-04-04T14:00:00.000Z', '2026-04-04T15:00:00.000Z', 'b'],
      ['2026-04-04T15:00:00.000Z', '2026-04-04T16:00:00.000Z', 'a'],
      ['2026-04-04T16:00:00.000Z', '2026-04-04T17:00:00.000Z', 'b'],
    ]);
    expect(shifts.map((s) => local(s.start, LH).slice(11))).toEqual(['00:00+11:00', '01:00+11:00', '01:30+10:30', '02:30+10:30']);
  });

  it('an 8-hourly rotation on the spring-forward day keeps 8 absolute hours', () => {
    const schedule = makeSchedule(NY, [makeLayer({ start: at('2026-03-07T09:00:00-05:00'), rotation: { unit: 'hour', count: 8, handoffTime: '09:00' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-03-07T14:00:00Z'), end: at('2026-03-09T14:00:00Z') });
    expect(shifts.every((s) => s.end - s.start === 8 * HOUR)).toBe(true);
    expect(shifts).toHaveLength(6);
  });
});

describe('weekly Monday 09:00 rotation of three people across DST', () => {
  it('New York: the week after 2026-03-08 belongs to the third person, from 09:00 EDT', () => {
    const schedule = makeSchedule(NY, [makeLayer({ start: at('2026-02-23T09:00:00-05:00'), rotation: { unit: 'week', weekday: 'monday' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-02-23T14:00:00Z'), end: at('2026-03-23T13:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-02-23T14:00:00.000Z', '2026-03-02T14:00:00.000Z', 'a'],
      ['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z', 'b'], // 7 d − 1 h
      ['2026-03-09T13:00:00.000Z', '2026-03-16T13:00:00.000Z', 'c'],
      ['2026-03-16T13:00:00.000Z', '2026-03-23T13:00:00.000Z', 'a'],
    ]);
    expect(onCallAt(schedule, [], at('2026-03-09T12:59:59.999Z'))).toEqual({ primary: ['b'] });
    expect(onCallAt(schedule, [], at('2026-03-09T13:00:00Z'))).toEqual({ primary: ['c'] });
  });

  it('London: the week after 2026-10-25 belongs to the third person, from 09:00 GMT', () => {
    const schedule = makeSchedule(LON, [makeLayer({ start: at('2026-10-12T09:00:00+01:00'), rotation: { unit: 'week', weekday: 'monday' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-10-12T08:00:00Z'), end: at('2026-11-02T09:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-10-12T08:00:00.000Z', '2026-10-19T08:00:00.000Z', 'a'],
      ['2026-10-19T08:00:00.000Z', '2026-10-26T09:00:00.000Z', 'b'], // 7 d + 1 h
      ['2026-10-26T09:00:00.000Z', '2026-11-02T09:00:00.000Z', 'c'],
    ]);
  });

  it('Lord Howe: the week after 2026-10-04 belongs to the third person', () => {
    const schedule = makeSchedule(LH, [makeLayer({ start: at('2026-09-21T09:00:00+10:30'), rotation: { unit: 'week', weekday: 'monday' } })]);
    expect(onCallAt(schedule, [], at('2026-10-05T09:00:00+11:00'))).toEqual({ primary: ['c'] });
    expect(onCallAt(schedule, [], at('2026-10-05T08:59:00+11:00'))).toEqual({ primary: ['b'] });
  });

  it('a start before the first handoff belongs to member 0 until the second handoff', () => {
    const schedule = makeSchedule(NY, [makeLayer({ start: at('2026-03-04T12:00:00-05:00'), rotation: { unit: 'week', count: 1, weekday: 'monday' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-03-01T00:00:00Z'), end: at('2026-03-20T00:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-03-04T17:00:00.000Z', '2026-03-16T13:00:00.000Z', 'a'], // lead-in + first rotation
      ['2026-03-16T13:00:00.000Z', '2026-03-20T00:00:00.000Z', 'b'],
    ]);
  });
});

describe('monthly rotations', () => {
  it('hand off on the start day of month, clamped to shorter months without drifting', () => {
    const schedule = makeSchedule(LON, [makeLayer({ start: at('2026-01-31T09:00:00Z'), rotation: { unit: 'month', handoffTime: '09:00' } })]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-01-31T09:00:00Z'), end: at('2026-04-01T00:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-01-31T09:00:00.000Z', '2026-02-28T09:00:00.000Z', 'a'],
      ['2026-02-28T09:00:00.000Z', '2026-03-31T08:00:00.000Z', 'b'], // 09:00 BST
      ['2026-03-31T08:00:00.000Z', '2026-04-01T00:00:00.000Z', 'c'],
    ]);
  });
});

describe('restrictions', () => {
  it('a daily 22:00–06:00 window crossing midnight follows local time across spring-forward', () => {
    const schedule = makeSchedule(NY, [
      makeLayer({ start: at('2026-03-01T00:00:00Z'), members: [['a']], restrictions: { kind: 'daily', windows: [{ start: '22:00', end: '06:00' }] } }),
    ]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-03-07T12:00:00Z'), end: at('2026-03-09T12:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-03-08T03:00:00.000Z', '2026-03-08T10:00:00.000Z', 'a'], // 22:00 EST → 06:00 EDT = 7 h
      ['2026-03-09T02:00:00.000Z', '2026-03-09T10:00:00.000Z', 'a'],
    ]);
  });

  it('a window that falls entirely inside the spring-forward gap is empty that day', () => {
    const schedule = makeSchedule(NY, [
      makeLayer({ start: at('2026-03-01T00:00:00Z'), members: [['a']], restrictions: { kind: 'daily', windows: [{ start: '02:30', end: '03:00' }] } }),
    ]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-03-07T00:00:00Z'), end: at('2026-03-10T00:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-03-07T07:30:00.000Z', '2026-03-07T08:00:00.000Z', 'a'],
      ['2026-03-09T06:30:00.000Z', '2026-03-09T07:00:00.000Z', 'a'],
    ]);
  });

  it('a weekly Friday 18:00 → Monday 09:00 window, crossing the London spring-forward', () => {
    const schedule = makeSchedule(LON, [
      makeLayer({
        start: at('2026-03-01T00:00:00Z'),
        members: [['a']],
        restrictions: { kind: 'weekly', windows: [{ startDay: 'friday', start: '18:00', endDay: 'monday', end: '09:00' }] },
      }),
    ]);
    const range = { start: at('2026-03-25T00:00:00Z'), end: at('2026-04-01T00:00:00Z') };
    // The layer view keeps the daily rotation slots; the final timeline merges them.
    expect(view(layerTimeline(schedule, 0, range)).map((s) => s[0])).toEqual([
      '2026-03-27T18:00:00.000Z',
      '2026-03-28T09:00:00.000Z',
      '2026-03-29T08:00:00.000Z',
    ]);
    expect(view(finalTimeline(schedule, [], range))).toEqual([['2026-03-27T18:00:00.000Z', '2026-03-30T08:00:00.000Z', 'a']]);
  });

  it('restricted hours do not pause the rotation', () => {
    const schedule = makeSchedule(LON, [
      makeLayer({ start: at('2026-01-05T09:00:00Z'), restrictions: { kind: 'daily', windows: [{ start: '09:00', end: '17:00' }] } }),
    ]);
    const shifts = layerTimeline(schedule, 0, { start: at('2026-01-05T00:00:00Z'), end: at('2026-01-08T00:00:00Z') });
    expect(view(shifts)).toEqual([
      ['2026-01-05T09:00:00.000Z', '2026-01-05T17:00:00.000Z', 'a'],
      ['2026-01-06T09:00:00.000Z', '2026-01-06T17:00:00.000Z', 'b'],
      ['2026-01-07T09:00:00.000Z', '2026-01-07T17:00:00.000Z', 'c'],
    ]);
  });
});

describe('final timeline', () => {
  const base = makeLayer({ name: 'base', start: at('2026-01-05T09:00:00Z'), members: [['a'], ['b']] });
  const office = makeLayer({
    name: 'office',
    start: at('2026-01-05T09:00:00Z'),
    members: [['x', 'y']],
    restrictions: { kind: 'daily', windows: [{ start: '12:00', end: '14:00' }] },
  });
  const backup = makeLayer({ name: 'backup', start: at('2026-01-05T09:00:00Z'), members: [['z']], role: 'backup' });
  const schedule = makeSchedule(LON, [base, office, backup]);
  const range = { start: at('2026-01-05T09:00:00Z'), end: at('2026-01-06T09:00:00Z') };

  it('a higher layer replaces lower ones where it has someone; gaps fall through', () => {
    expect(view(finalTimeline(schedule, [], range, 'primary'))).toEqual([
      ['2026-01-05T09:00:00.000Z', '2026-01-05T12:00:00.000Z', 'a'],
      ['2026-01-05T12:00:00.000Z', '2026-01-05T14:00:00.000Z', 'x+y'],
      ['2026-01-05T14:00:00.000Z', '2026-01-06T09:00:00.000Z', 'a'],
    ]);
  });

  it('roles are resolved separately and sorted by start', () => {
    const shifts = finalTimeline(schedule, [], range);
    expect(shifts.map((s) => `${s.role}:${s.personIds.join('+')}`)).toEqual(['backup:z', 'primary:a', 'primary:x+y', 'primary:a']);
  });

  it('overrides win over every layer; a later override wins over an earlier one; same people merge', () => {
    const overrides = [
      makeOverride('q', at('2026-01-05T11:00:00Z'), at('2026-01-05T13:00:00Z')),
      makeOverride('r', at('2026-01-05T12:30:00Z'), at('2026-01-05T15:00:00Z')),
      makeOverride('a', at('2026-01-05T15:00:00Z'), at('2026-01-05T16:00:00Z')),
    ];
    expect(view(finalTimeline(schedule, overrides, range, 'primary'))).toEqual([
      ['2026-01-05T09:00:00.000Z', '2026-01-05T11:00:00.000Z', 'a'],
      ['2026-01-05T11:00:00.000Z', '2026-01-05T12:30:00.000Z', 'q'],
      ['2026-01-05T12:30:00.000Z', '2026-01-05T15:00:00.000Z', 'r'],
      ['2026-01-05T15:00:00.000Z', '2026-01-06T09:00:00.000Z', 'a'], // override by a merges with a's shift
    ]);
    expect(onCallAt(schedule, overrides, at('2026-01-05T12:45:00Z'))).toEqual({ primary: ['r'], backup: ['z'] });
  });

  it('an override fills a gap and can add a role that has no layer', () => {
    const s = makeSchedule(LON, [office]);
    const overrides = [makeOverride('q', at('2026-01-05T10:00:00Z'), at('2026-01-05T11:00:00Z'), 'incident-commander')];
    expect(finalTimeline(s, overrides, range).map((x) => `${x.role}:${utc(x.start)}`)).toEqual([
      'incident-commander:2026-01-05T10:00:00.000Z',
      'primary:2026-01-05T12:00:00.000Z',
    ]);
    expect(onCallAt(s, overrides, at('2026-01-05T10:30:00Z'))).toEqual({ 'incident-commander': ['q'], primary: [] });
  });

  it('merges adjacent shifts of the same people (one-member rotation = one shift)', () => {
    const s = makeSchedule(NY, [makeLayer({ start: at('2026-03-01T09:00:00-05:00'), members: [['a']] })]);
    expect(view(finalTimeline(s, [], { start: at('2026-03-02T00:00:00Z'), end: at('2026-03-12T00:00:00Z') }))).toEqual([
      ['2026-03-02T00:00:00.000Z', '2026-03-12T00:00:00.000Z', 'a'],
    ]);
  });

  it('a layer end stops it and lower layers show through', () => {
    const s = makeSchedule(LON, [base, { ...office, restrictions: { kind: 'none' }, end: at('2026-01-05T10:00:00Z') }]);
    expect(view(finalTimeline(s, [], range, 'primary'))).toEqual([
      ['2026-01-05T09:00:00.000Z', '2026-01-05T10:00:00.000Z', 'x+y'],
      ['2026-01-05T10:00:00.000Z', '2026-01-06T09:00:00.000Z', 'a'],
    ]);
  });
});

describe('range limit', () => {
  const schedule = makeSchedule(NY, [makeLayer({ start: 0 })]);
  it('accepts 90 days and rejects one millisecond more', () => {
    const start = at('2026-01-01T00:00:00Z');
    expect(() => finalTimeline(schedule, [], { start, end: start + 90 * 86_400_000 })).not.toThrow();
    expect(() => finalTimeline(schedule, [], { start, end: start + 90 * 86_400_000 + 1 })).toThrow(TimelineRangeError);
    expect(() => finalTimeline(schedule, [], { start, end: start })).toThrow(TimelineRangeError);
  });

  it('accepts 90 local calendar days across a fall-back (90 × 24 h + 1 h)', () => {
    const start = at('2026-09-01T00:00:00-04:00');
    const end = at('2026-11-30T00:00:00-05:00');
    expect(end - start).toBe(90 * 86_400_000 + HOUR);
    expect(() => finalTimeline(schedule, [], { start, end })).not.toThrow();
  });

  it('the unbounded entry point resolves a year', () => {
    const shifts = finalTimelineUnbounded(schedule, [], { start: at('2026-01-01T00:00:00Z'), end: at('2027-01-01T00:00:00Z') });
    expect(shifts).toHaveLength(366);
    expect(() => layerTimeline(schedule, 0, { start: at('2026-01-01T00:00:00Z'), end: at('2027-01-01T00:00:00Z') })).toThrow(TimelineRangeError);
  });
});

describe('shiftsOfPerson', () => {
  it('merges a person’s adjacent shifts per schedule and role, across schedules', () => {
    const s1 = { ...makeSchedule(LON, [makeLayer({ start: at('2026-01-05T09:00:00Z'), members: [['a', 'b'], ['a', 'c'], ['d']] })]), id: 's1' };
    const s2 = { ...makeSchedule(NY, [makeLayer({ start: at('2026-01-05T09:00:00-05:00'), members: [['d'], ['a']], role: 'backup' })]), id: 's2' };
    const shifts = shiftsOfPerson([s1, s2], { s2: [makeOverride('a', at('2026-01-05T20:00:00Z'), at('2026-01-05T21:00:00Z'), 'backup')] }, 'a', {
      start: at('2026-01-05T00:00:00Z'),
      end: at('2026-01-08T00:00:00Z'),
    });
    expect(shifts.map((s) => [s.scheduleId, s.role, utc(s.start), utc(s.end)])).toEqual([
      ['s1', 'primary', '2026-01-05T09:00:00.000Z', '2026-01-07T09:00:00.000Z'],
      ['s2', 'backup', '2026-01-05T20:00:00.000Z', '2026-01-05T21:00:00.000Z'],
      ['s2', 'backup', '2026-01-06T14:00:00.000Z', '2026-01-07T14:00:00.000Z'],
    ]);
  });
});
