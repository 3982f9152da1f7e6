import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AfterLast, EscalationMode, LevelTiming, RuleSpecOf } from './model.js';
import { firstStep, planStep, repeatIntervalMs, type IncidentState, type Next, type Plan, type Step } from './planner.js';

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 7, 9, 0);

type Spec = RuleSpecOf<LevelTiming>;

const lvl = (escalate: number, every: number | null = null, times = 0): LevelTiming => ({
  escalate_after_min: escalate,
  repeat_every_min: every,
  repeat_times: times,
});

function spec(levels: LevelTiming[], over: { delay_seconds?: number; mode?: EscalationMode; after_last?: AfterLast } = {}): Spec {
  return { levels, ...over };
}

/** What happens to the incident, in minutes after T0. */
interface Story {
  readonly ackAt?: number;
  readonly closeAt?: number;
  readonly snooze?: { readonly at: number; readonly until: number };
}

function stateAt(story: Story, t: number): IncidentState {
  const closed = story.closeAt !== undefined && t >= T0 + story.closeAt * MIN;
  const acked = story.ackAt !== undefined && t >= T0 + story.ackAt * MIN;
  const snoozed = story.snooze !== undefined && t >= T0 + story.snooze.at * MIN ? T0 + story.snooze.until * MIN : null;
  return { status: closed ? 'closed' : acked ? 'processing' : 'triggered', snoozedUntil: snoozed, createdAt: T0 };
}

/**
 * A minimal service: runs each job on time, follows `next`, re-runs a waiting step at `until`, and
 * restarts at level 0 when a snooze ends (as the service does on wake). Returns "L<level>r<round>#<repeat>@<minute>"
 * for every notification, "skip@<minute>" for skipped repeats, then how it ended.
 */
function simulate(s: Spec, story: Story = {}): string[] {
  const log: string[] = [];
  let job: Next | null = firstStep(s, T0);
  for (let i = 0; job && i < 500; i += 1) {
    const { step, at }: Next = job;
    const state = stateAt(story, at);
    const plan: Plan = planStep(s, state, step, at);
    const minute = (at - T0) / MIN;
    if (plan.kind === 'notify') {
      log.push(`L${step.level}r${step.round}#${step.repeat}@${minute}`);
      job = plan.next;
    } else if (plan.kind === 'skip') {
      log.push(`skip@${minute}`);
      job = plan.next;
    } else if (plan.kind === 'wait') {
      const woke = state.snoozedUntil !== null && plan.until === state.snoozedUntil;
      job = { step: woke ? { level: 0, round: 0, repeat: 0 } : step, at: plan.until };
    } else {
      log.push(`stop:${plan.reason}@${minute}`);
      return log;
    }
  }
  log.push('done');
  return log;
}

describe('firstStep', () => {
  it('is level 0, round 0, repeat 0 at the end of the delay window', () => {
    expect(firstStep(spec([lvl(30)]), T0)).toEqual({ step: { level: 0, round: 0, repeat: 0 }, at: T0 });
    expect(firstStep(spec([lvl(30)], { delay_seconds: 90 }), T0)).toEqual({ step: { level: 0, round: 0, repeat: 0 }, at: T0 + 90_000 });
  });
});

describe('repeatIntervalMs', () => {
  it('is whole milliseconds, or null without repeats', () => {
    expect(repeatIntervalMs(lvl(30, 2.25, 1))).toBe(135_000);
    expect(repeatIntervalMs(lvl(30, 0.5, 6))).toBe(30_000);
    expect(repeatIntervalMs(lvl(30, 0.1 + 0.2, 1))).toBe(18_000);
    expect(repeatIntervalMs(lvl(30, 5, 0))).toBeNull();
    expect(repeatIntervalMs(lvl(30, null, 3))).toBeNull();
    expect(repeatIntervalMs({ escalate_after_min: 30 })).toBeNull();
  });
});

