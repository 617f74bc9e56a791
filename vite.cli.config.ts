import { defineConfig } from 'vite';

// Bundles the `kubesim` CLI (src/cli) into one ESM file for Node, so `npx kubesim`
// starts fast without a TypeScript loader. Runs on `npm install` through `prepare`.
export default defineConfig({
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rolldownOptions: { output: { entryFileNames: 'kubesim.mjs' } },
  },
  ssr: { noExternal: true },
});
