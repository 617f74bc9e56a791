import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precachePlugin } from './src/sw/precache-plugin';

// base './' keeps every asset URL relative, so the static build works under any sub-path
// (a course site's folder, an LMS iframe) and needs no server. The precache plugin writes
// dist/sw.js, the service worker that keeps the whole build for offline use (src/sw/).
export default defineConfig({
  base: './',
  plugins: [react(), precachePlugin()],
  worker: { format: 'es' },
  // The YAML language server's worker entry (src/app/editor/yaml.worker.ts) is not reached by
  // the dev server's dependency scan, so it is pre-bundled up front instead of triggering a
  // re-optimisation and a full page reload the first time Monaco loads.
  optimizeDeps: { include: ['monaco-yaml/yaml.worker.js'] },
  build: { target: 'es2022', assetsInlineLimit: 0 },
  server: { host: '127.0.0.1' },
});
