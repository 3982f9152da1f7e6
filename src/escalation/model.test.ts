import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { FilterSubject } from '../core/filter.js';
import {
  applyDynamicAssignment,
  chooseRule,
  compileRule,
  defaultRuleSpec,
  methodsFor,
  normalizeRuleSpec,
  ruleMatches,
  summarize,
  type CompiledRule,
  type EscalationRuleSpec,
} from './model.js';

const ZONE = 'Europe/Berlin';
const at = (iso: string): number => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

const level = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  targets: { people: ['p-alice'] },
  methods: { kind: 'preferences' },
  escalate_after_min: 30,
  ...over,
});

function fieldsOf(input: unknown): string[] {
  const result = normalizeRuleSpec(input);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors.map((e) => e.field);
}

function valueOf(input: unknown): EscalationRuleSpec {
  const result = normalizeRuleSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function compiled(id: string, input: unknown): CompiledRule {
  const result = compileRule(id, input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

const subject = (over: Partial<FilterSubject> = {}): FilterSubject => ({
  severity: 'Critical',
  title: 'DB down',
  description: '',
  integration: 'int-1',
  labels: { service: 'db' },
  ...over,
});

describe('normalizeRuleSpec', () => {
  it('writes out every default of a minimal spec', () => {
    expect(valueOf({ levels: [level()] })).toEqual({
      delay_seconds: 0,
      mode: 'unacknowledged',
      levels: [{ targets: { people: ['p-alice'] }, methods: { kind: 'preferences' }, repeat_every_min: null, repeat_times: 0, escalate_after_min: 30 }],
      after_last: { kind: 'stop' },
    });
  });

  it('keeps a full spec, trimming ids, ordering severities and dropping empty lists', () => {
    const value = valueOf({
      conditions: {
        filter: [[{ key: 'severity', op: 'in', values: ['Critical'] }]],
        time: { time_zone: ZONE, windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }], outside: true },
      },
      delay_seconds: 120,
      mode: 'unresolved',
      levels: [
        {
          targets: {
            people: [' p-alice '],
            teams: [],
            schedules: [
              { id: 's-backend', roles: ['primary', 'primary'] },
              { id: 's-db', roles: [] },
            ],
            group_chats: ['bot-ops'],
          },
          methods: { kind: 'explicit', by_severity: { Info: ['email'], Critical: ['voice', 'sms'], Warning: [] } },
          repeat_every_min: 2.25,
          repeat_times: 6,
          escalate_after_min: 720,
        },
      ],
      after_last: { kind: 'loop', times: 10 },
    });
    expect(value).toEqual({
      conditions: {
        filter: [[{ key: 'severity', op: 'in', values: ['Critical'] }]],
        time: { time_zone: ZONE, windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }], outside: true },
      },
      delay_seconds: 120,
      mode: 'unresolved',
      levels: [
        {
          targets: { people: ['p-alice'], schedules: [{ id: 's-backend', roles: ['primary'] }, { id: 's-db' }], group_chats: ['bot-ops'] },
          methods: { kind: 'explicit', by_severity: { Critical: ['voice', 'sms'], Info: ['email'] } },
          repeat_every_min: 2.25,
          repeat_times: 6,
          escalate_after_min: 720,
        },
      ],
      after_last: { kind: 'loop', times: 10 },
    });
    const methods = value.levels[0]?.methods;
    expect(methods?.kind === 'explicit' ? Object.keys(methods.by_severity) : []).toEqual(['Critical', 'Info']);
  });

  it('is idempotent', () => {
    const once = valueOf({
      delay_seconds: 5,
      levels: [level({ repeat_every_min: 5, repeat_times: 2 }), level({ targets: { teams: ['t-1'] } })],
      after_last: { kind: 'loop', times: 2 },
    });
    expect(valueOf(once)).toEqual(once);
  });

  it('accepts the bounds of every range', () => {
    expect(valueOf({ delay_seconds: 3600, levels: [level({ repeat_every_min: 0.5, repeat_times: 6, escalate_after_min: 1 })] }).delay_seconds).toBe(3600);
    expect(valueOf({ levels: Array.from({ length: 10 }, () => level({ repeat_every_min: 120, escalate_after_min: 720 })) }).levels).toHaveLength(10);
    expect(valueOf({ levels: [level()], after_last: { kind: 'loop', times: 1 } }).after_last).toEqual({ kind: 'loop', times: 1 });
  });

  it.each([
    ['not an object', [], ['rule']],
    ['no levels', { levels: [] }, ['levels']],
    ['levels missing', {}, ['levels']],
    ['11 levels', { levels: Array.from({ length: 11 }, () => level()) }, ['levels']],
    ['delay above 3600', { delay_seconds: 3601, levels: [level()] }, ['delay_seconds']],
    ['negative delay', { delay_seconds: -1, levels: [level()] }, ['delay_seconds']],
    ['fractional delay', { delay_seconds: 1.5, levels: [level()] }, ['delay_seconds']],
    ['unknown mode', { mode: 'forever', levels: [level()] }, ['mode']],
    ['loop 0 times', { levels: [level()], after_last: { kind: 'loop', times: 0 } }, ['after_last.times']],
    ['loop 11 times', { levels: [level()], after_last: { kind: 'loop', times: 11 } }, ['after_last.times']],
    ['unknown after_last', { levels: [level()], after_last: { kind: 'again' } }, ['after_last.kind']],
    ['escalate 0', { levels: [level({ escalate_after_min: 0 })] }, ['levels[0].escalate_after_min']],
    ['escalate 721', { levels: [level({ escalate_after_min: 721 })] }, ['levels[0].escalate_after_min']],
    ['escalate 1.5', { levels: [level({ escalate_after_min: 1.5 })] }, ['levels[0].escalate_after_min']],
    ['escalate missing', { levels: [{ targets: { people: ['a'] }, methods: { kind: 'preferences' } }] }, ['levels[0].escalate_after_min']],
    ['repeat every 0.4', { levels: [level({ repeat_every_min: 0.4, repeat_times: 1 })] }, ['levels[0].repeat_every_min']],
    ['repeat every 120.5', { levels: [level({ repeat_every_min: 120.5, repeat_times: 1 })] }, ['levels[0].repeat_every_min']],
    ['repeat every 0.51 (not whole seconds)', { levels: [level({ repeat_every_min: 0.51, repeat_times: 1 })] }, ['levels[0].repeat_every_min']],
    ['repeat times 7', { levels: [level({ repeat_every_min: 5, repeat_times: 7 })] }, ['levels[0].repeat_times']],
    ['repeat times without interval', { levels: [level({ repeat_times: 2 })] }, ['levels[0].repeat_every_min']],
    ['no targets', { levels: [level({ targets: {} })] }, ['levels[0].targets']],
    ['only empty target lists', { levels: [level({ targets: { people: [], group_chats: [] } })] }, ['levels[0].targets']],
    ['targets not an object', { levels: [level({ targets: ['a'] })] }, ['levels[0].targets']],
    ['unknown target kind', { levels: [level({ targets: { persons: ['a'] } })] }, ['levels[0].targets.persons']],
    ['duplicate person', { levels: [level({ targets: { people: ['a', 'a'] } })] }, ['levels[0].targets.people[1]']],
    ['empty team id', { levels: [level({ targets: { teams: [' '] } })] }, ['levels[0].targets.teams[0]']],
    ['schedule without id', { levels: [level({ targets: { schedules: [{ roles: ['primary'] }] } })] }, ['levels[0].targets.schedules[0].id']],
    ['bad schedule role', { levels: [level({ targets: { schedules: [{ id: 's', roles: ['Primary'] }] } })] }, ['levels[0].targets.schedules[0].roles[0]']],
    ['no method kind', { levels: [level({ methods: {} })] }, ['levels[0].methods.kind']],
    ['explicit without methods', { levels: [level({ methods: { kind: 'explicit', by_severity: { Critical: [] } } })] }, ['levels[0].methods.by_severity']],
    ['explicit without by_severity', { levels: [level({ methods: { kind: 'explicit' } })] }, ['levels[0].methods.by_severity']],
    [
      'unknown method',
      { levels: [level({ methods: { kind: 'explicit', by_severity: { Critical: ['pigeon'] } } })] },
      ['levels[0].methods.by_severity.Critical[0]'],
    ],
    ['unknown severity', { levels: [level({ methods: { kind: 'explicit', by_severity: { Fatal: ['sms'] } } })] }, ['levels[0].methods.by_severity.Fatal']],
    [
      'duplicate method',
      { levels: [level({ methods: { kind: 'explicit', by_severity: { Warning: ['sms', 'sms'] } } })] },
      ['levels[0].methods.by_severity.Warning[1]'],
    ],
    ['bad filter', { conditions: { filter: [[{ key: 'host', op: 'in', values: ['a'] }]] }, levels: [level()] }, ['conditions.filter[0][0].key']],
    [
      'bad time zone',
      { conditions: { time: { time_zone: 'Mars/Base', windows: [{ days: [1], start: '09:00', end: '17:00' }] } }, levels: [level()] },
      ['conditions.time.time_zone'],
    ],
    ['no windows', { conditions: { time: { time_zone: ZONE, windows: [] } }, levels: [level()] }, ['conditions.time.windows']],
    [
      'bad window',
      { conditions: { time: { time_zone: ZONE, windows: [{ days: [8], start: '25:00', end: '09:00' }] } }, levels: [level()] },
      ['conditions.time.windows[0].days', 'conditions.time.windows[0].start'],
    ],
    [
      'window not an object',
      { conditions: { time: { time_zone: ZONE, windows: [null] } }, levels: [level()] },
      ['conditions.time.windows[0].days', 'conditions.time.windows[0].start', 'conditions.time.windows[0].end'],
    ],
    [
      'outside not boolean',
      { conditions: { time: { time_zone: ZONE, windows: [{ days: [1], start: '09:00', end: '17:00' }], outside: 'yes' } }, levels: [level()] },
      ['conditions.time.outside'],
    ],
  ])('rejects %s', (_name, input, fields) => {
    expect(fieldsOf(input)).toEqual(fields);
  });

  it('reports every broken rule at once with dotted paths and actionable messages', () => {
    const result = normalizeRuleSpec({
      delay_seconds: 4000,
      mode: 'x',
      levels: [level(), level({ targets: {}, escalate_after_min: 0, repeat_times: 9 })],
      after_last: { kind: 'loop', times: 0 },
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'delay_seconds', message: 'must be an integer from 0 to 3600' },
        { field: 'mode', message: 'must be unacknowledged or unresolved' },
        { field: 'levels[1].targets', message: 'must name at least one person, team, schedule or group chat' },
        { field: 'levels[1].repeat_times', message: 'must be an integer from 0 to 6' },
        { field: 'levels[1].escalate_after_min', message: 'must be an integer from 1 to 720 (minutes)' },
        { field: 'after_last.times', message: 'must be an integer from 1 to 10' },
      ],
    });
  });
});

