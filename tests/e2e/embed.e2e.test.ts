// The embed (`?embed=1`) inside an iframe on a course page served from another localhost port:
// the minimal chrome (stage, timeline, inspector; no header, footer, editor or terminal), and
// the postMessage API — ready; load → loaded (with the Services); trace → traced (paths and
// hops as the simulator gives them); step → step; the learner's own stepping → step events;
// bad messages → error, unknown ones ignored, messages from anyone but the parent ignored.
// `&editor=1` adds the editor. Screenshot: docs/screenshots/embed.png.
//
// Run `npx vite build` first. Skipped loudly without dist/ or Chromium, except under CI.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.mjs';
import { EXAMPLES, Simulation } from '../../src/sim/index';
import { DIST_DIR, REPO_ROOT, describeInBrowser } from './browser';
import { openProfile, serveHtml, type Profile } from './share-context';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');

interface Received { origin: string; data: { kubesim: number; type: string; [k: string]: unknown } }

function coursePage(app: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Networking course · Lesson 2</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 20px 28px; background: #f3f5f9; color: #1b2330; }
  h1 { font-size: 22px; margin: 0 0 4px; } p { margin: 0 0 12px; max-width: 70em; }
  iframe { display: block; width: 100%; height: 840px; border: 1px solid #c9d1dd; border-radius: 10px; background: #fff; }
</style></head>
<body>
  <h1>Lesson 2 · A ClusterIP Service</h1>
  <p>Below, a packet goes from a client pod to the Service's ClusterIP. Step through it with the timeline or the arrow keys.</p>
  <iframe id="kubesim" title="KubeSim: a packet to a ClusterIP" src="${app}/?embed=1&amp;lang=en"></iframe>
  <script>
    window.received = [];
    const frame = document.getElementById('kubesim');
    addEventListener('message', (e) => { if (e.source === frame.contentWindow) received.push({ origin: e.origin, data: e.data }); });
    window.send = (m) => frame.contentWindow.postMessage(m, ${JSON.stringify(app)});
  </script>
</body></html>`;
}

describeInBrowser('the embed and its postMessage API (dist/ in Chromium, cross-origin iframe)', () => {
  let app: StaticServer;
  let course: { origin: string; close(): Promise<void> };
  let p: Profile;
  let page: Page;
  let frame: Frame;

  beforeAll(async () => {
    app = await startStaticServer({ root: DIST_DIR, host: '127.0.0.1', port: 0 });
    course = await serveHtml(() => coursePage(app.url));
    expect(new URL(course.origin).port).not.toBe(new URL(app.url).port);
    p = await openProfile({ origins: () => [app.url, course.origin], viewport: { width: 1280, height: 1000 } });
    page = p.page;
  }, 30_000);

  afterAll(async () => {
    await p?.close();
    await course?.close();
    await app?.close();
  });

  const received = (): Promise<Received[]> => page.evaluate(() => (window as unknown as { received: Received[] }).received);
  const send = (m: unknown) => page.evaluate((msg) => (window as unknown as { send(m: unknown): void }).send(msg), m);
  /** The next message of `type` after the first `after` received. */
  async function next(type: string, after: number): Promise<Received> {
    let found: Received | undefined;
    await expect.poll(async () => { found = (await received()).slice(after).find((r) => r.data.type === type); return !!found; }, { timeout: 30_000 }).toBe(true);
    return found!;
  }

  it('shows the stage alone and says it is ready', async () => {
    await page.goto(course.origin, { waitUntil: 'load' });
    const ready = await next('ready', 0);
    expect(ready).toEqual({ origin: app.url, data: { kubesim: 1, type: 'ready' } });
    frame = page.frame({ url: (u) => u.searchParams.get('embed') === '1' })!;
    expect(frame).toBeTruthy();
    await frame.waitForSelector('[data-testid="embed"]');
    for (const hidden of ['.app-header', '.app-footer', '[data-testid="yaml-editor"]', '.terminal-pane', '.output-pane']) {
      expect(await frame.locator(hidden).count(), hidden).toBe(0);
    }
    for (const shown of ['[data-testid="stage"]', '.tl', '.insp', '.topo-stage']) expect(await frame.locator(shown).isVisible(), shown).toBe(true);
    for (const hidden of ['.stage > .stats', '.stage > .modes', '.stage > .whatif']) expect(await frame.locator(hidden).isVisible(), hidden).toBe(false);
  });

  it('load → loaded, trace → traced, step → step, and the learner\'s steps are told to the parent', async () => {
    const files = EXAMPLES.find((e) => e.id === 'clusterip-demoapp')!.files;
    const sim = Simulation.load(files, { seed: 3 });
    const snap = sim.snapshot();
    const svc = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!;
    const pod = snap.pods.find((x) => x.metadata.name.startsWith('demoapp'))!;
    const from = `pod/default/${pod.metadata.name}`;
    const t = sim.trace({ from, to: `${svc.spec!.clusterIP}:80`, allPaths: true });
    if ('error' in t) throw new Error(t.error);
    const hops = t.paths[0].hops.length;

    let n = (await received()).length;
    await send({ kubesim: 1, type: 'load', files: files.map((f) => ({ name: f.name, text: f.text })), options: { seed: 3 } });
    const loaded = await next('loaded', n);
    expect(loaded.origin).toBe(app.url);
    expect(loaded.data.ok).toBe(true);
    expect(loaded.data.services).toContainEqual({ namespace: 'default', name: 'demoapp-svc', type: 'ClusterIP', clusterIP: svc.spec!.clusterIP, ports: [{ port: 80, protocol: 'TCP' }] });

    n = (await received()).length;
    await send({ kubesim: 1, type: 'trace', from, to: `${svc.spec!.clusterIP}:80` });
    const traced = await next('traced', n);
    expect(traced.data).toEqual({ kubesim: 1, type: 'traced', paths: t.paths.length, hops });
    await expect.poll(() => frame.locator('.tl-count').textContent()).toBe(`1 / ${hops}`);

    n = (await received()).length;
    await send({ kubesim: 1, type: 'step', step: 3 });
    expect((await next('step', n)).data).toEqual({ kubesim: 1, type: 'step', step: 3 });
    await expect.poll(() => frame.locator('.tl-count').textContent()).toBe(`4 / ${hops}`);
    mkdirSync(SHOTS, { recursive: true });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'embed.png') });

    n = (await received()).length;
    await send({ kubesim: 1, type: 'step', step: 10_000 });
    expect((await next('step', n)).data).toEqual({ kubesim: 1, type: 'step', step: hops - 1 });

    // The learner steps back inside the embed: the parent hears of it.
    n = (await received()).length;
    await frame.locator('#stage-heading').click();
    await page.keyboard.press('ArrowLeft');
    expect((await next('step', n)).data).toEqual({ kubesim: 1, type: 'step', step: hops - 2 });
  });

  it('bad messages get an error, unknown ones nothing, and only the parent is listened to', async () => {
    let n = (await received()).length;
    await send({ kubesim: 1, type: 'load', files: [{ name: '<script>alert(1)</script>', text: 'a: 1' }] });
    const e1 = await next('error', n);
    expect(e1.data.message).toMatch(/^load: /);
    expect(await frame.locator('[data-testid="share-refused"]').getAttribute('data-reason')).toBe('fileName');

    n = (await received()).length;
    await send({ kubesim: 2, type: 'step', step: 0 });
    expect((await next('error', n)).data.message).toMatch(/unsupported protocol version 2/);

    n = (await received()).length;
    await send({ kubesim: 1, type: 'trace', from: 'pod/default/x', to: '<b>:80' });
    expect((await next('error', n)).data.message).toMatch(/^trace: /);

    // Unknown types and foreign messages: no answer, no change.
    const count = await frame.locator('.tl-count').textContent();
    n = (await received()).length;
    await send({ kubesim: 1, type: 'eval', code: 'window.__pwned = 1' });
    await send({ type: 'step', step: 0 });
    await send('step 0');
    // The frame posting to itself is not its parent: ignored.
    await frame.evaluate(() => window.postMessage({ kubesim: 1, type: 'step', step: 0 }, '*'));
    await page.waitForTimeout(800);
    expect((await received()).slice(n)).toEqual([]);
    expect(await frame.locator('.tl-count').textContent()).toBe(count);
    expect(await frame.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // YAML with errors: loaded, not ok, with the errors; the cluster on screen stays.
    n = (await received()).length;
    await send({ kubesim: 1, type: 'load', files: [{ name: 'bad.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: "abc"\n' }] });
    const bad = await next('loaded', n);
    expect(bad.data.ok).toBe(false);
    expect(bad.data.services).toEqual([]);
    expect((bad.data.errors as string[]).join('\n')).toMatch(/bad\.yaml:\d+:\d+: /);
    expect(p.offOrigin).toEqual([]);
  });

  it('&editor=1 adds the editor, still without the header', async () => {
    const other = await p.context.newPage();
    try {
      await other.goto(`${app.url}/?embed=1&editor=1&lang=en`, { waitUntil: 'load' });
      await other.waitForSelector('[data-testid="yaml-editor"]', { timeout: 20_000 });
      expect(await other.locator('.app-header').count()).toBe(0);
      expect(await other.locator('[data-testid="stage"]').isVisible()).toBe(true);
    } finally {
      await other.close();
    }
    expect(p.offOrigin).toEqual([]);
    expect(p.errors).toEqual([]);
  });
});
