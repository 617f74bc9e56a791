// Runs the benchmarks bundled in dist-cli/bench.mjs (built by `npm run build:cli`), then the
// browser benches (tests/bench/browser-bench.mjs: the built app in Chromium; it rebuilds dist/
// when missing or stale, and is skipped loudly without Chromium). BENCH_SKIP_BROWSER=1 skips it.
await import(new URL('../dist-cli/bench.mjs', import.meta.url).href);
if (!process.env.BENCH_SKIP_BROWSER) {
  const { runBrowserBenches } = await import(new URL('../tests/bench/browser-bench.mjs', import.meta.url).href);
  await runBrowserBenches();
}
