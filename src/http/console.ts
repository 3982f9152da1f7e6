import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Api } from '../core/api.js';
import { sendNotFound } from './errors.js';
import { markRoutesPublic } from './auth.js';

/** Paths that belong to the API or integrations and must never fall back to the console. */
const NOT_CONSOLE = /^\/(api|event|v2|ical|metrics|healthz|readyz|openapi\.json|docs)(\/|$|\?)/;

/** Vite's output names: `assets/<name>-<8+ char hash>.<ext>`. */
// The precompressed copies (name.js.br, name.js.gz) are what browsers asking for br/gzip are sent.
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(?:\.br|\.gz)?$/;

/** The app shell's fixed names (and their precompressed copies): the root-scoped service worker, the web app manifest, the offline page. */
const UNVERSIONED = /[\\/](sw\.js|manifest\.webmanifest|offline\.html)(\.br|\.gz)?$/;

/** Serves the built console at / with a single-page-app fallback to index.html. */
export async function registerConsole(app: Api, webDir: string): Promise<void> {
  const index = join(webDir, 'index.html');
  const built = existsSync(index);
  if (built) {
    // The console's files are public (the sign-in page is one of them); the API behind them is not.
    await app.register(async (scope) => {
      markRoutesPublic(scope);
      await scope.register(fastifyStatic, {
        root: webDir,
        wildcard: false,
        index: false,
        // Vite writes .br and .gz beside each asset at build time; serve those to browsers that accept them.
        preCompressed: true,
        // Cache headers come from setHeaders below, per file kind.
        cacheControl: false,
        setHeaders(response, path) {
          // File names under assets/ carry a content hash: a new build means a new name, so cache for good.
          const hashed = HASHED_ASSET.test(path);
          // The service worker and the manifest keep their names across releases: revalidate them on every load
          // so a new release's worker (notification handling) takes over at once.
          const unversioned = UNVERSIONED.test(path);
          response.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : unversioned ? 'no-cache' : 'public, max-age=3600');
        },
      });
    });
  }
  const missing = '<!doctype html><title>Tocsin</title><p>The console has not been built. Run <code>npm run build:web</code>, then reload.</p>';
  // Read per navigation (a few KB) so a rebuilt console is served without a restart.
  const page = () => (existsSync(index) ? readFileSync(index, 'utf8') : missing);

  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.type('text/html').header('cache-control', 'no-cache').send(page()));

  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !NOT_CONSOLE.test(request.url) && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) return reply.type('text/html').header('cache-control', 'no-cache').send(page());
    return sendNotFound(request, reply);
  });
}
