/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that records every message it accepts, raw and parsed
 * with mailparser, and can be told to refuse the next commands with any reply code:
 *
 *   const smtp = await SmtpPeer.start({ users: { alerts: 'pw' } });
 *   smtp.failNext('rcpt', 451, 'try later');
 *   const mail = await smtp.waitFor((m) => m.envelope.to.includes('ada@example.com'));
 *   await smtp.close();
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface CapturedMail {
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** The authenticated user, when the client logged in. */
  readonly user?: string;
  /** Whether the session had been upgraded to TLS. */
  readonly secure: boolean;
  /** The message exactly as received (CRLF line ends, dot-unstuffed). */
  readonly raw: string;
  readonly parsed: ParsedMail;
}

export interface SmtpPeerOptions {
  /** Require AUTH with one of these username → password pairs. */
  readonly users?: Readonly<Record<string, string>>;
  /** Offer STARTTLS (with smtp-server's built-in self-signed certificate). Off by default. */
  readonly starttls?: boolean;
}

type Stage = 'rcpt' | 'data';
type SmtpError = Error & { responseCode: number };

function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code });
}

export class SmtpPeer {
  readonly host = '127.0.0.1';
  readonly messages: CapturedMail[] = [];
  /** Connection-level errors the server reported (a client aborting a TLS handshake, …). */
  readonly errors: Error[] = [];
  private readonly failures: { stage: Stage; code: number; message: string }[] = [];
  private readonly waiters = new Set<() => void>();

  private readonly server: SMTPServer;
  private boundPort = 0;

  private constructor(options: SmtpPeerOptions) {
    const users = options.users;
    this.server = new SMTPServer({
      logger: false,
      authOptional: users === undefined,
      allowInsecureAuth: true,
      disabledCommands: options.starttls ? [] : ['STARTTLS'],
      onAuth(auth, _session, callback) {
        const username = auth.username ?? '';
        if (users && Object.hasOwn(users, username) && users[username] === auth.password) callback(null, { user: username });
        else callback(smtpError(535, '5.7.8 authentication failed'));
      },
      onRcptTo: (_address, _session, callback) => {
        const failure = this.takeFailure('rcpt');
        callback(failure ? smtpError(failure.code, failure.message) : null);
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const failure = this.takeFailure('data');
          if (failure) return callback(smtpError(failure.code, failure.message));
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              this.record({
                envelope: {
                  from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
                  to: session.envelope.rcptTo.map((r) => r.address),
                },
                ...(typeof session.user === 'string' ? { user: session.user } : {}),
                secure: session.secure,
                raw,
                parsed,
              });
              callback();
            },
            (error: unknown) => callback(smtpError(554, `unparseable message: ${String(error)}`)),
          );
        });
      },
    });
  }

  /** The bound port on 127.0.0.1. */
  get port(): number {
    return this.boundPort;
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  static async start(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
    const peer = new SmtpPeer(options);
    peer.boundPort = await new Promise<number>((resolve, reject) => {
      peer.server.once('error', reject);
      peer.server.listen(0, '127.0.0.1', () => resolve((peer.server.server.address() as AddressInfo).port));
    });
    // Without a listener an 'error' event would crash the test process.
    peer.server.on('error', (error: Error) => peer.errors.push(error));
    return peer;
  }

  /** The next `stage` command (RCPT TO or the end of DATA) is refused with `code message`. */
  failNext(stage: Stage, code: number, message: string): void {
    this.failures.push({ stage, code, message });
  }

  /** Resolves with the first message (already received or arriving within `timeoutMs`) that matches. */
  waitFor(predicate: (mail: CapturedMail) => boolean = () => true, timeoutMs = 5000): Promise<CapturedMail> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.messages.find(predicate);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(onMessage);
        resolve(found);
        return true;
      };
      const onMessage = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(onMessage);
        reject(new Error(`SMTP peer: no matching message within ${timeoutMs} ms (got ${this.messages.length})`));
      }, timeoutMs);
      if (!check()) this.waiters.add(onMessage);
    });
  }

  /** Forgets received messages and scripted failures. */
  reset(): void {
    this.messages.length = 0;
    this.failures.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private takeFailure(stage: Stage): { code: number; message: string } | undefined {
    const index = this.failures.findIndex((f) => f.stage === stage);
    return index < 0 ? undefined : this.failures.splice(index, 1)[0];
  }

  private record(mail: CapturedMail): void {
    this.messages.push(mail);
    for (const waiter of [...this.waiters]) waiter();
  }
}
