import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';
import type { ApiClient } from '../harness/client.js';
import { SmtpPeer } from '../harness/peers/smtp-peer.js';

const dialects = await testDialects();

interface Target {
  type: string;
  id: string;
  name: string;
}
interface Incident {
  id: string;
  number: number;
  title: string;
  status: string;
  severity: string;
  impact: string;
  alert_count: number;
  active_alert_count: number;
  merged_into: string | null;
  escalation_level: number | null;
  assignees: Target[];
  responders: Target[];
  custom_fields: Record<string, unknown>;
}
interface Entry {
  kind: string;
  text: string;
  actor_name: string | null;
}
interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

describe.each(dialects)('incident response actions on %s', (dialect) => {
  let h: Harness;
  let smtp: SmtpPeer;
  let alice: { person: Person; client: ApiClient };
  let bob: { person: Person; client: ApiClient };
  let viewer: ApiClient;
  let channelId: string;
  let push: (key: string, severity?: string) => Promise<void>;
  let counter = 0;

  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
    smtp = await SmtpPeer.start();
    await h.provider('smtp', 'Company mail', { host: '127.0.0.1', port: smtp.port, secure: false, starttls: false, tls_verify: false, from: 'oncall@tocsin.example' });
    alice = await h.person('responder', 'Alice Oncall');
    bob = await h.person('responder', 'Bob Backup');
    viewer = (await h.person('viewer', 'Vera Viewer')).client;
    for (const p of [alice, bob]) {
      await h.verifyEmail(p.client, p.person.id);
      await p.client.put('/api/v1/me/notification-preferences', { Critical: ['email'], Warning: ['email'], Info: ['email'] });
    }
    const channel = await h.channel('Payments');
    channelId = channel.id;
    const levels = [
      { targets: { people: [alice.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 },
      { targets: { people: [bob.person.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 },
    ];
    expect((await h.admin.post(`/api/v1/channels/${channelId}/escalation-rules`, { name: 'Default', spec: { levels } })).status).toBe(201);
    const { key } = await h.integration(channelId, 'standard');
    push = async (alertKey, severity = 'Warning') => {
      const pushed = await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: alertKey, event_status: severity, alert_key: alertKey, labels: { service: 'payments', key: alertKey } });
      expect(pushed.status).toBe(200);
    };
  });
  afterAll(async () => {
    await h?.stop();
    await smtp?.close();
  });

  async function fire(severity = 'Warning'): Promise<Incident> {
    // Past the per-person email throttle window of earlier pages (SPEC §8.1), so each page is its own mail.
    await h.advance('2m');
    counter += 1;
    const title = `Checkout errors ${counter}`;
    await push(title, severity);
    const [incident] = await h.incidents(channelId);
    expect(incident?.title).toBe(title);
    return incident as unknown as Incident;
  }
  const get = async (id: string) => (await h.admin.get<Incident>(`/api/v1/incidents/${id}`)).body;
  const texts = async (id: string) => (await h.admin.get<Page<Entry>>(`/api/v1/incidents/${id}/timeline?limit=100`)).body.data.map((e) => e.text);
  const mailsTo = (email: string, title: string) => smtp.messages.filter((m) => m.envelope.to.includes(email) && (m.parsed.subject ?? '').includes(title));

  it('says who was paged and how, and why escalation moved on', async () => {
    const incident = await fire();
    await h.advance('0s');
    await smtp.waitFor((m) => m.envelope.to.includes(alice.person.email) && (m.parsed.subject ?? '').includes(incident.title));
    await h.advance('31m');
    await smtp.waitFor((m) => m.envelope.to.includes(bob.person.email) && (m.parsed.subject ?? '').includes(incident.title));
    await h.advance('0s');
    await bob.client.post(`/api/v1/incidents/${incident.id}/ack`);
    const lines = await texts(incident.id);
    expect(lines).toContain('Escalation rule “Default” assigned');
    expect(lines).toContain('Notified level 1: Alice Oncall (email)');
    expect(lines).toContain('Paged Alice Oncall by email (Company mail) — delivered');
    expect(lines).toContain('Escalated to level 2 (no acknowledgement within 30 min): notified Bob Backup (email)');
    expect(lines).toContain('Paged Bob Backup by email (Company mail) — delivered');
    expect(lines).toContain('Acknowledged by Bob Backup in the console');
  });

  it('escalates to a chosen level and pages that level now, re-triggering an acknowledged incident', async () => {
    const incident = await fire();
    await h.advance('0s');
    await alice.client.post(`/api/v1/incidents/${incident.id}/ack`);
    expect(mailsTo(bob.person.email, incident.title)).toHaveLength(0);
    expect((await alice.client.post(`/api/v1/incidents/${incident.id}/escalate`, { level: 3 })).body).toMatchObject({ error: { code: 'InvalidParameter', field: 'level' } });
    const escalated = await alice.client.post<Incident>(`/api/v1/incidents/${incident.id}/escalate`, { level: 2 });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ status: 'triggered', escalation_level: 2 });
    await h.advance('0s');
    await smtp.waitFor((m) => m.envelope.to.includes(bob.person.email) && (m.parsed.subject ?? '').includes(incident.title));
    // The timed step of the earlier pass is retired: level 2 is paged once, not again at minute 30.
    await h.advance('31m');
    expect(mailsTo(bob.person.email, incident.title)).toHaveLength(1);
    const lines = await texts(incident.id);
    expect(lines).toContain('Alice Oncall escalated the incident to level 2 (was level 1)');
    expect(lines).toContain('Escalated to level 2 by Alice Oncall: notified Bob Backup (email)');
  });

  it('reassigns to a person and adds responders, paging each by their preferences', async () => {
    const incident = await fire('Info');
    await h.advance('0s');
    expect(mailsTo(bob.person.email, incident.title)).toHaveLength(0);
    const reassigned = await alice.client.post<Incident>(`/api/v1/incidents/${incident.id}/assign`, { person_ids: [bob.person.id] });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.assignees).toEqual([{ type: 'person', id: bob.person.id, name: 'Bob Backup' }]);
    await h.advance('0s');
    await smtp.waitFor((m) => m.envelope.to.includes(bob.person.email) && (m.parsed.subject ?? '').includes(incident.title));
    const { person: carol, client: carolClient } = await h.person('responder', 'Carol Third');
    await h.verifyEmail(carolClient, carol.id);
    const added = await bob.client.post<Incident>(`/api/v1/incidents/${incident.id}/responders`, { person_ids: [carol.id] });
    expect(added.body.responders.map((r) => r.name)).toEqual(['Carol Third']);
    expect(added.body.assignees.map((r) => r.name)).toEqual(['Bob Backup']);
    await h.advance('0s');
    await smtp.waitFor((m) => m.envelope.to.includes(carol.email) && (m.parsed.subject ?? '').includes(incident.title));
    expect((await alice.client.post(`/api/v1/incidents/${incident.id}/assign`, { person_ids: ['nobody'] })).body).toMatchObject({ error: { field: 'person_ids' } });
    const lines = await texts(incident.id);
    expect(lines).toContain('Alice Oncall reassigned the incident to Bob Backup');
    expect(lines).toContain('Paged Bob Backup (email) (assigned)');
    expect(lines).toContain('Bob Backup added responders: Carol Third');
    const mine = await h.admin.get<Page<Incident>>(`/api/v1/incidents?assignee_id=${bob.person.id}`);
    expect(mine.body.data.map((i) => i.id)).toEqual([incident.id]);
  });

  it('merges incidents: alerts move to the target, emptied incidents close, both timelines say so', async () => {
    const target = await fire('Warning');
    const source = await fire('Critical');
    const merged = await alice.client.post<Incident>(`/api/v1/incidents/${target.id}/merge`, { source_ids: [source.id] });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ alert_count: 2, active_alert_count: 2, severity: 'Critical', status: 'triggered' });
    const alerts = await h.admin.get<Page<{ incident_id: string }>>(`/api/v1/incidents/${target.id}/alerts`);
    expect(alerts.body.data).toHaveLength(2);
    expect(alerts.body.data.every((a) => a.incident_id === target.id)).toBe(true);
    expect(await get(source.id)).toMatchObject({ status: 'closed', alert_count: 0, merged_into: target.id });
    expect(await texts(target.id)).toContain(`Merged #${source.number} into this incident (1 alert(s)) by Alice Oncall`);
    expect(await texts(source.id)).toContain(`Merged into #${target.number} (1 alert(s) moved) by Alice Oncall`);
    expect((await alice.client.post(`/api/v1/incidents/${target.id}/merge`, { source_ids: [source.id] })).body).toMatchObject({ error: { field: 'source_ids' } });
    const other = await h.channel('Elsewhere');
    const foreign = await h.admin.post<Incident>('/api/v1/incidents', { channel_id: other.id, title: 'Elsewhere', severity: 'Info' });
    expect((await alice.client.post(`/api/v1/incidents/${target.id}/merge`, { source_ids: [foreign.body.id] })).body).toMatchObject({ error: { field: 'source_ids' } });
  });

  it('quick-silences every alert of a merged incident, not only the first', async () => {
    const target = await fire();
    const source = await fire();
    await h.admin.post(`/api/v1/incidents/${target.id}/merge`, { source_ids: [source.id] });
    const silence = await h.admin.post<{ spec: { filter: unknown[][] } }>(`/api/v1/incidents/${target.id}/quick-silence`, { duration_mins: 60 });
    expect(silence.status).toBe(201);
    expect(silence.body.spec.filter).toHaveLength(2);
    const { key } = await h.integration(channelId, 'standard');
    const again = async (labelsOf: string, alertKey: string) => {
      await h.push(`/event/push/alert/standard?integration_key=${key}`, { title_rule: 'Same labels, new key', event_status: 'Critical', alert_key: alertKey, labels: { service: 'payments', key: labelsOf } });
      return (await h.alerts(channelId)).find((a) => a.alert_key === alertKey);
    };
    expect((await again(source.title, `${source.title}-copy`))?.state).toBe('silenced');
    expect((await again(target.title, `${target.title}-copy`))?.state).toBe('silenced');
    expect((await again('unrelated', 'unrelated-copy'))?.state).toBe('active');
  });

  it('edits fields with old → new on the timeline; manual edits stick', async () => {
    const incident = await fire('Warning');
    const edited = await alice.client.patch<Incident>(`/api/v1/incidents/${incident.id}`, { title: 'Checkout down in EU', severity: 'Critical', impact: 'EU customers cannot pay' });
    expect(edited.body).toMatchObject({ title: 'Checkout down in EU', severity: 'Critical', impact: 'EU customers cannot pay' });
    expect((await alice.client.patch(`/api/v1/incidents/${incident.id}`, { title: '  ' })).body).toMatchObject({ error: { field: 'title' } });
    const lines = await texts(incident.id);
    expect(lines).toContain(`Alice Oncall changed title: “${incident.title}” → “Checkout down in EU”`);
    expect(lines).toContain('Alice Oncall changed severity: “Warning” → “Critical”');
    expect(lines).toContain('Alice Oncall changed impact: (empty) → “EU customers cannot pay”');
  });

  it('defines custom fields (admins only), sets them on incidents and filters the list by them', async () => {
    const fieldBody = { name: 'region', label: 'Region', kind: 'multi_select', options: ['eu', 'us', 'apac'] };
    expect((await alice.client.post('/api/v1/custom-fields', fieldBody)).status).toBe(403);
    expect((await h.admin.post('/api/v1/custom-fields', { name: 'Bad Name', label: '', kind: 'dropdown' })).body).toMatchObject({ error: { code: 'InvalidParameter' } });
    expect((await h.admin.post('/api/v1/custom-fields', fieldBody)).status).toBe(201);
    expect((await h.admin.post('/api/v1/custom-fields', { name: 'customer_facing', label: 'Customer facing', kind: 'checkbox' })).status).toBe(201);
    expect((await h.admin.post('/api/v1/custom-fields', { name: 'ticket', label: 'Ticket', kind: 'text' })).status).toBe(201);
    expect((await h.admin.post('/api/v1/custom-fields', { name: 'tier', label: 'Tier', kind: 'select', options: ['gold', 'silver'] })).status).toBe(201);
    const a = await fire();
    const b = await fire();
    const setA = await alice.client.patch<Incident>(`/api/v1/incidents/${a.id}`, { custom_fields: { region: ['us', 'eu'], customer_facing: true, ticket: 'OPS-12', tier: 'gold' } });
    expect(setA.body.custom_fields).toEqual({ region: ['eu', 'us'], customer_facing: true, ticket: 'OPS-12', tier: 'gold' });
    await alice.client.patch(`/api/v1/incidents/${b.id}`, { custom_fields: { region: ['apac'], customer_facing: false } });
    expect((await alice.client.patch(`/api/v1/incidents/${b.id}`, { custom_fields: { tier: 'bronze' } })).body).toMatchObject({ error: { field: 'custom_fields.tier' } });
    expect((await alice.client.patch(`/api/v1/incidents/${b.id}`, { custom_fields: { nope: 'x' } })).body).toMatchObject({ error: { field: 'custom_fields.nope' } });
    const list = async (query: string) => (await h.admin.get<Page<Incident>>(`/api/v1/incidents?channel_id=${channelId}&${query}`)).body.data.map((i) => i.id);
    expect(await list('custom_field=region%3Deu')).toEqual([a.id]);
    expect(await list('custom_field=region%3Dapac')).toEqual([b.id]);
    expect(await list('custom_field=customer_facing%3Dfalse')).toEqual([b.id]);
    expect(await list('custom_field=region%3Deu&custom_field=tier%3Dsilver')).toEqual([]);
    expect((await h.admin.get(`/api/v1/incidents?custom_field=colour%3Dred`)).body).toMatchObject({ error: { field: 'custom_field' } });
    expect(await texts(a.id)).toContain('Alice Oncall changed Region: (empty) → eu, us');
    // Clearing works, and the list shows values.
    await alice.client.patch(`/api/v1/incidents/${a.id}`, { custom_fields: { ticket: null } });
    expect((await get(a.id)).custom_fields).toEqual({ region: ['eu', 'us'], customer_facing: true, tier: 'gold' });
  });

  it('creates incidents by hand and acknowledges or resolves a selection in one call', async () => {
    const created = await alice.client.post<Incident>('/api/v1/incidents', { channel_id: channelId, title: 'Customer reports failed refunds', severity: 'Critical', impact: 'Refunds fail', assignee_ids: [bob.person.id] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'triggered', alert_count: 0, impact: 'Refunds fail', assignees: [{ id: bob.person.id }] });
    await h.advance('0s');
    await smtp.waitFor((m) => m.envelope.to.includes(bob.person.email) && (m.parsed.subject ?? '').includes('Customer reports failed refunds'));
    expect(await texts(created.body.id)).toContain('Created by Alice Oncall: “Customer reports failed refunds” (Critical)');
    const second = await fire();
    const acked = await alice.client.post<Page<{ id: string; ok: boolean; status: string }>>('/api/v1/incidents/batch', { action: 'ack', incident_ids: [created.body.id, second.id, 'missing'] });
    expect(acked.body.data).toEqual([
      { id: created.body.id, ok: true, status: 'processing', error: null },
      { id: second.id, ok: true, status: 'processing', error: null },
      { id: 'missing', ok: false, status: null, error: { code: 'ResourceNotFound', message: 'incident not found' } },
    ]);
    // A script (API key) resolves them: the timeline says it came through the API.
    const resolved = await h.admin.post<Page<{ ok: boolean; status: string }>>('/api/v1/incidents/batch', { action: 'resolve', incident_ids: [created.body.id, second.id] });
    expect(resolved.body.data.map((r) => r.status)).toEqual(['closed', 'closed']);
    expect(await texts(second.id)).toContain('Resolved by Ada Admin through the API');
    expect(await texts(second.id)).toContain('Acknowledged by Alice Oncall in the console');
  });

  it('keeps viewers from acting and hides a private channel’s incident (404) from outsiders', async () => {
    const incident = await fire();
    const calls: [string, string, Record<string, unknown>][] = [
      ['post', `/api/v1/incidents/${incident.id}/assign`, { person_ids: [bob.person.id] }],
      ['post', `/api/v1/incidents/${incident.id}/responders`, { person_ids: [bob.person.id] }],
      ['post', `/api/v1/incidents/${incident.id}/escalate`, { level: 1 }],
      ['post', `/api/v1/incidents/${incident.id}/merge`, { source_ids: [counter > 0 ? 'x' : 'y'] }],
      ['patch', `/api/v1/incidents/${incident.id}`, { title: 'viewer edit' }],
      ['put', `/api/v1/incidents/${incident.id}/postmortem`, { markdown: '# no' }],
      ['post', '/api/v1/incidents/batch', { action: 'ack', incident_ids: [incident.id] }],
      ['post', '/api/v1/incidents', { channel_id: channelId, title: 'x', severity: 'Info' }],
    ];
    for (const [method, path, body] of calls) {
      const response = method === 'post' ? await viewer.post(path, body) : method === 'patch' ? await viewer.patch(path, body) : await viewer.put(path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect((await viewer.get(`/api/v1/incidents/${incident.id}/timeline`)).status).toBe(200);

    const team = await h.team('Private owners', [bob.person]);
    const secret = await h.channel('Secret', { teamId: team.id, private: true });
    const hidden = await bob.client.post<Incident>('/api/v1/incidents', { channel_id: secret.id, title: 'Secret outage', severity: 'Critical' });
    expect(hidden.status).toBe(201);
    const outsiderCalls: [string, string, Record<string, unknown> | undefined][] = [
      ['get', `/api/v1/incidents/${hidden.body.id}`, undefined],
      ['get', `/api/v1/incidents/${hidden.body.id}/timeline`, undefined],
      ['get', `/api/v1/incidents/${hidden.body.id}/postmortem`, undefined],
      ['get', `/api/v1/incidents/${hidden.body.id}/changes`, undefined],
      ['post', `/api/v1/incidents/${hidden.body.id}/assign`, { person_ids: [alice.person.id] }],
      ['post', `/api/v1/incidents/${hidden.body.id}/escalate`, { level: 1 }],
      ['post', `/api/v1/incidents/${hidden.body.id}/merge`, { source_ids: [incident.id] }],
      ['patch', `/api/v1/incidents/${hidden.body.id}`, { title: 'peek' }],
    ];
    for (const [method, path, body] of outsiderCalls) {
      const response = method === 'get' ? await alice.client.get(path) : method === 'patch' ? await alice.client.patch(path, body ?? {}) : await alice.client.post(path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    // Merging a hidden incident into a visible one does not reveal it either.
    expect((await alice.client.post(`/api/v1/incidents/${incident.id}/merge`, { source_ids: [hidden.body.id] })).body).toMatchObject({ error: { field: 'source_ids', message: `source_ids: incident ${hidden.body.id} not found` } });
  });

  it('shows change events on the open incidents of the channel and in recent changes', async () => {
    const open = await fire();
    const closed = await fire();
    expect((await h.admin.post(`/api/v1/incidents/${closed.id}/resolve`, {})).status).toBe(200);
    const pd = await h.integration(channelId, 'pagerduty');
    const sent = await h.push('/v2/change/enqueue', { routing_key: pd.key, payload: { summary: 'Deployed checkout v2.3.1', source: 'ci', timestamp: new Date(h.clock.now()).toISOString() }, links: [{ href: 'https://ci.example.com/1', text: 'Build 1' }] });
    expect(sent.status).toBe(202);
    expect(await texts(open.id)).toContain('Change: “Deployed checkout v2.3.1” from pagerduty integration');
    expect(await texts(closed.id)).not.toContain('Change: “Deployed checkout v2.3.1” from pagerduty integration');
    const changes = await h.admin.get<Page<{ title: string; links: { href: string }[] }>>(`/api/v1/incidents/${open.id}/changes`);
    expect(changes.body.data).toMatchObject([{ title: 'Deployed checkout v2.3.1', links: [{ href: 'https://ci.example.com/1' }] }]);
    // A shared integration's change events go to the channels its routing picks.
    // Shared integrations route only to channels their team manages (issue 10 item 1).
    const team = await h.team('CI owners');
    expect((await h.admin.patch(`/api/v1/channels/${channelId}`, { managing_team_ids: [team.id] })).status).toBe(200);
    const shared = await h.admin.post<{ integration_key: string }>('/api/v1/integrations', { name: 'CI', source: 'pagerduty', team_id: team.id, settings: { routing: { cases: [], default: [channelId] } } });
    expect(shared.status).toBe(201);
    expect((await h.push('/v2/change/enqueue', { routing_key: shared.body.integration_key, payload: { summary: 'Feature flag checkout_v3 on' } })).status).toBe(202);
    expect(await texts(open.id)).toContain('Change: “Feature flag checkout_v3 on” from CI');
  });

  it('prefills a post-mortem with impact and timeline, saves it and exports markdown', async () => {
    const incident = await fire('Critical');
    await alice.client.patch(`/api/v1/incidents/${incident.id}`, { impact: 'Card payments failed for 20 minutes' });
    await alice.client.post(`/api/v1/incidents/${incident.id}/resolve`, { root_cause: 'Expired certificate' });
    const draft = await h.admin.get<{ markdown: string; saved: boolean }>(`/api/v1/incidents/${incident.id}/postmortem`);
    expect(draft.body.saved).toBe(false);
    expect(draft.body.markdown).toContain(`# Post-mortem: #${incident.number} ${incident.title}`);
    expect(draft.body.markdown).toContain('Card payments failed for 20 minutes');
    expect(draft.body.markdown).toContain('Expired certificate');
    expect(draft.body.markdown).toContain('— Resolved by Alice Oncall in the console');
    const markdown = `${draft.body.markdown}\n- [ ] Alert on certificate expiry\n`;
    const saved = await alice.client.put<{ saved: boolean }>(`/api/v1/incidents/${incident.id}/postmortem`, { markdown });
    expect(saved.body.saved).toBe(true);
    const file = await h.admin.get<string>(`/api/v1/incidents/${incident.id}/postmortem.md`);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="postmortem-${incident.number}.md"`);
    expect(file.body).toBe(markdown);
    expect(await texts(incident.id)).toContain('Alice Oncall edited the post-mortem');
  });

  it('pages through the timeline, alerts and events with limit and cursor', async () => {
    const incident = await fire();
    for (const n of [1, 2, 3]) await push(`${incident.title} extra ${n}`);
    const target = incident.id;
    const extras = (await h.incidents(channelId)).slice(0, 3).map((i) => i.id);
    await h.admin.post(`/api/v1/incidents/${target}/merge`, { source_ids: extras });
    const all = async <T extends { id: string }>(path: string, limit: number): Promise<{ items: T[]; pages: number }> => {
      const items: T[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const response: { body: Page<T> } = await h.admin.get<Page<T>>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        items.push(...response.body.data);
        cursor = response.body.next_cursor;
        pages += 1;
      } while (cursor && pages < 50);
      return { items, pages };
    };
    const alerts = await all<{ id: string }>(`/api/v1/incidents/${target}/alerts`, 3);
    expect(alerts.items).toHaveLength(4);
    expect(alerts.pages).toBe(2);
    expect(new Set(alerts.items.map((a) => a.id)).size).toBe(4);
    const timeline = await all<{ id: string }>(`/api/v1/incidents/${target}/timeline`, 2);
    const full = await h.admin.get<Page<{ id: string }>>(`/api/v1/incidents/${target}/timeline?limit=100`);
    expect(full.body.data.length).toBeGreaterThan(4);
    expect(timeline.items.map((e) => e.id)).toEqual(full.body.data.map((e) => e.id));
    const alertId = alerts.items[0]?.id ?? '';
    await push(incident.title, 'Critical');
    const events = await all<{ id: string }>(`/api/v1/alerts/${alertId}/events`, 1);
    expect(events.items).toHaveLength(2);
    expect(events.pages).toBe(2);
    expect((await h.admin.get(`/api/v1/incidents/${target}/timeline?cursor=garbage`)).body).toMatchObject({ error: { field: 'cursor' } });
  });
});
