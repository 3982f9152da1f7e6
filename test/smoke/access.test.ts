import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

interface ChannelBody {
  id: string;
  name: string;
  private: boolean;
  can_manage: boolean;
  managing_team_ids: string[];
}

describe.each(dialects)('roles and channel access on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it('lets a viewer read but change nothing (403)', async () => {
    const { client: viewer, person } = await h.person('viewer');
    const team = await h.team('Viewers team', [person]);
    expect((await viewer.get('/api/v1/channels')).status).toBe(200);
    expect((await viewer.get('/api/v1/teams')).status).toBe(200);
    const attempts = await Promise.all([
      viewer.post('/api/v1/teams', { name: 'Nope' }),
      viewer.post('/api/v1/channels', { name: 'Nope', team_id: team.id }),
      viewer.post(`/api/v1/teams/${team.id}/members`, { person_id: person.id }),
      viewer.post('/api/v1/users', { email: 'x@example.com', name: 'X', role: 'admin' }),
      viewer.get('/api/v1/audit-logs'),
    ]);
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(attempt.body).toMatchObject({ error: { code: 'AccessDenied' } });
    }
    // Their own profile is theirs to edit.
    expect((await viewer.patch('/api/v1/me', { time_zone: 'Europe/Berlin' })).body).toMatchObject({ time_zone: 'Europe/Berlin' });
  });

  it('hides a private channel from non-members: 404 on get, absent from lists', async () => {
    const { person: owner, client: ownerClient } = await h.person('responder');
    const { client: outsider } = await h.person('responder');
    const team = await h.team('Payments', [owner]);
    const created = await ownerClient.post<ChannelBody>('/api/v1/channels', { name: 'Payment Center', team_id: team.id, private: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Payment Center', team_id: team.id, private: true, can_manage: true });
    const id = created.body.id;

    const hidden = await outsider.get(`/api/v1/channels/${id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ error: { code: 'ResourceNotFound' } });
    expect((await outsider.get(`/api/v1/channels/${crypto.randomUUID()}`)).body).toEqual({ ...hidden.body, request_id: expect.any(String) });
    const list = await outsider.get<{ data: ChannelBody[] }>('/api/v1/channels?q=payment');
    expect(list.body.data.map((c) => c.id)).not.toContain(id);
    expect((await outsider.patch(`/api/v1/channels/${id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await outsider.delete(`/api/v1/channels/${id}`)).status).toBe(404);

    expect((await ownerClient.get(`/api/v1/channels/${id}`)).status).toBe(200);
    const ownList = await ownerClient.get<{ data: ChannelBody[] }>('/api/v1/channels?q=payment');
    expect(ownList.body.data.map((c) => c.id)).toContain(id);
    expect((await h.admin.get(`/api/v1/channels/${id}`)).status).toBe(200);
  });

  it('lets the owning and managing teams edit a channel, and no other responder (403)', async () => {
    const { person: owner, client: ownerClient } = await h.person('responder');
    const { person: manager, client: managerClient } = await h.person('responder');
    const { client: other } = await h.person('responder');
    const owning = await h.team('MySQL owners', [owner]);
    const managing = await h.team('DBA on-call', [manager]);
    const created = await ownerClient.post<ChannelBody>('/api/v1/channels', { name: 'MySQL', team_id: owning.id, managing_team_ids: [managing.id] });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const byManager = await managerClient.patch<ChannelBody>(`/api/v1/channels/${id}`, { description: 'primary cluster' });
    expect(byManager.status).toBe(200);
    expect(byManager.body).toMatchObject({ description: 'primary cluster', can_manage: true });

    const seen = await other.get<ChannelBody>(`/api/v1/channels/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.can_manage).toBe(false);
    const denied = await other.patch(`/api/v1/channels/${id}`, { name: 'hijacked' });
    expect(denied.status).toBe(403);
    expect((await other.delete(`/api/v1/channels/${id}`)).status).toBe(403);

    const disabled = await ownerClient.patch<ChannelBody & { disabled: boolean }>(`/api/v1/channels/${id}`, { disabled: true });
    expect(disabled.body.disabled).toBe(true);
    expect((await ownerClient.delete(`/api/v1/channels/${id}`)).status).toBe(204);
    expect((await ownerClient.get(`/api/v1/channels/${id}`)).status).toBe(404);
  });

  it('requires a responder to belong to the management team of a channel they create', async () => {
    const { client } = await h.person('responder');
    const foreign = await h.team('Someone else');
    const refused = await client.post('/api/v1/channels', { name: 'Not my team', team_id: foreign.id });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'InvalidParameter', field: 'team_id' } });
  });

  it('names the field in every validation error', async () => {
    const team = await h.team('Validation');
    const cases: [Record<string, unknown>, string][] = [
      [{ team_id: team.id }, 'name'],
      [{ name: '', team_id: team.id }, 'name'],
      [{ name: 'x'.repeat(60), team_id: team.id }, 'name'],
      [{ name: 'ok', team_id: 'no-such-team' }, 'team_id'],
      [{ name: 'ok', team_id: team.id, private: 'perhaps' }, 'private'],
      [{ name: 'ok', team_id: team.id, managing_team_ids: ['a', 'b', 'c', 'd'] }, 'managing_team_ids'],
    ];
    for (const [body, field] of cases) {
      const response = await h.admin.post('/api/v1/channels', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'InvalidParameter', field, message: expect.stringContaining(`${field}:`) }, request_id: expect.any(String) });
    }
    const badPerson = await h.admin.post('/api/v1/users', { email: 'not-an-email', name: 'X', role: 'responder' });
    expect(badPerson.body).toMatchObject({ error: { field: 'email', message: 'email: must be an email address' } });
    const badRole = await h.admin.post('/api/v1/users', { email: 'r@example.com', name: 'X', role: 'root' });
    expect(badRole).toMatchObject({ status: 400, body: { error: { field: 'role' } } });
    const badPhone = await h.admin.patch('/api/v1/me', { phone: '0123' });
    expect(badPhone.body).toMatchObject({ error: { field: 'phone' } });
    const badZone = await h.admin.patch('/api/v1/me', { time_zone: 'Mars/Olympus' });
    expect(badZone.body).toMatchObject({ error: { field: 'time_zone' } });
    const notJson = await h.admin.request('POST', '/api/v1/teams', null, { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(400);
  });

  it('keeps channel names unique', async () => {
    const team = await h.team('Unique names');
    expect((await h.admin.post('/api/v1/channels', { name: 'Checkout', team_id: team.id })).status).toBe(201);
    const clash = await h.admin.post('/api/v1/channels', { name: 'Checkout', team_id: team.id });
    expect(clash).toMatchObject({ status: 409, body: { error: { code: 'Conflict', field: 'name' } } });
  });

  it('pages through lists with an opaque cursor', async () => {
    const team = await h.team('Paging');
    for (let i = 0; i < 5; i += 1) await h.admin.post('/api/v1/channels', { name: `page-${i}`, team_id: team.id });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: ChannelBody[]; next_cursor: string | null } } = await h.admin.get(`/api/v1/channels?q=page-&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.data.map((c) => c.name));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect((await h.admin.get('/api/v1/channels?cursor=garbage')).body).toMatchObject({ error: { field: 'cursor' } });
    expect((await h.admin.get('/api/v1/channels?limit=101')).body).toMatchObject({ error: { field: 'limit' } });
  });

  it('records configuration changes in the audit log with before and after', async () => {
    const team = await h.team('Audited');
    const channel = await h.admin.post<ChannelBody>('/api/v1/channels', { name: 'Audited channel', team_id: team.id });
    await h.admin.patch(`/api/v1/channels/${channel.body.id}`, { private: true });
    const log = await h.admin.get<{ data: { action: string; before: { private: boolean } | null; after: { private: boolean }; actor_name: string }[] }>(
      `/api/v1/audit-logs?target_type=channel&target_id=${channel.body.id}`,
    );
    expect(log.body.data.map((e) => e.action)).toEqual(['channel.update', 'channel.create']);
    expect(log.body.data[0]).toMatchObject({ before: { private: false }, after: { private: true }, actor_name: 'Ada Admin' });
  });

  it('never leaves the organisation without an active administrator', async () => {
    const me = await h.admin.get<{ id: string }>('/api/v1/me');
    const demote = await h.admin.patch(`/api/v1/users/${me.body.id}`, { role: 'viewer' });
    expect(demote).toMatchObject({ status: 409, body: { error: { field: 'role' } } });
    expect((await h.admin.delete(`/api/v1/users/${me.body.id}`)).status).toBe(409);
  });
});
