import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { SmtpPeer } from '../harness/peers/smtp-peer.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

const dialects = await testDialects();

describe.each(dialects)('escalation and notification delivery on %s', (dialect) => {
  let h: Harness;
  let smtp: SmtpPeer;
  let hook: HttpPeer;
  let webhookId: string;
  let me: { person: Person; client: ApiClient };
  let oncall: { person: Person; client: ApiClient };
  let counter = 0;

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    smtp = await SmtpPeer.start();
    hook = await HttpPeer.start();
    await h.provider('smtp', 'Company mail', { host: '127.0.0.1', port: smtp.port, secure: false, starttls: false, tls_verify: false, from: 'oncall@tocsin.example' });
    webhookId = await h.provider('webhook', 'War room webhook', { url: `${hook.url}/hooks/war-room` });
    me = await h.person('responder', 'Alice Oncall');
    oncall = await h.person('responder', 'Bob Backup');
    await h.verifyEmail(me.client, me.person.id);
    await h.verifyEmail(oncall.client, oncall.person.id);
    await me.client.put('/api/v1/me/notification-preferences', { Critical: ['email'], Warning: ['email'], Info: ['email'] });
    await oncall.client.put('/api/v1/me/notification-preferences', { Critical: ['email'], Warning: ['email'], Info: ['email'] });
  });
  afterAll(async () => {
    await h?.stop();
    await smtp?.close();
    await hook?.close();
  });

  /** A channel with one standard integration and one escalation rule; returns a function firing an alert. */
  async function scenario(levels: unknown[], extra: Record<string, unknown> = {}) {
    counter += 1;
    const channel = await h.channel(`Notify ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const rule = await h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Default', spec: { levels, ...extra } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const fire = async (title: string) => {
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
      const [incident] = await h.incidents(channel.id);
      return incident as { id: string; number: number };
    };
    return { channel, fire };
  }

  const mailsTo = (email: string, subjectPart: string) => smtp.messages.filter((m) => m.envelope.to.includes(email) && (m.parsed.subject ?? '').includes(subjectPart));
  const timeline = async (id: string) => (await h.admin.get<{ data: { kind: string; data: Record<string, unknown> }[] }>(`/api/v1/incidents/${id}/timeline`)).body.data;

  it('walks the seed quick start: an alert pages me by email and posts to the group chat', async () => {
    const { fire } = await scenario([{ targets: { people: [me.person.id], group_chats: [webhookId] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }]);
    const incident = await fire('Payment API 5xx above 2%');
    await h.advance('0s');
    const mail = await smtp.waitFor((m) => (m.parsed.subject ?? '').includes('Payment API 5xx above 2%'));
    expect(mail.envelope.to).toEqual([me.person.email]);
    expect(mail.parsed.text).toContain('Payment API 5xx above 2%');
    const posted = await hook.waitFor((r) => r.path === '/hooks/war-room' && r.body.includes('Payment API 5xx above 2%'));
    expect(JSON.parse(posted.body)).toMatchObject({ incident: { number: incident.number, severity: 'Critical' } });
    const kinds = (await timeline(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['created', 'assigned', 'notified', 'notification_sent']));
    const deliveries = await h.admin.get<{ data: { method: string; status: string }[] }>(`/api/v1/incidents/${incident.id}/deliveries`);
    expect(deliveries.body.data.map((d) => `${d.method}:${d.status}`).sort()).toEqual(['email:sent', 'webhook:sent']);
  });

  it('escalates to level 2 after 30 minutes without an ack, and not when acknowledged at minute 29', async () => {
    const levels = [
      { targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 },
      { targets: { people: [oncall.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 },
    ];
    const { fire } = await scenario(levels);
    const ignored = await fire('Disk full on db-7');
    await h.advance('29m');
    expect(mailsTo(oncall.person.email, 'Disk full on db-7')).toHaveLength(0);
    await h.advance('2m');
    expect(mailsTo(oncall.person.email, 'Disk full on db-7')).toHaveLength(1);
    expect((await timeline(ignored.id)).map((e) => e.kind)).toContain('escalated');

    const acked = await fire('Queue backlog on worker-3');
    await h.advance('29m');
    await me.client.post(`/api/v1/incidents/${acked.id}/ack`);
    await h.advance('10m');
    expect(mailsTo(oncall.person.email, 'Queue backlog on worker-3')).toHaveLength(0);
  });

  it('repeats every N minutes until acknowledged', async () => {
    const { fire } = await scenario([{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, repeat_every_min: 5, repeat_times: 3, escalate_after_min: 60 }]);
    const incident = await fire('Certificate expires in 2 days');
    await h.advance('0s');
    await h.advance('11m');
    expect(mailsTo(me.person.email, 'Certificate expires')).toHaveLength(3);
    await me.client.post(`/api/v1/incidents/${incident.id}/ack`);
    await h.advance('30m');
    expect(mailsTo(me.person.email, 'Certificate expires')).toHaveLength(3);
  });

  it('pauses while snoozed and starts again at level 1 when the snooze ends', async () => {
    const { fire } = await scenario([{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }]);
    const incident = await fire('Replication lag 30s');
    await h.advance('0s');
    expect(mailsTo(me.person.email, 'Replication lag')).toHaveLength(1);
    await me.client.post(`/api/v1/incidents/${incident.id}/snooze`, { minutes: 60 });
    await h.advance('59m');
    expect(mailsTo(me.person.email, 'Replication lag')).toHaveLength(1);
    await h.advance('2m');
    expect(mailsTo(me.person.email, 'Replication lag')).toHaveLength(2);
  });

  it('pages whoever is on call in a schedule at that moment', async () => {
    const team = await h.team('Rotation team', [me.person, oncall.person]);
    const now = h.clock.now();
    const schedule = await h.admin.post<{ id: string }>('/api/v1/schedules', {
      name: `Primary ${counter}`,
      team_id: team.id,
      time_zone: 'UTC',
      layers: [{ name: 'weekly', members: [[oncall.person.id], [me.person.id]], rotation: { unit: 'day', count: 1, handoff_time: '00:00' }, start: now - 3_600_000 }],
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    const onCall = await h.admin.get<{ on_call: { person_ids: string[] }[] }>(`/api/v1/schedules/${schedule.body.id}/on-call`);
    const expected = onCall.body.on_call[0]?.person_ids[0];
    const { fire } = await scenario([{ targets: { schedules: [{ id: schedule.body.id }] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }]);
    await fire('Checkout latency p99 3s');
    await h.advance('0s');
    const email = expected === me.person.id ? me.person.email : oncall.person.email;
    const other = expected === me.person.id ? oncall.person.email : me.person.email;
    expect(mailsTo(email, 'Checkout latency')).toHaveLength(1);
    expect(mailsTo(other, 'Checkout latency')).toHaveLength(0);
  });

  it('acknowledges through the signed link in the mail, once', async () => {
    const { fire } = await scenario([{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }]);
    const incident = await fire('Link ack test');
    await h.advance('0s');
    const mail = await smtp.waitFor((m) => (m.parsed.subject ?? '').includes('Link ack test'));
    const link = /(http[^\s"<>]+\/a\/[A-Za-z0-9_-]+)/.exec(`${mail.parsed.text ?? ''} ${typeof mail.parsed.html === 'string' ? mail.parsed.html : ''}`)?.[1];
    expect(link).toBeDefined();
    const path = new URL(link ?? '').pathname;
    const confirm = await fetch(`${h.url}${path}`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('<form method="post">');
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${incident.id}`)).body.status).toBe('triggered');
    const done = await fetch(`${h.url}${path}`, { method: 'POST' });
    expect(done.status).toBe(200);
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${incident.id}`)).body.status).toBe('processing');
    expect((await fetch(`${h.url}${path}`, { method: 'POST' })).status).toBe(410);
    expect((await fetch(`${h.url}/a/forgedforgedforgedforgedforged`)).status).toBe(404);
  });

  it('skips an unverified email with a timeline entry saying why', async () => {
    const unverified = await h.person('responder', 'Carol Unverified');
    const { fire } = await scenario([{ targets: { people: [unverified.person.id, me.person.id] }, methods: { kind: 'explicit', by_severity: { Critical: ['email'] } }, escalate_after_min: 30 }]);
    const incident = await fire('Unverified contact test');
    // Past the per-person throttle window left by earlier tests' mails to the same person.
    await h.advance('61s');
    const entries = await timeline(incident.id);
    const skipped = entries.find((e) => e.kind === 'unreachable');
    expect(skipped?.data).toMatchObject({ person_id: unverified.person.id, reasons: expect.arrayContaining(['email: email not verified']) });
    expect(mailsTo(me.person.email, 'Unverified contact test')).toHaveLength(1);
    expect(smtp.messages.some((m) => m.envelope.to.includes(unverified.person.email))).toBe(false);
  });

  it('notifies nobody when the incident closes inside the delay window', async () => {
    const { fire } = await scenario([{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }], { delay_seconds: 300 });
    const incident = await fire('Blip that heals itself');
    await h.advance('2m');
    await me.client.post(`/api/v1/incidents/${incident.id}/resolve`, {});
    await h.advance('10m');
    expect(mailsTo(me.person.email, 'Blip that heals itself')).toHaveLength(0);
  });

  it('bundles 30 incidents for one person within a minute into one mail, and throttles the next', async () => {
    const bundled = await h.person('responder', 'Dana Bundle');
    await h.verifyEmail(bundled.client, bundled.person.id);
    await bundled.client.put('/api/v1/me/notification-preferences', { Critical: ['email'], Warning: ['email'], Info: ['email'] });
    const { fire } = await scenario([{ targets: { people: [bundled.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }]);
    for (let i = 0; i < 30; i += 1) await fire(`Storm alert ${i}`);
    await h.advance('0s');
    const pages = () => smtp.messages.filter((m) => m.envelope.to.includes(bundled.person.email) && !(m.parsed.text ?? '').includes('verification code'));
    const mails = pages();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.parsed.subject).toContain('30 incidents');
    expect(mails[0]?.parsed.text).toContain('Storm alert 29');
    // Every bundled incident has its own acknowledge and resolve links, in the text part as in the HTML.
    const text = mails[0]?.parsed.text ?? '';
    const html = String(mails[0]?.parsed.html ?? '');
    const textLinks = (verb: string) => [...text.matchAll(new RegExp(`${verb}: (http\\S+/a/\\S+)`, 'g'))].map((m) => m[1]);
    const htmlLinks = (verb: string) => [...html.matchAll(new RegExp(`<a href="(http[^"]+/a/[^"]+)">${verb}</a>`, 'g'))].map((m) => m[1]);
    for (const verb of ['Acknowledge', 'Resolve']) {
      expect(new Set(textLinks(verb)).size, verb).toBe(30);
      expect(htmlLinks(verb).sort(), verb).toEqual(textLinks(verb).sort());
    }
    // A bundled link acts on its own incident.
    const firstAck = textLinks('Acknowledge')[0] ?? '';
    const acted = await fetch(firstAck.replace(/^https?:\/\/[^/]+/, h.url), { method: 'POST' });
    expect(acted.status).toBe(200);
    expect(await acted.text()).toContain('Acknowledged');

    // Within the minute, the next page waits for the window to end, and the delivery log says so.
    await h.advance('10s');
    const waiting = await fire('After the storm');
    await h.advance('0s');
    expect(pages()).toHaveLength(1);
    const log = await h.admin.get<{ data: { method: string; status: string; waiting_reason: string | null; next_attempt_at: number | null }[] }>(`/api/v1/incidents/${waiting.id}/deliveries`);
    const pending = log.body.data.find((d) => d.method === 'email');
    expect(pending?.status).toBe('pending');
    expect(pending?.waiting_reason).toMatch(/^waiting for the bundle window until \d\d:\d\d:\d\d UTC: one email per person per minute/);
    expect(pending?.waiting_reason).toContain(new Date(pending?.next_attempt_at ?? 0).toISOString().slice(11, 19));
    await h.advance('51s');
    const later = pages();
    expect(later).toHaveLength(2);
    expect(later[1]?.parsed.subject).toContain('After the storm');
    const afterwards = await h.admin.get<{ data: { method: string; status: string; waiting_reason: string | null }[] }>(`/api/v1/incidents/${waiting.id}/deliveries`);
    expect(afterwards.body.data.find((d) => d.method === 'email')).toMatchObject({ status: 'sent', waiting_reason: null });
  });

  it('delivers contact verification codes by email through the configured provider', async () => {
    const newcomer = await h.person('responder', 'Erin Newcomer');
    expect((await newcomer.client.post('/api/v1/me/verifications', { kind: 'email' })).status).toBe(202);
    await h.advance('0s');
    const mail = await smtp.waitFor((m) => m.envelope.to.includes(newcomer.person.email));
    const code = /\b(\d{6})\b/.exec(mail.parsed.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const confirmed = await newcomer.client.post<{ email_verified: boolean }>('/api/v1/me/verifications/confirm', { kind: 'email', code });
    expect(confirmed.body.email_verified).toBe(true);
  });

  it('applies an edited rule to the next incident while running escalations keep their snapshot', async () => {
    counter += 1;
    const channel = await h.channel(`Edited ${counter}`);
    const { key } = await h.integration(channel.id, 'standard');
    const level = (who: string) => ({ targets: { people: [who] }, methods: { kind: 'preferences' }, escalate_after_min: 30 });
    const rule = await h.admin.post<{ id: string }>(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'R', spec: { levels: [level(me.person.id), level(me.person.id)] } });
    const fire = (title: string) => h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: title, event_status: 'Critical', alert_key: title });
    await h.advance('2m');
    await fire('Before the edit');
    await h.advance('0s');
    expect(mailsTo(me.person.email, 'Before the edit')).toHaveLength(1);
    expect((await h.admin.patch(`/api/v1/escalation-rules/${rule.body.id}`, { spec: { levels: [level(oncall.person.id), level(oncall.person.id)] } })).status).toBe(200);
    await fire('After the edit');
    await h.advance('0s');
    expect(mailsTo(oncall.person.email, 'After the edit')).toHaveLength(1);
    expect(mailsTo(me.person.email, 'After the edit')).toHaveLength(0);
    // The first incident's level 2 still follows the rule as it was when it triggered.
    await h.advance('31m');
    expect(mailsTo(me.person.email, 'Before the edit')).toHaveLength(2);
    expect(mailsTo(oncall.person.email, 'Before the edit')).toHaveLength(0);
  });

  it('never sends the same page twice, even when the engine runs the same moment again', async () => {
    const { fire } = await scenario([{ targets: { people: [me.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 }]);
    await fire('Exactly once');
    await Promise.all([h.tocsin.engine.runDue(), h.tocsin.engine.runDue(), h.tocsin.engine.runDue()]);
    await h.advance('0s');
    expect(mailsTo(me.person.email, 'Exactly once')).toHaveLength(1);
  });
});
