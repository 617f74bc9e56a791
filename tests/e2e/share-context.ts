// For the share, embed and offline browser tests: a fresh Chromium profile that may talk to a
// few given origins (the app's, a course page's on another port) and aborts and records
// everything else, with service workers allowed when asked (openAppSession blocks them).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

export interface Profile {
  context: BrowserContext;
  page: Page;
  /** Requests to origins not in the allowed list (aborted). */
  offOrigin: string[];
  errors: string[];
  close(): Promise<void>;
}

export async function openProfile(opts: { origins: () => string[]; serviceWorkers?: 'allow' | 'block'; viewport?: { width: number; height: number }; locale?: string }): Promise<Profile> {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1400, height: 1000 },
    deviceScaleFactor: 1,
    locale: opts.locale ?? 'en-US',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    serviceWorkers: opts.serviceWorkers ?? 'block',
    acceptDownloads: true,
    timeout: 20_000,
  });
  const offOrigin: string[] = [];
  const errors: string[] = [];
  const allowed = (url: string): boolean => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
    try {
      return opts.origins().includes(new URL(url).origin);
    } catch {
      return false;
    }
  };
  context.on('request', (r) => { if (!allowed(r.url()) && !offOrigin.includes(r.url())) offOrigin.push(r.url()); });
  await context.route((url) => !allowed(url.href), (route) => {
    const url = route.request().url();
    if (!offOrigin.includes(url)) offOrigin.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  return {
    context,
    page,
    offOrigin,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves one HTML page (a course page that embeds KubeSim) on 127.0.0.1:<random port>. */
export async function serveHtml(html: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
