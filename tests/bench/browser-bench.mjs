// The browser half of `npm run bench`: the built app (dist/) served from 127.0.0.1 by
// scripts/static-server.mjs, in Debian's Chromium driven by playwright-core (headless, no GPU,
// a fresh profile per session). Prints one JSON line per bench, like tests/bench/bench.ts:
//   {"bench": "<name>", "value": <number>, "unit": "ms" | "fps" | "KB", "target": <number>, ...extras}
//
//   first-meaningful-paint (ms, target 1500): navigation start → the first animation frame in
//     which [data-testid="cluster-output"] holds the simulated `kubectl get` output (the
//     `service/kubernetes` row), i.e. the worker has booted, simulated the example and React has
//     committed the result. Median of 3 cold loads, each in a fresh profile. Extras: the paint
//     timeline's first-contentful-paint and largest-contentful-paint, and when Monaco's chunk
//     was requested / the editor became Monaco (it must come after: it is loaded lazily).
//   js-before-monaco-gzip (KB = 1024 bytes, target 400): every JavaScript file the page and its
//     workers requested before Monaco's chunk (assets/monaco-*.js) was requested, gzipped at
//     level 9 from dist/ (what a gzip-serving host would send).
//   long-tasks-5k-services-resim (ms, target 50): the longest main-thread long task (the
//     'longtask' PerformanceObserver, which reports tasks of 50 ms or more: 0 means there was
//     none) while a 5,000-Service YAML
//     (deploymentsAndServices(5000, 1) from tests/bench/scenarios.ts, 2.3 MB) is pasted into the
//     editor — select all, then a real `paste` event on Monaco's input — and simulated in the
//     worker until the output shows it; then while one more Service is typed (key by key) at
//     the end of that file and re-simulated. Extras split the two phases.
//   animation-fps-200-packets (fps, target 55): animation frames per second over 3 s while the
//     topology's swarm of 200 packets runs (statistics mode: follow a packet, press Send in
//     Statistics). Skipped loudly when the stage does not start a swarm (the canvas carries
//     data-swarm="animate:N" while one runs).
//
// Missing Chromium: skipped with a loud warning (a failure under CI). Missing or stale dist/:
// rebuilt with `npx vite build` first (BENCH_NO_BUILD=1 to refuse and skip instead).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH, isCI } from '../../scripts/chromium.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST_DIR = join(REPO_ROOT, 'dist');
const OUTPUT = '[data-testid="cluster-output"]';
const MONACO_CHUNK = /\/assets\/monaco-[\w-]+\.js$/;


function banner(lines) {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '!'.repeat(width);
  return ['', bar, ...lines.map((l) => `! ${l.padEnd(width - 4)} !`), bar, ''].join('\n');
}

function skip(what, why) {
  process.stderr.write(banner([`SKIPPED: ${what}`, ...why, isCI() ? 'CI is set: this is a failure.' : 'Set CI=true to make this a failure instead of a skip.']));
  if (isCI()) process.exitCode = 1;
}

/** The newest modification time under `p` (files and directories), 0 when absent. */
function newest(p) {
  let st;
  try { st = statSync(p); } catch { return 0; }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(p)) m = Math.max(m, newest(join(p, e)));
  return m;
}

/** dist/ is there and newer than everything it is built from; else builds it (or says why not). */
function ensureDist() {
  const index = join(DIST_DIR, 'index.html');
  const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'].map((p) => newest(join(REPO_ROOT, p)));
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const stale = builtAt === 0 || Math.max(...inputs) > builtAt;
  if (!stale) return null;
  const why = builtAt === 0 ? `${index} is missing` : 'dist/ is older than src/';
  if (process.env.BENCH_NO_BUILD) return `${why} and BENCH_NO_BUILD is set: run \`npm run build\` (or \`npx vite build\`) first.`;
  process.stderr.write(`bench: ${why}; running \`npx vite build\`…\n`);
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(index)) return `\`npx vite build\` failed (exit ${r.status}); build the app first.`;
  return null;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

