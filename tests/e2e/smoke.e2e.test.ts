// Browser smoke test of the built app (dist/) in Debian's Chromium: the page boots offline,
// the simulation worker renders the cluster, a broken YAML shows a located diagnostic while
// the last good output stays, the language switch works and is remembered, and a screenshot
// of the page is saved to docs/screenshots/app-minimal.png.
//
// It builds nothing: run `npm run build` (or `npx vite build`) first. Without dist/ or
// /usr/bin/chromium it is skipped with a warning, except under CI, where that is a failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  REPO_ROOT, describeInBrowser, openAppSession, waitForText, type AppSession,
} from './browser';

const SCREENSHOT = join(REPO_ROOT, 'docs', 'screenshots', 'app-minimal.png');
const OUTPUT = '[data-testid="cluster-output"]';

describeInBrowser('browser smoke test (dist/ in Chromium)', () => {
  let s: AppSession;
  const started = Date.now();

  beforeAll(async () => {
    s = await openAppSession({ viewport: { width: 1600, height: 1000 }, locale: 'en-US' });
  }, 30_000);

  afterAll(async () => {
    await s?.close();
    console.log(`browser smoke test: ${((Date.now() - started) / 1000).toFixed(1)} s, ${s?.requests.length ?? 0} requests`);
  });

  it('renders the cluster through the worker', async () => {
    const { page } = s;
    await page.goto(`${s.origin}/?lang=en`, { waitUntil: 'load' });
    const out = await waitForText(
      page,
      OUTPUT,
      (t) => t.includes('service/kubernetes') && t.includes('kube-dns'),
      'the kubectl get output',
    );
    // The `kubernetes` Service row, as kubectl prints it.
    expect(out).toMatch(/service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
    expect(out).toMatch(/service\/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s/);
    expect(out).toContain('kubectl get svc,ep,pods');
    // It was computed in a module worker, not on the page.
    expect(page.workers().length).toBeGreaterThan(0);
    expect(s.requests.some((u) => /\/assets\/sim\.worker-[\w-]+\.js$/.test(u))).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await waitForText(page, '[data-testid="status"]', (t) => /^Up to date: \d+ services/.test(t), 'the ready status');
  });

  it('runs a command in the terminal', async () => {
    const { page } = s;
    const input = page.getByLabel('Command', { exact: true });
    await input.fill('kubectl get nodes -o wide');
    await input.press('Enter');
    const log = await waitForText(page, '[data-testid="terminal-log"]', (t) => /master\s+Ready/.test(t), 'kubectl get nodes output');
    expect(log).toContain('root@master:~# kubectl get nodes -o wide');
    expect(log).toMatch(/INTERNAL-IP/);
  });

  it('saves a screenshot', async () => {
    mkdirSync(join(REPO_ROOT, 'docs', 'screenshots'), { recursive: true });
    await s.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await s.page.screenshot({ path: SCREENSHOT, animations: 'disabled', caret: 'hide' });
    await s.page.locator('.terminal-pane').screenshot({ path: join(REPO_ROOT, 'docs', 'screenshots', 'terminal.png'), animations: 'disabled', caret: 'hide' });
  });

  it('shows a located diagnostic for broken YAML and keeps the last good output (stale)', async () => {
    const { page } = s;
    // Type into Monaco once it has replaced the first-paint textarea (it loads lazily; on a
    // busy machine that can take a few seconds).
    await page.waitForSelector('[data-testid="yaml-editor"][data-editor="monaco"]', { timeout: 30_000 });
    const editor = page.getByTestId('yaml-editor');
    await editor.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n---\nkind: Service\nmetadata: {name: broken\n');
    const diag = await waitForText(page, '[data-testid="diagnostic"]', (t) => /\.ya?ml:\d+:\d+/.test(t), 'a located diagnostic');
    expect(diag).toMatch(/error/i);
    expect(diag).toMatch(/YAML syntax error/);
    // The last good output is still there, marked stale.
    const out = await page.locator(OUTPUT).textContent();
    expect(out).toContain('10.96.0.1');
    expect(out).toContain('443/TCP');
    expect(await page.locator(OUTPUT).getAttribute('data-stale')).toBe('true');
    await expect(page.getByTestId('stale-badge').isVisible()).resolves.toBe(true);
    await waitForText(page, '[data-testid="status"]', (t) => t.startsWith('Stale:'), 'the stale status');
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
  });

  it('switches the language, and remembers it and the edit after a reload', async () => {
    const { page } = s;
    expect(await page.locator('#editor-heading').textContent()).toBe('Manifests');
    await page.getByTestId('lang-switch').click();
    await waitForText(page, '#editor-heading', (t) => t === '清单', 'the zh-CN heading');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await waitForText(page, '[data-testid="diagnostic"]', (t) => t.includes('YAML 语法错误'), 'the diagnostic in Chinese');
    expect(page.url()).toContain('lang=zh-CN');

    // Reload without ?lang=: the language and the edited YAML come back from localStorage.
    await page.goto(`${s.origin}/`, { waitUntil: 'load' });
    await waitForText(page, '#editor-heading', (t) => t === '清单', 'the remembered language');
    await page.waitForFunction(
      () => (document.getElementById('yaml-editor') as HTMLTextAreaElement | null)?.value.includes('metadata: {name: broken'),
      undefined,
      { timeout: 10_000 },
    );
    await waitForText(page, '[data-testid="diagnostic"]', (t) => /\.ya?ml:\d+:\d+/.test(t), 'the diagnostic after reload');
  });

  it('switches to another built-in example', async () => {
    const { page } = s;
    const select = page.getByTestId('example-select');
    expect(await select.locator('option').count()).toBeGreaterThan(1);
    await select.selectOption({ index: 1 });
    await waitForText(page, '[data-testid="status"]', (t) => t.startsWith('已是最新'), 'the ready status (zh-CN)');
    expect(await page.locator(OUTPUT).getAttribute('data-stale')).toBe('false');
    expect(await page.locator(OUTPUT).textContent()).toContain('service/kubernetes');
  });

  it('made no request outside its own origin, and logged no errors', () => {
    expect(s.offOrigin).toEqual([]);
    expect(s.requests.length).toBeGreaterThan(0);
    expect(s.errors).toEqual([]);
  });
});
