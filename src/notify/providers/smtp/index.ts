/**
 * SMTP email (SPEC §8.2) through nodemailer: HTML + text alternatives, STARTTLS / implicit TLS / AUTH,
 * one thread per incident without stored state.
 *
 * Threading: every email of an incident gets its own Message-ID `<incident-<threadKey>-<outbox id>@<from
 * domain>>` (stable across retries, so a resend after an ambiguous timeout is de-duplicated by the mail
 * client rather than shown twice) and `In-Reply-To` / `References: <incident-<threadKey>@<from domain>>`,
 * the incident's thread root, derived from the thread key alone. No email carries the root id itself:
 * clients thread on the shared reference (a missing parent becomes a placeholder, as for Jira), and a
 * Message-ID is never reused for a second page to the same mailbox (Gmail silently drops a message whose
 * Message-ID it already has — a reopened incident must still page). The domain is the `from` address's,
 * as RFC 5322 expects a domain the sender controls.
 *
 * Failures: no connection, timeouts, 4xx replies → retry; 5xx replies, authentication and TLS
 * failures (no STARTTLS offered, certificate not trusted or expired) → failed: they need an
 * administrator, not another attempt, and the person should get the next method now.
 */
import nodemailer from 'nodemailer';
import type { FieldError } from '../../../core/errors.js';
import type { OutboundMessage, Provider, SendContext, SendResult } from '../../provider.js';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (port 465). */
  readonly secure: boolean;
  /** Refuse to send unless the server upgrades the connection with STARTTLS. */
  readonly starttls: boolean;
  /** Check the server's certificate (turn off only for a relay with a self-signed certificate). */
  readonly tlsVerify: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly from: string;
  readonly fromName: string;
  readonly replyTo?: string;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

function str(raw: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = raw[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Message-ID / References parts must be dot-atom text; thread keys are ids, but be safe. */
function atom(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The domain used on the right of our Message-IDs. */
function idDomain(from: string): string {
  return atom(from.slice(from.lastIndexOf('@') + 1).toLowerCase()) || 'tocsin';
}

/** Message-ID and thread headers of `message` (pure; exported for tests). */
export function threadHeaders(message: OutboundMessage, from: string): { messageId: string; inReplyTo?: string; references?: string } {
  const domain = idDomain(from);
  if (message.kind === 'bundle' || message.kind === 'verification') return { messageId: `<${message.kind}-${atom(message.id)}@${domain}>` };
  const key = atom(message.threadKey ?? message.incident.id);
  const root = `<incident-${key}@${domain}>`;
  return { messageId: `<incident-${key}-${atom(message.id)}@${domain}>`, inReplyTo: root, references: root };
}

interface SmtpFailure {
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
  readonly message?: unknown;
}

/** TLS verification problems surface as ESOCKET with OpenSSL's message: a configuration problem. */
const TLS_PROBLEM = /certificate|altnames|wrong version number|ssl routines|alert handshake failure/i;

/** nodemailer 10 error codes (its errors.js) that another attempt cannot fix: configuration, auth, content. */
const PERMANENT_CODES: ReadonlySet<string> = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ETLS', 'EREQUIRETLS', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EMAXRECIPIENTS']);

/** Maps a nodemailer error to retry (transient) or failed (permanent). */
export function classifySmtpError(error: unknown): SendResult {
  const e: SmtpFailure = typeof error === 'object' && error !== null ? (error as SmtpFailure) : {};
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = typeof e.response === 'string' && e.response !== '' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const detail = `${code ?? 'SMTP'}${responseCode !== undefined ? ` ${responseCode}` : ''}: ${text.replace(/\s+/g, ' ').slice(0, 400)}`;
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) return { kind: 'retry', error: detail };
  if (responseCode !== undefined && responseCode >= 500) return { kind: 'failed', error: detail };
  if (TLS_PROBLEM.test(text)) return { kind: 'failed', error: detail };
  if (PERMANENT_CODES.has(code ?? '')) return { kind: 'failed', error: detail };
  // Connection problems (ECONNECTION, ESOCKET, ETIMEDOUT, EDNS…) and anything unrecognised: another
  // attempt may succeed.
  return { kind: 'retry', error: detail };
}

