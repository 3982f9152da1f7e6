/**
 * A fake Aliyun RPC API on 127.0.0.1 serving SMS (`SendSms`) and voice (`SingleCallByTts`), that checks
 * every request the way Aliyun does, with its own implementation of signature version 1.0 (written from
 * the documentation, independently of the provider):
 *   unknown AccessKeyId        → 404 {"Code":"InvalidAccessKeyId.NotFound",…}
 *   timestamp off by > 15 min  → 400 {"Code":"InvalidTimeStamp.Expired",…}
 *   nonce used before          → 400 {"Code":"SignatureNonceUsed",…}
 *   wrong signature            → 400 {"Code":"SignatureDoesNotMatch",…}
 *   bad phone number           → 200 {"Code":"isv.MOBILE_NUMBER_ILLEGAL",…}
 *   unknown sign / template    → 200 {"Code":"isv.SMS_SIGNATURE_ILLEGAL" / "isv.SMS_TEMPLATE_ILLEGAL",…}
 *   a variable over 35 chars   → 200 {"Code":"isv.PARAM_LENGTH_LIMIT",…} (SMS)
 *   rateLimitNext()            → 200 {"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1"}
 *   success                    → 200 {"Code":"OK","BizId":…} / {"Code":"OK","CallId":…}
 */
import { createHmac } from 'node:crypto';
import { VendorPeer, json, type VendorReply, type VendorRequest } from './vendor-peer.js';

export const ALIYUN_KEY_ID = 'LTAI5tTocsinFakeKey01';
export const ALIYUN_KEY_SECRET = 'tocsinFakeAliyunSecret0123456789';

/** RFC 3986 percent-encoding over UTF-8 bytes: only A–Z a–z 0–9 - _ . ~ stay. */
function rfc3986(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Aliyun's signature version 1.0 of `params` for `method`, per the documentation. */
export function aliyunReferenceSignature(secret: string, method: string, params: readonly [string, string][]): string {
  const sorted = params
    .filter(([k]) => k !== 'Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort((a, b) => Buffer.compare(Buffer.from(a[0] ?? ''), Buffer.from(b[0] ?? '')));
  const canonical = sorted.map(([k, v]) => `${k}=${v}`).join('&');
  return createHmac('sha1', Buffer.from(`${secret}&`, 'utf8')).update(`${method}&${rfc3986('/')}&${rfc3986(canonical)}`).digest('base64');
}

export interface AliyunSms {
  readonly phone: string;
  readonly signName: string;
  readonly templateCode: string;
  readonly params: Record<string, string>;
  readonly outId: string;
  readonly bizId: string;
}

export interface AliyunCall {
  readonly calledNumber: string;
  readonly ttsCode: string;
  readonly params: Record<string, string>;
  readonly callId: string;
}

export class FakeAliyun extends VendorPeer {
  readonly sms: AliyunSms[] = [];
  readonly calls: AliyunCall[] = [];
  private readonly nonces = new Set<string>();
  private counter = 0;

  private constructor(
    private readonly now: () => number,
    readonly signName: string,
    readonly templates: readonly string[],
  ) {
    super();
  }

  static async start(options: { now?: () => number; signName?: string; templates?: readonly string[] } = {}): Promise<FakeAliyun> {
    const fake = new FakeAliyun(options.now ?? Date.now, options.signName ?? 'Tocsin', options.templates ?? ['SMS_123456789', 'SMS_200000001', 'TTS_987654321']);
    await fake.listen();
    return fake;
  }

  override reset(): void {
    super.reset();
    this.sms.length = 0;
    this.calls.length = 0;
  }

  protected answer(request: VendorRequest): VendorReply {
    if (request.method !== 'POST' || request.path !== '/') return json(404, { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found.' });
    const pairs = [...new URLSearchParams(request.rawBody)];
    const get = (name: string): string => pairs.find(([k]) => k === name)?.[1] ?? '';
    const requestId = `F4KE-${++this.counter}`;
    if (get('AccessKeyId') !== ALIYUN_KEY_ID) return json(404, { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: requestId });
    if (get('SignatureMethod') !== 'HMAC-SHA1' || get('SignatureVersion') !== '1.0' || get('Format') !== 'JSON')
      return json(400, { Code: 'MissingParameter', Message: 'signature method/version or format missing', RequestId: requestId });
    const timestamp = Date.parse(get('Timestamp'));
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(get('Timestamp')) || Math.abs(this.now() - timestamp) > 15 * 60_000)
      return json(400, { Code: 'InvalidTimeStamp.Expired', Message: 'Specified time stamp or date value is expired.', RequestId: requestId });
    if (get('Signature') !== aliyunReferenceSignature(ALIYUN_KEY_SECRET, 'POST', pairs))
      return json(400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.', RequestId: requestId });
    if (this.nonces.has(get('SignatureNonce'))) return json(400, { Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.', RequestId: requestId });
    this.nonces.add(get('SignatureNonce'));
    const action = get('Action');
    if (action === 'SendSms') {
      if (get('Version') !== '2017-05-25') return json(400, { Code: 'InvalidVersion', Message: 'Specified parameter Version is not valid.', RequestId: requestId });
      if (!/^(1\d{10}|[2-9]\d{6,14})$/.test(get('PhoneNumbers'))) return json(200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: requestId });
      if (get('SignName') !== this.signName) return json(200, { Code: 'isv.SMS_SIGNATURE_ILLEGAL', Message: '该账号下找不到对应签名', RequestId: requestId });
      if (!this.templates.includes(get('TemplateCode'))) return json(200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '该账号下找不到对应模板', RequestId: requestId });
      const params = parseParams(get('TemplateParam'));
      if (!params) return json(200, { Code: 'isv.INVALID_JSON_PARAM', Message: 'JSON参数不合法，只接受字符串值', RequestId: requestId });
      if (Object.values(params).some((v) => [...v].length > 35)) return json(200, { Code: 'isv.PARAM_LENGTH_LIMIT', Message: '参数超出长度限制', RequestId: requestId });
      if (this.takeRateLimit()) return json(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1', RequestId: requestId });
      const bizId = `90000${this.counter}^0`;
      this.sms.push({ phone: get('PhoneNumbers'), signName: get('SignName'), templateCode: get('TemplateCode'), params, outId: get('OutId'), bizId });
      return json(200, { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId });
    }
    if (action === 'SingleCallByTts') {
      if (!/^(1\d{10}|[2-9]\d{6,14})$/.test(get('CalledNumber'))) return json(200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '号码格式非法', RequestId: requestId });
      if (!this.templates.includes(get('TtsCode'))) return json(200, { Code: 'isv.TTS_TEMPLATE_ILLEGAL', Message: '模板不合法', RequestId: requestId });
      const params = parseParams(get('TtsParam'));
      if (!params) return json(200, { Code: 'isv.INVALID_JSON_PARAM', Message: 'JSON参数不合法', RequestId: requestId });
      if (this.takeRateLimit()) return json(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控', RequestId: requestId });
      const callId = `11634${this.counter}^10281`;
      this.calls.push({ calledNumber: get('CalledNumber'), ttsCode: get('TtsCode'), params, callId });
      return json(200, { Code: 'OK', Message: 'OK', CallId: callId, RequestId: requestId });
    }
    return json(404, { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found.', RequestId: requestId });
  }
}

function parseParams(text: string): Record<string, string> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed as Record<string, unknown>);
    return entries.every(([, v]) => typeof v === 'string') ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}
