import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, type DailyWindow, type Layer, type Override, type Restrictions, type RotationUnit, type WeeklyWindow } from './model.js';
import { finalTimeline, layerTimeline, onCallAt, type FinalShift, type TimeRange } from './resolver.js';
import { makeSchedule } from './test-helpers.js';

const RUNS = { numRuns: 200 } as const;
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai'] as const;
/** Local days with a DST change (Shanghai has none: it exercises the plain path). */
const CHANGE_DAYS: Record<(typeof ZONES)[number], string[]> = {
  'America/New_York': ['2026-03-08', '2026-11-01', '2025-03-09', '2025-11-02'],
  'Europe/London': ['2026-03-29', '2026-10-25', '2025-03-30', '2025-10-26'],
  'Australia/Lord_Howe': ['2026-04-05', '2026-10-04', '2025-04-06', '2025-10-05'],
  'Asia/Shanghai': ['2026-03-08', '2026-11-01'],
};
const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const ROLES = ['primary', 'backup'];

const pad = (n: number): string => String(n).padStart(2, '0');
/** Clock times biased towards the small hours where DST changes happen. */
const clockArb = fc
  .oneof(
    fc.record({ h: fc.integer({ min: 0, max: 3 }), m: fc.constantFrom(0, 15, 30, 45) }),
    fc.record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) }),
  )
  .map(({ h, m }) => `${pad(h)}:${pad(m)}`);
const weekdayArb = fc.constantFrom(...WEEKDAYS);

const restrictionsArb: fc.Arbitrary<Restrictions> = fc.oneof(
  fc.constant<Restrictions>({ kind: 'none' }),
  fc
    .array(fc.record({ start: clockArb, end: clockArb }), { minLength: 1, maxLength: 3 })
    .map((windows: DailyWindow[]): Restrictions => ({ kind: 'daily', windows })),
  fc
    .array(fc.record({ startDay: weekdayArb, start: clockArb, endDay: weekdayArb, end: clockArb }), { minLength: 1, maxLength: 3 })
    .map((windows: WeeklyWindow[]): Restrictions => ({ kind: 'weekly', windows })),
);

const unitArb = fc.constantFrom<RotationUnit>('hour', 'day', 'week', 'month');
const countArb = (unit: RotationUnit): fc.Arbitrary<number> =>
  unit === 'hour' ? fc.integer({ min: 1, max: 30 }) : unit === 'day' ? fc.integer({ min: 1, max: 30 }) : fc.integer({ min: 1, max: 4 });

const membersArb = fc.array(fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 }), { minLength: 0, maxLength: 4 });

/** A layer whose start lies up to 60 days before (or a little inside) the range. */
const layerArb = (range: TimeRange, opts: { unrestricted?: boolean } = {}): fc.Arbitrary<Layer> =>
  unitArb
    .chain((unit) =>
      fc.record({
        name: fc.constant('layer'),
        members: opts.unrestricted ? membersArb.filter((m) => m.length > 0) : membersArb,
        rotation: fc.record({
          unit: fc.constant(unit),
          count: countArb(unit),
          handoffTime: clockArb,
          weekday: unit === 'week' ? weekdayArb : fc.constant(null),
        }),
        start: opts.unrestricted
          ? fc.integer({ min: 0, max: 60 * 24 * 60 }).map((m) => range.start - m * MIN)
          : fc.integer({ min: -60 * 24 * 60, max: 12 * 60 }).map((m) => range.start + m * MIN),
        end: opts.unrestricted ? fc.constant(null) : fc.option(fc.integer({ min: 1, max: 3 * 24 * 60 }).map((m) => range.start + m * MIN)),
        restrictions: opts.unrestricted ? fc.constant<Restrictions>({ kind: 'none' }) : restrictionsArb,
        role: fc.constantFrom(...ROLES),
      }),
    )
    .filter((l) => l.end === null || l.end > l.start);

const overrideArb = (range: TimeRange): fc.Arbitrary<Override> =>
  fc
    .record({
      personId: fc.constantFrom(...PEOPLE, 'o1'),
      from: fc.integer({ min: -120, max: Math.round((range.end - range.start) / MIN) }),
      minutes: fc.integer({ min: 1, max: 12 * 60 }),
      role: fc.constantFrom(...ROLES),
    })
    .map((o): Override => ({
      id: `o-${o.personId}-${o.from}`,
      personId: o.personId,
      start: range.start + o.from * MIN,
      end: range.start + (o.from + o.minutes) * MIN,
      role: o.role,
    }));