/** Runs in the page before any script: records when the cluster output first shows, and paints. */
function installProbes() {
  const b = { fmp: null, fcp: null, lcp: null, longtasks: [] };
  window.__bench = b;
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') b.fcp = e.startTime; }).observe({ type: 'paint', buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) b.lcp = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  } catch { /* an observer type this browser lacks */ }
  const shown = () => /service\/kubernetes/.test(document.querySelector('[data-testid="cluster-output"]')?.textContent ?? '');
  const mo = new MutationObserver(() => {
    if (b.fmp !== null || !shown()) return;
    mo.disconnect();
    b.fmp = -1;
    // The frame that paints it.
    requestAnimationFrame(() => { b.fmp = performance.now(); });
  });
  mo.observe(document, { subtree: true, childList: true, characterData: true });
}

async function launch(chromium, { reducedMotion = 'no-preference' } = {}) {
  const { startStaticServer } = await import('../../scripts/static-server.mjs');
  const server = await startStaticServer({ root: DIST_DIR, host: '127.0.0.1', port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'kubesim-bench-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS, // the profile (a fresh --user-data-dir) is launchPersistentContext's first argument
      viewport: { width: 1600, height: 1000 },
      deviceScaleFactor: 1,
      locale: 'en-US',
      colorScheme: 'light',
      reducedMotion,
      serviceWorkers: 'block',
      timeout: 30_000,
    });
  } catch (e) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const origin = server.url;
  // Offline, like the e2e tests: nothing leaves the page's origin.
  await context.route((url) => !url.href.startsWith(origin) && !/^(data|blob|about):/.test(url.href), (route) => route.abort('blockedbyclient'));
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.addInitScript(installProbes);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    page, origin, requests, errors,
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function openApp(s, query = '?lang=en') {
  await s.page.goto(`${s.origin}/${query}`, { waitUntil: 'load' });
  await s.page.waitForFunction(() => typeof window.__bench?.fmp === 'number' && window.__bench.fmp > 0, undefined, { timeout: 30_000, polling: 50 });
  await s.page.waitForSelector('[data-editor="monaco"]', { timeout: 30_000 });
  await s.page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 30_000 });
}

/** gzip -9 size of a dist/ file, by URL. */
function gzipKB(url) {
  const file = join(DIST_DIR, decodeURIComponent(new URL(url).pathname));
  if (!file.startsWith(DIST_DIR) || !existsSync(file)) return 0;
  return gzipSync(readFileSync(file), { level: 9 }).length / 1024;
}

async function paintBenches(chromium, print, wanted) {
  const runs = [];
  let jsBefore = null;
  for (let i = 0; i < 3; i++) {
    const s = await launch(chromium);
    try {
      await openApp(s);
      const r = await s.page.evaluate(() => {
        const res = performance.getEntriesByType('resource');
        const monaco = res.find((e) => /\/assets\/monaco-[\w-]+\.js$/.test(e.name));
        return { fmp: window.__bench.fmp, fcp: window.__bench.fcp, lcp: window.__bench.lcp, monacoRequested: monaco ? monaco.startTime : null };
      });
      runs.push(r);
      if (i === 0) {
        const cut = s.requests.findIndex((u) => MONACO_CHUNK.test(new URL(u).pathname));
        const before = (cut < 0 ? s.requests : s.requests.slice(0, cut)).filter((u) => /\.m?js$/.test(new URL(u).pathname));
        const files = [...new Set(before)];
        jsBefore = { kb: files.reduce((n, u) => n + gzipKB(u), 0), files: files.map((u) => `${new URL(u).pathname.replace(/^\/assets\//, '')} ${round(gzipKB(u), 1)}`) };
      }
    } finally {
      await s.close();
    }
  }
  if (wanted('first-meaningful-paint')) {
    const mid = median(runs.map((r) => r.fmp));
    const at = runs.find((r) => r.fmp === mid);
    print({
      bench: 'first-meaningful-paint', value: round(mid), unit: 'ms', target: 1500,
      runsMs: runs.map((r) => round(r.fmp)), fcpMs: round(at.fcp ?? -1), lcpMs: round(at.lcp ?? -1),
      // When the lazy import() of Monaco's chunk went out (it is not in the entry chunk; it loads beside the first paint).
      monacoRequestedMs: at.monacoRequested === null ? null : round(at.monacoRequested),
    });
  }
  if (wanted('js-before-monaco-gzip') && jsBefore) {
    print({ bench: 'js-before-monaco-gzip', value: round(jsBefore.kb, 1), unit: 'KB', target: 400, files: jsBefore.files });
  }
}

