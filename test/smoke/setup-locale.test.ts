import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

/**
 * The setup page's language (issue 13): the first administrator keeps the language they set up in,
 * instead of the console switching to English right after the account is created.
 */
describe.each(dialects)('the first administrator’s language on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect, { skipSetup: true });
  });
  afterAll(async () => h?.stop());

  it('refuses a locale that is not a language tag length, naming the field', async () => {
    const bad = await h.client().post('/api/v1/setup', { email: 'ada@example.com', name: 'Ada', password: 'a long enough password', locale: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { field: expect.stringContaining('locale') } });
    expect((await h.client().get('/api/v1/setup')).body).toEqual({ needs_setup: true });
  });

  it('stores the locale chosen on the setup page as the administrator’s', async () => {
    const client = h.client();
    const setup = await client.post<{ user: { locale: string } }>('/api/v1/setup', {
      email: 'ada@example.com',
      name: 'Ada',
      password: 'a long enough password',
      locale: 'zh-CN',
    });
    expect(setup.status).toBe(201);
    expect(setup.body.user.locale).toBe('zh-CN');
    expect((await client.get<{ locale: string }>('/api/v1/me')).body.locale).toBe('zh-CN');
  });
});

describe('the first administrator’s language without a choice', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start('sqlite');
  });
  afterAll(async () => h?.stop());

  it('is English, as before', async () => {
    expect((await h.admin.get<{ locale: string }>('/api/v1/me')).body.locale).toBe('en');
  });
});
