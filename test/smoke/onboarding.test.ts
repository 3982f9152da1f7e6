import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

describe.each(dialects)('first steps of a new organisation on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  type TeamBody = { id: string; members: { id: string }[] };

  it('adds the admin who creates a team to it when asked, so the first channel has an owner they belong to', async () => {
    const me = (await h.admin.get<{ id: string }>('/api/v1/me')).body;
    const joined = await h.admin.post<TeamBody>('/api/v1/teams', { name: 'Site reliability', join: true });
    expect(joined.status).toBe(201);
    expect(joined.body.members.map((m) => m.id)).toEqual([me.id]);
    const mine = (await h.admin.get<{ teams: { id: string }[] }>('/api/v1/me')).body.teams.map((t) => t.id);
    expect(mine).toContain(joined.body.id);

    const apart = await h.admin.post<TeamBody>('/api/v1/teams', { name: 'Someone else’s team' });
    expect(apart.body.members).toEqual([]);
  });

  it('always adds a responder who creates a team, whatever they ask', async () => {
    const { person, client } = await h.person('responder');
    const created = await client.post<TeamBody>('/api/v1/teams', { name: 'Responders’ own', join: false });
    expect(created.status).toBe(201);
    expect(created.body.members.map((m) => m.id)).toEqual([person.id]);
  });

  it('names the field when join is not a boolean', async () => {
    const bad = await h.admin.post('/api/v1/teams', { name: 'Typo', join: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'InvalidParameter', field: expect.stringContaining('join') } });
  });
});