async function longTaskBench(chromium, print) {
  const { runnerImport } = await import('vite');
  const { module: scenarios } = await runnerImport(join(REPO_ROOT, 'tests/bench/scenarios.ts'), { configFile: false, logLevel: 'error' });
  const yaml = scenarios.deploymentsAndServices(5000, 1);
  const s = await launch(chromium);
  try {
    await openApp(s);
    const { page } = s;
    await page.evaluate((text) => { window.__yaml = text; }, yaml);
    // Caret in Monaco, everything selected: the paste replaces the example.
    await page.locator('[data-testid="yaml-editor"]').focus();
    await page.keyboard.press('Control+A');
    const pasteAt = await page.evaluate(() => {
      window.__bench.longtasks = [];
      const t = performance.now();
      const dt = new DataTransfer();
      dt.setData('text/plain', window.__yaml);
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      return t;
    });
    const services = (n) => page.waitForFunction((want) => new RegExp(`^Up to date: ${want} services`).test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), n, { timeout: 60_000, polling: 100 });
    // The example's Services plus the 5,000 (the output itself is capped, so the status line counts them).
    await page.waitForFunction(() => /^Up to date: 5\d{3} services/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, { timeout: 60_000, polling: 100 });
    const pastedAt = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1500); // trailing work (layout, Monaco's tokenizer, markers)
    const paste = await page.evaluate(() => window.__bench.longtasks.splice(0));
    const loaded = Number((await page.locator('[data-testid="status"]').textContent()).match(/(\d+) services/)[1]);
    // One more Service typed, key by key, at the end of the 5,000-Service file (flow style, so
    // no indentation is involved; ≈ 100 keystrokes, each its own key events as a person types).
    await page.keyboard.press('Control+End');
    const editAt = await page.evaluate(() => performance.now());
    await page.keyboard.type('\n---\n{apiVersion: v1, kind: Service, metadata: {name: bench-extra}, spec: {ports: [{port: 80}]}}\n');
    await services(loaded + 1);
    const editedAt = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1500);
    const edit = await page.evaluate(() => window.__bench.longtasks.splice(0));
    // Not in the value, shown beside it: the same kind of Service inserted as ONE input (what a
    // small paste does). That is Monaco's own cost for a multi-line input (≈ 40–60 ms here, as in
    // the 2 KB example), not the simulation's.
    await page.keyboard.press('Control+End');
    await page.evaluate(() => { window.__bench.longtasks = []; });
    await page.keyboard.insertText('\n---\n{apiVersion: v1, kind: Service, metadata: {name: bench-extra-2}, spec: {ports: [{port: 80}]}}\n');
    await page.waitForTimeout(300);
    const snippet = await page.evaluate(() => window.__bench.longtasks.splice(0));
    const max = (ts) => (ts.length ? Math.max(...ts.map((t) => t.duration)) : 0);
    const sum = (ts) => ts.reduce((n, t) => n + t.duration, 0);
    print({
      bench: 'long-tasks-5k-services-resim', value: round(Math.max(max(paste), max(edit))), unit: 'ms', target: 50,
      yamlBytes: yaml.length,
      pasteToOutputMs: round(pastedAt - pasteAt), pasteLongestMs: round(max(paste)), pasteLongTasks: paste.length, pasteLongTaskTotalMs: round(sum(paste)),
      pasteTasksMs: paste.map((t) => `${round(t.start - pasteAt)}+${round(t.duration)}`).slice(0, 20),
      editToOutputMs: round(editedAt - editAt), editLongestMs: round(max(edit)), editLongTasks: edit.length, editLongTaskTotalMs: round(sum(edit)),
      editTasksMs: edit.map((t) => `${round(t.start - editAt)}+${round(t.duration)}`).slice(0, 20),
      oneInputSnippetLongestMs: round(max(snippet)),
    });
  } finally {
    await s.close();
  }
}

