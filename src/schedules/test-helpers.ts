import type { Layer, Override, Restrictions, Rotation, ScheduleTimeModel } from './model.js';

/** Test-only builders (not used by production code). */

/** Unix ms of an ISO-8601 string with an explicit offset or Z. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO ${iso}`);
  return ms;
}

/** ISO string in UTC of unix ms. */
export function utc(ms: number): string {
  return new Date(ms).toISOString();
}

export function makeLayer(partial: Partial<Omit<Layer, 'rotation'>> & { rotation?: Partial<Rotation> }): Layer {
  const rotation: Rotation = { unit: 'day', count: 1, handoffTime: '09:00', weekday: null, ...partial.rotation };
  const restrictions: Restrictions = partial.restrictions ?? { kind: 'none' };
  return {
    name: partial.name ?? 'layer',
    members: partial.members ?? [['a'], ['b'], ['c']],
    start: partial.start ?? 0,
    end: partial.end ?? null,
    role: partial.role ?? 'primary',
    rotation,
    restrictions,
  };
}

export function makeSchedule(timeZone: string, layers: Layer[]): ScheduleTimeModel & { id: string; name: string; teamId: string; description: string } {
  return { id: 'sched-1', name: 'Payments', teamId: 'team-1', description: '', timeZone, layers };
}

export function makeOverride(personId: string, start: number, end: number, role = 'primary', id = `o-${personId}-${start}`): Override {
  return { id, personId, start, end, role };
}
