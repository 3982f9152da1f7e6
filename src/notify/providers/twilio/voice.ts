/**
 * Twilio Voice (SPEC §8.2): a text-to-speech call with "press 1 to acknowledge, 2 to resolve".
 *
 * Send — `POST …/Accounts/{AccountSid}/Calls.json`, form fields in this order: `To`, `From`, `Twiml`,
 * and with a callback base `StatusCallback` = `{callbackBaseUrl}/status`, `StatusCallbackEvent` =
 * `completed`. The TwiML of an incident call (trigger, repeat, escalated, test):
 *
 *   <Response><Gather numDigits="1" action="{base}/gather?incident={id}" method="POST">
 *   <Say>{rendered text} Press 1 to acknowledge, 2 to resolve.</Say></Gather>
 *   <Say>No key was pressed.</Say><Redirect method="POST">{base}/gather?incident={id}&amp;attempt=1</Redirect></Response>
 *
 * (one line on the wire). Bundles, verification codes, other kinds and calls without a callback base
 * say the text twice and hang up: there is no single incident to act on, or nowhere to send the key.
 *
 * Callbacks (signed, see common.ts):
 * - `/status` — `CallStatus` completed → delivered; busy / no-answer / failed / canceled → failed with
 *   the status as the error (an unanswered call counts as a failed attempt, SPEC §8.1). With a callback
 *   base the call also asks for `MachineDetection=Enable`: a call completed with `AnsweredBy`
 *   `machine_*` or `fax` reached voicemail and counts as failed too (issue 12).
 * - `/gather?incident={id}` — `Digits` 1 → acknowledge, 2 → resolve (`from` = the called person, `To`);
 *   the answer says "Acknowledged." / "Resolved." and hangs up. Another key repeats the menu; no key
 *   (the Redirect, `attempt=n`) repeats it until the third time, then says goodbye.
 */
import type { CallbackResult, InboundRequest, OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';
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
  xmlAttr,
  xmlText,
  type TwilioSettings,
} from './common.js';

export const MENU = 'Press 1 to acknowledge, 2 to resolve.';
const NO_INPUT = 'No key was pressed.';
const NOT_AN_OPTION = 'Sorry, that is not an option.';
const GOODBYE = 'Goodbye.';
/** How long after an unanswered call the one retry call goes out, when the setting asks for it. */
export const REDIAL_AFTER_MS = 60_000;

/** What the call says in each language; Chinese is spoken by Amazon Polly's Mandarin voice (cmn-CN). */
const SPOKEN = {
  en: { menu: MENU, noInput: NO_INPUT, notAnOption: NOT_AN_OPTION, goodbye: GOODBYE, acknowledged: 'Acknowledged.', resolved: 'Resolved.', say: '<Say>' },
  'zh-CN': { menu: '按 1 认领，按 2 解决。', noInput: '没有收到按键。', notAnOption: '抱歉，没有这个选项。', goodbye: '再见。', acknowledged: '已认领。', resolved: '已解决。', say: '<Say voice="Polly.Zhiyu" language="cmn-CN">' },
} as const;
type Spoken = (typeof SPOKEN)[keyof typeof SPOKEN];
const spokenFor = (locale: string | null | undefined): Spoken => (locale === 'zh-CN' ? SPOKEN['zh-CN'] : SPOKEN.en);
/** How many times the menu is said in all before the call ends. */
export const MAX_PROMPTS = 3;
/** Twilio refuses a `Twiml` parameter longer than this. */
export const MAX_TWIML = 4000;
const MENU_KINDS = new Set(['trigger', 'repeat', 'escalated', 'test']);

/**
 * `{base}/gather?incident={id}` (`&lang=zh-CN` for a Chinese call, so the answers to the keys are
 * spoken in the same language): where the key pressed in a call about `incidentId` is posted.
 */
export function gatherUrl(callbackBaseUrl: string, incidentId: string, locale?: string): string {
  return `${callbackBaseUrl.replace(/\/+$/, '')}/gather?incident=${encodeURIComponent(incidentId)}${locale === 'zh-CN' ? '&lang=zh-CN' : ''}`;
}

/** Gather the key while saying `say`; on silence say so and come back with `attempt` (1-based). */
function menuVerbs(gather: string, say: string, attempt: number, spoken: Spoken = SPOKEN.en): string {
  return (
    `<Gather numDigits="1" action="${xmlAttr(gather)}" method="POST">${spoken.say}${xmlText(say)}</Say></Gather>` +
    `${spoken.say}${spoken.noInput}</Say><Redirect method="POST">${xmlText(`${gather}&attempt=${attempt}`)}</Redirect>`
  );
}

function sayTwice(text: string, spoken: Spoken = SPOKEN.en): string {
  const say = `${spoken.say}${xmlText(text)}</Say>`;
  return `<Response>${say}<Pause length="1"/>${say}</Response>`;
}

/** Cuts the spoken text until the TwiML fits Twilio's limit (only hostile text needs it). */
function fitted(build: (text: string) => string, text: string): string {
  let chars = [...text];
  let twiml = build(text);
  while (twiml.length > MAX_TWIML && chars.length > 0) {
    chars = chars.slice(0, Math.floor(chars.length * 0.9));
    twiml = build(`${chars.join('').trimEnd()}…`);
  }
  return twiml;
}

