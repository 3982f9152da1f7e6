/**
 * Aliyun SMS (阿里云短信服务, SPEC §8.2), two-way. Signing and outcomes: common.ts.
 *
 * Send — `POST https://dysmsapi.aliyuncs.com/`, form body, Action `SendSms`, Version `2017-05-25`:
 *   PhoneNumbers (mainland numbers without +86), SignName, TemplateCode, TemplateParam
 *   (`{"<template_param>":"<rendered text>"}`, cut to the variable limit), OutId (the outbox id).
 * Aliyun only sends approved templates: register one such as `Tocsin: ${content}` and name its variable.
 * Verification codes use `verification_template_code` with `{"code":"…"}` when set.
 *
 * Callbacks (HTTP batch push, configured in the console with `…?token=<callback_token>`; Aliyun signs
 * nothing, so the token is the check):
 * - `/report` — SmsReport `[{"biz_id","success":false,"err_code",…}]` → delivery failed → fallback;
 * - `/sms` — SmsUp `[{"phone_number","content",…}]`: `1 42` / `确认 42` acknowledge, `2 42` / `解决 42` resolve.
 * Answer `{"code":0,"msg":"成功"}` (Aliyun pushes again otherwise).
 */
import { callbackKindOf, callbackTokenOf, clip, isRecord, parseReplyCommand, sameToken } from '../../provider-kit.js';
import type { CallbackResult, InboundAction, InboundRequest, Provider, SendResult } from '../../provider.js';
import { CALLBACK_TOKEN_FIELD, CREDENTIAL_FIELDS, PUSH_OK, aliyunPhone, callAliyun, e164FromAliyun, type AliyunCredentials } from './common.js';

export interface AliyunSmsSettings extends AliyunCredentials {
  readonly signName: string;
  readonly templateCode: string;
  readonly templateParam: string;
  readonly paramMaxLength: number;
  readonly verificationTemplateCode?: string;
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Credentials and callback token from validated raw settings. */
export function parseCredentials(raw: Readonly<Record<string, unknown>>, defaultEndpoint: string): AliyunCredentials {
  const token = optional(raw.callback_token);
  return {
    accessKeyId: optional(raw.access_key_id) ?? '',
    accessKeySecret: optional(raw.access_key_secret) ?? '',
    regionId: optional(raw.region_id) ?? 'cn-hangzhou',
    endpoint: (optional(raw.endpoint) ?? defaultEndpoint).replace(/\/+$/, ''),
    ...(token !== undefined ? { callbackToken: token } : {}),
  };
}

/** Entries of an Aliyun batch push (a JSON array of objects), or []. */
export function pushEntries(rawBody: string): Record<string, unknown>[] {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return Array.isArray(parsed) ? parsed.filter(isRecord) : [];
  } catch {
    return [];
  }
}

/** SmsUp entries as acknowledge / resolve actions. */
export function replyActions(entries: readonly Record<string, unknown>[], phoneOf: (raw: string) => string, text: string, phone: string): InboundAction[] {
  const actions: InboundAction[] = [];
  for (const entry of entries) {
    const command = parseReplyCommand(typeof entry[text] === 'string' ? entry[text] : '');
    const from = typeof entry[phone] === 'string' ? phoneOf(entry[phone]) : '';
    if (command && from !== '') actions.push({ kind: command.kind, ...(command.incidentNumber !== undefined ? { incidentNumber: command.incidentNumber } : {}), from });
  }
  return actions;
}

export const aliyunSmsProvider: Provider<AliyunSmsSettings> = {
  id: 'aliyun_sms',
  label: 'Aliyun SMS',
  methods: ['sms'],
  fields: [
    ...CREDENTIAL_FIELDS,
    { name: 'sign_name', label: 'Signature name (签名)', type: 'string', required: true, max: 40 },
    { name: 'template_code', label: 'Template code', type: 'string', required: true, pattern: 'SMS_[0-9]{3,20}', help: 'An approved template with one variable, e.g. Tocsin: ${content}' },
    { name: 'template_param', label: 'Template variable', type: 'string', default: 'content', pattern: '[A-Za-z][A-Za-z0-9_]{0,31}' },
    { name: 'param_max_length', label: 'Variable length limit', type: 'number', default: 35, min: 6, max: 500, help: 'Aliyun caps a variable at 35 characters unless your template was approved for more' },
    { name: 'verification_template_code', label: 'Verification template code', type: 'string', pattern: 'SMS_[0-9]{3,20}', help: 'A verification-code template with variable ${code} (optional)' },
    CALLBACK_TOKEN_FIELD,
    { name: 'endpoint', label: 'Endpoint', type: 'url', default: 'https://dysmsapi.aliyuncs.com', help: 'dysmsapi.aliyuncs.com, or dysmsapi.ap-southeast-1.aliyuncs.com for international' },
  ],

  parseSettings(raw): AliyunSmsSettings {
    const verification = optional(raw.verification_template_code);
    return {
      ...parseCredentials(raw, 'https://dysmsapi.aliyuncs.com'),
      signName: optional(raw.sign_name) ?? '',
      templateCode: optional(raw.template_code) ?? '',
      templateParam: optional(raw.template_param) ?? 'content',
      paramMaxLength: typeof raw.param_max_length === 'number' ? raw.param_max_length : 35,
      ...(verification !== undefined ? { verificationTemplateCode: verification } : {}),
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    if (message.recipient.kind !== 'person' || message.recipient.address === '') return { kind: 'failed', error: 'Aliyun SMS sends to a person’s phone number only' };
    const useCode = message.kind === 'verification' && settings.verificationTemplateCode !== undefined;
    const templateCode = useCode ? (settings.verificationTemplateCode ?? '') : settings.templateCode;
    const param = useCode && message.kind === 'verification' ? { code: message.code } : { [settings.templateParam]: clip(message.content.text, settings.paramMaxLength) };
    return callAliyun(
      settings,
      {
        name: 'SendSms',
        version: '2017-05-25',
        params: { PhoneNumbers: aliyunPhone(message.recipient.address), SignName: settings.signName, TemplateCode: templateCode, TemplateParam: JSON.stringify(param), OutId: message.id },
        idField: 'BizId',
      },
      context,
    );
  },

  verifySignature(settings, request: InboundRequest): boolean {
    return sameToken(settings.callbackToken, callbackTokenOf(request.url));
  },

  parseCallback(_settings, request: InboundRequest): CallbackResult {
    const entries = pushEntries(request.rawBody);
    const kind = callbackKindOf(request.url);
    if (kind === 'sms') return { actions: replyActions(entries, e164FromAliyun, 'content', 'phone_number'), response: PUSH_OK };
    if (kind === 'report') {
      const actions: InboundAction[] = entries
        .filter((e) => typeof e.biz_id === 'string')
        .map((e) => ({
          kind: 'delivery_status' as const,
          providerMessageId: String(e.biz_id),
          status: e.success === true || e.success === 'true' ? ('delivered' as const) : ('failed' as const),
          ...(e.success === true || e.success === 'true' ? {} : { error: `aliyun ${String(e.err_code ?? '')}: ${String(e.err_msg ?? '')}` }),
        }));
      return { actions, response: PUSH_OK };
    }
    return { actions: [], response: PUSH_OK };
  },
};
