import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { BuildOptions, Tocsin } from './wire.js';
import { ManualClock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { findFirstActiveAdmin } from '../people/store.js';
import { DEMO_PEOPLE, DEMO_STORY, DEMO_TEAMS, type DemoEvent } from './demo-story.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far back the demo's incident history starts. */
const HISTORY_DAYS = 4;

/** What a seeded demo gives the person who asked for it. */
export interface DemoResult {
  /** Set when the demo created the first administrator (an empty database); shown once. */
  readonly admin: { readonly email: string; readonly password: string } | null;
  readonly teams: number;
  readonly people: number;
  readonly channels: number;
  readonly incidents: number;
}

interface Call {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Seeds a realistic organisation — teams, people, schedules with an override, channels with
 * integrations of different sources, escalation rules, a maintenance silence and a few days of
 * incidents — through the public API of a private Tocsin built on the configured database, whose
 * manual clock walks from a few days ago to now so every incident carries a believable time.
 * Nobody is paged: the demo people have no verified contact.
 */
export async function seedDemo(
  build: (options: BuildOptions) => Promise<Tocsin>,
  config: Config,
  logger: Logger,
  options: { now?: number; actorId?: string } = {},
): Promise<DemoResult> {
  const realNow = options.now ?? Date.now();
  const start = Math.floor((realNow - HISTORY_DAYS * DAY) / HOUR) * HOUR;
  const clock = new ManualClock(start);
  // A private instance on the same database: no SMTP listener (the serving one holds its port).
  const tocsin = await build({ config: { ...config, smtpPort: undefined }, clock, logger });
  try {
    return await new DemoSeeder(tocsin, clock, realNow, options.actorId).run();
  } finally {
    await tocsin.close();
  }
}

class DemoSeeder {
  private key = '';
  private keyId = '';

  constructor(
    private readonly tocsin: Tocsin,
    private readonly clock: ManualClock,
    private readonly realNow: number,
    private readonly actorId: string | undefined,
  ) {}

  async run(): Promise<DemoResult> {
    const admin = await this.signIn();
    const existing = await this.call('GET', '/api/v1/teams?limit=100');
    const teamNames = ((existing.body.data as { name: string }[] | undefined) ?? []).map((team) => team.name);
    if (DEMO_TEAMS.some((team) => teamNames.includes(team.name))) {
      await this.signOut();
      throw new AppError('Conflict', 'the demo organisation is already there (a team of the demo exists); nothing was changed');
    }
    const me = (await this.call('GET', '/api/v1/me')).body as { id: string };

    const people = new Map<string, string>();
    for (const person of DEMO_PEOPLE) {
      const created = await this.expect(201, 'POST', '/api/v1/users', { email: person.email, name: person.name, role: person.role, time_zone: person.timeZone });
      people.set(person.key, String(created.id));
    }
    const teams = new Map<string, string>();
    for (const team of DEMO_TEAMS) {
      const created = await this.expect(201, 'POST', '/api/v1/teams', { name: team.name, description: team.description });
      const teamId = String(created.id);
      teams.set(team.key, teamId);
      for (const member of [...team.members.map((key) => people.get(key) ?? ''), me.id]) {
        await this.expect(201, 'POST', `/api/v1/teams/${teamId}/members`, { person_id: member });
      }
    }

    const schedules = await this.schedules(people, teams);
    const integrations = await this.channels(teams, schedules, people);
    const incidents = await this.history(integrations);
    await this.signOut();
    return { admin, teams: DEMO_TEAMS.length, people: DEMO_PEOPLE.length, channels: integrations.size, incidents };
  }

  /**
   * Acts as the admin who asked (console) or the first active admin (CLI), creating one with a
   * printed random password on an empty database.
   */
  private async signIn(): Promise<DemoResult['admin']> {
    let created: DemoResult['admin'] = null;
    let adminId = this.actorId;
    if (!adminId) {
      const setup = await this.call('GET', '/api/v1/setup');
      if (setup.body.needs_setup === true) {
        created = { email: 'admin@example.com', password: randomBytes(12).toString('base64url') };
        await this.expect(201, 'POST', '/api/v1/setup', { email: created.email, name: 'Demo Admin', password: created.password });
      }
      adminId = (await findFirstActiveAdmin(this.tocsin.db.kysely))?.id;
    }
    if (!adminId) throw new AppError('Conflict', 'no active administrator to seed the demo as');
    const key = await this.tocsin.services.auth.createApiKey(null, adminId, 'demo seed (revoked when done)');
    this.key = key.key;
    this.keyId = key.id;
    return created;
  }

  private async signOut(): Promise<void> {
    await this.call('DELETE', `/api/v1/me/api-keys/${this.keyId}`);
  }

  private async schedules(people: Map<string, string>, teams: Map<string, string>): Promise<Map<string, string>> {
    const id = (key: string) => people.get(key) ?? '';
    const monday = this.realNow - ((new Date(this.realNow).getUTCDay() + 6) % 7) * DAY - 14 * DAY;
    const platform = await this.expect(201, 'POST', '/api/v1/schedules', {
      name: 'Platform primary',
      team_id: teams.get('platform'),
      description: 'Weekly rotation, handoff on Monday mornings in London.',
      time_zone: 'Europe/London',
      layers: [
        { name: 'Weekly', members: [id('alice'), id('bob')], rotation: { unit: 'week', count: 1, handoff_time: '09:00', weekday: 'monday' }, start: monday },
        {
          name: 'Night backup',
          role: 'backup',
          members: [id('bob'), id('alice')],
          rotation: { unit: 'day', count: 1, handoff_time: '20:00' },
          start: monday,
          restrictions: { kind: 'daily', windows: [{ start: '20:00', end: '08:00' }] },
        },
      ],
    });
    const payments = await this.expect(201, 'POST', '/api/v1/schedules', {
      name: 'Payments follow-the-sun',
      team_id: teams.get('payments'),
      description: 'Daily handoff between New York and Singapore.',
      time_zone: 'America/New_York',
      layers: [{ name: 'Daily', members: [id('carol'), id('dan')], rotation: { unit: 'day', count: 1, handoff_time: '08:00' }, start: monday }],
    });
    const tomorrow = Math.floor(this.realNow / DAY) * DAY + DAY;
    await this.expect(201, 'POST', `/api/v1/schedules/${String(payments.id)}/overrides`, { person_id: id('dan'), start: tomorrow + 13 * HOUR, end: tomorrow + 21 * HOUR });
    return new Map([
      ['platform', String(platform.id)],
      ['payments', String(payments.id)],
    ]);
  }

  /** Channels with their integrations, rules and noise settings; returns integration keys by channel key. */
  private async channels(teams: Map<string, string>, schedules: Map<string, string>, people: Map<string, string>): Promise<Map<string, { source: string; key: string }>> {
    const keys = new Map<string, { source: string; key: string }>();
    const level = (targets: Record<string, unknown>, escalateAfter: number) => ({ targets, methods: { kind: 'preferences' }, escalate_after_min: escalateAfter });
    const plan = [
      { key: 'kubernetes', name: 'Kubernetes production', team: 'platform', private: false, source: 'prometheus', schedule: 'platform', lead: 'bob' },
      { key: 'databases', name: 'Databases', team: 'platform', private: false, source: 'zabbix', schedule: 'platform', lead: 'alice' },
      { key: 'payments', name: 'Payments API', team: 'payments', private: true, source: 'grafana', schedule: 'payments', lead: 'carol' },
    ] as const;
    for (const entry of plan) {
      const channel = await this.expect(201, 'POST', '/api/v1/channels', { name: entry.name, team_id: teams.get(entry.team), private: entry.private });
      const channelId = String(channel.id);
      const integration = await this.expect(201, 'POST', `/api/v1/channels/${channelId}/integrations`, { name: `${entry.name} (${entry.source})`, source: entry.source });
      keys.set(entry.key, { source: entry.source, key: String(integration.integration_key) });
      await this.expect(201, 'POST', `/api/v1/channels/${channelId}/escalation-rules`, {
        name: 'On-call, then the team lead',
        spec: { levels: [level({ schedules: [{ id: schedules.get(entry.schedule) }] }, 15), level({ people: [people.get(entry.lead)] }, 30)] },
      });
      if (entry.key === 'kubernetes') {
        await this.expect(200, 'PUT', `/api/v1/channels/${channelId}/noise-reduction`, {
          grouping: { mode: 'rules', by: ['labels.alertname', 'labels.namespace'], window: { minutes: 60, kind: 'sliding' } },
        });
      }
      if (entry.key === 'databases') {
        await this.expect(201, 'POST', `/api/v1/channels/${channelId}/silences`, {
          name: 'Sunday night maintenance window',
          spec: { filter: [], time: { kind: 'weekly', time_zone: 'Europe/London', windows: [{ days: [7], start: '02:00', end: '04:00' }] } },
        });
      }
    }
    return keys;
  }

  /** Replays the story's events at their times, with acknowledgements and resolutions by the on-call. */
  private async history(integrations: Map<string, { source: string; key: string }>): Promise<number> {
    const start = this.clock.now();
    const numbers = new Map<string, string>();
    const steps = [...DEMO_STORY].sort((a, b) => a.atHours - b.atHours);
    for (const step of steps) {
      const at = start + step.atHours * HOUR;
      if (at > this.realNow) break;
      await this.tocsin.engine.runUntil(at, (instant) => this.clock.set(instant));
      if (step.kind === 'event') await this.push(integrations, step);
      else await this.act(numbers, step.incident, step.kind, step.kind === 'comment' ? step.text : undefined);
      if (step.kind === 'event' && step.status !== 'Ok') {
        // A silenced or grouped alert opens no incident of its own: map the story key to the newest
        // incident only when that incident is this alert's.
        const listed = await this.call('GET', '/api/v1/incidents?limit=1');
        const newest = (listed.body.data as { id: string; title: string }[] | undefined)?.[0];
        if (newest && newest.title.includes(step.title) && ![...numbers.values()].includes(newest.id)) numbers.set(step.incident, newest.id);
      }
    }
    await this.tocsin.engine.runUntil(this.realNow, (instant) => this.clock.set(instant));
    return numbers.size;
  }

  private async push(integrations: Map<string, { source: string; key: string }>, event: DemoEvent): Promise<void> {
    const target = integrations.get(event.channel);
    if (!target) throw new Error(`demo story names an unknown channel ${event.channel}`);
    const now = this.clock.now();
    const firing = event.status !== 'Ok';
    const labels = { ...event.labels, severity: event.status.toLowerCase() };
    const bodies: Record<string, unknown> = {
      prometheus: {
        version: '4',
        status: firing ? 'firing' : 'resolved',
        receiver: 'tocsin',
        groupLabels: {},
        commonLabels: labels,
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example.com',
        alerts: [
          {
            status: firing ? 'firing' : 'resolved',
            labels: { alertname: event.title, ...labels },
            annotations: { summary: event.title, description: event.description },
            startsAt: new Date(now).toISOString(),
            endsAt: firing ? '0001-01-01T00:00:00Z' : new Date(now).toISOString(),
            fingerprint: event.incident,
          },
        ],
      },
      zabbix: {
        event_id: event.incident,
        event_value: firing ? '1' : '0',
        event_name: event.title,
        event_severity: event.status === 'Critical' ? 'High' : event.status === 'Warning' ? 'Average' : 'Information',
        trigger_description: event.description,
        host_name: event.labels.host ?? 'db-01',
        event_tags: Object.entries(event.labels).map(([tag, value]) => ({ tag, value })),
      },
      grafana: {
        receiver: 'tocsin',
        status: firing ? 'firing' : 'resolved',
        alerts: [
          {
            status: firing ? 'firing' : 'resolved',
            labels: { alertname: event.title, ...labels },
            annotations: { summary: event.title, description: event.description },
            startsAt: new Date(now).toISOString(),
            endsAt: firing ? '0001-01-01T00:00:00Z' : new Date(now).toISOString(),
            fingerprint: event.incident,
          },
        ],
      },
    };
    const response = await this.tocsin.app.inject({ method: 'POST', url: `/event/push/alert/${target.source}?integration_key=${target.key}`, payload: bodies[target.source] as object });
    if (response.statusCode >= 300) throw new Error(`demo event "${event.title}" was refused: ${response.body}`);
  }

  private async act(incidents: Map<string, string>, key: string, action: 'ack' | 'resolve' | 'comment', text?: string): Promise<void> {
    const id = incidents.get(key);
    if (!id) return;
    if (action === 'comment') await this.call('POST', `/api/v1/incidents/${id}/comments`, { body: text ?? '' });
    else await this.call('POST', `/api/v1/incidents/${id}/${action}`, action === 'resolve' ? { root_cause: text ?? '' } : {});
  }

  private async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<Call> {
    const response = await this.tocsin.app.inject({
      method,
      url,
      headers: { ...(this.key ? { authorization: `Bearer ${this.key}` } : {}) },
      ...(payload ? { payload } : {}),
    });
    const body = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
    return { status: response.statusCode, body };
  }

  /** A call that must succeed with `status`; anything else stops the demo with the server's reason. */
  private async expect(status: number, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<Record<string, unknown>> {
    const result = await this.call(method, url, payload);
    if (result.status !== status) throw new Error(`demo: ${method} ${url} answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result.body;
  }
}
