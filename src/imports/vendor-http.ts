/**
 * GET-only JSON client for vendor REST APIs, with a timeout and errors that name the URL. The
 * importer reads; it never writes to the vendor.
 */
export type Json = Record<string, unknown>;

export interface VendorFetch {
  /** The API base URL, without a trailing slash. */
  readonly base: string;
  /** GETs a path under the base (or an absolute URL on the same host, for "next" links). */
  get(pathOrUrl: string): Promise<Json>;
}

/** A failed vendor request (bad token, wrong URL, vendor error). */
export class VendorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendorError';
  }
}

export function createVendorFetch(options: { base: string; headers: Record<string, string>; fetch?: typeof fetch; timeoutMs?: number }): VendorFetch {
  const base = options.base.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const origin = new URL(base).origin;
  return {
    base,
    async get(pathOrUrl: string): Promise<Json> {
      const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`;
      // "next" links must stay on the vendor's host: the token is never sent elsewhere.
      if (new URL(url).origin !== origin) throw new VendorError(`refusing to follow ${url}: not on ${origin}`);
      let response: Response;
      try {
        response = await doFetch(url, { headers: { accept: 'application/json', ...options.headers }, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      } catch (error) {
        throw new VendorError(`GET ${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const text = await response.text();
      if (!response.ok) throw new VendorError(`GET ${url}: HTTP ${response.status}${response.status === 401 || response.status === 403 ? ' (check the token)' : ''}: ${text.slice(0, 200)}`);
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        return parsed as Json;
      } catch {
        throw new VendorError(`GET ${url}: the answer is not a JSON object`);
      }
    },
  };
}
