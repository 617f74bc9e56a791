// "First the DNS query, then the connection": a trace to NAME:PORT starts with the client's
// resolver — the search-list attempts and their rcodes, then the answering query as a UDP
// datagram to the kube-dns ClusterIP, through KUBE-SERVICES and the dns port's KUBE-SVC chain
// to a CoreDNS pod and back — and goes on to the address it got.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/index';
import type { TraceResult } from '../../src/sim/network/trace';
import type { DnsHop, Hop, NetfilterHop } from '../../src/sim/network/trace-types';
import { course } from './helpers';

function trace(sim: Simulation, from: string, to: string, extra: object = {}): TraceResult {
  const r = sim.trace({ from, to, allPaths: true, ...extra });
  if ('error' in r) throw new Error(r.error);
  return r;
}

const isDns = (h: Hop): h is DnsHop => h.kind === 'dns';

describe('a connection by name', () => {
  const sim = Simulation.load([course('12')]);
  const snap = sim.snapshot();
  const web = snap.pods.filter((p) => p.metadata.labels?.app === 'web');
  const client = `pod/default/${web[0].metadata.name}`;
  const svcIP = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!.spec!.clusterIP!;
  const dnsIP = snap.services.find((s) => s.metadata.name === 'kube-dns')!.spec!.clusterIP!;
  const corednsIPs = snap.pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns').map((p) => p.status!.podIP!);

  it('resolves through the pod\'s search list, then connects to the ClusterIP: the same paths as by address', () => {
    const byName = trace(sim, client, 'demoapp-svc:80');
    const byIP = trace(sim, client, `${svcIP}:80`);
    expect(byName.dns).toMatchObject({ name: 'demoapp-svc', nameserver: dnsIP, search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5, address: svcIP });
    // glibc: A and AAAA for the first candidate, which answers.
    expect(byName.dns!.queries.map((q) => `${q.qtype} ${q.qname} ${q.rcode}`)).toEqual([
      'A demoapp-svc.default.svc.cluster.local. NOERROR',
      'AAAA demoapp-svc.default.svc.cluster.local. NOERROR',
    ]);
    expect(byName.paths.map((p) => p.probability)).toEqual(byIP.paths.map((p) => p.probability));
    byName.paths.forEach((p, i) => {
      expect(p.hops.slice(byName.dns!.hops)).toEqual(byIP.paths[i].hops);
      expect(p.final).toEqual(byIP.paths[i].final);
    });
  });

  it('sends the query as a UDP datagram to kube-dns: KUBE-SERVICES → the dns port\'s KUBE-SVC → DNAT to a CoreDNS pod, and back', () => {
    const t = trace(sim, client, 'demoapp-svc:80');
    const lookup = t.paths[0].hops.slice(0, t.dns!.hops);
    expect(lookup[0]).toMatchObject({ kind: 'dns', stage: 'query', packet: { src: web[0].status!.podIP, dst: dnsIP, dport: 53 } });
    const nf = lookup.filter((h): h is NetfilterHop => h.kind === 'netfilter');
    const svcRule = nf.find((h) => h.chain === 'KUBE-SERVICES' && h.verdict.startsWith('JUMP:KUBE-SVC-'))!;
    expect(svcRule.rule).toContain(`-d ${dnsIP}/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53`);
    const dnat = nf.find((h) => /-j DNAT/.test(h.rule ?? ''))!;
    expect(corednsIPs).toContain(dnat.after.dst);
    expect(dnat.after.dport).toBe(53);
    const delivered = lookup.find((h) => h.kind === 'deliver' && h.direction === 'request')!;
    expect(delivered).toMatchObject({ to: expect.stringMatching(/^pod\/kube-system\/coredns-/) });
    // The reply comes back de-NATed from the ClusterIP, then the resolver has its answer.
    const answer = lookup[lookup.length - 2] as DnsHop;
    expect(answer).toMatchObject({ kind: 'dns', stage: 'answer', direction: 'reply', packet: { src: dnsIP, sport: 53 } });
    expect(answer.query.answer).toEqual([expect.objectContaining({ type: 'A', data: svcIP })]);
    expect(lookup[lookup.length - 1]).toMatchObject({ kind: 'dns', stage: 'attempt', query: { qtype: 'AAAA', rcode: 'NOERROR', answer: [] } });
  });

  it('tries the cluster suffixes first for an outside name (ndots:5), each NXDOMAIN, then the name itself', () => {
    const t = trace(sim, client, 'www.baidu.com:80');
    const steps = t.paths[0].hops.filter(isDns).map((h) => `${h.stage} ${h.query.qtype} ${h.query.qname} ${h.query.rcode}`);
    expect(steps).toEqual([
      'attempt A www.baidu.com.default.svc.cluster.local. NXDOMAIN',
      'attempt AAAA www.baidu.com.default.svc.cluster.local. NXDOMAIN',
      'attempt A www.baidu.com.svc.cluster.local. NXDOMAIN',
      'attempt AAAA www.baidu.com.svc.cluster.local. NXDOMAIN',
      'attempt A www.baidu.com.cluster.local. NXDOMAIN',
      'attempt AAAA www.baidu.com.cluster.local. NXDOMAIN',
      'query A www.baidu.com. NOERROR',
      'answer A www.baidu.com. NOERROR',
      'attempt AAAA www.baidu.com. NOERROR',
    ]);
    const answer = t.paths[0].hops.filter(isDns).find((h) => h.stage === 'answer')!;
    expect(answer.query.answer.map((r) => r.type)).toEqual(['CNAME', 'A', 'A']);
    expect(t.dns!.address).toBe(answer.query.answer[1].data);
    expect(t.paths[0].final).toMatchObject({ result: 'delivered', at: `external/${t.dns!.address}` });
  });

  it('says what curl says when the name does not resolve, with the attempts as the whole path', () => {
    const t = trace(sim, client, 'no-such-svc:80');
    expect(t.dns!.address).toBeNull();
    expect(t.paths).toHaveLength(1);
    expect(t.paths[0].final).toMatchObject({ result: 'unreachable', reason: 'Could not resolve host: no-such-svc' });
    expect(t.paths[0].hops.filter(isDns).every((h) => h.query.rcode === 'NXDOMAIN')).toBe(true);
  });

  it('uses the node\'s own resolver on a node (not cluster DNS): no datagram through the rules, the name does not resolve', () => {
    const t = trace(sim, 'node/node1', 'demoapp-svc:80');
    expect(t.dns!.nameserver).not.toBe(dnsIP);
    expect(t.dns!.address).toBeNull();
    expect(t.paths[0].hops.every(isDns)).toBe(true);
  });

  it('refuses a name from the outside client (it has no cluster resolver)', () => {
    expect(sim.trace({ from: 'external/203.0.113.10', to: 'demoapp-svc:80', allPaths: true })).toMatchObject({ error: expect.stringContaining('no cluster resolver') });
  });

  it('samples connections by name (--count): the tally is of the connections, the lookup counted once', () => {
    const s2 = Simulation.load([course('12')]);
    const t = s2.trace({ from: client, to: 'demoapp-svc.default.svc.cluster.local:80', count: 300, seed: 3 });
    if ('error' in t) throw new Error(t.error);
    expect(Object.values(t.tally!).reduce((a, b) => a + b, 0)).toBe(300);
    expect(Object.keys(t.tally!).sort()).toEqual(web.map((p) => `${p.status!.podIP}:80`).sort());
    // The kube-dns dns rule counted the one datagram; demoapp-svc's the 300 connections.
    const rules = s2.exec('iptables -t nat -S KUBE-SERVICES -v', { kind: 'node', node: web[0].spec!.nodeName! }).stdout.split('\n');
    expect(rules.find((l) => l.includes('kube-system/kube-dns:dns cluster IP'))).toMatch(/ -c 1 \d+ -j /);
    expect(rules.find((l) => l.includes('default/demoapp-svc cluster IP'))).toMatch(/ -c 300 \d+ -j /);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(trace(sim, client, 'www.baidu.com:80'))).toBe(JSON.stringify(trace(sim, client, 'www.baidu.com:80')));
  });

  it('property: every Service with a ClusterIP is reached by its FQDN from any pod', () => {
    const services = snap.services.filter((s) => s.spec?.clusterIP && s.spec.clusterIP !== 'None');
    // Pods on the cluster DNS (CoreDNS itself runs with dnsPolicy: Default, on its node's resolver).
    const pods = snap.pods.filter((p) => p.status?.podIP && !p.spec?.hostNetwork && (p.spec?.dnsPolicy ?? 'ClusterFirst') === 'ClusterFirst');
    fc.assert(fc.property(fc.constantFrom(...services), fc.constantFrom(...pods), (svc, pod) => {
      const port = svc.spec!.ports![0];
      const t = sim.trace({ from: `pod/${pod.metadata.namespace}/${pod.metadata.name}`, to: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:${port.port}`, proto: (port.protocol ?? 'TCP').toLowerCase() as 'tcp', allPaths: true });
      if ('error' in t) throw new Error(t.error);
      expect(t.dns!.address).toBe(svc.spec!.clusterIP);
      expect(t.to).toBe(`${svc.spec!.clusterIP}:${port.port}`);
    }), { numRuns: 40 });
  });
});
