/**
 * A real HTTP server on 127.0.0.1 that records every request (method, path, headers, raw body) and
 * answers from a script, then with a default 200:
 *
 *   const hook = await HttpPeer.start();
 *   hook.respondWith(429, 'slow down', { 'Retry-After': '30' });
 *   … send …
 *   const request = await hook.waitFor((r) => r.path === '/hook');
 *   await hook.close();
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  /** Header names in lower case (node's view). */
  readonly headers: IncomingHttpHeaders;
  /** Name/value pairs exactly as received, in order. */
  readonly rawHeaders: readonly string[];
  /** The body exactly as received. */
  readonly rawBody: Buffer;
  /** `rawBody` as UTF-8. */
  readonly body: string;
}

type Scripted = { readonly kind: 'respond'; readonly status: number; readonly body: string; readonly headers: Readonly<Record<string, string>> } | { readonly kind: 'drop' };

export class HttpPeer {
  readonly requests: CapturedRequest[] = [];
  /** Answer every request this many milliseconds after it arrived (a slow vendor); recorded on arrival. */
  delayMs = 0;
  private readonly script: Scripted[] = [];
  private readonly waiters = new Set<() => void>();

  private readonly server: Server;
  private baseUrl = '';

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const next = this.script.shift();
        this.record({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawHeaders: [...req.rawHeaders], rawBody, body: rawBody.toString('utf8') });
        if (next?.kind === 'drop') {
          req.socket.destroy();
          return;
        }
        const answer = () => {
          res.writeHead(next?.status ?? 200, { 'content-type': 'text/plain', ...(next?.headers ?? {}) });
          res.end(next?.body ?? '');
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
  }

  /** Base URL, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  static async start(): Promise<HttpPeer> {
    const peer = new HttpPeer();
    peer.baseUrl = await new Promise<string>((resolve, reject) => {
      peer.server.once('error', reject);
      peer.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(peer.server.address() as AddressInfo).port}`));
    });
    return peer;
  }

  /** Queues the answer to the next unanswered request. */
  respondWith(status: number, body = '', headers: Readonly<Record<string, string>> = {}): void {
    this.script.push({ kind: 'respond', status, body, headers });
  }

  /** The next request is read, recorded, then its connection is destroyed without an answer. */
  dropNext(): void {
    this.script.push({ kind: 'drop' });
  }

  /** Resolves with the first request (already received or arriving within `timeoutMs`) that matches. */
  waitFor(predicate: (request: CapturedRequest) => boolean = () => true, timeoutMs = 5000): Promise<CapturedRequest> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.requests.find(predicate);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(onRequest);
        resolve(found);
        return true;
      };
      const onRequest = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(onRequest);
        reject(new Error(`HTTP peer: no matching request within ${timeoutMs} ms (got ${this.requests.length})`));
      }, timeoutMs);
      if (!check()) this.waiters.add(onRequest);
    });
  }

  /** Forgets recorded requests and unused scripted answers. */
  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private record(request: CapturedRequest): void {
    this.requests.push(request);
    for (const waiter of [...this.waiters]) waiter();
  }
}