describe('defaultRuleSpec', () => {
  it('is one level, 30 min, no repeats, preferences, and needs a target before it is valid', () => {
    expect(defaultRuleSpec()).toEqual({
      delay_seconds: 0,
      mode: 'unacknowledged',
      levels: [{ targets: {}, methods: { kind: 'preferences' }, repeat_every_min: null, repeat_times: 0, escalate_after_min: 30 }],
      after_last: { kind: 'stop' },
    });
    expect(fieldsOf(defaultRuleSpec())).toEqual(['levels[0].targets']);
    const spec = defaultRuleSpec();
    const mine = { ...spec, levels: spec.levels.map((l) => ({ ...l, targets: { people: ['p-me'] } })) };
    expect(valueOf(mine)).toEqual(mine);
  });

  it('returns a fresh object each time', () => {
    expect(defaultRuleSpec()).not.toBe(defaultRuleSpec());
  });
});

describe('methodsFor', () => {
  const explicit = { kind: 'explicit', by_severity: { Critical: ['voice', 'sms'] } } as const;
  it('uses the explicit list, and preferences for a severity without one', () => {
    expect(methodsFor(explicit, 'Critical')).toEqual({ kind: 'explicit', methods: ['voice', 'sms'] });
    expect(methodsFor(explicit, 'Info')).toEqual({ kind: 'preferences' });
    expect(methodsFor({ kind: 'preferences' }, 'Critical')).toEqual({ kind: 'preferences' });
  });
});

