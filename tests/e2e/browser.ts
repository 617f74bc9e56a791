// Helpers for the browser end-to-end tests: serve the built app (dist/) from 127.0.0.1 on a
// random port, drive Debian's Chromium through playwright-core, and record every request so
// a test can assert that nothing leaves the page's origin (the app must work offline).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, isCI } from '../../scripts/chromium.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_DIR = join(REPO_ROOT, 'dist');
export { CHROMIUM_ARGS, CHROMIUM_PATH, isCI };

/** What is missing for a browser test to run; empty when everything is there. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (!existsSync(join(DIST_DIR, 'index.html'))) {
    missing.push(`${join(DIST_DIR, 'index.html')} is missing: build the app first (\`npm run build\` or \`npx vite build\`).`);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    missing.push(`${CHROMIUM_PATH} is missing: install Debian's Chromium (\`apt-get install -y chromium fonts-noto-cjk\`) or set CHROMIUM_PATH.`);
  }
  return missing;
}

/**
 * `describe(title, body)` when dist/ and Chromium are there; otherwise a loud skip — and a
 * failure under CI, where the browser tests must run.
 */
export function describeInBrowser(title: string, body: () => void): void {
  const missing = missingPrerequisites();
  if (missing.length === 0) {
    describe(title, body);
  } else if (!isCI()) {
    console.warn(skipBanner(title, missing));
    it.skip(`${title} (prerequisites missing, see the warning above)`, () => {});
  } else {
    it(`${title}: prerequisites are installed (CI)`, () => {
      throw new Error(`CI is set, so "${title}" must run, but:\n${missing.join('\n')}`);
    });
  }
}

/** A loud, boxed warning for a skipped browser test. */
export function skipBanner(what: string, missing: string[]): string {
  const lines = [`SKIPPED: ${what}`, ...missing, 'Set CI=true to make this a failure instead of a skip.'];
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '!'.repeat(width);
  return ['', bar, ...lines.map((l) => `! ${l.padEnd(width - 4)} !`), bar, ''].join('\n');
}

export interface AppSession {
  server: StaticServer;
  context: BrowserContext;
  page: Page;
  /** The origin the app is served from, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Every URL requested by the page or its workers, in order. */
  requests: string[];
  /** Requests to anywhere but `origin` (they are also aborted). */
  offOrigin: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  locale?: string;
}

/**
 * Serves dist/ and opens a fresh Chromium profile on it. Navigate with `session.page.goto`.
 * The profile lives in a new temporary directory removed on `close()`.
 */
export async function openAppSession(opts: OpenOptions = {}): Promise<AppSession> {
  const server = await startStaticServer({ root: DIST_DIR, host: '127.0.0.1', port: 0 });
  const origin = server.url;
  const profile = mkdtempSync(join(tmpdir(), 'kubesim-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: opts.viewport ?? { width: 1600, height: 1000 },
      deviceScaleFactor: 1,
      locale: opts.locale ?? 'en-US',
      colorScheme: 'light',
      reducedMotion: 'reduce',
      serviceWorkers: 'block',
      timeout: 20_000,
    });
  } catch (e) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }

  const requests: string[] = [];
  const offOrigin: string[] = [];
  const errors: string[] = [];
  const sameOrigin = (url: string): boolean => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
    try {
      return new URL(url).origin === origin;
    } catch {
      return false;
    }
  };
  context.on('request', (r) => {
    requests.push(r.url());
    if (!sameOrigin(r.url()) && !offOrigin.includes(r.url())) offOrigin.push(r.url());
  });
  // Belt and braces: block anything off-origin (this also covers requests from workers).
  await context.route((url) => !sameOrigin(url.href), (route) => {
    const url = route.request().url();
    if (!offOrigin.includes(url)) offOrigin.push(url);
    return route.abort('blockedbyclient');
  });

  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });

  return {
    server,
    context,
    page,
    origin,
    requests,
    offOrigin,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the text of the first element matching `selector` satisfies `test`; returns it. */
export async function waitForText(
  page: Page,
  selector: string,
  test: (text: string) => boolean,
  what: string,
  timeout = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    last = (await page.locator(selector).first().textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? '';
    if (test(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what} in ${selector}; last text:\n${last.slice(0, 2000)}`);
    }
    await page.waitForTimeout(50);
  }
}
