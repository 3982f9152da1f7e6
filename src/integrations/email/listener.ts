/**
 * The SMTP listener of email integrations (SPEC §3.1 "Email"). Mail for `<prefix>@<inbound domain>`
 * is accepted only for an existing, enabled email integration; everything is decided during the SMTP
 * dialogue so the sending MTA, not Tocsin, owns retries and bounces:
 * - unknown or disabled recipient → 550 at RCPT; over the integration's rate limit → 451 at RCPT
 *   (temporary, the sender retries);
 * - over 5 MB → 552 (announced with the SIZE extension, enforced whatever the client declares);
 * - the email is parsed, mapped and **stored before the 250** — a 250 means durably ingested;
 *   a mapper refusal → 550 with its message (counted and kept on the integration card);
 *   a storage failure → 451 so the sender tries again (per-email keys make a retry idempotent).
 *
 * No AUTH (the unguessable prefix is the credential, as the integration key is over HTTP) and no
 * STARTTLS: mail from the internet should arrive through a relay (Postfix, a cloud inbound service)
 * or a TLS-terminating proxy in front of this port — see docs/integrations/email.md.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Clock } from '../../core/clock.js';
import type { Log } from '../../core/log.js';
import type { Integration } from '../integration-model.js';
import type { IngestService, RawRequest } from '../ingest-service.js';
import { SourceError, type NormalizedEvent } from '../model.js';
import { IntegrationRateLimiter } from '../rate-limit.js';
import type { IntegrationsService } from '../service.js';
import { createEmailMapper, type EmailMapper, type InboundEmail } from './mapper.js';

/** Messages over this size are refused at SMTP time (SPEC §3.1). */
export const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
/** The raw message kept on the integration card is cut to this many bytes. */
const RAW_PAYLOAD_BYTES = 64 * 1024;
/** One email may go to several integrations, but not to a mailing list's worth of them. */
const MAX_RECIPIENTS = 20;
const CLOSE_TIMEOUT_MS = 10_000;

export interface EmailListenerDeps {
  readonly port: number;
  readonly host: string;
  /** The inbound domain: only `<prefix>@<domain>` recipients are accepted. */
  readonly domain: string;
  readonly integrations: Pick<IntegrationsService, 'resolveEmailPrefix'>;
  readonly ingest: Pick<IngestService, 'ingest' | 'reject'>;
  readonly clock: Clock;
  readonly log: Log;
}

export interface EmailListener {
  /** The bound port (useful when started on port 0). */
  readonly port: number;
  /** Stops accepting mail, lets open sessions finish (10 s at most) and waits for in-flight deliveries. */
  close(): Promise<void>;
}

type SmtpError = Error & { responseCode: number };

/** An error whose SMTP reply code smtp-server uses; the text is kept to one short line. */
function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message.replace(/[\r\n]+/g, ' ').slice(0, 400)), { responseCode: code });
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => o.value.flatMap((a) => (a.address ? [a.address] : (a.group ?? []).flatMap((g) => (g.address ? [g.address] : [])))));
}

/** The mapper's view of a parsed message. */
function inboundEmail(mail: ParsedMail, envelopeSender: string): InboundEmail {
  const headers: Record<string, string> = {};
  for (const [name, value] of mail.headers) if (typeof value === 'string') headers[name] = value;
  const date = mail.date?.getTime();
  return {
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : undefined,
    from: addressesOf(mail.from)[0] ?? envelopeSender,
    to: addressesOf(mail.to),
    messageId: mail.messageId,
    date: date !== undefined && Number.isFinite(date) ? date : undefined,
    headers,
  };
}

