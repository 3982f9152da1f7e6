/**
 * A fake Feishu / Lark Open Platform on 127.0.0.1 for the app provider (direct messages), answering
 * with Feishu's bodies:
 *   POST /open-apis/auth/v3/tenant_access_token/internal {"app_id","app_secret"}
 *        → {"code":0,"msg":"ok","tenant_access_token":"t-…","expire":7200}; wrong secret → code 10014
 *   POST /open-apis/im/v1/messages?receive_id_type=email|open_id  (Authorization: Bearer <token>)
 *        unknown / revoked token → HTTP 400 code 99991663; unknown receiver → HTTP 400 code 230013;
 *        content not a JSON string → code 230001; rateLimitNext() → HTTP 429 code 99991400 with
 *        x-ogw-ratelimit-reset: 2; success → {"code":0,"msg":"success","data":{"message_id":"om_…"}}
 */
import { VendorPeer, json, parseObject, type VendorReply, type VendorRequest } from './vendor-peer.js';

export interface FeishuDm {
  readonly receiveIdType: string;
  readonly receiveId: string;
  readonly msgType: string;
  readonly content: Record<string, unknown>;
  readonly uuid: unknown;
}

export class FakeFeishuOpen extends VendorPeer {
  readonly appId = 'cli_a1b2c3d4e5f6a7b8';
  readonly appSecret = 'feishu-app-secret-0123456789';
  /** email → open id of the tenant's users. */
  readonly users = new Map<string, string>();
  readonly messages: FeishuDm[] = [];
  private readonly tokens = new Set<string>();
  private issued = 0;
  private sent = 0;

  static async start(): Promise<FakeFeishuOpen> {
    const fake = new FakeFeishuOpen();
    await fake.listen();
    return fake;
  }

  /** Makes every issued token invalid (as after expiry). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  get tokensIssued(): number {
    return this.issued;
  }

  override reset(): void {
    super.reset();
    this.messages.length = 0;
  }

  protected answer(request: VendorRequest): VendorReply {
    const url = new URL(request.path, 'http://fake');
    const body = parseObject(request.rawBody);
    if (request.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body?.app_id !== this.appId || body.app_secret !== this.appSecret) return json(400, { code: 10014, msg: 'app secret invalid' });
      this.issued += 1;
      const token = `t-g1044${String(this.issued).padStart(6, '0')}FAKE`;
      this.tokens.add(token);
      return json(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }
    if (request.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
      const auth = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
      if (auth === undefined || !this.tokens.has(auth)) return json(400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });
      if (this.takeRateLimit()) return json(429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-reset': '2' });
      const type = url.searchParams.get('receive_id_type') ?? '';
      const id = typeof body?.receive_id === 'string' ? body.receive_id : '';
      const known = type === 'email' ? this.users.has(id) : type === 'open_id' ? [...this.users.values()].includes(id) : false;
      if (!known) return json(400, { code: 230013, msg: 'Bot has NO availability to this user.' });
      let content: unknown;
      try {
        content = typeof body?.content === 'string' ? JSON.parse(body.content) : undefined;
      } catch {
        content = undefined;
      }
      const msgType = typeof body?.msg_type === 'string' ? body.msg_type : '';
      if (typeof content !== 'object' || content === null || !['text', 'interactive', 'post'].includes(msgType)) return json(400, { code: 230001, msg: 'invalid message content' });
      this.sent += 1;
      this.messages.push({ receiveIdType: type, receiveId: id, msgType, content: content as Record<string, unknown>, uuid: body?.uuid });
      return json(200, { code: 0, msg: 'success', data: { message_id: `om_fake${this.sent}`, msg_type: msgType } });
    }
    return json(404, { code: 404, msg: 'not found' });
  }
}
