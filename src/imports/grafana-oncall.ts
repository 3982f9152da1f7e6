/**
 * Grafana OnCall public API v1 → {@link Bundle}. `readGrafanaOncall` fetches (`Authorization: <token>`,
 * pagination by the `next` URL); `grafanaOncallBundle` maps: users → people, teams, calendar schedules
 * (rolling-users and recurrent shifts → layers, by level; override shifts → overrides), escalation chains
 * (steps: notify → targets, wait → the level's delay, repeat → loops) and integrations → one channel
 * each, whose new URL is Tocsin's OnCall-compatible `/integrations/v1/<kind>/<key>/`.
 */
import { DateTime } from 'luxon';
import { WEEKDAYS } from '../schedules/model.js';
import type { Bundle, ImportedIntegration, ImportedLayer, ImportedLevel, ImportedOverride, ImportedSchedule, ImportedService, ImportedTarget, Unmapped } from './model.js';
import { addToClock, rotateMembers } from './rotation.js';
import type { Json, VendorFetch } from './vendor-http.js';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter(Boolean) : []);

export interface GrafanaOncallAccount {
  readonly base: string;
  readonly users: readonly Json[];
  readonly teams: readonly Json[];
  readonly schedules: readonly Json[];
  readonly shifts: readonly Json[];
  readonly chains: readonly Json[];
  readonly steps: readonly Json[];
  readonly integrations: readonly Json[];
}

export async function readGrafanaOncall(http: VendorFetch): Promise<GrafanaOncallAccount> {
  const all = async (path: string): Promise<Json[]> => {
    const out: Json[] = [];
    let next: string | undefined = path;
    for (let page = 0; next && page < 1000; page++) {
      const body = await http.get(next);
      out.push(...list(body.results));
      next = typeof body.next === 'string' && body.next !== '' ? body.next : undefined;
    }
    return out;
  };
  return {
    base: http.base,
    users: await all('/users/'),
    teams: await all('/teams/'),
    schedules: await all('/schedules/'),
    shifts: await all('/on_call_shifts/'),
    chains: await all('/escalation_chains/'),
    steps: await all('/escalation_policies/'),
    integrations: await all('/integrations/'),
  };
}

const UNITS = { hourly: 'hour', daily: 'day', weekly: 'week', monthly: 'month' } as const;
const UNIT_SECONDS = { hour: 3600, day: 86_400, week: 604_800, month: 2_419_200 } as const;
const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** A shift's local start (OnCall gives `2026-02-01T09:00:00`, local to the shift's zone) as an instant. */
function localStart(shift: Json, zone: string): number {
  const text = str(shift.rotation_start) || str(shift.start);
  return DateTime.fromISO(text, { zone, setZone: /[zZ]|[+-]\d\d:?\d\d$/.test(text) }).toMillis();
}

