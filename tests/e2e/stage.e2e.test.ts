// The stage in Chromium, checked against the simulator itself: send a packet pod →
// ClusterIP and step through it forward and back — at every hop the inspector's packet and
// the dataplane's highlighted rule must be what the trace says; external → NodePort;
// hairpin shows the 0x4000 mark and MASQUERADE; the statistics converge; the language
// switch changes the stage; axe finds no serious violations. Screenshots go to docs/.
//
// Run `npm run build` first. Skipped loudly without dist/ or Chromium, except under CI.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXAMPLES, Simulation } from '../../src/sim/index';
import type { TraceResult } from '../../src/sim/network/trace';
import type { NetfilterHop } from '../../src/sim/network/trace-types';
import { REPO_ROOT, describeInBrowser, openAppSession, type AppSession } from './browser';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');

/** The same cluster the page builds (same example, same seed). */
function oracle(exampleId: string): Simulation {
  return Simulation.load(EXAMPLES.find((e) => e.id === exampleId)!.files);
}

function trace(sim: Simulation, from: string, to: string): TraceResult {
  const t = sim.trace({ from, to, allPaths: true });
  if ('error' in t) throw new Error(t.error);
  return t;
}

describeInBrowser('the stage (dist/ in Chromium)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ viewport: { width: 1600, height: 1200 }, locale: 'en-US' });
  }, 30_000);

  afterAll(async () => {
    await s?.close();
  });

  async function open(exampleId: string): Promise<void> {
    const { page } = s;
    await page.goto(`${s.origin}/?lang=en`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="packet-send"]:not([disabled])', { timeout: 20_000 });
    const select = page.locator('select').filter({ has: page.locator(`option[value="${exampleId}"]`) }).first();
    if ((await select.inputValue()) !== exampleId) {
      await select.selectOption(exampleId);
      await page.waitForTimeout(300);
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 20_000 });
  }

  async function send(from: string, to: string, steps: number): Promise<void> {
    const { page } = s;
    await page.selectOption('[data-testid="packet-from"]', from);
    await page.fill('[data-testid="packet-to"]', to);
    await page.click('[data-testid="packet-send"]');
    await page.waitForFunction((n) => document.querySelector('.tl-count')?.textContent === `1 / ${n}`, steps, { timeout: 15_000 });
    await page.locator('#stage-heading').click(); // focus out of the form: arrow keys step
  }

  async function shownStep(): Promise<number> {
    return Number((await s.page.locator('.tl-count').textContent())!.split(' / ')[0]) - 1;
  }

  async function inspectorAfter(): Promise<Record<string, string>> {
    return s.page.$$eval('table.insp-packet tbody tr:not(.insp-ct)', (rows) => Object.fromEntries(rows.map((r) => [r.querySelector('th')!.textContent!.trim(), r.querySelectorAll('td')[2]!.textContent!.replace(/changed|已变化|变化/g, '').trim()])));
  }

  it('pod → ClusterIP: every hop forward and back shows the trace\'s packet and the rule being evaluated', async () => {
    await open('clusterip-demoapp');
    const sim = oracle('clusterip-demoapp');
    const snap = sim.snapshot();
    const pod = snap.pods.find((p) => p.metadata.name.startsWith('demoapp'))!;
    const ip = snap.services.find((x) => x.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
    const t = trace(sim, `pod/default/${pod.metadata.name}`, `${ip}:80`);
    const hops = t.paths[0].hops;
    await send(`pod/default/${pod.metadata.name}`, `${ip}:80`, hops.length);
    await s.page.click('[data-testid="stage-tab-dataplane"]');
    const check = async (k: number) => {
      expect(await shownStep()).toBe(k);
      const h = hops[k];
      if (h.kind === 'netfilter') {
        const after = await inspectorAfter();
        expect(after).toMatchObject({ src: h.after.src, sport: String(h.after.sport), dst: h.after.dst, dport: String(h.after.dport), mark: h.after.mark });
        const current = s.page.locator('.flow-rule[aria-current="true"] .flow-rule-text');
        await expect.poll(async () => (await current.count()) > 0 ? current.first().textContent() : null, { timeout: 5_000 })
          .toBe(h.rule ?? `-P ${h.chain} ${h.verdict.replace('POLICY:', '')}`);
      }
    };
    for (let k = 0; k < hops.length; k++) {
      await check(k);
      if (k < hops.length - 1) await s.page.keyboard.press('ArrowRight');
    }
    // Back three steps: everything is as it was.
    for (let k = hops.length - 1; k > hops.length - 4; k--) await s.page.keyboard.press('ArrowLeft');
    await check(hops.length - 4);
    const dnat = hops.findIndex((h) => h.kind === 'netfilter' && (h as NetfilterHop).rule?.includes('-j DNAT'));
    expect(dnat).toBeGreaterThan(0);
    mkdirSync(SHOTS, { recursive: true });
    await s.page.keyboard.press('Home');
    for (let k = 0; k < dnat; k++) await s.page.keyboard.press('ArrowRight');
    await s.page.locator('[data-testid="stage"]').screenshot({ path: join(SHOTS, 'stage-dataplane.png') });
    await s.page.click('[data-testid="stage-tab-cluster"]');
    await s.page.waitForTimeout(600);
    await s.page.locator('[data-testid="stage"]').screenshot({ path: join(SHOTS, 'stage-cluster.png') });
  });

  it('hairpin: a pod reaching its own Service is marked 0x4000 and MASQUERADEd', async () => {
    const sim = oracle('clusterip-demoapp');
    const snap = sim.snapshot();
    const pod = snap.pods.find((p) => p.metadata.name.startsWith('demoapp'))!;
    const ip = snap.services.find((x) => x.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
    const t = trace(sim, `pod/default/${pod.metadata.name}`, `${ip}:80`);
    const self = t.paths.findIndex((p) => p.final.endpoint === `${pod.status!.podIP}:80`);
    expect(self).toBeGreaterThanOrEqual(0);
    await s.page.selectOption('.tl-path select', String(self));
    const events = await s.page.locator('.tl-events').textContent();
    expect(events).toContain('0x4000');
    expect(events).toContain('MASQUERADE');
  });

  it('by name: the DNS query goes first (through kube-dns to CoreDNS), its answer shows in the inspector, then the connection', async () => {
    const sim = oracle('clusterip-demoapp');
    const pod = sim.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp'))!;
    const from = `pod/default/${pod.metadata.name}`;
    const t = trace(sim, from, 'www.baidu.com:80');
    const hops = t.paths[0].hops;
    await send(from, 'www.baidu.com:80', hops.length);
    // Step 1: the first search-list attempt, and its NXDOMAIN.
    await expect.poll(() => s.page.locator('.insp-dns').textContent()).toContain('www.baidu.com.default.svc.cluster.local.');
    expect(await s.page.locator('.insp-dns-message').textContent()).toContain('status: NXDOMAIN');
    // The DNS filter keeps the resolver's steps in the event list.
    await s.page.getByRole('button', { name: 'DNS', exact: true }).click();
    const answer = hops.findIndex((h) => h.kind === 'dns' && h.stage === 'answer');
    expect(answer).toBeGreaterThan(0);
    await s.page.locator('#stage-heading').click();
    await s.page.keyboard.press('Home');
    for (let k = 0; k < answer; k++) await s.page.keyboard.press('ArrowRight');
    expect(await shownStep()).toBe(answer);
    const message = await s.page.locator('.insp-dns-message').textContent();
    expect(message).toContain('status: NOERROR');
    expect(message).toContain('ANSWER SECTION:');
    expect(message).toContain(`A ${t.dns!.address}`);
    // Before the answer, the datagram went through the kube-dns Service's chain.
    const events = await s.page.locator('.tl-events').textContent();
    expect(events).toContain('DNS answer');
    await s.page.getByRole('button', { name: 'DNS', exact: true }).click();
    expect(await s.page.locator('.tl-events').textContent()).toContain('KUBE-SVC-TCOU7JCQXEZGVUNU');
    await s.page.locator('[data-testid="stage"]').screenshot({ path: join(SHOTS, 'stage-dns.png') });
  });

  it('proxy modes: switching to IPVS keeps the packet and shows the scheduler; the three modes side by side', async () => {
    const sim = oracle('clusterip-demoapp');
    const snap = sim.snapshot();
    const pod = snap.pods.find((p) => p.metadata.name.startsWith('demoapp'))!;
    const ip = snap.services.find((x) => x.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
    const from = `pod/default/${pod.metadata.name}`;
    await send(from, `${ip}:80`, trace(sim, from, `${ip}:80`).paths[0].hops.length);
    await s.page.click('[data-testid="mode-ipvs"]');
    await expect.poll(() => s.page.locator('.tl-events').textContent(), { timeout: 15_000 }).toContain('IPVS (rr)');
    await s.page.click('[data-testid="modes-compare"]');
    const rows = s.page.locator('[data-testid="modes-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const modes = await rows.evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-mode'), Number(r.getAttribute('data-evaluated'))]));
    expect(modes.map(([m]) => m)).toEqual(['iptables', 'ipvs', 'nftables']);
    for (const [, n] of modes) expect(n).toBeGreaterThan(0);
    await s.page.locator('[data-testid="modes"]').screenshot({ path: join(SHOTS, 'modes.png') });
    // nftables mode: the service-ips verdict map, with the element this packet matched.
    await s.page.click('[data-testid="mode-nftables"]');
    await expect.poll(() => s.page.locator('.tl-events').textContent(), { timeout: 15_000 }).toContain('ip kube-proxy');
    await s.page.click('[data-testid="stage-tab-dataplane"]');
    await s.page.locator('.tl-events').getByText('goto service-', { exact: false }).first().click();
    await expect.poll(() => s.page.locator('[data-testid="flow-nft-lookup"] .is-hit').count(), { timeout: 10_000 }).toBe(1);
    expect(await s.page.locator('[data-testid="flow-nft-lookup"] .is-hit').textContent()).toContain(`${ip} . tcp . 80 : goto service-`);
    await s.page.click('[data-testid="stage-tab-cluster"]');
    // Back to iptables for the tests that follow.
    await s.page.click('[data-testid="mode-iptables"]');
    await expect.poll(() => s.page.locator('.tl-events').textContent(), { timeout: 15_000 }).toContain('KUBE-SVC-');
  });

  it('external → NodePort reaches the pods, masqueraded', async () => {
    await open('nodeport-demoapp');
    const sim = oracle('nodeport-demoapp');
    const node1 = sim.snapshot().nodes.find((n) => n.metadata.name === 'node1')!.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
    const t = trace(sim, 'external/203.0.113.10', `${node1}:32000`);
    expect(t.paths.every((p) => p.final.result === 'delivered')).toBe(true);
    await send('external/203.0.113.10', `${node1}:32000`, t.paths[0].hops.length);
    expect(await s.page.locator('.tl-path select option').count()).toBe(t.paths.length);
    await s.page.keyboard.press('End');
    const events = await s.page.locator('.tl-events').textContent();
    expect(events).toContain('KUBE-NODEPORTS');
    expect(events).toContain('MASQUERADE');
    expect(await s.page.locator('.tl').textContent()).toContain('delivered');
  });

  it('statistics converge to the split', async () => {
    await s.page.selectOption('.stats select >> nth=0', '10000');
    await s.page.click('[data-testid="stats-send"]');
    await s.page.waitForSelector('[data-testid="stats-table"] tbody tr', { timeout: 15_000 });
    const rows = await s.page.$$eval('[data-testid="stats-table"] tbody tr', (rs) => rs.map((r) => [Number(r.getAttribute('data-observed')), Number(r.getAttribute('data-expected'))]));
    expect(rows).toHaveLength(3);
    for (const [observed, expected] of rows) expect(Math.abs(observed - expected)).toBeLessThan(0.03);
    await s.page.locator('.stats').screenshot({ path: join(SHOTS, 'statistics.png') });
  });

  it('switching the language changes the stage', async () => {
    await s.page.click('[data-testid="lang-switch"]');
    await expect.poll(() => s.page.locator('#stage-heading').textContent()).toBe('舞台');
    expect(await s.page.locator('.tl').textContent()).toMatch(/[\u4e00-\u9fff]/);
    await s.page.locator('[data-testid="stage"]').screenshot({ path: join(SHOTS, 'stage-zh.png') });
    await s.page.click('[data-testid="lang-switch"]');
  });

  it('axe finds no serious or critical accessibility violations', async () => {
    const r = await new AxeBuilder({ page: s.page }).exclude('.monaco-editor').analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  });

  it('nothing left the page\'s origin and no errors were logged', () => {
    expect(s.offOrigin).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
