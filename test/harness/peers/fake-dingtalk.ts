/**
 * A fake DingTalk custom robot on 127.0.0.1 (`POST /robot/send?access_token=…[&timestamp=…&sign=…]`)
 * that checks requests the way DingTalk does and answers with its bodies (always HTTP 200):
 *   unknown access_token             → {"errcode":300001,"errmsg":"token is not exist"}
 *   secret set, timestamp missing or more than an hour off
 *                                    → {"errcode":310000,"errmsg":"invalid timestamp"}
 *   sign missing or wrong            → {"errcode":310000,"errmsg":"sign not match"}
 *   keyword missing                  → {"errcode":310000,"errmsg":"keywords not in content"}
 *   bad JSON / msgtype               → {"errcode":40035,"errmsg":"缺少参数 json"} / {"errcode":40035,…}
 *   rateLimitNext()                  → {"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}
 *   success                          → {"errcode":0,"errmsg":"ok"}
 * The signature is checked with this file's own code: the query is decoded like a form (so a `+` sent
 * unencoded turns into a space and fails, as on DingTalk), then compared with base64
 * HMAC-SHA256(secret, `timestamp\nsecret`).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DingTalkAnswer {
  readonly errcode: number;
  readonly errmsg: string;
}

export interface DingTalkRequest {
  /** Path and query exactly as sent. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly rawBody: string;
  readonly answer: DingTalkAnswer;
}

export interface FakeDingTalkOptions {
  /** The robot's access token; default `d1n9t0k3n0123456789abcdef`. */
  readonly accessToken?: string;
  /** When set, requests must carry a valid `timestamp` + `sign` in the query. */
  readonly secret?: string;
  readonly keywords?: readonly string[];
  /** The fake's clock (ms) for the one-hour window; default Date.now. */
  readonly now?: () => number;
}

export const DINGTALK_SIGN_ERROR: DingTalkAnswer = { errcode: 310000, errmsg: 'sign not match' };
const MSG_TYPES = new Set(['text', 'link', 'markdown', 'actionCard', 'feedCard']);

export class FakeDingTalk {
  readonly requests: DingTalkRequest[] = [];
  /** Accepted message bodies. */
  readonly messages: Record<string, unknown>[] = [];
  readonly accessToken: string;
  private readonly secret: string | undefined;
  private readonly keywords: readonly string[];
  private readonly now: () => number;
  private rateLimited = 0;
  private readonly server: Server;
  private baseUrl = '';

  private constructor(options: FakeDingTalkOptions) {
    this.accessToken = options.accessToken ?? 'd1n9t0k3n0123456789abcdef';
    this.secret = options.secret;
    this.keywords = options.keywords ?? [];
    this.now = options.now ?? Date.now;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '';
        const query = new URL(path, 'http://fake.invalid').searchParams;
        const answer = this.check(req.method ?? '', path, query, rawBody);
        this.requests.push({ path, query, headers: req.headers, rawHeaders: [...req.rawHeaders], rawBody, answer });
        res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify(answer));
      });
    });
  }

  static async start(options: FakeDingTalkOptions = {}): Promise<FakeDingTalk> {
    const fake = new FakeDingTalk(options);
    fake.baseUrl = await new Promise<string>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`));
    });
    return fake;
  }

  /** The robot's webhook URL (without timestamp and sign). */
  get webhookUrl(): string {
    return `${this.baseUrl}/robot/send?access_token=${this.accessToken}`;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The next `count` messages are refused with DingTalk's "send too fast" code. */
  rateLimitNext(count = 1): void {
    this.rateLimited += count;
  }

  reset(): void {
    this.requests.length = 0;
    this.messages.length = 0;
    this.rateLimited = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** DingTalk's signature (before URL encoding), computed here independently of the provider. */
  static sign(secret: string, timestamp: string): string {
    return createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
      .digest()
      .toString('base64');
  }

  private check(method: string, path: string, query: URLSearchParams, rawBody: string): DingTalkAnswer {
    if (method !== 'POST' || !path.startsWith('/robot/send?')) return { errcode: 404, errmsg: 'not found' };
    if (query.get('access_token') !== this.accessToken) return { errcode: 300001, errmsg: 'token is not exist' };
    if (this.secret !== undefined) {
      const timestamp = query.get('timestamp') ?? '';
      if (!/^\d{13}$/.test(timestamp) || Math.abs(this.now() - Number(timestamp)) > 3600_000) return { errcode: 310000, errmsg: 'invalid timestamp' };
      if (query.get('sign') !== FakeDingTalk.sign(this.secret, timestamp)) return DINGTALK_SIGN_ERROR;
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { errcode: 40035, errmsg: '缺少参数 json' };
      body = parsed as Record<string, unknown>;
    } catch {
      return { errcode: 40035, errmsg: '缺少参数 json' };
    }
    const type = body.msgtype;
    if (typeof type !== 'string' || !MSG_TYPES.has(type) || typeof body[type] !== 'object') return { errcode: 40035, errmsg: '缺少参数 msgtype' };
    if (this.rateLimited > 0) {
      this.rateLimited -= 1;
      return { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' };
    }
    if (this.keywords.length > 0) {
      const content = JSON.stringify(body[type]);
      if (!this.keywords.some((k) => content.includes(k))) return { errcode: 310000, errmsg: 'keywords not in content' };
    }
    this.messages.push(body);
    return { errcode: 0, errmsg: 'ok' };
  }
}
