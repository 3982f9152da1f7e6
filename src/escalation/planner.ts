import type { EscalationMode, LevelTiming, RuleSpecOf } from './model.js';

/**
 * The escalation planner (SPEC §4): given the rule snapshot frozen on an incident, the incident's
 * state, the step that is due and `now`, decide what to notify and when the next step is due.
 * Pure (GoAlert's escalation manager as a function): the service writes the outbox rows for a
 * `notify` and one job row for `next`; a job re-runs this with fresh state, so an acknowledged or
 * closed incident's pending step turns into a stop.
 *
 * Timing. A step's times count from `now`, the instant it runs: the level's first notification is
 * `now − repeat × every`, its escalation deadline that plus `escalate_after_min`. Run on time (the
 * engine's normal case) this is exactly the rule's schedule; a late run shifts the rest of the
 * escalation instead of sending a burst of overdue steps. Every `at` is an integer number of ms
 * (`repeat_every_min` is validated to whole seconds).
 */

/** `level` 0-based; `round` 0 = first pass (loops add 1); `repeat` 0 = the level's first notification. */
export interface Step {
  readonly level: number;
  readonly round: number;
  readonly repeat: number;
}

/** `processing` = acknowledged. `createdAt` = when the incident triggered (the delay window counts from it). */
export interface IncidentState {
  readonly status: 'triggered' | 'processing' | 'closed';
  readonly snoozedUntil: number | null;
  readonly createdAt: number;
}

export interface Next {
  readonly step: Step;
  readonly at: number;
}

export type Plan<L extends LevelTiming = LevelTiming> =
  /** Notify the level's targets now (a repeat notifies them again); schedule `next` (null = nothing more). */
  | { readonly kind: 'notify'; readonly step: Step; readonly level: L; readonly next: Next | null }
  /** Acknowledged in `unresolved` mode: this repeat is not sent, but escalation goes on at `next`. */
  | { readonly kind: 'skip'; readonly reason: 'acknowledged'; readonly next: Next | null }
  /** Nothing yet: run the same step again at `until` (snoozed, or the delay window is not over). */
  | { readonly kind: 'wait'; readonly until: number }
  /** Nothing now or later. `exhausted` = the step is past the rule's end (or one the rule cannot produce). */
  | { readonly kind: 'stop'; readonly reason: 'acknowledged' | 'closed' | 'exhausted' };

const MINUTE = 60_000;

/** The first step of an escalation: level 0, due when the delay window ends. */
export function firstStep(spec: RuleSpecOf<LevelTiming>, triggeredAt: number): Next {
  return { step: { level: 0, round: 0, repeat: 0 }, at: triggeredAt + (spec.delay_seconds ?? 0) * 1000 };
}

/** The repeat interval of a level in whole ms, or null when it never repeats. */
export function repeatIntervalMs(level: LevelTiming): number | null {
  const every = level.repeat_every_min;
  if ((level.repeat_times ?? 0) === 0 || every === null || every === undefined) return null;
  return Math.round(every * 60) * 1000;
}

/**
 * What to do for `step` at `now`. Checked in this order: closed → stop; a step past the rule's end
 * → stop exhausted; acknowledged in `unacknowledged` mode → stop; snoozed → wait until it ends
 * (the service restarts at level 0 on wake); the first step before the delay window ends → wait;
 * acknowledged in `unresolved` mode → the level's first notification is still sent (escalation goes
 * on) but its repeats are skipped; otherwise notify. A repeat that would fall at or after the
 * level's escalation deadline is never scheduled: the next level (or the loop back to level 0, or
 * nothing after the last level) is, at the deadline.
 */
export function planStep<L extends LevelTiming>(spec: RuleSpecOf<L>, state: IncidentState, step: Step, now: number): Plan<L> {
  if (state.status === 'closed') return { kind: 'stop', reason: 'closed' };
  const level = spec.levels[step.level];
  if (!level || !isReachable(spec, level, step)) return { kind: 'stop', reason: 'exhausted' };
  const mode: EscalationMode = spec.mode ?? 'unacknowledged';
  const acknowledged = state.status === 'processing';
  if (acknowledged && mode === 'unacknowledged') return { kind: 'stop', reason: 'acknowledged' };
  if (state.snoozedUntil !== null && state.snoozedUntil > now) return { kind: 'wait', until: state.snoozedUntil };
  const first = step.level === 0 && step.round === 0 && step.repeat === 0;
  const delayEnds = state.createdAt + (spec.delay_seconds ?? 0) * 1000;
  if (first && now < delayEnds) return { kind: 'wait', until: delayEnds };

  const every = repeatIntervalMs(level);
  const levelStart = now - step.repeat * (every ?? 0);
  const deadline = levelStart + level.escalate_after_min * MINUTE;
  const escalation = afterLevel(spec, step, deadline);
  if (acknowledged) {
    // unresolved mode: acknowledgement stops repeats, not escalation.
    return step.repeat === 0 ? { kind: 'notify', step, level, next: escalation } : { kind: 'skip', reason: 'acknowledged', next: escalation };
  }
  const repeatAt = every === null ? null : now + every;
  const repeats = every !== null && repeatAt !== null && step.repeat < (level.repeat_times ?? 0) && repeatAt < deadline;
  const next = repeats ? { step: { ...step, repeat: step.repeat + 1 }, at: repeatAt } : escalation;
  return { kind: 'notify', step, level, next };
}

/** The step after a level's escalation deadline: the next level, the loop back to level 0, or nothing. */
function afterLevel(spec: RuleSpecOf<LevelTiming>, step: Step, deadline: number): Next | null {
  if (step.level + 1 < spec.levels.length) return { step: { level: step.level + 1, round: step.round, repeat: 0 }, at: deadline };
  const after = spec.after_last ?? { kind: 'stop' };
  if (after.kind === 'loop' && step.round < after.times) return { step: { level: 0, round: step.round + 1, repeat: 0 }, at: deadline };
  return null;
}

/** False for a step the rule never produces: past the last round, or a repeat it does not have or that falls at/after the deadline. */
function isReachable(spec: RuleSpecOf<LevelTiming>, level: LevelTiming, step: Step): boolean {
  if (!Number.isInteger(step.level) || !Number.isInteger(step.round) || !Number.isInteger(step.repeat)) return false;
  if (step.level < 0 || step.round < 0 || step.repeat < 0) return false;
  const after = spec.after_last ?? { kind: 'stop' };
  const rounds = after.kind === 'loop' ? after.times + 1 : 1;
  if (step.round >= rounds) return false;
  if (step.repeat === 0) return true;
  const every = repeatIntervalMs(level);
  return every !== null && step.repeat <= (level.repeat_times ?? 0) && step.repeat * every < level.escalate_after_min * MINUTE;
}