/** The TwiML of the call for `message` (exported for tests and the docs). */
export function callTwiml(message: OutboundMessage, callbackBaseUrl?: string): string {
  const text = message.content.text;
  const spoken = spokenFor(message.locale);
  if (message.kind === 'bundle' || message.kind === 'verification' || !MENU_KINDS.has(message.kind) || !callbackBaseUrl) {
    return fitted((t) => sayTwice(t, spoken), text);
  }
  const gather = gatherUrl(callbackBaseUrl, message.incident.id, message.locale);
  return fitted((t) => `<Response>${menuVerbs(gather, `${t} ${spoken.menu}`, 1, spoken)}</Response>`, text);
}

/** The exact form fields of a Calls.json request. */
export function callFormFields(settings: TwilioSettings, to: string, twiml: string, callbackBaseUrl?: string): [string, string][] {
  const fields: [string, string][] = [
    ['To', to],
    ['From', settings.from ?? ''],
    ['Twiml', twiml],
  ];
  if (callbackBaseUrl !== undefined && callbackBaseUrl !== '') {
    fields.push(['StatusCallback', `${callbackBaseUrl.replace(/\/+$/, '')}/status`], ['StatusCallbackEvent', 'completed']);
    // Answering-machine detection: the status callback then says who answered, and voicemail is no answer.
    fields.push(['MachineDetection', 'Enable']);
  }
  return fields;
}

/** A key pressed (or none) in the menu of a call: actions and the TwiML that continues the call. */
export function parseGather(request: InboundRequest, params: readonly (readonly [string, string])[]): CallbackResult {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return unknownCallback(undefined);
  }
  const incidentId = url.searchParams.get('incident') ?? '';
  const lang = url.searchParams.get('lang') ?? undefined;
  const spoken = spokenFor(lang);
  const goodbye = `<Response>${spoken.say}${spoken.goodbye}</Say><Hangup/></Response>`;
  if (incidentId === '') return { actions: [], response: twimlResponse(goodbye) };
  const gather = gatherUrl(`${url.origin}${url.pathname.replace(/\/gather\/*$/, '')}`, incidentId, lang);
  const digits = param(params, 'Digits');
  const from = param(params, 'To') ?? param(params, 'Called') ?? '';
  if (digits === '1' || digits === '2') {
    const kind = digits === '1' ? 'acknowledge' : 'resolve';
    const said = digits === '1' ? spoken.acknowledged : spoken.resolved;
    return { actions: [{ kind, incidentId, from }], response: twimlResponse(`<Response>${spoken.say}${said} ${spoken.goodbye}</Say><Hangup/></Response>`) };
  }
  if (digits !== undefined && digits !== '') {
    return { actions: [], response: twimlResponse(`<Response>${spoken.say}${spoken.notAnOption}</Say>${menuVerbs(gather, spoken.menu, 1, spoken)}</Response>`) };
  }
  const attempt = Number(url.searchParams.get('attempt') ?? '1');
  if (!Number.isInteger(attempt) || attempt < 1 || attempt >= MAX_PROMPTS) {
    return { actions: [], response: twimlResponse(goodbye) };
  }
  return { actions: [], response: twimlResponse(`<Response>${menuVerbs(gather, spoken.menu, attempt + 1, spoken)}</Response>`) };
}

export const twilioVoiceProvider: Provider<TwilioSettings> = {
  id: 'twilio_voice',
  label: 'Twilio Voice',
  methods: ['voice'],
  fields: [
    ACCOUNT_SID_FIELD,
    AUTH_TOKEN_FIELD,
    {
      name: 'from',
      label: 'From number',
      type: 'string',
      required: true,
      pattern: E164,
      help: 'A voice-capable Twilio phone number in E.164 form (+15017122661); the caller ID people see',
    },
    {
      name: 'retry_unanswered',
      label: 'Call again after 1 minute when unanswered',
      type: 'boolean',
      default: false,
      help: 'No answer, busy, failed or voicemail (answering-machine detection): one more call a minute later, then the person’s next method',
    },
    API_BASE_FIELD,
  ],

  parseSettings: parseTwilioSettings,

  redialAfterMs(settings: TwilioSettings): number | undefined {
    return settings.retryUnanswered === true ? REDIAL_AFTER_MS : undefined;
  },

  async send(settings: TwilioSettings, message: OutboundMessage, context: SendContext): Promise<SendResult> {
    if (message.recipient.kind !== 'person' || message.recipient.address === '')
      return { kind: 'failed', error: 'Twilio Voice calls a person’s phone number only' };
    if (settings.from === undefined) return { kind: 'failed', error: 'no From number is configured' };
    const twiml = callTwiml(message, context.callbackBaseUrl);
    return createResource(settings, 'Calls', callFormFields(settings, message.recipient.address, twiml, context.callbackBaseUrl), context);
  },

  verifySignature(settings: TwilioSettings, request: InboundRequest): boolean {
    return verifyTwilioRequest(settings.authToken, request);
  },

  parseCallback(_settings: TwilioSettings, request: InboundRequest): CallbackResult {
    const kind = callbackKind(request);
    const params = parseForm(request.rawBody);
    if (kind === 'gather') return parseGather(request, params);
    if (kind === 'status') return { actions: statusActions(params) };
    return unknownCallback(kind);
  },
};