export const smtpProvider: Provider<SmtpSettings> = {
  id: 'smtp',
  label: 'SMTP email',
  methods: ['email'],
  fields: [
    { name: 'host', label: 'SMTP server', type: 'string', required: true, max: 253, pattern: '[A-Za-z0-9.:\\[\\]_-]+', help: 'Host name or IP address of the mail server' },
    { name: 'port', label: 'Port', type: 'number', required: true, default: 587, min: 1, max: 65535, help: '587 (STARTTLS), 465 (TLS) or 25' },
    { name: 'secure', label: 'TLS from the start (port 465)', type: 'boolean', default: false },
    { name: 'starttls', label: 'Require STARTTLS', type: 'boolean', default: true, help: 'Refuse to send over a connection that was not upgraded to TLS' },
    { name: 'tls_verify', label: 'Verify the server certificate', type: 'boolean', default: true },
    { name: 'username', label: 'Username', type: 'string', max: 256 },
    { name: 'password', label: 'Password', type: 'secret', max: 1024 },
    { name: 'from', label: 'From address', type: 'email', required: true },
    { name: 'from_name', label: 'From name', type: 'string', default: 'Tocsin', max: 100, pattern: '[^\\r\\n"<>]*' },
    { name: 'reply_to', label: 'Reply-To address', type: 'email' },
  ],

  checkSettings(raw): FieldError[] {
    const errors: FieldError[] = [];
    if (str(raw, 'password') !== undefined && str(raw, 'username') === undefined) errors.push({ field: 'settings.username', message: 'is required with a password' });
    if (str(raw, 'username') !== undefined && str(raw, 'password') === undefined) errors.push({ field: 'settings.password', message: 'is required with a username' });
    return errors;
  },

  parseSettings(raw): SmtpSettings {
    const username = str(raw, 'username');
    const password = str(raw, 'password');
    const replyTo = str(raw, 'reply_to');
    return {
      host: str(raw, 'host') ?? '',
      port: typeof raw.port === 'number' ? raw.port : 587,
      secure: raw.secure === true,
      starttls: raw.starttls !== false,
      tlsVerify: raw.tls_verify !== false,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      from: str(raw, 'from') ?? '',
      fromName: str(raw, 'from_name') ?? 'Tocsin',
      ...(replyTo !== undefined ? { replyTo } : {}),
    };
  },

  async send(settings: SmtpSettings, message: OutboundMessage, context: SendContext): Promise<SendResult> {
    if (message.recipient.kind !== 'person' || message.recipient.address === '') return { kind: 'failed', error: 'SMTP email needs a person with an email address' };
    // Connect to the address the outbound deny list allowed; TLS still checks the certificate for the name.
    let address: string;
    try {
      address = context.resolveHost ? await context.resolveHost(settings.host) : settings.host;
    } catch (error) {
      return { kind: 'failed', error: `SMTP server ${settings.host}: ${error instanceof Error ? error.message : String(error)}` };
    }
    const named = address !== settings.host && !/^[\d.]+$|:/.test(settings.host);
    const transport = nodemailer.createTransport({
      host: address,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.starttls && !settings.secure,
      ...(settings.username !== undefined ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
      tls: { rejectUnauthorized: settings.tlsVerify, ...(named && { servername: settings.host }) },
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: CONNECTION_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
    const thread = threadHeaders(message, settings.from);
    try {
      const info = await transport.sendMail({
        from: { name: settings.fromName, address: settings.from },
        to: { name: message.recipient.name, address: message.recipient.address },
        ...(settings.replyTo !== undefined ? { replyTo: settings.replyTo } : {}),
        subject: message.content.subject ?? '',
        text: message.content.text,
        ...(message.content.html !== undefined ? { html: message.content.html } : {}),
        date: new Date(context.now),
        messageId: thread.messageId,
        ...(thread.inReplyTo !== undefined ? { inReplyTo: thread.inReplyTo, references: thread.references } : {}),
        // RFC 3834: no vacation auto-replies to pages (and Exchange's equivalent).
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
      return { kind: 'sent', providerMessageId: info.messageId };
    } catch (error) {
      return classifySmtpError(error);
    } finally {
      transport.close();
    }
  },
};