describe('escalation stories (minutes after trigger)', () => {
  const two = (first: LevelTiming = lvl(30, 10, 2), second: LevelTiming = lvl(30)): LevelTiming[] => [first, second];

  it.each<[string, Spec, Story, string[]]>([
    ['one default level, nobody acks', spec([lvl(30)]), {}, ['L0r0#0@0', 'done']],
    ['two levels without repeats', spec(two(lvl(30), lvl(15))), {}, ['L0r0#0@0', 'L1r0#0@30', 'done']],
    ['repeats every 10 ×2, then escalation at 30', spec(two()), {}, ['L0r0#0@0', 'L0r0#1@10', 'L0r0#2@20', 'L1r0#0@30', 'done']],
    [
      'a repeat due at the deadline is not sent (every 10 ×3, escalate 30)',
      spec(two(lvl(30, 10, 3))),
      {},
      ['L0r0#0@0', 'L0r0#1@10', 'L0r0#2@20', 'L1r0#0@30', 'done'],
    ],
    [
      'repeats stop at the deadline (every 7 ×6, escalate 30)',
      spec(two(lvl(30, 7, 6))),
      {},
      ['L0r0#0@0', 'L0r0#1@7', 'L0r0#2@14', 'L0r0#3@21', 'L0r0#4@28', 'L1r0#0@30', 'done'],
    ],
    ['half-minute repeats inside a 1-minute level', spec(two(lvl(1, 0.5, 6))), {}, ['L0r0#0@0', 'L0r0#1@0.5', 'L1r0#0@1', 'done']],
    ['the last level repeats too, then stops', spec([lvl(30), lvl(20, 5, 6)]), {}, ['L0r0#0@0', 'L1r0#0@30', 'L1r0#1@35', 'L1r0#2@40', 'L1r0#3@45', 'done']],
    ['delay window of 2 min', spec(two(), { delay_seconds: 120 }), {}, ['L0r0#0@2', 'L0r0#1@12', 'L0r0#2@22', 'L1r0#0@32', 'done']],
    ['closed within the delay window notifies nobody', spec(two(), { delay_seconds: 120 }), { closeAt: 1 }, ['stop:closed@2']],
    ['acknowledged within the delay window notifies nobody', spec(two(), { delay_seconds: 120 }), { ackAt: 1 }, ['stop:acknowledged@2']],
    ['closed right after the delay window', spec(two(), { delay_seconds: 120 }), { closeAt: 3 }, ['L0r0#0@2', 'stop:closed@12']],
    ['ack at minute 29: the next level is never notified', spec(two()), { ackAt: 29 }, ['L0r0#0@0', 'L0r0#1@10', 'L0r0#2@20', 'stop:acknowledged@30']],
    [
      'ack at minute 31: level 1 was notified at 30, its repeats stop',
      spec(two(lvl(30, 10, 2), lvl(30, 5, 2))),
      { ackAt: 31 },
      ['L0r0#0@0', 'L0r0#1@10', 'L0r0#2@20', 'L1r0#0@30', 'stop:acknowledged@35'],
    ],
    ['ack at minute 15 stops repeats', spec(two()), { ackAt: 15 }, ['L0r0#0@0', 'L0r0#1@10', 'stop:acknowledged@20']],
    [
      'unresolved mode: ack at 15 skips repeats but still escalates at 30',
      spec(two(lvl(30, 10, 2), lvl(30, 5, 2)), { mode: 'unresolved' }),
      { ackAt: 15 },
      ['L0r0#0@0', 'L0r0#1@10', 'skip@20', 'L1r0#0@30', 'done'],
    ],
    [
      'unresolved mode: ack at 29 still notifies level 1 at 30',
      spec(two(), { mode: 'unresolved' }),
      { ackAt: 29 },
      ['L0r0#0@0', 'L0r0#1@10', 'L0r0#2@20', 'L1r0#0@30', 'done'],
    ],
    ['unresolved mode: closing stops it', spec(two(lvl(30), lvl(30, 5, 6)), { mode: 'unresolved' }), { ackAt: 1, closeAt: 29 }, ['L0r0#0@0', 'stop:closed@30']],
    [
      'unresolved mode with a loop keeps escalating after ack',
      spec(two(lvl(30, 10, 2), lvl(30)), { mode: 'unresolved', after_last: { kind: 'loop', times: 1 } }),
      { ackAt: 5 },
      ['L0r0#0@0', 'skip@10', 'L1r0#0@30', 'L0r1#0@60', 'L1r1#0@90', 'done'],
    ],
    [
      'loop twice over two levels',
      spec(two(lvl(30), lvl(10)), { after_last: { kind: 'loop', times: 2 } }),
      {},
      ['L0r0#0@0', 'L1r0#0@30', 'L0r1#0@40', 'L1r1#0@70', 'L0r2#0@80', 'L1r2#0@110', 'done'],
    ],
    [
      'loop with repeats on a single level',
      spec([lvl(10, 4, 6)], { after_last: { kind: 'loop', times: 1 } }),
      {},
      ['L0r0#0@0', 'L0r0#1@4', 'L0r0#2@8', 'L0r1#0@10', 'L0r1#1@14', 'L0r1#2@18', 'done'],
    ],
    [
      'ack during the second round stops it',
      spec(two(lvl(30), lvl(10)), { after_last: { kind: 'loop', times: 2 } }),
      { ackAt: 50 },
      ['L0r0#0@0', 'L1r0#0@30', 'L0r1#0@40', 'stop:acknowledged@70'],
    ],
    [
      'snooze pauses, then escalation restarts at level 0',
      spec(two()),
      { snooze: { at: 5, until: 50 } },
      ['L0r0#0@0', 'L0r0#0@50', 'L0r0#1@60', 'L0r0#2@70', 'L1r0#0@80', 'done'],
    ],
    [
      'snooze during the delay window',
      spec(two(), { delay_seconds: 300 }),
      { snooze: { at: 1, until: 20 } },
      ['L0r0#0@20', 'L0r0#1@30', 'L0r0#2@40', 'L1r0#0@50', 'done'],
    ],
    ['closed while snoozed', spec(two()), { snooze: { at: 5, until: 50 }, closeAt: 40 }, ['L0r0#0@0', 'stop:closed@50']],
  ])('%s', (_name, s, story, expected) => {
    expect(simulate(s, story)).toEqual(expected);
  });
});

