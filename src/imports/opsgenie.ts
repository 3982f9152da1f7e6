/**
 * Opsgenie REST API v2 → {@link Bundle}. `readOpsgenie` fetches (`Authorization: GenieKey …`,
 * pagination by `paging.next`); `opsgenieBundle` maps: users (+ phone contacts) → people, teams
 * (+ members), schedules (rotations, time restrictions, future overrides), escalations (rules → levels
 * by delay, `repeat` → loops), and per team owning integrations one channel with that team's escalation.
 * Opsgenie puts the participants of all rotations of a schedule on call together; Tocsin layers stack,
 * so each rotation gets its own role (`primary`, `rotation-2`, …) and a schedule target without roles
 * reaches all of them (ADR 0046).
 */
import type { Bundle, ImportedIntegration, ImportedLayer, ImportedLevel, ImportedSchedule, ImportedService, ImportedTarget, Unmapped } from './model.js';
import { localClock } from './rotation.js';
import type { Json, VendorFetch } from './vendor-http.js';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const pad = (n: unknown) => String(Number(n) || 0).padStart(2, '0');

export interface OpsgenieAccount {
  readonly base: string;
  readonly users: readonly { user: Json; contacts: readonly Json[] }[];
  readonly teams: readonly Json[];
  readonly schedules: readonly { schedule: Json; overrides: readonly Json[] }[];
  readonly escalations: readonly Json[];
  readonly integrations: readonly Json[];
}

export async function readOpsgenie(http: VendorFetch): Promise<OpsgenieAccount> {
  const all = async (path: string): Promise<Json[]> => {
    const out: Json[] = [];
    let next: string | undefined = path;
    for (let page = 0; next && page < 1000; page++) {
      const body = await http.get(next);
      out.push(...list(body.data));
      const paging = isObject(body.paging) ? body.paging : {};
      next = typeof paging.next === 'string' && paging.next !== '' ? paging.next : undefined;
    }
    return out;
  };
  const users = [];
  for (const user of await all('/v2/users?limit=100&offset=0')) users.push({ user, contacts: list((await http.get(`/v2/users/${encodeURIComponent(str(user.id))}/contacts`)).data) });
  const teams = [];
  for (const team of await all('/v2/teams')) {
    const detail = await http.get(`/v2/teams/${encodeURIComponent(str(team.id))}`);
    teams.push(isObject(detail.data) ? detail.data : team);
  }
  const schedules = [];
  for (const schedule of await all('/v2/schedules?expand=rotation')) schedules.push({ schedule, overrides: await all(`/v2/schedules/${encodeURIComponent(str(schedule.id))}/overrides`) });
  return { base: http.base, users, teams, schedules, escalations: await all('/v2/escalations'), integrations: await all('/v2/integrations') };
}

const UNITS = { hourly: 'hour', daily: 'day', weekly: 'week' } as const;

