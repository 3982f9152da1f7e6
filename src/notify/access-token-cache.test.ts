import { describe, expect, it } from 'vitest';
import { AccessTokenCache, TOKEN_REFRESH_MARGIN_MS } from './access-token-cache.js';

describe('AccessTokenCache', () => {
  it('fetches once for concurrent callers, reuses until the margin before expiry, refetches after invalidate', async () => {
    const cache = new AccessTokenCache();
    let fetched = 0;
    const fetchToken = async () => {
      fetched += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { token: `t${fetched}`, expiresInMs: 7200_000 };
    };
    const [a, b] = await Promise.all([cache.get('app', 0, fetchToken), cache.get('app', 0, fetchToken)]);
    expect([a, b]).toEqual([{ token: 't1' }, { token: 't1' }]);
    expect(await cache.get('app', 7200_000 - TOKEN_REFRESH_MARGIN_MS - 1, fetchToken)).toEqual({ token: 't1' });
    expect(await cache.get('app', 7200_000 - TOKEN_REFRESH_MARGIN_MS, fetchToken)).toEqual({ token: 't2' });
    cache.invalidate('app', 't1');
    expect(await cache.get('app', 7200_000, fetchToken)).toEqual({ token: 't2' });
    cache.invalidate('app', 't2');
    expect(await cache.get('app', 7200_000, fetchToken)).toEqual({ token: 't3' });
    expect(fetched).toBe(3);
  });

  it('passes fetch errors through without caching them', async () => {
    const cache = new AccessTokenCache();
    expect(await cache.get('k', 0, async () => ({ error: 'bad secret', transient: false }))).toEqual({ error: 'bad secret', transient: false });
    expect(await cache.get('k', 0, async () => ({ token: 'ok', expiresInMs: 60_000_000 }))).toEqual({ token: 'ok' });
  });
});
