import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALIYUN_KEY_ID, ALIYUN_KEY_SECRET, FakeAliyun, aliyunReferenceSignature } from '../../../../test/harness/peers/fake-aliyun.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, InboundRequest, SendContext, VerificationMessage } from '../../provider.js';
import { normalizeProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { aliyunEncode, aliyunSignature } from './common.js';
import { aliyunSmsProvider, aliyunVoiceProvider } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const TOKEN = 'aliyun-callback-token-0123';
const context = (now = NOW): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function settingsOf<S>(provider: { parseSettings(raw: Record<string, unknown>): S } & Parameters<typeof normalizeProviderSettings>[0], raw: Record<string, unknown>): S {
  const normalized = normalizeProviderSettings(provider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return provider.parseSettings(normalized.value);
}

const page: IncidentMessage = {
  id: '0190a5c2-0000-7000-8000-00000000aaaa',
  idempotencyKey: 'k-1',
  method: 'sms',
  recipient: { kind: 'person', personId: 'p-1', name: 'Li Lei', address: '+8613800138000' },
  kind: 'trigger',
  incident: sampleIncident(),
  content: { text: '#42 Critical 触发: 磁盘使用率超过 90%' },
};

describe('aliyun SMS and voice against a fake Aliyun RPC API', () => {
  let aliyun: FakeAliyun;
  let base: Record<string, unknown>;
  beforeAll(async () => {
    aliyun = await FakeAliyun.start({ now: () => NOW });
    base = { access_key_id: ALIYUN_KEY_ID, access_key_secret: ALIYUN_KEY_SECRET, endpoint: aliyun.url, callback_token: TOKEN };
  });
  afterAll(async () => aliyun.close());
  beforeEach(() => aliyun.reset());

  it('signs like the documentation’s worked example (signature version 1.0)', () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    expect(aliyunSignature('testsecret', 'GET', params)).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(aliyunEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
  });

  it('sends SendSms with the exact signed form body', async () => {
    const s = settingsOf(aliyunSmsProvider, { ...base, sign_name: 'Tocsin', template_code: 'SMS_123456789' });
    const result = await aliyunSmsProvider.send(s, page, context());
    expect(result).toEqual({ kind: 'sent', providerMessageId: aliyun.sms[0]?.bizId });
    const [request] = aliyun.requests;
    expect(request?.path).toBe('/');
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['User-Agent', 'Tocsin-Aliyun/1'],
    ]);
    const pairs = [...new URLSearchParams(request?.rawBody ?? '')];
    expect(pairs.map(([k]) => k)).toEqual([
      'AccessKeyId',
      'Action',
      'Format',
      'OutId',
      'PhoneNumbers',
      'RegionId',
      'SignName',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'TemplateCode',
      'TemplateParam',
      'Timestamp',
      'Version',
      'Signature',
    ]);
    expect(Object.fromEntries(pairs)).toMatchObject({
      AccessKeyId: ALIYUN_KEY_ID,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: page.id,
      PhoneNumbers: '13800138000',
      RegionId: 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: expect.stringMatching(/^[0-9a-f-]{36}$/),
      SignatureVersion: '1.0',
      TemplateParam: '{"content":"#42 Critical 触发: 磁盘使用率超过 90%"}',
      Timestamp: '2026-01-05T09:00:00Z',
      Version: '2017-05-25',
    });
    // Recomputed from the documentation by the test's own code, not the provider's.
    expect(Object.fromEntries(pairs).Signature).toBe(aliyunReferenceSignature(ALIYUN_KEY_SECRET, 'POST', pairs));
    expect(request?.rawBody).toContain('TemplateParam=%7B%22content%22%3A%22%2342%20Critical%20');
  });

  it('cuts the variable to Aliyun’s 35-character limit and uses the verification template for codes', async () => {
    const s = settingsOf(aliyunSmsProvider, { ...base, sign_name: 'Tocsin', template_code: 'SMS_123456789', verification_template_code: 'SMS_200000001' });
    expect((await aliyunSmsProvider.send(s, { ...page, content: { text: 'x'.repeat(100) } }, context())).kind).toBe('sent');
    expect([...(aliyun.sms[0]?.params.content ?? '')]).toHaveLength(35);
    const code: VerificationMessage = { id: 'v-1', idempotencyKey: 'v', method: 'sms', recipient: page.recipient, kind: 'verification', code: '123456', content: { text: 'code 123456' } };
    expect((await aliyunSmsProvider.send(s, code, context())).kind).toBe('sent');
    expect(aliyun.sms[1]).toMatchObject({ templateCode: 'SMS_200000001', params: { code: '123456' } });
  });

  it('a per-number flow control is retried a minute later, never dropped; signature and key errors fail', async () => {
    const s = settingsOf(aliyunSmsProvider, { ...base, sign_name: 'Tocsin', template_code: 'SMS_123456789' });
    aliyun.rateLimitNext();
    expect(await aliyunSmsProvider.send(s, page, context())).toEqual({ kind: 'retry', error: 'aliyun isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1', retryAfterMs: 60_000 });
    expect((await aliyunSmsProvider.send(s, page, context(NOW + 60_000))).kind).toBe('sent');
    const wrongSecret = settingsOf(aliyunSmsProvider, { ...base, access_key_secret: 'not-the-secret-0123456789', sign_name: 'Tocsin', template_code: 'SMS_123456789' });
    expect(await aliyunSmsProvider.send(wrongSecret, page, context(NOW + 1))).toEqual({ kind: 'failed', error: 'aliyun SignatureDoesNotMatch: Specified signature is not matched with our calculation.' });
    const stale = await aliyunSmsProvider.send(s, page, context(NOW - 20 * 60_000));
    expect(stale).toEqual({ kind: 'failed', error: 'aliyun InvalidTimeStamp.Expired: Specified time stamp or date value is expired.' });
    expect((await aliyunSmsProvider.send(s, { ...page, recipient: { kind: 'person', personId: 'p-1', name: 'Li Lei', address: '+86123' } }, context(NOW + 2))).kind).toBe('failed');
  });

  it('calls with SingleCallByTts and the spoken text', async () => {
    const s = settingsOf(aliyunVoiceProvider, { ...base, tts_code: 'TTS_987654321', called_show_number: '057188773344' });
    const result = await aliyunVoiceProvider.send(s, { ...page, method: 'voice' }, context());
    expect(result).toEqual({ kind: 'sent', providerMessageId: aliyun.calls[0]?.callId });
    const pairs = [...new URLSearchParams(aliyun.requests[0]?.rawBody ?? '')];
    expect(Object.fromEntries(pairs)).toMatchObject({ Action: 'SingleCallByTts', CalledNumber: '13800138000', CalledShowNumber: '057188773344', TtsCode: 'TTS_987654321', PlayTimes: '2' });
    expect(Object.fromEntries(pairs).Signature).toBe(aliyunReferenceSignature(ALIYUN_KEY_SECRET, 'POST', pairs));
  });

  it('takes SMS replies and receipts only with the callback token', () => {
    const s = settingsOf(aliyunSmsProvider, { ...base, sign_name: 'Tocsin', template_code: 'SMS_123456789' });
    const request = (kind: string, body: unknown, token = TOKEN): InboundRequest => ({
      method: 'POST',
      url: `https://tocsin.example.com/callbacks/aliyun_sms/c1/${kind}?token=${token}`,
      headers: {},
      rawBody: JSON.stringify(body),
    });
    expect(aliyunSmsProvider.verifySignature?.(s, request('sms', []), NOW)).toBe(true);
    expect(aliyunSmsProvider.verifySignature?.(s, request('sms', [], 'wrong-token-0000000000'), NOW)).toBe(false);
    const replies = aliyunSmsProvider.parseCallback?.(s, request('sms', [{ phone_number: '13800138000', content: '确认 42', send_time: '2026-01-05 17:00:00', sign_name: 'Tocsin' }, { phone_number: '13800138001', content: 'hello' }]));
    expect(replies).toEqual({ actions: [{ kind: 'acknowledge', incidentNumber: 42, from: '+8613800138000' }], response: { status: 200, contentType: 'application/json', body: '{"code":0,"msg":"成功"}' } });
    const receipts = aliyunSmsProvider.parseCallback?.(s, request('report', [{ biz_id: '9000^0', success: false, err_code: 'MK:0001', err_msg: '用户关机' }]));
    expect(receipts?.actions).toEqual([{ kind: 'delivery_status', providerMessageId: '9000^0', status: 'failed', error: 'aliyun MK:0001: 用户关机' }]);
    const voice = settingsOf(aliyunVoiceProvider, { ...base, tts_code: 'TTS_987654321' });
    const unanswered = aliyunVoiceProvider.parseCallback?.(voice, { ...request('report', [{ call_id: '116^102', status_code: '200010', status_msg: '无人接听' }]) });
    expect(unanswered?.actions).toEqual([{ kind: 'delivery_status', providerMessageId: '116^102', status: 'failed', error: 'aliyun voice 200010: 无人接听' }]);
  });
});
