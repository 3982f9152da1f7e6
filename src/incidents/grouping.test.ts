import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FilterSubject } from '../core/filter.js';
import {
  chooseIncident,
  compileGrouping,
  groupKey,
  idleCloseAt,
  incidentSeverity,
  shouldAutoClose,
  similarity,
  SIMILARITY_GROUP_KEY,
  stormCrossed,
  tokens,
  validateAutoClose,
  validateStormThresholds,
  type CompiledGrouping,
  type GroupingConfig,
  type IncidentCandidate,
} from './grouping.js';

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 1);

function grouping(config: GroupingConfig): CompiledGrouping {
  const c = compileGrouping(config);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.value;
}

const alert = (labels: Record<string, string>, over: Partial<FilterSubject> = {}): FilterSubject => ({
  severity: 'Critical',
  title: 'Disk full',
  description: '',
  integration: 'int-1',
  labels,
  ...over,
});

const candidate = (over: Partial<IncidentCandidate> & { id: string }): IncidentCandidate => ({
  groupKey: null,
  startedAt: T0,
  lastMergeAt: T0,
  alertCount: 1,
  title: 'Disk full',
  description: '',
  labels: {},
  ...over,
});

const byHost = grouping({ mode: 'rules', by: ['labels.host'], strict: false, window: { kind: 'off' } });

describe('groupKey', () => {
  it('is null for mode none and the shared constant for similarity', () => {
    expect(groupKey(grouping({ mode: 'none' }), alert({}))).toBeNull();
    expect(groupKey(grouping({ mode: 'similarity', labels: [], window: { kind: 'off' } }), alert({}))).toBe(SIMILARITY_GROUP_KEY);
  });

  it('is equal exactly when the dimension values are equal', () => {
    const cfg = grouping({ mode: 'rules', by: ['title', 'severity', 'integration', 'labels.host'], strict: false, window: { kind: 'off' } });
    const k = groupKey(cfg, alert({ host: 'a', other: '1' }));
    expect(k).toMatch(/^rules:[0-9a-f]{32}$/);
    expect(groupKey(cfg, alert({ host: 'a', other: '2' }))).toBe(k);
    expect(groupKey(cfg, alert({ host: 'b' }))).not.toBe(k);
    expect(groupKey(cfg, alert({ host: 'a' }, { severity: 'Warning' }))).not.toBe(k);
    expect(groupKey(cfg, alert({ host: 'a' }, { integration: 'int-2' }))).not.toBe(k);
    expect(groupKey(cfg, alert({ host: 'a' }, { title: 'Disk full!' }))).not.toBe(k);
  });

  it('in strict mode never groups a missing or empty value; otherwise missing equals empty', () => {
    const strict = grouping({ mode: 'rules', by: ['labels.host'], strict: true, window: { kind: 'off' } });
    expect(groupKey(strict, alert({}))).toBeNull();
    expect(groupKey(strict, alert({ host: '' }))).toBeNull();
    expect(groupKey(strict, alert({ host: 'a' }))).toBe(groupKey(byHost, alert({ host: 'a' })));
    expect(groupKey(byHost, alert({}))).toBe(groupKey(byHost, alert({ host: '' })));
  });

  it('uses the first matching case, falling back to the default dimensions', () => {
    const cfg = grouping({
      mode: 'rules',
      by: ['labels.host'],
      cases: [
        { if: [[{ key: 'labels.team', op: 'in', values: ['db'] }]], by: ['labels.cluster'] },
        { if: [[{ key: 'labels.team', op: 'in', values: ['db', 'web'] }]], by: ['title'] },
      ],
      strict: false,
      window: { kind: 'off' },
    });
    const db1 = groupKey(cfg, alert({ team: 'db', cluster: 'c1', host: 'h1' }));
    expect(groupKey(cfg, alert({ team: 'db', cluster: 'c1', host: 'h2' }))).toBe(db1);
    expect(groupKey(cfg, alert({ team: 'db', cluster: 'c2', host: 'h1' }))).not.toBe(db1);
    expect(groupKey(cfg, alert({ team: 'web', host: 'h1' }))).toBe(groupKey(cfg, alert({ team: 'web', host: 'h2' })));
    expect(groupKey(cfg, alert({ host: 'h1' }))).toBe(groupKey(byHost, alert({ host: 'h1' })));
    // Same values under different dimensions are different groups.
    expect(groupKey(cfg, alert({ team: 'db', cluster: 'h1' }))).not.toBe(groupKey(byHost, alert({ host: 'h1' })));
  });

  it('is a function of the dimension values only (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.dictionary(fc.string(), fc.string()), (host, other, extra) => {
        const a = groupKey(byHost, alert({ ...extra, host }));
        const b = groupKey(byHost, alert({ host, x: other }, { title: other, severity: 'Info' }));
        expect(a).toBe(b);
      }),
      { numRuns: 200 },
    );
  });
});

