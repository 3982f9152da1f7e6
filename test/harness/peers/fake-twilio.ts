/**
 * A fake Twilio: a real HTTP server on 127.0.0.1 speaking the parts of Twilio's REST API Tocsin uses,
 * and a phone network that calls Tocsin back exactly as Twilio does (form POSTs signed with
 * `X-Twilio-Signature`, computed here independently of the provider's code).
 *
 *   const twilio = await FakeTwilio.start();          // api_base: twilio.url, auth: twilio.accountSid / authToken
 *   twilio.failNext('messages', { status: 400, code: 21211, message: "The 'To' number … is not a valid phone number." });
 *   twilio.nextCallOutcome('no-answer');
 *   const sms = await twilio.waitForMessage();        // what was sent, form fields parsed
 *   await twilio.replySms(sms, '1 42');               // POSTs to the number's incoming-SMS webhook
 *   const call = await twilio.waitForCall();
 *   const answer = await twilio.pressKey(call, '1');  // POSTs Digits to the Gather action of the current TwiML
 *   await twilio.finishCall(call);                    // POSTs the final CallStatus to StatusCallback
 *
 * REST: `POST /2010-04-01/Accounts/{sid}/Messages.json` and `…/Calls.json`, form bodies, HTTP basic auth
 * (wrong credentials → 401 code 20003), Twilio's validation errors for missing or malformed numbers,
 * answers 201 with JSON like Twilio's (deterministic sids `SM000…1`, `CA000…1`).
 *
 * `CallbackReceiver` stands in for Tocsin's `/callbacks/…` routes in provider tests: it rebuilds the
 * public URL, checks `provider.verifySignature` (401 when forged) and answers `parseCallback`'s response.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InboundAction, InboundRequest, Provider } from '../../../src/notify/provider.js';

export const FAKE_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const FAKE_AUTH_TOKEN = 'fake-twilio-auth-token-0123456789';

type Pairs = readonly (readonly [string, string])[];

/** One REST request exactly as received. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Name/value pairs exactly as received, in order. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

export interface FakeMessage {
  readonly sid: string;
  readonly to: string;
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly body: string;
  readonly statusCallback?: string;
  /** The form fields in order. */
  readonly form: Pairs;
  readonly request: ApiRequest;
}

/** `voicemail`: an answering machine picks up; the call completes, and with AMD Twilio says `AnsweredBy=machine_end_beep`. */
export type CallOutcome = 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled' | 'voicemail';

export interface FakeCall {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly twiml: string;
  readonly statusCallback?: string;
  readonly statusCallbackEvents: readonly string[];
  readonly outcome: CallOutcome;
  readonly form: Pairs;
  readonly request: ApiRequest;
  /** The TwiML the call is executing now (the initial one, then each callback's answer). */
  document: string;
  /** The URL `document` came from, for relative URLs (undefined for the inline `Twiml`). */
  documentUrl?: string;
  ended: boolean;
}

/** One signed callback the fake made, and Tocsin's answer. */
export interface CallbackExchange {
  readonly url: string;
  readonly params: Pairs;
  readonly signature: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** `<Say>` texts of a TwiML answer, unescaped. */
  readonly says: readonly string[];
  /** `<Message>` texts of a TwiML answer (replies Twilio would text back), unescaped. */
  readonly replies: readonly string[];
}

export interface ApiError {
  readonly status: number;
  readonly code?: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

type Resource = 'messages' | 'calls';
type Scripted = { readonly kind: 'error'; readonly error: ApiError } | { readonly kind: 'drop' };

const E164 = /^\+[1-9]\d{1,14}$/;

/** Twilio's request signature, written independently of the provider (sorted by name, then value). */
export function signTwilio(authToken: string, url: string, params: Pairs): string {
  const data = [...params]
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .reduce((acc, [name, value]) => acc + name + value, url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity.toLowerCase()] ?? '';
  });
}