/** A minute-aligned range of 1–36 h, usually around a DST change of the zone. */
const rangeArb = (zone: (typeof ZONES)[number], maxHours = 36): fc.Arbitrary<TimeRange> =>
  fc
    .record({
      day: fc.constantFrom(...CHANGE_DAYS[zone]),
      shiftMinutes: fc.integer({ min: -2 * 24 * 60, max: 24 * 60 }),
      far: fc.integer({ min: 0, max: 400 }),
      useFar: fc.boolean(),
      minutes: fc.integer({ min: 60, max: maxHours * 60 }),
    })
    .map((r) => {
      const base = DateTime.fromISO(r.day, { zone }).toMillis() + (r.useFar ? r.far * DAY : 0);
      const start = base + r.shiftMinutes * MIN;
      return { start, end: start + r.minutes * MIN };
    });

const scenarioArb = fc.constantFrom(...ZONES).chain((zone) =>
  rangeArb(zone).chain((range) =>
    fc.record({
      zone: fc.constant(zone),
      range: fc.constant(range),
      layers: fc.array(layerArb(range), { minLength: 1, maxLength: 5 }),
      overrides: fc.array(overrideArb(range), { maxLength: 4 }),
    }),
  ),
);

function byRole(shifts: readonly FinalShift[]): Map<string, FinalShift[]> {
  const map = new Map<string, FinalShift[]>();
  for (const s of shifts) map.set(s.role, [...(map.get(s.role) ?? []), s]);
  return map;
}

function peopleAt(shifts: readonly FinalShift[] | undefined, t: number): string[] {
  const hit = (shifts ?? []).find((s) => s.start <= t && t < s.end);
  return hit ? [...hit.personIds].sort() : [];
}

