/**
 * A fake Tencent Cloud API 3.0 endpoint on 127.0.0.1 serving SMS `SendSms` (2021-01-11) and VMS
 * `SendTtsVoice` (2020-09-02). It checks TC3-HMAC-SHA256 with its own implementation written from the
 * documentation (independent of the provider) and answers with Tencent's bodies (always HTTP 200):
 *   unknown SecretId            → Error AuthFailure.SecretIdNotFound
 *   timestamp off by > 5 min    → Error AuthFailure.SignatureExpire
 *   wrong signature             → Error AuthFailure.SignatureFailure
 *   bad phone number            → SendStatusSet[0].Code InvalidParameterValue.IncorrectPhoneNumber (SMS)
 *   rateLimitNext()             → SendStatusSet[0].Code LimitExceeded.PhoneNumberThirtySecondLimit (SMS),
 *                                 Error RequestLimitExceeded (voice)
 */
import { createHash, createHmac } from 'node:crypto';
import { VendorPeer, json, parseObject, type VendorReply, type VendorRequest } from './vendor-peer.js';

export const TENCENT_SECRET_ID = 'AKIDTocsinFake0123456789abcdef';
export const TENCENT_SECRET_KEY = 'TocsinFakeTencentSecretKey012345';

/** TC3-HMAC-SHA256 per the documentation: the signature for these request parts. */
export function tc3ReferenceSignature(secretKey: string, parts: { host: string; contentType: string; action: string; body: string; timestamp: string; service: string }): string {
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const mac = (key: Buffer, s: string) => createHmac('sha256', key).update(s).digest();
  const date = new Date(Number(parts.timestamp) * 1000).toISOString().slice(0, 10);
  const canonical = ['POST', '/', '', `content-type:${parts.contentType}`, `host:${parts.host}`, `x-tc-action:${parts.action.toLowerCase()}`, '', 'content-type;host;x-tc-action', hash(parts.body)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', parts.timestamp, `${date}/${parts.service}/tc3_request`, hash(canonical)].join('\n');
  const kDate = mac(Buffer.from(`TC3${secretKey}`), date);
  return createHmac('sha256', mac(mac(kDate, parts.service), 'tc3_request')).update(toSign).digest('hex');
}

export interface TencentSend {
  readonly action: 'SendSms' | 'SendTtsVoice';
  readonly body: Record<string, unknown>;
  readonly id: string;
}

export class FakeTencent extends VendorPeer {
  readonly sent: TencentSend[] = [];
  private counter = 0;

  private constructor(private readonly now: () => number) {
    super();
  }

  static async start(options: { now?: () => number } = {}): Promise<FakeTencent> {
    const fake = new FakeTencent(options.now ?? Date.now);
    await fake.listen();
    return fake;
  }

  override reset(): void {
    super.reset();
    this.sent.length = 0;
  }

  protected answer(request: VendorRequest): VendorReply {
    const requestId = `f4ke-${++this.counter}`;
    const error = (code: string, message: string) => json(200, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
    const header = (name: string): string => {
      const value = request.headers[name];
      return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
    };
    if (request.method !== 'POST' || request.path !== '/') return error('InvalidAction', 'only POST /');
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(header('authorization'));
    if (!auth) return error('AuthFailure.InvalidAuthorization', 'Authorization header is malformed');
    const [, secretId, date, service, signedHeaders, signature] = auth;
    if (secretId !== TENCENT_SECRET_ID) return error('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
    const timestamp = header('x-tc-timestamp');
    if (!/^\d{10}$/.test(timestamp) || Math.abs(this.now() / 1000 - Number(timestamp)) > 300)
      return error('AuthFailure.SignatureExpire', 'Signature expired. Timestamp and server time cannot differ by more than 5 minutes.');
    if (date !== new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) || signedHeaders !== 'content-type;host;x-tc-action')
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    const expected = tc3ReferenceSignature(TENCENT_SECRET_KEY, { host: header('host'), contentType: header('content-type'), action: header('x-tc-action'), body: request.rawBody, timestamp, service: service ?? '' });
    if (signature !== expected) return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    const body = parseObject(request.rawBody);
    if (!body) return error('InvalidParameter', 'body is not JSON');
    const action = header('x-tc-action');
    if (action === 'SendSms' && service === 'sms' && header('x-tc-version') === '2021-01-11') {
      const phones = Array.isArray(body.PhoneNumberSet) ? (body.PhoneNumberSet as unknown[]) : [];
      const phone = String(phones[0] ?? '');
      const status = (code: string, message: string, serial = '') => json(200, { Response: { SendStatusSet: [{ SerialNo: serial, PhoneNumber: phone, Fee: code === 'Ok' ? 1 : 0, SessionContext: String(body.SessionContext ?? ''), Code: code, Message: message, IsoCode: 'CN' }], RequestId: requestId } });
      if (!/^\+[1-9]\d{6,14}$/.test(phone)) return status('InvalidParameterValue.IncorrectPhoneNumber', 'invalid mobile number');
      if (this.takeRateLimit()) return status('LimitExceeded.PhoneNumberThirtySecondLimit', 'the number of SMS messages sent from a single mobile number within 30 seconds exceeds the upper limit');
      const serial = `2433:${this.counter}00000`;
      this.sent.push({ action: 'SendSms', body, id: serial });
      return status('Ok', 'send success', serial);
    }
    if (action === 'SendTtsVoice' && service === 'vms' && header('x-tc-version') === '2020-09-02') {
      if (!/^\+[1-9]\d{6,14}$/.test(String(body.CalledNumber ?? ''))) return error('InvalidParameterValue.IncorrectPhoneNumber', 'invalid phone number');
      if (this.takeRateLimit()) return error('RequestLimitExceeded', 'Your current request times equals to `limitation` in a second');
      const callId = `8d1f5c3a-${this.counter}`;
      this.sent.push({ action: 'SendTtsVoice', body, id: callId });
      return json(200, { Response: { SendStatus: { CallId: callId, SessionContext: String(body.SessionContext ?? '') }, RequestId: requestId } });
    }
    return error('InvalidAction', `The action ${action} is not valid for ${service ?? ''}`);
  }
}
