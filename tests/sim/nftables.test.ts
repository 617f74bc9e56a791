// kube-proxy's nftables mode: the `ip kube-proxy` table it writes (goldens checked against
// nft 1.0.6 in a network namespace by tests/kernel/nftables-conformance.test.ts), the `nft`
// shell command, and the interpreter that walks packets through the table.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Simulation } from '../../src/sim/index';
import { kubeProxyNftables, kubeProxyNftablesTables } from '../../src/sim/kube-proxy/nftables/index';
import { endpointBase, hashAndTruncate, servicePortBase } from '../../src/sim/kube-proxy/nftables/naming';
import { kubeletNftTables } from '../../src/sim/kube-proxy/nftables/kubelet';
import { formatNftDuration, printNftRuleset, printNftTable, priorityText, sortNftElements } from '../../src/sim/nftables/print';
import { parseNftListing, parseNftDuration, parsePriority } from '../../src/sim/nftables/listing';
import { parseNftRule } from '../../src/sim/nftables/parse';
import { traverseNftHook, type NftEnv, type NftOutcome } from '../../src/sim/nftables/interpret';
import type { NftHook, NftTable } from '../../src/sim/nftables/model';
import type { ConnInfo, Packet } from '../../src/sim/netfilter/packet';
import { createRng } from '../../src/sim/rng';
import { course, GOLDEN } from './helpers';
import { loadNftables, onlyServices } from './nft-helpers';

const G = path.join(GOLDEN, 'nftables');
const golden = (f: string) => readFileSync(path.join(G, f), 'utf8');
const file = (p: string) => ({ name: path.basename(p), text: readFileSync(path.join(GOLDEN, p), 'utf8') });

const only = onlyServices;
const load = loadNftables;

const example55 = () => only(load([file('nftables/example-5.5.yaml')]).snapshot(), ['web']);
const overall = (version = '1.33') => only(load([file('kube-proxy/proxier-fixture.yaml'), file('kube-proxy/overall.yaml')], version).snapshot(), ['svc1', 'svc2', 'svc3', 'svc4', 'svc5', 'svc6']);
const edge = () => only(load([file('nftables/edge.yaml')]).snapshot(), ['dns2', 'sticky', 'local-lb', 'itp-local', 'empty-ext', 'lb-nolocal']);

