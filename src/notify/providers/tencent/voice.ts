/**
 * Tencent Cloud voice notification (腾讯云语音消息 VMS, SPEC §8.2) with key-press acknowledge.
 * Signing and outcomes: common.ts.
 *
 * Send — `POST https://vms.tencentcloudapi.com/`, Action `SendTtsVoice`, Version `2020-09-02`:
 *   {"TemplateId":…,"TemplateParamSet":["<spoken text>"],"CalledNumber":"+86…","VoiceSdkAppid":…,
 *    "PlayTimes":2,"SessionContext":"<outbox id>"}  → `SendStatus.CallId` kept.
 * The template should end with the prompt "press 1 to acknowledge, 2 to resolve" (按1确认，按2解决).
 *
 * Callbacks (VMS console, `…?token=<callback_token>`):
 * - key press `{"voicekey_callback":{"callid","keypress","mobile","nationcode"}}`: 1 → acknowledge,
 *   2 → resolve, the incident the person was last called about;
 * - call status `{"voice_callback":{"callid","result",…}}`: result 0 (answered) → delivered, else failed;
 *   `{"voice_failure_callback":{…}}` → failed — an unanswered call falls back and counts as unanswered.
 */
import { callbackTokenOf, clip, isRecord, sameToken } from '../../provider-kit.js';
import type { CallbackResult, InboundAction, InboundRequest, Provider, SendResult } from '../../provider.js';
import { CALLBACK_OK, CALLBACK_TOKEN_FIELD, CREDENTIAL_FIELDS, callTencent, callbackBody, e164FromTencent, parseCredentials, type TencentCredentials } from './common.js';

export interface TencentVoiceSettings extends TencentCredentials {
  readonly voiceSdkAppId: string;
  readonly templateId: string;
  readonly paramMaxLength: number;
}

/** Key-press and status callbacks as actions. */
export function voiceCallbackActions(body: unknown): InboundAction[] {
  if (!isRecord(body)) return [];
  const key = isRecord(body.voicekey_callback) ? body.voicekey_callback : undefined;
  if (key) {
    const from = e164FromTencent(key.nationcode, key.mobile);
    const press = String(key.keypress ?? '');
    if (from === '' || (press !== '1' && press !== '2')) return [];
    return [{ kind: press === '1' ? 'acknowledge' : 'resolve', from }];
  }
  const status = isRecord(body.voice_callback) ? body.voice_callback : isRecord(body.voice_failure_callback) ? body.voice_failure_callback : undefined;
  if (!status || typeof status.callid !== 'string') return [];
  const answered = isRecord(body.voice_callback) && String(status.result ?? '') === '0';
  return [
    answered
      ? { kind: 'delivery_status', providerMessageId: status.callid, status: 'delivered' }
      : { kind: 'delivery_status', providerMessageId: status.callid, status: 'failed', error: `tencent voice ${String(status.result ?? status.failure_code ?? '')}: ${String(status.failure_reason ?? 'not answered')}` },
  ];
}

export const tencentVoiceProvider: Provider<TencentVoiceSettings> = {
  id: 'tencent_voice',
  label: 'Tencent Cloud voice call',
  methods: ['voice'],
  fields: [
    ...CREDENTIAL_FIELDS,
    { name: 'voice_sdk_app_id', label: 'VoiceSdkAppid', type: 'string', required: true, pattern: '14[0-9]{8}' },
    { name: 'template_id', label: 'Voice template id', type: 'string', required: true, pattern: '[0-9]{4,12}', help: 'An approved template: {1}，按1确认，按2解决' },
    { name: 'param_max_length', label: 'Variable length limit', type: 'number', default: 100, min: 6, max: 500 },
    CALLBACK_TOKEN_FIELD,
    { name: 'endpoint', label: 'Endpoint', type: 'url', default: 'https://vms.tencentcloudapi.com' },
  ],

  parseSettings(raw): TencentVoiceSettings {
    return {
      ...parseCredentials(raw, 'https://vms.tencentcloudapi.com'),
      voiceSdkAppId: typeof raw.voice_sdk_app_id === 'string' ? raw.voice_sdk_app_id : '',
      templateId: typeof raw.template_id === 'string' ? raw.template_id : '',
      paramMaxLength: typeof raw.param_max_length === 'number' ? raw.param_max_length : 100,
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    if (message.recipient.kind !== 'person' || message.recipient.address === '') return { kind: 'failed', error: 'Tencent voice calls a person’s phone number only' };
    const body = {
      TemplateId: settings.templateId,
      TemplateParamSet: [clip(message.content.text, settings.paramMaxLength)],
      CalledNumber: message.recipient.address,
      VoiceSdkAppid: settings.voiceSdkAppId,
      PlayTimes: 2,
      SessionContext: message.id,
    };
    const result = await callTencent(settings, { service: 'vms', name: 'SendTtsVoice', version: '2020-09-02', body }, context);
    if ('kind' in result) return result;
    const status = isRecord(result.response.SendStatus) ? result.response.SendStatus : undefined;
    return { kind: 'sent', ...(typeof status?.CallId === 'string' ? { providerMessageId: status.CallId } : {}) };
  },

  verifySignature(settings, request: InboundRequest): boolean {
    return sameToken(settings.callbackToken, callbackTokenOf(request.url));
  },

  parseCallback(_settings, request: InboundRequest): CallbackResult {
    return { actions: voiceCallbackActions(callbackBody(request.rawBody)), response: CALLBACK_OK };
  },
};
