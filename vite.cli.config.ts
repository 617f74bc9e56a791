import { defineConfig } from 'vite';

// Bundles the `kubesim` CLI (src/cli) into one ESM file for Node, so `npx kubesim`
// starts fast without a TypeScript loader. Runs on `npm install` through `prepare`.
// The benchmark driver is bundled beside it so `npm run bench` measures the same code.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      input: { kubesim: 'src/cli/main.ts', bench: 'tests/bench/bench.ts' },
      output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
  ssr: { noExternal: true },
});
