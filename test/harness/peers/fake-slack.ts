/**
 * A fake Slack on 127.0.0.1: the Web API methods Tocsin uses and an incoming-webhook endpoint, answering
 * like Slack (HTTP 200 with `{"ok":false,"error":…}` for API errors, 429 + Retry-After for rate
 * limits, `ok` / `invalid_payload` / `no_service` for webhooks), and a button-pressing Slack that signs
 * interactivity requests exactly as Slack does (form body `payload=<json>`, `X-Slack-Signature: v0=…`).
 *
 *   const slack = await FakeSlack.start({ token: 'xoxb-1', signingSecret: SECRET });
 *   slack.addUser('ada@example.com', 'U0ADA');
 *   … provider.send({ apiBase: slack.apiBase, … }) …
 *   slack.calls[0].method === 'chat.postMessage'
 *   const response = await slack.pressButton(`${tocsin}/callbacks/slack/c1/interactivity`, { actionId: 'tocsin_ack', value: id, userId: 'U0ADA' });
 *
 * Signing here is written independently of the provider (it must not import it).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WEB_API_METHODS = ['chat.postMessage', 'chat.update', 'users.lookupByEmail', 'users.info', 'conversations.open'] as const;
export type WebApiMethod = (typeof WEB_API_METHODS)[number];

export interface SlackCall {
  /** A Web API method name, or `webhook` for the incoming-webhook endpoint. */
  readonly method: WebApiMethod | 'webhook';
  readonly httpMethod: string;
  /** Path and query as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly rawBody: string;
  /** JSON bodies parsed; GET query arguments as an object. */
  readonly args: Readonly<Record<string, unknown>>;
}

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
  /** The latest body (after updates), without `channel`/`ts`. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly updates: number;
}

export interface FakeSlackOptions {
  /** Bot token the Web API accepts (`Authorization: Bearer …`); default `xoxb-test-token`. */
  readonly token?: string;
  /** Secret used to sign interaction requests. */
  readonly signingSecret?: string;
  /** Channels that exist (ids or names); default `C0OPS` and `#ops`. */
  readonly channels?: readonly string[];
  /** First message timestamp in Unix seconds; default 1767603600. */
  readonly firstTs?: number;
}

type Scripted =
  | { readonly kind: 'error'; readonly method: string; readonly error: string }
  | { readonly kind: 'status'; readonly method: string; readonly status: number; readonly body: string; readonly headers: Readonly<Record<string, string>> };

export interface ButtonPress {
  readonly actionId: string;
  readonly value: string;
  readonly userId: string;
  readonly userName?: string;
  /** Present only when the test wants it; Slack leaves it out of block_actions payloads. */
  readonly email?: string;
  readonly channel?: string;
  readonly messageTs?: string;
}