describe('chooseIncident: rules', () => {
  const key = groupKey(byHost, alert({ host: 'a' }));

  it('merges into the newest open incident with the same key', () => {
    const cands = [
      candidate({ id: 'i1', groupKey: key, lastMergeAt: T0 }),
      candidate({ id: 'i2', groupKey: key, lastMergeAt: T0 + MIN }),
      candidate({ id: 'i3', groupKey: 'rules:other', lastMergeAt: T0 + 2 * MIN }),
    ];
    expect(chooseIncident(byHost, alert({ host: 'a' }), cands, T0 + 3 * MIN)).toEqual({ kind: 'merge', incidentId: 'i2' });
    expect(chooseIncident(byHost, alert({ host: 'b' }), cands, T0)).toEqual({ kind: 'new', reason: 'no-candidate' });
  });

  it('opens a new incident in mode none and for ungroupable alerts', () => {
    expect(chooseIncident(grouping({ mode: 'none' }), alert({}), [candidate({ id: 'i1' })], T0)).toEqual({ kind: 'new', reason: 'not-grouped' });
    const strict = grouping({ mode: 'rules', by: ['labels.host'], strict: true, window: { kind: 'off' } });
    expect(chooseIncident(strict, alert({}), [candidate({ id: 'i1', groupKey: null })], T0)).toEqual({ kind: 'new', reason: 'not-grouped' });
  });

  it('counts a fixed window from the incident start and a sliding one from the last merge', () => {
    const fixed = grouping({ mode: 'rules', by: ['labels.host'], strict: false, window: { kind: 'fixed', minutes: 10 } });
    const sliding = grouping({ mode: 'rules', by: ['labels.host'], strict: false, window: { kind: 'sliding', minutes: 10 } });
    const c = candidate({ id: 'i1', groupKey: key, startedAt: T0, lastMergeAt: T0 + 8 * MIN });
    expect(chooseIncident(fixed, alert({ host: 'a' }), [c], T0 + 10 * MIN - 1)).toEqual({ kind: 'merge', incidentId: 'i1' });
    expect(chooseIncident(fixed, alert({ host: 'a' }), [c], T0 + 10 * MIN)).toEqual({ kind: 'new', reason: 'window-closed' });
    expect(chooseIncident(sliding, alert({ host: 'a' }), [c], T0 + 17 * MIN)).toEqual({ kind: 'merge', incidentId: 'i1' });
    expect(chooseIncident(sliding, alert({ host: 'a' }), [c], T0 + 18 * MIN)).toEqual({ kind: 'new', reason: 'window-closed' });
    expect(chooseIncident(byHost, alert({ host: 'a' }), [c], T0 + 365 * 24 * 60 * MIN)).toEqual({ kind: 'merge', incidentId: 'i1' });
  });

  it('never puts more than 5000 alerts in one incident', () => {
    const full = candidate({ id: 'full', groupKey: key, alertCount: 5000, lastMergeAt: T0 + MIN });
    expect(chooseIncident(byHost, alert({ host: 'a' }), [full], T0 + 2 * MIN)).toEqual({ kind: 'new', reason: 'full' });
    const older = candidate({ id: 'older', groupKey: key, alertCount: 4999 });
    expect(chooseIncident(byHost, alert({ host: 'a' }), [full, older], T0 + 2 * MIN)).toEqual({ kind: 'merge', incidentId: 'older' });
  });
});