describe('ruleMatches and chooseRule', () => {
  const office = { time_zone: ZONE, windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }] };
  const mondayMorning = at('2030-01-07T10:00');
  const mondayEvening = at('2030-01-07T19:00');
  const saturday = at('2030-01-05T10:00');

  it('matches by filter', () => {
    const rule = compiled('r', { conditions: { filter: [[{ key: 'labels.service', op: 'in', values: ['db*'] }]] }, levels: [level()] });
    expect(ruleMatches(rule, subject(), mondayMorning)).toBe(true);
    expect(ruleMatches(rule, subject({ labels: { service: 'web' } }), mondayMorning)).toBe(false);
    expect(ruleMatches(rule, subject({ labels: {} }), mondayMorning)).toBe(false);
  });

  it('matches inside weekly windows in the zone, and outside them when inverted', () => {
    const inside = compiled('in', { conditions: { time: office }, levels: [level()] });
    const outside = compiled('out', { conditions: { time: { ...office, outside: true } }, levels: [level()] });
    expect([mondayMorning, mondayEvening, saturday].map((t) => ruleMatches(inside, subject(), t))).toEqual([true, false, false]);
    expect([mondayMorning, mondayEvening, saturday].map((t) => ruleMatches(outside, subject(), t))).toEqual([false, true, true]);
    // 08:30 UTC is 09:30 in Berlin (winter): the zone is honoured, not UTC.
    expect(ruleMatches(inside, subject(), Date.UTC(2030, 0, 7, 8, 30))).toBe(true);
    expect(ruleMatches(inside, subject(), Date.UTC(2030, 0, 7, 7, 30))).toBe(false);
  });

  it('needs both filter and time to match', () => {
    const rule = compiled('r', { conditions: { filter: [[{ key: 'severity', op: 'in', values: ['Critical'] }]], time: office }, levels: [level()] });
    expect(ruleMatches(rule, subject(), mondayMorning)).toBe(true);
    expect(ruleMatches(rule, subject({ severity: 'Info' }), mondayMorning)).toBe(false);
    expect(ruleMatches(rule, subject(), saturday)).toBe(false);
  });

  it('picks the first matching rule in order, or none', () => {
    const critical = compiled('critical', { conditions: { filter: [[{ key: 'severity', op: 'in', values: ['Critical'] }]] }, levels: [level()] });
    const offHours = compiled('off-hours', { conditions: { time: { ...office, outside: true } }, levels: [level()] });
    const catchAll = compiled('all', { levels: [level()] });
    expect(chooseRule([critical, offHours, catchAll], subject(), saturday)?.id).toBe('critical');
    expect(chooseRule([critical, offHours, catchAll], subject({ severity: 'Info' }), saturday)?.id).toBe('off-hours');
    expect(chooseRule([critical, offHours, catchAll], subject({ severity: 'Info' }), mondayMorning)?.id).toBe('all');
    expect(chooseRule([offHours, critical], subject({ severity: 'Info' }), mondayMorning)).toBeUndefined();
    expect(chooseRule([], subject(), mondayMorning)).toBeUndefined();
  });

  it('compiles only valid specs and keeps the normalized spec', () => {
    expect(compileRule('r', { levels: [] })).toEqual({ ok: false, errors: [{ field: 'levels', message: 'must be a list of 1–10 levels' }] });
    expect(compiled('r', { levels: [level()] }).spec.mode).toBe('unacknowledged');
  });
});

