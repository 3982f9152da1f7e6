import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { ADMIN_PASSWORD, Harness, PASSWORD } from '../harness/tocsin.js';

const dialects = await testDialects();

describe.each(dialects)('sign-in, sessions and API keys on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it('refuses a second first-admin setup once an admin exists', async () => {
    expect((await h.client().get('/api/v1/setup')).body).toEqual({ needs_setup: false });
    const again = await h.client().post('/api/v1/setup', { email: 'evil@example.com', name: 'Evil', password: 'a long enough password' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'Conflict' } });
  });

  it('signs in, reads me, and signs out', async () => {
    const client = h.client();
    const login = await client.post('/api/v1/auth/login', { email: 'ADMIN@example.com', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers.getSetCookie().join('\n')).toMatch(/tocsin_session=[^;]+;.*HttpOnly.*SameSite=Lax/i);
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'admin@example.com', name: 'Ada Admin', role: 'admin' });
    expect(me.body).not.toHaveProperty('password_hash');

    const token = client.cookie('tocsin_session');
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(401);
    // The old cookie is dead on the server, not just forgotten by the browser.
    const replay = await h.client().request('GET', '/api/v1/me', undefined, { cookie: `tocsin_session=${token}` });
    expect(replay.status).toBe(401);
  });

  it('answers a wrong password with 401 and rate-limits repeated failures with 429', async () => {
    const { person } = await h.person('responder');
    const client = h.client();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await client.post('/api/v1/auth/login', { email: person.email, password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: { code: 'Unauthorized', message: 'wrong email or password' } });
    }
    const limited = await client.post('/api/v1/auth/login', { email: person.email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'RequestTooFrequently' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    await h.advance('16m');
    expect((await client.post('/api/v1/auth/login', { email: person.email, password: PASSWORD })).status).toBe(200);
  });

  it('does not tell unknown emails from wrong passwords', async () => {
    const unknown = await h.client().post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'whatever it is' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: { message: 'wrong email or password' } });
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const { client } = await h.person('responder');
    client.sendCsrf = false;
    const forged = await client.post('/api/v1/teams', { name: 'Forged team' });
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ error: { code: 'AccessDenied', message: expect.stringContaining('X-CSRF-Token') } });
    const wrong = await client.request('POST', '/api/v1/teams', { name: 'Forged team' }, { 'x-csrf-token': 'guess' });
    expect(wrong.status).toBe(403);
    client.sendCsrf = true;
    expect((await client.post('/api/v1/teams', { name: 'Real team' })).status).toBe(201);
  });

  it('expires sessions after their lifetime', async () => {
    const { client } = await h.person('viewer');
    expect((await client.get('/api/v1/me')).status).toBe(200);
    await h.advance('337h');
    const expired = await client.get('/api/v1/me');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: { message: expect.stringContaining('expired') } });
  });

  it('authenticates with an API key, shows it once, and stops accepting it when revoked', async () => {
    const { person, client } = await h.person('responder');
    const created = await client.post<{ id: string; key: string; prefix: string }>('/api/v1/me/api-keys', { name: 'terraform' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^tcn_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$/);

    const listed = await client.get<{ data: Record<string, unknown>[] }>('/api/v1/me/api-keys');
    expect(listed.body.data).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key.slice(created.body.prefix.length + 1));

    const script = h.client().withApiKey(created.body.key);
    const me = await script.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: person.id });
    // Key holders are scripts: no CSRF header needed.
    expect((await script.post('/api/v1/teams', { name: `Team of ${person.id}` })).status).toBe(201);

    const tampered = created.body.key.slice(0, -2) + (created.body.key.endsWith('AA') ? 'BB' : 'AA');
    expect((await h.client().withApiKey(tampered).get('/api/v1/me')).status).toBe(401);

    expect((await client.delete(`/api/v1/me/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await script.get('/api/v1/me')).status).toBe(401);
  });

  it('allows at most five API keys per person', async () => {
    const { client } = await h.person('responder');
    for (let i = 0; i < 5; i += 1) expect((await client.post('/api/v1/me/api-keys', { name: `key ${i}` })).status).toBe(201);
    const sixth = await client.post('/api/v1/me/api-keys', { name: 'key 6' });
    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ error: { field: 'name' } });
  });

  it('changes a password, ending other sessions', async () => {
    const { person, client } = await h.person('responder');
    const other = h.client();
    expect((await other.post('/api/v1/auth/login', { email: person.email, password: PASSWORD })).status).toBe(200);
    const wrong = await client.post('/api/v1/me/password', { current_password: 'nope nope nope', new_password: 'a brand new password' });
    expect(wrong).toMatchObject({ status: 400, body: { error: { field: 'current_password' } } });
    const short = await client.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'short' });
    expect(short).toMatchObject({ status: 400, body: { error: { field: 'new_password' } } });
    expect((await client.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'a brand new password' })).status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await h.client().post('/api/v1/auth/login', { email: person.email, password: 'a brand new password' })).status).toBe(200);
  });

  it('refuses disabled people', async () => {
    const { person, client } = await h.person('responder');
    expect((await h.admin.patch(`/api/v1/users/${person.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect((await h.client().post('/api/v1/auth/login', { email: person.email, password: PASSWORD })).status).toBe(401);
  });
});
