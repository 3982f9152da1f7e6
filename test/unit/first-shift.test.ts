import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerTimelineUnbounded } from '../../src/schedules/resolver.js';
import { ROTATION_UNITS, WEEKDAYS, type RotationUnit, type Weekday } from '../../src/schedules/model.js';
import { firstShift, type RotationDraft } from '../../web/src/pages/schedules/firstShift.js';

/**
 * The console's "First shift: … (10 days)" line (issue 13) must say what the server's resolver will
 * do, so it is checked against the resolver itself: in UTC the zone's wall clock is the instant.
 */
const DAY = 86_400_000;

function layer(start: string, unit: RotationUnit, count: number, handoff: string, weekday: Weekday): RotationDraft & { rotation: { weekday: Weekday } } {
  return { rotation: { unit, count, handoff_time: handoff, weekday }, start };
}

function resolvedFirstShift(values: ReturnType<typeof layer>): { start: number; end: number } {
  const start = Date.parse(`${values.start}:00Z`);
  const shifts = layerTimelineUnbounded(
    {
      timeZone: 'UTC',
      layers: [
        {
          name: 'Primary',
          members: [['a'], ['b']],
          rotation: {
            unit: values.rotation.unit,
            count: Number(values.rotation.count),
            handoffTime: values.rotation.handoff_time,
            weekday: values.rotation.unit === 'week' ? values.rotation.weekday : null,
          },
          start,
          end: null,
          restrictions: { kind: 'none' },
          role: 'primary',
        },
      ],
    },
    0,
    { start, end: start + 1000 * DAY },
  );
  const first = shifts[0];
  if (!first) throw new Error('no shift');
  return { start: first.start, end: first.end };
}

describe('the first shift of a rotation', () => {
  it('gives a Friday start with Monday handoffs 10 days, as the issue reports', () => {
    const shift = firstShift(layer('2025-12-05T09:00', 'week', 1, '09:00', 'monday'));
    expect(shift).toMatchObject({ start: Date.UTC(2025, 11, 5, 9), end: Date.UTC(2025, 11, 15, 9), regular: false });
  });

  it('is one regular shift when the start is a handoff', () => {
    const shift = firstShift(layer('2025-12-08T09:00', 'week', 1, '09:00', 'monday'));
    expect(shift).toMatchObject({ start: Date.UTC(2025, 11, 8, 9), end: Date.UTC(2025, 11, 15, 9), regular: true });
  });

  it('is unknown while the start or the handoff time is incomplete', () => {
    expect(firstShift(layer('2025-12-05', 'week', 1, '09:00', 'monday'))).toBeNull();
    expect(firstShift(layer('2025-12-05T09:00', 'day', 1, '', 'monday'))).toBeNull();
  });

  it('matches the server resolver for any unit, count, handoff and start', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROTATION_UNITS),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 30),
        fc.constantFrom(...WEEKDAYS),
        fc.integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2027, 0, 1) / 60_000 }),
        (unit, count, hour, minute, weekday, startMinute) => {
          const start = new Date(startMinute * 60_000).toISOString().slice(0, 16);
          const handoff = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const values = layer(start, unit, count, handoff, weekday);
          const shift = firstShift(values);
          expect(shift && { start: shift.start, end: shift.end }).toEqual(resolvedFirstShift(values));
        },
      ),
      { numRuns: 300 },
    );
  });
});
