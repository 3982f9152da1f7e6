import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpPeer, type CapturedRequest } from '../../../../test/harness/peers/http-peer.js';
import { guardOutbound } from '../../../../test/harness/peers/outbound-guard.js';
import type { OutboundMessage, SendContext } from '../../provider.js';
import { normalizeProviderSettings, validateProviderSettings } from '../../registry.js';
import { sampleIncident } from '../../templates.js';
import { parseHeaderLines, parseRetryAfter, webhookProvider, type WebhookSettings } from './index.js';

guardOutbound();

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const SECRET = 'whsec-0123456789abcdef';
// Read fetch at call time: the outbound guard replaces globalThis.fetch in beforeAll.
const context = (now = NOW): SendContext => ({ fetch: (input, init) => globalThis.fetch(input, init), now });

function settings(raw: Record<string, unknown>): WebhookSettings {
  const normalized = normalizeProviderSettings(webhookProvider, raw);
  if (!normalized.ok) throw new Error(JSON.stringify(normalized.errors));
  return webhookProvider.parseSettings(normalized.value);
}

const message: OutboundMessage = {
  id: '0190a5c2-7f3e-7a00-8000-00000000beef',
  idempotencyKey: 'k-1',
  method: 'webhook',
  recipient: { kind: 'group_chat', name: '#ops' },
  kind: 'trigger',
  incident: { ...sampleIncident(), labels: { host: 'db-1', env: 'prod' } },
  content: { text: '**#42** "Disk" ü\nline 2' },
};

const EXPECTED_BODY =
  '{"event_id":"0190a5c2-7f3e-7a00-8000-00000000beef","event_time":"2026-01-05T09:00:00.000Z","kind":"trigger",' +
  '"incident":{"id":"0190a5c2-7f3e-7a00-8000-000000000042","number":42,"title":"Disk usage above 90% on db-1",' +
  '"description":"/var/lib/postgresql is at 93% and growing 1%/hour.","severity":"Critical","status":"Triggered",' +
  '"channel_name":"Databases","labels":{"host":"db-1","env":"prod"},"alert_count":2,"assignees":["Ada Lovelace"],' +
  '"url":"https://tocsin.example.com/incidents/42","ack_url":"https://tocsin.example.com/a/sample-ack",' +
  '"resolve_url":"https://tocsin.example.com/a/sample-resolve"},' +
  '"recipient":{"kind":"group_chat","name":"#ops"},"text":"**#42** \\"Disk\\" ü\\nline 2"}';

/** Header pairs as sent, without the ones fetch (undici) adds by itself. */
function ownHeaders(request: CapturedRequest): [string, string][] {
  const added = new Set(['host', 'connection', 'accept', 'accept-language', 'sec-fetch-mode', 'accept-encoding']);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    if (!added.has(name.toLowerCase())) pairs.push([name, request.rawHeaders[i + 1] ?? '']);
  }
  return pairs;
}

