// One YAML, three dataplanes: the same connection through iptables, IPVS and nftables mode,
// and what its first packet costs in each. iptables walks KUBE-SERVICES rule by rule, so its
// cost grows with the number of Services; IPVS and nftables look the Service up.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index';
import { course, yamlFile } from './helpers';
import { deploymentsAndServices } from '../bench/scenarios';

function services(n: number): Simulation {
  return Simulation.load([yamlFile('many.yaml', deploymentsAndServices(n, 1))]);
}

/** The last Service (its rule is last in KUBE-SERVICES), and the node its one pod runs on. */
function lastService(sim: Simulation): { to: string; node: string } {
  const snap = sim.snapshot();
  const svc = snap.services.filter((s) => s.metadata.name.startsWith('svc-')).sort((a, b) => Number(a.metadata.name.slice(4)) - Number(b.metadata.name.slice(4))).pop()!;
  const pod = snap.pods.find((p) => p.metadata.labels?.app === svc.spec!.selector!.app)!;
  return { to: `${svc.spec!.clusterIP}:80`, node: pod.spec!.nodeName! };
}

describe('compareModes', () => {
  it('traces one connection in each mode to the same Service, without changing the cluster', () => {
    const sim = Simulation.load([course('12')]);
    const snap = sim.snapshot();
    const ip = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
    const pod = snap.pods.find((p) => p.metadata.labels?.app === 'web')!;
    const endpoints = snap.pods.filter((p) => p.metadata.labels?.app === 'web').map((p) => `${p.status!.podIP}:80`);
    const save = () => sim.exec('iptables-save -c', { kind: 'node', node: 'node1' }).stdout.replace(/^# .*\n/gm, '');
    const before = save();
    const r = sim.compareModes({ from: `pod/default/${pod.metadata.name}`, to: `${ip}:80` });
    expect(r.map((m) => m.mode)).toEqual(['iptables', 'ipvs', 'nftables']);
    for (const m of r) {
      expect(endpoints).toContain(m.endpoint);
      expect(m.evaluated).toBeGreaterThan(0);
      if ('error' in m.trace) throw new Error(m.trace.error);
    }
    const kinds = (i: number) => new Set(('error' in r[i].trace ? [] : r[i].trace.paths[0].hops).map((h) => (h.kind === 'netfilter' ? h.table : h.kind)));
    expect(kinds(0).has('nat')).toBe(true);
    expect(kinds(1).has('ipvs')).toBe(true);
    expect(kinds(2).has('ip kube-proxy')).toBe(true);
    expect(sim.snapshot().config.kubeProxy.mode).toBe('iptables');
    expect(save()).toBe(before);
  });

  it('iptables\' cost grows with the Services; IPVS and nftables stay flat', () => {
    const cost = (n: number) => {
      const sim = services(n);
      // From the node its endpoint runs on: the same path in both clusters, only the lists differ.
      const { to, node } = lastService(sim);
      return Object.fromEntries(sim.compareModes({ from: `node/${node}`, to }).map((m) => [m.mode, m.evaluated]));
    };
    const small = cost(10);
    const big = cost(300);
    // Where a Service's rule sits in KUBE-SERVICES varies; on average it is halfway down.
    expect(big.iptables - small.iptables).toBeGreaterThan(150);
    expect(big.ipvs).toBe(small.ipvs);
    expect(big.nftables).toBe(small.nftables);
  });
});
