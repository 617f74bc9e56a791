// The pure modules behind the dataplane view, the inspector and the timeline, checked against
// real traces and real kube-proxy rulesets from the simulator: the glossary explains every
// token of every rule (in both languages), the animation clock is a pure, monotonic function
// of time, and the step helpers (chain stack, rule states, statistic fork, summaries) read
// traces the way the kernel walked them.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulation, EXAMPLES } from '../../src/sim/index';
import type { Trace, TracePath, NetfilterHop } from '../../src/sim/network/trace-types';
import { explainChain, explainRule, tokenize, unknownToken } from '../../src/app/inspector/glossary';
import { advance, frameAt, initialClock, pathDuration, seekStep, stepTimes, timeOfStep, type ClockState } from '../../src/app/timeline/clock';
import {
  cellExists, chainStack, changesOf, ctState, fraction, gridCells, hopCategory, hopLabel, narrate, pathLabel, percent,
  ruleStates, statisticFork, stepSummary, visitAt,
} from '../../src/app/flow/steps';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (f: string) => ({ name: f, text: readFileSync(path.join(root, 'tests/fixtures/kube-proxy', f), 'utf8') });

function example(id: string) {
  const e = EXAMPLES.find((x) => x.id === id);
  if (!e) throw new Error(`no example ${id}`);
  return e.files;
}

function trace(sim: Simulation, from: string, to: string): Trace {
  const r = sim.trace({ from, to, allPaths: true });
  if ('error' in r) throw new Error(r.error);
  return r;
}

const svcIP = (sim: Simulation, name: string) => sim.snapshot().services.find((s) => s.metadata.name === name)!.spec!.clusterIP!;

/** Every `-A` line `iptables-save` prints on `node`. */
function ruleLines(sim: Simulation, node: string): string[] {
  const r = sim.exec('iptables-save', { kind: 'node', node });
  expect(r.exitCode).toBe(0);
  return r.stdout.split('\n').filter((l) => l.startsWith('-A '));
}