/** A rolling-users or recurrent shift → a layer (a recurrent event puts all its users on call together). */
export function oncallLayer(shift: Json, scheduleZone: string, now: number): { layer?: ImportedLayer; unmapped: Unmapped[] } {
  const name = str(shift.name) || 'Shift';
  const type = str(shift.type);
  const zone = str(shift.time_zone) || scheduleZone;
  const start = localStart(shift, zone);
  const duration = Number(shift.duration) || 0;
  if (Number.isNaN(start)) return { unmapped: [{ kind: 'shift', name, reason: 'has no start' }] };
  if (type === 'single_event') {
    if (start + duration * 1000 <= now) return { unmapped: [] };
    return {
      layer: { name, members: [strings(shift.users)], rotation: { unit: 'day', count: 1, handoff_time: DateTime.fromMillis(start, { zone: scheduleZone }).toFormat('HH:mm') }, start, end: start + duration * 1000, restrictions: { kind: 'none' }, role: 'primary' },
      unmapped: [],
    };
  }
  const unit = UNITS[str(shift.frequency) as keyof typeof UNITS];
  const count = Number(shift.interval) || 1;
  if (!unit || count > 30) return { unmapped: [{ kind: 'shift', name, reason: `frequency ${str(shift.frequency)} × ${count} has no Tocsin rotation` }] };
  if (zone !== scheduleZone) return { unmapped: [{ kind: 'shift', name, reason: `its time zone ${zone} differs from the schedule's ${scheduleZone}` }] };
  const local = DateTime.fromMillis(start, { zone });
  const clock = local.toFormat('HH:mm');
  const groups = type === 'rolling_users' ? (Array.isArray(shift.rolling_users) ? shift.rolling_users.map(strings) : []) : [strings(shift.users)];
  const members = rotateMembers(groups.filter((g) => g.length > 0), Number(shift.start_rotation_from_user_index) || 0);
  const byDay = strings(shift.by_day).map((d) => ICAL_DAYS.indexOf(d)).filter((i) => i >= 0);
  const notes: Unmapped[] = [];
  if (byDay.length > 0 && members.length > 1) notes.push({ kind: 'shift', name, reason: 'OnCall hands over on each listed day only; Tocsin rotates every calendar period, so check the order' });
  // A shift shorter than its rotation period, or only on some days, is on call only in its windows.
  let restrictions: ImportedLayer['restrictions'] = { kind: 'none' };
  const partial = duration > 0 && duration < UNIT_SECONDS[unit] * count;
  if (byDay.length > 0 && (unit === 'day' || unit === 'week')) {
    const to = addToClock(clock, duration > 0 ? Math.min(duration, 604_800) : 86_400);
    restrictions = { kind: 'weekly', windows: byDay.map((d) => ({ start_day: WEEKDAYS[d] ?? 'monday', start: clock, end_day: WEEKDAYS[(d + to.days) % 7] ?? 'monday', end: to.time })) };
  } else if (partial && unit === 'day' && duration < 86_400) {
    restrictions = { kind: 'daily', windows: [{ start: clock, end: addToClock(clock, duration).time }] };
  } else if (partial && unit === 'week') {
    const to = addToClock(clock, duration);
    const day = local.weekday - 1;
    restrictions = { kind: 'weekly', windows: [{ start_day: WEEKDAYS[day] ?? 'monday', start: clock, end_day: WEEKDAYS[(day + to.days) % 7] ?? 'monday', end: to.time }] };
  } else if (partial) {
    return { unmapped: [{ kind: 'shift', name, reason: `a ${duration} s shift every ${count} ${unit}(s) has no Tocsin restriction` }] };
  }
  const until = shift.until ? DateTime.fromISO(str(shift.until), { zone }).toMillis() : null;
  if (until !== null && until <= now) return { unmapped: [] };
  return {
    layer: { name: name.slice(0, 100), members, rotation: { unit, count, handoff_time: clock, ...(unit === 'week' && { weekday: WEEKDAYS[local.weekday - 1] }) }, start, end: until, restrictions, role: 'primary' },
    unmapped: notes,
  };
}

/** An escalation chain's steps (by position) → levels; `wait` sets the delay before the next level. */
export function oncallLevels(chainName: string, steps: readonly Json[]): { levels: ImportedLevel[]; loops: number; unmapped: Unmapped[] } {
  const unmapped: Unmapped[] = [];
  const levels: { targets: ImportedTarget[]; escalateAfterMin: number }[] = [];
  let current: ImportedTarget[] = [];
  let loops = 0;
  const close = (minutes: number) => {
    if (current.length > 0) levels.push({ targets: current, escalateAfterMin: minutes });
    else if (levels.length > 0) {
      const last = levels[levels.length - 1];
      if (last) last.escalateAfterMin += minutes;
    }
    current = [];
  };
  for (const step of [...steps].sort((a, b) => Number(a.position) - Number(b.position))) {
    const type = str(step.type);
    if (type === 'wait') close(Math.max(1, Math.round((Number(step.duration) || 60) / 60)));
    else if (type === 'notify_persons' || type === 'notify_person_next_each_time') current.push(...strings(step.persons_to_notify ?? step.persons_to_notify_next_each_time).map((id) => ({ kind: 'person' as const, vendorId: id })));
    else if (type === 'notify_on_call_from_schedule') current.push({ kind: 'schedule', vendorId: str(step.notify_on_call_from_schedule) });
    else if (type === 'notify_team_members') current.push({ kind: 'team', vendorId: str(step.notify_to_team_members) });
    else if (type === 'repeat_escalation') loops = 5; // OnCall repeats a chain up to 5 times.
    else unmapped.push({ kind: 'escalation step', name: chainName, reason: `step ${type} has no Tocsin equivalent` });
  }
  if (current.length > 0) levels.push({ targets: current, escalateAfterMin: 1 });
  const clamped = levels.slice(0, 10).map((l) => ({ targets: l.targets, escalateAfterMin: Math.min(720, Math.max(1, l.escalateAfterMin)) }));
  return { levels: clamped, loops, unmapped };
}

