/**
 * PagerDuty REST API v2 → {@link Bundle}. `readPagerDuty` fetches (offset/limit/more pagination,
 * `Authorization: Token token=…`); `pagerDutyBundle` is the pure mapping:
 * users → people, teams (+ members), schedules (layers, restrictions, future overrides), escalation
 * policies (rules → levels, `num_loops` → loops), services (+ integrations) → channels.
 * `schedule_layers` come highest first from the API (Layer 2 before Layer 1); Tocsin lists lowest first.
 */
import type { Bundle, ImportedIntegration, ImportedLayer, ImportedLevel, ImportedSchedule, ImportedService, ImportedTarget, Unmapped } from './model.js';
import { addToClock, lastHandoffAtOrBefore, localClock, rotateMembers, unitOf } from './rotation.js';
import type { VendorFetch } from './vendor-http.js';
import { WEEKDAYS } from '../schedules/model.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const idOf = (v: unknown): string => (isObject(v) ? str(v.id) : '');

/** What the API returned, before mapping. */
export interface PagerDutyAccount {
  readonly base: string;
  readonly users: readonly Json[];
  readonly teams: readonly { team: Json; members: readonly Json[] }[];
  readonly schedules: readonly { schedule: Json; overrides: readonly Json[] }[];
  readonly policies: readonly Json[];
  readonly services: readonly Json[];
}

/** Reads every object the importer needs; overrides from `now` to 90 days ahead. */
export async function readPagerDuty(http: VendorFetch, now: number): Promise<PagerDutyAccount> {
  const all = async (path: string, collection: string): Promise<Json[]> => {
    const out: Json[] = [];
    for (let offset = 0, page = 0; page < 1000; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const body = await http.get(`${path}${sep}limit=100&offset=${offset}`);
      const items = list(body[collection]);
      out.push(...items);
      if (body.more !== true || items.length === 0) break;
      offset += items.length;
    }
    return out;
  };
  const users = await all('/users?include%5B%5D=contact_methods', 'users');
  const teams = [];
  for (const team of await all('/teams', 'teams')) teams.push({ team, members: await all(`/teams/${encodeURIComponent(str(team.id))}/members`, 'members') });
  const schedules = [];
  const since = new Date(now).toISOString();
  const until = new Date(now + 90 * 86_400_000).toISOString();
  for (const summary of await all('/schedules', 'schedules')) {
    const id = encodeURIComponent(str(summary.id));
    const detail = await http.get(`/schedules/${id}`);
    const schedule = isObject(detail.schedule) ? detail.schedule : summary;
    const overrides = await all(`/schedules/${id}/overrides?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`, 'overrides');
    schedules.push({ schedule, overrides });
  }
  const policies = await all('/escalation_policies', 'escalation_policies');
  const services = await all('/services?include%5B%5D=integrations', 'services');
  return { base: http.base, users, teams, schedules, policies, services };
}

function phoneOf(user: Json): string | undefined {
  for (const method of list(user.contact_methods)) {
    if (method.type !== 'phone_contact_method' && method.type !== 'sms_contact_method') continue;
    const phone = `+${str(method.country_code)}${str(method.address).replace(/\D/g, '')}`;
    if (/^\+[1-9]\d{6,14}$/.test(phone)) return phone;
  }
  return undefined;
}

/** One PagerDuty layer → a Tocsin layer (or why not). */
export function pagerDutyLayer(layer: Json, zone: string, now: number): { layer?: ImportedLayer; unmapped: Unmapped[] } {
  const name = str(layer.name) || 'Layer';
  const unmapped: Unmapped[] = [];
  const turn = Number(layer.rotation_turn_length_seconds);
  const unit = unitOf(turn);
  if (!unit) return { unmapped: [{ kind: 'schedule layer', name, reason: `a turn of ${turn} s is not a whole number (1–30) of hours, days or weeks` }] };
  const anchor = Date.parse(str(layer.rotation_virtual_start));
  const start = Date.parse(str(layer.start));
  if (Number.isNaN(anchor) || Number.isNaN(start)) return { unmapped: [{ kind: 'schedule layer', name, reason: 'start or rotation_virtual_start is missing' }] };
  const end = layer.end ? Date.parse(str(layer.end)) : null;
  if (end !== null && end <= now) return { unmapped: [] };
  const handoff = lastHandoffAtOrBefore(anchor, start, zone, unit.unit, unit.count);
  if (handoff.at < start && start > now) {
    unmapped.push({ kind: 'schedule layer', name, reason: 'starts in the future in the middle of a turn; Tocsin starts it at the turn before' });
  }
  const clock = localClock(anchor, zone);
  if (!clock.exact) unmapped.push({ kind: 'schedule layer', name, reason: 'handoff time has seconds; Tocsin hands off on the minute' });
  const members = rotateMembers(
    list(layer.users).map((u) => [idOf(u.user)]),
    handoff.k,
  );
  const windows = list(layer.restrictions);
  let restrictions: ImportedLayer['restrictions'] = { kind: 'none' };
  if (windows.length > 0) {
    if (windows.every((w) => w.type === 'daily_restriction')) {
      restrictions = {
        kind: 'daily',
        windows: windows.map((w) => {
          const from = str(w.start_time_of_day).slice(0, 5);
          return { start: from, end: addToClock(from, Math.min(Number(w.duration_seconds), 86_400)).time };
        }),
      };
    } else {
      restrictions = {
        kind: 'weekly',
        windows: windows.map((w) => {
          const from = str(w.start_time_of_day).slice(0, 5);
          const day = w.type === 'daily_restriction' ? 1 : Number(w.start_day_of_week);
          const to = addToClock(from, Math.min(Number(w.duration_seconds), 604_800));
          return { start_day: WEEKDAYS[(day - 1 + 7) % 7] ?? 'monday', start: from, end_day: WEEKDAYS[(day - 1 + to.days) % 7] ?? 'monday', end: to.time };
        }),
      };
      if (windows.some((w) => w.type === 'daily_restriction')) unmapped.push({ kind: 'schedule layer', name, reason: 'mixes daily and weekly restrictions; daily ones were read as Monday only' });
    }
  }
  return {
    layer: {
      name: name.slice(0, 100),
      members,
      rotation: { unit: unit.unit, count: unit.count, handoff_time: clock.time, ...(unit.unit === 'week' && { weekday: clock.weekday }) },
      start: handoff.at,
      end,
      restrictions,
      role: 'primary',
    },
    unmapped,
  };
}

