/**
 * A fake Feishu / Lark custom bot endpoint on 127.0.0.1 (`POST /open-apis/bot/v2/hook/<token>`) that
 * checks requests the way Feishu does and answers with Feishu's bodies (always HTTP 200):
 *   unknown token        → {"code":19001,"data":{},"msg":"param invalid: incoming webhook access token invalid"}
 *   bad or missing sign, or a timestamp more than an hour off
 *                        → {"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}
 *   keyword missing      → {"code":19024,"data":{},"msg":"Key Words Not Found"}
 *   bad JSON / msg_type  → {"code":9499,"data":{},"msg":"Bad Request"} / {"code":19002,…}
 *   rateLimitNext()      → {"code":11232,"data":{},"msg":"frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"}
 *   success              → {"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}
 * The signature is checked with this file's own HMAC code (key `timestamp + "\n" + secret`, empty
 * message, base64), never the provider's.
 *
 *   const feishu = await FakeFeishu.start({ secret: 'abc', now: () => NOW });
 *   … send to feishu.hookUrl …
 *   feishu.messages[0].body.card
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeishuRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly rawBody: string;
  /** The answer the fake gave. */
  readonly answer: FeishuAnswer;
}

export interface FeishuAnswer {
  readonly code: number;
  readonly msg: string;
}

export interface FeishuMessage {
  readonly token: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface FakeFeishuOptions {
  /** The bot's webhook token; default `0c8a7f6e-tocsin-bot`. */
  readonly token?: string;
  /** When set, requests must carry a valid `timestamp` + `sign`. */
  readonly secret?: string;
  /** When set, the message must contain one of them ("custom keywords" security). */
  readonly keywords?: readonly string[];
  /** The fake's clock (ms) for the one-hour timestamp window; default Date.now. */
  readonly now?: () => number;
}

export const FEISHU_SIGN_ERROR: FeishuAnswer = { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' };
const MSG_TYPES = new Set(['text', 'post', 'image', 'share_chat', 'interactive']);

export class FakeFeishu {
  /** Every request, accepted or not. */
  readonly requests: FeishuRequest[] = [];
  /** Accepted messages only. */
  readonly messages: FeishuMessage[] = [];
  readonly token: string;
  private readonly secret: string | undefined;
  private readonly keywords: readonly string[];
  private readonly now: () => number;
  private rateLimited = 0;
  private readonly server: Server;
  private baseUrl = '';

  private constructor(options: FakeFeishuOptions) {
    this.token = options.token ?? '0c8a7f6e-tocsin-bot';
    this.secret = options.secret;
    this.keywords = options.keywords ?? [];
    this.now = options.now ?? Date.now;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const answer = this.check(req.method ?? '', req.url ?? '', rawBody);
        this.requests.push({ path: req.url ?? '', headers: req.headers, rawHeaders: [...req.rawHeaders], rawBody, answer });
        const body =
          answer.code === 0 ? { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' } : { code: answer.code, data: {}, msg: answer.msg };
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      });
    });
  }

  static async start(options: FakeFeishuOptions = {}): Promise<FakeFeishu> {
    const fake = new FakeFeishu(options);
    fake.baseUrl = await new Promise<string>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`));
    });
    return fake;
  }

  /** The bot's webhook URL. */
  get hookUrl(): string {
    return `${this.baseUrl}/open-apis/bot/v2/hook/${this.token}`;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The next `count` requests are refused with Feishu's flow-control code. */
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

  /** Feishu's signature, computed here independently of the provider. */
  static sign(secret: string, timestamp: string): string {
    const mac = createHmac('sha256', Buffer.from(`${timestamp}\n${secret}`, 'utf8'));
    return mac.update(Buffer.alloc(0)).digest().toString('base64');
  }

  private check(method: string, path: string, rawBody: string): FeishuAnswer {
    const match = /^\/open-apis\/bot\/v2\/hook\/([^/?]+)$/.exec(path);
    if (method !== 'POST' || !match) return { code: 9499, msg: 'Bad Request' };
    if (match[1] !== this.token) return { code: 19001, msg: 'param invalid: incoming webhook access token invalid' };
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { code: 9499, msg: 'Bad Request' };
      body = parsed as Record<string, unknown>;
    } catch {
      return { code: 9499, msg: 'Bad Request' };
    }
    if (this.rateLimited > 0) {
      this.rateLimited -= 1;
      return { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]' };
    }
    if (this.secret !== undefined) {
      const timestamp = typeof body.timestamp === 'string' ? body.timestamp : typeof body.timestamp === 'number' ? String(body.timestamp) : '';
      const sign = typeof body.sign === 'string' ? body.sign : '';
      if (!/^\d+$/.test(timestamp) || Math.abs(Math.floor(this.now() / 1000) - Number(timestamp)) > 3600) return FEISHU_SIGN_ERROR;
      if (sign !== FakeFeishu.sign(this.secret, timestamp)) return FEISHU_SIGN_ERROR;
    }
    if (typeof body.msg_type !== 'string' || !MSG_TYPES.has(body.msg_type)) return { code: 19002, msg: 'params error, msg_type need' };
    if (body.msg_type === 'interactive' && (typeof body.card !== 'object' || body.card === null)) return { code: 19002, msg: 'params error, card need' };
    if (this.keywords.length > 0) {
      const content = JSON.stringify({ content: body.content, card: body.card });
      if (!this.keywords.some((k) => content.includes(k))) return { code: 19024, msg: 'Key Words Not Found' };
    }
    this.messages.push({ token: match[1] ?? '', body });
    return { code: 0, msg: 'success' };
  }
}
