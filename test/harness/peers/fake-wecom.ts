/**
 * A fake WeCom group robot on 127.0.0.1 (`POST /cgi-bin/webhook/send?key=…`) that checks requests the
 * way WeCom does and answers with its bodies (always HTTP 200):
 *   unknown key                      → {"errcode":93000,"errmsg":"invalid webhook url, hint: …"}
 *   bad JSON                         → {"errcode":40035,"errmsg":"invalid parameter"}
 *   unknown msgtype                  → {"errcode":40008,"errmsg":"invalid message type"}
 *   markdown content > 4096 bytes,
 *   text content > 2048 bytes        → {"errcode":40058,"errmsg":"content exceed max length"}
 *   rateLimitNext()                  → {"errcode":45009,"errmsg":"api freq out of limit"}
 *   success                          → {"errcode":0,"errmsg":"ok"}
 */
import { VendorPeer, json, parseObject, type VendorReply, type VendorRequest } from './vendor-peer.js';

export class FakeWeCom extends VendorPeer {
  /** Accepted message bodies. */
  readonly messages: Record<string, unknown>[] = [];
  readonly key: string;

  private constructor(key: string) {
    super();
    this.key = key;
  }

  static async start(options: { key?: string } = {}): Promise<FakeWeCom> {
    const fake = new FakeWeCom(options.key ?? '693a91f6-7a0c-4bc4-97a0-0ec2f1fa5aaa');
    await fake.listen();
    return fake;
  }

  get webhookUrl(): string {
    return `${this.url}/cgi-bin/webhook/send?key=${this.key}`;
  }

  override reset(): void {
    super.reset();
    this.messages.length = 0;
  }

  protected answer(request: VendorRequest): VendorReply {
    const url = new URL(request.path, 'http://fake.invalid');
    if (request.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send') return json(404, { errcode: 404, errmsg: 'not found' });
    if (url.searchParams.get('key') !== this.key) return json(200, { errcode: 93000, errmsg: 'invalid webhook url, hint: [1767603600_1_x]' });
    const body = parseObject(request.rawBody);
    if (!body) return json(200, { errcode: 40035, errmsg: 'invalid parameter' });
    const type = body.msgtype;
    const part = typeof type === 'string' ? body[type] : undefined;
    if ((type !== 'markdown' && type !== 'text') || typeof part !== 'object' || part === null) return json(200, { errcode: 40008, errmsg: 'invalid message type' });
    const content = (part as { content?: unknown }).content;
    if (typeof content !== 'string' || content === '') return json(200, { errcode: 44004, errmsg: 'empty content' });
    if (Buffer.byteLength(content, 'utf8') > (type === 'markdown' ? 4096 : 2048)) return json(200, { errcode: 40058, errmsg: 'content exceed max length' });
    if (this.takeRateLimit()) return json(200, { errcode: 45009, errmsg: 'api freq out of limit' });
    this.messages.push(body);
    return json(200, { errcode: 0, errmsg: 'ok' });
  }
}
