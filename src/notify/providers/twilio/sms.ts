/**
 * Twilio SMS (SPEC §8.2), two-way.
 *
 * Send — `POST …/Accounts/{AccountSid}/Messages.json`, form fields in this order:
 *   `To` (the person's E.164 number), `MessagingServiceSid` when set else `From`, `Body` (the rendered
 *   text: templates already keep it to one segment), `StatusCallback` = `{callbackBaseUrl}/status` when
 *   the delivery module passes a callback base.
 *
 * Callbacks (`{TOCSIN_PUBLIC_URL}/callbacks/twilio/<config id>/…`, all signed, see common.ts):
 * - `/status` — `MessageStatus` delivered → delivered; undelivered / failed → failed (with `ErrorCode`).
 * - `/sms` — a reply (configured as the number's "A message comes in" webhook). `1 <number>` /
 *   `ack <number>` acknowledge that incident number, `2 <number>` / `resolve <number>` resolve it; a bare
 *   `1`, `2`, `ack`, `resolve` means "the incident I was last texted about" (no `incidentNumber`: the
 *   service resolves it). Case, `#` before the number and a trailing `.`/`!` are tolerated. The answer
 *   is TwiML: a confirmation, or the usage line for anything else.
 */
import type { FieldError } from '../../../core/errors.js';
import type { CallbackResult, InboundAction, InboundRequest, OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';
import {
  ACCOUNT_SID_FIELD,
  API_BASE_FIELD,
  AUTH_TOKEN_FIELD,
  callbackKind,
  createResource,
  E164,
  param,
  parseForm,
  parseTwilioSettings,
  statusActions,
  twimlResponse,
  unknownCallback,
  verifyTwilioRequest,
  xmlText,
  type TwilioSettings,
} from './common.js';

/** What a reply asks for; `incidentNumber` absent means "the last incident I was texted about". */
export interface SmsCommand {
  readonly kind: 'acknowledge' | 'resolve';
  readonly incidentNumber?: number;
}

const COMMAND = /^(1|ack|acknowledge|2|resolve)(?:(?:\s+#?|\s*#)(\d{1,9}))?[.!]*$/;

/**
 * Reads a reply: `1 42`, `ack 42`, `ACK #42`, `2 42`, `resolve 42`, or the bare word/digit. Digits must be
 * separated from the number (`142` is not "ack 42"). Anything else is undefined.
 */
export function parseSmsCommand(body: string): SmsCommand | undefined {
  const match = COMMAND.exec(body.trim().toLowerCase().replace(/\s+/g, ' '));
  if (!match) return undefined;
  const kind = match[1] === '2' || match[1] === 'resolve' ? 'resolve' : 'acknowledge';
  if (match[2] === undefined) return { kind };
  const incidentNumber = Number(match[2]);
  return incidentNumber > 0 ? { kind, incidentNumber } : undefined;
}

export const SMS_USAGE = 'Reply 1 <number> to acknowledge, 2 <number> to resolve.';

/** TwiML answering an inbound SMS with one reply message. */
export function smsReplyTwiml(text: string): string {
  return `<Response><Message>${xmlText(text)}</Message></Response>`;
}

function confirmation(command: SmsCommand): string {
  const done = command.kind === 'acknowledge' ? 'Acknowledged' : 'Resolved';
  return command.incidentNumber === undefined ? `${done}.` : `${done} #${command.incidentNumber}.`;
}

/** An inbound SMS (form fields From, To, Body, MessageSid…) as actions and the TwiML answer. */
export function parseInboundSms(params: readonly (readonly [string, string])[]): CallbackResult {
  const from = param(params, 'From') ?? '';
  const command = parseSmsCommand(param(params, 'Body') ?? '');
  if (!command || from === '') return { actions: [], response: twimlResponse(smsReplyTwiml(SMS_USAGE)) };
  const action: InboundAction = { kind: command.kind, ...(command.incidentNumber !== undefined ? { incidentNumber: command.incidentNumber } : {}), from };
  return { actions: [action], response: twimlResponse(smsReplyTwiml(confirmation(command))) };
}

/** The exact form fields of a Messages.json request for `message`. */
export function smsFormFields(settings: TwilioSettings, to: string, body: string, callbackBaseUrl?: string): [string, string][] {
  const fields: [string, string][] = [['To', to]];
  if (settings.messagingServiceSid !== undefined) fields.push(['MessagingServiceSid', settings.messagingServiceSid]);
  else fields.push(['From', settings.from ?? '']);
  fields.push(['Body', body]);
  if (callbackBaseUrl !== undefined && callbackBaseUrl !== '') fields.push(['StatusCallback', `${callbackBaseUrl.replace(/\/+$/, '')}/status`]);
  return fields;
}

export const twilioSmsProvider: Provider<TwilioSettings> = {
  id: 'twilio_sms',
  label: 'Twilio SMS',
  methods: ['sms'],
  fields: [
    ACCOUNT_SID_FIELD,
    AUTH_TOKEN_FIELD,
    { name: 'from', label: 'From number', type: 'string', pattern: E164, help: 'A Twilio phone number in E.164 form (+15017122661); people reply to it' },
    {
      name: 'messaging_service_sid',
      label: 'Messaging Service SID',
      type: 'string',
      pattern: 'MG[0-9a-fA-F]{32}',
      help: 'Send through a Messaging Service instead of one number (starts with MG); set its inbound webhook to the same /sms URL',
    },
    API_BASE_FIELD,
  ],

  checkSettings(raw): FieldError[] {
    const present = (name: string): boolean => typeof raw[name] === 'string' && raw[name] !== '';
    return present('from') || present('messaging_service_sid') ? [] : [{ field: 'settings.from', message: 'enter a From number or a Messaging Service SID' }];
  },

  parseSettings: parseTwilioSettings,

  async send(settings: TwilioSettings, message: OutboundMessage, context: SendContext): Promise<SendResult> {
    if (message.recipient.kind !== 'person' || message.recipient.address === '')
      return { kind: 'failed', error: 'Twilio SMS sends to a person’s phone number only' };
    if (settings.messagingServiceSid === undefined && settings.from === undefined)
      return { kind: 'failed', error: 'no From number or Messaging Service SID is configured' };
    return createResource(settings, 'Messages', smsFormFields(settings, message.recipient.address, message.content.text, context.callbackBaseUrl), context);
  },

  verifySignature(settings: TwilioSettings, request: InboundRequest): boolean {
    return verifyTwilioRequest(settings.authToken, request);
  },

  parseCallback(_settings: TwilioSettings, request: InboundRequest): CallbackResult {
    const kind = callbackKind(request);
    const params = parseForm(request.rawBody);
    if (kind === 'sms') return parseInboundSms(params);
    if (kind === 'status') return { actions: statusActions(params) };
    return unknownCallback(kind);
  },
};