function texts(twiml: string, verb: string): string[] {
  return [...twiml.matchAll(new RegExp(`<${verb}\\b[^>]*>([^<]*)</${verb}>`, 'g'))].map((m) => unescapeXml(m[1] ?? ''));
}

/** The `action` of the first `<Gather>` of a TwiML document, unescaped. */
export function gatherAction(twiml: string): string | undefined {
  const match = /<Gather\b[^>]*\saction="([^"]*)"/.exec(twiml);
  return match ? unescapeXml(match[1] ?? '') : undefined;
}

/** The target of the first `<Redirect>`, unescaped. */
export function redirectTarget(twiml: string): string | undefined {
  return texts(twiml, 'Redirect')[0];
}

function twilioError(status: number, code: number, message: string): ApiError {
  return { status, code, message };
}

function sid(prefix: string, n: number): string {
  return `${prefix}${n.toString(16).padStart(32, '0')}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class FakeTwilio {
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: ApiRequest[] = [];
  readonly messages: FakeMessage[] = [];
  readonly calls: FakeCall[] = [];
  readonly callbacks: CallbackExchange[] = [];
  /** The "A message comes in" webhook of every number (Twilio console → Phone numbers). */
  incomingSmsUrl: string | undefined;

  private readonly server: Server;
  private baseUrl = '';
  private readonly script: Record<Resource, Scripted[]> = { messages: [], calls: [] };
  private readonly outcomes: CallOutcome[] = [];
  private readonly waiters = new Set<() => void>();
  private counter = 0;

  private constructor(accountSid: string, authToken: string) {
    this.accountSid = accountSid;
    this.authToken = authToken;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts on 127.0.0.1 on a free port. */
  static async start(options: { accountSid?: string; authToken?: string; incomingSmsUrl?: string } = {}): Promise<FakeTwilio> {
    const fake = new FakeTwilio(options.accountSid ?? FAKE_ACCOUNT_SID, options.authToken ?? FAKE_AUTH_TOKEN);
    fake.incomingSmsUrl = options.incomingSmsUrl;
    fake.baseUrl = await new Promise<string>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`));
    });
    return fake;
  }

  /** The `api_base` to configure: `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  /** The next create request of `resource` is answered with this error (Twilio's JSON error body). */
  failNext(resource: Resource, error: ApiError): void {
    this.script[resource].push({ kind: 'error', error });
  }

  /** The next create request of `resource` is read, recorded, then its connection destroyed. */
  dropNext(resource: Resource): void {
    this.script[resource].push({ kind: 'drop' });
  }

  /** The next call created ends this way (default: answered, then completed). */
  nextCallOutcome(outcome: CallOutcome): void {
    this.outcomes.push(outcome);
  }

  waitForMessage(predicate: (m: FakeMessage) => boolean = () => true, timeoutMs = 5000): Promise<FakeMessage> {
    return this.waitFor(() => this.messages.find(predicate), timeoutMs, 'message');
  }

  waitForCall(predicate: (c: FakeCall) => boolean = () => true, timeoutMs = 5000): Promise<FakeCall> {
    return this.waitFor(() => this.calls.find(predicate), timeoutMs, 'call');
  }

  /** The person texts back `body` in reply to `message` (from its To, to its From), signed. */
  replySms(message: FakeMessage, body: string): Promise<CallbackExchange> {
    return this.receiveSms({ from: message.to, to: message.from ?? '+15005550006', body });
  }

  /** An SMS arrives at one of the account's numbers; Twilio POSTs it to the incoming-SMS webhook. */
  receiveSms(sms: { from: string; to: string; body: string; url?: string }): Promise<CallbackExchange> {
    const url = sms.url ?? this.incomingSmsUrl;
    if (url === undefined) throw new Error('fake Twilio: no incoming-SMS webhook URL configured');
    const messageSid = sid('SM', ++this.counter);
    return this.callback(url, [
      ['ToCountry', 'US'],
      ['SmsMessageSid', messageSid],
      ['NumMedia', '0'],
      ['SmsSid', messageSid],
      ['SmsStatus', 'received'],
      ['Body', sms.body],
      ['To', sms.to],
      ['NumSegments', '1'],
      ['MessageSid', messageSid],
      ['AccountSid', this.accountSid],
      ['From', sms.from],
      ['ApiVersion', '2010-04-01'],
    ]);
  }

  /** Reports a message's delivery status to its StatusCallback. */
  reportMessageStatus(message: FakeMessage, status: 'sent' | 'delivered' | 'undelivered' | 'failed', errorCode?: number): Promise<CallbackExchange> {
    if (message.statusCallback === undefined) throw new Error(`fake Twilio: message ${message.sid} has no StatusCallback`);
    return this.callback(message.statusCallback, [
      ...(errorCode !== undefined ? [['ErrorCode', String(errorCode)] as const] : []),
      ['SmsSid', message.sid],
      ['SmsStatus', status],
      ['MessageStatus', status],
      ['To', message.to],
      ['MessageSid', message.sid],
      ['AccountSid', this.accountSid],
      ['From', message.from ?? '+15005550006'],
      ['ApiVersion', '2010-04-01'],
    ]);
  }

  /** The callee presses `digits` during the `<Gather>` of the call's current TwiML. */
  async pressKey(call: FakeCall, digits: string): Promise<CallbackExchange> {
    this.assertLive(call);
    const action = gatherAction(call.document);
    if (action === undefined) throw new Error(`fake Twilio: call ${call.sid} is not gathering keys`);
    return this.follow(call, action, [
      ['Digits', digits],
      ['FinishedOnKey', ''],
    ]);
  }

  /** The callee presses nothing: the Gather times out and the call follows the `<Redirect>`. */
  async noInput(call: FakeCall): Promise<CallbackExchange> {
    this.assertLive(call);
    const target = redirectTarget(call.document);
    if (target === undefined) throw new Error(`fake Twilio: call ${call.sid} has no <Redirect> to follow`);
    return this.follow(call, target, []);
  }

  /** The call ends (hung up, or its scripted outcome); Twilio POSTs the final status to StatusCallback. */
  finishCall(call: FakeCall): Promise<CallbackExchange> {
    if (call.statusCallback === undefined) throw new Error(`fake Twilio: call ${call.sid} has no StatusCallback`);
    call.ended = true;
    const answered = call.outcome === 'completed' || call.outcome === 'voicemail';
    const amd = call.form.some(([name, value]) => name === 'MachineDetection' && value !== '');
    return this.callback(call.statusCallback, [
      ['Called', call.to],
      ['CallStatus', answered ? 'completed' : call.outcome],
      ['Duration', answered ? '1' : '0'],
      ['From', call.from],
      ['CallDuration', answered ? '27' : '0'],
      ...(amd && answered ? [['AnsweredBy', call.outcome === 'voicemail' ? 'machine_end_beep' : 'human'] as [string, string]] : []),
      ['Direction', 'outbound-api'],
      ['CallSid', call.sid],
      ['To', call.to],
      ['Caller', call.from],
      ['CallbackSource', 'call-progress-events'],
      ['SequenceNumber', '0'],
      ['AccountSid', this.accountSid],
      ['ApiVersion', '2010-04-01'],
    ]);
  }

  /** Signs and POSTs `params` to `url` as Twilio does, and records the answer. */
  async callback(url: string, params: Pairs, authToken = this.authToken): Promise<CallbackExchange> {
    const signature = signTwilio(authToken, url, params);
    const body = new URLSearchParams(params.map(([n, v]): [string, string] => [n, v])).toString();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'TwilioProxy/1.1', 'X-Twilio-Signature': signature },
      body,
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const isTwiml = /xml/.test(contentType);
    const exchange: CallbackExchange = {
      url,
      params,
      signature,
      status: response.status,
      contentType,
      body: text,
      says: isTwiml ? texts(text, 'Say') : [],
      replies: isTwiml ? texts(text, 'Message') : [],
    };
    this.callbacks.push(exchange);
    return exchange;
  }

  /** Forgets everything recorded and scripted; sids start again at …1. */
  reset(): void {
    this.requests.length = 0;
    this.messages.length = 0;
    this.calls.length = 0;
    this.callbacks.length = 0;
    this.script.messages.length = 0;
    this.script.calls.length = 0;
    this.outcomes.length = 0;
    this.counter = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private assertLive(call: FakeCall): void {
    if (call.outcome !== 'completed') throw new Error(`fake Twilio: call ${call.sid} was not answered (${call.outcome})`);
    if (call.ended) throw new Error(`fake Twilio: call ${call.sid} has ended`);
  }

  private async follow(call: FakeCall, target: string, extra: Pairs): Promise<CallbackExchange> {
    const url = new URL(target, call.documentUrl).href;
    const exchange = await this.callback(url, [
      ['AccountSid', this.accountSid],
      ['ApiVersion', '2010-04-01'],
      ['CallSid', call.sid],
      ['CallStatus', 'in-progress'],
      ['Called', call.to],
      ['Caller', call.from],
      ['Direction', 'outbound-api'],
      ['From', call.from],
      ['To', call.to],
      ...extra,
    ]);
    if (exchange.status === 200 && /<Response/.test(exchange.body)) {
      call.document = exchange.body;
      call.documentUrl = url;
      if (/<Hangup\s*\/>/.test(exchange.body) || !/<(Gather|Redirect)\b/.test(exchange.body)) call.ended = true;
    }
    return exchange;
  }

  private waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found === undefined) return false;
        clearTimeout(timer);
        this.waiters.delete(onChange);
        resolve(found);
        return true;
      };
      const onChange = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(onChange);
        reject(new Error(`fake Twilio: no matching ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiters.add(onChange);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private authorized(header: string | undefined): boolean {
    const expected = Buffer.from(`Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`);
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const request: ApiRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawHeaders: [...req.rawHeaders], body };
    this.requests.push(request);
    const send = (status: number, json: unknown, headers: Readonly<Record<string, string>> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };
    const fail = (error: ApiError): void => {
      const code = error.code ?? error.status * 100;
      send(
        error.status,
        { code, message: error.message ?? `HTTP ${error.status}`, more_info: `https://www.twilio.com/docs/errors/${code}`, status: error.status },
        error.headers,
      );
    };
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(request.path);
    if (!this.authorized(req.headers.authorization)) return fail(twilioError(401, 20003, 'Authenticate'));
    if (!match || request.method !== 'POST' || match[1] !== this.accountSid) {
      return fail(twilioError(404, 20404, `The requested resource ${request.path} was not found`));
    }
    const resource: Resource = match[2] === 'Messages' ? 'messages' : 'calls';
    const scripted = this.script[resource].shift();
    if (scripted?.kind === 'drop') {
      req.socket.destroy();
      this.notify();
      return;
    }
    if (scripted?.kind === 'error') {
      fail(scripted.error);
      this.notify();
      return;
    }
    const form = [...new URLSearchParams(body)];
    const get = (name: string): string | undefined => form.find(([n]) => n === name)?.[1];
    const to = get('To') ?? '';
    const from = get('From');
    const uri = `/2010-04-01/Accounts/${this.accountSid}/${match[2]}`;
    const common = {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      direction: 'outbound-api',
      date_created: new Date().toUTCString(),
      status: 'queued',
    };
    if (resource === 'messages') {
      const messagingServiceSid = get('MessagingServiceSid');
      const text = get('Body');
      if (to === '') return fail(twilioError(400, 21604, "A 'To' phone number is required."));
      if (from === undefined && messagingServiceSid === undefined) return fail(twilioError(400, 21603, "A 'From' phone number is required."));
      if (text === undefined || text === '') return fail(twilioError(400, 21602, 'Message body is required.'));
      if (!E164.test(to)) return fail(twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`));
      if (text.length > 1600) return fail(twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'));
      const statusCallback = get('StatusCallback');
      const message: FakeMessage = {
        sid: sid('SM', ++this.counter),
        to,
        ...(from !== undefined ? { from } : {}),
        ...(messagingServiceSid !== undefined ? { messagingServiceSid } : {}),
        body: text,
        ...(statusCallback !== undefined ? { statusCallback } : {}),
        form,
        request,
      };
      this.messages.push(message);
      send(201, {
        ...common,
        sid: message.sid,
        to,
        from: from ?? null,
        messaging_service_sid: messagingServiceSid ?? null,
        body: text,
        num_segments: '1',
        num_media: '0',
        error_code: null,
        error_message: null,
        price: null,
        uri: `${uri}/${message.sid}.json`,
      });
    } else {
      const twiml = get('Twiml');
      if (to === '') return fail(twilioError(400, 21201, "No 'To' number is specified"));
      if (from === undefined || from === '') return fail(twilioError(400, 21213, "No 'From' number is specified"));
      if (twiml === undefined || twiml === '') return fail(twilioError(400, 21205, 'Url parameter is required.'));
      if (!E164.test(to)) return fail(twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`));
      const statusCallback = get('StatusCallback');
      const call: FakeCall = {
        sid: sid('CA', ++this.counter),
        to,
        from,
        twiml,
        ...(statusCallback !== undefined ? { statusCallback } : {}),
        statusCallbackEvents: form.filter(([n]) => n === 'StatusCallbackEvent').map(([, v]) => v),
        outcome: this.outcomes.shift() ?? 'completed',
        form,
        request,
        document: twiml,
        ended: false,
      };
      this.calls.push(call);
      send(201, { ...common, sid: call.sid, to, from, uri: `${uri}/${call.sid}.json` });
    }
    this.notify();
  }
}

