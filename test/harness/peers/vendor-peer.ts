/**
 * The common base of the fake vendor APIs added for issue 12 (WeCom, Teams, Discord, Telegram, Aliyun,
 * Tencent): a real HTTP server on 127.0.0.1 that records every request exactly as received and answers
 * through the subclass's `answer`, which checks the request the way the vendor does. Scripted
 * rate limits (`rateLimitNext`) let tests prove a 429 is queued, never dropped.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VendorRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Name/value pairs exactly as received, in order. */
  readonly rawHeaders: readonly string[];
  readonly rawBody: string;
  /** The body's bytes (binary bodies such as encrypted pushes). */
  readonly rawBytes: Buffer;
}

export interface VendorReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export abstract class VendorPeer {
  readonly requests: (VendorRequest & { readonly reply: VendorReply })[] = [];
  protected rateLimited = 0;
  private readonly server: Server;
  private baseUrl = '';
  private readonly waiters = new Set<() => void>();

  protected constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request: VendorRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          rawHeaders: [...req.rawHeaders],
          rawBody: Buffer.concat(chunks).toString('utf8'),
          rawBytes: Buffer.concat(chunks),
        };
        let reply: VendorReply;
        try {
          reply = this.answer(request);
        } catch (error) {
          reply = { status: 500, body: String(error) };
        }
        this.requests.push({ ...request, reply });
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...(reply.headers ?? {}) });
        res.end(reply.body);
        for (const waiter of [...this.waiters]) waiter();
      });
    });
  }

  /** Checks one request as the vendor does and says what to answer. */
  protected abstract answer(request: VendorRequest): VendorReply;

  protected async listen(): Promise<void> {
    this.baseUrl = await new Promise<string>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}`));
    });
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  /** The next `count` requests that would succeed are refused with the vendor's rate-limit answer. */
  rateLimitNext(count = 1): void {
    this.rateLimited += count;
  }

  /** Consumes one scripted rate limit, if any. */
  protected takeRateLimit(): boolean {
    if (this.rateLimited === 0) return false;
    this.rateLimited -= 1;
    return true;
  }

  reset(): void {
    this.requests.length = 0;
    this.rateLimited = 0;
  }

  /** Resolves with the first request (already received or arriving within `timeoutMs`) that matches. */
  waitFor(predicate: (request: VendorRequest & { reply: VendorReply }) => boolean = () => true, timeoutMs = 5000): Promise<VendorRequest & { reply: VendorReply }> {
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
        reject(new Error(`fake vendor: no matching request within ${timeoutMs} ms (got ${this.requests.length})`));
      }, timeoutMs);
      if (!check()) this.waiters.add(onRequest);
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Headers the provider chose, without those `fetch` adds by itself. */
export function ownHeaders(rawHeaders: readonly string[]): [string, string][] {
  const added = new Set(['host', 'connection', 'accept', 'accept-language', 'sec-fetch-mode', 'accept-encoding', 'content-length']);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (!added.has((rawHeaders[i] ?? '').toLowerCase())) pairs.push([rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '']);
  return pairs;
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): VendorReply {
  return { status, headers, body: JSON.stringify(body) };
}

/** Parses a JSON object body, or undefined. */
export function parseObject(rawBody: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
