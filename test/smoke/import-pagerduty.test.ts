/**
 * `import pagerduty` against a fake PagerDuty REST API on 127.0.0.1 (fixtures from its public API
 * reference, paginated two per page): the resolved on-call for 30 days equals PagerDuty's rendering of
 * the same layers, escalation levels and delays match, a re-run changes nothing, a dry run writes nothing.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { FakeVendorApi } from '../harness/peers/fake-vendor-api.js';
import { PD_EXPECTED_AT, PD_OVERRIDES, PD_SCHEDULE, PD_USERS, pagerDutyRoutes } from '../harness/fixtures/pagerduty-account.js';

const dialects = await testDialects();

/** PagerDuty's semantics, written independently of the importer: who is on call at `t` (a PagerDuty user id). */
function pagerDutyOnCall(t: number): string | undefined {
  for (const o of PD_OVERRIDES) if (Date.parse(o.start) <= t && t < Date.parse(o.end)) return o.user.id;
  const zone = PD_SCHEDULE.time_zone;
  const local = DateTime.fromMillis(t, { zone });
  // Highest layer first: the first layer with someone on call wins.
  for (const layer of PD_SCHEDULE.schedule_layers) {
    if (t < Date.parse(layer.start)) continue;
    const secondsOfDay = local.hour * 3600 + local.minute * 60 + local.second;
    const active =
      layer.restrictions.length === 0 ||
      layer.restrictions.some((r) => {
        const [h = 0, m = 0] = r.start_time_of_day.split(':').map(Number);
        return (secondsOfDay - (h * 3600 + m * 60) + 86_400) % 86_400 < r.duration_seconds;
      });
    if (!active) continue;
    const anchor = DateTime.fromISO(layer.rotation_virtual_start, { zone });
    const turns = layer.rotation_turn_length_seconds === 604800 ? Math.floor(local.diff(anchor, 'weeks').weeks) : Math.floor(local.diff(anchor, 'days').days);
    return layer.users[turns % layer.users.length]?.user.id;
  }
  return undefined;
}

interface Report {
  items: { kind: string; name: string; action: string; detail?: string }[];
  unmapped: { kind: string; name: string; reason: string }[];
  replacements: { integration: string; old_url: string; new_url: string }[];
}

