import { PassThrough } from 'node:stream';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { buildTocsin, createLogger, type Tocsin } from '../../src/app/wire.js';
import { createTestDatabase, type TestDatabase } from '../harness/databases.js';

/**
 * Issue 10 items 8, 20 and 22, at the HTTP layer of a built Tocsin (dialect-independent, so SQLite only):
 * the request log, security headers, the /metrics token and route-keyed authentication.
 */
describe('HTTP hardening', () => {
  let database: TestDatabase;
  let tocsin: Tocsin;
  const logged: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const config = loadConfig(
      { TOCSIN_DATA_DIR: database.dataDir, TOCSIN_LOG_LEVEL: 'info', TOCSIN_METRICS_TOKEN: 'scrape-token-0123456789' },
      { webDir: resolve('web/dist') },
    );
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logged.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    tocsin = await buildTocsin({ config, logger: createLogger(config, stream) });
    // A route outside /api/ that does not declare itself public must still need a caller.
    tocsin.app.get('/internal/probe', async () => ({ secret: 'for signed-in callers only' }));
    await tocsin.app.ready();
  });
  afterAll(async () => {
    await tocsin?.close();
    await database?.drop();
  });

  it('requires a caller on every route not configured public, whatever its path (item 22)', async () => {
    const probe = await tocsin.app.inject({ method: 'GET', url: '/internal/probe' });
    expect(probe.statusCode).toBe(401);
    expect(probe.json()).toMatchObject({ error: { code: 'Unauthorized' } });
    // Public routes stay open, and unknown paths still answer 404, not 401.
    expect((await tocsin.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await tocsin.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await tocsin.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBeLessThan(400);
    expect((await tocsin.app.inject({ method: 'GET', url: '/no/such/path' })).statusCode).toBe(404);
    expect((await tocsin.app.inject({ method: 'GET', url: '/api/v1/setup' })).statusCode).toBe(200);
  });

  it('logs the route and a redacted URL, never an integration key or a link token (item 8)', async () => {
    const key = '0123456789abcdef0123456789abcdef';
    await tocsin.app.inject({ method: 'POST', url: `/event/push/alert/standard?integration_key=${key}`, payload: { title_rule: 'x' } });
    await tocsin.app.inject({ method: 'GET', url: '/a/SecretActionLinkToken0123' });
    await tocsin.app.inject({ method: 'GET', url: '/ical/schedules/SecretFeedToken0123.ics' });
    await new Promise((done) => setTimeout(done, 50));
    const text = logged.join('\n');
    expect(text).toContain('"route":"/event/push/alert/standard"');
    expect(text).toContain('integration_key=***');
    expect(text).toContain('"url":"/a/***"');
    expect(text).not.toContain(key);
    expect(text).not.toContain('SecretActionLinkToken0123');
    expect(text).not.toContain('SecretFeedToken0123');
  });

  it('sends security headers on API responses and a CSP on HTML (item 20)', async () => {
    const api = await tocsin.app.inject({ method: 'GET', url: '/healthz' });
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-frame-options']).toBe('DENY');
    expect(api.headers['referrer-policy']).toBe('no-referrer');
    const page = await tocsin.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const fallback = await tocsin.app.inject({ method: 'GET', url: '/incidents/abc', headers: { accept: 'text/html' } });
    expect(fallback.headers['content-security-policy']).toBe(csp);
  });

  it('protects /metrics with TOCSIN_METRICS_TOKEN when it is set (item 20)', async () => {
    expect((await tocsin.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await tocsin.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
    const scraped = await tocsin.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('tocsin_http_requests_total');
  });
});