export const WEBHOOK_PATH = '/services/T0TOCSIN/B0TOCSIN/fakewebhooksecret';

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly token: string;
  readonly signingSecret: string;
  private readonly usersByEmail = new Map<string, string>();
  private readonly channels: Set<string>;
  private readonly messages = new Map<string, PostedMessage>();
  private readonly script: Scripted[] = [];
  private nextTs: number;
  private tsCounter = 0;
  private readonly server: Server;
  private baseUrl = '';

  private constructor(options: FakeSlackOptions) {
    this.token = options.token ?? 'xoxb-test-token';
    this.signingSecret = options.signingSecret ?? '8f742231b10e8888abcd99e1f0c285a5';
    this.channels = new Set(options.channels ?? ['C0OPS', '#ops']);
    this.nextTs = options.firstTs ?? 1767603600;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answer = this.handle(req.method ?? '', req.url ?? '', req.headers, [...req.rawHeaders], Buffer.concat(chunks).toString('utf8'));
        res.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers });
        res.end(answer.body);
      });
    });
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    fake.baseUrl = await new Promise<string>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`));
    });
    return fake;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** What to put in the provider's `api_base`. */
  get apiBase(): string {
    return `${this.baseUrl}/api`;
  }

  /** The incoming-webhook URL of the fake workspace. */
  get webhookUrl(): string {
    return `${this.baseUrl}${WEBHOOK_PATH}`;
  }

  /** A workspace member `users.lookupByEmail` finds. */
  addUser(email: string, id: string): void {
    this.usersByEmail.set(email.toLowerCase(), id);
  }

  /** The next call of `method` answers `{"ok":false,"error":<error>}` (HTTP 200, like Slack). */
  failNext(method: WebApiMethod, error: string): void {
    this.script.push({ kind: 'error', method, error });
  }

  /** The next call of `method` (or `webhook`) answers this HTTP status, e.g. 429 with Retry-After. */
  respondNext(method: WebApiMethod | 'webhook', status: number, body = '', headers: Readonly<Record<string, string>> = {}): void {
    this.script.push({ kind: 'status', method, status, body, headers });
  }

  /** Messages posted in channels and DMs, keyed `<channel>:<ts>`. */
  message(channel: string, ts: string): PostedMessage | undefined {
    return this.messages.get(`${channel}:${ts}`);
  }

  callsOf(method: SlackCall['method']): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Forgets calls, scripted answers, messages, users and the timestamp counter. */
  reset(): void {
    this.calls.length = 0;
    this.script.length = 0;
    this.messages.clear();
    this.usersByEmail.clear();
    this.tsCounter = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------------
  // Interactivity: what Slack sends when someone presses a button

  /** A `block_actions` payload as Slack builds it for one button press. */
  blockActionsPayload(press: ButtonPress): Record<string, unknown> {
    const user: Record<string, unknown> = {
      id: press.userId,
      username: press.userName ?? press.userId.toLowerCase(),
      name: press.userName ?? press.userId.toLowerCase(),
      team_id: 'T0TOCSIN',
    };
    if (press.email !== undefined) user.email = press.email;
    return {
      type: 'block_actions',
      user,
      api_app_id: 'A0TOCSIN',
      token: 'deprecated-verification-token',
      container: { type: 'message_attachment', message_ts: press.messageTs ?? '1767603600.000100', channel_id: press.channel ?? 'C0OPS', is_ephemeral: false },
      trigger_id: '1234567890.0987654321.abcdef',
      team: { id: 'T0TOCSIN', domain: 'tocsin' },
      channel: { id: press.channel ?? 'C0OPS', name: 'ops' },
      message: { type: 'message', ts: press.messageTs ?? '1767603600.000100' },
      response_url: `${this.baseUrl}/actions/T0TOCSIN/1/response`,
      actions: [
        {
          action_id: press.actionId,
          block_id: 'tocsin_incident',
          text: { type: 'plain_text', text: 'Acknowledge' },
          value: press.value,
          type: 'button',
          action_ts: '1767603601.000200',
        },
      ],
    };
  }

  /**
   * The exact request Slack would send: `application/x-www-form-urlencoded` body `payload=<json>`,
   * `X-Slack-Request-Timestamp` (Unix seconds) and `X-Slack-Signature: v0=<hex HMAC-SHA256>` over
   * `v0:<timestamp>:<body>` with the signing secret.
   */
  signedInteraction(payload: Record<string, unknown>, nowMs: number, secret = this.signingSecret): { headers: Record<string, string>; body: string } {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = String(Math.floor(nowMs / 1000));
    return {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': FakeSlack.sign(secret, timestamp, body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      body,
    };
  }

  /** Slack's v0 signature, written here independently of the provider. */
  static sign(secret: string, timestamp: string, body: string): string {
    const mac = createHmac('sha256', secret);
    mac.update('v0:');
    mac.update(timestamp);
    mac.update(':');
    mac.update(body);
    return `v0=${mac.digest('hex')}`;
  }

  /** POSTs a signed button press to `callbackUrl` (a loopback URL) and returns Tocsin's answer. */
  async pressButton(callbackUrl: string, press: ButtonPress, nowMs = Date.now()): Promise<Response> {
    const { headers, body } = this.signedInteraction(this.blockActionsPayload(press), nowMs);
    return fetch(callbackUrl, { method: 'POST', headers, body });
  }

  // -------------------------------------------------------------------------------------------------

  private takeScripted(method: string): Scripted | undefined {
    const index = this.script.findIndex((s) => s.method === method);
    return index < 0 ? undefined : this.script.splice(index, 1)[0];
  }

  private handle(httpMethod: string, path: string, headers: IncomingHttpHeaders, rawHeaders: string[], rawBody: string): Answer {
    const url = new URL(path, 'http://fake.invalid');
    if (url.pathname === WEBHOOK_PATH) return this.webhook(httpMethod, path, headers, rawHeaders, rawBody);
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : '';
    if (!(WEB_API_METHODS as readonly string[]).includes(method)) return json(404, { ok: false, error: 'unknown_method' });
    const apiMethod = method as WebApiMethod;
    let args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (httpMethod === 'POST' && rawBody !== '') {
      const type = headers['content-type'] ?? '';
      try {
        if (type.startsWith('application/json')) args = { ...args, ...(JSON.parse(rawBody) as Record<string, unknown>) };
        else args = { ...args, ...Object.fromEntries(new URLSearchParams(rawBody)) };
      } catch {
        this.calls.push({ method: apiMethod, httpMethod, path, headers, rawHeaders, rawBody, args: {} });
        return json(200, { ok: false, error: 'invalid_json' });
      }
    }
    this.calls.push({ method: apiMethod, httpMethod, path, headers, rawHeaders, rawBody, args });
    const scripted = this.takeScripted(apiMethod);
    if (scripted?.kind === 'status')
      return { status: scripted.status, contentType: 'application/json; charset=utf-8', body: scripted.body, headers: scripted.headers };
    if (headers.authorization !== `Bearer ${this.token}`) return json(200, { ok: false, error: headers.authorization ? 'invalid_auth' : 'not_authed' });
    if (scripted?.kind === 'error') return json(200, { ok: false, error: scripted.error });
    switch (apiMethod) {
      case 'users.lookupByEmail': {
        const id = this.usersByEmail.get(String(args.email ?? '').toLowerCase());
        return id === undefined
          ? json(200, { ok: false, error: 'users_not_found' })
          : json(200, { ok: true, user: { id, team_id: 'T0TOCSIN', name: id.toLowerCase(), deleted: false, profile: { email: String(args.email) } } });
      }
      case 'users.info': {
        const id = String(args.user ?? '');
        const email = [...this.usersByEmail].find(([, userId]) => userId === id)?.[0];
        return email === undefined
          ? json(200, { ok: false, error: 'user_not_found' })
          : json(200, { ok: true, user: { id, team_id: 'T0TOCSIN', name: id.toLowerCase(), deleted: false, profile: { email } } });
      }
      case 'conversations.open': {
        const user = String(args.users ?? '');
        if (!/^[UW][A-Z0-9]+$/.test(user) || ![...this.usersByEmail.values()].includes(user)) return json(200, { ok: false, error: 'user_not_found' });
        return json(200, { ok: true, channel: { id: `D${user.slice(1)}` } });
      }
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        const isDm = channel.startsWith('D') && [...this.usersByEmail.values()].includes(`U${channel.slice(1)}`);
        if (!this.channels.has(channel) && !isDm) return json(200, { ok: false, error: 'channel_not_found' });
        if (args.text === undefined && args.attachments === undefined && args.blocks === undefined) return json(200, { ok: false, error: 'no_text' });
        const ts = `${this.nextTs}.${String(++this.tsCounter * 100).padStart(6, '0')}`;
        const id = channel.startsWith('#') ? 'C0OPS' : channel;
        const body = without(args, 'channel');
        this.messages.set(`${id}:${ts}`, { channel: id, ts, body, updates: 0 });
        return json(200, { ok: true, channel: id, ts, message: { type: 'message', ts, bot_id: 'B0TOCSIN', ...body } });
      }
      case 'chat.update': {
        const key = `${String(args.channel ?? '')}:${String(args.ts ?? '')}`;
        const existing = this.messages.get(key);
        if (!existing) return json(200, { ok: false, error: 'message_not_found' });
        const body = without(args, 'channel', 'ts');
        this.messages.set(key, { ...existing, body, updates: existing.updates + 1 });
        return json(200, { ok: true, channel: existing.channel, ts: existing.ts, text: typeof body.text === 'string' ? body.text : '' });
      }
    }
  }

  private webhook(httpMethod: string, path: string, headers: IncomingHttpHeaders, rawHeaders: string[], rawBody: string): Answer {
    let args: Record<string, unknown> = {};
    let valid = httpMethod === 'POST';
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
      else valid = false;
    } catch {
      valid = false;
    }
    this.calls.push({ method: 'webhook', httpMethod, path, headers, rawHeaders, rawBody, args });
    const scripted = this.takeScripted('webhook');
    if (scripted?.kind === 'status') return { status: scripted.status, contentType: 'text/html', body: scripted.body, headers: scripted.headers };
    if (!valid || (args.text === undefined && args.attachments === undefined && args.blocks === undefined)) return text(400, 'invalid_payload');
    return text(200, 'ok');
  }
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

function without(record: Readonly<Record<string, unknown>>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

function json(status: number, body: unknown): Answer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body), headers: {} };
}

function text(status: number, body: string): Answer {
  return { status, contentType: 'text/html', body, headers: {} };
}
