/**
 * The one interface every notification provider implements (DESIGN §2, STYLE 7). A provider is a
 * self-describing object: it declares its settings `fields` (the console draws the form from them and
 * the registry validates saved settings against them), the notification methods it serves, and a
 * `send` that puts one already-rendered message on the wire and reports what happened.
 *
 * Choices (see the report / ADR notes in registry.ts and templates.ts):
 * - Providers receive **rendered** content (`message.content`, made by `notify/templates.ts` with the
 *   channel's overrides and the method's length limit) plus the structured incident for wire formats
 *   that need it (JSON bodies, buttons). So providers never import templates: they import only this
 *   file and `core`.
 * - Messages are a tagged union on `kind`: an incident message always has an incident, a bundle has
 *   its incidents, a verification message has its code and no incident.
 * - `send` never throws for delivery problems; it returns `retry` (transient: the outbox backs off,
 *   honouring `retryAfterMs`) or `failed` (permanent: fall back to the next method). A throw is treated
 *   by the caller as `retry`.
 * - Methods use method syntax, so `Provider<SmtpSettings>` is assignable to `AnyProvider`
 *   (`Provider<unknown>`); the registry only ever passes a provider the settings its own
 *   `parseSettings` produced.
 * This file imports only `core`.
 */
import type { FieldError } from '../core/errors.js';

/** Names of the notification methods (SPEC §6): a person's methods plus group-chat deliveries. */
export type NotificationMethod = 'voice' | 'sms' | 'email' | 'push' | 'im' | 'webhook';

export type ProviderFieldType = 'string' | 'secret' | 'number' | 'boolean' | 'select' | 'url' | 'email';

/** One settings field; the console renders a form input from it and the registry validates against it. */
export interface ProviderField {
  /** Key in the settings object, `snake_case`; errors name it `settings.<name>`. */
  readonly name: string;
  readonly label: string;
  /** `secret` values are stored sealed and shown as `••••••`; `url` is http(s) only; `number` is finite. */
  readonly type: ProviderFieldType;
  readonly required?: boolean;
  /** Allowed values of a `select`. */
  readonly options?: readonly string[];
  /** Applied when the field is absent or empty; the form pre-fills it. */
  readonly default?: string | number | boolean;
  readonly help?: string;
  /** A regular expression the whole value of a string-like field must match (anchored by the registry). */
  readonly pattern?: string;
  /** Bounds: the value of a `number`, the length (in characters) of string-like fields. */
  readonly min?: number;
  readonly max?: number;
  /** Render as a multi-line text area (string fields only), e.g. "Name: value" header lines. */
  readonly multiline?: boolean;
  /**
   * A `url` or `string` value that is also a credential (a webhook URL carrying its token, header
   * lines): stored sealed and shown as `••••••` like a `secret`, validated as its own type.
   */
  readonly secret?: boolean;
}

/** Who receives the message: a person at one of their addresses, or a group chat configured on a channel. */
export type Recipient =
  | {
      readonly kind: 'person';
      readonly personId: string;
      readonly name: string;
      /** The method's address: an email, an E.164 phone, an IM user id… */
      readonly address: string;
    }
  | { readonly kind: 'group_chat'; readonly name: string };

export type Severity = 'Critical' | 'Warning' | 'Info';

/** The languages notifications are written in (issue 13): a person's locale `zh*` → Chinese, else English. */
export type MessageLocale = 'en' | 'zh-CN';

/** The incident as messages show it. URLs are absolute; ack/resolve are signed, single-purpose links. */
export interface IncidentView {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly status: string;
  readonly channelName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly alertCount: number;
  /** When the incident started (UTC ms), for messages that show a date. */
  readonly startedAt?: number;
  /** Names of the people the incident is assigned to. */
  readonly assignees?: readonly string[];
  readonly url: string;
  readonly ackUrl?: string;
  readonly resolveUrl?: string;
}

/** Kinds of messages that are about one incident. */
export type IncidentMessageKind = 'trigger' | 'repeat' | 'escalated' | 'acknowledged' | 'resolved' | 'test';

export type MessageKind = IncidentMessageKind | 'bundle' | 'verification';

/** What the template step produced for this message (already within the method's length limit). */
export interface RenderedContent {
  /** Email subject, push title; absent for SMS and voice. */
  readonly subject?: string;
  /** Plain text: the SMS, the spoken text, the email's text part, the IM message (markdown for IM/webhook). */
  readonly text: string;
  /** Email HTML part. */
  readonly html?: string;
}

interface MessageBase {
  /** The outbox row id: stable across retries of this message, unique otherwise. */
  readonly id: string;
  /** Key under which the receiving side may deduplicate (incident, level, round, person, method). */
  readonly idempotencyKey: string;
  readonly method: NotificationMethod;
  readonly recipient: Recipient;
  readonly content: RenderedContent;
  /**
   * The language of the message: the person's locale for personal methods, the group chat's
   * `language` setting for chats; English when absent.
   */
  readonly locale?: MessageLocale;
  /** The reader's IANA time zone for dates (the person's), UTC when absent. */
  readonly timeZone?: string;
}

/** An incident notification; `threadKey` groups messages of one incident (one email thread per incident). */
export interface IncidentMessage extends MessageBase {
  readonly kind: IncidentMessageKind;
  readonly incident: IncidentView;
  /** Escalation level (1-based) that caused this notification, when there is one. */
  readonly escalationLevel?: number;
  readonly threadKey?: string;
}

/** Several incidents for one person within the throttle window, in one message ("3 incidents: …"). */
export interface BundleMessage extends MessageBase {
  readonly kind: 'bundle';
  readonly bundle: readonly IncidentView[];
}

