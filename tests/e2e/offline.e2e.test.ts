// Offline, under a sub-path: the built app served from /course/kubesim/ (as a course site's
// folder) registers its service worker with that folder as scope; the worker precaches every
// built file; then the network goes away (the browser offline and the server stopped) and a
// reload still brings up the page, Monaco, the simulator, a traced packet and a lesson. No
// request ever leaves the origin. A new deployment replaces the cached build on the next
// visits, keeping the previous build's files one generation for pages still running it.
//
// Run `npx vite build` first. Skipped loudly without dist/ or Chromium, except under CI.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.mjs';
import { listFiles, precacheable, serviceWorkerSource } from '../../src/sw/precache-plugin';
import { DIST_DIR, REPO_ROOT, describeInBrowser } from './browser';
import { openProfile, type Profile } from './share-context';

const SUB = '/course/kubesim/';

describeInBrowser('offline use under a sub-path (service worker, dist/ in Chromium)', () => {
  let root: string;
  let server: StaticServer | null;
  let origin: string;
  let p: Profile;

  beforeAll(async () => {
    // A site whose /course/kubesim/ folder is the build.
    root = mkdtempSync(join(tmpdir(), 'kubesim-site-'));
    mkdirSync(join(root, 'course'));
    symlinkSync(DIST_DIR, join(root, 'course', 'kubesim'), 'dir');
    server = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
    origin = server.url;
    p = await openProfile({ origins: () => [origin], serviceWorkers: 'allow', viewport: { width: 1400, height: 1000 } });
  }, 30_000);

  afterAll(async () => {
    await p?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('dist/sw.js lists every built file (but itself and source maps)', () => {
    const sw = readFileSync(join(DIST_DIR, 'sw.js'), 'utf8');
    const listed = JSON.parse(/const FILES = (\[.*\]);/.exec(sw)![1]) as string[];
    expect(listed).toEqual(listFiles(DIST_DIR).filter(precacheable));
    expect(listed).toContain('index.html');
    expect(listed.some((f) => /^assets\/monaco-.*\.js$/.test(f))).toBe(true);
    expect(listed.some((f) => /^assets\/sim\.worker-.*\.js$/.test(f))).toBe(true);
    expect(sw).not.toMatch(/https?:\/\//);
  });

  it('after one visit, the app loads and simulates with the network gone', async () => {
    const { page, context } = p;
    await page.goto(`${origin}${SUB}?lang=en`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 20_000 });
    // The worker takes the page over once everything is cached.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    const reg = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.ready;
      const names = (await caches.keys()).filter((n) => n.startsWith('kubesim:'));
      const cache = await caches.open(names[0]);
      return { scope: r.scope, script: r.active?.scriptURL, names, cached: (await cache.keys()).map((q) => q.url) };
    });
    expect(reg.scope).toBe(`${origin}${SUB}`);
    expect(reg.script).toBe(`${origin}${SUB}sw.js`);
    expect(reg.names).toHaveLength(1);
    expect(reg.names[0]).toMatch(new RegExp(`^kubesim:${origin}${SUB}:[0-9a-f]{20}$`.replace(/\//g, '\\/')));
    expect(reg.cached.sort()).toEqual(listFiles(DIST_DIR).filter(precacheable).map((f) => `${origin}${SUB}${f}`).sort());

    // No network at all: the browser offline, and the server gone too.
    await context.setOffline(true);
    await server!.close();
    server = null;
    for (const url of [`${origin}${SUB}?lang=en`, `${origin}${SUB}index.html?lang=en&lesson=02-clusterip&step=1`]) {
      const res = await page.goto(url, { waitUntil: 'load' });
      expect(res?.fromServiceWorker()).toBe(true);
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 30_000 });
    }
    await page.waitForSelector('[data-testid="lesson"]', { timeout: 20_000 });
    await page.waitForSelector('[data-testid="yaml-editor"][data-editor="monaco"]', { timeout: 30_000 });
    await page.click('[data-testid="packet-send"]');
    await page.waitForFunction(() => /^1 \/ \d+$/.test(document.querySelector('.tl-count')?.textContent ?? ''), undefined, { timeout: 20_000 });
    const out = await page.locator('[data-testid="cluster-output"]').textContent();
    expect(out).toContain('demoapp-svc');
    expect(p.offOrigin).toEqual([]);
    expect(p.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
  });

  it('a new deployment replaces the cached build; the previous build stays one generation', async () => {
    const site = mkdtempSync(join(tmpdir(), 'kubesim-deploys-'));
    mkdirSync(join(site, 'course'));
    const template = readFileSync(join(REPO_ROOT, 'src/sw/sw.template.js'), 'utf8');
    /** A copy of dist/ as build `n`: its own marker in index.html, one file only it has, its own sw.js. */
    const build = (n: number) => {
      const dir = join(site, `build${n}`);
      cpSync(DIST_DIR, dir, { recursive: true, dereference: true });
      writeFileSync(join(dir, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace('</head>', `<meta name="kubesim-build" content="${n}"></head>`));
      writeFileSync(join(dir, 'assets', `only-in-build${n}.js`), `// build ${n}\n`);
      writeFileSync(join(dir, 'sw.js'), serviceWorkerSource(template, listFiles(dir).filter(precacheable), `build${n}`));
      return dir;
    };
    const deploy = (n: number) => {
      rmSync(join(site, 'course', 'kubesim'), { force: true });
      symlinkSync(build(n), join(site, 'course', 'kubesim'), 'dir');
    };
    deploy(1);
    const host = await startStaticServer({ root: site, host: '127.0.0.1', port: 0 });
    const q = await openProfile({ origins: () => [host.url], serviceWorkers: 'allow' });
    try {
      const { page } = q;
      const caches = () => page.evaluate(async () => (await globalThis.caches.keys()).filter((k) => k.startsWith('kubesim:')).map((k) => k.split(':').pop()).sort());
      const settled = () => page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return !!r && !r.installing && !r.waiting && !!r.active && r.active.state === 'activated';
      });
      const update = async (expected: string[]) => {
        await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())!.update(); });
        await expect.poll(caches, { timeout: 30_000 }).toEqual(expected);
        await expect.poll(settled, { timeout: 30_000 }).toBe(true);
      };
      const marker = () => page.locator('meta[name="kubesim-build"]').getAttribute('content');
      await page.goto(`${host.url}${SUB}?lang=en`, { waitUntil: 'load' });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
      expect(await caches()).toEqual(['build1']);
      expect(await marker()).toBe('1');

      deploy(2);
      await update(['build1', 'build2']);
      // The page still running build 1 loads a file the server no longer has.
      expect(await page.evaluate(async () => { const r = await fetch('assets/only-in-build1.js'); return `${r.status} ${await r.text()}`; })).toBe('200 // build 1\n');
      await page.reload({ waitUntil: 'load' });
      expect(await marker()).toBe('2');
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 30_000 });

      deploy(3);
      await update(['build2', 'build3']);
      await page.reload({ waitUntil: 'load' });
      expect(await marker()).toBe('3');
      expect(q.offOrigin).toEqual([]);
    } finally {
      await q.close();
      await host.close();
      rmSync(site, { recursive: true, force: true });
    }
  }, 120_000);
});
