import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();
const DOMAIN = 'alerts.example.com';
const RULES = { mode: 'rules', trigger_subject: '^\\[PROBLEM\\]', recover_subject: '^\\[RECOVERY\\]', alert_key: '^\\[(?:PROBLEM|RECOVERY)\\] (.+)$' };

interface SmtpFailure {
  readonly responseCode?: number;
  readonly command?: string;
  readonly response?: string;
}

describe.each(dialects)('email integrations on %s', (dialect) => {
  let h: Harness;
  let port: number;

  beforeAll(async () => {
    h = await Harness.start(dialect, { env: { TOCSIN_SMTP_PORT: '0', TOCSIN_INBOUND_EMAIL_DOMAIN: DOMAIN } });
    const listener = h.tocsin.emailListener;
    if (!listener) throw new Error('the SMTP listener did not start');
    port = listener.port;
  });
  afterAll(async () => h?.stop());

  /** Sends one message over SMTP to the listener, as a monitoring tool's mailer would. */
  async function send(message: SendMailOptions): Promise<{ response: string }> {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    try {
      return await transport.sendMail({ from: 'Nagios <nagios@monitor.example.com>', ...message });
    } finally {
      transport.close();
    }
  }

  /** Sends a message that must be refused; returns the SMTP failure. */
  async function refused(message: SendMailOptions): Promise<SmtpFailure> {
    try {
      await send(message);
    } catch (error) {
      return error as SmtpFailure;
    }
    throw new Error('the message was accepted');
  }

  async function emailIntegration(name: string, sourceOptions?: Record<string, unknown>) {
    const channel = await h.channel(name);
    const integration = await h.integration(channel.id, 'email', sourceOptions && { source_options: sourceOptions });
    return { channel, integration, address: integration.pushUrl };
  }

  async function alertsWithDescription(channelId: string) {
    const listed = await h.admin.get<{ data: { alert_key: string; status: string; title: string; description: string; labels: Record<string, string>; event_count: number }[] }>(
      `/api/v1/alerts?channel_id=${channelId}&limit=100`,
    );
    return listed.body.data;
  }

  it('gives an email integration its address as push_url', async () => {
    const channel = await h.channel('Mail address');
    const created = await h.admin.post<{ push_url: string; source: string }>(`/api/v1/channels/${channel.id}/integrations`, { name: 'Nagios mail', source: 'email' });
    expect(created.status).toBe(201);
    expect(created.body.push_url).toMatch(/^alert-[0-9a-f]{16}@alerts\.example\.com$/);
    const other = await h.integration(channel.id, 'email');
    expect(other.pushUrl).not.toBe(created.body.push_url);
  });

  it('per-email mode: each email opens an incident with the subject as title and the body as description', async () => {
    const { channel, integration, address } = await emailIntegration('Mail per email');
    const sent = await send({ to: address, subject: 'Disk full on db-1', text: 'Disk /var is 97% full.\nFree: 1.2 GB', messageId: '<disk-1@monitor.example.com>' });
    expect(sent.response).toMatch(/^250 /);

    const [incident] = await h.incidents(channel.id);
    expect(incident).toMatchObject({ title: 'Disk full on db-1', severity: 'Warning', status: 'triggered' });
    const detail = await h.admin.get<{ description: string }>(`/api/v1/incidents/${incident?.id}`);
    expect(detail.body.description).toBe('Disk /var is 97% full.\nFree: 1.2 GB');
    const [alert] = await alertsWithDescription(channel.id);
    expect(alert?.labels).toEqual({ from: 'nagios@monitor.example.com', to: address, message_id: '<disk-1@monitor.example.com>' });

    // A re-delivery of the same message (same Message-ID) is deduplicated; another email is another alert.
    await send({ to: address, subject: 'Disk full on db-1', text: 'Disk /var is 97% full.\nFree: 1.2 GB', messageId: '<disk-1@monitor.example.com>' });
    expect((await alertsWithDescription(channel.id))[0]?.event_count).toBe(2);
    await send({ to: address, subject: 'Disk full on db-1', text: 'again' });
    expect(await h.incidents(channel.id)).toHaveLength(2);

    // The integration card: latest event time and the raw message.
    const activity = await h.admin.get<{ last_event_at: number; counts: { accepted: number }; raw_events: { content_type: string; payload: string; outcome: string }[] }>(
      `/api/v1/integrations/${integration.id}/activity`,
    );
    expect(activity.body.last_event_at).toBe(h.clock.now());
    expect(activity.body.counts.accepted).toBe(3);
    expect(activity.body.raw_events[0]).toMatchObject({ content_type: 'message/rfc822', outcome: 'accepted', payload: expect.stringContaining('Subject: Disk full on db-1') });
  });

  it('uses the text of an HTML-only email', async () => {
    const { channel, address } = await emailIntegration('Mail html');
    await send({ to: address, subject: 'Backup failed', html: '<p>Backup of <b>db-2</b> failed</p><p>exit code&nbsp;3</p>' });
    const [alert] = await alertsWithDescription(channel.id);
    expect(alert?.description).toBe('Backup of db-2 failed\n\nexit code 3');
  });

  it('cuts a 33 KB body and labels the alert body_cut=true', async () => {
    const { channel, integration, address } = await emailIntegration('Mail long body');
    const body = `${'0123456789abcdef'.repeat(33 * 64)}`;
    expect(body.length).toBe(33 * 1024);
    await send({ to: address, subject: 'Huge log excerpt', text: body });
    const [alert] = await alertsWithDescription(channel.id);
    expect(alert?.labels.body_cut).toBe('true');
    expect(alert?.description).toBe(body.slice(0, 32 * 1024));
    // The raw message kept on the card is cut at 64 KB, not refused.
    const activity = await h.admin.get<{ raw_events: { payload: string }[] }>(`/api/v1/integrations/${integration.id}/activity`);
    expect(activity.body.raw_events[0]?.payload).toContain('Subject: Huge log excerpt');
  });

  it('rules mode: [PROBLEM] triggers, [RECOVERY] recovers the same alert and closes the incident, other mail is ignored', async () => {
    const { channel, integration, address } = await emailIntegration('Mail rules', { ...RULES, severity: 'Critical' });
    await send({ to: address, subject: '[PROBLEM] disk full on db-1', text: 'Disk /var is 97% full' });
    const [incident] = await h.incidents(channel.id);
    expect(incident).toMatchObject({ title: '[PROBLEM] disk full on db-1', severity: 'Critical', status: 'triggered' });
    expect((await h.alerts(channel.id))[0]).toMatchObject({ alert_key: 'disk full on db-1', status: 'Critical' });

    const recovered = await send({ to: address, subject: '[RECOVERY] disk full on db-1', text: 'Disk /var is 60% full' });
    expect(recovered.response).toMatch(/^250 /);
    const alerts = await h.alerts(channel.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ alert_key: 'disk full on db-1', status: 'Ok' });
    const closed = await h.admin.get<{ status: string }>(`/api/v1/incidents/${incident?.id}`);
    expect(closed.body.status).toBe('closed');

    const ignored = await send({ to: address, subject: 'Weekly availability report', text: 'all good' });
    expect(ignored.response).toMatch(/^250 .*no alert/);
    expect(await h.alerts(channel.id)).toHaveLength(1);
    const activity = await h.admin.get<{ raw_events: { outcome: string }[] }>(`/api/v1/integrations/${integration.id}/activity`);
    expect(activity.body.raw_events).toHaveLength(3);
  });

  it('rules mode: refuses with 550 a matched email whose subject yields no alert key, and counts it', async () => {
    const { integration, address } = await emailIntegration('Mail bad key', { ...RULES, alert_key: '^\\[(?:PROBLEM|RECOVERY)\\] host=(\\S+)' });
    const failure = await refused({ to: address, subject: '[PROBLEM] disk full', text: 'x' });
    expect(failure.responseCode).toBe(550);
    expect(failure.response).toContain('alert_key');
    const activity = await h.admin.get<{ counts: { rejected: number }; raw_events: { outcome: string; detail: string }[] }>(`/api/v1/integrations/${integration.id}/activity`);
    expect(activity.body.counts.rejected).toBe(1);
    expect(activity.body.raw_events[0]).toMatchObject({ outcome: 'rejected', detail: expect.stringContaining('subject:') });
  });

  it('refuses unknown, foreign-domain and disabled recipients at RCPT with 550', async () => {
    const unknown = await refused({ to: `alert-0000000000000000@${DOMAIN}`, subject: 'x', text: 'x' });
    expect(unknown).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect((await refused({ to: 'alert-0000000000000000@elsewhere.example.org', subject: 'x', text: 'x' })).responseCode).toBe(550);

    const { integration, address } = await emailIntegration('Mail disabled');
    expect((await h.admin.patch(`/api/v1/integrations/${integration.id}`, { disabled: true })).status).toBe(200);
    expect(await refused({ to: address, subject: 'x', text: 'x' })).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
  });

  it('refuses a 6 MB message with 552', async () => {
    const { channel, address } = await emailIntegration('Mail too big');
    const failure = await refused({ to: address, subject: 'core dump', text: 'x'.repeat(6 * 1024 * 1024) });
    expect(failure.responseCode).toBe(552);
    expect(await h.alerts(channel.id)).toHaveLength(0);
  });

  it('answers 451 (retry later) beyond the integration rate limit', async () => {
    const channel = await h.channel('Mail rate limited');
    const integration = await h.integration(channel.id, 'email', { rate_limit: { per_second: 2, per_minute: 1000 } });
    await send({ to: integration.pushUrl, subject: 'one', text: '1' });
    await send({ to: integration.pushUrl, subject: 'two', text: '2' });
    expect(await refused({ to: integration.pushUrl, subject: 'three', text: '3' })).toMatchObject({ responseCode: 451, command: 'RCPT TO' });
    await h.advance('1s');
    await send({ to: integration.pushUrl, subject: 'four', text: '4' });
    expect(await h.alerts(channel.id)).toHaveLength(3);
  });

  it('validates email source options on save, naming the field', async () => {
    const channel = await h.channel('Mail settings');
    const created = await h.admin.post(`/api/v1/channels/${channel.id}/integrations`, {
      name: 'Broken rules',
      source: 'email',
      settings: { source_options: { mode: 'rules', trigger_subject: '^\\[PROBLEM\\]', alert_key: '^\\[PROBLEM\\] .+$' } },
    });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error: { code: 'InvalidParameter', field: 'settings.source_options.alert_key' } });
  });
});
