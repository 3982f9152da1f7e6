import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, localDayRange, weekdayOf, zoneOf } from './time.js';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata'];

describe('time', () => {
  it('resolves gaps forward and overlaps to the first occurrence', () => {
    const ny = zoneOf('America/New_York');
    const day = (iso: string): number => daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
    expect(new Date(ny.resolve(day('2026-03-08'), 150)).toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 02:30 → 03:30 EDT
    expect(new Date(ny.resolve(day('2026-11-01'), 90)).toISOString()).toBe('2026-11-01T05:30:00.000Z'); // first 01:30 (EDT)
    const lh = zoneOf('Australia/Lord_Howe');
    expect(new Date(lh.resolve(day('2026-04-05'), 105)).toISOString()).toBe('2026-04-04T14:45:00.000Z'); // first 01:45 (+11)
    expect(new Date(lh.resolve(day('2026-10-04'), 135)).toISOString()).toBe('2026-10-03T15:45:00.000Z'); // 02:15 → 02:45 (+11)
  });

  it('gives the local calendar day around an instant, 23 or 25 hours long on change days', () => {
    const iso = (r: { start: number; end: number }) => [new Date(r.start).toISOString(), new Date(r.end).toISOString()];
    expect(iso(localDayRange('America/New_York', Date.parse('2026-03-08T12:00:00Z')))).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(iso(localDayRange('America/New_York', Date.parse('2026-11-01T04:30:00Z')))).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    // 23:30 local on 2026-03-01 is already the next day in UTC.
    expect(iso(localDayRange('America/New_York', Date.parse('2026-03-02T04:30:00Z')))).toEqual(['2026-03-01T05:00:00.000Z', '2026-03-02T05:00:00.000Z']);
    expect(iso(localDayRange('UTC', Date.parse('2026-03-02T00:00:00Z')))).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
  });

  it('civil date conversion and weekdays', () => {
    expect(civilFromDays(0)).toEqual({ year: 1970, month: 1, day: 1 });
    expect(weekdayOf(0)).toBe(4); // Thursday
    expect(weekdayOf(daysFromCivil(2026, 3, 9))).toBe(1); // Monday
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 2_900_000 }), (d) => {
        const c = civilFromDays(d);
        expect(daysFromCivil(c.year, c.month, c.day)).toBe(d);
        const lux = DateTime.fromObject({ year: c.year, month: c.month, day: c.day }, { zone: 'UTC' });
        expect(lux.toMillis() / 86_400_000).toBe(d);
        expect(weekdayOf(d)).toBe(lux.weekday);
      }),
      { numRuns: 200 },
    );
  });

  it('property: offsets match luxon, and every existing wall-clock time resolves to its first occurrence (200 runs)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 4_102_444_800 }), (name, seconds) => {
        const t = Math.floor(seconds / 60) * 60_000;
        const zone = zoneOf(name);
        const lux = DateTime.fromMillis(t, { zone: name });
        expect(zone.offsetAt(t)).toBe(lux.offset * 60_000);
        const day = zone.dayOf(t);
        expect(civilFromDays(day)).toEqual({ year: lux.year, month: lux.month, day: lux.day });
        const resolved = zone.resolve(day, lux.hour * 60 + lux.minute);
        // Same wall clock, and no earlier instant within 3 h shows the same wall clock.
        expect(DateTime.fromMillis(resolved, { zone: name }).toFormat('yyyy-MM-dd HH:mm')).toBe(lux.toFormat('yyyy-MM-dd HH:mm'));
        expect(resolved <= t).toBe(true);
        for (let back = 15; back <= 180; back += 15) {
          expect(DateTime.fromMillis(resolved - back * 60_000, { zone: name }).toFormat('yyyy-MM-dd HH:mm')).not.toBe(lux.toFormat('yyyy-MM-dd HH:mm'));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: times that do not exist resolve like luxon (moved forward by the gap) (200 runs)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: 0, max: 1439 }), (name, seconds, minute) => {
        const zone = zoneOf(name);
        const day = Math.floor(seconds / 86_400);
        const c = civilFromDays(day);
        const lux = DateTime.fromObject({ ...c, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone: name });
        const exists = lux.hour * 60 + lux.minute === minute && lux.day === c.day;
        if (!exists) expect(zone.resolve(day, minute)).toBe(lux.toMillis());
        else expect(DateTime.fromMillis(zone.resolve(day, minute), { zone: name }).toFormat('HH:mm')).toBe(lux.toFormat('HH:mm'));
      }),
      { numRuns: 200 },
    );
  });
});
