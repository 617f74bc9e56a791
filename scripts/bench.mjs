// Runs the benchmarks bundled in dist-cli/bench.mjs (built by `npm run build:cli`).
await import(new URL('../dist-cli/bench.mjs', import.meta.url).href);