describe('glossary', () => {
  const rulesets: [string, string[]][] = [];
  for (const version of ['1.31', '1.23']) {
    for (const id of ['clusterip-demoapp', 'nodeport-demoapp', 'metallb']) {
      const sim = Simulation.load(example(id), { kubeProxyVersion: version });
      rulesets.push([`${id} v${version}`, ruleLines(sim, 'node1')]);
    }
    // LoadBalancer source ranges + ClientIP affinity (-m recent), health-check ports, nfacct.
    const s05 = Simulation.load([fixture('test-node.yaml'), fixture('s05-lb-source-ranges-affinity.yaml'), fixture('s04b-lb-etp-local-with-local-endpoint.yaml')], { kubeProxyVersion: version });
    rulesets.push([`s05+s04b v${version}`, ruleLines(s05, 'test-node')]);
    const s08 = Simulation.load([fixture('test-node.yaml'), fixture('s08-nodeports.yaml'), fixture('s07-no-endpoints.yaml')], { kubeProxyVersion: version });
    rulesets.push([`s08+s07 v${version}`, ruleLines(s08, 'test-node')]);
  }

  it('the rulesets exercise the features the inspector has to explain', () => {
    const all = rulesets.flatMap(([, ls]) => ls).join('\n');
    for (const w of ['-m statistic', '-m recent', '--rcheck', '--reap', '--set ', '-m addrtype', '--dst-type LOCAL', '-m mark', '--set-xmark', '-j DNAT', '-j MASQUERADE --random-fully', '-j REJECT', '--reject-with', '! -s', '-m conntrack', 'KUBE-SEP-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-XLB-', 'KUBE-SVL-', '-m nfacct']) {
      expect(all, w).toContain(w);
    }
  });

  it.each(rulesets.map(([name, lines]) => [name, lines] as const))('explains every token of every rule in %s, in both languages', (_name, lines) => {
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      const ex = explainRule(line);
      // The tokens cover the words of the line, in order.
      const covered = new Array<boolean>(line.length).fill(false);
      for (const t of ex) for (let k = t.start; k < t.end; k++) covered[k] = true;
      for (let k = 0; k < line.length; k++) if (line[k] !== ' ') expect(covered[k], `${line} @${k}`).toBe(true);
      expect(ex.map((t) => line.slice(t.start, t.end))).toEqual(ex.map((t) => t.raw));
      for (const t of ex) {
        expect(t.known, `${line}\n  token ${t.raw}`).toBe(true);
        expect(t.en.length, t.raw).toBeGreaterThan(3);
        expect(t.zh.length, t.raw).toBeGreaterThan(3);
        expect(t.zh, `zh for ${t.raw} has Chinese`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('tokenises quoted comments and double spaces the way iptables-restore does', () => {
    const line = '-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns1/svc1:p80" -m tcp --dport 3001 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-XPGD46QRK7WJZT7O';
    const toks = tokenize(line);
    const c = toks.find((t) => t.quoted)!;
    expect(c.text).toBe('ns1/svc1:p80');
    expect(line.slice(c.start, c.end)).toBe('"ns1/svc1:p80"');
    expect(toks.map((t) => t.text)).toContain('localhost_nps_accepted_pkts');
    const spaced = tokenize('-A X -m comment --comment "a b  c" -j ACCEPT');
    expect(spaced.map((t) => t.text)).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'a b  c', '-j', 'ACCEPT']);
  });

  it('explains values in context: negated source, mark bits, probabilities, chain prefixes', () => {
    const svc = explainRule('-A KUBE-SVC-EHL433DY3T7P3MZN ! -s 10.244.0.0/16 -d 10.106.167.230/32 -p tcp -m comment --comment "default/demoapp-svc cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ');
    expect(svc[0].role).toBe('command');
    expect(svc[1].role).toBe('chain');
    expect(svc[1].en).toMatch(/Service chain/);
    expect(svc[2].role).toBe('negation');
    const src = svc.find((t) => t.text === '10.244.0.0/16')!;
    expect(src.en).toMatch(/OUTSIDE/);
    expect(src.en).toMatch(/65,536/);
    expect(svc.find((t) => t.text === 'KUBE-MARK-MASQ')!.en).toMatch(/0x4000/);
    const stat = explainRule('-A KUBE-SVC-X -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-Y');
    expect(stat.find((t) => t.text === '0.33333333349')!.en).toMatch(/1\/3/);
    expect(stat.find((t) => t.text === 'KUBE-SEP-Y')!.zh).toMatch(/端点/);
    const clear = explainRule('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0');
    expect(clear[clear.length - 1].en).toMatch(/XOR|clears/);
    const set = explainRule('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
    expect(set[set.length - 1].en).toMatch(/set the bit/);
    for (const p of ['KUBE-SVC-A', 'KUBE-SEP-A', 'KUBE-EXT-A', 'KUBE-SVL-A', 'KUBE-FW-A', 'KUBE-XLB-A', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING', 'KUBE-NODEPORTS']) {
      expect(explainChain(p).known, p).toBe(true);
    }
    const pol = explainRule('-P FORWARD DROP');
    expect(pol.every((t) => t.known)).toBe(true);
  });

  it('falls back explicitly, in both languages, for words it does not know', () => {
    const ex = explainRule('-A FOO -m frobnicate --wibble 3 -j BAR');
    const byText = new Map(ex.map((t) => [t.text, t]));
    expect(byText.get('FOO')!.known).toBe(false);
    expect(byText.get('frobnicate')!.known).toBe(false);
    expect(byText.get('--wibble')!.known).toBe(false);
    expect(byText.get('3')!.known).toBe(false);
    expect(byText.get('BAR')!.known).toBe(false);
    expect(byText.get('-m')!.known).toBe(true);
    expect(byText.get('--wibble')!.en).toBe(unknownToken('--wibble').en);
    expect(byText.get('--wibble')!.zh).toBe(unknownToken('--wibble').zh);
    expect(unknownToken('x').en).toMatch(/No explanation/);
    expect(unknownToken('x').zh).toMatch(/暂无/);
    // A stray word where no option expects one is also unknown, not silently skipped.
    expect(explainRule('-A KUBE-SERVICES stray').map((t) => t.known)).toEqual([true, true, false]);
  });
});

describe('clock', () => {
  const sim = Simulation.load(example('clusterip-demoapp'));
  const ip = svcIP(sim, 'demoapp-svc');
  const t = trace(sim, 'node/node1', `${ip}:80`);

  it('frameAt is monotonic in time and covers every step exactly once', () => {
    for (let p = 0; p < t.paths.length; p++) {
      const n = t.paths[p].hops.length;
      const end = pathDuration(t, p);
      let last = { step: 0, t: 0 };
      const seen = new Set<number>();
      for (let ms = -100; ms <= end + 100; ms += 37) {
        const f = frameAt(t, p, ms);
        expect(f.step).toBeGreaterThanOrEqual(0);
        expect(f.step).toBeLessThan(n);
        expect(f.t).toBeGreaterThanOrEqual(0);
        expect(f.t).toBeLessThanOrEqual(1);
        expect(f.step > last.step || (f.step === last.step && f.t >= last.t)).toBe(true);
        seen.add(f.step);
        last = f;
      }
      expect(seen.size).toBe(n);
      expect(frameAt(t, p, end)).toEqual({ step: n - 1, t: 1 });
      expect(frameAt(t, p, Number.NaN)).toEqual({ step: 0, t: 0 });
    }
  });

  it('timeOfStep is the inverse of frameAt; stepping back restores the earlier frame', () => {
    const p = 1;
    const n = t.paths[p].hops.length;
    for (let s = 0; s < n; s++) expect(frameAt(t, p, timeOfStep(t, p, s))).toEqual({ step: s, t: 0 });
    let c = seekStep(initialClock(t, p), t, p, 5);
    const at5 = frameAt(t, p, c.timeMs);
    c = seekStep(c, t, p, 6);
    c = seekStep(c, t, p, frameAt(t, p, c.timeMs).step - 1);
    expect(frameAt(t, p, c.timeMs)).toEqual(at5);
    expect(stepTimes(t, p)).toHaveLength(n + 1);
  });

  it('advance moves forward by dt × speed, never backwards, and stops at the end', () => {
    const p = 0;
    let c: ClockState = { ...initialClock(t, p, 0, 2), playing: true };
    const paused = { ...c, playing: false };
    expect(advance(paused, 1000)).toBe(paused);
    const c1 = advance(c, 100);
    expect(c1.timeMs).toBeCloseTo(200, 9);
    expect(c).not.toBe(c1); // pure: a new state, the old one untouched
    expect(c.timeMs).toBe(0);
    expect(advance(c, -50).timeMs).toBe(0);
    let prev = c;
    let frames = 0;
    while (c.playing && frames < 100_000) {
      c = advance(c, 16.7);
      expect(c.timeMs).toBeGreaterThanOrEqual(prev.timeMs);
      expect(frameAt(t, p, c.timeMs).step).toBeGreaterThanOrEqual(frameAt(t, p, prev.timeMs).step);
      prev = c;
      frames++;
    }
    expect(c.playing).toBe(false);
    expect(c.timeMs).toBe(pathDuration(t, p));
    // Speed is clamped to 0.1×–4×.
    expect(advance({ ...initialClock(t, p), playing: true, speed: 100 }, 10).timeMs).toBe(40);
    expect(advance({ ...initialClock(t, p), playing: true, speed: 0 }, 10).timeMs).toBeCloseTo(1, 9);
  });
});

describe('steps', () => {
  const sim = Simulation.load(example('clusterip-demoapp'));
  const ip = svcIP(sim, 'demoapp-svc');
  const fromNode = trace(sim, 'node/node1', `${ip}:80`);
  const nf = (p: TracePath) => p.hops.map((h, i) => [h, i] as const).filter((x): x is readonly [NetfilterHop, number] => x[0].kind === 'netfilter');

  it('the grid: cells that exist in the kernel, and the ones a path passes in order', () => {
    expect(cellExists('FORWARD', 'nat')).toBe(false);
    expect(cellExists('INPUT', 'raw')).toBe(false);
    expect(cellExists('PREROUTING', 'filter')).toBe(false);
    expect(cellExists('POSTROUTING', 'nat')).toBe(true);
    expect(cellExists('INPUT', 'nat')).toBe(true);
    const p = fromNode.paths[1];
    const dnat = nf(p).find(([h]) => h.rule?.includes('-j DNAT'))![1];
    const cells = gridCells(p, dnat);
    expect(cells.map((c) => `${c.hook}/${c.table}`)).toEqual(['OUTPUT/mangle', 'OUTPUT/nat', 'OUTPUT/filter', 'POSTROUTING/mangle', 'POSTROUTING/nat']);
    expect(cells.map((c) => c.state)).toEqual(['passed', 'current', 'ahead', 'ahead', 'ahead']);
    for (const c of cells) expect(cellExists(c.hook, c.table)).toBe(true);
    // On node2 (after the VXLAN hop) the visit starts over in PREROUTING.
    const onNode2 = p.hops.findIndex((h) => h.node !== 'node1');
    expect(visitAt(p, onNode2)!.node).toBe(p.hops[onNode2].node);
    expect(gridCells(p, onNode2)[0]).toMatchObject({ hook: 'PREROUTING', order: 1, state: 'current' });
  });

  it('the chain stack is the KUBE-* path from the built-in chain to the current rule', () => {
    const p = fromNode.paths[2];
    const dnat = nf(p).find(([h]) => h.rule?.includes('-j DNAT'))!;
    const stack = chainStack(p, dnat[1]);
    expect(stack.map((f) => f.chain.replace(/-[A-Z0-9]{16}$/, ''))).toEqual(['OUTPUT', 'KUBE-SERVICES', 'KUBE-SVC', 'KUBE-SEP']);
    // In KUBE-SVC, rule 0 (KUBE-MARK-MASQ) matched and returned; the two statistic rules did not.
    const pick = nf(p).find(([h]) => h.chain.startsWith('KUBE-SVC-') && h.verdict.startsWith('JUMP:KUBE-SEP-'))!;
    expect(pick[0].ruleIndex).toBe(3);
    expect(ruleStates(p, pick[1], 4)).toEqual(['matched', 'no-match', 'no-match', 'current']);
    // The SEP's first rule (hairpin masquerade) did not match the DNAT's packet.
    expect(ruleStates(p, dnat[1], 2)).toEqual(['no-match', 'current']);
    // A policy hop: every rule of the chain was evaluated.
    const policy = nf(p).find(([h]) => h.table === 'filter' && h.verdict === 'POLICY:ACCEPT')!;
    expect(ruleStates(p, policy[1], 3)).toEqual(['matched', 'matched', 'matched']);
    expect(chainStack(p, p.hops.findIndex((h) => h.kind === 'route'))).toEqual([]);
  });

  it('the statistic fork: 1/3, then 1/2 of the rest, then the remainder — 1/3 each', () => {
    const r = sim.exec('iptables -t nat -S', { kind: 'node', node: 'node1' });
    const svc = /-A (KUBE-SVC-\S+) .*demoapp-svc cluster IP/.exec(r.stdout)![1];
    const rules = r.stdout.split('\n').filter((l) => l.startsWith(`-A ${svc} `));
    const fork = statisticFork(rules);
    expect(fork).toHaveLength(3);
    expect(fork.map((b) => (b.conditional === null ? 'rest' : fraction(b.conditional)))).toEqual(['1/3', '1/2', 'rest']);
    for (const b of fork) expect(b.effective).toBeCloseTo(1 / 3, 6);
    expect(fork.reduce((s, b) => s + b.effective, 0)).toBeCloseTo(1, 9);
    expect(fork.map((b) => b.endpoint)).toEqual(fromNode.paths.map((p) => p.final.endpoint));
    expect(statisticFork(['-A X -j ACCEPT'])).toEqual([]);
    expect(percent(1 / 3)).toBe('33.3%');
    expect(percent(1)).toBe('100%');
    expect(fraction(0.25)).toBe('1/4');
    expect(fraction(0.3)).toBe('0.3');
  });

  it('changes, conntrack state and categories follow the packet', () => {
    const p = fromNode.paths[0];
    const mark = nf(p).find(([h]) => h.chain === 'KUBE-MARK-MASQ')!;
    expect(changesOf(mark[0])).toEqual([{ kind: 'MARK', from: '0x0', to: '0x4000' }]);
    const dnat = nf(p).find(([h]) => h.rule?.includes('-j DNAT'))!;
    expect(changesOf(dnat[0])).toEqual([{ kind: 'DNAT', from: `${ip}:80`, to: p.final.endpoint }]);
    expect(hopCategory(dnat[0])).toBe('nat');
    expect(ctState(p, dnat[1])).toBe('NEW');
    expect(ctState(p, dnat[1] + 1)).toBe('NEW,DNAT');
    const masq = nf(p).find(([h]) => h.rule?.includes('MASQUERADE'))!;
    expect(changesOf(masq[0])[0].kind).toBe('MASQUERADE');
    const ct = p.hops.findIndex((h) => h.kind === 'conntrack');
    expect(hopCategory(p.hops[ct])).toBe('conntrack');
    expect(ctState(p, ct)).toBe('ESTABLISHED');
    expect(hopCategory(p.hops.find((h) => h.kind === 'route')!)).toBe('routing');
    expect(hopCategory(nf(p)[0][0])).toBe('rule');
  });

  it('summaries, labels and narration exist in both languages for every hop of every path', () => {
    const podTrace = trace(sim, `pod/default/${sim.snapshot().pods[0].metadata.name}`, `${ip}:80`);
    const np = Simulation.load(example('nodeport-demoapp'));
    const ext = trace(np, 'external/192.168.122.1', '192.168.122.12:32000');
    for (const tr of [fromNode, podTrace, ext]) {
      tr.paths.forEach((p, pi) => {
        expect(pathLabel(tr, pi, 'en')).toMatch(new RegExp(`^path ${pi + 1} of ${tr.paths.length} · [0-9.]+% → `));
        expect(pathLabel(tr, pi, 'zh')).toMatch(/^路径 /);
        p.hops.forEach((h, i) => {
          for (const lang of ['en', 'zh'] as const) {
            expect(stepSummary(h, lang).length).toBeGreaterThan(3);
            expect(hopLabel(h, lang).length).toBeGreaterThan(1);
            expect(narrate(p, i, lang)).toContain(String(i + 1));
          }
          expect(stepSummary(h, 'zh')).toMatch(/[\u4e00-\u9fff]|→/);
        });
      });
    }
    const p = fromNode.paths[1];
    const dnat = nf(p).find(([h]) => h.rule?.includes('-j DNAT'))!;
    expect(stepSummary(dnat[0], 'en')).toBe(`DNAT: destination ${ip}:80 → 10.244.2.2:80`);
    expect(stepSummary(dnat[0], 'zh')).toBe(`DNAT：目的地址 ${ip}:80 → 10.244.2.2:80`);
    expect(pathLabel(fromNode, 1, 'en')).toBe('path 2 of 3 · 33.3% → 10.244.2.2:80');
    expect(narrate(p, dnat[1], 'en')).toMatch(/^Step 7 of \d+, request, node1 OUTPUT nat:KUBE-SEP-/);
  });
});