describe('planStep', () => {
  const triggered: IncidentState = { status: 'triggered', snoozedUntil: null, createdAt: T0 };
  const s = spec([lvl(30, 10, 2), lvl(15)], { delay_seconds: 60 });

  it('returns the level to notify and the exact next step', () => {
    expect(planStep(s, triggered, { level: 0, round: 0, repeat: 0 }, T0 + MIN)).toEqual({
      kind: 'notify',
      step: { level: 0, round: 0, repeat: 0 },
      level: s.levels[0],
      next: { step: { level: 0, round: 0, repeat: 1 }, at: T0 + 11 * MIN },
    });
    expect(planStep(s, triggered, { level: 0, round: 0, repeat: 2 }, T0 + 21 * MIN)).toMatchObject({
      kind: 'notify',
      next: { step: { level: 1, round: 0, repeat: 0 }, at: T0 + 31 * MIN },
    });
    expect(planStep(s, triggered, { level: 1, round: 0, repeat: 0 }, T0 + 31 * MIN)).toMatchObject({ kind: 'notify', level: s.levels[1], next: null });
  });

  it('waits for the end of the delay window, to the millisecond', () => {
    expect(planStep(s, triggered, { level: 0, round: 0, repeat: 0 }, T0)).toEqual({ kind: 'wait', until: T0 + MIN });
    expect(planStep(s, triggered, { level: 0, round: 0, repeat: 0 }, T0 + MIN - 1)).toEqual({ kind: 'wait', until: T0 + MIN });
    expect(planStep(s, triggered, { level: 0, round: 0, repeat: 0 }, T0 + MIN).kind).toBe('notify');
  });

  it('does not apply the delay again when the service restarts at level 0 (reopen, wake)', () => {
    const reopened = planStep(s, triggered, { level: 0, round: 0, repeat: 0 }, T0 + 3 * 60 * MIN);
    expect(reopened).toMatchObject({ kind: 'notify', next: { at: T0 + 3 * 60 * MIN + 10 * MIN } });
  });

  it('orders its checks: closed, exhausted, acknowledged, snoozed, delay', () => {
    const snoozed = { ...triggered, snoozedUntil: T0 + 90 * MIN };
    expect(planStep(s, { ...snoozed, status: 'closed' }, { level: 9, round: 0, repeat: 0 }, T0)).toEqual({ kind: 'stop', reason: 'closed' });
    expect(planStep(s, { ...snoozed, status: 'processing' }, { level: 9, round: 0, repeat: 0 }, T0)).toEqual({ kind: 'stop', reason: 'exhausted' });
    expect(planStep(s, { ...snoozed, status: 'processing' }, { level: 0, round: 0, repeat: 0 }, T0)).toEqual({ kind: 'stop', reason: 'acknowledged' });
    expect(planStep(s, snoozed, { level: 0, round: 0, repeat: 0 }, T0)).toEqual({ kind: 'wait', until: T0 + 90 * MIN });
    expect(planStep(s, snoozed, { level: 1, round: 0, repeat: 0 }, T0 + 90 * MIN).kind).toBe('notify');
    expect(planStep({ ...s, mode: 'unresolved' }, { ...snoozed, status: 'processing' }, { level: 0, round: 0, repeat: 0 }, T0)).toEqual({
      kind: 'wait',
      until: T0 + 90 * MIN,
    });
  });

  it('in unresolved mode an acknowledged level is still notified, without repeats', () => {
    const u = { ...s, mode: 'unresolved' as const };
    const acked: IncidentState = { ...triggered, status: 'processing' };
    expect(planStep(u, acked, { level: 0, round: 0, repeat: 0 }, T0 + MIN)).toMatchObject({
      kind: 'notify',
      next: { step: { level: 1, round: 0, repeat: 0 }, at: T0 + 31 * MIN },
    });
    expect(planStep(u, acked, { level: 0, round: 0, repeat: 1 }, T0 + 11 * MIN)).toEqual({
      kind: 'skip',
      reason: 'acknowledged',
      next: { step: { level: 1, round: 0, repeat: 0 }, at: T0 + 31 * MIN },
    });
    expect(planStep(u, acked, { level: 1, round: 0, repeat: 0 }, T0 + 31 * MIN)).toMatchObject({ kind: 'notify', next: null });
  });

  it.each<[string, Step]>([
    ['a level past the last', { level: 2, round: 0, repeat: 0 }],
    ['a negative level', { level: -1, round: 0, repeat: 0 }],
    ['a round the rule has not (stop after last)', { level: 0, round: 1, repeat: 0 }],
    ['a repeat beyond repeat_times', { level: 0, round: 0, repeat: 3 }],
    ['a repeat of a level without repeats', { level: 1, round: 0, repeat: 1 }],
    ['a fractional step', { level: 0, round: 0, repeat: 0.5 }],
  ])('stops as exhausted for %s', (_name, step) => {
    expect(planStep(s, triggered, step, T0 + 60 * MIN)).toEqual({ kind: 'stop', reason: 'exhausted' });
  });

  it('treats a repeat at or after the deadline as one the rule cannot produce', () => {
    const tight = spec([lvl(30, 10, 6)]);
    expect(planStep(tight, triggered, { level: 0, round: 0, repeat: 2 }, T0 + 20 * MIN).kind).toBe('notify');
    expect(planStep(tight, triggered, { level: 0, round: 0, repeat: 3 }, T0 + 30 * MIN)).toEqual({ kind: 'stop', reason: 'exhausted' });
  });

  it('accepts the last loop round and refuses the one after it', () => {
    const loop = spec([lvl(30)], { after_last: { kind: 'loop', times: 2 } });
    expect(planStep(loop, triggered, { level: 0, round: 2, repeat: 0 }, T0)).toMatchObject({ kind: 'notify', next: null });
    expect(planStep(loop, triggered, { level: 0, round: 1, repeat: 0 }, T0)).toMatchObject({
      kind: 'notify',
      next: { step: { level: 0, round: 2, repeat: 0 }, at: T0 + 30 * MIN },
    });
    expect(planStep(loop, triggered, { level: 0, round: 3, repeat: 0 }, T0)).toEqual({ kind: 'stop', reason: 'exhausted' });
  });

  it('counts from the instant a late step runs instead of sending a burst', () => {
    const late = T0 + 10 * MIN + 5_000;
    expect(planStep(spec([lvl(30, 10, 2), lvl(30)]), triggered, { level: 0, round: 0, repeat: 1 }, late)).toMatchObject({
      next: { step: { level: 0, round: 0, repeat: 2 }, at: late + 10 * MIN },
    });
  });

  it('keeps times in whole milliseconds for fractional repeat intervals', () => {
    const plan = planStep(spec([lvl(30, 2.25, 6)]), triggered, { level: 0, round: 0, repeat: 0 }, T0 + 7);
    expect(plan).toMatchObject({ next: { at: T0 + 7 + 135_000 } });
  });
});

