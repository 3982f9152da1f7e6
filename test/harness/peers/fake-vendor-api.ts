/**
 * A vendor REST API on 127.0.0.1 serving fixtures (PagerDuty, Opsgenie, Grafana OnCall), with each
 * vendor's own pagination, checking the token as the vendor does, and recording what was asked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (path: string, query: URLSearchParams, base: string) => unknown;

export class FakeVendorApi {
  readonly requests: { method: string; path: string; authorization: string | undefined }[] = [];
  private baseUrl = '';

  private constructor(
    private readonly server: Server,
    private readonly auth: string,
  ) {}

  /** `routes` answers a path (without query) or undefined for 404; `auth` is the exact Authorization header expected. */
  static async start(auth: string, routes: Route): Promise<FakeVendorApi> {
    const holder: { api?: FakeVendorApi } = {};
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      holder.api?.requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET') return send(405, { message: 'method not allowed' });
      if (req.headers.authorization !== holder.api?.auth) return send(401, { error: { message: 'Unauthorized', code: 2006 } });
      const answer = routes(url.pathname, url.searchParams, holder.api?.url ?? '');
      if (answer === undefined) return send(404, { error: { message: 'Not Found', code: 2100 } });
      send(200, answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new FakeVendorApi(server, auth);
    holder.api = api;
    api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return api;
  }

  get url(): string {
    return this.baseUrl;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** PagerDuty's classic pagination: `limit`, `offset`, `more`, `total` (capped at `maxLimit` per page). */
export function pagerDutyPage(collection: string, items: readonly unknown[], query: URLSearchParams, maxLimit = 2) {
  const limit = Math.min(Number(query.get('limit') ?? 25), maxLimit);
  const offset = Number(query.get('offset') ?? 0);
  return { [collection]: items.slice(offset, offset + limit), limit, offset, more: offset + limit < items.length, total: items.length };
}

/** Opsgenie's pagination: `paging.next` as an absolute URL while more remain. */
export function opsgeniePage(items: readonly unknown[], query: URLSearchParams, base: string, path: string, maxLimit = 2) {
  const limit = Math.min(Number(query.get('limit') ?? 20), maxLimit);
  const offset = Number(query.get('offset') ?? 0);
  const next = offset + limit < items.length ? `${base}${path}?limit=${limit}&offset=${offset + limit}` : undefined;
  return { data: items.slice(offset, offset + limit), paging: { ...(next && { next }), first: `${base}${path}?limit=${limit}&offset=0` }, took: 0.01, requestId: 'fixture' };
}

/** Grafana OnCall's (Django REST) pagination: `page`, with `next` as an absolute URL or null. */
export function oncallPage(items: readonly unknown[], query: URLSearchParams, base: string, path: string, pageSize = 2) {
  const page = Number(query.get('page') ?? 1);
  const start = (page - 1) * pageSize;
  const rest = [...query.entries()].filter(([k]) => k !== 'page').map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
  return {
    count: items.length,
    next: start + pageSize < items.length ? `${base}${path}?page=${page + 1}${rest}` : null,
    previous: page > 1 ? `${base}${path}?page=${page - 1}${rest}` : null,
    results: items.slice(start, start + pageSize),
    page_size: pageSize,
    current_page_number: page,
    total_pages: Math.ceil(items.length / pageSize),
  };
}
