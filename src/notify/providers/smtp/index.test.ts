import type { ErrorCode } from 'nodemailer';
import type { AddressObject } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmtpPeer, type CapturedMail } from '../../../../test/harness/peers/smtp-peer.js';
import type { IncidentMessageKind, MessageDraft, OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings } from '../../registry.js';
import { renderMessage, sampleIncident } from '../../templates.js';
import { classifySmtpError, smtpProvider, threadHeaders, type SmtpSettings } from './index.js';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const context: SendContext = { fetch: globalThis.fetch, now: NOW };
const INCIDENT_ID = '0190a5c2-7f3e-7a00-8000-000000000042';
const ada = { kind: 'person', personId: 'p-ada', name: 'Ada Lovelace', address: 'ada@example.com' } as const;

/** Settings through the same path as a save: declared-field validation, defaults, then parse. */
function settings(raw: Record<string, unknown>): SmtpSettings {
  const normalized = normalizeProviderSettings(smtpProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return smtpProvider.parseSettings(normalized.value);
}

function incidentMessage(id: string, kind: IncidentMessageKind = 'trigger', overrides: Partial<ReturnType<typeof sampleIncident>> = {}): OutboundMessage {
  const draft: MessageDraft = { id, idempotencyKey: `${INCIDENT_ID}:1:1:p-ada:email`, method: 'email', recipient: ada, kind, incident: { ...sampleIncident(), ...overrides }, threadKey: INCIDENT_ID };
  return renderMessage(draft).message;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  return (Array.isArray(value) ? value : value ? [value] : []).map((a) => a.text).join(', ');
}

function header(mail: CapturedMail, name: string): unknown {
  return mail.parsed.headers.get(name);
}

describe('SMTP provider against a real SMTP server', () => {
  let smtp: SmtpPeer;
  let base: SmtpSettings;

  beforeAll(async () => {
    smtp = await SmtpPeer.start();
    base = settings({ host: '127.0.0.1', port: smtp.port, starttls: false, from: 'tocsin@example.com', reply_to: 'sre@example.com' });
  });
  afterAll(() => smtp.close());
  beforeEach(() => smtp.reset());

  it('declares its settings form', () => {
    expect(smtpProvider.fields.map((f) => `${f.name}:${f.type}${f.required ? '!' : ''}`)).toEqual([
      'host:string!',
      'port:number!',
      'secure:boolean',
      'starttls:boolean',
      'tls_verify:boolean',
      'username:string',
      'password:secret',
      'from:email!',
      'from_name:string',
      'reply_to:email',
    ]);
    expect(settings({ host: 'mail.example.com', from: 'tocsin@example.com' })).toEqual({
      host: 'mail.example.com',
      port: 587,
      secure: false,
      starttls: true,
      tlsVerify: true,
      from: 'tocsin@example.com',
      fromName: 'Tocsin',
    });
  });

  it('sends a multipart HTML + text email with exact headers, threaded on the incident', async () => {
    const message = incidentMessage('0190a5c2-7f3e-7a00-8000-00000000aaaa');
    const result = await smtpProvider.send(base, message, context);
    const messageId = `<incident-${INCIDENT_ID}-0190a5c2-7f3e-7a00-8000-00000000aaaa@example.com>`;
    expect(result).toEqual({ kind: 'sent', providerMessageId: messageId });

    const mail = await smtp.waitFor();
    expect(mail.envelope).toEqual({ from: 'tocsin@example.com', to: ['ada@example.com'] });
    expect(mail.secure).toBe(false);
    expect(addresses(mail.parsed.from)).toBe('"Tocsin" <tocsin@example.com>');
    expect(addresses(mail.parsed.to)).toBe('"Ada Lovelace" <ada@example.com>');
    expect(addresses(mail.parsed.replyTo)).toBe('sre@example.com');
    // The header bytes as sent (Message-ID is folded onto a continuation line: it is longer than 78).
    const head = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'));
    expect(head.split('\r\n').filter((l) => !/^(Content-Type|MIME-Version| boundary)/.test(l))).toEqual([
      'Auto-Submitted: auto-generated',
      'X-Auto-Response-Suppress: All',
      'From: Tocsin <tocsin@example.com>',
      'To: Ada Lovelace <ada@example.com>',
      'Reply-To: sre@example.com',
      `In-Reply-To: <incident-${INCIDENT_ID}@example.com>`,
      `References: <incident-${INCIDENT_ID}@example.com>`,
      'Subject: [Tocsin #42] Disk usage above 90% on db-1',
      'Message-ID:',
      ` ${messageId}`,
      'Date: Mon, 05 Jan 2026 09:00:00 +0000',
    ]);
    expect(mail.parsed.subject).toBe('[Tocsin #42] Disk usage above 90% on db-1');
    expect(mail.parsed.messageId).toBe(messageId);
    expect(mail.parsed.inReplyTo).toBe(`<incident-${INCIDENT_ID}@example.com>`);
    expect(mail.parsed.references).toBe(`<incident-${INCIDENT_ID}@example.com>`);
    expect(mail.parsed.date?.toISOString()).toBe('2026-01-05T09:00:00.000Z');
    expect(header(mail, 'auto-submitted')).toBe('auto-generated');
    expect(header(mail, 'x-auto-response-suppress')).toBe('All');
    expect(header(mail, 'mime-version')).toBe('1.0');

    // The MIME structure: one multipart/alternative with the text part first, then the HTML part.
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative;\r\n boundary="([^"]+)"\r\n/m);
    const boundary = /boundary="([^"]+)"/.exec(mail.raw)?.[1] ?? '';
    const parts = mail.raw.split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(`\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${message.content.text.replace(/\n/g, '\r\n')}\r\n`);
    expect(parts[1]).toMatch(/^\r\nContent-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/);

    expect(mail.parsed.text).toBe(message.content.text);
    expect(mail.parsed.text).toContain('Acknowledge: https://tocsin.example.com/a/sample-ack\nResolve: https://tocsin.example.com/a/sample-resolve');
    expect(mail.parsed.html).toBe(message.content.html);
    expect(mail.parsed.html).toContain('<a href="https://tocsin.example.com/a/sample-ack" ');
    expect(mail.parsed.html).toContain('<a href="https://tocsin.example.com/a/sample-resolve" ');
    expect(mail.parsed.html).toContain('<a href="https://tocsin.example.com/incidents/42" ');
    expect(mail.parsed.attachments).toEqual([]);
  });

  it('keeps every later email of the incident in the same thread, with its own Message-ID (stable across retries)', async () => {
    await smtpProvider.send(base, incidentMessage('m-1'), context);
    await smtpProvider.send(base, incidentMessage('m-2', 'acknowledged', { status: 'Processing' }), context);
    await smtpProvider.send(base, incidentMessage('m-2', 'acknowledged', { status: 'Processing' }), context);
    await smtp.waitFor(() => smtp.messages.length === 3);
    const root = `<incident-${INCIDENT_ID}@example.com>`;
    expect(smtp.messages.map((m) => [m.parsed.messageId, m.parsed.inReplyTo, m.parsed.references, m.parsed.subject])).toEqual([
      [`<incident-${INCIDENT_ID}-m-1@example.com>`, root, root, '[Tocsin #42] Disk usage above 90% on db-1'],
      [`<incident-${INCIDENT_ID}-m-2@example.com>`, root, root, 'Re: [Tocsin #42] Disk usage above 90% on db-1'],
      [`<incident-${INCIDENT_ID}-m-2@example.com>`, root, root, 'Re: [Tocsin #42] Disk usage above 90% on db-1'],
    ]);
  });

  it('sends verification codes outside any thread', async () => {
    const draft: MessageDraft = { id: 'v-1', idempotencyKey: 'verify:p-ada:email', method: 'email', recipient: ada, kind: 'verification', code: '482913' };
    expect(await smtpProvider.send(base, renderMessage(draft).message, context)).toEqual({ kind: 'sent', providerMessageId: '<verification-v-1@example.com>' });
    const mail = await smtp.waitFor();
    expect(mail.parsed.subject).toBe('Your Tocsin verification code: 482913');
    expect(mail.parsed.inReplyTo).toBeUndefined();
    expect(mail.parsed.references).toBeUndefined();
    expect(mail.parsed.text?.trimEnd()).toBe('Hello Ada Lovelace,\n\nyour Tocsin verification code is 482913. It expires in 10 minutes.\n\nIf you did not ask for it, ignore this email.');
    expect(mail.parsed.html).toContain('>482913</p>');
  });

  it('carries non-ASCII subjects and bodies intact', async () => {
    await smtpProvider.send(base, incidentMessage('m-u', 'trigger', { title: '数据库磁盘已满 — ünïcödé', labels: { 主机: 'db-1' } }), context);
    const mail = await smtp.waitFor();
    expect(mail.parsed.subject).toBe('[Tocsin #42] 数据库磁盘已满 — ünïcödé');
    expect(mail.parsed.text).toContain('  主机: db-1');
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('refuses recipients without an email address without connecting', async () => {
    const message = { ...incidentMessage('m-g'), recipient: { kind: 'group_chat', name: 'ops' } } as OutboundMessage;
    expect(await smtpProvider.send(base, message, context)).toEqual({ kind: 'failed', error: 'SMTP email needs a person with an email address' });
    expect(smtp.messages).toEqual([]);
  });

  it('4xx replies are transient, 5xx replies permanent', async () => {
    smtp.failNext('rcpt', 451, '4.3.0 mailbox busy');
    expect(await smtpProvider.send(base, incidentMessage('m-3'), context)).toEqual({ kind: 'retry', error: 'EENVELOPE 451: 451 4.3.0 mailbox busy' });
    smtp.failNext('rcpt', 550, '5.1.1 no such user');
    expect(await smtpProvider.send(base, incidentMessage('m-4'), context)).toEqual({ kind: 'failed', error: 'EENVELOPE 550: 550 5.1.1 no such user' });
    smtp.failNext('data', 452, '4.3.1 insufficient storage');
    expect(await smtpProvider.send(base, incidentMessage('m-5'), context)).toEqual({ kind: 'retry', error: 'EMESSAGE 452: 452 4.3.1 insufficient storage' });
    smtp.failNext('data', 554, '5.7.1 rejected as spam');
    expect(await smtpProvider.send(base, incidentMessage('m-6'), context)).toEqual({ kind: 'failed', error: 'EMESSAGE 554: 554 5.7.1 rejected as spam' });
    expect(smtp.messages).toEqual([]);
    // The next attempt goes through.
    expect((await smtpProvider.send(base, incidentMessage('m-3'), context)).kind).toBe('sent');
  });

  it('a refused connection is transient', async () => {
    const closed = await SmtpPeer.start();
    const port = closed.port;
    await closed.close();
    const result = await smtpProvider.send({ ...base, port }, incidentMessage('m-7'), context);
    expect(result).toEqual({ kind: 'retry', error: `ESOCKET: connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('requiring STARTTLS from a server that does not offer it fails permanently', async () => {
    const result = await smtpProvider.send({ ...base, starttls: true }, incidentMessage('m-8'), context);
    expect(result.kind).toBe('failed');
    expect(smtp.messages).toEqual([]);
  });
});

describe('SMTP provider: AUTH and STARTTLS', () => {
  let smtp: SmtpPeer;
  beforeAll(async () => {
    smtp = await SmtpPeer.start({ users: { alerts: 'correct horse' }, starttls: true });
  });
  afterAll(() => smtp.close());

  it('upgrades with STARTTLS and logs in', async () => {
    // smtp-server's built-in certificate is self-signed (and expired): only an unverified upgrade works.
    const s = settings({ host: '127.0.0.1', port: smtp.port, starttls: true, tls_verify: false, username: 'alerts', password: 'correct horse', from: 'tocsin@example.com' });
    expect((await smtpProvider.send(s, incidentMessage('t-1'), context)).kind).toBe('sent');
    const mail = await smtp.waitFor();
    expect(mail.user).toBe('alerts');
    expect(mail.secure).toBe(true);
  });

  it('an untrusted certificate and a wrong password fail permanently', async () => {
    const verified = settings({ host: '127.0.0.1', port: smtp.port, starttls: true, username: 'alerts', password: 'correct horse', from: 'tocsin@example.com' });
    const untrusted = await smtpProvider.send(verified, incidentMessage('t-2'), context);
    expect(untrusted.kind).toBe('failed');
    expect(untrusted.kind === 'failed' && untrusted.error).toMatch(/^ESOCKET: .*certificate/);
    const wrong = settings({ host: '127.0.0.1', port: smtp.port, starttls: true, tls_verify: false, username: 'alerts', password: 'battery staple', from: 'tocsin@example.com' });
    expect(await smtpProvider.send(wrong, incidentMessage('t-3'), context)).toEqual({ kind: 'failed', error: 'EAUTH 535: 535 5.7.8 authentication failed' });
  });
});

describe('threadHeaders and classifySmtpError', () => {
  it('derives ids from the thread key (defaulting to the incident id) and the from domain', () => {
    const draft: MessageDraft = { id: 'm 1', idempotencyKey: 'k', method: 'email', recipient: ada, kind: 'repeat', incident: sampleIncident() };
    const message = renderMessage(draft).message;
    expect(threadHeaders(message, 'Tocsin@Alerts.Example.com')).toEqual({
      messageId: `<incident-${INCIDENT_ID}-m_1@alerts.example.com>`,
      inReplyTo: `<incident-${INCIDENT_ID}@alerts.example.com>`,
      references: `<incident-${INCIDENT_ID}@alerts.example.com>`,
    });
    expect(threadHeaders({ ...message, threadKey: 'a/b' } as OutboundMessage, 'x@y.z').references).toBe('<incident-a_b@y.z>');
  });

  it('classifies errors without a reply code', () => {
    expect(classifySmtpError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }))).toEqual({ kind: 'retry', error: 'ETIMEDOUT: Greeting never received' });
    expect(classifySmtpError(Object.assign(new Error('getaddrinfo EAI_AGAIN mail'), { code: 'EDNS' })).kind).toBe('retry');
    expect(classifySmtpError(Object.assign(new Error('Missing credentials for "PLAIN"'), { code: 'EAUTH' })).kind).toBe('failed');
    expect(classifySmtpError(Object.assign(new Error('self-signed certificate'), { code: 'ESOCKET' })).kind).toBe('failed');
    expect(classifySmtpError(Object.assign(new Error('421 shutting down'), { code: 'EPROTOCOL', responseCode: 421 })).kind).toBe('retry');
    expect(classifySmtpError('boom')).toEqual({ kind: 'retry', error: 'SMTP: boom' });
  });

  it('knows the permanent error codes of nodemailer 10', () => {
    // Typed with nodemailer's own ErrorCode union: a renamed code fails the typecheck.
    const permanent: readonly ErrorCode[] = ['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ETLS', 'EREQUIRETLS', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EMAXRECIPIENTS'];
    const transient: readonly ErrorCode[] = ['ECONNECTION', 'ETIMEDOUT', 'EDNS', 'ESOCKET'];
    for (const code of permanent) expect(classifySmtpError(Object.assign(new Error('x'), { code })).kind, code).toBe('failed');
    for (const code of transient) expect(classifySmtpError(Object.assign(new Error('x'), { code })).kind, code).toBe('retry');
  });
});