describe('webhook provider against a real HTTP server', () => {
  let hook: HttpPeer;
  beforeAll(async () => {
    hook = await HttpPeer.start();
  });
  afterAll(() => hook.close());
  beforeEach(() => hook.reset());

  it('declares its settings form', () => {
    expect(webhookProvider.fields.map((f) => `${f.name}:${f.type}${f.required ? '!' : ''}`)).toEqual(['url:url!', 'method:select', 'secret:secret', 'headers:string']);
  });

  it('POSTs the exact JSON bytes with signature, timestamp and custom headers', async () => {
    const s = settings({ url: `${hook.url}/hooks/ops?team=sre`, secret: SECRET, headers: 'X-Team: sre\n\nAuthorization: Bearer t0k3n' });
    expect(await webhookProvider.send(s, message, context())).toEqual({ kind: 'sent' });
    const request = await hook.waitFor();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/ops?team=sre');
    expect(request.body).toBe(EXPECTED_BODY);
    const signature = `sha256=${createHmac('sha256', SECRET).update(request.rawBody).digest('hex')}`;
    expect(ownHeaders(request)).toEqual([
      ['X-Team', 'sre'],
      ['Authorization', 'Bearer t0k3n'],
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Tocsin-Webhook/1'],
      ['X-Tocsin-Event-Id', '0190a5c2-7f3e-7a00-8000-00000000beef'],
      ['X-Tocsin-Timestamp', '1767603600'],
      ['X-Tocsin-Signature', signature],
      ['content-length', String(Buffer.byteLength(EXPECTED_BODY))],
    ]);
    // The timestamp header and the signed body agree.
    expect(new Date(Number(request.headers['x-tocsin-timestamp']) * 1000).toISOString()).toBe((JSON.parse(request.body) as { event_time: string }).event_time);
  });

  it('sends no signature without a secret, and PUT when asked', async () => {
    await webhookProvider.send(settings({ url: hook.url, method: 'PUT' }), message, context());
    const request = await hook.waitFor();
    expect(request.method).toBe('PUT');
    expect(request.headers['x-tocsin-signature']).toBeUndefined();
    expect(request.body).toBe(EXPECTED_BODY);
  });

  it('carries bundles and person recipients', async () => {
    const bundle: OutboundMessage = {
      id: 'b-1',
      idempotencyKey: 'k-b',
      method: 'webhook',
      recipient: { kind: 'person', personId: 'p-ada', name: 'Ada', address: 'U123' },
      kind: 'bundle',
      bundle: [{ ...sampleIncident(), labels: {}, assignees: [], ackUrl: undefined, resolveUrl: undefined }],
      content: { text: '1 incident' },
    };
    await webhookProvider.send(settings({ url: hook.url }), bundle, context());
    expect((await hook.waitFor()).body).toBe(
      '{"event_id":"b-1","event_time":"2026-01-05T09:00:00.000Z","kind":"bundle","incident":null,' +
        '"incidents":[{"id":"0190a5c2-7f3e-7a00-8000-000000000042","number":42,"title":"Disk usage above 90% on db-1",' +
        '"description":"/var/lib/postgresql is at 93% and growing 1%/hour.","severity":"Critical","status":"Triggered",' +
        '"channel_name":"Databases","labels":{},"alert_count":2,"assignees":[],"url":"https://tocsin.example.com/incidents/42",' +
        '"ack_url":null,"resolve_url":null}],"recipient":{"kind":"person","person_id":"p-ada","name":"Ada","address":"U123"},"text":"1 incident"}',
    );
  });

  it('maps responses: 2xx sent, 408/429/5xx retry honouring Retry-After, other 4xx failed', async () => {
    const s = settings({ url: hook.url });
    hook.respondWith(204);
    expect(await webhookProvider.send(s, message, context())).toEqual({ kind: 'sent' });
    hook.respondWith(429, 'slow down', { 'Retry-After': '30' });
    expect(await webhookProvider.send(s, message, context())).toEqual({ kind: 'retry', error: 'HTTP 429: slow down', retryAfterMs: 30_000 });
    hook.respondWith(503, '', { 'Retry-After': new Date(NOW + 120_000).toUTCString() });
    expect(await webhookProvider.send(s, message, context())).toEqual({ kind: 'retry', error: 'HTTP 503', retryAfterMs: 120_000 });
    hook.respondWith(500, '<html>\n  oops\n</html>');
    expect(await webhookProvider.send(s, message, context())).toEqual({ kind: 'retry', error: 'HTTP 500: <html> oops </html>' });
    hook.respondWith(408);
    expect((await webhookProvider.send(s, message, context())).kind).toBe('retry');
    hook.respondWith(400, '{"error":"bad payload"}');
    expect(await webhookProvider.send(s, message, context())).toEqual({ kind: 'failed', error: 'HTTP 400: {"error":"bad payload"}' });
    hook.respondWith(404, 'x'.repeat(500));
    expect(await webhookProvider.send(s, message, context())).toEqual({ kind: 'failed', error: `HTTP 404: ${'x'.repeat(200)}` });
    expect(hook.requests).toHaveLength(7);
  });

  it('does not follow redirects (they would carry the signature elsewhere)', async () => {
    hook.respondWith(301, '', { Location: `${hook.url}/elsewhere` });
    const result = await webhookProvider.send(settings({ url: hook.url, secret: SECRET }), message, context());
    expect(result).toEqual({ kind: 'failed', error: 'HTTP 301 (redirects are not followed; use the final URL)' });
    expect(hook.requests.map((r) => r.path)).toEqual(['/']);
  });

  it('network failures are transient', async () => {
    hook.dropNext();
    const dropped = await webhookProvider.send(settings({ url: hook.url }), message, context());
    expect(dropped.kind).toBe('retry');
    expect(dropped.kind === 'retry' && dropped.error).toMatch(/^fetch failed/);
    const closed = await HttpPeer.start();
    const url = closed.url;
    await closed.close();
    const refused = await webhookProvider.send(settings({ url }), message, context());
    expect(refused.kind).toBe('retry');
    expect(refused.kind === 'retry' && refused.error).toMatch(/^fetch failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  });

  it('refuses non-http(s) URLs without a request', async () => {
    const calls: string[] = [];
    const spy: SendContext = { now: NOW, fetch: (input) => (calls.push(String(input)), Promise.reject(new Error('must not be called'))) };
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)', 'not a url']) {
      expect(await webhookProvider.send({ url, method: 'POST', headers: [] }, message, spy)).toEqual({ kind: 'failed', error: 'the webhook URL must be http:// or https://' });
    }
    expect(calls).toEqual([]);
  });
});

