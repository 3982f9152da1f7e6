/**
 * `import grafana-oncall` against a fake Grafana OnCall API on 127.0.0.1: shifts by level become layers,
 * the resolved on-call for 30 days (across the London DST change) equals OnCall's, the chain's waits
 * become level delays, and the new inbound URL takes the same Alertmanager push.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { FakeVendorApi } from '../harness/peers/fake-vendor-api.js';
import { GO_SHIFTS, GO_USERS, grafanaOncallRoutes } from '../harness/fixtures/grafana-oncall-account.js';

const dialects = await testDialects();

/** OnCall's semantics, independent of the importer: the override, then the highest level on call. */
function oncallAt(t: number): string | undefined {
  const zone = 'Europe/London';
  const local = DateTime.fromMillis(t, { zone });
  const [daily, evenings, cover] = GO_SHIFTS;
  const coverStart = DateTime.fromISO(cover?.start ?? '', { zone }).toMillis();
  if (t >= coverStart && t < coverStart + (cover?.duration ?? 0) * 1000) return cover?.rolling_users[0]?.[0];
  const eveningStart = DateTime.fromISO(evenings?.start ?? '', { zone });
  if (t >= eveningStart.toMillis() && local.hour >= 18) {
    const users = evenings?.rolling_users ?? [];
    return users[Math.floor(local.diff(eveningStart, 'days').days) % users.length]?.[0];
  }
  const users = daily?.rolling_users ?? [];
  const d = Math.floor(local.diff(DateTime.fromISO(daily?.start ?? '', { zone }), 'days').days) + (daily?.start_rotation_from_user_index ?? 0);
  return users[d % users.length]?.[0];
}

describe.each(dialects)('import grafana-oncall on %s', (dialect) => {
  let h: Harness;
  let oncall: FakeVendorApi;
  beforeAll(async () => {
    h = await Harness.start(dialect);
    oncall = await FakeVendorApi.start('oncall-token', grafanaOncallRoutes);
  });
  afterAll(async () => {
    await oncall?.close();
    await h?.stop();
  });
  const runImport = (dryRun: boolean) =>
    h.admin.post<{ items: { action: string }[]; unmapped: { name: string }[]; replacements: { old_url: string; new_url: string }[] }>('/api/v1/imports', { vendor: 'grafana-oncall', url: oncall.url, token: 'oncall-token', dry_run: dryRun });
  const schedulesCount = async () => Number((await h.tocsin.db.kysely.selectFrom('schedules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('imports shifts, matches OnCall for 30 days, maps the chain, and the new inbound URL opens incidents', async () => {
    const plan = await runImport(true);
    expect(plan.status).toBe(200);
    expect(await schedulesCount()).toBe(0);
    expect(plan.body.unmapped.map((u) => u.name)).toContain('Zabbix');

    const imported = await runImport(false);
    expect(imported.status).toBe(200);
    const users = (await h.admin.get<{ data: { id: string; email: string }[] }>('/api/v1/users?limit=100')).body.data;
    const email = new Map(users.map((u) => [u.id, u.email]));
    const goEmail = new Map(GO_USERS.map((u) => [u.id, u.email]));
    const schedule = (await h.admin.get<{ data: { id: string; name: string }[] }>('/api/v1/schedules')).body.data.find((s) => s.name === 'Web on-call');
    const start = h.clock.now();
    const end = start + 30 * 86_400_000;
    const timeline = (await h.admin.get<{ final: { start: number; end: number; person_ids: string[] }[] }>(`/api/v1/schedules/${schedule?.id}/timeline?start=${start}&end=${end}`)).body.final;
    let compared = 0;
    for (let t = start; t < end; t += 30 * 60_000) {
      const shift = timeline.find((s) => s.start <= t && t < s.end);
      expect({ at: new Date(t).toISOString(), who: shift?.person_ids.map((id) => email.get(id)).join(',') }).toEqual({ at: new Date(t).toISOString(), who: goEmail.get(oncallAt(t) ?? '') });
      compared += 1;
    }
    expect(compared).toBe(30 * 48);

    const channel = (await h.admin.get<{ data: { id: string; name: string }[] }>('/api/v1/channels?limit=100')).body.data.find((c) => c.name === 'Prod Alertmanager');
    const rule = (await h.admin.get<{ data: { spec: { levels: { targets: Record<string, unknown>; escalate_after_min: number }[]; after_last: unknown } }[] }>(`/api/v1/channels/${channel?.id}/escalation-rules`)).body.data[0];
    expect(rule?.spec.levels.map((l) => l.escalate_after_min)).toEqual([15, 10, 1]);
    expect(rule?.spec.levels.map((l) => Object.keys(l.targets))).toEqual([['schedules'], ['people'], ['teams']]);
    expect(rule?.spec.after_last).toEqual({ kind: 'loop', times: 5 });

    // Switching is changing the host and the token: the new URL takes the same push.
    const [replacement] = imported.body.replacements;
    expect(replacement?.old_url).toBe('https://oncall.example.com/integrations/v1/alertmanager/mReAoNwDm0eMwKo1mTeTwYo/');
    expect(replacement?.new_url).toMatch(new RegExp(`^${h.tocsin.config.publicUrl}/integrations/v1/alertmanager/[0-9a-f]{32}/$`));
    const pushed = await h.push(new URL(replacement?.new_url ?? '').pathname, {
      version: '4',
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: 'Down', severity: 'critical' }, annotations: { summary: 'Web down' }, startsAt: '2026-03-02T08:00:00Z', fingerprint: 'f00d' }],
    });
    expect(pushed.status).toBe(200);
    expect((await h.incidents(channel?.id ?? ''))[0]).toMatchObject({ title: 'Web down', status: 'triggered' });

    const again = await runImport(false);
    expect(again.body.items.filter((i) => i.action !== 'unchanged' && i.action !== 'match')).toEqual([]);
    expect(await schedulesCount()).toBe(1);
  });
});
