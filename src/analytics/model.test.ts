import { describe, expect, it } from 'vitest';
import { breakdown, csvCell, daily, interruptions, periodAt, summarize, type IncidentFact } from './model.js';

const fact = (over: Partial<IncidentFact>): IncidentFact => ({
  id: 'i',
  number: 1,
  title: 't',
  channelId: 'c',
  teamId: 'team',
  severity: 'Critical',
  status: 'closed',
  labels: {},
  createdAt: 0,
  firstAckAt: null,
  closedAt: null,
  alertCount: 1,
  ...over,
});

describe('analytics model', () => {
  it('summarizes MTTA, MTTR, noise and response rate', () => {
    const s = summarize([fact({ firstAckAt: 60_000, closedAt: 600_000 }), fact({ firstAckAt: 180_000 }), fact({})], 12, 48);
    expect(s).toMatchObject({ incidents: 3, acknowledged: 2, closed: 1, mtta_s: 120, mttr_s: 600, noise_reduction: 0.75, event_noise_reduction: 0.75, response_rate: 0.6667 });
    expect(summarize([], 0, 0)).toMatchObject({ mtta_s: null, noise_reduction: null, response_rate: null });
  });

  it('classes local time as work, off or sleep, across a DST change', () => {
    // Tuesday 2026-03-10 14:00 UTC = 10:00 in New York (EDT, after the 8 March change).
    expect(periodAt(Date.UTC(2026, 2, 10, 14), 'America/New_York')).toBe('work');
    // Tuesday 2026-03-03 14:00 UTC = 09:00 EST: work; 13:00 UTC = 08:00: off.
    expect(periodAt(Date.UTC(2026, 2, 3, 14), 'America/New_York')).toBe('work');
    expect(periodAt(Date.UTC(2026, 2, 3, 13), 'America/New_York')).toBe('off');
    expect(periodAt(Date.UTC(2026, 2, 3, 4), 'America/New_York')).toBe('sleep');
    // Saturday midday is off hours.
    expect(periodAt(Date.UTC(2026, 2, 7, 12), 'UTC')).toBe('off');
  });

  it('counts several notifications within a minute as one interruption', () => {
    const t = Date.UTC(2026, 2, 3, 12); // Tuesday noon UTC
    const rows = interruptions(
      [
        { personId: 'p', at: t },
        { personId: 'p', at: t + 20_000 },
        { personId: 'p', at: t + 59_000 },
        { personId: 'p', at: t + 61_000 },
        { personId: 'q', at: t + 11 * 3_600_000 },
      ],
      () => 'UTC',
    );
    expect(rows).toEqual([
      { person_id: 'p', total: 2, work: 2, off: 0, sleep: 0 },
      { person_id: 'q', total: 1, work: 0, off: 0, sleep: 1 },
    ]);
  });

  it('groups by a key and fills every day of a range', () => {
    const facts = [fact({ channelId: 'a', firstAckAt: 1000 }), fact({ channelId: 'a' }), fact({ channelId: 'b', createdAt: 86_400_000 })];
    expect(breakdown(facts, (f) => f.channelId).map((r) => [r.key, r.incidents, r.acknowledged])).toEqual([
      ['a', 2, 1],
      ['b', 1, 0],
    ]);
    expect(daily(facts, 0, 3 * 86_400_000).map((d) => d.incidents)).toEqual([2, 1, 0]);
  });

  it('writes CSV cells a spreadsheet will not execute', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-5)).toBe('-5');
  });
});