describe('webhook settings', () => {
  it('validates URL, secret length and header lines on save', () => {
    expect(validateProviderSettings(webhookProvider, { url: 'https://chat.example.com/hook', secret: 'short', method: 'GET', headers: 'X-Ok: 1\nHost: evil\nX-Tocsin-Signature: x\nNo colon\nBad Name: v' })).toEqual([
      { field: 'settings.method', message: 'must be one of POST, PUT' },
      { field: 'settings.secret', message: 'must be at least 16 characters' },
    ]);
    expect(validateProviderSettings(webhookProvider, { url: 'https://chat.example.com/hook', headers: 'X-Ok: 1\nHost: evil\nX-Tocsin-Signature: x\nNo colon\nBad Name: v' })).toEqual([
      { field: 'settings.headers', message: 'line 2: Host is set by Tocsin' },
      { field: 'settings.headers', message: 'line 3: X-Tocsin-Signature is set by Tocsin' },
      { field: 'settings.headers', message: 'line 4 must look like "Name: value"' },
      { field: 'settings.headers', message: 'line 5 must look like "Name: value"' },
    ]);
    expect(validateProviderSettings(webhookProvider, {})).toEqual([{ field: 'settings.url', message: 'is required' }]);
  });

  it('parses header lines, keeping colons in values', () => {
    expect(parseHeaderLines('A: 1\r\n  \nB-c:  x: y  \n')).toEqual({ headers: [['A', '1'], ['B-c', 'x: y']], errors: [] });
    expect(parseHeaderLines('X-A: a\tb\nX-B: a\u0000b\nX-C: a\u007fb').errors).toEqual([
      { field: 'settings.headers', message: 'line 2: the value has control characters' },
      { field: 'settings.headers', message: 'line 3: the value has control characters' },
    ]);
    expect(parseHeaderLines(Array.from({ length: 21 }, (_, i) => `X-${i}: v`).join('\n')).errors).toEqual([{ field: 'settings.headers', message: 'at most 20 headers' }]);
  });

  it('parses Retry-After seconds and dates, capped at an hour and never negative', () => {
    expect(parseRetryAfter('5', NOW)).toBe(5000);
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('999999', NOW)).toBe(3_600_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});
