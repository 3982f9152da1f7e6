/**
 * A fake DingTalk open API (oapi) on 127.0.0.1 for work notifications, answering with DingTalk's
 * bodies (HTTP 200 with an errcode):
 *   GET  /gettoken?appkey&appsecret → {"errcode":0,"access_token":"…","expires_in":7200,"errmsg":"ok"}; wrong → 40089
 *   POST /topapi/v2/user/getbymobile?access_token=… {"mobile"} → {"errcode":0,"result":{"userid":…}}; unknown → 60121
 *   POST /topapi/message/corpconversation/asyncsend_v2?access_token=… → {"errcode":0,"task_id":…,"request_id":…}
 *   invalid token anywhere → 40014 不合法的access_token; rateLimitNext() → 90018 on the send.
 */
import { VendorPeer, json, parseObject, type VendorReply, type VendorRequest } from './vendor-peer.js';

export interface DingTalkWorkNotice {
  readonly agentId: unknown;
  readonly userIds: string;
  readonly msg: Record<string, unknown>;
}

export class FakeDingTalkOpen extends VendorPeer {
  readonly appKey = 'dingabcdefgh12345678';
  readonly appSecret = 'dingtalk-app-secret-0123456789';
  readonly agentId = 2871000123;
  /** mobile as DingTalk stores it → user id. */
  readonly users = new Map<string, string>();
  readonly notices: DingTalkWorkNotice[] = [];
  private readonly tokens = new Set<string>();
  private issued = 0;
  private task = 900;

  static async start(): Promise<FakeDingTalkOpen> {
    const fake = new FakeDingTalkOpen();
    await fake.listen();
    return fake;
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  get tokensIssued(): number {
    return this.issued;
  }

  protected answer(request: VendorRequest): VendorReply {
    const url = new URL(request.path, 'http://fake');
    if (request.method === 'GET' && url.pathname === '/gettoken') {
      if (url.searchParams.get('appkey') !== this.appKey || url.searchParams.get('appsecret') !== this.appSecret) return json(200, { errcode: 40089, errmsg: '不合法的corpid或corpsecret' });
      this.issued += 1;
      const token = `dt${String(this.issued).padStart(8, '0')}fake`;
      this.tokens.add(token);
      return json(200, { errcode: 0, access_token: token, expires_in: 7200, errmsg: 'ok' });
    }
    if (request.method !== 'POST') return json(404, { errcode: 404, errmsg: '请求的URI地址不存在' });
    if (!this.tokens.has(url.searchParams.get('access_token') ?? '')) return json(200, { errcode: 40014, errmsg: '不合法的access_token' });
    const body = parseObject(request.rawBody);
    if (url.pathname === '/topapi/v2/user/getbymobile') {
      const userId = this.users.get(typeof body?.mobile === 'string' ? body.mobile : '');
      return userId === undefined ? json(200, { errcode: 60121, errmsg: '找不到该用户', request_id: 'req1' }) : json(200, { errcode: 0, errmsg: 'ok', result: { userid: userId }, request_id: 'req2' });
    }
    if (url.pathname === '/topapi/message/corpconversation/asyncsend_v2') {
      if (body?.agent_id !== this.agentId) return json(200, { errcode: 33002, errmsg: '无效的微应用' });
      const ids = typeof body.userid_list === 'string' ? body.userid_list : '';
      if (ids === '' || !ids.split(',').every((id) => [...this.users.values()].includes(id))) return json(200, { errcode: 33012, errmsg: '无效的USERID' });
      const msg = parseObject(JSON.stringify(body.msg ?? null));
      if (!msg || !['text', 'markdown', 'action_card', 'oa', 'link'].includes(String(msg.msgtype))) return json(200, { errcode: 40035, errmsg: '缺少参数 msg' });
      if (this.takeRateLimit()) return json(200, { errcode: 90018, errmsg: '当前请求过于频繁，请稍后再试' });
      this.task += 1;
      this.notices.push({ agentId: body.agent_id, userIds: ids, msg });
      return json(200, { errcode: 0, task_id: this.task, request_id: `req${this.task}` });
    }
    return json(404, { errcode: 404, errmsg: '请求的URI地址不存在' });
  }
}
