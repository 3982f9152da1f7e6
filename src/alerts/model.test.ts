import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilter, type FilterMatcher, type FilterSubject } from '../core/filter.js';
import type { NormalizedEvent } from '../core/event.js';
import {
  compileInhibitRule,
  compileSilenceRule,
  decideDedup,
  deriveAlertKey,
  evaluateFlapping,
  findInhibitor,
  isInhibited,
  isSilenced,
  quickSilenceRule,
  recordStateChange,
  shouldDrop,
  silenceActiveAt,
  validateFlapping,
  type AlertSnapshot,
  type InhibitRule,
  type InhibitSource,
  type SilenceRule,
  type SilenceRuleInput,
} from './model.js';

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 1);

describe('deriveAlertKey', () => {
  it('is sha256 of integration id, title and sorted labels, truncated to 32 hex chars', () => {
    expect(deriveAlertKey('int-1', 'CPU high', { host: 'web-01', env: 'prod' })).toBe('99bc58157a05101c3a1b2070515dd4dc');
    expect(deriveAlertKey('int-1', 'CPU high', { env: 'prod', host: 'web-01' })).toBe('99bc58157a05101c3a1b2070515dd4dc');
  });

  it('changes with any input and cannot be forged by moving separators', () => {
    const base = deriveAlertKey('int-1', 'CPU high', { host: 'web-01' });
    expect(deriveAlertKey('int-2', 'CPU high', { host: 'web-01' })).not.toBe(base);
    expect(deriveAlertKey('int-1', 'CPU High', { host: 'web-01' })).not.toBe(base);
    expect(deriveAlertKey('int-1', 'CPU high', { host: 'web-02' })).not.toBe(base);
    expect(deriveAlertKey('int-1', 'CPU high', {})).not.toBe(base);
    expect(deriveAlertKey('a|b', 'c', {})).not.toBe(deriveAlertKey('a', 'b|c', {}));
  });
});

describe('decideDedup', () => {
  const ev = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
    title: 'CPU high',
    status: 'Warning',
    action: 'trigger',
    description: 'load 9',
    labels: { host: 'web-01' },
    ...over,
  });
  const active: AlertSnapshot = { status: 'Warning', title: 'CPU high', description: 'load 9', labels: { host: 'web-01' } };
  const recovered: AlertSnapshot = { ...active, status: 'Ok' };

  it('opens a new alert for an unknown key and ignores recoveries for one', () => {
    expect(decideDedup(undefined, ev(), T0)).toEqual({ kind: 'new' });
    expect(decideDedup(undefined, ev({ status: 'Ok' }), T0)).toEqual({ kind: 'ignore-ok' });
    expect(decideDedup(undefined, ev({ action: 'resolve', status: 'Ok' }), T0)).toEqual({ kind: 'ignore-ok' });
  });

  it('counts an event identical to the last one (labels in any order) as a duplicate', () => {
    expect(decideDedup(active, ev(), T0)).toEqual({ kind: 'duplicate' });
    const twoLabels = { ...active, labels: { a: '1', b: '2' } };
    expect(decideDedup(twoLabels, ev({ labels: { b: '2', a: '1' } }), T0)).toEqual({ kind: 'duplicate' });
  });

  it('updates exactly the fields that changed; labels follow the latest event', () => {
    expect(decideDedup(active, ev({ status: 'Critical' }), T0)).toEqual({ kind: 'update', changes: { status: 'Critical' } });
    expect(decideDedup(active, ev({ title: 'CPU very high', description: 'load 20' }), T0)).toEqual({
      kind: 'update',
      changes: { title: 'CPU very high', description: 'load 20' },
    });
    expect(decideDedup(active, ev({ labels: { dc: 'fra' } }), T0)).toEqual({ kind: 'update', changes: { labels: { dc: 'fra' } } });
    expect(decideDedup(active, ev({ labels: { host: 'web-01', dc: 'fra' } }), T0)).toEqual({
      kind: 'update',
      changes: { labels: { host: 'web-01', dc: 'fra' } },
    });
  });

  it('recovers an active alert, adding only the labels it lacked', () => {
    expect(decideDedup(active, ev({ status: 'Ok', labels: { host: 'web-02', resolved_by: 'am' } }), T0)).toEqual({
      kind: 'recover',
      recoveredAt: T0,
      addedLabels: { resolved_by: 'am' },
    });
    expect(decideDedup(active, ev({ status: 'Ok', labels: {} }), T0)).toEqual({ kind: 'recover', recoveredAt: T0, addedLabels: {} });
  });

  it('opens a NEW alert for a trigger on a recovered key; repeated recoveries only add labels', () => {
    expect(decideDedup(recovered, ev(), T0)).toEqual({ kind: 'reopen-as-new' });
    expect(decideDedup(recovered, ev({ status: 'Ok' }), T0)).toEqual({ kind: 'duplicate' });
    expect(decideDedup(recovered, ev({ status: 'Ok', description: 'other' }), T0)).toEqual({ kind: 'duplicate' });
    expect(decideDedup(recovered, ev({ status: 'Ok', labels: { x: '1' } }), T0)).toEqual({ kind: 'update', changes: { labels: { host: 'web-01', x: '1' } } });
  });

  it('routes acknowledge actions to the incident only for active alerts', () => {
    expect(decideDedup(active, ev({ action: 'acknowledge' }), T0)).toEqual({ kind: 'acknowledge' });
    expect(decideDedup(recovered, ev({ action: 'acknowledge' }), T0)).toEqual({ kind: 'ignore-ack' });
    expect(decideDedup(undefined, ev({ action: 'acknowledge' }), T0)).toEqual({ kind: 'ignore-ack' });
  });
});

