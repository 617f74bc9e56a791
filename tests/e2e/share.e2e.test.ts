// Share links and export in Chromium (dist/):
// - a learner builds up a state (another example, an edited file, a proxy mode chosen,
//   kube-proxy 1.23, seed 7, a packet followed on its second path to step 5, lesson 2 at its second step),
//   presses Share; the link (also on the clipboard) opened in a fresh browser profile shows
//   exactly that state;
// - crafted links — a compression bomb, damaged data, a script-bearing file name, the wrong
//   version — are refused with the message in English and Chinese, pasted into an open page or
//   opened fresh, and the learner's own work stays as it was; a link whose YAML and names carry
//   HTML/script is loaded as text, inert;
// - the stage's export buttons give a PNG, an SVG and the trace as a Markdown table.
//
// Run `npx vite build` first. Skipped loudly without dist/ or Chromium, except under CI.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { compressToEncodedURIComponent } from 'lz-string';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXAMPLES, Simulation } from '../../src/sim/index';
import { decodeState, payloadOfHash } from '../../src/app/share/codec';
import { describeInBrowser, openAppSession, type AppSession } from './browser';

const EDITOR = '[data-testid="yaml-editor"]';
const EXAMPLE = 'nodeport-demoapp';
const EDIT = '\n# shared from session A: 共享\n';
const LESSON = '02-clusterip';

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 20_000 });
}

async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(400);
  await ready(page);
}

async function editorText(page: Page): Promise<string> {
  return page.locator(EDITOR).evaluate((el) => (el as HTMLElement & { value: string }).value);
}

/** Everything the page shows of its state. */
async function shown(page: Page) {
  const text = async (sel: string) => (await page.locator(sel).first().textContent())?.replace(/\s+/g, ' ').trim() ?? null;
  return {
    example: await page.locator('[data-testid="example-select"]').inputValue(),
    editor: await editorText(page),
    status: await text('[data-testid="status"]'),
    output: await text('[data-testid="cluster-output"]'),
    mode: await page.locator('input[name="proxy-mode"]:checked').getAttribute('value'),
    version: await page.locator('[data-testid="whatif-version"]').inputValue(),
    seed: await page.locator('.whatif input[type="number"]').last().inputValue(),
    count: await text('.tl-count'),
    path: await page.locator('.tl-path select').inputValue(),
    inspector: await text('.insp'),
    caption: await text('.topo-caption'),
    lessonStep: await page.locator('[data-testid="lesson"]').getAttribute('data-step'),
  };
}

