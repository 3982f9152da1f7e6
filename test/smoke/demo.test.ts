import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/demo.js';
import { sendTestEvent } from '../../src/app/send.js';
import { buildTocsin, createLogger } from '../../src/app/wire.js';
import { createTestDatabase, testDialects } from '../harness/databases.js';
import { Harness, type IncidentView } from '../harness/tocsin.js';
import { ApiClient } from '../harness/client.js';

const run = promisify(execFile);
const dialects = await testDialects();
const TSX = ['--import', 'tsx', 'src/main.ts'];
const DAY = 86_400_000;

describe.each(dialects)('tocsin demo and tocsin send on %s', (dialect) => {
  let h: Harness;
  let admin: ApiClient;
  let password = '';
  beforeAll(async () => {
    h = await Harness.start(dialect, { skipSetup: true });
    const result = await seedDemo(buildTocsin, h.tocsin.config, createLogger({ logLevel: 'silent' }), { now: h.clock.now() });
    expect(result.admin?.email).toBe('admin@example.com');
    password = result.admin?.password ?? '';
    admin = h.client();
    const login = await admin.post('/api/v1/auth/login', { email: 'admin@example.com', password });
    expect(login.status).toBe(200);
  }, 120_000);
  afterAll(async () => h?.stop());

  it('creates the first admin with a random password, and teams with people in them', async () => {
    expect(password).toMatch(/^[\w-]{16}$/);
    const teams = (await admin.get<{ data: { id: string; name: string }[] }>('/api/v1/teams?limit=100')).body.data;
    expect(teams.map((team) => team.name).sort()).toEqual(['Payments (demo)', 'Platform (demo)']);
    const people = (await admin.get<{ data: { email: string }[] }>('/api/v1/users?limit=100')).body.data;
    expect(people).toHaveLength(5);
  });

  it('gives every schedule someone on call now, and an override in the future', async () => {
    const schedules = (await admin.get<{ data: { id: string; name: string }[] }>('/api/v1/schedules?limit=100')).body.data;
    expect(schedules).toHaveLength(2);
    for (const schedule of schedules) {
      const onCall = await admin.get<Record<string, unknown>>(`/api/v1/schedules/${schedule.id}/on-call`);
      expect(onCall.status).toBe(200);
      expect(JSON.stringify(onCall.body)).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    }
    const withOverrides = await Promise.all(schedules.map(async (s) => (await admin.get<{ data: unknown[] }>(`/api/v1/schedules/${s.id}/overrides`)).body.data.length));
    expect(withOverrides.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('sets up three channels with integrations of three sources, a rule each and a silence', async () => {
    const channels = (await admin.get<{ data: { id: string; name: string; private: boolean }[] }>('/api/v1/channels?limit=100')).body.data;
    expect(channels.map((c) => c.name).sort()).toEqual(['Databases', 'Kubernetes production', 'Payments API']);
    const sources: string[] = [];
    let silences = 0;
    for (const channel of channels) {
      const integrations = (await admin.get<{ data: { source: string }[] }>(`/api/v1/channels/${channel.id}/integrations`)).body.data;
      sources.push(...integrations.map((i) => i.source));
      const rules = (await admin.get<{ data: unknown[] }>(`/api/v1/channels/${channel.id}/escalation-rules`)).body.data;
      expect(rules).toHaveLength(1);
      silences += (await admin.get<{ data: unknown[] }>(`/api/v1/channels/${channel.id}/silences`)).body.data.length;
    }
    expect(sources.sort()).toEqual(['grafana', 'prometheus', 'zabbix']);
    expect(silences).toBe(1);
  });

  it('replays days of incidents at their own times, leaving one being worked on and one new', async () => {
    const incidents = (await admin.get<{ data: IncidentView[] }>('/api/v1/incidents?limit=100')).body.data;
    expect(incidents.length).toBeGreaterThanOrEqual(10);
    const days = new Set(incidents.map((incident) => Math.floor((h.clock.now() - incident.created_at) / DAY)));
    expect(days.size).toBeGreaterThanOrEqual(4);
    expect(incidents.every((incident) => incident.created_at < h.clock.now())).toBe(true);
    const statuses = incidents.map((incident) => incident.status);
    expect(statuses.filter((status) => status === 'triggered')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'processing')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'closed').length).toBeGreaterThanOrEqual(8);
    const grouped = incidents.find((incident) => incident.title === 'KubePodCrashLooping');
    expect(grouped?.alert_count).toBe(2);
  });

  it('pages nobody', async () => {
    const incidents = (await admin.get<{ data: IncidentView[] }>('/api/v1/incidents?limit=100')).body.data;
    for (const incident of incidents) {
      const deliveries = (await admin.get<{ data: { status: string }[] }>(`/api/v1/incidents/${incident.id}/deliveries`)).body.data;
      expect(deliveries.filter((d) => d.status === 'sent' || d.status === 'delivered')).toEqual([]);
    }
  });

  it('refuses to seed twice and changes nothing', async () => {
    await expect(seedDemo(buildTocsin, h.tocsin.config, createLogger({ logLevel: 'silent' }), { now: h.clock.now() })).rejects.toThrow(/already there/);
    const teams = (await admin.get<{ data: unknown[] }>('/api/v1/teams?limit=100')).body.data;
    expect(teams).toHaveLength(2);
  });

  it('offers the same to admins through the API, once', async () => {
    const again = await admin.post('/api/v1/demo', {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'Conflict' } });
  });

  it('tocsin send fires a test event that opens an incident, and recovers it with --severity Ok', { timeout: 120_000 }, async () => {
    const channels = (await admin.get<{ data: { id: string; name: string }[] }>('/api/v1/channels?limit=100')).body.data;
    const payments = channels.find((c) => c.name === 'Payments API');
    const created = await admin.post<{ integration_key: string }>(`/api/v1/channels/${payments?.id}/integrations`, { name: 'CLI checks', source: 'standard' });
    const key = created.body.integration_key;
    const sent = await sendTestEvent({ baseUrl: h.url, integrationKey: key, severity: 'critical', title: 'Checking the pager' });
    const open = (await admin.get<{ data: IncidentView[] }>(`/api/v1/incidents?channel_id=${payments?.id}&status=triggered`)).body.data;
    const incident = open.find((i) => i.title === 'Checking the pager');
    expect(incident).toMatchObject({ severity: 'Critical', status: 'triggered' });
    await sendTestEvent({ baseUrl: h.url, integrationKey: key, severity: 'Ok', alertKey: sent.alertKey });
    const alerts = (await admin.get<{ data: { title: string; status: string }[] }>(`/api/v1/incidents/${incident?.id}/alerts`)).body.data;
    expect(alerts).toMatchObject([{ title: 'Checking the pager', status: 'Ok' }]);
    await expect(sendTestEvent({ baseUrl: h.url, integrationKey: key, severity: 'loud' })).rejects.toThrow(/--severity must be one of/);
    await expect(sendTestEvent({ baseUrl: h.url, integrationKey: '0'.repeat(32) })).rejects.toThrow(/answered 4\d\d/);

    if (dialect === 'sqlite') {
      // The same through the command line, as a user types it.
      const cli = await run('node', [...TSX, 'send', '--integration-key', key, '--severity', 'warning', '--title', 'From the CLI', '--url', h.url]);
      expect(cli.stdout).toMatch(/sent: alert key tocsin-send-[0-9a-f]{8}/);
      const listed = (await admin.get<{ data: IncidentView[] }>(`/api/v1/incidents?channel_id=${payments?.id}`)).body.data;
      expect(listed.map((i) => i.title)).toContain('From the CLI');
    }
  });
});