describe('flapping', () => {
  const changes = (n: number, everyMins: number, end = T0): number[] => Array.from({ length: n }, (_, i) => end - (n - 1 - i) * everyMins * MIN);

  it('marks an alert with more than max_changes changes within in_mins (defaults 4 / 60)', () => {
    expect(evaluateFlapping(changes(4, 10), T0)).toEqual({ flapping: false });
    expect(evaluateFlapping(changes(5, 10), T0)).toEqual({ flapping: true });
    // Five changes, but the first is exactly 60 minutes old and falls out of the window.
    expect(evaluateFlapping(changes(5, 15), T0)).toEqual({ flapping: false });
    expect(evaluateFlapping(changes(5, 14), T0)).toEqual({ flapping: true });
    expect(evaluateFlapping([...changes(5, 1), T0 + MIN], T0)).toEqual({ flapping: true });
    expect(evaluateFlapping(changes(3, 1), T0, { maxChanges: 2 })).toEqual({ flapping: true });
  });

  it('mutes for mute_mins from now in mute mode and does nothing when off', () => {
    expect(evaluateFlapping(changes(5, 1), T0, { mode: 'mute' })).toEqual({ flapping: true, mutedUntil: T0 + 120 * MIN });
    expect(evaluateFlapping(changes(5, 1), T0, { mode: 'mute', muteMins: 30 })).toEqual({ flapping: true, mutedUntil: T0 + 30 * MIN });
    expect(evaluateFlapping(changes(4, 1), T0, { mode: 'mute' })).toEqual({ flapping: false });
    expect(evaluateFlapping(changes(50, 1), T0, { mode: 'off' })).toEqual({ flapping: false });
  });

  it('keeps a bounded history that decides exactly like the full one', () => {
    expect(recordStateChange([T0 - 61 * MIN, T0 - 30 * MIN], T0)).toEqual([T0 - 30 * MIN, T0]);
    expect(recordStateChange(changes(9, 1, T0 - MIN), T0)).toEqual(changes(5, 1));
    const options = fc.record({ maxChanges: fc.integer({ min: 1, max: 6 }), inMins: fc.integer({ min: 1, max: 30 }) });
    fc.assert(
      fc.property(options, fc.array(fc.integer({ min: 0, max: 5 * MIN }), { maxLength: 40 }), ({ maxChanges, inMins }, gaps) => {
        let bounded: number[] = [];
        let t = T0;
        const full: number[] = [];
        for (const gap of gaps) {
          t += gap;
          full.push(t);
          bounded = recordStateChange(bounded, t, { maxChanges, inMins });
          expect(evaluateFlapping(bounded, t, { maxChanges, inMins })).toEqual(evaluateFlapping(full, t, { maxChanges, inMins }));
        }
        expect(bounded.length).toBeLessThanOrEqual(maxChanges + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('validates its options', () => {
    expect(validateFlapping({ maxChanges: 0, inMins: 1441, muteMins: 1.5, mode: 'loud' as 'off' })).toEqual([
      { field: 'flapping.max_changes', message: 'must be an integer from 1 to 100' },
      { field: 'flapping.in_mins', message: 'must be an integer from 1 to 1440' },
      { field: 'flapping.mute_mins', message: 'must be an integer from 1 to 10080' },
      { field: 'flapping.mode', message: 'must be off, mark or mute' },
    ]);
    expect(validateFlapping({ maxChanges: 4, inMins: 60, muteMins: 120, mode: 'mute' })).toEqual([]);
  });
});

const subject = (labels: Record<string, string>, over: Partial<FilterSubject> = {}): FilterSubject => ({
  severity: 'Critical',
  title: 'Node down',
  description: '',
  integration: 'int-1',
  labels,
  ...over,
});

function silence(input: SilenceRuleInput): SilenceRule {
  const c = compileSilenceRule(input);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.value;
}

describe('silence rules', () => {
  const prod = [[{ key: 'labels.env', op: 'in' as const, values: ['prod'] }]];

  it('silences matching alerts inside a one-off range [start, end)', () => {
    const rule = silence({ filter: prod, time: { kind: 'range', start: T0, end: T0 + 60 * MIN } });
    expect(isSilenced(rule, subject({ env: 'prod' }), T0 - 1)).toBe(false);
    expect(isSilenced(rule, subject({ env: 'prod' }), T0)).toBe(true);
    expect(isSilenced(rule, subject({ env: 'dev' }), T0)).toBe(false);
    expect(isSilenced(rule, subject({ env: 'prod' }), T0 + 60 * MIN - 1)).toBe(true);
    expect(isSilenced(rule, subject({ env: 'prod' }), T0 + 60 * MIN)).toBe(false);
  });

  it('follows wall-clock time across the spring-forward gap (Europe/Berlin, 2025-03-30)', () => {
    const rule = silence({ filter: [], time: { kind: 'weekly', timeZone: 'Europe/Berlin', windows: [{ days: [7], start: '01:30', end: '02:30' }] } });
    const at = (iso: string): boolean => silenceActiveAt(rule.time, Date.parse(iso));
    expect(at('2025-03-30T00:29:59Z')).toBe(false); // 01:29:59 CET
    expect(at('2025-03-30T00:30:00Z')).toBe(true); // 01:30 CET
    expect(at('2025-03-30T00:59:59Z')).toBe(true); // 01:59:59 CET
    expect(at('2025-03-30T01:00:00Z')).toBe(false); // 03:00 CEST: 02:00–03:00 never happened
  });

  it('silences the repeated hour twice on fall-back day (Europe/Berlin, 2025-10-26)', () => {
    const rule = silence({ filter: [], time: { kind: 'weekly', timeZone: 'Europe/Berlin', windows: [{ days: [7], start: '02:00', end: '03:00' }] } });
    const at = (iso: string): boolean => silenceActiveAt(rule.time, Date.parse(iso));
    expect(at('2025-10-25T23:59:59Z')).toBe(false); // 01:59:59 CEST
    expect(at('2025-10-26T00:00:00Z')).toBe(true); // 02:00 CEST
    expect(at('2025-10-26T01:30:00Z')).toBe(true); // 02:30 CET, the second time round
    expect(at('2025-10-26T02:00:00Z')).toBe(false); // 03:00 CET
  });

  it('runs windows past midnight into the next day, wrapping Sunday to Monday', () => {
    const rule = silence({
      filter: [],
      time: {
        kind: 'weekly',
        timeZone: 'America/New_York',
        windows: [
          { days: [5], start: '22:00', end: '06:00' },
          { days: [7], start: '23:00', end: '01:00' },
          { days: [3], start: '00:00', end: '24:00' },
        ],
      },
    });
    const at = (iso: string): boolean => silenceActiveAt(rule.time, Date.parse(iso));
    expect(at('2030-01-04T21:59:00-05:00')).toBe(false); // Friday
    expect(at('2030-01-04T22:00:00-05:00')).toBe(true);
    expect(at('2030-01-05T05:59:00-05:00')).toBe(true); // Saturday morning
    expect(at('2030-01-05T06:00:00-05:00')).toBe(false);
    expect(at('2030-01-05T23:00:00-05:00')).toBe(false); // Saturday night is not listed
    expect(at('2030-01-07T00:30:00-05:00')).toBe(true); // Monday, from Sunday's window
    expect(at('2030-01-07T01:00:00-05:00')).toBe(false);
    expect(at('2030-01-02T00:00:00-05:00')).toBe(true); // Wednesday, all day
    expect(at('2030-01-02T23:59:59-05:00')).toBe(true);
    expect(at('2030-01-03T00:00:00-05:00')).toBe(false);
  });

  it('agrees with plain UTC arithmetic in the UTC zone', () => {
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1 }),
        hhmm,
        hhmm,
        fc.integer({ min: T0, max: T0 + 30 * 24 * 60 * MIN }),
        (days, start, end, now) => {
          fc.pre(start !== end);
          const rule = silence({ filter: [], time: { kind: 'weekly', timeZone: 'UTC', windows: [{ days, start, end }] } });
          const d = new Date(now);
          const iso = ((d.getUTCDay() + 6) % 7) + 1;
          const prev = iso === 1 ? 7 : iso - 1;
          const m = d.getUTCHours() * 60 + d.getUTCMinutes();
          const [s, e] = [start, end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
          const expected =
            (s ?? 0) < (e ?? 0)
              ? days.includes(iso) && m >= (s ?? 0) && m < (e ?? 0)
              : (days.includes(iso) && m >= (s ?? 0)) || (days.includes(prev) && m < (e ?? 0));
          expect(silenceActiveAt(rule.time, now)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports every broken field', () => {
    expect(compileSilenceRule({ filter: [[]], time: { kind: 'range', start: T0, end: T0 } })).toEqual({
      ok: false,
      errors: [
        { field: 'silence.filter[0]', message: 'must be a non-empty list of conditions' },
        { field: 'silence.time', message: 'range needs integer start < end (unix milliseconds)' },
      ],
    });
    expect(
      compileSilenceRule(
        {
          filter: [],
          action: 'hide' as 'mark',
          time: {
            kind: 'weekly',
            timeZone: 'Mars/Olympus',
            windows: [
              { days: [0, 8], start: '24:00', end: '24:30' },
              { days: [1], start: '10:00', end: '10:00' },
            ],
          },
        },
        'silences[2]',
      ),
    ).toEqual({
      ok: false,
      errors: [
        { field: 'silences[2].action', message: 'must be mark or discard' },
        { field: 'silences[2].time.time_zone', message: 'must be an IANA time zone such as Europe/Berlin' },
        { field: 'silences[2].time.windows[0].days', message: 'must list ISO weekdays 1 (Monday) to 7 (Sunday)' },
        { field: 'silences[2].time.windows[0].start', message: 'must be HH:mm from 00:00 to 23:59' },
        { field: 'silences[2].time.windows[0].end', message: 'must be HH:mm from 00:00 to 24:00' },
        { field: 'silences[2].time.windows[1].end', message: 'must differ from start' },
      ],
    });
  });
});

describe('quickSilenceRule', () => {
  it('silences exactly these label values from now for the duration', () => {
    expect(quickSilenceRule({ host: 'web-01', alertname: 'NodeDown', mount: '/data/' }, 30, T0)).toEqual({
      ok: true,
      value: {
        filter: [
          [
            { key: 'labels.alertname', op: 'in', values: ['NodeDown'] },
            { key: 'labels.host', op: 'in', values: ['web-01'] },
            { key: 'labels.mount', op: 'in', values: ['/^\\/data\\/$/'] },
          ],
        ],
        time: { kind: 'range', start: T0, end: T0 + 30 * MIN },
        action: 'mark',
      },
    });
  });

  it('matches the same labels (and supersets) only, while the range lasts', () => {
    const q = quickSilenceRule({ host: 'web-01', path: 'a*b?' }, 14 * 24 * 60, T0);
    if (!q.ok) throw new Error('rejected');
    const rule = silence(q.value);
    expect(isSilenced(rule, subject({ host: 'web-01', path: 'a*b?' }), T0)).toBe(true);
    expect(isSilenced(rule, subject({ host: 'web-01', path: 'a*b?', extra: '1' }), T0)).toBe(true);
    expect(isSilenced(rule, subject({ host: 'web-01', path: 'aXXbY' }), T0)).toBe(false);
    expect(isSilenced(rule, subject({ host: 'web-01' }), T0)).toBe(false);
    expect(isSilenced(rule, subject({ host: 'web-01', path: 'a*b?' }), T0 + 14 * 24 * 60 * MIN)).toBe(false);
  });

  it('refuses durations outside 30m–2w and incidents without labels', () => {
    expect(quickSilenceRule({ a: '1' }, 29, T0)).toEqual({
      ok: false,
      errors: [{ field: 'duration_mins', message: 'must be an integer from 30 (30m) to 20160 (2w)' }],
    });
    expect(quickSilenceRule({ a: '1' }, 20161, T0).ok).toBe(false);
    expect(quickSilenceRule({ a: '1' }, 20160, T0).ok).toBe(true);
    expect(quickSilenceRule({}, 60, T0)).toEqual({ ok: false, errors: [{ field: 'labels', message: 'the incident has no labels to silence by' }] });
    expect(quickSilenceRule({ p: `/${'x'.repeat(600)}/` }, 60, T0)).toEqual({
      ok: false,
      errors: [{ field: 'labels.p', message: 'value is too long to match exactly' }],
    });
  });
});

describe('inhibit rules', () => {
  function inhibit(source: string, target: string, equal: string[]): InhibitRule {
    const c = compileInhibitRule({
      source: [[{ key: 'labels.alertname', op: 'in', values: [source] }]],
      target: [[{ key: 'labels.alertname', op: 'in', values: [target] }]],
      equal,
    });
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    return c.value;
  }
  const rules = [inhibit('NodeDown', 'DiskFull', ['host']), inhibit('DCDown', '*', ['dc'])];
  const src = (id: string, labels: Record<string, string>, over: Partial<InhibitSource> = {}): InhibitSource => ({
    id,
    subject: subject(labels),
    acknowledged: false,
    recovered: false,
    ...over,
  });
  const target = subject({ alertname: 'DiskFull', host: 'web-01', dc: 'fra' });

  it('inhibits a target while an active source with equal values exists', () => {
    expect(findInhibitor(target, rules, [src('a1', { alertname: 'NodeDown', host: 'web-01' })])).toEqual({ rule: 0, sourceAlertId: 'a1' });
    expect(findInhibitor(target, rules, [src('a1', { alertname: 'NodeDown', host: 'web-02' })])).toBeUndefined();
    expect(findInhibitor(target, rules, [src('a2', { alertname: 'DCDown', dc: 'fra' })])).toEqual({ rule: 1, sourceAlertId: 'a2' });
    expect(isInhibited(subject({ alertname: 'CPU', host: 'web-01' }), rules, [src('a1', { alertname: 'NodeDown', host: 'web-01' })])).toBe(false);
  });

  it('ignores acknowledged and recovered sources, and never lets an alert inhibit itself', () => {
    const sources = [
      src('a1', { alertname: 'NodeDown', host: 'web-01' }, { acknowledged: true }),
      src('a2', { alertname: 'NodeDown', host: 'web-01' }, { recovered: true }),
    ];
    expect(isInhibited(target, rules, sources)).toBe(false);
    const both = subject({ alertname: 'DCDown', dc: 'fra' });
    expect(isInhibited({ ...both, id: 'x' }, rules, [src('x', { alertname: 'DCDown', dc: 'fra' })])).toBe(false);
    expect(isInhibited({ ...both, id: 'y' }, rules, [src('x', { alertname: 'DCDown', dc: 'fra' })])).toBe(true);
  });

  it('treats a label missing on both sides as equal, like Alertmanager', () => {
    const noHost = subject({ alertname: 'DiskFull' });
    expect(isInhibited(noHost, rules, [src('a1', { alertname: 'NodeDown' })])).toBe(true);
    expect(isInhibited(noHost, rules, [src('a1', { alertname: 'NodeDown', host: 'web-01' })])).toBe(false);
    expect(isInhibited(subject({ alertname: 'DiskFull', host: '' }), rules, [src('a1', { alertname: 'NodeDown' })])).toBe(true);
  });

  it('validates both filters and the equal list', () => {
    expect(compileInhibitRule({ source: [[]], target: [[{ key: 'bad', op: 'in', values: ['x'] }]], equal: [''] }, 'inhibit_rules[1]')).toEqual({
      ok: false,
      errors: [
        { field: 'inhibit_rules[1].source[0]', message: 'must be a non-empty list of conditions' },
        { field: 'inhibit_rules[1].target[0][0].key', message: 'must be severity, title, description, integration or labels.<name>' },
        { field: 'inhibit_rules[1].equal', message: 'must list at most 20 label names of 1–128 characters' },
      ],
    });
  });
});

describe('shouldDrop', () => {
  const compiled = (values: string[]): FilterMatcher => {
    const c = compileFilter([[{ key: 'title', op: 'in', values }]]);
    if (!c.ok) throw new Error('bad');
    return c.value;
  };
  it('drops when any drop rule matches and keeps everything with no rules', () => {
    const rules = [compiled(['/^test/i']), compiled(['Heartbeat'])];
    expect(shouldDrop(rules, subject({}, { title: 'TEST alert' }))).toBe(true);
    expect(shouldDrop(rules, subject({}, { title: 'Heartbeat' }))).toBe(true);
    expect(shouldDrop(rules, subject({}, { title: 'Node down' }))).toBe(false);
    expect(shouldDrop([], subject({}))).toBe(false);
  });
});
