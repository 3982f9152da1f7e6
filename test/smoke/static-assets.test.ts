import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../harness/requirements.js';
import { Harness } from '../harness/tocsin.js';

const webDist = join(process.cwd(), 'web/dist');
const built = requireOrSkip('the built console', existsSync(join(webDist, 'index.html')), 'run npm run build:web');

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A GET that neither decompresses nor adds headers of its own, so what the server chose is visible. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe.runIf(built)('static assets of the console', () => {
  let h: Harness;
  let mainScript = '';
  beforeAll(async () => {
    h = await Harness.start('sqlite');
    const index = readFileSync(join(webDist, 'index.html'), 'utf8');
    mainScript = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1] ?? '';
  });
  afterAll(async () => h?.stop());

  it('sends brotli or gzip to a browser that accepts it, and the bytes decode to the asset', async () => {
    expect(mainScript).toMatch(/^\/assets\/index-[\w-]+\.js$/);
    const original = readFileSync(join(webDist, mainScript));
    const brotli = await rawGet(`${h.url}${mainScript}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.body.length).toBeLessThan(original.length / 2);
    expect(brotliDecompressSync(brotli.body).equals(original)).toBe(true);

    const gzip = await rawGet(`${h.url}${mainScript}`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(original)).toBe(true);

    const plain = await rawGet(`${h.url}${mainScript}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('lets browsers cache hashed assets for a year and revalidate the page itself', async () => {
    const asset = await rawGet(`${h.url}${mainScript}`);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // What browsers really get is the precompressed copy: it is cached for good too.
    for (const encoding of ['br', 'gzip']) {
      const compressed = await rawGet(`${h.url}${mainScript}`, { 'accept-encoding': encoding });
      expect(compressed.headers['content-encoding']).toBe(encoding);
      expect(compressed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const page = await rawGet(`${h.url}/`, { accept: 'text/html' });
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('publishes no source maps', async () => {
    const maps = readdirSync(join(webDist, 'assets')).filter((name) => name.endsWith('.map'));
    expect(maps).toEqual([]);
    const probe = await rawGet(`${h.url}${mainScript}.map`);
    expect(probe.status).toBe(404);
    const script = readFileSync(join(webDist, mainScript), 'utf8');
    expect(script).not.toContain('sourceMappingURL');
  });

  it('brands the interactive API reference as Tocsin', async () => {
    const docs = await rawGet(`${h.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(docs.body.toString()).toContain('<title>Tocsin API reference</title>');
    // The top bar's logo is replaced by Tocsin's bell, inlined by the plugin as a data URI.
    const initializer = await rawGet(`${h.url}/docs/static/swagger-initializer.js`);
    expect(initializer.status).toBe(200);
    const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(initializer.body.toString())?.[1] ?? '';
    expect(Buffer.from(logo, 'base64').toString()).toContain('#e8590c');
  });
});
