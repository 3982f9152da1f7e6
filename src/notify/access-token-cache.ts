/**
 * Vendor access tokens of app-based IM providers (Feishu `tenant_access_token`, DingTalk
 * `access_token`): fetched once, reused until shortly before they expire, dropped when the vendor says
 * a token is invalid. Part of the provider interface like `provider-kit.ts` (imports nothing), so
 * providers may use it. One cache per process: each node fetches its own tokens, which both vendors
 * allow (a new token does not revoke the previous one while it is valid).
 */

/** Refresh this long before the vendor's expiry, so a token never dies in flight. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

interface Entry {
  readonly token: string;
  readonly expiresAt: number;
}

export type TokenFetch = () => Promise<{ token: string; expiresInMs: number } | { error: string; transient: boolean }>;

export class AccessTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, ReturnType<TokenFetch>>();

  /** A valid token for `key` at `now`, fetching one (once, even for concurrent callers) when needed. */
  async get(key: string, now: number, fetchToken: TokenFetch): Promise<{ token: string } | { error: string; transient: boolean }> {
    const entry = this.entries.get(key);
    if (entry && now < entry.expiresAt - TOKEN_REFRESH_MARGIN_MS) return { token: entry.token };
    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = fetchToken().finally(() => this.pending.delete(key));
      this.pending.set(key, inFlight);
    }
    const fetched = await inFlight;
    if ('error' in fetched) return fetched;
    this.entries.set(key, { token: fetched.token, expiresAt: now + fetched.expiresInMs });
    return { token: fetched.token };
  }

  /** Forgets `token` for `key` (the vendor refused it), unless a newer one replaced it already. */
  invalidate(key: string, token: string): void {
    if (this.entries.get(key)?.token === token) this.entries.delete(key);
  }
}
