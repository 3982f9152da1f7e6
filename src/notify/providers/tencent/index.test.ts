import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeTencent, TENCENT_SECRET_ID, TENCENT_SECRET_KEY, tc3ReferenceSignature } from '../../../../test/harness/peers/fake-tencent.js';
import { ownHeaders } from '../../../../test/harness/peers/vendor-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { IncidentMessage, InboundRequest, SendContext } from '../../provider.js';
import { normalizeProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { tencentSmsProvider, tencentVoiceProvider } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const TOKEN = 'tencent-callback-token-0123';
const context = (now = NOW): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function settingsOf<S>(provider: { parseSettings(raw: Record<string, unknown>): S } & Parameters<typeof normalizeProviderSettings>[0], raw: Record<string, unknown>): S {
  const normalized = normalizeProviderSettings(provider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return provider.parseSettings(normalized.value);
}

const page: IncidentMessage = {
  id: '0190a5c2-0000-7000-8000-00000000bbbb',
  idempotencyKey: 'k-1',
  method: 'sms',
  recipient: { kind: 'person', personId: 'p-1', name: 'Han Meimei', address: '+8613711112222' },
  kind: 'trigger',
  incident: sampleIncident(),
  content: { text: '#42 Critical: 磁盘使用率超过 90%' },
};

describe('tencent SMS and voice against a fake Tencent Cloud API 3.0', () => {
  let tencent: FakeTencent;
  let base: Record<string, unknown>;
  beforeAll(async () => {
    tencent = await FakeTencent.start({ now: () => NOW });
    base = { secret_id: TENCENT_SECRET_ID, secret_key: TENCENT_SECRET_KEY, endpoint: tencent.url, callback_token: TOKEN };
  });
  afterAll(async () => tencent.close());
  beforeEach(() => tencent.reset());

  it('sends SendSms with the exact TC3-HMAC-SHA256 headers and body', async () => {
    const s = settingsOf(tencentSmsProvider, { ...base, sdk_app_id: '1400006666', sign_name: 'Tocsin', template_id: '1234567' });
    expect(await tencentSmsProvider.send(s, page, context())).toEqual({ kind: 'sent', providerMessageId: tencent.sent[0]?.id });
    const [request] = tencent.requests;
    const body = JSON.stringify({ PhoneNumberSet: ['+8613711112222'], SmsSdkAppId: '1400006666', SignName: 'Tocsin', TemplateId: '1234567', TemplateParamSet: ['#42 Critical: 磁盘使用率超过 90%'], SessionContext: page.id });
    expect(request?.rawBody).toBe(body);
    const signature = tc3ReferenceSignature(TENCENT_SECRET_KEY, {
      host: new URL(tencent.url).host,
      contentType: 'application/json; charset=utf-8',
      action: 'SendSms',
      body,
      timestamp: '1767603600',
      service: 'sms',
    });
    expect(ownHeaders(request?.rawHeaders ?? [])).toEqual([
      ['Authorization', `TC3-HMAC-SHA256 Credential=${TENCENT_SECRET_ID}/2026-01-05/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=${signature}`],
      ['Content-Type', 'application/json; charset=utf-8'],
      ['X-TC-Action', 'SendSms'],
      ['X-TC-Timestamp', '1767603600'],
      ['X-TC-Version', '2021-01-11'],
      ['X-TC-Region', 'ap-guangzhou'],
      ['User-Agent', 'Tocsin-Tencent/1'],
    ]);
  });

  it('per-number limits are retried, never dropped; auth errors fail with Tencent’s code', async () => {
    const s = settingsOf(tencentSmsProvider, { ...base, sdk_app_id: '1400006666', sign_name: 'Tocsin', template_id: '1234567' });
    tencent.rateLimitNext();
    const limited = await tencentSmsProvider.send(s, page, context());
    expect(limited).toMatchObject({ kind: 'retry', error: expect.stringContaining('tencent LimitExceeded.PhoneNumberThirtySecondLimit'), retryAfterMs: 60_000 });
    expect((await tencentSmsProvider.send(s, page, context())).kind).toBe('sent');
    const wrong = settingsOf(tencentSmsProvider, { ...base, secret_key: 'not-the-tencent-secret-key-000', sdk_app_id: '1400006666', sign_name: 'Tocsin', template_id: '1234567' });
    expect(await tencentSmsProvider.send(wrong, page, context())).toEqual({
      kind: 'failed',
      error: 'tencent AuthFailure.SignatureFailure: The provided credentials could not be validated. Please check your signature is correct.',
    });
    expect((await tencentSmsProvider.send(s, page, context(NOW - 10 * 60_000))).kind).toBe('failed');
    expect(tencent.sent).toHaveLength(1);
  });

  it('calls with SendTtsVoice and takes key presses 1 / 2 with the callback token', async () => {
    const s = settingsOf(tencentVoiceProvider, { ...base, voice_sdk_app_id: '1400009999', template_id: '7654321' });
    const result = await tencentVoiceProvider.send(s, { ...page, method: 'voice' }, context());
    expect(result).toEqual({ kind: 'sent', providerMessageId: tencent.sent[0]?.id });
    expect(JSON.parse(tencent.requests[0]?.rawBody ?? '')).toEqual({ TemplateId: '7654321', TemplateParamSet: [page.content.text], CalledNumber: '+8613711112222', VoiceSdkAppid: '1400009999', PlayTimes: 2, SessionContext: page.id });
    expect(tencent.requests[0]?.headers['authorization']).toContain('/2026-01-05/vms/tc3_request');
    const request = (kind: string, body: unknown, token = TOKEN): InboundRequest => ({ method: 'POST', url: `https://tocsin.example.com/callbacks/tencent_voice/c1/${kind}?token=${token}`, headers: {}, rawBody: JSON.stringify(body) });
    expect(tencentVoiceProvider.verifySignature?.(s, request('keypress', {}), NOW)).toBe(true);
    expect(tencentVoiceProvider.verifySignature?.(s, request('keypress', {}, 'forged-token-000000000'), NOW)).toBe(false);
    expect(tencentVoiceProvider.parseCallback?.(s, request('keypress', { voicekey_callback: { callid: 'c', keypress: '1', mobile: '13711112222', nationcode: '86' } }))?.actions).toEqual([
      { kind: 'acknowledge', from: '+8613711112222' },
    ]);
    expect(tencentVoiceProvider.parseCallback?.(s, request('status', { voice_callback: { callid: 'c', result: '1', mobile: '13711112222', nationcode: '86' } }))?.actions).toEqual([
      { kind: 'delivery_status', providerMessageId: 'c', status: 'failed', error: 'tencent voice 1: not answered' },
    ]);
    tencent.rateLimitNext();
    expect((await tencentVoiceProvider.send(s, { ...page, method: 'voice' }, context())).kind).toBe('retry');
  });

  it('takes SMS replies', () => {
    const s = settingsOf(tencentSmsProvider, { ...base, sdk_app_id: '1400006666', sign_name: 'Tocsin', template_id: '1234567' });
    const reply: InboundRequest = {
      method: 'POST',
      url: `https://tocsin.example.com/callbacks/tencent_sms/c1/sms?token=${TOKEN}`,
      headers: {},
      rawBody: JSON.stringify({ extend: '', mobile: '13711112222', nationcode: '86', sign: 'Tocsin', text: '2 42', time: 1767603600 }),
    };
    expect(tencentSmsProvider.parseCallback?.(s, reply)).toEqual({
      actions: [{ kind: 'resolve', incidentNumber: 42, from: '+8613711112222' }],
      response: { status: 200, contentType: 'application/json', body: '{"result":0,"errmsg":"OK"}' },
    });
  });
});