describe('resolver properties', () => {
  it('final timeline: inside the range, positive, no overlaps, merged, and equal to onCallAt at every minute', () => {
    fc.assert(
      fc.property(scenarioArb, ({ zone, range, layers, overrides }) => {
        const schedule = makeSchedule(zone, layers);
        const shifts = finalTimeline(schedule, overrides, range);
        const roles = byRole(shifts);
        for (const list of roles.values()) {
          list.forEach((s, i) => {
            expect(s.start).toBeGreaterThanOrEqual(range.start);
            expect(s.end).toBeLessThanOrEqual(range.end);
            expect(s.end).toBeGreaterThan(s.start);
            const next = list[i + 1];
            if (next) {
              expect(next.start).toBeGreaterThanOrEqual(s.end); // no overlap
              if (next.start === s.end) expect([...next.personIds].sort()).not.toEqual([...s.personIds].sort()); // merged
            }
          });
        }
        // Brute force: every minute (all inputs are minute-aligned), plus the last millisecond.
        const checks: number[] = [];
        for (let t = range.start; t < range.end; t += MIN) checks.push(t);
        checks.push(range.end - 1);
        for (const t of checks) {
          const now = onCallAt(schedule, overrides, t);
          const allRoles = new Set([...Object.keys(now), ...roles.keys()]);
          for (const role of allRoles) {
            expect([...(now[role] ?? [])].sort(), `${role} at ${new Date(t).toISOString()}`).toEqual(peopleAt(roles.get(role), t));
          }
        }
      }),
      RUNS,
    );
  });

  it('no gaps when every layer is unrestricted, staffed and started before the range', () => {
    const arb = fc.constantFrom(...ZONES).chain((zone) =>
      rangeArb(zone, 24 * 20).chain((range) =>
        fc.record({
          zone: fc.constant(zone),
          range: fc.constant(range),
          layers: fc.array(layerArb(range, { unrestricted: true }), { minLength: 1, maxLength: 5 }),
        }),
      ),
    );
    fc.assert(
      fc.property(arb, ({ zone, range, layers }) => {
        const shifts = finalTimeline(makeSchedule(zone, layers), [], range);
        for (const role of new Set(layers.map((l) => l.role))) {
          const list = shifts.filter((s) => s.role === role);
          expect(list[0]?.start).toBe(range.start);
          expect(list[list.length - 1]?.end).toBe(range.end);
          list.forEach((s, i) => {
            const next = list[i + 1];
            if (next) expect(next.start).toBe(s.end);
          });
        }
      }),
      RUNS,
    );
  });

  it('a daily handoff keeps its local wall-clock time and calendar step (checked with luxon)', () => {
    const arb = fc.record({
      zone: fc.constantFrom(...ZONES),
      handoff: clockArb,
      count: fc.integer({ min: 1, max: 3 }),
      members: fc.integer({ min: 2, max: 5 }),
      day: fc.integer({ min: 0, max: 5 * 365 }),
    });
    fc.assert(
      fc.property(arb, ({ zone, handoff, count, members, day }) => {
        const start = DateTime.fromISO('2024-01-01', { zone }).plus({ days: day }).toMillis();
        const layer: Layer = {
          name: 'daily',
          members: Array.from({ length: members }, (_, i) => [`m${i}`]),
          rotation: { unit: 'day', count, handoffTime: handoff, weekday: null },
          start,
          end: null,
          restrictions: { kind: 'none' },
          role: 'primary',
        };
        const range = { start, end: start + 80 * DAY };
        const shifts = layerTimeline(makeSchedule(zone, [layer]), 0, range);
        const [h, m] = handoff.split(':').map(Number);
        let previousDate: DateTime | null = null;
        shifts.slice(1).forEach((s, i) => {
          const local = DateTime.fromMillis(s.start, { zone });
          const wanted = DateTime.fromObject({ year: local.year, month: local.month, day: local.day, hour: h, minute: m }, { zone });
          if (wanted.hour === h && wanted.minute === m) {
            // The time exists that day: the handoff is exactly at it (first occurrence if repeated).
            expect(local.toFormat('HH:mm')).toBe(handoff);
            expect(DateTime.fromMillis(s.start - HOUR, { zone }).toFormat('yyyy-MM-dd HH:mm')).not.toBe(local.toFormat('yyyy-MM-dd HH:mm'));
          } else {
            // It falls in a spring-forward gap: moved forward by the gap, as luxon does.
            expect(s.start).toBe(wanted.toMillis());
          }
          const date = local.startOf('day');
          if (previousDate) expect(date.diff(previousDate, 'days').days).toBe(count);
          previousDate = date;
          expect(s.personIds).toEqual([`m${(i + 1) % members}`]);
        });
      }),
      RUNS,
    );
  });

  it('hourly rotations are exactly count absolute hours long', () => {
    const arb = fc
      .constantFrom(...ZONES)
      .chain((zone) =>
        rangeArb(zone, 72).chain((range) =>
          fc.record({ zone: fc.constant(zone), range: fc.constant(range), count: fc.integer({ min: 1, max: 30 }), handoff: clockArb }),
        ),
      );
    fc.assert(
      fc.property(arb, ({ zone, range, count, handoff }) => {
        const layer: Layer = {
          name: 'hourly',
          members: [['a'], ['b'], ['c']],
          rotation: { unit: 'hour', count, handoffTime: handoff, weekday: null },
          start: range.start - 3 * DAY,
          end: null,
          restrictions: { kind: 'none' },
          role: 'primary',
        };
        const shifts = layerTimeline(makeSchedule(zone, [layer]), 0, range);
        shifts.slice(1, -1).forEach((s) => expect(s.end - s.start).toBe(count * HOUR));
      }),
      RUNS,
    );
  });

  it('overrides always win: inside the latest override of a role, that person is on call', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
        ({ zone, range, layers, overrides }, fractions) => {
          const schedule = makeSchedule(zone, layers);
          const shifts = finalTimeline(schedule, overrides, range);
          overrides.forEach((o, i) => {
            for (const f of fractions) {
              const t = Math.floor(o.start + f * (o.end - o.start - 1));
              if (t < range.start || t >= range.end) continue;
              if (overrides.slice(i + 1).some((later) => later.role === o.role && later.start <= t && t < later.end)) continue;
              expect(onCallAt(schedule, overrides, t)[o.role]).toEqual([o.personId]);
              expect(
                peopleAt(
                  shifts.filter((s) => s.role === o.role),
                  t,
                ),
              ).toEqual([o.personId]);
            }
          });
        },
      ),
      RUNS,
    );
  });

  it('onCallAt agrees with a 90-day timeline at random instants', () => {
    const arb = fc.constantFrom(...ZONES).chain((zone) =>
      rangeArb(zone, 24).chain((seed) => {
        const range = { start: seed.start, end: seed.start + 90 * DAY };
        return fc.record({
          zone: fc.constant(zone),
          range: fc.constant(range),
          layers: fc.array(layerArb(range), { minLength: 1, maxLength: 5 }),
          overrides: fc.array(overrideArb(range), { maxLength: 4 }),
          instants: fc.array(fc.integer({ min: range.start, max: range.end - 1 }), { minLength: 20, maxLength: 20 }),
        });
      }),
    );
    fc.assert(
      fc.property(arb, ({ zone, range, layers, overrides, instants }) => {
        const schedule = makeSchedule(zone, layers);
        const roles = byRole(finalTimeline(schedule, overrides, range));
        for (const t of instants) {
          const now = onCallAt(schedule, overrides, t);
          for (const role of new Set([...Object.keys(now), ...roles.keys()])) {
            expect([...(now[role] ?? [])].sort()).toEqual(peopleAt(roles.get(role), t));
          }
        }
      }),
      RUNS,
    );
  });
});