/** OnCall integration types Tocsin serves at the same inbound path, and the source they become. */
const INTEGRATION_SOURCES: Readonly<Record<string, string>> = { alertmanager: 'prometheus', grafana_alerting: 'grafana', grafana: 'grafana', webhook: 'standard', formatted_webhook: 'standard' };

export function grafanaOncallBundle(account: GrafanaOncallAccount, now: number): Bundle {
  const unmapped: Unmapped[] = [];
  const people = account.users
    .filter((u) => str(u.email))
    .map((u) => ({ vendorId: str(u.id), name: str(u.name) || str(u.username) || str(u.email), email: str(u.email), timeZone: str(u.timezone) || undefined }));
  const teams = account.teams.map((t) => ({ vendorId: str(t.id), name: str(t.name), description: '', memberIds: [] }));
  if (teams.length > 0) unmapped.push({ kind: 'teams', name: 'members', reason: "OnCall's API does not list team members; add them in Tocsin" });

  const shiftsById = new Map(account.shifts.map((s) => [str(s.id), s]));
  const schedules: ImportedSchedule[] = [];
  for (const schedule of account.schedules) {
    const zone = str(schedule.time_zone) || 'UTC';
    if (str(schedule.type) === 'ical') {
      unmapped.push({ kind: 'schedule', name: str(schedule.name), reason: 'iCal-based schedules are read from your calendar; rebuild the rotation in Tocsin' });
      continue;
    }
    const shifts = strings(schedule.shifts).map((id) => shiftsById.get(id)).filter((s): s is Json => s !== undefined);
    const layers: { level: number; layer: ImportedLayer }[] = [];
    const overrides: ImportedOverride[] = [];
    for (const shift of shifts) {
      if (str(shift.type) === 'override') {
        const start = localStart(shift, str(shift.time_zone) || zone);
        const end = start + (Number(shift.duration) || 0) * 1000;
        const person = strings(Array.isArray(shift.rolling_users) ? shift.rolling_users[0] : shift.users)[0];
        if (person && end > now) overrides.push({ vendorId: str(shift.id), personId: person, start, end });
        continue;
      }
      const converted = oncallLayer(shift, zone, now);
      for (const u of converted.unmapped) unmapped.push({ ...u, name: `${str(schedule.name)} / ${u.name}` });
      if (converted.layer) layers.push({ level: Number(shift.level) || 0, layer: converted.layer });
    }
    schedules.push({
      vendorId: str(schedule.id),
      name: str(schedule.name),
      description: '',
      timeZone: zone,
      teamId: str(schedule.team_id) || undefined,
      // Higher OnCall levels win, as later Tocsin layers do.
      layers: layers.sort((a, b) => a.level - b.level).map((l) => l.layer),
      overrides,
    });
  }

  const policies = account.chains.map((chain) => {
    const converted = oncallLevels(str(chain.name), account.steps.filter((s) => str(s.escalation_chain_id) === str(chain.id)));
    unmapped.push(...converted.unmapped);
    return { vendorId: str(chain.id), name: str(chain.name), teamId: str(chain.team_id) || undefined, levels: converted.levels, loops: converted.loops };
  });

  const services: ImportedService[] = [];
  for (const raw of account.integrations) {
    const type = str(raw.type);
    const source = INTEGRATION_SOURCES[type];
    if (!source) {
      unmapped.push({ kind: 'integration', name: str(raw.name), reason: `OnCall integration type ${type} has no Tocsin equivalent; add an integration for that tool by hand` });
      continue;
    }
    const integration: ImportedIntegration = { vendorId: str(raw.id), name: str(raw.name) || type, source, oldUrl: str(raw.link), oncallKind: type };
    const route = isObject(raw.default_route) ? raw.default_route : {};
    services.push({ vendorId: str(raw.id), name: str(raw.name) || type, description: `Imported from Grafana OnCall (${type})`, teamId: str(raw.team_id) || undefined, policyId: str(route.escalation_chain_id) || undefined, integrations: [integration] });
  }
  return { vendor: 'grafana-oncall', account: account.base, people, teams, schedules, policies, services, unmapped };
}