describeInBrowser('share links and export (dist/ in Chromium)', () => {
  let a: AppSession;

  beforeAll(async () => {
    a = await openAppSession({ viewport: { width: 1500, height: 1100 }, locale: 'en-US' });
    await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: a.origin });
  }, 30_000);

  afterAll(async () => {
    await a?.close();
  });

  it('a shared link restores exactly the same state in a fresh browser profile', async () => {
    const { page } = a;
    await page.goto(`${a.origin}/?lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="packet-send"]:not([disabled])', { timeout: 20_000 });
    await page.selectOption('[data-testid="example-select"]', EXAMPLE);
    await settle(page);
    // Edit the file in Monaco.
    await page.waitForSelector(`${EDITOR}[data-editor="monaco"]`, { timeout: 20_000 });
    await page.locator(EDITOR).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(EDIT);
    await expect.poll(() => editorText(page)).toContain('# shared from session A');
    await settle(page);
    // kube-proxy: IPVS and back to iptables (a mode chosen: the statistic split, 3 paths), v1.23, seed 7.
    await page.click('[data-testid="mode-ipvs"]');
    await settle(page);
    await page.click('[data-testid="mode-iptables"]');
    await settle(page);
    await page.selectOption('[data-testid="whatif-version"]', '1.23');
    await settle(page);
    await page.locator('.whatif input[type="number"]').last().fill('7');
    await settle(page);

    // The packet, checked against the simulator with the same files and options.
    const files = EXAMPLES.find((e) => e.id === EXAMPLE)!.files.map((f) => ({ name: f.name, text: f.text + EDIT }));
    expect(await editorText(page)).toBe(files[0].text);
    const sim = Simulation.load(files, { proxyMode: 'iptables', kubeProxyVersion: '1.23', seed: 7 });
    const snap = sim.snapshot();
    const pod = snap.pods.find((p) => p.metadata.name.startsWith('demoapp'))!;
    const ip = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
    const from = `pod/default/${pod.metadata.name}`;
    const t = sim.trace({ from, to: `${ip}:80`, allPaths: true });
    if ('error' in t) throw new Error(t.error);
    expect(t.paths.length).toBe(3);
    const path = 1;
    const hops = t.paths[path].hops.length;
    expect(hops).toBeGreaterThan(5);
    await page.selectOption('[data-testid="packet-from"]', from);
    await page.fill('[data-testid="packet-to"]', `${ip}:80`);
    await page.click('[data-testid="packet-send"]');
    await page.waitForFunction(() => document.querySelector('.tl-count')?.textContent?.startsWith('1 / '), undefined, { timeout: 15_000 });
    if (path > 0) await page.selectOption('.tl-path select', String(path));
    await page.locator('#stage-heading').click();
    for (let k = 0; k < 4; k++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.tl-count').textContent()).toBe(`5 / ${hops}`);
    // Lesson 2, its second step.
    await page.selectOption('[data-testid="lesson-picker"]', LESSON);
    await page.waitForSelector('[data-testid="lesson-next"]', { timeout: 20_000 });
    await page.click('[data-testid="lesson-next"]');
    await expect.poll(() => page.locator('[data-testid="lesson"]').getAttribute('data-step')).toBe('1');
    const before = await shown(page);
    expect(before).toMatchObject({ example: EXAMPLE, mode: 'iptables', version: '1.23', seed: '7', count: `5 / ${hops}`, path: String(path), lessonStep: '1' });

    await page.click('[data-testid="share-button"]');
    const url = await page.locator('[data-testid="share-url"]').inputValue();
    expect(url).toMatch(/#s=[A-Za-z0-9+\-$]+$/);
    expect(url).not.toContain('lesson=');
    expect(decodeState(payloadOfHash(new URL(url).hash)!)).toEqual({ ok: true, state: {
      v: 1, files, example: EXAMPLE, options: { proxyMode: 'iptables', kubeProxyVersion: '1.23', seed: 7 },
      packet: { from, to: `${ip}:80`, proto: 'tcp', path, step: 4 }, lesson: { id: LESSON, step: 1 },
    } });
    await expect.poll(() => page.locator('.share-status').textContent()).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    // The link box is selectable text.
    expect(await page.locator('[data-testid="share-url"]').evaluate((el: HTMLInputElement) => el.selectionEnd! - el.selectionStart!)).toBe(url.length);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="share-pop"]').count()).toBe(0);

    // A fresh profile (nothing in its storage) opens the link.
    const b = await openAppSession({ viewport: { width: 1500, height: 1100 }, locale: 'en-US' });
    try {
      const link = url.replace(a.origin, b.origin);
      await b.page.goto(link, { waitUntil: 'load' });
      await b.page.waitForFunction((c) => document.querySelector('.tl-count')?.textContent === c, `5 / ${hops}`, { timeout: 30_000 });
      await b.page.waitForSelector(`${EDITOR}[data-editor="monaco"]`, { timeout: 20_000 });
      await b.page.waitForSelector('[data-testid="lesson"][data-step="1"]', { timeout: 20_000 });
      await ready(b.page);
      const after = await shown(b.page);
      expect(after).toEqual(before);
      // The fragment is read once: the address keeps the lesson, not the link's state.
      const u = new URL(b.page.url());
      expect(u.hash).toBe('');
      expect(u.searchParams.get('lesson')).toBe(LESSON);
      expect(u.searchParams.get('step')).toBe('2');
      expect(b.offOrigin).toEqual([]);
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('crafted links are refused with a bilingual message, and the current work stays intact', async () => {
    const { page } = a;
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    // The learner's own work: the default example, edited.
    await page.goto(`${a.origin}/?lang=en`, { waitUntil: 'load' });
    await ready(page);
    await page.selectOption('[data-testid="example-select"]', 'clusterip-demoapp');
    await settle(page);
    await page.waitForSelector(`${EDITOR}[data-editor="monaco"]`, { timeout: 20_000 });
    await page.locator(EDITOR).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n# my own work\n');
    await settle(page);
    const mine = await editorText(page);
    expect(mine).toContain('# my own work');
    const output = await page.locator('[data-testid="cluster-output"]').textContent();

    const pack = (v: unknown) => compressToEncodedURIComponent(JSON.stringify(v));
    const crafted: [string, string][] = [
      [compressToEncodedURIComponent('a'.repeat(2_100_000)), 'tooLarge'],
      ['not-lz-data!!%%', 'corrupt'],
      [compressToEncodedURIComponent('alert(document.cookie)'), 'notJson'],
      [pack({ v: 1, files: [{ name: '<img src=x onerror=alert(1)>.yaml', text: 'a: 1' }] }), 'fileName'],
      [pack({ v: 1, files: [{ name: '<script>alert(1)</script>', text: 'a: 1' }] }), 'fileName'],
      [pack({ v: 1, files: Array.from({ length: 51 }, (_, i) => ({ name: `f${i}.yaml`, text: '' })) }), 'tooManyFiles'],
      [pack({ v: 1, files: [{ name: 'a.yaml', text: 'a: 1' }], packet: { from: 'javascript:alert(1)', to: '1.2.3.4:80', path: 0, step: 0 } }), 'schema'],
      [pack({ v: 99, files: [] }), 'version'],
    ];
    // Pasted into the open page's address bar.
    for (const [payload, reason] of crafted) {
      await page.evaluate(() => { (document.querySelector('[data-testid="share-refused"] button') as HTMLButtonElement | null)?.click(); });
      await page.evaluate((p) => { window.location.hash = `s=${p}`; }, payload);
      const notice = page.locator('[data-testid="share-refused"]');
      await expect.poll(() => notice.getAttribute('data-reason'), { timeout: 10_000 }).toBe(reason);
      expect(await notice.textContent()).toMatch(/^This shared link was refused: .*Your current work was kept\./);
      expect(await editorText(page)).toBe(mine);
      expect(new URL(page.url()).hash).toBe('');
    }
    expect(await page.locator('[data-testid="cluster-output"]').textContent()).toBe(output);
    expect(await page.locator('[data-testid="example-select"]').inputValue()).toBe('clusterip-demoapp');

    // Opened fresh, in Chinese: the message in Chinese, the saved work loaded.
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    await page.waitForTimeout(300);
    await page.goto(`${a.origin}/?lang=zh-CN#s=${crafted[3][0]}`, { waitUntil: 'load' });
    const notice = page.locator('[data-testid="share-refused"]');
    await expect.poll(() => notice.textContent(), { timeout: 20_000 }).toMatch(/^已拒绝这个分享链接：文件名不被允许.*当前的工作保持不变。/);
    await page.waitForFunction(() => /^已是最新/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, { timeout: 20_000 });
    await expect.poll(() => editorText(page)).toBe(mine);
    // The refused name is shown as text, never as markup.
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('HTML and script in a link\'s YAML and names are loaded as text, inert', async () => {
    const { page } = a;
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    const yaml = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "<img src=x onerror=window.__pwned=1>"',
      '  annotations:',
      '    note: "<script>window.__pwned=2</script>"',
      'spec:',
      '  ports:',
      '  - port: 80',
      '',
    ].join('\n');
    const payload = compressToEncodedURIComponent(JSON.stringify({ v: 1, example: 'x<script>', files: [{ name: 'evil.yaml', text: yaml }] }));
    // The example id does not fit the schema: refused as a whole.
    await page.goto(`${a.origin}/?lang=en#s=${payload}`, { waitUntil: 'load' });
    await expect.poll(() => page.locator('[data-testid="share-refused"]').getAttribute('data-reason'), { timeout: 20_000 }).toBe('schema');
    // Without it: loaded, and the API server's own validation error names the bad name, as text.
    const ok = compressToEncodedURIComponent(JSON.stringify({ v: 1, files: [{ name: 'evil.yaml', text: yaml }] }));
    await page.goto(`${a.origin}/?lang=en#s=${ok}`, { waitUntil: 'load' });
    await expect.poll(() => editorText(page), { timeout: 20_000 }).toBe(yaml);
    await expect.poll(() => page.locator('[data-testid="problems"]').textContent(), { timeout: 20_000 }).toContain('<img src=x onerror=window.__pwned=1>');
    expect(await page.locator('[data-testid="share-refused"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"], .app script').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('export: the cluster view as PNG and SVG, the trace as a Markdown table', async () => {
    const { page } = a;
    await page.goto(`${a.origin}/?lang=en`, { waitUntil: 'load' });
    await ready(page);
    await page.selectOption('[data-testid="example-select"]', 'nodeport-demoapp');
    await settle(page);
    expect(await page.locator('[data-testid="export-markdown"]').isDisabled()).toBe(true);
    const from = await page.locator('[data-testid="packet-from"] option').first().getAttribute('value');
    await page.click('[data-testid="packet-send"]');
    await page.waitForFunction(() => document.querySelector('.tl-count')?.textContent?.startsWith('1 / '), undefined, { timeout: 15_000 });
    await page.locator('#stage-heading').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const total = Number((await page.locator('.tl-count').textContent())!.split(' / ')[1]);

    const grab = async (id: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${id}"]`)]);
      return { name: download.suggestedFilename(), body: readFileSync((await download.path())!) };
    };
    const png = await grab('export-png');
    expect(png.name).toBe('kubesim-step-3.png');
    expect(png.body.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const width = png.body.readUInt32BE(16);
    const height = png.body.readUInt32BE(20);
    const box = (await page.locator('.topo-stage').boundingBox())!;
    expect(width).toBe(Math.round(Math.round(box.width) * 2));
    expect(height).toBeGreaterThan(Math.round(box.height) * 2);

    const svg = await grab('export-svg');
    const text = svg.body.toString('utf8');
    expect(svg.name).toBe('kubesim-step-3.svg');
    expect(text).toMatch(/^<\?xml[^>]*>\n<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).toContain('demoapp-svc');
    expect(text).toContain('<image href="data:image/png;base64,');
    expect(text).toContain(`3/${total}`);
    expect(text).not.toMatch(/class="/);

    const md = await grab('export-markdown');
    const lines = md.body.toString('utf8').split('\n');
    expect(md.name).toBe('kubesim-trace.md');
    expect(lines[0]).toBe(`## KubeSim trace: ${from} → ${(await page.locator('[data-testid="packet-to"]').inputValue()).replace(/\/tcp$/, '')} (tcp)`);
    expect(lines).toContain('| step | node | hook / chain | rule | verdict | packet before → after |');
    expect(lines.filter((l) => /^\| (\*\*)?\d/.test(l))).toHaveLength(total);
    expect(lines.some((l) => l.startsWith('| **3** |'))).toBe(true);
    expect(a.offOrigin).toEqual([]);
  });
});
