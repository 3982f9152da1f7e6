import type { FieldError } from '../../core/errors.js';
import type { NormalizedEvent, SourceMapper } from '../model.js';

/** The one alert a heartbeat integration raises: "no beat in time". */
export const HEARTBEAT_ALERT_KEY = 'heartbeat';
export const HEARTBEAT_DEFAULTS = { intervalS: 300, graceS: 60 } as const;
const INTERVAL_MIN_S = 10;
const INTERVAL_MAX_S = 31 * 86_400;
const GRACE_MAX_S = 86_400;

export interface HeartbeatOptions {
  readonly intervalS: number;
  readonly graceS: number;
}

/** The integration's `{interval_s, grace_s}` with defaults (validated on save). */
export function heartbeatOptions(sourceOptions: Readonly<Record<string, unknown>>): HeartbeatOptions {
  const interval = sourceOptions.interval_s;
  const grace = sourceOptions.grace_s;
  return { intervalS: typeof interval === 'number' ? interval : HEARTBEAT_DEFAULTS.intervalS, graceS: typeof grace === 'number' ? grace : HEARTBEAT_DEFAULTS.graceS };
}

/** Every problem of heartbeat options, keyed by field. */
export function validateHeartbeatOptions(options: Readonly<Record<string, unknown>>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (key === 'interval_s') {
      if (!Number.isInteger(value) || (value as number) < INTERVAL_MIN_S || (value as number) > INTERVAL_MAX_S) {
        errors.push({ field: 'settings.interval_s', message: `must be an integer number of seconds from ${INTERVAL_MIN_S} to ${INTERVAL_MAX_S}` });
      }
    } else if (key === 'grace_s') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > GRACE_MAX_S) errors.push({ field: 'settings.grace_s', message: `must be an integer number of seconds from 0 to ${GRACE_MAX_S}` });
    } else errors.push({ field: `settings.source_options.${key}`, message: 'is not an option of heartbeat integrations' });
  }
  return errors;
}

/** A beat (any or no body) recovers the "missed" alert if one is open; otherwise the Ok is ignored. */
export const heartbeatMapper: SourceMapper = (input) => [{ title: 'Heartbeat', status: 'Ok', action: 'resolve', alertKey: HEARTBEAT_ALERT_KEY, description: '', labels: {}, eventTime: input.now }];

/** The trigger raised when no beat came within interval + grace. */
export function missedHeartbeatEvent(integrationName: string, options: HeartbeatOptions, lastBeatAt: number, now: number): NormalizedEvent {
  return {
    title: `Heartbeat missed: ${integrationName}`,
    status: 'Critical',
    action: 'trigger',
    alertKey: HEARTBEAT_ALERT_KEY,
    description: `No heartbeat since ${new Date(lastBeatAt).toISOString()} (expected every ${options.intervalS} s, grace ${options.graceS} s).`,
    labels: { heartbeat: integrationName, interval_s: String(options.intervalS), grace_s: String(options.graceS) },
    eventTime: now,
  };
}

/** When the next beat is due at the latest. */
export function heartbeatDeadline(options: HeartbeatOptions, beatAt: number): number {
  return beatAt + (options.intervalS + options.graceS) * 1000;
}