describe('naming (reference §5.1)', () => {
  it('hashes the slash-separated name, protocol before port name', () => {
    expect(hashAndTruncate('default/kubernetes/tcp/https').slice(0, 8)).toBe('2QRHZV4L');
    expect(hashAndTruncate('kube-system/kube-dns/udp/dns').slice(0, 8)).toBe('FY5PMXPG');
    expect(hashAndTruncate('default/kubernetes/tcp/https__10.128.0.16/6443').slice(0, 8)).toBe('573J25N3');
    expect(servicePortBase({ namespace: 'ns1', name: 'svc1', protocol: 'tcp', portName: 'p80' })).toBe('ULMVA6XW-ns1/svc1/tcp/p80');
    expect(endpointBase({ namespace: 'ns1', name: 'svc1', protocol: 'tcp', portName: 'p80' }, { ip: '10.180.0.1', port: 80 })).toBe('5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
    // Unnamed port: empty last component (a real listing: service-P6J77WGM-riset/hellopod-np-svc/tcp/).
    expect(servicePortBase({ namespace: 'riset', name: 'hellopod-np-svc', protocol: 'tcp', portName: '' })).toBe('P6J77WGM-riset/hellopod-np-svc/tcp/');
    // IPv6 endpoint: colons become dots (proxier_test: endpoint-2CRNCTTE-…__fd00.10.180..2.1/80).
    expect(endpointBase({ namespace: 'ns1', name: 'svc1', protocol: 'tcp', portName: 'p80' }, { ip: 'fd00:10:180::2:1', port: 80 })).toBe('2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80');
  });

  it('cuts names over 240 characters to 237 + "..."', () => {
    const long = `${'a'.repeat(63)}/${'b'.repeat(63)}/sctp/${'c'.repeat(63)}__ffff.ffff.ffff.ffff.ffff.ffff.ffff.ffff/65535`;
    const n = hashAndTruncate(long);
    expect(n.length).toBe(240);
    expect(n.endsWith('...')).toBe(true);
  });
});

describe('the ip kube-proxy table', () => {
  it('reference §5.5: one ClusterIP Service with two endpoints, exactly', () => {
    const t = kubeProxyNftables(example55(), 'kind-worker')!;
    expect(printNftTable(t)).toBe(golden('example-5.5.nft'));
    expect(printNftTable(t, { handles: true })).toBe(golden('example-5.5.handles.nft'));
  });

  it('kube-proxy proxier_test TestOverallNFTablesRules services (ClusterIP, LB Local, NodePort, externalIP, LB with source ranges and affinity, no endpoints)', () => {
    expect(printNftTable(kubeProxyNftables(overall(), 'test-node')!)).toBe(golden('overall-v1.33.nft'));
  });

  it('edge cases: UDP, affinity with 3 endpoints, ETP Local, ITP Local, merged source ranges, SCTP, unnamed port', () => {
    const snap = edge();
    expect(printNftTable(kubeProxyNftables(snap, 'n1')!)).toBe(golden('edge-n1.nft'));
    expect(printNftTable(kubeProxyNftables(snap, 'n2')!)).toBe(golden('edge-n2.nft'));
  });

  it('a NodePort Service on the built-in cluster (course B3, demoapp-svc nodePort 32000)', () => {
    const sim = load([course('10-'), course('13-')]);
    expect(printNftTable(kubeProxyNftables(sim.snapshot(), 'node1')!)).toBe(golden('demoapp-nodeport-node1.nft'));
  });

  it('a Service without endpoints is rejected through reject-chain, no chains of its own', () => {
    const t = kubeProxyNftables(overall(), 'test-node')!;
    const m = t.maps.find((x) => x.name === 'no-endpoint-services')!;
    expect(m.elements.find((e) => e.key[0] === '172.30.0.46')).toMatchObject({ key: ['172.30.0.46', 'tcp', '80'], comment: 'ns6/svc6:p80', value: 'goto reject-chain' });
    expect(t.chains.some((c) => c.name.includes('ns6/svc6'))).toBe(false);
    expect(t.sets.find((s) => s.name === 'cluster-ips')!.elements.some((e) => e.key[0] === '172.30.0.46')).toBe(true);
  });

  it('session affinity: a dynamic set per endpoint, checked before numgen, updated before the DNAT', () => {
    const t = kubeProxyNftables(overall(), 'test-node')!;
    const set = t.sets.find((s) => s.name.startsWith('affinity-GTK6MW7G'))!;
    expect(set).toMatchObject({ type: 'ipv4_addr', size: 65535, flags: ['dynamic', 'timeout'], timeout: 10800 });
    const svc = t.chains.find((c) => c.name === 'service-HVFWP5L3-ns5/svc5/tcp/p80')!;
    expect(svc.rules.map((r) => r.text)).toEqual([
      'ip daddr 172.30.0.45 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
      'ip saddr @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
      'numgen random mod 1 vmap { 0 : goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 }',
    ]);
  });

  it('v1.31/v1.32 do not know the Service CIDR (no drop rule); before v1.29 there is no nftables mode', () => {
    const t31 = kubeProxyNftables(overall('1.31'), 'test-node')!;
    expect(t31.chains.find((c) => c.name === 'cluster-ips-check')!.rules.map((r) => r.text)).toEqual(['ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"']);
    expect(kubeProxyNftables(overall('1.28'), 'test-node')).toBeUndefined();
  });

  it('nodePortAddresses matching everything: no nodeport-ips set, fib daddr type local', () => {
    const yaml = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\nnodePortAddresses: ["0.0.0.0/0"]\n';
    const t = kubeProxyNftables(load([{ name: 'kp.yaml', text: yaml }]).snapshot(), 'node1')!;
    expect(t.sets.map((s) => s.name)).toEqual(['cluster-ips']);
    expect(t.chains.find((c) => c.name === 'services')!.rules[1].text).toBe('fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports');
    expect(t.chains.find((c) => c.name === 'nodeport-endpoints-check')!.rules[0].text).toBe('ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports');
  });

  it('the ip6 table of the dual-stack proxier holds only the fixed objects', () => {
    const both = kubeProxyNftablesTables(example55(), 'kind-worker')!;
    expect(printNftTable(both.ip6)).toBe(golden('ip6-fixed.nft'));
  });
});

describe('nft list conventions', () => {
  it('priorities as nft names them', () => {
    expect(priorityText('ip', 'prerouting', -110)).toBe('dstnat - 10');
    expect(priorityText('ip', 'prerouting', -100)).toBe('dstnat');
    expect(priorityText('ip', 'output', -100)).toBe('-100');
    expect(priorityText('ip', 'input', -110)).toBe('-110');
    expect(priorityText('ip', 'output', -90)).toBe('-90');
    expect(priorityText('ip', 'postrouting', 100)).toBe('srcnat');
    expect(priorityText('ip', 'input', 0)).toBe('filter');
    expect(priorityText('ip', 'prerouting', -140)).toBe('mangle + 10');
    for (const [hook, p] of [['prerouting', -110], ['output', -90], ['postrouting', 100], ['input', 5]] as [NftHook, number][]) {
      expect(parsePriority(priorityText('ip', hook, p))).toBe(p);
    }
  });

  it('durations', () => {
    expect(formatNftDuration(10800_000)).toBe('3h');
    expect(formatNftDuration(86400_000)).toBe('1d');
    expect(formatNftDuration(100000_000)).toBe('1d3h46m40s');
    expect(formatNftDuration(10799_968)).toBe('2h59m59s968ms');
    expect(parseNftDuration('1d3h46m40s')).toBe(100000_000);
  });

  it('element order: plain addresses by value; concatenations by their last byte first', () => {
    const els = (keys: string[][]) => keys.map((key) => ({ key }));
    expect(sortNftElements('ipv4_addr', els([['10.96.0.10'], ['10.96.0.1'], ['10.100.0.1'], ['9.9.9.9']])).map((e) => e.key[0])).toEqual(['9.9.9.9', '10.96.0.1', '10.96.0.10', '10.100.0.1']);
    expect(sortNftElements('ipv4_addr . inet_proto . inet_service', els([['10.96.0.10', 'tcp', '9153'], ['10.96.0.1', 'tcp', '443'], ['10.96.0.10', 'udp', '53'], ['10.96.0.10', 'tcp', '53']])).map((e) => e.key.join(' . ')))
      .toEqual(['10.96.0.10 . tcp . 53', '10.96.0.10 . udp . 53', '10.96.0.1 . tcp . 443', '10.96.0.10 . tcp . 9153']);
  });

  it('a printed table parses back to the same table', () => {
    for (const f of ['example-5.5.nft', 'example-5.5.handles.nft', 'overall-v1.33.nft', 'edge-n1.nft', 'ip6-fixed.nft']) {
      const { tables, problems } = parseNftListing(golden(f));
      expect(problems).toEqual([]);
      expect(printNftTable(tables[0], { handles: f.includes('handles') })).toBe(golden(f));
    }
    const ruleset = printNftRuleset([...kubeletNftTables(), kubeProxyNftables(example55(), 'kind-worker')!]);
    expect(printNftRuleset(parseNftListing(ruleset).tables)).toBe(ruleset);
  });

  it('rules parse into statements', () => {
    expect(parseNftRule('ip daddr 10.96.143.21 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade').stmts.map((s) => s.s)).toEqual(['match', 'match', 'match', 'verdict']);
    expect(parseNftRule('fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports').stmts.map((s) => s.s)).toEqual(['match', 'match', 'vmap']);
    expect(parseNftRule('meta mark & 0x00004000 == 0x00000000 return').stmts).toEqual([
      { s: 'match', expr: { parts: [{ k: 'meta', key: 'mark' }], mask: 0x4000 }, op: '==', rhs: { kind: 'value', parts: ['0x00000000'] } },
      { s: 'verdict', v: 'return' },
    ]);
    expect(parseNftRule('ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"')).toMatchObject({ comment: 'Reject traffic to invalid ports of ClusterIPs' });
    expect(parseNftRule('meta l4proto tcp dnat to 10.244.1.3:8080').stmts[1]).toEqual({ s: 'dnat', ip: '10.244.1.3', port: 8080 });
    expect(parseNftRule('meta l4proto tcp dnat to [fd00::1]:80').stmts[1]).toEqual({ s: 'dnat', ip: 'fd00::1', port: 80 });
    expect(parseNftRule('ct state established,related accept').stmts[0]).toMatchObject({ rhs: { kind: 'value', parts: ['established,related'] } });
  });
});

// --- the interpreter ---------------------------------------------------------------------

const NODE_IP = '172.18.0.3';
const env = (extra: Partial<NftEnv> = {}): NftEnv => ({
  addrType: (ip) => (ip === NODE_IP || ip.startsWith('127.') ? 'LOCAL' : 'UNICAST'),
  now: 0,
  masqueradeAddress: () => NODE_IP,
  ...extra,
});
const NEW: ConnInfo = { state: 'NEW', dnat: false, snat: false };
const pkt = (src: string, dst: string, dport: number, extra: Partial<Packet> = {}): Packet => ({ proto: 'tcp', src, sport: 40000, dst, dport, mark: 0, ...extra });
const both = () => 'both' as const;
const steps = (o: NftOutcome) => o.hops.map((h) => `${h.chain}: ${h.rule ?? '-'} => ${h.verdict}`);

/** The hooks a packet passes on the node, as the kernel runs them (routing: local → input). */
function walkNode(t: NftTable, first: NftHook, p: Packet, e: NftEnv, local: (ip: string) => boolean): NftOutcome[] {
  const out: NftOutcome[] = [];
  for (const a of traverseNftHook(t, first, p, NEW, e, both)) {
    if (a.verdict !== 'ACCEPT') { out.push(a); continue; }
    const hooks: NftHook[] = first === 'output' ? ['postrouting'] : local(a.packet.dst) ? ['input'] : ['forward', 'postrouting'];
    let cur: NftOutcome[] = [a];
    for (const h of hooks) {
      const next: NftOutcome[] = [];
      for (const c of cur) {
        if (c.verdict !== 'ACCEPT') { next.push(c); continue; }
        for (const r of traverseNftHook(t, h, c.packet, { ...NEW, dnat: !!c.dnat }, e, both)) {
          next.push({ ...r, probability: c.probability * r.probability, hops: [...c.hops, ...r.hops], dnat: c.dnat ?? r.dnat, snat: r.snat ?? c.snat });
        }
      }
      cur = next;
    }
    out.push(...cur);
  }
  return out;
}

describe('traverseNftHook', () => {
  const t = kubeProxyNftables(example55(), 'kind-worker')!;
  const svc = 'service-SUSTUHLJ-default/web/tcp/http';
  const ep1 = 'endpoint-QYTGA46O-default/web/tcp/http__10.244.1.3/8080';
  const ep2 = 'endpoint-AHN7CUJY-default/web/tcp/http__10.244.2.3/8080';

  it('node → ClusterIP: the rules `nft monitor trace` shows (captured on a real kernel), DNAT to each endpoint with 1/2', () => {
    const out = walkNode(t, 'output', pkt(NODE_IP, '10.96.143.21', 80), env(), (ip) => ip === NODE_IP);
    expect(out.map((o) => o.probability)).toEqual([0.5, 0.5]);
    expect(out.map((o) => o.dnat)).toEqual([{ ip: '10.244.1.3', port: 8080 }, { ip: '10.244.2.3', port: 8080 }]);
    expect(steps(out[0])).toEqual([
      'filter-output: ct state new jump service-endpoints-check => jump service-endpoints-check',
      'filter-output: ct state new jump firewall-check => jump firewall-check',
      'filter-output: - => policy accept',
      'nat-output: jump services => jump services',
      `services: ip daddr . meta l4proto . th dport vmap @service-ips => goto ${svc}`,
      `${svc}: ip daddr 10.96.143.21 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade => jump mark-for-masquerade`,
      'mark-for-masquerade: meta mark set meta mark | 0x00004000 => continue',
      `${svc}: numgen random mod 2 vmap { 0 : goto ${ep1}, 1 : goto ${ep2} } => goto ${ep1}`,
      `${ep1}: meta l4proto tcp dnat to 10.244.1.3:8080 => accept`,
      'filter-output-post-dnat: ct state new jump cluster-ips-check => jump cluster-ips-check',
      'filter-output-post-dnat: - => policy accept',
      'nat-postrouting: jump masquerading => jump masquerading',
      'masquerading: meta mark set meta mark ^ 0x00004000 => continue',
      'masquerading: masquerade fully-random => accept',
    ]);
    expect(out[0].snat).toEqual({ ip: NODE_IP });
    expect(out[0].packet).toMatchObject({ src: NODE_IP, dst: '10.244.1.3', dport: 8080, mark: 0 });
    expect(out[1].hops.find((h) => h.chain === ep2)?.origin).toMatchObject({ service: 'default/web', endpoint: '10.244.2.3:8080' });
  });

  it('pod → ClusterIP: no masquerade mark; the endpoint reaching itself (hairpin) is marked and masqueraded', () => {
    const out = walkNode(t, 'prerouting', pkt('10.244.1.3', '10.96.143.21', 80), env(), (ip) => ip === NODE_IP);
    const toSelf = out.find((o) => o.dnat?.ip === '10.244.1.3')!;
    const toOther = out.find((o) => o.dnat?.ip === '10.244.2.3')!;
    expect(steps(toSelf)).toContain(`${ep1}: ip saddr 10.244.1.3 jump mark-for-masquerade => jump mark-for-masquerade`);
    expect(toSelf.snat).toEqual({ ip: NODE_IP });
    expect(steps(toOther).some((s) => s.includes('mark-for-masquerade =>'))).toBe(false);
    expect(toOther.snat).toBeUndefined();
    expect(out.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 12);
  });

  it('external → NodePort: nodeport-ips + service-nodeports, external chain marks, then the service chain', () => {
    const snap = edge();
    const n1 = kubeProxyNftables(snap, 'n1')!;
    const ip = '192.168.122.11';
    const e = env({ addrType: (a) => (a === ip ? 'LOCAL' : 'UNICAST'), masqueradeAddress: () => ip });
    const out = walkNode(n1, 'prerouting', pkt('192.168.122.200', ip, 30080), e, (a) => a === ip);
    expect(out).toHaveLength(3);
    for (const o of out) {
      expect(o.probability).toBeCloseTo(1 / 3, 12);
      expect(steps(o).slice(2, 6)).toEqual([
        'nat-prerouting: jump services => jump services',
        'services: ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports => goto external-EDE2N7RF-default/sticky/tcp/',
        'external-EDE2N7RF-default/sticky/tcp/: jump mark-for-masquerade => jump mark-for-masquerade',
        'mark-for-masquerade: meta mark set meta mark | 0x00004000 => continue',
      ]);
      expect(o.snat).toEqual({ ip });
    }
    expect(out.map((o) => o.dnat!.ip).sort()).toEqual(['10.244.0.7', '10.244.1.100', '10.244.1.20']);
  });

  it('no endpoints: filter-output rejects through reject-chain before any NAT', () => {
    const t6 = kubeProxyNftables(overall(), 'test-node')!;
    const out = traverseNftHook(t6, 'output', pkt('192.168.0.2', '172.30.0.46', 80), NEW, env(), both);
    expect(out).toHaveLength(1);
    expect(out[0].verdict).toBe('REJECT');
    expect(steps(out[0])).toEqual([
      'filter-output: ct state new jump service-endpoints-check => jump service-endpoints-check',
      'service-endpoints-check: ip daddr . meta l4proto . th dport vmap @no-endpoint-services => goto reject-chain',
      'reject-chain: reject => drop',
    ]);
  });

  it('a port the ClusterIP does not serve is rejected by cluster-ips-check; an unallocated ClusterIP is dropped', () => {
    const bad = walkNode(t, 'prerouting', pkt('10.244.1.3', '10.96.143.21', 81), env(), () => false);
    expect(bad.map((o) => o.verdict)).toEqual(['REJECT']);
    expect(steps(bad[0]).pop()).toBe('cluster-ips-check: ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs" => drop');
    const free = walkNode(t, 'prerouting', pkt('10.244.1.3', '10.96.5.5', 80), env(), () => false);
    expect(free.map((o) => o.verdict)).toEqual(['DROP']);
  });

  it('nat chains only see a connection\'s first packet', () => {
    const out = traverseNftHook(t, 'output', pkt(NODE_IP, '10.96.143.21', 80), { state: 'ESTABLISHED', dnat: true, snat: false }, env(), both);
    expect(out).toHaveLength(1);
    expect(out[0].dnat).toBeUndefined();
    expect(out[0].hops.map((h) => h.chain)).toEqual(['filter-output', 'filter-output-post-dnat']);
  });

  it('sampling: successive binary choices make numgen uniform', () => {
    const t3 = kubeProxyNftables(edge(), 'n1')!;
    const rng = createRng('nft-numgen');
    const counts = new Map<string, number>();
    const N = 6000;
    for (let i = 0; i < N; i++) {
      const out = traverseNftHook(t3, 'output', pkt('192.168.122.11', '10.100.0.5', 8080), NEW, env(), (p) => rng.next() < p);
      expect(out).toHaveLength(1);
      counts.set(out[0].dnat!.ip, (counts.get(out[0].dnat!.ip) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['10.244.0.7', '10.244.1.100', '10.244.1.20']);
    for (const c of counts.values()) expect(Math.abs(c / N - 1 / 3)).toBeLessThan(0.03);
  });

  it('session affinity: the first connection records the client, the next ones go to the same endpoint', () => {
    const t3 = kubeProxyNftables(edge(), 'n1')!;
    const dynamicSets = new Map<string, Map<string, number>>();
    const rng = createRng('nft-affinity');
    const e = env({ dynamicSets });
    const first = traverseNftHook(t3, 'output', pkt('192.168.122.11', '10.100.0.5', 8080), NEW, e, (p) => rng.next() < p);
    const chosen = first[0].dnat!.ip;
    expect(first[0].setUpdates).toEqual([{ set: expect.stringMatching(/^affinity-/), key: '192.168.122.11' }]);
    for (let i = 0; i < 20; i++) {
      const again = traverseNftHook(t3, 'output', pkt('192.168.122.11', '10.100.0.5', 8080, { sport: 41000 + i }), NEW, { ...e, now: 1000 * i }, (p) => rng.next() < p);
      expect(again[0].dnat!.ip).toBe(chosen);
      expect(again[0].hops.some((h) => h.rule?.startsWith('ip saddr @affinity-') && h.verdict.startsWith('goto endpoint-'))).toBe(true);
    }
    // After the timeout (600 s here) the choice is random again.
    const later = traverseNftHook(t3, 'output', pkt('192.168.122.11', '10.100.0.5', 8080), NEW, { ...e, now: 1000 * 19 + 601_000 }, both);
    expect(later).toHaveLength(3);
  });

  it('a map lookup instead of a linear walk: rules compared do not grow with the number of Services', () => {
    const many = (n: number) => {
      const docs: string[] = [];
      for (let i = 0; i < n; i++) {
        docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec:\n  clusterIP: 10.97.${i >> 8}.${i & 255}\n  ports: [{port: 80}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s${i}-x, labels: {kubernetes.io/service-name: s${i}}}\naddressType: IPv4\nports: [{port: 80}]\nendpoints: [{addresses: [10.244.1.${(i % 250) + 2}]}]\n`);
      }
      return kubeProxyNftables(load([{ name: 'many.yaml', text: docs.join('---\n') }]).snapshot(), 'node1')!;
    };
    const count = (tb: NftTable) => {
      const stats = { evaluated: 0 };
      traverseNftHook(tb, 'output', pkt('192.168.122.11', '10.97.0.1', 80), NEW, env({ stats }), both);
      return stats.evaluated;
    };
    const small = count(many(2));
    const large = count(many(300));
    expect(large).toBe(small);
    expect(small).toBeLessThan(20);
  });
});

describe('properties', () => {
  it('random clusters: every hook\'s paths carry probabilities summing to 1; the listing parses back', () => {
    const rng = createRng('nft-props');
    for (let round = 0; round < 12; round++) {
      const docs: string[] = [];
      const nsvc = 1 + rng.int(6);
      for (let i = 0; i < nsvc; i++) {
        const type = ['ClusterIP', 'NodePort', 'LoadBalancer'][rng.int(3)];
        const etp = type !== 'ClusterIP' && rng.next() < 0.4 ? '\n  externalTrafficPolicy: Local' : '';
        const aff = rng.next() < 0.3 ? '\n  sessionAffinity: ClientIP' : '';
        const lbs = type === 'LoadBalancer' ? `\nstatus: {loadBalancer: {ingress: [{ip: 192.168.122.${200 + i}}]}}` : '';
        const ranges = type === 'LoadBalancer' && rng.next() < 0.5 ? '\n  loadBalancerSourceRanges: [203.0.113.0/25, 192.168.122.0/24]' : '';
        docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: r${i}}\nspec:\n  type: ${type}${etp}${aff}${ranges}\n  clusterIP: 10.98.0.${i + 1}\n  ports: [{name: p, port: ${80 + i}, protocol: ${rng.next() < 0.3 ? 'UDP' : 'TCP'}}]${lbs}`);
        const neps = rng.int(5);
        if (neps) {
          const eps = Array.from({ length: neps }, (_, k) => `{addresses: [10.244.${1 + rng.int(3)}.${10 + k * 7 + i}], nodeName: node${1 + rng.int(3)}, conditions: {ready: ${rng.next() < 0.85}}}`);
          docs.push(`apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: r${i}-x, labels: {kubernetes.io/service-name: r${i}}}\naddressType: IPv4\nports: [{name: p, port: 8080, protocol: ${docs[docs.length - 1].includes('UDP') ? 'UDP' : 'TCP'}}]\nendpoints: [${eps.join(', ')}]`);
        }
      }
      const sim = load([{ name: `r${round}.yaml`, text: docs.join('\n---\n') }]);
      const snap = sim.snapshot();
      const t = kubeProxyNftables(snap, 'node1')!;
      const text = printNftTable(t, { handles: true });
      const back = parseNftListing(text);
      expect(back.problems).toEqual([]);
      expect(printNftTable(back.tables[0], { handles: true })).toBe(text);
      const local = (ip: string) => ip === '192.168.122.11';
      const e = env({ addrType: (ip) => (local(ip) ? 'LOCAL' : 'UNICAST'), masqueradeAddress: () => '192.168.122.11' });
      for (const svc of snap.services) {
        const port = svc.spec!.ports![0];
        const proto = (port.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp';
        const targets: [NftHook, Packet][] = [
          ['output', pkt('192.168.122.11', svc.spec!.clusterIP!, port.port, { proto })],
          ['prerouting', pkt('10.244.1.10', svc.spec!.clusterIP!, port.port, { proto })],
        ];
        if (port.nodePort) targets.push(['prerouting', pkt('192.168.122.200', '192.168.122.11', port.nodePort, { proto })]);
        for (const lb of svc.status?.loadBalancer?.ingress ?? []) targets.push(['prerouting', pkt('203.0.113.9', lb.ip!, port.port, { proto })]);
        for (const [hook, p] of targets) {
          const paths = walkNode(t, hook, p, e, local);
          expect(paths.length).toBeGreaterThan(0);
          expect(paths.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
          for (const o of paths) {
            if (o.dnat) expect(o.hops.some((h) => h.chain.startsWith('endpoint-') && h.verdict === 'accept')).toBe(true);
            expect(o.hops.every((h) => h.rule === null || t.chains.find((c) => c.name === h.chain)!.rules[h.ruleIndex!].text === h.rule)).toBe(true);
          }
        }
      }
    }
  });
});

describe('the shell', () => {
  const sim = Simulation.load([course('10-'), course('13-')], { proxyMode: 'nftables', kubeProxyVersion: '1.33' });
  const run = (c: string) => sim.exec(c, { kind: 'node', node: 'node1' });

  it('nft list table ip kube-proxy prints the table; -a adds handles', () => {
    expect(run('nft list table ip kube-proxy')).toEqual({ stdout: golden('demoapp-nodeport-node1.nft'), stderr: '', exitCode: 0 });
    expect(run('nft -a list table ip kube-proxy').stdout).toMatch(/^table ip kube-proxy \{ # handle 7\n/);
  });

  it('nft list ruleset: the kubelet\'s iptables-nft tables, then kube-proxy\'s ip and ip6 tables', () => {
    const r = run('nft list ruleset');
    expect(r.exitCode).toBe(0);
    expect([...r.stdout.matchAll(/^table (\S+ \S+) \{/gm)].map((m) => m[1])).toEqual(['ip mangle', 'ip filter', 'ip6 mangle', 'ip nat', 'ip6 nat', 'ip6 filter', 'ip kube-proxy', 'ip6 kube-proxy']);
    expect(r.stdout).toContain('\tchain KUBE-FIREWALL {\n\t\tip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8  ct status dnat counter packets 0 bytes 0 drop\n\t}\n');
    expect(r.stderr).toBe('# Warning: table ip filter is managed by iptables-nft, do not touch!\n');
    expect(run('nft list tables').stdout).toBe('table ip mangle\ntable ip filter\ntable ip6 mangle\ntable ip nat\ntable ip6 nat\ntable ip6 filter\ntable ip kube-proxy\ntable ip6 kube-proxy\n');
  });

  it('nft list chain / map, and nft\'s errors', () => {
    expect(run('nft list chain ip kube-proxy services').stdout).toBe('table ip kube-proxy {\n\tchain services {\n\t\tip daddr . meta l4proto . th dport vmap @service-ips\n\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports\n\t}\n}\n');
    expect(run('nft list map ip kube-proxy service-nodeports').stdout).toBe('table ip kube-proxy {\n\tmap service-nodeports {\n\t\ttype inet_proto . inet_service : verdict\n\t\tcomment "NodePort traffic"\n\t\telements = { tcp . 32000 : goto external-IFZNBIPF-default/demoapp-svc/tcp/ }\n\t}\n}\n');
    expect(run('nft list chain ip kube-proxy nosuch')).toEqual({ stdout: '', stderr: 'Error: No such file or directory\nlist chain ip kube-proxy nosuch\n                         ^^^^^^\n', exitCode: 1 });
    expect(run('nft list map ip kube-proxy cluster-ips').stderr).toBe('Error: No such file or directory\nlist map ip kube-proxy cluster-ips\n                       ^^^^^^^^^^^\n');
    expect(run('nft list table ip').stderr).toBe('Error: syntax error, unexpected newline, expecting string\nlist table ip\n             ^\n');
    expect(run('nft list table kube-proxy extra').stderr).toBe('Error: syntax error, unexpected string, expecting end of file or newline or semicolon\nlist table kube-proxy extra\n                      ^^^^^\n');
    expect(run('nft list').stderr).toBe('Error: syntax error, unexpected newline\nlist\n    ^\n');
    expect(run('nft -z list ruleset')).toEqual({ stdout: '', stderr: "nft: invalid option -- 'z'\n", exitCode: 1 });
    expect(run('nft')).toEqual({ stdout: '', stderr: 'nft: no command specified\n', exitCode: 1 });
    expect(run('nft --version').stdout).toBe('nftables v1.0.2 (Lester Gooch)\n');
    expect(run('nft flush ruleset').exitCode).toBe(1);
    expect(sim.exec('nft list ruleset', { kind: 'pod', namespace: 'default', pod: sim.snapshot().pods.find((p) => p.metadata.namespace === 'default')!.metadata.name }).exitCode).toBe(127);
  });

  it('iptables-save in nftables mode: only the kubelet\'s chains are left', () => {
    const r = run('iptables-save');
    expect(r.stdout).not.toContain('KUBE-SERVICES');
    expect(r.stdout).toContain(':KUBE-IPTABLES-HINT - [0:0]');
    expect(r.stdout).toContain('-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP');
  });

  it('outside nftables mode the kube-proxy table does not exist', () => {
    const ipt = Simulation.load([course('10-')], { proxyMode: 'iptables' });
    expect(ipt.exec('nft list table ip kube-proxy', { kind: 'node', node: 'node1' }).stderr).toBe('Error: No such file or directory\nlist table ip kube-proxy\n              ^^^^^^^^^^\n');
    expect(ipt.exec('nft list ruleset', { kind: 'node', node: 'node1' }).stderr).toMatch(/^kubesim: kube-proxy is not in nftables mode/);
  });
});
