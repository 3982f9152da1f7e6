import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

interface Me {
  id: string;
  phone: string | null;
  email_verified: boolean;
  phone_verified: boolean;
  teams: { id: string; name: string }[];
}

describe.each(dialects)('people, teams and contact verification on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
  });
  afterAll(async () => h?.stop());

  async function codeFor(personId: string, kind: 'email' | 'phone'): Promise<string> {
    const found = await h.admin.get<{ code: string }>(`/api/v1/dev/verification-codes/${personId}/${kind}`);
    expect(found.status).toBe(200);
    return found.body.code;
  }

  it('verifies a phone with a one-time code and resets verification when the number changes', async () => {
    const { person, client } = await h.person('responder');
    const noPhone = await client.post('/api/v1/me/verifications', { kind: 'phone' });
    expect(noPhone).toMatchObject({ status: 400, body: { error: { field: 'kind' } } });

    expect((await client.patch<Me>('/api/v1/me', { phone: '+1 (415) 555-0100' })).body).toMatchObject({ phone: '+14155550100', phone_verified: false });
    const sent = await client.post('/api/v1/me/verifications', { kind: 'phone' });
    expect(sent.status).toBe(202);
    expect((await client.post('/api/v1/me/verifications', { kind: 'phone' })).status).toBe(429);

    const code = await codeFor(person.id, 'phone');
    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await client.post('/api/v1/me/verifications/confirm', { kind: 'phone', code: wrongCode });
    expect(wrong).toMatchObject({ status: 400, body: { error: { field: 'code', message: 'code: does not match the code we sent' } } });
    const ok = await client.post<Me>('/api/v1/me/verifications/confirm', { kind: 'phone', code });
    expect(ok.status).toBe(200);
    expect(ok.body.phone_verified).toBe(true);
    // Single use.
    expect((await client.post('/api/v1/me/verifications/confirm', { kind: 'phone', code })).status).toBe(400);

    expect((await client.patch<Me>('/api/v1/me', { phone: '+14155550101' })).body.phone_verified).toBe(false);
  });

  it('locks a code after five wrong guesses and expires it after ten minutes', async () => {
    const { person, client } = await h.person('responder');
    await client.post('/api/v1/me/verifications', { kind: 'email' });
    const code = await codeFor(person.id, 'email');
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) await client.post('/api/v1/me/verifications/confirm', { kind: 'email', code: wrongCode });
    const locked = await client.post('/api/v1/me/verifications/confirm', { kind: 'email', code });
    expect(locked.body).toMatchObject({ error: { message: expect.stringContaining('too many wrong attempts') } });

    await h.advance('1m');
    await client.post('/api/v1/me/verifications', { kind: 'email' });
    const fresh = await codeFor(person.id, 'email');
    await h.advance('11m');
    const expired = await client.post('/api/v1/me/verifications/confirm', { kind: 'email', code: fresh });
    expect(expired.body).toMatchObject({ error: { field: 'code', message: expect.stringContaining('expired') } });
  });

  it('shows verification codes only in dev mode and only to admins', async () => {
    const { person, client } = await h.person('responder');
    expect((await client.get(`/api/v1/dev/verification-codes/${person.id}/email`)).status).toBe(403);
    const production = await Harness.start(dialect);
    try {
      const me = await production.admin.get<Me>('/api/v1/me');
      await production.admin.post('/api/v1/me/verifications', { kind: 'email' });
      expect((await production.admin.get(`/api/v1/dev/verification-codes/${me.body.id}/email`)).status).toBe(404);
    } finally {
      await production.stop();
    }
  });

  it('manages team membership; a responder manages their own teams only', async () => {
    const { person: lead, client: leadClient } = await h.person('responder');
    const { person: newcomer } = await h.person('responder');
    const { client: stranger } = await h.person('responder');
    const created = await leadClient.post<{ id: string; members: { id: string }[] }>('/api/v1/teams', { name: 'Backend', description: 'APIs' });
    expect(created.status).toBe(201);
    expect(created.body.members.map((m) => m.id)).toEqual([lead.id]);
    const teamId = created.body.id;

    expect((await leadClient.post(`/api/v1/teams/${teamId}/members`, { person_id: newcomer.id })).status).toBe(201);
    expect((await leadClient.post(`/api/v1/teams/${teamId}/members`, { person_id: newcomer.id })).status).toBe(409);
    expect((await stranger.post(`/api/v1/teams/${teamId}/members`, { person_id: newcomer.id })).status).toBe(403);
    expect((await stranger.patch(`/api/v1/teams/${teamId}`, { name: 'Mine' })).status).toBe(403);

    const team = await leadClient.get<{ member_count: number; members: { id: string }[] }>(`/api/v1/teams/${teamId}`);
    expect(team.body.member_count).toBe(2);
    const listed = await leadClient.get<{ data: { id: string; member_count: number }[] }>('/api/v1/teams?q=backend');
    expect(listed.body.data.find((t) => t.id === teamId)?.member_count).toBe(2);

    expect((await leadClient.delete(`/api/v1/teams/${teamId}/members/${newcomer.id}`)).status).toBe(204);
    expect((await leadClient.get<Me>('/api/v1/me')).body.teams).toEqual([{ id: teamId, name: 'Backend' }]);
    expect((await leadClient.post('/api/v1/teams', { name: 'Backend' })).body).toMatchObject({ error: { code: 'Conflict', field: 'name' } });
  });

  it('refuses to delete a team that still owns a channel', async () => {
    const team = await h.team('Owner of things');
    await h.admin.post('/api/v1/channels', { name: 'Owned channel', team_id: team.id });
    expect((await h.admin.delete(`/api/v1/teams/${team.id}`)).status).toBe(409);
    const empty = await h.team('Owns nothing');
    expect((await h.admin.delete(`/api/v1/teams/${empty.id}`)).status).toBe(204);
  });

  it('lets admins add notification-only people without a password, who cannot sign in', async () => {
    const created = await h.admin.post<{ id: string; time_zone: string }>('/api/v1/users', { email: 'pager-only@example.com', name: 'Pager Only', role: 'responder', time_zone: 'Asia/Shanghai' });
    expect(created.status).toBe(201);
    expect(created.body.time_zone).toBe('Asia/Shanghai');
    expect((await h.client().post('/api/v1/auth/login', { email: 'pager-only@example.com', password: '' })).status).toBe(401);
    expect((await h.admin.post('/api/v1/users', { email: 'PAGER-ONLY@example.com', name: 'Dup', role: 'viewer' })).body).toMatchObject({ error: { code: 'Conflict', field: 'email' } });
  });
});
