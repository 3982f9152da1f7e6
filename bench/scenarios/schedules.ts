import { finalTimelineUnbounded, onCallAt } from '../../src/schedules/resolver.js';
import type { Layer, ScheduleTimeModel } from '../../src/schedules/model.js';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai'];
const UNITS = ['hour', 'day', 'week', 'month'] as const;

function layer(seed: number, start: number): Layer {
  return {
    name: `layer ${seed}`,
    members: Array.from({ length: 2 + (seed % 5) }, (_, i) => [`person-${seed}-${i}`]),
    rotation: { unit: UNITS[seed % UNITS.length] ?? 'week', count: 1 + (seed % 3), handoffTime: '09:00', weekday: seed % 4 === 2 ? 1 : null },
    start,
    end: null,
    restrictions: seed % 3 === 0 ? { kind: 'daily', windows: [{ start: '08:00', end: '20:00' }] } : { kind: 'none' },
    role: seed % 5 === 0 ? 'backup' : 'primary',
  } as Layer;
}

function schedule(seed: number, layers: number, start: number): ScheduleTimeModel {
  return { timeZone: ZONES[seed % ZONES.length] ?? 'UTC', layers: Array.from({ length: layers }, (_, i) => layer(seed * 7 + i, start)) };
}

/** Who is on call now for 10 000 schedules, and a 1-year final timeline of a 5-layer schedule. */
export function scheduleBenchmarks(): Record<string, number> {
  const start = Date.UTC(2025, 0, 6, 14);
  const now = Date.UTC(2026, 10, 26, 18, 30);
  const schedules = Array.from({ length: 10_000 }, (_, i) => schedule(i, 1 + (i % 3), start));
  let t0 = performance.now();
  let people = 0;
  for (const s of schedules) for (const ids of Object.values(onCallAt(s, [], now))) people += ids.length;
  const coldMs = performance.now() - t0;
  t0 = performance.now();
  for (const s of schedules) onCallAt(s, [], now + 3_600_000);
  const warmMs = performance.now() - t0;

  const big = schedule(42, 5, start);
  t0 = performance.now();
  const shifts = finalTimelineUnbounded(big, [], { start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) });
  const yearMs = performance.now() - t0;
  return {
    on_call_now_10k_schedules_cold_ms: Math.round(coldMs),
    on_call_now_10k_schedules_warm_ms: Math.round(warmMs),
    on_call_people_found: people,
    timeline_1y_5_layers_ms: Math.round(yearMs * 10) / 10,
    timeline_1y_5_layers_shifts: shifts.length,
  };
}
