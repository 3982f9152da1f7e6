import { describe, expect, it } from 'vitest';
import { quickSilenceForAlerts } from './model.js';

const T0 = Date.UTC(2030, 0, 1);

describe('quickSilenceForAlerts', () => {
  it('ORs one exact group per distinct label set of the alerts', () => {
    const rule = quickSilenceForAlerts([{ host: 'a' }, { host: 'b', dc: 'x' }, { host: 'a' }, {}], 60, T0);
    expect(rule).toEqual({
      ok: true,
      value: {
        filter: [[{ key: 'labels.host', op: 'in', values: ['a'] }], [{ key: 'labels.dc', op: 'in', values: ['x'] }, { key: 'labels.host', op: 'in', values: ['b'] }]],
        time: { kind: 'range', start: T0, end: T0 + 3_600_000 },
        action: 'mark',
      },
    });
  });

  it('falls back to the labels every alert shares past 20 distinct sets, and refuses when none are shared', () => {
    const pods = Array.from({ length: 25 }, (_, i) => ({ deployment: 'api', pod: `api-${i}` }));
    expect(quickSilenceForAlerts(pods, 60, T0)).toMatchObject({ ok: true, value: { filter: [[{ key: 'labels.deployment', values: ['api'] }]] } });
    const unrelated = Array.from({ length: 25 }, (_, i) => ({ pod: `p-${i}` }));
    expect(quickSilenceForAlerts(unrelated, 60, T0)).toMatchObject({ ok: false, errors: [{ field: 'labels' }] });
    expect(quickSilenceForAlerts([], 60, T0)).toMatchObject({ ok: false, errors: [{ field: 'labels' }] });
  });
});