describe('chooseIncident: similarity', () => {
  const sim = grouping({ mode: 'similarity', labels: ['service'], window: { kind: 'off' } });
  const low = grouping({ mode: 'similarity', threshold: 0.5, labels: ['service'], window: { kind: 'off' } });
  const c = (id: string, title: string, service: string, over: Partial<IncidentCandidate> = {}): IncidentCandidate =>
    candidate({ id, groupKey: SIMILARITY_GROUP_KEY, title, labels: { service }, ...over });

  it('merges into the most similar incident at or above the threshold and explains why', () => {
    const cands = [c('i1', 'Disk full on /var', 'api'), c('i2', 'CPU high on web', 'api'), c('i3', 'Disk full on /var', 'db', { groupKey: 'rules:x' })];
    expect(chooseIncident(sim, alert({ service: 'api' }, { title: 'disk FULL on /var' }), cands, T0)).toEqual({
      kind: 'merge',
      incidentId: 'i1',
      similarity: { incidentId: 'i1', score: 1, sharedTokens: ['api', 'disk', 'full', 'on', 'var'] },
    });
    expect(chooseIncident(low, alert({ service: 'api' }, { title: 'Disk full on /tmp' }), cands, T0)).toEqual({
      kind: 'merge',
      incidentId: 'i1',
      similarity: { incidentId: 'i1', score: 4 / 6, sharedTokens: ['api', 'disk', 'full', 'on'] },
    });
  });

  it('opens a new incident below the threshold, reporting the best score', () => {
    const cands = [c('i1', 'Disk full on /var', 'api')];
    expect(chooseIncident(sim, alert({ service: 'api' }, { title: 'Disk full on /tmp' }), cands, T0)).toEqual({
      kind: 'new',
      reason: 'not-similar',
      best: { incidentId: 'i1', score: 4 / 6, sharedTokens: ['api', 'disk', 'full', 'on'] },
    });
  });

  it('breaks ties towards the most recent incident and respects the window', () => {
    const cands = [c('old', 'Disk full', 'api', { lastMergeAt: T0 }), c('new', 'Disk full', 'api', { lastMergeAt: T0 + MIN })];
    expect(chooseIncident(sim, alert({ service: 'api' }), cands, T0 + 2 * MIN)).toMatchObject({ kind: 'merge', incidentId: 'new' });
    const windowed = grouping({ mode: 'similarity', labels: ['service'], window: { kind: 'sliding', minutes: 1 } });
    expect(chooseIncident(windowed, alert({ service: 'api' }), cands, T0 + 2 * MIN)).toEqual({ kind: 'new', reason: 'window-closed' });
  });

  it('scores with a symmetric Jaccard in [0, 1] that is 1 for identical text (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'D', '1'), maxLength: 12 });
    fc.assert(
      fc.property(text, text, (x, y) => {
        const a = tokens(x, '', [], {});
        const b = tokens(y, '', [], {});
        const ab = similarity(a, b);
        expect(ab.score).toBe(similarity(b, a).score);
        expect(ab.score).toBeGreaterThanOrEqual(0);
        expect(ab.score).toBeLessThanOrEqual(1);
        expect(similarity(a, a).score).toBe(a.size === 0 ? 0 : 1);
      }),
      { numRuns: 200 },
    );
  });

  it('tokenizes letters and digits of any script, lower-cased', () => {
    expect([...tokens('CPU 95% on web-01', 'Zeitüberschreitung 数据库', ['svc', 'missing'], { svc: 'API_gw' })]).toEqual([
      'cpu',
      '95',
      'on',
      'web',
      '01',
      'zeitüberschreitung',
      '数据库',
      'api',
      'gw',
    ]);
  });
});

