import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio } from '../harness/peers/fake-twilio.js';

const dialects = await testDialects();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// The harness clock starts on 2026-03-02 09:00 UTC; the seeded month starts the next midnight.
const START = Date.UTC(2026, 2, 3);
const DAYS = 30;
const SERVICES = ['api', 'db', 'web'];
// Asia/Tokyo: UTC+9 all year, so the expected local hours need no time-zone library.
const TOKYO_OFFSET = 9 * HOUR;

interface Planned {
  readonly at: number;
  readonly name: string;
  readonly service: string;
  readonly ackMin: number | null;
  readonly resolveMin: number | null;
}

/** Two incidents a day at scattered hours; most acknowledged, most resolved, all deterministic. */
function plan(): Planned[] {
  const out: Planned[] = [];
  for (let d = 0; d < DAYS; d += 1) {
    for (let k = 0; k < 2; k += 1) {
      const ackMin = (d + k) % 4 === 0 ? null : ((d * 7 + k * 3) % 20) + 1;
      out.push({
        at: START + d * DAY + ((d * 5 + k * 11) % 24) * HOUR + ((d * 13 + k * 29) % 60) * MINUTE,
        name: `d${d}k${k}`,
        service: SERVICES[d % 3] ?? 'api',
        ackMin,
        resolveMin: (d + k) % 5 === 0 ? null : (ackMin ?? 0) + ((d * 11 + k) % 90) + 10,
      });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Work Mon–Fri 09–18, sleep 22–07, the rest off — from a fixed UTC offset. */
function periodInTokyo(at: number): 'work' | 'off' | 'sleep' {
  const local = new Date(at + TOKYO_OFFSET);
  const hour = local.getUTCHours();
  const weekday = local.getUTCDay();
  if (hour >= 22 || hour < 7) return 'sleep';
  return weekday >= 1 && weekday <= 5 && hour >= 9 && hour < 18 ? 'work' : 'off';
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe.each(dialects)('analytics over a seeded month on %s', (dialect) => {
  let h: Harness;
  let twilio: FakeTwilio;
  let alice: { person: Person; client: ApiClient };
  let outsider: ApiClient;
  let channelId: string;
  const planned = plan();

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    twilio = await FakeTwilio.start();
    await h.provider('twilio_sms', 'Twilio SMS', { account_sid: FAKE_ACCOUNT_SID, auth_token: FAKE_AUTH_TOKEN, from: '+15005550006', api_base: twilio.url });
    alice = await h.person('responder', 'Alice Tokyo');
    outsider = (await h.person('responder', 'Outsider')).client;
    await alice.client.patch('/api/v1/me', { phone: '+14155550100', time_zone: 'Asia/Tokyo' });
    await alice.client.post('/api/v1/me/verifications', { kind: 'phone' });
    await h.advance('0s');
    const sms = await twilio.waitForMessage((m) => m.to === '+14155550100' && /\d{6}/.test(m.body));
    await alice.client.post('/api/v1/me/verifications/confirm', { kind: 'phone', code: /(\d{6})/.exec(sms.body)?.[1] });
    await alice.client.put('/api/v1/me/notification-preferences', { Critical: ['sms'], Warning: ['sms'], Info: ['sms'] });
    // API keys: a month of clock jumps outlives any session.
    const aliceKey = (await alice.client.post<{ key: string }>('/api/v1/me/api-keys', { name: 'seed' })).body.key;
    alice = { ...alice, client: alice.client.withApiKey(aliceKey) };
    outsider = outsider.withApiKey((await outsider.post<{ key: string }>('/api/v1/me/api-keys', { name: 'seed' })).body.key);

    const channel = await h.channel('Analysed');
    channelId = channel.id;
    await h.admin.put(`/api/v1/channels/${channel.id}/noise-reduction`, { grouping: { mode: 'rules', by: ['labels.group'] } });
    await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, {
      name: 'Alice',
      spec: { levels: [{ targets: { people: [alice.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }] },
    });
    const { key } = await h.integration(channel.id, 'standard');
    const hidden = await h.channel('Hidden', { private: true });
    const hiddenKey = (await h.integration(hidden.id, 'standard')).key;
    const push = (integrationKey: string, body: object) => h.push(`/event/push/alert/standard?integration_key=${integrationKey}`, body);

    const actions: { at: number; run: () => Promise<unknown> }[] = [];
    const incidentIds = new Map<string, string>();
    for (const p of planned) {
      const labels = { group: p.name, service: p.service };
      actions.push({
        at: p.at,
        run: async () => {
          await push(key, { title_rule: `${p.name} first`, event_status: 'Critical', alert_key: `a-${p.name}`, labels });
          await h.advance('0s');
          const newest = await h.admin.get<{ data: { id: string }[] }>(`/api/v1/incidents?channel_id=${channel.id}&limit=1`);
          incidentIds.set(p.name, newest.body.data[0]?.id ?? '');
          await push(key, { title_rule: `${p.name} second`, event_status: 'Warning', alert_key: `b-${p.name}`, labels });
          // An exact repeat: dedup keeps it out of the alert count but it is an event.
          await push(key, { title_rule: `${p.name} first`, event_status: 'Critical', alert_key: `a-${p.name}`, labels });
        },
      });
      const incidentOf = async () => Promise.resolve(incidentIds.get(p.name) ?? '');
      if (p.ackMin !== null) actions.push({ at: p.at + p.ackMin * MINUTE, run: async () => expect((await alice.client.post(`/api/v1/incidents/${await incidentOf()}/ack`)).status).toBe(200) });
      if (p.resolveMin !== null) actions.push({ at: p.at + p.resolveMin * MINUTE, run: async () => expect((await h.admin.post(`/api/v1/incidents/${await incidentOf()}/resolve`, {})).status).toBe(200) });
    }
    actions.push({ at: START + HOUR, run: () => push(hiddenKey, { title_rule: 'hidden', event_status: 'Info', alert_key: 'hidden' }) });
    actions.sort((a, b) => a.at - b.at);
    for (const action of actions) {
      const wait = action.at - h.clock.now();
      if (wait > 0) await h.advance(`${wait}ms`);
      await action.run();
    }
  }, 240_000);
  afterAll(async () => {
    await h?.stop();
    await twilio?.close();
  });

  const range = `from=${new Date(START).toISOString()}&to=${START + DAYS * DAY}`;

  it('computes counts, MTTA, MTTR, noise reduction and response rate', async () => {
    const acked = planned.filter((p) => p.ackMin !== null);
    const resolved = planned.filter((p) => p.resolveMin !== null);
    const summary = await h.admin.get<Record<string, number>>(`/api/v1/analytics/summary?${range}&channel_id=${channelId}`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ incidents: planned.length, alerts: planned.length * 2, events: planned.length * 3, acknowledged: acked.length, closed: resolved.length });
    expect(summary.body.mtta_s).toBeCloseTo(mean(acked.map((p) => (p.ackMin ?? 0) * 60)), 0);
    expect(summary.body.mttr_s).toBeCloseTo(mean(resolved.map((p) => (p.resolveMin ?? 0) * 60)), 0);
    expect(summary.body.noise_reduction).toBeCloseTo(1 - planned.length / (planned.length * 2), 4);
    expect(summary.body.event_noise_reduction).toBeCloseTo(1 - 2 / 3, 3);
    expect(summary.body.response_rate).toBeCloseTo(acked.length / planned.length, 3);

    // The private channel counts for an administrator, never for someone outside it.
    expect((await h.admin.get<{ incidents: number }>(`/api/v1/analytics/summary?${range}`)).body.incidents).toBe(planned.length + 1);
    expect((await outsider.get<{ incidents: number }>(`/api/v1/analytics/summary?${range}`)).body.incidents).toBe(planned.length);
    expect((await h.admin.get(`/api/v1/analytics/summary?from=yesterday`)).status).toBe(400);
  });

  it('splits interruptions by work, off and sleep hours in the person’s time zone', async () => {
    const expected = { work: 0, off: 0, sleep: 0 };
    for (const p of planned) expected[periodInTokyo(p.at)] += 1;
    expect(expected.work * expected.off * expected.sleep).toBeGreaterThan(0);
    const rows = await h.admin.get<{ data: { person_id: string; total: number; work: number; off: number; sleep: number }[] }>(`/api/v1/analytics/interruptions?${range}`);
    const row = rows.body.data.find((r) => r.person_id === alice.person.id);
    expect(row).toEqual(expect.objectContaining({ total: planned.length, ...expected }));
  });

  it('breaks figures down by label and person, and exports CSV', async () => {
    const byService = await h.admin.get<{ data: { key: string; incidents: number; mtta_s: number | null }[] }>(`/api/v1/analytics/breakdown?${range}&channel_id=${channelId}&by=label&label_key=service`);
    const db = byService.body.data.find((r) => r.key === 'db');
    const dbPlanned = planned.filter((p) => p.service === 'db');
    expect(db?.incidents).toBe(dbPlanned.length);
    expect(db?.mtta_s).toBeCloseTo(mean(dbPlanned.filter((p) => p.ackMin !== null).map((p) => (p.ackMin ?? 0) * 60)), 0);
    const byPerson = await h.admin.get<{ data: { key: string; name: string; incidents: number }[] }>(`/api/v1/analytics/breakdown?${range}&by=person`);
    expect(byPerson.body.data).toEqual([expect.objectContaining({ key: alice.person.id, name: 'Alice Tokyo', incidents: planned.length })]);

    const csv = await fetch(`${h.url}/api/v1/analytics/export.csv?${range}&channel_id=${channelId}`, { headers: { authorization: (await apiKeyHeader()) } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toContain('time_to_ack_s');
    expect(lines).toHaveLength(planned.length + 1);
    const first = planned[0];
    const firstLine = lines.find((l) => l.includes(`${first?.name} first`));
    expect(firstLine?.split(',')[9]).toBe(first?.ackMin === null ? '' : String((first?.ackMin ?? 0) * 60));
  });

  async function apiKeyHeader(): Promise<string> {
    // An API key cannot mint keys (issue 10 item 21): a signed-in admin makes this one.
    const { client } = await h.person('admin');
    const key = await client.post<{ key: string }>('/api/v1/me/api-keys', { name: 'csv' });
    return `Bearer ${key.body.key}`;
  }
});
