import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

describe.each(dialects)('verification codes per day (issue 10 item 15) on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect, { devMode: true });
  });
  afterAll(async () => h?.stop());

  it('sends at most 10 codes to one person per rolling day, whatever the 30 s resend wait allows', async () => {
    const { client } = await h.person('responder');
    for (let i = 0; i < 10; i += 1) {
      const sent = await client.post('/api/v1/me/verifications', { kind: 'email' });
      expect(sent.status, `code ${i + 1}`).toBe(202);
      await h.advance('31s');
    }
    const capped = await client.post<{ error: { code: string; message: string; field: string } }>('/api/v1/me/verifications', { kind: 'email' });
    expect(capped.status).toBe(429);
    expect(capped.body.error).toMatchObject({ code: 'RequestTooFrequently', field: 'kind', message: 'kind: at most 10 codes per day; try again tomorrow' });
    // Another person is not affected.
    const other = await h.person('responder');
    expect((await other.client.post('/api/v1/me/verifications', { kind: 'email' })).status).toBe(202);
    await h.advance('24h');
    expect((await client.post('/api/v1/me/verifications', { kind: 'email' })).status).toBe(202);
  });
});
