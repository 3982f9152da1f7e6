import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { migrate, openDatabase, type Db } from '../../src/db/connect.js';
import { enqueueJob, findJob } from '../../src/db/jobs.js';
import { scheduleCleanup } from '../../src/engine/modules/cleanup.js';
import { Engine } from '../../src/engine/engine.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(dialects)('the engine on %s', (dialect) => {
  let database: TestDatabase;
  let first: Db;
  let second: Db;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    first = openDatabase(database);
    await migrate(first);
    second = openDatabase(database);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  it('runs each due job exactly once across two engines working the same database', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const runs = new Map<string, number>();
    const module = {
      kind: 'count',
      async run(job: { key: string }) {
        runs.set(job.key, (runs.get(job.key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 1));
        return { kind: 'done' as const };
      },
    };
    const a = new Engine(first, clock, quiet);
    const b = new Engine(second, clock, quiet);
    a.register(module);
    b.register(module);
    for (let i = 0; i < 300; i += 1) await enqueueJob(first.kysely, { kind: 'count', key: `count:${i}`, runAt: clock.now() - i }, clock.now());
    // Queuing the same key again is a no-op.
    expect(await enqueueJob(first.kysely, { kind: 'count', key: 'count:7', runAt: clock.now() }, clock.now())).toBe(false);
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ranA + ranB).toBe(300);
    expect(runs.size).toBe(300);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('retries a failing job with backoff and re-runs a job whose lease expired', async () => {
    const clock = new ManualClock(Date.UTC(2026, 6, 1));
    let calls = 0;
    const engine = new Engine(first, clock, quiet);
    engine.register({
      kind: 'flaky',
      async run() {
        calls += 1;
        if (calls === 1) throw new Error('provider timeout');
        return { kind: 'done' };
      },
    });
    await enqueueJob(first.kysely, { kind: 'flaky', key: 'flaky:1', runAt: clock.now() }, clock.now());
    await engine.runDue();
    expect(calls).toBe(1);
    await engine.runUntil(clock.now() + 500, (t) => clock.set(t));
    expect(calls).toBe(1);
    await engine.runUntil(clock.now() + 5000, (t) => clock.set(t));
    expect(calls).toBe(2);
  });
});

describe.each(dialects)('idle auto-close on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it('closes an incident after N seconds without a new alert; a merge pushes the deadline', async () => {
    const channel = await h.channel('Idle close');
    await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, {
      grouping: { mode: 'rules', by: ['labels.cluster'], window: { kind: 'off' } },
      auto_close: { when_all_recovered: true, after_idle_seconds: 600 },
    });
    const { key } = await h.integration(channel.id, 'standard');
    const send = (alertKey: string) => h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: alertKey, event_status: 'Warning', alert_key: alertKey, labels: { cluster: 'c1' } });
    await send('first');
    await h.advance('5m');
    await send('second');
    await h.advance('6m');
    expect((await h.incidents(channel.id))[0]?.status).toBe('triggered');
    await h.advance('5m');
    const [incident] = await h.incidents(channel.id);
    expect(incident?.status).toBe('closed');
    const timeline = await h.admin.get<{ data: { kind: string; data: { reason: string } }[] }>(`/api/v1/incidents/${incident?.id}/timeline`);
    expect(timeline.body.data.at(-1)).toMatchObject({ kind: 'resolved', data: { reason: 'no new alert for 600 s' } });
  });

  it('closes the alerts with the incident, so a still-firing alert opens a new incident and pages again', async () => {
    const channel = await h.channel('Idle close reopen');
    await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, { auto_close: { when_all_recovered: true, after_idle_seconds: 300 } });
    const { key } = await h.integration(channel.id, 'standard');
    const send = () => h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Still firing', event_status: 'Critical', alert_key: 'still-firing' });
    expect((await send()).status).toBe(200);
    await h.advance('6m');
    const [closed] = await h.incidents(channel.id);
    expect(closed?.status).toBe('closed');
    expect((await h.alerts(channel.id)).map((a) => a.status)).toEqual(['Ok']);
    expect((await send()).status).toBe(200);
    const incidents = await h.incidents(channel.id);
    expect(incidents.map((i) => i.status)).toEqual(['triggered', 'closed']);
  });
});

describe.each(dialects)('turning idle auto-close off again on %s', (dialect) => {
  it('accepts null for after_idle_seconds (JSON null is not coerced to 0)', async () => {
    const h = await Harness.start(dialect);
    try {
      const channel = await h.channel('Idle toggle');
      await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, { auto_close: { when_all_recovered: true, after_idle_seconds: 600 } });
      const off = await h.admin.put<{ auto_close: { after_idle_seconds: number | null } }>(`/api/v1/channels/${channel.id}/noise-reduction`, {
        auto_close: { when_all_recovered: true, after_idle_seconds: null },
      });
      expect(off.status).toBe(200);
      expect(off.body.auto_close.after_idle_seconds).toBeNull();
    } finally {
      await h.stop();
    }
  });
});

describe.each(dialects)('retention on %s', (dialect) => {
  it('prunes raw payloads past their retention and keeps newer ones and the alerts', async () => {
    const h = await Harness.start(dialect, { env: { TOCSIN_RAW_EVENT_RETENTION_DAYS: '7' } });
    try {
      const channel = await h.channel('Retention');
      const integration = await h.integration(channel.id, 'standard');
      const push = (key: string) => h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: key, event_status: 'Warning', alert_key: key });
      await push('old');
      await h.advance('3d');
      await push('newer');
      await h.advance('5d');
      const activity = await h.admin.get<{ raw_events: { payload: string }[] }>(`/api/v1/integrations/${integration.id}/activity`);
      expect(activity.body.raw_events.map((r) => (JSON.parse(r.payload) as { alert_key: string }).alert_key)).toEqual(['newer']);
      expect((await h.alerts(channel.id)).map((a) => a.alert_key).sort()).toEqual(['newer', 'old']);
    } finally {
      await h.stop();
    }
  });

  it('keeps the recurring clean-up alive run after run, and revives it when it ended for good', async () => {
    const h = await Harness.start(dialect, { env: { TOCSIN_RAW_EVENT_RETENTION_DAYS: '1' } });
    try {
      const db = h.tocsin.db.kysely;
      // 30 runs, six hours apart: more than the engine's limit of attempts in a row.
      await h.advance('181h');
      const job = await findJob(db, 'cleanup');
      expect(job).toMatchObject({ status: 'pending', attempts: 0 });
      expect(Number(job?.run_at)).toBeGreaterThan(h.clock.now());
      // Ended by an older version (failed for good): the next start-up schedules it again.
      await db.updateTable('jobs').set({ status: 'failed', attempts: 21 }).where('key', '=', 'cleanup').execute();
      await scheduleCleanup(db, h.clock.now());
      expect(await findJob(db, 'cleanup')).toMatchObject({ status: 'pending', attempts: 0 });
      const channel = await h.channel('Retention revived');
      const integration = await h.integration(channel.id, 'standard');
      await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'old', event_status: 'Warning', alert_key: 'old' });
      await h.advance('2d');
      const activity = await h.admin.get<{ raw_events: unknown[] }>(`/api/v1/integrations/${integration.id}/activity`);
      expect(activity.body.raw_events).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
