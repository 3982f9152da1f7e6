/**
 * `import opsgenie` against a fake Opsgenie REST API on 127.0.0.1: every rotation of the schedule is on
 * call at once in Opsgenie, so the importer gives each its own role; per role the resolved on-call for 30
 * days (across the Berlin DST change) equals Opsgenie's; escalation delays become level waits.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';
import { FakeVendorApi } from '../harness/peers/fake-vendor-api.js';
import { OG_OVERRIDES, OG_SCHEDULE, OG_USERS, opsgenieRoutes } from '../harness/fixtures/opsgenie-account.js';

const dialects = await testDialects();

/** Opsgenie's semantics, independent of the importer: who each rotation has on call at `t`. */
function opsgenieOnCall(t: number): Record<string, string | undefined> {
  const zone = OG_SCHEDULE.timezone;
  const local = DateTime.fromMillis(t, { zone });
  const [weekly, business] = OG_SCHEDULE.rotations;
  const override = OG_OVERRIDES.find((o) => Date.parse(o.startDate) <= t && t < Date.parse(o.endDate));
  const weeks = Math.floor(local.diff(DateTime.fromISO(weekly?.startDate ?? '', { zone }), 'weeks').weeks);
  const days = Math.floor(local.diff(DateTime.fromISO(business?.startDate ?? '', { zone }), 'days').days);
  const inHours = local.hour >= 9 && local.hour < 17;
  return {
    primary: override ? override.user.id : weekly?.participants[weeks % 2]?.id,
    'rotation-2': inHours ? business?.participants[days % 2]?.id : undefined,
  };
}

describe.each(dialects)('import opsgenie on %s', (dialect) => {
  let h: Harness;
  let og: FakeVendorApi;
  beforeAll(async () => {
    h = await Harness.start(dialect);
    og = await FakeVendorApi.start('GenieKey og-api-key', opsgenieRoutes);
  });
  afterAll(async () => {
    await og?.close();
    await h?.stop();
  });
  const count = async (table: 'persons' | 'schedules' | 'escalation_rules' | 'integrations' | 'schedule_overrides' | 'channels') =>
    Number((await h.tocsin.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const runImport = (dryRun: boolean) => h.admin.post<{ items: { kind: string; action: string }[]; unmapped: { name: string; reason: string }[] }>('/api/v1/imports', { vendor: 'opsgenie', url: og.url, token: 'og-api-key', dry_run: dryRun });

  it('imports rotations as roles, matches Opsgenie for 30 days, turns delays into levels, and re-runs idempotently', async () => {
    const plan = await runImport(true);
    expect(plan.status).toBe(200);
    expect(await count('schedules')).toBe(0);
    expect(plan.body.unmapped).toEqual([expect.objectContaining({ name: 'Cron heartbeat' })]);

    expect((await runImport(false)).status).toBe(200);
    expect({ persons: await count('persons'), schedules: await count('schedules'), overrides: await count('schedule_overrides'), rules: await count('escalation_rules'), integrations: await count('integrations') }).toEqual({
      persons: 4,
      schedules: 1,
      overrides: 1,
      rules: 1,
      integrations: 2,
    });
    const users = (await h.admin.get<{ data: { id: string; email: string }[] }>('/api/v1/users?limit=100')).body.data;
    const email = new Map(users.map((u) => [u.id, u.email]));
    const ogEmail = new Map(OG_USERS.map((u) => [u.id, u.username]));
    const schedule = (await h.admin.get<{ data: { id: string; name: string }[] }>('/api/v1/schedules')).body.data.find((s) => s.name === 'Platform on-call');
    const start = h.clock.now();
    const end = start + 30 * 86_400_000;
    const timeline = (await h.admin.get<{ final: { start: number; end: number; role: string; person_ids: string[] }[] }>(`/api/v1/schedules/${schedule?.id}/timeline?start=${start}&end=${end}`)).body.final;
    let compared = 0;
    for (let t = start; t < end; t += 30 * 60_000) {
      const expected = opsgenieOnCall(t);
      for (const role of ['primary', 'rotation-2']) {
        const shift = timeline.find((s) => s.role === role && s.start <= t && t < s.end);
        expect({ at: new Date(t).toISOString(), role, who: shift?.person_ids.map((id) => email.get(id)).join(',') }).toEqual({ at: new Date(t).toISOString(), role, who: ogEmail.get(expected[role] ?? '') });
        compared += 1;
      }
    }
    expect(compared).toBe(2 * 30 * 48);

    const channel = (await h.admin.get<{ data: { id: string; name: string }[] }>('/api/v1/channels?limit=100')).body.data.find((c) => c.name === 'Platform alerts');
    const rule = (await h.admin.get<{ data: { spec: { levels: { targets: Record<string, unknown>; escalate_after_min: number }[]; after_last: unknown } }[] }>(`/api/v1/channels/${channel?.id}/escalation-rules`)).body.data[0];
    expect(rule?.spec.levels.map((l) => l.escalate_after_min)).toEqual([10, 15, 5]);
    expect(rule?.spec.levels.map((l) => Object.keys(l.targets))).toEqual([['schedules'], ['people'], ['teams']]);
    expect(rule?.spec.after_last).toEqual({ kind: 'loop', times: 2 });

    const again = await runImport(false);
    expect(again.body.items.filter((i) => i.action !== 'unchanged' && i.action !== 'match')).toEqual([]);
    expect({ persons: await count('persons'), schedules: await count('schedules'), overrides: await count('schedule_overrides'), rules: await count('escalation_rules'), integrations: await count('integrations') }).toEqual({
      persons: 4,
      schedules: 1,
      overrides: 1,
      rules: 1,
      integrations: 2,
    });
  });
});