function integrationOf(raw: Json, base: string): ImportedIntegration | Unmapped {
  const type = str(raw.type);
  const name = str(raw.name || raw.summary) || type;
  if (type === 'events_api_v2_inbound_integration' || type === 'generic_events_api_inbound_integration' || type === 'event_transformer_api_inbound_integration') {
    const eventsHost = base.replace('://api.', '://events.');
    return { vendorId: str(raw.id), name, source: 'pagerduty', oldUrl: `${eventsHost}/v2/enqueue (routing_key ${str(raw.integration_key) || '…'})` };
  }
  if (type === 'generic_email_inbound_integration') return { vendorId: str(raw.id), name, source: 'email', oldUrl: str(raw.integration_email) || 'the integration email address' };
  return { kind: 'integration', name, reason: `PagerDuty integration type ${type} has no Tocsin equivalent; add an integration for that tool by hand` };
}

/** The pure mapping of a fetched account. */
export function pagerDutyBundle(account: PagerDutyAccount, now: number): Bundle {
  const unmapped: Unmapped[] = [];
  const people = account.users
    .filter((u) => {
      if (str(u.email)) return true;
      unmapped.push({ kind: 'user', name: str(u.name), reason: 'has no email address' });
      return false;
    })
    .map((u) => ({ vendorId: str(u.id), name: str(u.name) || str(u.email), email: str(u.email), timeZone: str(u.time_zone) || undefined, phone: phoneOf(u) }));

  const teams = account.teams.map(({ team, members }) => ({
    vendorId: str(team.id),
    name: str(team.name),
    description: str(team.description),
    memberIds: members.map((m) => idOf(m.user)).filter(Boolean),
  }));

  const schedules: ImportedSchedule[] = account.schedules.map(({ schedule, overrides }) => {
    const zone = str(schedule.time_zone) || 'UTC';
    const layers: ImportedLayer[] = [];
    for (const raw of [...list(schedule.schedule_layers)].reverse()) {
      const converted = pagerDutyLayer(raw, zone, now);
      for (const u of converted.unmapped) unmapped.push({ ...u, name: `${str(schedule.name)} / ${u.name}` });
      if (converted.layer) layers.push(converted.layer);
    }
    return {
      vendorId: str(schedule.id),
      name: str(schedule.name),
      description: str(schedule.description),
      timeZone: zone,
      teamId: idOf(list(schedule.teams)[0]) || undefined,
      layers,
      overrides: overrides
        .map((o) => ({ vendorId: str(o.id), personId: idOf(o.user), start: Date.parse(str(o.start)), end: Date.parse(str(o.end)) }))
        .filter((o) => o.end > now && o.end > o.start),
    };
  });

  const policies = account.policies.map((policy) => {
    const rules = list(policy.escalation_rules);
    if (rules.length > 10) unmapped.push({ kind: 'escalation policy', name: str(policy.name), reason: `has ${rules.length} rules; Tocsin keeps the first 10 levels` });
    const levels: ImportedLevel[] = rules.slice(0, 10).map((rule) => ({
      escalateAfterMin: Math.min(720, Math.max(1, Number(rule.escalation_delay_in_minutes) || 30)),
      targets: list(rule.targets).flatMap((t): ImportedTarget[] => {
        const type = str(t.type);
        if (type.startsWith('user')) return [{ kind: 'person', vendorId: str(t.id) }];
        if (type.startsWith('schedule')) return [{ kind: 'schedule', vendorId: str(t.id) }];
        return [];
      }),
    }));
    return { vendorId: str(policy.id), name: str(policy.name), teamId: idOf(list(policy.teams)[0]) || undefined, levels, loops: Math.min(10, Math.max(0, Number(policy.num_loops) || 0)) };
  });

  const services: ImportedService[] = account.services.map((service) => {
    const integrations: ImportedIntegration[] = [];
    for (const raw of list(service.integrations)) {
      const mapped = integrationOf(raw, account.base);
      if ('reason' in mapped) unmapped.push({ ...mapped, name: `${str(service.name)} / ${mapped.name}` });
      else integrations.push(mapped);
    }
    return {
      vendorId: str(service.id),
      name: str(service.name),
      description: str(service.description),
      teamId: idOf(list(service.teams)[0]) || undefined,
      policyId: idOf(service.escalation_policy) || undefined,
      integrations,
    };
  });

  return { vendor: 'pagerduty', account: account.base, people, teams, schedules, policies, services, unmapped };
}