describe('applyDynamicAssignment', () => {
  const spec = valueOf({
    levels: [level(), level({ targets: { schedules: [{ id: 's-1' }], group_chats: ['bot'] } }), level({ targets: { teams: ['t-ops'] } })],
  });

  it('replaces the targets of the named levels only, combining emails and teams', () => {
    const out = applyDynamicAssignment(spec, {
      tocsin_level_1_emails: ' Alice@Example.com, bob@example.com,,alice@example.com ',
      tocsin_level_2_teams: 'Backend, t-42',
      tocsin_level_2_emails: 'carol@example.com',
      host: 'db-1',
    });
    expect(out.levels.map((l) => l.targets)).toEqual([
      { people_emails: ['alice@example.com', 'bob@example.com'], team_refs: [] },
      { people_emails: ['carol@example.com'], team_refs: ['Backend', 't-42'] },
      { teams: ['t-ops'] },
    ]);
    expect(out.levels[0]?.methods).toEqual(spec.levels[0]?.methods);
    expect(out.levels[0]?.escalate_after_min).toBe(30);
  });

  it('ignores labels naming no level, malformed names and empty values, and never mutates the rule', () => {
    const before = JSON.stringify(spec);
    const out = applyDynamicAssignment(spec, {
      tocsin_level_4_emails: 'x@example.com',
      tocsin_level_0_emails: 'x@example.com',
      tocsin_level_01_emails: 'x@example.com',
      TOCSIN_LEVEL_1_EMAILS: 'x@example.com',
      tocsin_level_1_people: 'x@example.com',
      tocsin_level_2_teams: ' , ',
    });
    expect(out).toEqual(spec);
    expect(JSON.stringify(spec)).toBe(before);
  });

  it('caps a label at 50 entries', () => {
    const many = Array.from({ length: 60 }, (_, i) => `p${i}@example.com`).join(',');
    const targets = applyDynamicAssignment(spec, { tocsin_level_1_emails: many }).levels[0]?.targets;
    expect(targets && 'people_emails' in targets ? targets.people_emails.length : -1).toBe(50);
  });
});