/** A one-time code proving the person owns the address. */
export interface VerificationMessage extends MessageBase {
  readonly kind: 'verification';
  readonly code: string;
}

export type OutboundMessage = IncidentMessage | BundleMessage | VerificationMessage;

/** A message before rendering: what the notify service builds; `templates.ts` adds `content`. */
export type MessageDraft = DistributiveOmit<OutboundMessage, 'content'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type SendResult =
  | { readonly kind: 'sent'; readonly providerMessageId?: string }
  /** Transient: try again later (after `retryAfterMs` if the peer said so). */
  | { readonly kind: 'retry'; readonly error: string; readonly retryAfterMs?: number }
  /** Permanent: do not retry; fall back to the person's next method. */
  | { readonly kind: 'failed'; readonly error: string };

/** What a provider may use besides its settings; injected so tests and the clock stay in control. */
export interface SendContext {
  /** Checked against TOCSIN_OUTBOUND_DENY on every connection and redirect. */
  readonly fetch: typeof fetch;
  /**
   * Resolves a host name to an address TOCSIN_OUTBOUND_DENY allows, or rejects; providers that open
   * their own sockets (SMTP) connect to that address. Absent in unit tests: connect to the host as is.
   */
  readonly resolveHost?: (host: string) => Promise<string>;
  /** UTC milliseconds; providers never read the clock themselves. */
  readonly now: number;
  /**
   * The public base URL of this provider configuration's inbound callbacks, without a trailing slash:
   * `{TOCSIN_PUBLIC_URL}/callbacks/<vendor>/<provider config id>` (e.g.
   * `https://oncall.example.com/callbacks/twilio/0190…`). Providers whose vendor calls back (delivery
   * status, key presses) append their own sub-paths to it; when absent they send without callbacks.
   */
  readonly callbackBaseUrl?: string;
}

/** An inbound HTTP request from a vendor (SMS reply, button press, delivery status), body unparsed. */
export interface InboundRequest {
  readonly method: string;
  /** The full public URL the vendor called (Twilio signs it). */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: string;
}

/** What an inbound callback asks Tocsin to do. */
export type InboundAction =
  | { readonly kind: 'acknowledge' | 'resolve'; readonly incidentId?: string; readonly incidentNumber?: number; readonly from: string }
  | { readonly kind: 'delivery_status'; readonly providerMessageId: string; readonly status: 'delivered' | 'failed'; readonly error?: string; readonly unanswered?: boolean }
  /**
   * A person opened the bot from the personal center's deep link (Telegram `/start <token>`): link
   * the chat `externalId` to the token's person. `reply` builds the answer once the outcome is known.
   */
  | {
      readonly kind: 'link_chat';
      readonly token: string;
      readonly externalId: string;
      readonly displayName?: string;
      readonly reply: (outcome: { readonly linked: boolean; readonly personName?: string; readonly locale?: MessageLocale }) => NonNullable<CallbackResult['response']>;
    };

export interface CallbackResult {
  readonly actions: readonly InboundAction[];
  /** What to answer the vendor (TwiML, a Slack ack…); a plain 204 when absent. */
  readonly response?: { readonly status: number; readonly contentType: string; readonly body: string };
}

/** A notification provider (STYLE 7). `Settings` is the typed form of its validated settings. */
export interface Provider<Settings> {
  /** Stable id stored with the configuration: lower-case letters, digits, `-` and `_` ('smtp'). */
  readonly id: string;
  readonly label: string;
  /** Notification methods it serves: ['email'], ['webhook'], ['sms'] … */
  readonly methods: readonly NotificationMethod[];
  readonly fields: readonly ProviderField[];
  /**
   * How the IM direct-message method finds a person on this vendor (methods including 'im'): by the
   * verified email (Slack, Feishu; the default), the verified phone (DingTalk), or a chat the person
   * linked from the personal center (Telegram).
   */
  readonly personAddress?: 'email' | 'phone' | 'linked_chat';
  /** The longest `content.text` the wire accepts (Telegram 4096, Slack 15 000); templates truncate to it. */
  readonly maxTextLength?: number;
  /** Rules beyond single fields (cross-field, formats); runs after the declared fields passed. */
  checkSettings?(settings: Readonly<Record<string, unknown>>): FieldError[];
  /** Types settings that already passed validation, with defaults applied and secrets unsealed. */
  parseSettings(raw: Readonly<Record<string, unknown>>): Settings;
  /** Delivers one message; reports transient and permanent failures instead of throwing. */
  send(settings: Settings, message: OutboundMessage, context: SendContext): Promise<SendResult>;
  /**
   * Rewrites a message sent earlier (`providerMessageId` from `send`) to show the incident's new state,
   * for vendors that can edit messages (Slack). Others get follow-up messages instead.
   */
  update?(settings: Settings, providerMessageId: string, message: OutboundMessage, context: SendContext): Promise<SendResult>;
  /**
   * The email of the vendor's user who acted in a callback (a Slack user id), to find the Tocsin
   * person; for vendors whose callbacks name users by their own ids.
   */
  userEmail?(settings: Settings, userId: string, context: SendContext): Promise<string | undefined>;
  /**
   * After the vendor reported a page unanswered (a call nobody picked up, busy, voicemail): how long to
   * wait before trying the same address once more, or undefined to fall back straight away.
   */
  redialAfterMs?(settings: Settings): number | undefined;
  /** Whether an inbound request really comes from the vendor (signature, timestamp window at `now`). */
  verifySignature?(settings: Settings, request: InboundRequest, now: number): boolean;
  /** Turns a verified inbound request into actions. */
  parseCallback?(settings: Settings, request: InboundRequest): CallbackResult;
}

/** A provider of any settings type, as the registry holds them. */
export type AnyProvider = Provider<unknown>;
