import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, PASSWORD } from '../harness/tocsin.js';

const dialects = await testDialects();

async function login(h: Harness, email: string, password: string, forwardedFor?: string): Promise<number> {
  const response = await fetch(`${h.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor && { 'x-forwarded-for': forwardedFor }) },
    body: JSON.stringify({ email, password }),
  });
  await response.text();
  return response.status;
}

describe.each(dialects)('sign-in limits (issue 10 item 14) on %s', (dialect) => {
  describe('without a trusted proxy', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await Harness.start(dialect);
    });
    afterAll(async () => h?.stop());

    it('checks only 5 of 40 concurrent guesses at one account', async () => {
      const { person } = await h.person('responder');
      const statuses = await Promise.all(Array.from({ length: 40 }, () => login(h, person.email, 'a wrong guess')));
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(35);
      await h.advance('16m');
    });
  });

  describe('behind a trusted proxy', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await Harness.start(dialect, { env: { TOCSIN_TRUSTED_PROXIES: '127.0.0.1' } });
    });
    afterAll(async () => h?.stop());

    it('slows an account under attack instead of locking its owner out from everywhere', async () => {
      const { person } = await h.person('responder');
      for (let i = 0; i < 5; i += 1) expect(await login(h, person.email, 'a wrong guess', '198.51.100.7')).toBe(401);
      // The guesser's own address is stopped for the window.
      expect(await login(h, person.email, PASSWORD, '198.51.100.7')).toBe(429);
      // The owner, elsewhere, waits seconds: the account backs off, it is not locked for 15 minutes.
      await h.advance('3s');
      expect(await login(h, person.email, PASSWORD, '192.0.2.10')).toBe(200);
    });
  });
});

// The limiter lives in memory, whatever the database: this slower check (51 password checks) runs once.
describe('sign-in limits without a trusted proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start('sqlite');
  });
  afterAll(async () => h?.stop());

  it('ignores X-Forwarded-For, so rotating it does not escape the per-address limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 51; i += 1) statuses.push(await login(h, `nobody${i}@example.com`, 'a wrong guess', `203.0.113.${i}`));
    expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(statuses[50]).toBe(429);
    await h.advance('16m');
  });
});
