import { describe, expect, it } from 'vitest';
import { addToClock, handoffAt, lastHandoffAtOrBefore, rotateMembers, unitOf } from './rotation.js';
import { pagerDutyLayer } from './pagerduty.js';
import { opsgenieLevels } from './opsgenie.js';
import { oncallLevels } from './grafana-oncall.js';

const NY = 'America/New_York';

describe('rotation anchoring', () => {
  it('reads turn lengths as Tocsin units', () => {
    expect(unitOf(86_400)).toEqual({ unit: 'day', count: 1 });
    expect(unitOf(2 * 604_800)).toEqual({ unit: 'week', count: 2 });
    expect(unitOf(8 * 3600)).toEqual({ unit: 'hour', count: 8 });
    expect(unitOf(90 * 60)).toBeUndefined();
    expect(unitOf(31 * 86_400)).toBeUndefined();
  });

  it('steps daily handoffs on the local calendar across DST', () => {
    const anchor = Date.parse('2026-03-07T09:00:00-05:00');
    expect(new Date(handoffAt(anchor, NY, 'day', 1, 1)).toISOString()).toBe('2026-03-08T13:00:00.000Z'); // 09:00 EDT
    const last = lastHandoffAtOrBefore(anchor, Date.parse('2026-03-10T08:00:00-04:00'), NY, 'day', 1);
    expect(last).toEqual({ at: Date.parse('2026-03-09T09:00:00-04:00'), k: 2 });
  });

  it('rotates members to whoever has turn k, also for negative k', () => {
    expect(rotateMembers(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a']);
    expect(rotateMembers(['a', 'b', 'c'], -1)).toEqual(['c', 'a', 'b']);
  });

  it('adds durations to clock times, counting days', () => {
    expect(addToClock('18:00', 14 * 3600)).toEqual({ time: '08:00', days: 1 });
    expect(addToClock('09:30', 3600)).toEqual({ time: '10:30', days: 0 });
  });
});

describe('vendor layers and levels', () => {
  it('starts a PagerDuty layer at its last handoff with the member on call then, keeping restrictions', () => {
    const { layer } = pagerDutyLayer(
      {
        name: 'Nights',
        start: '2026-02-10T00:00:00-05:00',
        rotation_virtual_start: '2026-02-02T18:00:00-05:00',
        rotation_turn_length_seconds: 604_800,
        users: [{ user: { id: 'A' } }, { user: { id: 'B' } }],
        restrictions: [{ type: 'weekly_restriction', start_day_of_week: 5, start_time_of_day: '18:00:00', duration_seconds: 230_400 }],
      },
      NY,
      Date.parse('2026-03-01T00:00:00Z'),
    );
    expect(layer).toMatchObject({
      start: Date.parse('2026-02-09T18:00:00-05:00'),
      members: [['B'], ['A']],
      rotation: { unit: 'week', count: 1, handoff_time: '18:00', weekday: 'monday' },
      restrictions: { kind: 'weekly', windows: [{ start_day: 'friday', start: '18:00', end_day: 'monday', end: '10:00' }] },
    });
  });

  it('turns Opsgenie absolute delays into relative level waits, merging equal delays', () => {
    const rule = (minutes: number, type: string, id: string) => ({ delay: { timeAmount: minutes, timeUnit: 'minutes' }, recipient: { type, id } });
    const converted = opsgenieLevels({
      name: 'E',
      rules: [rule(0, 'schedule', 's'), rule(10, 'user', 'a'), rule(10, 'user', 'b'), { delay: { timeAmount: 1, timeUnit: 'hours' }, recipient: { type: 'team', id: 't' } }],
      repeat: { waitInterval: 5, count: 3 },
    });
    expect(converted.levels.map((l) => l.escalateAfterMin)).toEqual([10, 50, 5]);
    expect(converted.levels.map((l) => l.targets.map((t) => t.vendorId))).toEqual([['s'], ['a', 'b'], ['t']]);
    expect(converted.loops).toBe(3);
  });

  it('reads an OnCall chain: notify steps make a level, waits its delay, repeat loops', () => {
    const converted = oncallLevels('C', [
      { position: 2, type: 'wait', duration: 300 },
      { position: 1, type: 'notify_persons', persons_to_notify: ['u1'] },
      { position: 3, type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: 's1' },
      { position: 4, type: 'trigger_webhook' },
    ]);
    expect(converted.levels).toEqual([
      { targets: [{ kind: 'person', vendorId: 'u1' }], escalateAfterMin: 5 },
      { targets: [{ kind: 'schedule', vendorId: 's1' }], escalateAfterMin: 1 },
    ]);
    expect(converted.unmapped).toEqual([expect.objectContaining({ reason: 'step trigger_webhook has no Tocsin equivalent' })]);
  });
});