describe('summarize', () => {
  const names = (id: string): string | undefined =>
    ({ 'p-alice': 'Alice', 'p-bob': 'Bob', 'p-carol': 'Carol', 's-backend': 'Backend', 't-db': 'DB', 'bot-ops': '#ops' })[id];

  it('reads like the console example, one line per severity when methods are explicit', () => {
    const spec = valueOf({
      levels: [
        level({ methods: { kind: 'explicit', by_severity: { Critical: ['voice'], Warning: ['sms'] } } }),
        level({ targets: { schedules: [{ id: 's-backend' }] }, methods: { kind: 'explicit', by_severity: { Critical: ['sms'] } } }),
      ],
    });
    expect(summarize(spec, names).split('\n')).toEqual([
      'Critical alerts: call Alice now; if nobody acknowledges in 30 min, SMS the Backend on-call',
      'Warning alerts: SMS Alice now; if nobody acknowledges in 30 min, notify the Backend on-call by their preferences',
      'Info alerts: notify Alice by their preferences now; if nobody acknowledges in 30 min, notify the Backend on-call by their preferences',
    ]);
  });

  it('describes delay, repeats, several targets, group chats, roles, unresolved mode and loops', () => {
    const spec = valueOf({
      delay_seconds: 90,
      mode: 'unresolved',
      levels: [
        level({ targets: { people: ['p-alice', 'p-bob'], group_chats: ['bot-ops'] }, repeat_every_min: 0.5, repeat_times: 1, escalate_after_min: 10 }),
        level({
          targets: { people: ['p-carol'], teams: ['t-db'], schedules: [{ id: 's-backend', roles: ['primary', 'backup'] }] },
          repeat_every_min: 5,
          repeat_times: 2,
          escalate_after_min: 120,
        }),
        level({ targets: { group_chats: ['bot-unknown'] }, escalate_after_min: 90 }),
      ],
      after_last: { kind: 'loop', times: 2 },
    });
    expect(summarize(spec, names)).toBe(
      'All alerts: notify Alice and Bob by their preferences and post to #ops after 1 min 30 s, repeating every 30 s up to once; ' +
        'if it is not resolved in 10 min, notify Carol, the DB team and the Backend on-call (primary, backup) by their preferences, repeating every 5 min up to 2 times; ' +
        'if it is not resolved in 2 h, post to bot-unknown; ' +
        'if it is not resolved in 90 min, start again from the first level (up to 2 times)',
    );
  });

  it('names non-verb methods as nouns and shows dynamic targets by email and team ref', () => {
    const spec = applyDynamicAssignment(
      valueOf({
        levels: [
          level({ methods: { kind: 'explicit', by_severity: { Critical: ['push', 'slack_dm'], Warning: ['voice', 'sms', 'email'], Info: ['telegram_dm'] } } }),
        ],
        after_last: { kind: 'loop', times: 1 },
      }),
      { tocsin_level_1_emails: 'ann@example.com', tocsin_level_1_teams: 'Payments' },
    );
    expect(summarize(spec, names).split('\n')).toEqual([
      'Critical alerts: notify ann@example.com and the Payments team by push and Slack DM now; if nobody acknowledges in 30 min, start again from the first level (once)',
      'Warning alerts: call, SMS and email ann@example.com and the Payments team now; if nobody acknowledges in 30 min, start again from the first level (once)',
      'Info alerts: notify ann@example.com and the Payments team by Telegram DM now; if nobody acknowledges in 30 min, start again from the first level (once)',
    ]);
  });

  it('is deterministic and falls back to ids for unknown names', () => {
    const spec = valueOf({ levels: [level({ targets: { people: ['p-zed'] }, escalate_after_min: 60 }), level()] });
    expect(summarize(spec, () => undefined)).toBe(
      'All alerts: notify p-zed by their preferences now; if nobody acknowledges in 1 h, notify p-alice by their preferences',
    );
    expect(summarize(spec, names)).toBe(summarize(spec, names));
  });
});