describe('the demo button of an empty console', () => {
  it('seeds as the admin who asked, and refuses responders', async () => {
    const h = await Harness.start('sqlite');
    try {
      const { client: responder } = await h.person('responder');
      expect((await responder.post('/api/v1/demo', {})).status).toBe(403);
      const seeded = await h.admin.post<{ teams: number; channels: number; incidents: number }>('/api/v1/demo', {});
      expect(seeded.status).toBe(201);
      expect(seeded.body).toMatchObject({ teams: 2, channels: 3 });
      expect(seeded.body.incidents).toBeGreaterThanOrEqual(10);
      const incidents = (await h.admin.get<{ data: IncidentView[] }>('/api/v1/incidents?limit=100')).body.data;
      expect(incidents.length).toBe(seeded.body.incidents);
      // The admin who pressed the button is a member of both demo teams.
      const me = (await h.admin.get<{ id: string }>('/api/v1/me')).body;
      const teams = (await h.admin.get<{ data: { id: string }[] }>('/api/v1/teams?limit=100')).body.data;
      for (const team of teams) {
        const detail = await h.admin.get<{ members: { id: string }[] }>(`/api/v1/teams/${team.id}`);
        expect(JSON.stringify(detail.body)).toContain(me.id);
      }
    } finally {
      await h.stop();
    }
  }, 120_000);
});

describe('tocsin demo on the command line', () => {
  it('seeds an empty SQLite database and prints how to sign in', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const env = { ...process.env, TOCSIN_DATA_DIR: database.dataDir, TOCSIN_DATABASE_URL: '' };
      const { stdout } = await run('node', [...TSX, 'demo'], { env });
      expect(stdout).toMatch(/Created 2 teams, 4 people, 3 channels and \d+ incidents/);
      expect(stdout).toMatch(/sign in at http:\/\/localhost:8080 as admin@example\.com with password \S{16}/i);
    } finally {
      await database.drop();
    }
  }, 120_000);
});