/** One rotation → a layer with its own role. */
export function opsgenieLayer(rotation: Json, zone: string, role: string): { layer?: ImportedLayer; unmapped: Unmapped[] } {
  const name = str(rotation.name) || 'Rotation';
  const unmapped: Unmapped[] = [];
  const unit = UNITS[str(rotation.type) as keyof typeof UNITS];
  const count = Number(rotation.length) || 1;
  if (!unit || count > 30) return { unmapped: [{ kind: 'rotation', name, reason: `type ${str(rotation.type)} × ${count} has no Tocsin rotation` }] };
  const start = Date.parse(str(rotation.startDate));
  if (Number.isNaN(start)) return { unmapped: [{ kind: 'rotation', name, reason: 'has no startDate' }] };
  const members: string[][] = [];
  for (const p of list(rotation.participants)) {
    if (p.type === 'user' && str(p.id)) members.push([str(p.id)]);
    else unmapped.push({ kind: 'rotation', name, reason: `participant of type ${str(p.type)} is left out (Tocsin rotates people)` });
  }
  const clock = localClock(start, zone);
  const restriction = isObject(rotation.timeRestriction) ? rotation.timeRestriction : undefined;
  let restrictions: ImportedLayer['restrictions'] = { kind: 'none' };
  if (restriction?.type === 'time-of-day' && isObject(restriction.restriction)) {
    const r = restriction.restriction;
    restrictions = { kind: 'daily', windows: [{ start: `${pad(r.startHour)}:${pad(r.startMin)}`, end: `${pad(r.endHour)}:${pad(r.endMin)}` }] };
  } else if (restriction?.type === 'weekday-and-time-of-day') {
    restrictions = {
      kind: 'weekly',
      windows: list(restriction.restrictions).map((r) => ({ start_day: str(r.startDay).toLowerCase(), start: `${pad(r.startHour)}:${pad(r.startMin)}`, end_day: str(r.endDay).toLowerCase(), end: `${pad(r.endHour)}:${pad(r.endMin)}` })),
    };
  }
  return {
    layer: {
      name: name.slice(0, 100),
      members,
      rotation: { unit, count, handoff_time: clock.time, ...(unit === 'week' && { weekday: clock.weekday }) },
      start,
      end: rotation.endDate ? Date.parse(str(rotation.endDate)) : null,
      restrictions,
      role,
    },
    unmapped,
  };
}

const MINUTES: Readonly<Record<string, number>> = { minutes: 1, hours: 60, days: 1440 };

/** Opsgenie rules fire at absolute delays from the alert; Tocsin levels wait relative to the previous one. */
export function opsgenieLevels(escalation: Json): { levels: ImportedLevel[]; loops: number; unmapped: Unmapped[] } {
  const unmapped: Unmapped[] = [];
  const byDelay = new Map<number, ImportedTarget[]>();
  for (const rule of list(escalation.rules)) {
    const delay = isObject(rule.delay) ? Number(rule.delay.timeAmount) * (MINUTES[str(rule.delay.timeUnit) || 'minutes'] ?? 1) : 0;
    const recipient = isObject(rule.recipient) ? rule.recipient : {};
    const kind = recipient.type === 'user' ? 'person' : recipient.type === 'schedule' ? 'schedule' : recipient.type === 'team' ? 'team' : undefined;
    if (!kind) {
      unmapped.push({ kind: 'escalation rule', name: str(escalation.name), reason: `recipient type ${str(recipient.type)} has no Tocsin target` });
      continue;
    }
    if (rule.notifyType && rule.notifyType !== 'default') unmapped.push({ kind: 'escalation rule', name: str(escalation.name), reason: `notifyType ${str(rule.notifyType)} is read as "whoever is on call now"` });
    const targets = byDelay.get(delay) ?? [];
    targets.push({ kind, vendorId: str(recipient.id) });
    byDelay.set(delay, targets);
  }
  const delays = [...byDelay.keys()].sort((a, b) => a - b);
  const repeat = isObject(escalation.repeat) ? escalation.repeat : {};
  const loops = Math.min(10, Math.max(0, Number(repeat.count) || 0));
  const clamp = (n: number) => Math.min(720, Math.max(1, Math.round(n)));
  const levels = delays.slice(0, 10).map((delay, i) => {
    const next = delays[i + 1];
    return { targets: byDelay.get(delay) ?? [], escalateAfterMin: clamp(next !== undefined ? next - delay : Number(repeat.waitInterval) || 30) };
  });
  if (delays.length > 10) unmapped.push({ kind: 'escalation', name: str(escalation.name), reason: 'has more than 10 distinct delays; Tocsin keeps 10 levels' });
  return { levels, loops, unmapped };
}

