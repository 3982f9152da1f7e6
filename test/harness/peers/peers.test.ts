import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPeer } from './http-peer.js';
import { OutboundBlockedError, installOutboundGuard, isLoopbackUrl } from './outbound-guard.js';
import { SmtpPeer } from './smtp-peer.js';

describe('outbound guard', () => {
  it('knows loopback URLs', () => {
    for (const url of ['http://127.0.0.1:8080/x', 'https://localhost/', 'http://[::1]:3000/', 'http://127.1.2.3/', 'http://api.localhost/']) expect(isLoopbackUrl(url), url).toBe(true);
    for (const url of ['https://api.twilio.com/', 'http://10.0.0.1/', 'http://127.0.0.1.example.com/', 'http://localhost.example.com/', 'not a url']) expect(isLoopbackUrl(url), url).toBe(false);
  });

  it('blocks and records non-loopback fetches, lets loopback through, and restores fetch', async () => {
    const peer = await HttpPeer.start();
    const original = globalThis.fetch;
    const guard = installOutboundGuard();
    try {
      await expect(fetch('https://hooks.slack.com/services/x', { method: 'POST' })).rejects.toBeInstanceOf(OutboundBlockedError);
      await expect(fetch(new URL('http://example.com/'))).rejects.toThrow('outbound request to http://example.com/ blocked');
      expect((await fetch(`${peer.url}/ok`)).status).toBe(200);
      expect(guard.takeViolations()).toEqual(['https://hooks.slack.com/services/x', 'http://example.com/']);
      expect(guard.violations).toEqual([]);
    } finally {
      guard.restore();
      await peer.close();
    }
    expect(globalThis.fetch).toBe(original);
  });
});

describe('HTTP peer', () => {
  let peer: HttpPeer;
  beforeAll(async () => {
    peer = await HttpPeer.start();
  });
  afterAll(() => peer.close());

  it('answers from its script in order, then 200, and records raw bodies', async () => {
    peer.respondWith(201, 'created', { 'X-Id': '7' });
    const first = await fetch(`${peer.url}/a`, { method: 'POST', body: 'ü1' });
    expect([first.status, first.headers.get('x-id'), await first.text()]).toEqual([201, '7', 'created']);
    const second = await fetch(`${peer.url}/b`);
    expect(second.status).toBe(200);
    const a = await peer.waitFor((r) => r.path === '/a');
    expect([a.method, a.body, a.rawBody.length]).toEqual(['POST', 'ü1', 3]);
    await expect(peer.waitFor((r) => r.path === '/never', 50)).rejects.toThrow('HTTP peer: no matching request within 50 ms (got 2)');
  });
});

describe('SMTP peer', () => {
  let peer: SmtpPeer;
  beforeAll(async () => {
    peer = await SmtpPeer.start();
  });
  afterAll(() => peer.close());

  it('captures parsed mail and waits for it', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: peer.port, secure: false, ignoreTLS: true });
    const waiting = peer.waitFor((m) => m.parsed.subject === 'hello');
    await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'hello', text: 'body' });
    peer.failNext('rcpt', 550, 'no');
    await expect(transport.sendMail({ from: 'a@example.com', to: 'c@example.com', subject: 'refused', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    transport.close();
    const mail = await waiting;
    expect(mail.envelope).toEqual({ from: 'a@example.com', to: ['b@example.com'] });
    expect(mail.parsed.text).toBe('body\n');
    expect(peer.messages).toHaveLength(1);
  });
});