describe('planner properties', () => {
  const levelArb = fc.record({
    escalate_after_min: fc.integer({ min: 1, max: 720 }),
    repeat_every_min: fc.option(
      fc.integer({ min: 1, max: 240 }).map((h) => h / 2),
      { nil: null },
    ),
    repeat_times: fc.integer({ min: 0, max: 6 }),
  });
  const specArb: fc.Arbitrary<Spec> = fc.record({
    levels: fc.array(levelArb, { minLength: 1, maxLength: 10 }),
    delay_seconds: fc.integer({ min: 0, max: 3600 }),
    mode: fc.constantFrom<EscalationMode>('unacknowledged', 'unresolved'),
    after_last: fc.oneof(
      fc.constant<AfterLast>({ kind: 'stop' }),
      fc.integer({ min: 1, max: 10 }).map((times): AfterLast => ({ kind: 'loop', times })),
    ),
  });

  it('following next without an ack: increasing integer times, bounded repeats, every level of every round, then exhausted', () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 0, max: 2 ** 41 }), (s, createdAt) => {
        const state: IncidentState = { status: 'triggered', snoozedUntil: null, createdAt };
        const loops = s.after_last?.kind === 'loop' ? s.after_last.times : 0;
        const maxRepeats = Math.max(...s.levels.map((l) => l.repeat_times ?? 0));
        const bound = s.levels.length * (loops + 1) * (maxRepeats + 1);
        const perLevel = new Map<string, number>();
        const firstOfLevel: string[] = [];
        let job: Next | null = firstStep(s, createdAt);
        expect(job.at).toBe(createdAt + (s.delay_seconds ?? 0) * 1000);
        let last = -Infinity;
        let steps = 0;
        let lastStep: Step = job.step;
        while (job) {
          expect(Number.isInteger(job.at)).toBe(true);
          expect(job.at).toBeGreaterThan(last);
          last = job.at;
          const plan: Plan = planStep(s, state, job.step, job.at);
          if (plan.kind !== 'notify') throw new Error(`expected notify, got ${JSON.stringify(plan)}`);
          steps += 1;
          expect(steps).toBeLessThanOrEqual(bound);
          const key = `${job.step.level}/${job.step.round}`;
          const count = (perLevel.get(key) ?? 0) + 1;
          perLevel.set(key, count);
          const level = s.levels[job.step.level];
          expect(count).toBeLessThanOrEqual((level?.repeat_times ?? 0) + 1);
          if (job.step.repeat === 0) firstOfLevel.push(key);
          lastStep = job.step;
          job = plan.next;
        }
        const expected = Array.from({ length: loops + 1 }, (_, r) => s.levels.map((_, l) => `${l}/${r}`)).flat();
        expect(firstOfLevel).toEqual(expected);
        // The level after the last one (or the round after the last) is exhausted.
        expect(planStep(s, state, { level: s.levels.length, round: lastStep.round, repeat: 0 }, last)).toEqual({ kind: 'stop', reason: 'exhausted' });
        expect(planStep(s, state, { level: 0, round: loops + 1, repeat: 0 }, last)).toEqual({ kind: 'stop', reason: 'exhausted' });
      }),
      { numRuns: 300 },
    );
  });

  it('a level sends exactly the repeats that fall before its deadline, and escalates exactly at the deadline', () => {
    fc.assert(
      fc.property(levelArb, levelArb, fc.integer({ min: 0, max: 2 ** 41 }), (a, b, createdAt) => {
        const s = spec([a, b]);
        const state: IncidentState = { status: 'triggered', snoozedUntil: null, createdAt };
        const times: number[] = [];
        let job: Next | null = firstStep(s, createdAt);
        while (job && job.step.level === 0) {
          times.push(job.at);
          const plan: Plan = planStep(s, state, job.step, job.at);
          job = plan.kind === 'notify' ? plan.next : null;
        }
        const every = repeatIntervalMs(a);
        const deadline = createdAt + a.escalate_after_min * MIN;
        const expected = [createdAt];
        for (let k = 1; every !== null && k <= (a.repeat_times ?? 0) && createdAt + k * every < deadline; k += 1) expected.push(createdAt + k * every);
        expect(times).toEqual(expected);
        expect(job).toEqual({ step: { level: 1, round: 0, repeat: 0 }, at: deadline });
      }),
      { numRuns: 300 },
    );
  });

  it('an acknowledged incident in unacknowledged mode never notifies again, at any reachable step', () => {
    fc.assert(
      fc.property(specArb, fc.nat({ max: 9 }), fc.nat({ max: 10 }), fc.nat({ max: 6 }), (s, level, round, repeat) => {
        const plan = planStep(
          { ...s, mode: 'unacknowledged' },
          { status: 'processing', snoozedUntil: null, createdAt: T0 },
          { level, round, repeat },
          T0 + 10 * 24 * 60 * MIN,
        );
        expect(plan.kind).toBe('stop');
      }),
      { numRuns: 200 },
    );
  });
});