/** Starts the SMTP listener and resolves once it is bound. */
export async function startEmailListener(deps: EmailListenerDeps): Promise<EmailListener> {
  const { log, clock } = deps;
  const domain = deps.domain.toLowerCase();
  const limiter = new IntegrationRateLimiter();
  const mappers = new Map<string, { version: number; mapper: EmailMapper }>();
  const inFlight = new Set<Promise<unknown>>();

  /** The enabled email integration an address names, or why it is refused. */
  async function recipient(address: string): Promise<{ integration: Integration; address: string } | { refusal: string }> {
    const at = address.lastIndexOf('@');
    const local = address.slice(0, at).toLowerCase();
    if (at < 0 || address.slice(at + 1).toLowerCase() !== domain || !/^[a-z0-9._+-]{1,64}$/.test(local)) {
      return { refusal: `<${address}>: no such mailbox here (Tocsin accepts mail for its email integrations at @${domain})` };
    }
    const integration = await deps.integrations.resolveEmailPrefix(local);
    if (!integration || integration.source !== 'email') return { refusal: `<${address}>: no email integration has this address` };
    if (integration.disabled) return { refusal: `<${address}>: the email integration is disabled` };
    return { integration, address: `${local}@${domain}` };
  }

  function mapperOf(integration: Integration): EmailMapper {
    const cached = mappers.get(integration.id);
    if (cached && cached.version === integration.updatedAt) return cached.mapper;
    const mapper = createEmailMapper(integration.settings.sourceOptions);
    mappers.set(integration.id, { version: integration.updatedAt, mapper });
    return mapper;
  }

  async function onRcptTo(address: SMTPServerAddress): Promise<void> {
    const found = await recipient(address.address);
    if ('refusal' in found) throw smtpError(550, found.refusal);
    const wait = limiter.admit(found.integration.id, found.integration.settings.rateLimit, clock.now());
    if (wait > 0) throw smtpError(451, `too many messages for this integration; retry in ${wait} s`);
  }

  /** Parses, maps and stores one message for every recipient integration; resolves to the 250 text. */
  async function deliver(raw: Buffer, session: SMTPServerSession): Promise<string> {
    // Recipients are resolved again: the integration may have changed since RCPT (and this keeps no session state).
    const targets = new Map<string, { integration: Integration; address: string }>();
    for (const rcpt of session.envelope.rcptTo) {
      const found = await recipient(rcpt.address);
      if (!('refusal' in found)) targets.set(found.integration.id, found);
    }
    if (targets.size === 0) throw smtpError(550, 'no recipient is an enabled email integration any more');

    const payload: RawRequest = { contentType: 'message/rfc822', payload: raw.subarray(0, RAW_PAYLOAD_BYTES).toString('utf8') };
    const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true });
    const envelopeSender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const email = inboundEmail(mail, envelopeSender);

    const refusals: string[] = [];
    let events = 0;
    for (const { integration, address } of targets.values()) {
      let mapped: NormalizedEvent[];
      try {
        mapped = mapperOf(integration)(email, { address, now: clock.now() });
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        await deps.ingest.reject(integration, payload, error.message);
        refusals.push(error.message);
        continue;
      }
      const results = await deps.ingest.ingest(integration, mapped, payload);
      if (results.length > 0 && results.every((r) => r.outcome === 'rejected')) refusals.push(`routing: ${results[0]?.detail ?? 'no channel matched'}`);
      events += mapped.length;
    }
    // One reply covers every recipient (SMTP, not LMTP): any refusal bounces the message.
    if (refusals.length > 0) throw smtpError(550, refusals.join('; '));
    return events === 0 ? 'OK: accepted, no alert (the subject matched no rule)' : `OK: stored ${events} event${events === 1 ? '' : 's'}`;
  }

  function onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // Past the limit the stream is only drained: smtp-server answers 552 (rejectOversized).
      if (bytes <= MAX_MESSAGE_BYTES) chunks.push(chunk);
    });
    stream.once('error', (error: Error) => callback(error));
    stream.once('end', () => {
      if (stream.sizeExceeded || bytes > MAX_MESSAGE_BYTES) {
        callback(smtpError(552, `message exceeds the maximum size of ${MAX_MESSAGE_BYTES} bytes`));
        return;
      }
      const delivery = deliver(Buffer.concat(chunks), session).then(
        (message) => callback(null, message),
        (error: unknown) => {
          if (error instanceof Error && 'responseCode' in error) return callback(error);
          log.error({ err: error, session: session.id }, 'email delivery failed; asking the sender to retry');
          callback(smtpError(451, 'temporary failure storing the message; please retry later'));
        },
      );
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    });
  }

  const server = new SMTPServer({
    name: domain,
    banner: 'Tocsin email integrations',
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    maxRecipients: MAX_RECIPIENTS,
    closeTimeout: CLOSE_TIMEOUT_MS,
    logger: false,
    onRcptTo(address, _session, callback) {
      onRcptTo(address).then(
        () => callback(),
        (error: unknown) => {
          if (error instanceof Error && 'responseCode' in error) return callback(error);
          log.error({ err: error, recipient: address.address }, 'email recipient lookup failed');
          callback(smtpError(451, 'temporary failure looking up the recipient; please retry later'));
        },
      );
    },
    onData,
  });
  server.on('error', (error: Error) => log.warn({ err: error }, 'SMTP listener error'));

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.server.once('error', failed);
    server.listen(deps.port, deps.host, () => {
      server.server.off('error', failed);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ host: deps.host, port, domain }, 'SMTP listener for email integrations is ready');

  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => server.close(resolve)).then(async () => {
        await Promise.allSettled([...inFlight]);
      });
      return closing;
    },
  };
}
