import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './build/precompress';

// The config lives in web/ but is run from the repository root (`npm run build:web`),
// so every path is resolved from this file rather than from the working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));
const backend = process.env.TOCSIN_WEB_BACKEND ?? 'http://127.0.0.1:8080';

/** Paths the Fastify server owns; everything else is the single-page app. */
const proxiedPaths = ['/api', '/healthz', '/openapi.json', '/docs', '/event'];

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress(outDir)],
  build: {
    outDir,
    emptyOutDir: true,
    // Source maps reveal the whole console source; build them only when asked (debugging a build).
    sourcemap: process.env.TOCSIN_WEB_SOURCEMAP === '1',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Libraries change less often than the console: separate chunks stay cached across releases.
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (id.includes('@tabler/icons')) return 'icons';
          if (id.includes('@mantine') || id.includes('@floating-ui')) return 'mantine';
          if (/node_modules\/(react|react-dom|react-router|scheduler)\//.test(id)) return 'react';
          return 'vendor';
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(proxiedPaths.map((path) => [path, { target: backend, changeOrigin: false }])),
  },
});