describe('compileGrouping validation', () => {
  it('reports every broken field', () => {
    const bad = {
      mode: 'rules',
      by: ['labels.a', 'labels.b', 'title', 'severity', 'integration', 'labels.c'],
      cases: [{ if: [[{ key: 'nope', op: 'in', values: ['x'] }]], by: ['description'] }],
      strict: 'yes',
      window: { kind: 'fixed', minutes: 1441 },
    } as unknown as GroupingConfig;
    expect(compileGrouping(bad, 'channel.grouping')).toEqual({
      ok: false,
      errors: [
        { field: 'channel.grouping.window.minutes', message: 'must be an integer from 1 to 1440' },
        { field: 'channel.grouping.by', message: 'must list 1–5 distinct dimensions' },
        { field: 'channel.grouping.cases[0].if[0][0].key', message: 'must be severity, title, description, integration or labels.<name>' },
        { field: 'channel.grouping.cases[0].by[0]', message: 'must be title, severity, integration or labels.<name>' },
        { field: 'channel.grouping.strict', message: 'must be true or false' },
      ],
    });
    expect(compileGrouping({ mode: 'similarity', threshold: 0.4, labels: ['a'], window: { kind: 'later' } } as unknown as GroupingConfig)).toEqual({
      ok: false,
      errors: [
        { field: 'grouping.window.kind', message: 'must be off, fixed or sliding' },
        { field: 'grouping.threshold', message: 'must be a number from 0.5 to 1' },
      ],
    });
    expect(compileGrouping({ mode: 'magic' } as unknown as GroupingConfig)).toEqual({
      ok: false,
      errors: [{ field: 'grouping.mode', message: 'must be none, rules or similarity' }],
    });
  });

  it('defaults the similarity threshold to 0.9', () => {
    expect(grouping({ mode: 'similarity', labels: [], window: { kind: 'off' } })).toEqual({
      mode: 'similarity',
      threshold: 0.9,
      labels: [],
      window: { kind: 'off' },
    });
  });
});

describe('storm, severity, auto-close', () => {
  it('reports each threshold crossed between two counts, once', () => {
    expect(stormCrossed([100, 10, 50], 9, 10)).toEqual([10]);
    expect(stormCrossed([100, 10, 50], 10, 11)).toEqual([]);
    expect(stormCrossed([100, 10, 50], 5, 200)).toEqual([10, 50, 100]);
    expect(stormCrossed([], 0, 5000)).toEqual([]);
    expect(validateStormThresholds([10, 50])).toEqual([]);
    expect(validateStormThresholds([1, 2, 3, 4, 5, 6])).toEqual([
      { field: 'storm_thresholds', message: 'must list at most 5 distinct alert counts from 2 to 5000' },
    ]);
    expect(validateStormThresholds([10, 10]).length).toBe(1);
  });

  it('takes the highest severity of the alerts', () => {
    expect(incidentSeverity(['Info', 'Critical', 'Warning'])).toBe('Critical');
    expect(incidentSeverity(['Info', 'Warning'])).toBe('Warning');
    expect(incidentSeverity(['Info'])).toBe('Info');
    expect(incidentSeverity([])).toBeUndefined();
  });

  it('closes when every alert recovered if the option is on, and after an idle period', () => {
    expect(shouldAutoClose(true, { whenAllRecovered: true })).toBe(true);
    expect(shouldAutoClose(true, { whenAllRecovered: false })).toBe(false);
    expect(shouldAutoClose(false, { whenAllRecovered: true })).toBe(false);
    expect(idleCloseAt(T0, { whenAllRecovered: true, afterIdleSeconds: 600 })).toBe(T0 + 600_000);
    expect(idleCloseAt(T0, { whenAllRecovered: true })).toBeUndefined();
    expect(validateAutoClose({ whenAllRecovered: true, afterIdleSeconds: 30 * 86400 + 1 })).toEqual([
      { field: 'auto_close.after_idle_seconds', message: 'must be an integer from 1 to 2592000 (30 days)' },
    ]);
  });
});
