import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness } from '../harness/tocsin.js';

const dialects = await testDialects();

describe.each(dialects)('HTTP basics on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(dialect);
  });
  afterAll(async () => h?.stop());

  it('reports liveness and readiness', async () => {
    expect(await h.client().get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await h.client().get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect((await h.admin.get('/api/v1/system')).body).toMatchObject({ database: dialect, dev_mode: false });
  });

  it('exposes Prometheus metrics with request counts by route pattern', async () => {
    await h.admin.get('/api/v1/channels');
    const response = await fetch(`${h.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/tocsin_http_requests_total\{method="GET",route="\/api\/v1\/channels",status="200"\} \d+/);
    expect(text).toContain('tocsin_http_request_duration_seconds_bucket');
    expect(text).toContain('tocsin_process_resident_memory_bytes');
  });

  it('publishes an OpenAPI description and an interactive reference', async () => {
    const spec = await h.client().get<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/channels', '/api/v1/channels/{id}', '/api/v1/teams/{id}/members', '/api/v1/me', '/api/v1/me/api-keys', '/api/v1/auth/login']) {
      expect(Object.keys(spec.body.paths)).toContain(path);
    }
    const docs = await fetch(`${h.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('answers unknown API paths with the error envelope and a request id', async () => {
    const missing = await h.admin.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'ResourceNotFound' }, request_id: expect.any(String) });
    expect(missing.headers.get('x-request-id')).toBe((missing.body as { request_id: string }).request_id);
  });

  it('serves the console for browser navigation to any non-API path', async () => {
    const page = await fetch(`${h.url}/channels/some-id`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<html|Tocsin/i);
  });

  it('never leaks internals on malformed JSON', async () => {
    const response = await fetch(`${h.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": ' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'InvalidParameter', message: 'body: is not valid JSON' });
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules/);
  });
});
