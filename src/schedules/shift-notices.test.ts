import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Layer } from './model.js';
import { finalTimelineUnbounded, onCallAt } from './resolver.js';
import { dueShiftNotices, shiftNoticeRange, type ShiftNotice } from './shift-notices.js';
import { at, makeLayer, makeOverride, makeSchedule } from './test-helpers.js';

const MIN = 60_000;

function notices(
  schedule: ReturnType<typeof makeSchedule>,
  overrides: Parameters<typeof onCallAt>[1],
  after: number,
  now: number,
  startLead: number,
  endLead = 0,
): ShiftNotice[] {
  const range = shiftNoticeRange(after, now, startLead, endLead);
  const shifts = finalTimelineUnbounded(schedule, overrides, range);
  return dueShiftNotices({ scheduleId: schedule.id, shifts, range, after, now, startLeadMinutes: startLead, endLeadMinutes: endLead });
}

describe('dueShiftNotices', () => {
  // Daily 09:00 New York handoff a → b → c; 2026-03-08 09:00 EDT is 13:00Z (spring-forward day).
  const schedule = makeSchedule('America/New_York', [makeLayer({ start: at('2026-03-06T09:00:00-05:00') })]);

  it('tells the incoming person N minutes before, at 09:00 local on a DST day', () => {
    expect(notices(schedule, [], at('2026-03-08T12:40:00Z'), at('2026-03-08T12:46:00Z'), 15)).toEqual([
      {
        kind: 'shift-start',
        scheduleId: 'sched-1',
        personId: 'c',
        roles: ['primary'],
        shiftStart: at('2026-03-08T13:00:00Z'),
        shiftEnd: null, // beyond the range resolved for this window
        dueAt: at('2026-03-08T12:45:00Z'),
        dedupKey: `shift-start:sched-1:c:${at('2026-03-08T13:00:00Z')}`,
      },
    ]);
    expect(notices(schedule, [], at('2026-03-08T12:45:00Z'), at('2026-03-08T12:50:00Z'), 15)).toEqual([]); // (after, now] excludes after
  });

  it('tells the outgoing person when the shift ended, or M minutes before', () => {
    const ended = notices(schedule, [], at('2026-03-08T12:59:00Z'), at('2026-03-08T13:00:00Z'), 15);
    expect(ended.map((n) => [n.kind, n.personId, n.dedupKey])).toEqual([['shift-end', 'b', `shift-end:sched-1:b:${at('2026-03-08T13:00:00Z')}`]]);
    const early = notices(schedule, [], at('2026-03-08T12:29:00Z'), at('2026-03-08T12:30:00Z'), 15, 30);
    expect(early.map((n) => [n.kind, n.personId, n.dueAt])).toEqual([['shift-end', 'b', at('2026-03-08T12:30:00Z')]]);
  });

  it('an override is a shift of its own; a change of companions is not an end', () => {
    const s = makeSchedule('Europe/London', [
      makeLayer({
        start: at('2026-01-05T09:00:00Z'),
        members: [
          ['a', 'b'],
          ['a', 'c'],
        ],
      }),
    ]);
    const overrides = [makeOverride('z', at('2026-01-06T12:00:00Z'), at('2026-01-06T13:00:00Z'))];
    const due = notices(s, overrides, at('2026-01-06T08:00:00Z'), at('2026-01-06T14:00:00Z'), 10);
    expect(due.map((n) => `${n.kind}:${n.personId}@${new Date(n.dueAt).toISOString().slice(11, 16)}`)).toEqual([
      'shift-start:c@08:50',
      'shift-end:b@09:00',
      'shift-start:z@11:50',
      'shift-end:a@12:00',
      'shift-end:c@12:00',
      'shift-start:a@12:50',
      'shift-start:c@12:50',
      'shift-end:z@13:00',
    ]);
  });

  it('property: polling in random steps yields each due notice exactly once, matching onCallAt (200 runs)', () => {
    const arb = fc.record({
      zone: fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai'),
      unit: fc.constantFrom<Layer['rotation']['unit']>('hour', 'day'),
      count: fc.integer({ min: 1, max: 5 }),
      members: fc.array(fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3', 'p4'), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
      startLead: fc.integer({ min: 0, max: 90 }),
      endLead: fc.integer({ min: 0, max: 30 }),
      steps: fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 20 }),
      overrides: fc.array(fc.record({ p: fc.constantFrom('p1', 'p5'), from: fc.integer({ min: 0, max: 3000 }), len: fc.integer({ min: 1, max: 600 }) }), {
        maxLength: 3,
      }),
    });
    const t0 = at('2026-03-07T00:00:00Z');
    fc.assert(
      fc.property(arb, ({ zone, unit, count, members, startLead, endLead, steps, overrides }) => {
        const s = makeSchedule(zone, [makeLayer({ start: t0 - 86_400_000, members, rotation: { unit, count, handoffTime: '02:30' } })]);
        const ovs = overrides.map((o) => makeOverride(o.p, t0 + o.from * MIN, t0 + (o.from + o.len) * MIN));
        const seen = new Map<string, ShiftNotice>();
        let after = t0;
        for (const step of steps) {
          const now = after + step * MIN;
          for (const n of notices(s, ovs, after, now, startLead, endLead)) {
            expect(seen.has(n.dedupKey), n.dedupKey).toBe(false);
            seen.set(n.dedupKey, n);
          }
          after = now;
        }
        const all = notices(s, ovs, t0, after, startLead, endLead);
        expect([...seen.keys()].sort()).toEqual(all.map((n) => n.dedupKey).sort());
        for (const n of all) {
          const edge = n.kind === 'shift-start' ? n.shiftStart : n.shiftEnd;
          if (edge === null) throw new Error('edge must be known');
          const before = (onCallAt(s, ovs, edge - 1).primary ?? []).includes(n.personId);
          const afterEdge = (onCallAt(s, ovs, edge).primary ?? []).includes(n.personId);
          expect([before, afterEdge]).toEqual(n.kind === 'shift-start' ? [false, true] : [true, false]);
        }
        // Completeness, by brute force over every minute: each edge whose notice falls due is reported.
        const keys = new Set(all.map((n) => n.dedupKey));
        const people = ['p1', 'p2', 'p3', 'p4', 'p5'];
        const onAt = (t: number): readonly string[] => onCallAt(s, ovs, t).primary ?? [];
        for (let due = t0 + MIN; due <= after; due += MIN) {
          const start = due + startLead * MIN;
          const end = due + endLead * MIN;
          const [b1, a1, b2, a2] = [onAt(start - 1), onAt(start), onAt(end - 1), onAt(end)];
          for (const p of people) {
            if (!b1.includes(p) && a1.includes(p)) expect(keys.has(`shift-start:sched-1:${p}:${start}`)).toBe(true);
            if (b2.includes(p) && !a2.includes(p)) expect(keys.has(`shift-end:sched-1:${p}:${end}`)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
