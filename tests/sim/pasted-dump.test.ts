// A learner pastes their own node's `iptables-save` beside the YAML: that node then runs
// exactly those rules — shown by iptables, and walked by traces and curl.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index';
import type { TraceResult } from '../../src/sim/network/trace';
import type { NetfilterHop } from '../../src/sim/network/trace-types';
import { isIptablesDump } from '../../src/sim/netfilter/dump-files';
import { course } from './helpers';

const generated = Simulation.load([course('12')]);
const ip = generated.snapshot().services.find((s) => s.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
const save = generated.exec('iptables-save', { kind: 'node', node: 'node1' }).stdout;

/** node1's real-looking dump, edited the way an operator might: one endpoint removed by hand. */
function edited(): string {
  const lines = save.split('\n');
  const svc = lines.find((l) => l.startsWith('-A KUBE-SVC-') && l.includes('probability 0.33333333349'))!;
  const chain = svc.split(' ')[1];
  return lines
    .filter((l) => !(l.startsWith(`-A ${chain} `) && l.includes('probability 0.33333333349')))
    .map((l) => (l.startsWith(`-A ${chain} `) ? l.replace('--probability 0.50000000000', '--probability 0.25000000000') : l))
    .join('\n');
}

describe('a pasted iptables-save dump', () => {
  it('is told apart from YAML', () => {
    expect(isIptablesDump(save)).toBe(true);
    expect(isIptablesDump(generated.exec('iptables -t nat -S', { kind: 'node', node: 'node1' }).stdout)).toBe(true);
    expect(isIptablesDump(course('12').text)).toBe(false);
  });

  it('replaces the rules of the node its file is named after, and traces follow it', () => {
    const sim = Simulation.load([course('12'), { name: 'node1.iptables-save', text: edited() }]);
    expect(sim.ok).toBe(true);
    const nat = sim.exec('iptables -t nat -S', { kind: 'node', node: 'node1' }).stdout;
    expect(nat).toContain('--probability 0.25000000000');
    const t = sim.trace({ from: 'node/node1', to: `${ip}:80`, allPaths: true }) as TraceResult;
    expect(t.paths.map((p) => p.probability)).toEqual([0.25, 0.75]);
    const rules = t.paths[0].hops.filter((h): h is NetfilterHop => h.kind === 'netfilter').map((h) => h.rule ?? '');
    expect(rules.some((r) => r.includes('--probability 0.25000000000'))).toBe(true);
    // node2 still runs what kube-proxy would write.
    const t2 = sim.trace({ from: 'node/node2', to: `${ip}:80`, allPaths: true }) as TraceResult;
    expect(t2.paths).toHaveLength(3);
  });

  it('without a node name applies to every node; `iptables -t nat -S` output works too', () => {
    const natS = generated.exec('iptables -t nat -S', { kind: 'node', node: 'node1' }).stdout;
    const sim = Simulation.load([course('12'), { name: 'my-rules.txt', text: natS }]);
    const t = sim.trace({ from: 'node/node2', to: `${ip}:80`, allPaths: true }) as TraceResult;
    expect(t.paths).toHaveLength(3);
    expect(sim.exec('iptables -t nat -S', { kind: 'node', node: 'node3' }).stdout).toBe(natS);
  });

  it('reports unreadable lines with their place and keeps the rest', () => {
    const sim = Simulation.load([course('12'), { name: 'node1.iptables-save', text: edited().replace('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000', '-A KUBE-MARK-MASQ -j MARK --set-xmark') }]);
    const d = sim.diagnostics.find((x) => x.code === 'iptables.parse')!;
    expect(d.file).toBe('node1.iptables-save');
    expect(d.line).toBeGreaterThan(1);
    expect(d.message.zh).toContain('被跳过');
  });
});

describe('sampling through rules that match the source port', () => {
  it('walks every connection, so the tally is what the kernel would give', () => {
    const pod = generated.snapshot().pods.find((p) => p.metadata.name.startsWith('demoapp'))!.status!.podIP!;
    // Connections from ports 40000–40999 (the first 1,000 of 2,000) are sent straight to one pod, before kube-proxy's split.
    const text = save.replace('-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', `-A OUTPUT -d ${ip}/32 -p tcp -m tcp --sport 40000:40999 -j DNAT --to-destination ${pod}:80\n-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`);
    expect(text).not.toBe(save);
    const sim = Simulation.load([course('12'), { name: 'node1.iptables-save', text }]);
    const fast = sim.trace({ from: 'node/node1', to: `${ip}:80`, count: 2000, seed: 3 }) as TraceResult;
    const slow = sim.trace({ from: 'node/node1', to: `${ip}:80`, count: 2000, seed: 3, walkEveryConnection: true }) as TraceResult;
    expect(fast.tally).toEqual(slow.tally);
    expect(fast.tally![`${pod}:80`]).toBeGreaterThan(1200); // the first 1,000, plus about a third of the rest
    expect(fast.tally![`${pod}:80`]).toBeLessThan(1500);
  });
});