async function fpsBench(chromium, print) {
  const s = await launch(chromium);
  try {
    await openApp(s);
    const { page } = s;
    // Follow demoapp's first pod → demoapp-svc, then send many (statistics).
    const [from, to] = await page.evaluate(() => {
      const froms = [...document.querySelectorAll('[data-testid="packet-from"] option')].map((o) => o.value);
      const tos = [...document.querySelectorAll('#packet-destinations option')].map((o) => [o.value, o.label ?? o.textContent]);
      const svc = tos.find(([, l]) => /demoapp/.test(l)) ?? tos[0];
      return [froms.find((f) => /demoapp/.test(f)) ?? froms[0], svc?.[0]];
    });
    await page.selectOption('[data-testid="packet-from"]', from);
    await page.fill('[data-testid="packet-to"]', to);
    await page.click('[data-testid="packet-send"]');
    await page.waitForSelector('[data-testid="stats-send"]:not([disabled])', { timeout: 20_000 });
    await page.click('[data-testid="stats-send"]');
    await page.waitForSelector('[data-testid="stats-summary"]', { timeout: 20_000 });
    const swarm = await page.waitForSelector('canvas.topo-canvas[data-swarm^="animate:"]', { timeout: 3000 }).then((el) => el.getAttribute('data-swarm')).catch(() => null);
    if (!swarm) {
      skip('animation-fps-200-packets', ['The stage started no packet swarm after Statistics → Send (no canvas[data-swarm="animate:N"]).', 'Pass swarm={{ count: 200, running: … }} to <TopologyPanel> in src/app/stage/StagePane.tsx.']);
      return;
    }
    await page.waitForTimeout(500); // let the swarm fill in
    const r = await page.evaluate(() => new Promise((done) => {
      const frames = [];
      const lt = window.__bench.longtasks.length;
      const t0 = performance.now();
      const f = (now) => {
        frames.push(now);
        if (now - t0 < 3000) requestAnimationFrame(f);
        else {
          const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
          done({ fps: (frames.length - 1) / ((frames[frames.length - 1] - frames[0]) / 1000), worstFrameMs: gaps[gaps.length - 1], p95FrameMs: gaps[Math.floor(gaps.length * 0.95)], longTasks: window.__bench.longtasks.length - lt });
        }
      };
      requestAnimationFrame(f);
    }));
    print({ bench: 'animation-fps-200-packets', value: round(r.fps, 1), unit: 'fps', target: 55, swarm, worstFrameMs: round(r.worstFrameMs, 1), p95FrameMs: round(r.p95FrameMs, 1), longTasks: r.longTasks });
  } finally {
    await s.close();
  }
}

/** Runs the browser benches (those BENCH_ONLY selects), printing one result per line. */
export async function runBrowserBenches(print = (r) => process.stdout.write(`${JSON.stringify(r)}\n`), only = process.env.BENCH_ONLY) {
  const names = ['first-meaningful-paint', 'js-before-monaco-gzip', 'long-tasks-5k-services-resim', 'animation-fps-200-packets'];
  const wanted = (name) => !only || name.includes(only);
  if (!names.some(wanted)) return;
  if (!existsSync(CHROMIUM_PATH)) {
    skip('the browser benches', [`${CHROMIUM_PATH} is missing: install Debian's Chromium (\`apt-get install -y chromium\`) or set CHROMIUM_PATH.`]);
    return;
  }
  const distProblem = ensureDist();
  if (distProblem) {
    skip('the browser benches', [distProblem]);
    return;
  }
  const { chromium } = await import('playwright-core');
  const guard = async (name, f) => {
    try { await f(); } catch (e) {
      process.stderr.write(`bench: ${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  };
  if (wanted('first-meaningful-paint') || wanted('js-before-monaco-gzip')) await guard('paint', () => paintBenches(chromium, print, wanted));
  if (wanted('long-tasks-5k-services-resim')) await guard('long-tasks-5k-services-resim', () => longTaskBench(chromium, print));
  if (wanted('animation-fps-200-packets')) await guard('animation-fps-200-packets', () => fpsBench(chromium, print));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runBrowserBenches();