export function opsgenieBundle(account: OpsgenieAccount, now: number): Bundle {
  const unmapped: Unmapped[] = [];
  const people = account.users.map(({ user, contacts }) => {
    const phone = contacts.map((c) => (c.method === 'sms' || c.method === 'voice' ? `+${str(c.to).replace(/\D/g, '')}` : '')).find((p) => /^\+[1-9]\d{6,14}$/.test(p));
    return { vendorId: str(user.id), name: str(user.fullName) || str(user.username), email: str(user.username), timeZone: str(user.timeZone) || undefined, phone };
  });
  const teams = account.teams.map((team) => ({ vendorId: str(team.id), name: str(team.name), description: str(team.description), memberIds: list(team.members).map((m) => (isObject(m.user) ? str(m.user.id) : '')).filter(Boolean) }));

  const schedules: ImportedSchedule[] = account.schedules.map(({ schedule, overrides }) => {
    const zone = str(schedule.timezone) || 'UTC';
    const rotations = [...list(schedule.rotations)].sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0));
    const roleOf = new Map<string, string>();
    const layers: ImportedLayer[] = [];
    rotations.forEach((rotation, i) => {
      const role = i === 0 ? 'primary' : `rotation-${i + 1}`;
      roleOf.set(str(rotation.id), role);
      const converted = opsgenieLayer(rotation, zone, role);
      for (const u of converted.unmapped) unmapped.push({ ...u, name: `${str(schedule.name)} / ${u.name}` });
      if (converted.layer && (converted.layer.end === null || converted.layer.end > now)) layers.push(converted.layer);
    });
    return {
      vendorId: str(schedule.id),
      name: str(schedule.name),
      description: str(schedule.description),
      timeZone: zone,
      teamId: isObject(schedule.ownerTeam) ? str(schedule.ownerTeam.id) || undefined : undefined,
      layers,
      overrides: overrides.flatMap((o) => {
        const start = Date.parse(str(o.startDate));
        const end = Date.parse(str(o.endDate));
        const user = isObject(o.user) ? o.user : {};
        if (!(end > now && end > start)) return [];
        const rotationIds = list(o.rotations).map((r) => str(r.id));
        const roles = rotationIds.length > 0 ? rotationIds.map((id) => roleOf.get(id) ?? 'primary') : [...new Set(roleOf.values())];
        return (roles.length > 0 ? roles : ['primary']).map((role) => ({ vendorId: `${str(o.alias)}:${role}`, personId: str(user.id), start, end, role }));
      }),
    };
  });

  const policies = account.escalations.map((escalation) => {
    const converted = opsgenieLevels(escalation);
    unmapped.push(...converted.unmapped);
    return { vendorId: str(escalation.id), name: str(escalation.name), teamId: isObject(escalation.ownerTeam) ? str(escalation.ownerTeam.id) || undefined : undefined, levels: converted.levels, loops: converted.loops };
  });

  // Opsgenie routes alerts to teams: one channel per team that owns integrations, with its escalation.
  const byTeam = new Map<string, ImportedIntegration[]>();
  for (const raw of account.integrations) {
    const type = str(raw.type);
    const name = str(raw.name) || type;
    if (type === 'Heartbeat' || type === 'OpsgenieHeartbeat') {
      unmapped.push({ kind: 'integration', name, reason: 'heartbeats: create a heartbeat integration in Tocsin by hand' });
      continue;
    }
    const integration: ImportedIntegration =
      type === 'Email'
        ? { vendorId: str(raw.id), name, source: 'email', oldUrl: 'the integration email address' }
        : { vendorId: str(raw.id), name, source: 'opsgenie', oldUrl: `${account.base} (GenieKey of integration "${name}")` };
    const team = str(raw.teamId) || '_none';
    byTeam.set(team, [...(byTeam.get(team) ?? []), integration]);
  }
  const services: ImportedService[] = [...byTeam].map(([teamId, integrations]) => {
    const team = teams.find((t) => t.vendorId === teamId);
    const policy = policies.find((p) => p.teamId === teamId);
    return { vendorId: `team:${teamId}`, name: team ? `${team.name} alerts` : 'Opsgenie alerts', description: 'Imported from Opsgenie team routing', teamId: team?.vendorId, policyId: policy?.vendorId, integrations };
  });
  return { vendor: 'opsgenie', account: account.base, people, teams, schedules, policies, services, unmapped };
}
