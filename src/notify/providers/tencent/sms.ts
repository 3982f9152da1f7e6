/**
 * Tencent Cloud SMS (腾讯云短信, SPEC §8.2), two-way. Signing and outcomes: common.ts.
 *
 * Send — `POST https://sms.tencentcloudapi.com/`, Action `SendSms`, Version `2021-01-11`, JSON body:
 *   {"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":…,"SignName":…,"TemplateId":…,
 *    "TemplateParamSet":["<rendered text, cut to the variable limit>"],"SessionContext":"<outbox id>"}
 * The status of the one number is in `SendStatusSet[0]`: `Code: "Ok"` → sent (`SerialNo` kept);
 * `LimitExceeded.PhoneNumber*` → retry a minute later; other codes → failed.
 * Verification codes use `verification_template_id` (one variable: the code) when set.
 *
 * Callbacks (configured in the SMS console with `…?token=<callback_token>`; Tencent signs nothing):
 * - `/sms` — a reply `{"mobile","nationcode","text",…}`: `1 42` / `确认 42` acknowledge, `2 42` resolve;
 * - `/report` — status reports `[{"sid","report_status":"FAIL","errmsg",…}]` → delivery failed.
 * Answer `{"result":0,"errmsg":"OK"}`.
 */
import { callbackKindOf, callbackTokenOf, clip, isRecord, parseReplyCommand, sameToken } from '../../provider-kit.js';
import type { CallbackResult, InboundAction, InboundRequest, Provider, SendResult } from '../../provider.js';
import { CALLBACK_OK, CALLBACK_TOKEN_FIELD, CREDENTIAL_FIELDS, callTencent, callbackBody, e164FromTencent, parseCredentials, tencentError, type TencentCredentials } from './common.js';

export interface TencentSmsSettings extends TencentCredentials {
  readonly sdkAppId: string;
  readonly signName: string;
  readonly templateId: string;
  readonly paramMaxLength: number;
  readonly verificationTemplateId?: string;
}

export const tencentSmsProvider: Provider<TencentSmsSettings> = {
  id: 'tencent_sms',
  label: 'Tencent Cloud SMS',
  methods: ['sms'],
  fields: [
    ...CREDENTIAL_FIELDS,
    { name: 'sdk_app_id', label: 'SmsSdkAppId', type: 'string', required: true, pattern: '14[0-9]{8}', help: 'The SMS application id (1400…)' },
    { name: 'sign_name', label: 'Signature name (签名)', type: 'string', required: true, max: 40 },
    { name: 'template_id', label: 'Template id', type: 'string', required: true, pattern: '[0-9]{4,12}', help: 'An approved template with one variable, e.g. Tocsin: {1}' },
    { name: 'param_max_length', label: 'Variable length limit', type: 'number', default: 35, min: 6, max: 500 },
    { name: 'verification_template_id', label: 'Verification template id', type: 'string', pattern: '[0-9]{4,12}', help: 'A verification-code template with variable {1} (optional)' },
    CALLBACK_TOKEN_FIELD,
    { name: 'endpoint', label: 'Endpoint', type: 'url', default: 'https://sms.tencentcloudapi.com' },
  ],

  parseSettings(raw): TencentSmsSettings {
    const verification = typeof raw.verification_template_id === 'string' && raw.verification_template_id !== '' ? raw.verification_template_id : undefined;
    return {
      ...parseCredentials(raw, 'https://sms.tencentcloudapi.com'),
      sdkAppId: typeof raw.sdk_app_id === 'string' ? raw.sdk_app_id : '',
      signName: typeof raw.sign_name === 'string' ? raw.sign_name : '',
      templateId: typeof raw.template_id === 'string' ? raw.template_id : '',
      paramMaxLength: typeof raw.param_max_length === 'number' ? raw.param_max_length : 35,
      ...(verification !== undefined ? { verificationTemplateId: verification } : {}),
    };
  },

  async send(settings, message, context): Promise<SendResult> {
    if (message.recipient.kind !== 'person' || message.recipient.address === '') return { kind: 'failed', error: 'Tencent SMS sends to a person’s phone number only' };
    const useCode = message.kind === 'verification' && settings.verificationTemplateId !== undefined;
    const body = {
      PhoneNumberSet: [message.recipient.address],
      SmsSdkAppId: settings.sdkAppId,
      SignName: settings.signName,
      TemplateId: useCode ? settings.verificationTemplateId : settings.templateId,
      TemplateParamSet: [useCode && message.kind === 'verification' ? message.code : clip(message.content.text, settings.paramMaxLength)],
      SessionContext: message.id,
    };
    const result = await callTencent(settings, { service: 'sms', name: 'SendSms', version: '2021-01-11', body }, context);
    if ('kind' in result) return result;
    const statuses = Array.isArray(result.response.SendStatusSet) ? result.response.SendStatusSet : [];
    const status: unknown = statuses[0];
    if (!isRecord(status) || typeof status.Code !== 'string') return { kind: 'failed', error: 'tencent: no send status in the answer' };
    if (status.Code !== 'Ok') return tencentError(status.Code, typeof status.Message === 'string' ? status.Message : '');
    return { kind: 'sent', ...(typeof status.SerialNo === 'string' ? { providerMessageId: status.SerialNo } : {}) };
  },

  verifySignature(settings, request: InboundRequest): boolean {
    return sameToken(settings.callbackToken, callbackTokenOf(request.url));
  },

  parseCallback(_settings, request: InboundRequest): CallbackResult {
    const body = callbackBody(request.rawBody);
    const kind = callbackKindOf(request.url);
    if (kind === 'sms' && isRecord(body)) {
      const command = parseReplyCommand(typeof body.text === 'string' ? body.text : '');
      const from = e164FromTencent(body.nationcode, body.mobile);
      const actions: InboundAction[] = command && from !== '' ? [{ kind: command.kind, ...(command.incidentNumber !== undefined ? { incidentNumber: command.incidentNumber } : {}), from }] : [];
      return { actions, response: CALLBACK_OK };
    }
    if (kind === 'report' && Array.isArray(body)) {
      const actions: InboundAction[] = body.filter(isRecord).flatMap((r): InboundAction[] =>
        typeof r.sid === 'string'
          ? [
              r.report_status === 'SUCCESS'
                ? { kind: 'delivery_status', providerMessageId: r.sid, status: 'delivered' }
                : { kind: 'delivery_status', providerMessageId: r.sid, status: 'failed', error: `tencent ${String(r.errmsg ?? '')}: ${String(r.description ?? '')}` },
            ]
          : [],
      );
      return { actions, response: CALLBACK_OK };
    }
    return { actions: [], response: CALLBACK_OK };
  },
};
