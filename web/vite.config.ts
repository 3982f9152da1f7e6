import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The config lives in web/ but is run from the repository root (`npm run build:web`),
// so every path is resolved from this file rather than from the working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.TOCSIN_WEB_BACKEND ?? 'http://127.0.0.1:8080';

/** Paths the Fastify server owns; everything else is the single-page app. */
const proxiedPaths = ['/api', '/healthz', '/openapi.json', '/docs', '/event'];

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(proxiedPaths.map((path) => [path, { target: backend, changeOrigin: false }])),
  },
});