describe.each(dialects)('import pagerduty on %s', (dialect) => {
  let h: Harness;
  let pd: FakeVendorApi;
  beforeAll(async () => {
    h = await Harness.start(dialect);
    pd = await FakeVendorApi.start('Token token=pd-secret-token', pagerDutyRoutes);
  });
  afterAll(async () => {
    await pd?.close();
    await h?.stop();
  });

  const TABLES = ['persons', 'teams', 'team_members', 'schedules', 'schedule_overrides', 'channels', 'integrations', 'escalation_rules', 'messages', 'incidents'] as const;
  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await h.tocsin.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      out[table] = Number(row.n);
    }
    return out;
  }
  const runImport = (dryRun: boolean, token = 'pd-secret-token') =>
    h.admin.post<Report>('/api/v1/imports', { vendor: 'pagerduty', url: pd.url, token, dry_run: dryRun });

  it('plans without writing, imports, matches PagerDuty on-call for 30 days, and a re-run changes nothing', async () => {
    // Alice already has a Tocsin account: she is matched by email, not duplicated.
    const alice = await h.admin.post<{ id: string }>('/api/v1/users', { email: 'alice@example.com', name: 'Alice (Tocsin)', role: 'responder' });
    expect(alice.status).toBe(201);
    const before = await counts();

    const plan = await runImport(true);
    expect(plan.status).toBe(200);
    expect(await counts()).toEqual(before);
    expect(plan.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'person', name: 'alice@example.com', action: 'match' }),
        expect.objectContaining({ kind: 'person', name: 'erin@example.com', action: 'create' }),
        expect.objectContaining({ kind: 'schedule', name: 'Primary', action: 'create' }),
        expect.objectContaining({ kind: 'escalation_rule', name: 'Checkout escalation', action: 'create' }),
        expect.objectContaining({ kind: 'integration', name: 'Checkout API / Prometheus', action: 'create' }),
      ]),
    );
    expect(plan.body.unmapped).toEqual([
      expect.objectContaining({ kind: 'integration', name: 'Checkout API / Keynote' }),
      { kind: 'schedule', name: 'Legacy', reason: 'time_zone: must be an IANA time zone such as Europe/Berlin' },
    ]);
    // Every page was read (2 per page): 6 users → 3 pages.
    expect(pd.requests.filter((r) => r.path.startsWith('/users')).map((r) => r.path)).toEqual([
      '/users?include%5B%5D=contact_methods&limit=100&offset=0',
      '/users?include%5B%5D=contact_methods&limit=100&offset=2',
      '/users?include%5B%5D=contact_methods&limit=100&offset=4',
    ]);

    const first = await runImport(false);
    expect(first.status).toBe(200);
    const after = await counts();
    expect(after).toEqual({
      ...before,
      persons: before.persons! + 5,
      teams: before.teams! + 2,
      team_members: before.team_members! + 5,
      schedules: 1,
      schedule_overrides: 1,
      channels: before.channels! + 1,
      integrations: 2,
      escalation_rules: 1,
      messages: 0,
      incidents: 0,
    });

    // People: created unverified, so nobody is paged until they verify.
    const users = (await h.admin.get<{ data: { id: string; email: string; email_verified: boolean; name: string }[] }>('/api/v1/users?limit=100')).body.data;
    const byEmail = new Map(users.map((u) => [u.email, u]));
    expect(byEmail.get('alice@example.com')).toMatchObject({ id: alice.body.id, name: 'Alice (Tocsin)' });
    expect(byEmail.get('erin@example.com')).toMatchObject({ name: 'Erin Estes', email_verified: false });
    const emailOfPd = new Map(PD_USERS.map((u) => [u.id, u.email]));
    const emailOfTocsin = new Map(users.map((u) => [u.id, u.email]));

    // The schedule: 30 days ahead, every half hour, Tocsin's final timeline equals PagerDuty's.
    const schedules = (await h.admin.get<{ data: { id: string; name: string; time_zone: string }[] }>('/api/v1/schedules')).body.data;
    const schedule = schedules.find((s) => s.name === 'Primary');
    expect(schedule?.time_zone).toBe('America/New_York');
    const start = h.clock.now();
    const end = start + 30 * 86_400_000;
    const timeline = await h.admin.get<{ final: { start: number; end: number; role: string; person_ids: string[] }[] }>(`/api/v1/schedules/${schedule?.id}/timeline?start=${start}&end=${end}`);
    expect(timeline.status).toBe(200);
    const tocsinAt = (t: number) => {
      const shift = timeline.body.final.find((s) => s.role === 'primary' && s.start <= t && t < s.end);
      return shift?.person_ids.map((id) => emailOfTocsin.get(id)).join(',');
    };
    let compared = 0;
    for (let t = start; t < end; t += 30 * 60_000) {
      expect({ at: new Date(t).toISOString(), who: tocsinAt(t) }).toEqual({ at: new Date(t).toISOString(), who: emailOfPd.get(pagerDutyOnCall(t) ?? '') });
      compared += 1;
    }
    expect(compared).toBe(30 * 48);
    for (const expected of PD_EXPECTED_AT) expect({ at: expected.at, who: tocsinAt(Date.parse(expected.at)) }).toEqual({ at: expected.at, who: expected.email });

    // Escalation: the service's policy became the channel's rule, levels and delays as in PagerDuty.
    const channels = (await h.admin.get<{ data: { id: string; name: string }[] }>('/api/v1/channels?limit=100')).body.data;
    const channel = channels.find((c) => c.name === 'Checkout API');
    const rules = await h.admin.get<{ data: { name: string; spec: { levels: { targets: Record<string, unknown>; escalate_after_min: number }[]; after_last: unknown } }[] }>(
      `/api/v1/channels/${channel?.id}/escalation-rules`,
    );
    expect(rules.body.data).toHaveLength(1);
    const spec = rules.body.data[0]?.spec;
    expect(spec?.levels.map((l) => l.escalate_after_min)).toEqual([15, 30]);
    expect(spec?.levels[0]?.targets).toEqual({ schedules: [{ id: schedule?.id }] });
    expect(spec?.levels[1]?.targets).toEqual({ people: [alice.body.id, byEmail.get('bob@example.com')?.id] });
    expect(spec?.after_last).toEqual({ kind: 'loop', times: 2 });

    // The replacement table: old PagerDuty URL → the new integration's URL and key.
    const integrations = (await h.admin.get<{ data: { id: string; source: string; integration_key: string }[] }>(`/api/v1/channels/${channel?.id}/integrations`)).body.data;
    const pagerduty = integrations.find((i) => i.source === 'pagerduty');
    expect(first.body.replacements).toEqual([
      { integration: 'Checkout API / Prometheus', old_url: expect.stringContaining('/v2/enqueue (routing_key a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6)'), new_url: `${h.tocsin.config.publicUrl}/v2/enqueue (routing_key ${pagerduty?.integration_key})` },
      { integration: 'Checkout API / Email', old_url: 'checkout@acme.pagerduty.com', new_url: expect.stringContaining('@') },
    ]);

    // A second import: nothing is written, the same URLs come back.
    const second = await runImport(false);
    expect(second.status).toBe(200);
    expect(await counts()).toEqual(after);
    expect(second.body.items.filter((i) => i.action !== 'unchanged' && i.action !== 'match')).toEqual([]);
    expect(second.body.replacements).toEqual(first.body.replacements);
  });

  it('names the problem when the token is wrong, and only admins may import', async () => {
    const refused = await runImport(true, 'wrong-token');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'InvalidParameter', field: 'url', message: expect.stringContaining('HTTP 401 (check the token)') } });
    const { client } = await h.person('responder');
    const forbidden = await client.post('/api/v1/imports', { vendor: 'pagerduty', url: pd.url, token: 'pd-secret-token', dry_run: true });
    expect(forbidden.status).toBe(403);
  });
});
