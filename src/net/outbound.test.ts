import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbound, DEFAULT_OUTBOUND_DENY, isDenied, OutboundDeniedError, parseDenyList, resolveAllowed } from './outbound.js';

function deny(text: string) {
  const parsed = parseDenyList(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('deny list', () => {
  const defaults = deny(DEFAULT_OUTBOUND_DENY);

  it.each([
    ['127.0.0.1', true],
    ['127.9.9.9', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['::', true],
    ['0.0.0.0', true],
    ['169.254.169.254', true],
    ['fe80::1', true],
    ['10.0.0.1', false],
    ['93.184.216.34', false],
    ['2001:db8::1', false],
  ])('%s denied by default: %s', (address, expected) => {
    expect(isDenied(defaults, address)).toBe(expected);
  });

  it('allows everything when empty and refuses malformed networks', () => {
    expect(isDenied(deny(''), '127.0.0.1')).toBe(false);
    expect(parseDenyList('10.0.0.0/8, nonsense')).toEqual({ ok: false, error: 'nonsense is not a CIDR network such as 10.0.0.0/8 or fe80::/10' });
  });

  it('resolves names and refuses a host when any of its addresses is denied', async () => {
    await expect(resolveAllowed(defaults, 'localhost')).rejects.toBeInstanceOf(OutboundDeniedError);
    await expect(resolveAllowed(deny('10.0.0.0/8'), 'localhost')).resolves.toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});

describe('outbound fetch against real sockets', () => {
  let allowed: Server;
  let denied: Server;
  let allowedUrl: string;
  let deniedPort: number;
  const hits: string[] = [];

  beforeAll(async () => {
    denied = createServer((request, response) => {
      hits.push(`denied ${request.url ?? ''}`);
      response.end('internal secret');
    });
    await new Promise<void>((resolve) => denied.listen(0, '127.0.0.2', resolve));
    deniedPort = (denied.address() as AddressInfo).port;
    allowed = createServer((request, response) => {
      hits.push(`allowed ${request.url ?? ''}`);
      if (request.url === '/redirect') {
        response.writeHead(302, { location: `http://127.0.0.2:${deniedPort}/metadata` }).end();
        return;
      }
      if (request.url?.startsWith('/echo')) {
        const chunks: Buffer[] = [];
        request.on('data', (c: Buffer) => chunks.push(c));
        request.on('end', () => {
          response.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
          response.end(JSON.stringify({ method: request.method, type: request.headers['content-type'] ?? null, custom: request.headers['x-custom'] ?? null, fetchMode: request.headers['sec-fetch-mode'] ?? null, body: Buffer.concat(chunks).toString('utf8') }));
        });
        return;
      }
      if (request.url === '/empty') {
        response.writeHead(204).end();
        return;
      }
      response.end('ok');
    });
    await new Promise<void>((resolve) => allowed.listen(0, '127.0.0.1', resolve));
    allowedUrl = `http://127.0.0.1:${(allowed.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => allowed.close(resolve));
    await new Promise((resolve) => denied.close(resolve));
  });

  const outbound = () => createOutbound(deny('127.0.0.2/32'));

  it('reaches an allowed address', async () => {
    const client = await outbound();
    const response = await client.fetch(`${allowedUrl}/hello`);
    expect(await response.text()).toBe('ok');
    await client.close();
  });

  it('refuses a denied address in every spelling, before any byte is sent', async () => {
    const client = await outbound();
    hits.length = 0;
    for (const host of ['127.0.0.2', '0x7f000002', '2130706434', '127.0.0.02', '[::ffff:127.0.0.2]']) {
      await expect(client.fetch(`http://${host}:${deniedPort}/`), host).rejects.toBeInstanceOf(OutboundDeniedError);
    }
    expect(hits).toEqual([]);
    await client.close();
  });

  it('checks every redirect hop', async () => {
    const client = await outbound();
    hits.length = 0;
    await expect(client.fetch(`${allowedUrl}/redirect`)).rejects.toBeInstanceOf(OutboundDeniedError);
    expect(hits).toEqual(['allowed /redirect']);
    await client.close();
  });

  it('serves provider calls (redirect: manual, string body) without fetch, answering as fetch would', async () => {
    const client = await outbound();
    const echoed = await client.fetch(`${allowedUrl}/echo?x=1`, { method: 'PUT', headers: [['X-Custom', 'yes']], body: 'héllo', redirect: 'manual' });
    expect(echoed.status).toBe(201);
    expect(echoed.ok).toBe(true);
    expect(echoed.headers.get('content-type')).toBe('application/json');
    expect(echoed.headers.get('x-multi')).toBe('a, b');
    // Like fetch, a string body without a type is text/plain.
    // fetch would have added its own request headers (sec-fetch-mode): none here, so fetch was not used.
    expect(await echoed.json()).toEqual({ method: 'PUT', type: 'text/plain;charset=UTF-8', custom: 'yes', fetchMode: null, body: 'héllo' });
    const typed = await client.fetch(`${allowedUrl}/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', redirect: 'manual' });
    expect(((await typed.json()) as { type: string }).type).toBe('application/json');
    const empty = await client.fetch(`${allowedUrl}/empty`, { method: 'POST', body: '', redirect: 'manual' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    // Not followed: the redirect itself is the answer.
    const redirect = await client.fetch(`${allowedUrl}/redirect`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`http://127.0.0.2:${deniedPort}/metadata`);
    await client.close();
  });

  it('refuses a denied address on the direct path too, and reports a refused connection like fetch', async () => {
    const client = await outbound();
    hits.length = 0;
    await expect(client.fetch(`http://0x7f000002:${deniedPort}/`, { method: 'POST', body: 'x', redirect: 'manual' })).rejects.toBeInstanceOf(OutboundDeniedError);
    expect(hits).toEqual([]);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = client.fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x', redirect: 'manual' });
    await expect(refused).rejects.toThrow('fetch failed');
    await expect(refused.catch((error: Error) => String((error.cause as Error).message))).resolves.toMatch(/ECONNREFUSED/);
    await client.close();
  });

  it('resolveHost applies the same rule for SMTP', async () => {
    const client = await outbound();
    await expect(client.resolveHost('127.0.0.2')).rejects.toThrow('refused by TOCSIN_OUTBOUND_DENY');
    await expect(client.resolveHost('127.0.0.1')).resolves.toBe('127.0.0.1');
    await client.close();
  });
});
