// IPVS mode, walked: the ClusterIP is local (kube-ipvs0), so the packet goes up to INPUT where
// IPVS looks up the virtual server, its scheduler picks a real server and IPVS rewrites the
// destination; the few iptables rules of IPVS mode mark and masquerade around it.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/index';
import type { TraceResult } from '../../src/sim/network/trace';
import type { Hop, IpvsHop, NetfilterHop } from '../../src/sim/network/trace-types';
import { course } from './helpers';

function trace(sim: Simulation, from: string, to: string, extra: object = {}): TraceResult {
  const r = sim.trace({ from, to, allPaths: true, ...extra });
  if ('error' in r) throw new Error(r.error);
  return r;
}
const isIpvs = (h: Hop): h is IpvsHop => h.kind === 'ipvs';
const nf = (hops: Hop[]) => hops.filter((h): h is NetfilterHop => h.kind === 'netfilter');

describe('IPVS mode: the packet walk', () => {
  const sim = Simulation.load([course('12')], { proxyMode: 'ipvs' });
  const snap = sim.snapshot();
  const web = snap.pods.filter((p) => p.metadata.labels?.app === 'web').sort((a, b) => a.status!.podIP!.localeCompare(b.status!.podIP!));
  const ip = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
  const client = web.find((p) => p.spec?.nodeName === 'node2')!;
  const from = `pod/default/${client.metadata.name}`;

  it('pod → ClusterIP: one path; KUBE-CLUSTER-IP accepts in nat, IPVS (rr) picks a real server at LOCAL_IN and DNATs', () => {
    const t = trace(sim, from, `${ip}:80`);
    expect(t.paths).toHaveLength(1);
    const hops = t.paths[0].hops;
    const v = hops.find(isIpvs)!;
    expect(v).toMatchObject({ hook: 'LOCAL_IN', virtualServer: { proto: 'TCP', vip: ip, port: 80, scheduler: 'rr', service: 'default/demoapp-svc' }, before: { dst: ip, dport: 80 } });
    expect(v.decision.table.map((r) => r.ip)).toEqual(web.map((p) => p.status!.podIP).sort());
    expect(v.after.dst).toBe(v.decision.table[v.decision.index!].ip);
    expect(v.decision.why.en).toMatch(/^rr:/);
    const before = hops.slice(0, hops.indexOf(v));
    expect(nf(before).some((h) => h.chain === 'KUBE-SERVICES' && h.rule?.includes('--match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT'))).toBe(true);
    expect(before.some((h) => h.kind === 'route' && h.text.includes('kube-ipvs0'))).toBe(true);
    // No KUBE-SVC / KUBE-SEP chains in this mode: the choice is IPVS's.
    expect(nf(hops).some((h) => /^KUBE-(SVC|SEP)-/.test(h.chain))).toBe(false);
    expect(t.paths[0].final).toMatchObject({ result: 'delivered', endpoint: `${v.after.dst}:80` });
    // The reply comes back from the ClusterIP.
    expect(hops.find((h) => h.kind === 'conntrack' && h.action === 'reply-undo-dnat')).toMatchObject({ after: { src: ip, sport: 80 } });
  });

  it('a trace shows what the next connection would do and changes nothing; curl advances round robin', () => {
    const a = trace(sim, from, `${ip}:80`).paths[0].hops.find(isIpvs)!;
    const b = trace(sim, from, `${ip}:80`).paths[0].hops.find(isIpvs)!;
    expect(b.after.dst).toBe(a.after.dst);
    const s2 = Simulation.load([course('12')], { proxyMode: 'ipvs' });
    const where = { kind: 'pod' as const, namespace: 'default', pod: client.metadata.name };
    for (let i = 0; i < 3; i++) expect(s2.exec(`curl -s ${ip}`, where).exitCode).toBe(0);
    const list = s2.exec(`ipvsadm -Ln -t ${ip}:80`, { kind: 'node', node: 'node2' }).stdout;
    // Three short connections, one per real server (rr), each now in TIME_WAIT: InActConn 1.
    const rows = list.split('\n').filter((l) => l.includes('-> 10.244.'));
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toMatch(/Masq\s+1\s+0\s+1\s*$/);
  });

  it('sampled connections go round robin: an even tally', () => {
    const t = sim.trace({ from, to: `${ip}:80`, count: 300 });
    if ('error' in t) throw new Error(t.error);
    expect(Object.values(t.tally!).sort()).toEqual([100, 100, 100]);
  });

  it('hairpin: a pod that IPVS sends to itself is masqueraded by KUBE-LOOP-BACK', () => {
    // rr's first real is the lowest address: make the client be it.
    const first = web[0];
    const t = trace(sim, `pod/default/${first.metadata.name}`, `${ip}:80`);
    const v = t.paths[0].hops.find(isIpvs)!;
    expect(v.after.dst).toBe(first.status!.podIP);
    const masq = nf(t.paths[0].hops).find((h) => h.rule?.includes('KUBE-LOOP-BACK'));
    expect(masq).toBeDefined();
    expect(masq!.after.src).not.toBe(first.status!.podIP);
  });

  it('a node reaching a ClusterIP is scheduled at LOCAL_OUT and masqueraded (marked in nat OUTPUT)', () => {
    const t = trace(sim, 'node/node1', `${ip}:80`);
    const hops = t.paths[0].hops;
    const v = hops.find(isIpvs)!;
    expect(v.hook).toBe('LOCAL_OUT');
    expect(nf(hops).some((h) => h.chain === 'KUBE-MARK-MASQ')).toBe(true);
    expect(nf(hops).some((h) => h.rule?.includes('-j MASQUERADE'))).toBe(true);
    expect(t.paths[0].final.result).toBe('delivered');
  });

  it('external → NodePort: a virtual server on the node address; marked by KUBE-NODE-PORT and masqueraded', () => {
    const np = Simulation.load([course('13')], { proxyMode: 'ipvs' });
    const node1 = np.snapshot().nodes.find((n) => n.metadata.name === 'node1')!.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
    const t = trace(np, 'external/203.0.113.10', `${node1}:32000`);
    const hops = t.paths[0].hops;
    expect(hops.find(isIpvs)).toMatchObject({ hook: 'LOCAL_IN', virtualServer: { vip: node1, port: 32000, kind: 'nodePort' } });
    expect(nf(hops).some((h) => h.rule?.includes('KUBE-NODE-PORT-TCP'))).toBe(true);
    expect(nf(hops).some((h) => h.rule?.includes('-j MASQUERADE'))).toBe(true);
    expect(t.paths[0].final.result).toBe('delivered');
  });
});
