/**
 * Aliyun voice notification (阿里云语音服务, SPEC §8.2). Signing and outcomes: common.ts.
 *
 * Send — `POST https://dyvmsapi.aliyuncs.com/`, form body, Action `SingleCallByTts`, Version
 * `2017-05-25`: CalledNumber, CalledShowNumber (when set), TtsCode (an approved TTS template),
 * TtsParam (`{"<template_param>":"<spoken text>"}`), PlayTimes 2, OutId (the outbox id). `CallId` is kept.
 * `SingleCallByTts` takes no key presses, so a call is acknowledged by SMS reply (Aliyun SMS provider)
 * or link, as the docs say.
 *
 * Callback `/report` (VoiceReport batch push, `…?token=<callback_token>`): `status_code` 200000 (the
 * callee listened) → delivered; anything else (busy, no answer, rejected) → failed, so the page falls
 * back and escalation treats it as unanswered (SPEC §8.1).
 */
import { callbackKindOf, callbackTokenOf, clip, sameToken } from '../../provider-kit.js';
import type { CallbackResult, InboundAction, InboundRequest, Provider, SendResult } from '../../provider.js';
import { CALLBACK_TOKEN_FIELD, CREDENTIAL_FIELDS, PUSH_OK, aliyunPhone, callAliyun, type AliyunCredentials } from './common.js';
import { parseCredentials, pushEntries } from './sms.js';

export interface AliyunVoiceSettings extends AliyunCredentials {
  readonly ttsCode: string;
  readonly templateParam: string;
  readonly paramMaxLength: number;
  readonly calledShowNumber?: string;
}

export const aliyunVoiceProvider: Provider<AliyunVoiceSettings> = {
  id: 'aliyun_voice',
  label: 'Aliyun voice call',
  methods: ['voice'],
  fields: [
    ...CREDENTIAL_FIELDS,
    { name: 'tts_code', label: 'TTS template code', type: 'string', required: true, pattern: 'TTS_[0-9]{3,20}', help: 'An approved text-to-speech template with one variable' },
    { name: 'template_param', label: 'Template variable', type: 'string', default: 'content', pattern: '[A-Za-z][A-Za-z0-9_]{0,31}' },
    { name: 'param_max_length', label: 'Variable length limit', type: 'number', default: 100, min: 6, max: 500 },
    { name: 'called_show_number', label: 'Caller number', type: 'string', pattern: '[0-9]{5,20}', help: 'A number bought in the voice console (optional: the public pool otherwise)' },
    CALLBACK_TOKEN_FIELD,
    { name: 'endpoint', label: 'Endpoint', type: 'url', default: 'https://dyvmsapi.aliyuncs.com' },
  ],

  parseSettings(raw): AliyunVoiceSettings {
    const show = typeof raw.called_show_number === 'string' && raw.called_show_number !== '' ? raw.called_show_number : undefined;
    return {
      ...parseCredentials(raw, 'https://dyvmsapi.aliyuncs.com'),
      ttsCode: typeof raw.tts_code === 'string' ? raw.tts_code : '',
      templateParam: typeof raw.template_param === 'string' && raw.template_param !== '' ? raw.template_param : 'content',
      paramMaxLength: typeof raw.param_max_length === 'number' ? raw.param_max_length : 100,
      ...(show !== undefined ? { calledShowNumber: show } : {}),
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    if (message.recipient.kind !== 'person' || message.recipient.address === '') return { kind: 'failed', error: 'Aliyun voice calls a person’s phone number only' };
    const params: Record<string, string> = { CalledNumber: aliyunPhone(message.recipient.address) };
    if (settings.calledShowNumber !== undefined) params.CalledShowNumber = settings.calledShowNumber;
    params.TtsCode = settings.ttsCode;
    params.TtsParam = JSON.stringify({ [settings.templateParam]: clip(message.content.text, settings.paramMaxLength) });
    params.PlayTimes = '2';
    params.OutId = message.id;
    return callAliyun(settings, { name: 'SingleCallByTts', version: '2017-05-25', params, idField: 'CallId' }, context);
  },

  verifySignature(settings, request: InboundRequest): boolean {
    return sameToken(settings.callbackToken, callbackTokenOf(request.url));
  },

  parseCallback(_settings, request: InboundRequest): CallbackResult {
    if (callbackKindOf(request.url) !== 'report') return { actions: [], response: PUSH_OK };
    const actions: InboundAction[] = pushEntries(request.rawBody)
      .filter((e) => typeof e.call_id === 'string')
      .map((e) => {
        const answered = String(e.status_code ?? '') === '200000';
        return {
          kind: 'delivery_status' as const,
          providerMessageId: String(e.call_id),
          status: answered ? ('delivered' as const) : ('failed' as const),
          ...(answered ? {} : { error: `aliyun voice ${String(e.status_code ?? '')}: ${String(e.status_msg ?? 'not answered')}` }),
        };
      });
    return { actions, response: PUSH_OK };
  },
};