// ---------------------------------------------------------------------------------------------------
// Tocsin's side, for provider tests

export interface ReceivedCallback {
  readonly request: InboundRequest;
  readonly verified: boolean;
  readonly actions: readonly InboundAction[];
}

/**
 * A stand-in for Tocsin's `POST /callbacks/<vendor>/:config/*` routes bound to one provider
 * configuration: rebuilds `InboundRequest` (public URL = its own base + path and query as received),
 * answers 401 when `verifySignature` fails, else `parseCallback`'s response (or 204).
 */
export class CallbackReceiver<S> {
  readonly received: ReceivedCallback[] = [];
  private readonly server: Server;
  private baseUrl = '';

  private constructor(
    private readonly provider: Provider<S>,
    private readonly settings: S,
    private readonly now: () => number,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start<S>(provider: Provider<S>, settings: S, now: () => number = () => Date.now()): Promise<CallbackReceiver<S>> {
    const receiver = new CallbackReceiver(provider, settings, now);
    receiver.baseUrl = await new Promise<string>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`));
    });
    return receiver;
  }

  /** `http://127.0.0.1:<port>`: the stand-in for TOCSIN_PUBLIC_URL. */
  get url(): string {
    return this.baseUrl;
  }

  /** Every action parsed from verified callbacks, in order. */
  get actions(): InboundAction[] {
    return this.received.flatMap((r) => [...r.actions]);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const request: InboundRequest = { method: req.method ?? '', url: `${this.baseUrl}${req.url ?? ''}`, headers, rawBody };
    const verified = this.provider.verifySignature?.(this.settings, request, this.now()) ?? false;
    if (!verified) {
      this.received.push({ request, verified, actions: [] });
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('invalid signature');
      return;
    }
    const result = this.provider.parseCallback?.(this.settings, request) ?? { actions: [] };
    this.received.push({ request, verified, actions: result.actions });
    if (result.response) {
      res.writeHead(result.response.status, { 'Content-Type': result.response.contentType });
      res.end(result.response.body);
    } else {
      res.writeHead(204);
      res.end();
    }
  }
}
