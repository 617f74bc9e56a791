// kube-proxy's iptables generator against the ten proxier_test.go scenarios of
// kube-proxy.md §7 (S1–S10), the v1.23 example of §3.1 and one case per remaining feature:
// for each, the iptables-save golden in the current (v1.31) and the v1.23 layout, the
// reference's expected lines (converted to iptables-save form, §2.9), the packet flows the
// reference lists (trace --all-paths: endpoints reached, masquerade, DROP/REJECT), and a
// parse/print round trip of every generated ruleset.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Simulation } from '../../src/sim/index';
import type { TraceResult } from '../../src/sim/network/trace';
import type { NetfilterHop } from '../../src/sim/network/trace-types';
import type { Proto } from '../../src/sim/netfilter/packet';
import { parseIptablesSave, parseRuleWords, saveOptions, splitRestoreLine } from '../../src/sim/netfilter/parse';
import { printIptablesSave, ruleSpec } from '../../src/sim/netfilter/save';
import { GOLDEN } from './helpers';

const FIXTURES = path.join(GOLDEN, '..', 'fixtures', 'kube-proxy');
const SCENARIO_GOLDEN = path.join(GOLDEN, 'kube-proxy', 'scenarios');
const NODE = 'test-node';

type Layout = '1.31' | '1.23';

interface Generated {
  name: string;
  version: Layout;
  sim: Simulation;
  node: string;
  text: string;
}

/** Every ruleset this file generates, for the golden and round-trip checks at the end. */
const generated: Generated[] = [];

function fixture(file: string) {
  return { name: file, text: readFileSync(path.join(FIXTURES, file), 'utf8') };
}

interface Loaded extends Generated {
  lines: Set<string>;
  /** Lines of one table. */
  table: (name: string) => string[];
}

/**
 * Loads `files` (after the shared test-node fixture unless `own` is set) with kube-proxy
 * `version` and records what `iptables-save` prints on the node.
 */
function scenario(name: string, files: string[], version: Layout, opts: { own?: boolean; node?: string } = {}): Loaded {
  const all = [...(opts.own ? [] : ['test-node.yaml']), ...files].map(fixture);
  const sim = Simulation.load(all, { kubeProxyVersion: version });
  const node = opts.node ?? NODE;
  const r = sim.exec('iptables-save', { kind: 'node', node });
  if (r.exitCode !== 0) throw new Error(`iptables-save on ${node}: ${r.stderr}`);
  const g: Generated = { name, version, sim, node, text: r.stdout };
  generated.push(g);
  const tables = new Map<string, string[]>();
  let cur: string[] = [];
  for (const l of r.stdout.split('\n')) {
    if (l.startsWith('*')) { cur = []; tables.set(l.slice(1), cur); } else cur.push(l);
  }
  return { ...g, lines: new Set(r.stdout.split('\n')), table: (t) => tables.get(t) ?? [] };
}

function expectLines(s: Loaded, ls: string[]): void {
  for (const l of ls) expect(s.lines, `${s.name} v${s.version}: ${l}`).toContain(l);
}

function chainRules(s: Loaded, table: string, chain: string): string[] {
  return s.table(table).filter((l) => l.startsWith(`-A ${chain} `));
}

// --- flows ------------------------------------------------------------------------------

const POD = 'pod/default/client'; // 10.0.0.100, inside the cluster CIDR
const HOST = `node/${NODE}`; // 192.168.0.2
const EXTERNAL = 'external/203.0.113.2'; // inside 203.0.113.0/25
const BLOCKED = 'external/203.0.113.130'; // outside it

type Want = { endpoints: string[]; masq: boolean } | 'DROP' | 'REJECT' | 'NO-DNAT';

const nf = (p: TraceResult['paths'][number]) => p.hops.filter((h): h is NetfilterHop => h.kind === 'netfilter');
const masqueraded = (p: TraceResult['paths'][number]) => nf(p).some((h) => h.chain === 'KUBE-POSTROUTING' && (h.rule ?? '').includes('-j MASQUERADE'));

function trace(sim: Simulation, from: string, to: string, proto: Proto = 'tcp'): TraceResult {
  const t = sim.trace({ from, to, proto, allPaths: true });
  if ('error' in t) throw new Error(t.error);
  return t;
}

/** The outcome of a connection as proxier_test's packet-flow tests state it. */
function outcome(sim: Simulation, from: string, to: string, proto: Proto = 'tcp'): Want {
  const t = trace(sim, from, to, proto);
  const results = new Set(t.paths.map((p) => p.final.result));
  if (results.size === 1 && results.has('dropped')) return 'DROP';
  if (results.size === 1 && results.has('rejected')) return 'REJECT';
  if (t.paths.every((p) => p.final.endpoint === undefined)) return 'NO-DNAT';
  const masq = new Set(t.paths.map(masqueraded));
  if (masq.size !== 1 || [...results].some((r) => r === 'dropped' || r === 'rejected')) {
    return { endpoints: t.paths.map((p) => `${p.final.endpoint ?? p.final.result}${masqueraded(p) ? ' (masq)' : ''}`).sort(), masq: false };
  }
  return { endpoints: [...new Set(t.paths.map((p) => p.final.endpoint!))].sort(), masq: masq.has(true) };
}

function expectFlow(sim: Simulation, from: string, to: string, want: Want, proto: Proto = 'tcp'): void {
  const w = typeof want === 'string' ? want : { endpoints: [...want.endpoints].sort(), masq: want.masq };
  expect(outcome(sim, from, to, proto), `${from} → ${to}/${proto}`).toEqual(w);
}

/**
 * "Ignored" in proxier_test's words: no rule sends the connection to an endpoint. (A local
 * connection to 127.0.0.1 leaves from the node's primary address in the simulation, so the
 * localnet rule of KUBE-FIREWALL may DROP it instead of delivering it locally.)
 */
function expectIgnored(sim: Simulation, from: string, to: string): void {
  const t = trace(sim, from, to);
  expect(t.paths.map((p) => p.final.endpoint ?? null), `${from} → ${to}`).toEqual(t.paths.map(() => null));
}

const eps = (...e: string[]) => e;

// --- S1 -----------------------------------------------------------------------------------

describe('S1 plain ClusterIP, multi-port, UDP/SCTP, hairpin (TestClusterIPGeneral)', () => {
  const cur = scenario('s01-clusterip', ['s01-clusterip.yaml'], '1.31');
  const old = scenario('s01-clusterip', ['s01-clusterip.yaml'], '1.23');

  it('loads without errors', () => {
    for (const s of [cur, old]) expect(s.sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('writes the reference lines (v1.31)', () => expectLines(cur, [
    '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    '-A KUBE-SVC-XPGD46QRK7WJZT7O ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    '-A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-SXIVWICOYRO3J4NJ -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80',
  ]));

  it('gives every port of a multi-port Service its own chain, with -m udp / -m sctp per protocol', () => {
    const ports: [string, Proto, number, number][] = [['http', 'tcp', 80, 80], ['https', 'tcp', 443, 8443], ['dns-udp', 'udp', 53, 53], ['dns-tcp', 'tcp', 53, 5353], ['dns-sctp', 'sctp', 53, 53]];
    const svcChains = new Set<string>();
    for (const [name, proto, port, target] of ports) {
      const capture = cur.table('nat').find((l) => l.startsWith('-A KUBE-SERVICES -d 172.30.0.42/32') && l.includes(`"ns2/svc2:${name} cluster IP"`));
      expect(capture, name).toBe(`-A KUBE-SERVICES -d 172.30.0.42/32 -p ${proto} -m comment --comment "ns2/svc2:${name} cluster IP" -m ${proto} --dport ${port} -j ${capture!.split(' -j ')[1]}`);
      svcChains.add(capture!.split(' -j ')[1]);
      for (const ip of ['10.180.0.1', '10.180.2.1']) {
        expect(cur.table('nat').some((l) => l.includes(`-p ${proto} -m comment --comment "ns2/svc2:${name}" -m ${proto} -j DNAT --to-destination ${ip}:${target}`)), `${name} ${ip}`).toBe(true);
      }
    }
    expect(svcChains.size).toBe(5);
  });

  it('flows (v1.31 and v1.23 alike)', () => {
    for (const s of [cur, old]) {
      expectFlow(s.sim, POD, '172.30.0.41:80', { endpoints: eps('10.180.0.1:80'), masq: false });
      // Hairpin: the backend pod reaching its own Service is masqueraded by its KUBE-SEP chain.
      expectFlow(s.sim, 'pod/ns1/svc1-backend', '172.30.0.41:80', { endpoints: eps('10.180.0.1:80'), masq: true });
      expectFlow(s.sim, POD, '172.30.0.42:80', { endpoints: eps('10.180.0.1:80', '10.180.2.1:80'), masq: false });
      expectFlow(s.sim, POD, '172.30.0.42:443', { endpoints: eps('10.180.0.1:8443', '10.180.2.1:8443'), masq: false });
      expectFlow(s.sim, POD, '172.30.0.42:53', { endpoints: eps('10.180.0.1:5353', '10.180.2.1:5353'), masq: false }, 'tcp');
      expectFlow(s.sim, POD, '172.30.0.42:53', { endpoints: eps('10.180.0.1:53', '10.180.2.1:53'), masq: false }, 'udp');
      expectFlow(s.sim, POD, '172.30.0.42:53', { endpoints: eps('10.180.0.1:53', '10.180.2.1:53'), masq: false }, 'sctp');
      expectFlow(s.sim, POD, '172.30.0.42:80', 'NO-DNAT', 'udp'); // TCP-only port does not match UDP
      expectFlow(s.sim, POD, '172.30.0.41:443', 'NO-DNAT'); // svc1 does not accept svc2's ports
      // From the node: outside the cluster CIDR, so masqueraded.
      expectFlow(s.sim, HOST, '172.30.0.41:80', { endpoints: eps('10.180.0.1:80'), masq: true });
    }
  });

  it('v1.23: bare <spn> comments on SVC→SEP rules, same masq and SEP rules', () => expectLines(old, [
    '-A KUBE-SVC-XPGD46QRK7WJZT7O ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    '-A KUBE-SEP-SXIVWICOYRO3J4NJ -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80',
  ]));
});

// --- S2 -----------------------------------------------------------------------------------

describe('S2 NodePort, externalTrafficPolicy Cluster', () => {
  const cur = scenario('s02-nodeport', ['s02-nodeport.yaml'], '1.31');
  const old = scenario('s02-nodeport', ['s02-nodeport.yaml'], '1.23');

  it('writes the reference lines (v1.31)', () => expectLines(cur, [
    '-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK',
    '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK',
    '-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK',
    '-A KUBE-SEP-OYPFS5VJICHGATKP -s 10.180.0.3/32 -m comment --comment "ns3/svc3:p80" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-OYPFS5VJICHGATKP -p tcp -m comment --comment "ns3/svc3:p80" -m tcp -j DNAT --to-destination 10.180.0.3:80',
  ]));

  it('v1.23: NodePort straight to KUBE-SVC, masquerade rule inside KUBE-SVC (§3.1)', () => {
    expectLines(old, [
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -j KUBE-SVC-X27LE4BHSL4DOUIK',
      '-A KUBE-SVC-X27LE4BHSL4DOUIK -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -j KUBE-MARK-MASQ',
    ]);
    expect(old.text).not.toContain('KUBE-EXT-');
  });

  it('flows: NodePort from outside or a pod reaches both endpoints masqueraded; ClusterIP from a pod not', () => {
    for (const s of [cur, old]) {
      for (const dst of ['192.168.0.2:3003', '192.168.1.2:3003', '192.168.99.11:3003']) {
        expectFlow(s.sim, EXTERNAL, dst, { endpoints: eps('10.180.0.3:80', '10.180.2.1:80'), masq: true });
        expectFlow(s.sim, POD, dst, { endpoints: eps('10.180.0.3:80', '10.180.2.1:80'), masq: true });
      }
      expectFlow(s.sim, POD, '172.30.0.43:80', { endpoints: eps('10.180.0.3:80', '10.180.2.1:80'), masq: false });
    }
  });
});

// --- S3 -----------------------------------------------------------------------------------

describe('S3 externalIP with a two-way split', () => {
  const cur = scenario('s03-externalip', ['s03-externalip.yaml'], '1.31');
  const old = scenario('s03-externalip', ['s03-externalip.yaml'], '1.23');

  it('writes the reference lines (v1.31)', () => {
    expectLines(cur, [
      '-A KUBE-SERVICES -d 192.168.99.33/32 -p tcp -m comment --comment "ns4/svc4:p80 external IP" -m tcp --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK',
      '-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
    ]);
    expect(chainRules(cur, 'nat', 'KUBE-NODEPORTS')).toEqual([]);
  });

  it('v1.23: externalIP straight to KUBE-SVC, its masquerade rule inside KUBE-SVC', () => expectLines(old, [
    '-A KUBE-SERVICES -d 192.168.99.33/32 -p tcp -m comment --comment "ns4/svc4:p80 external IP" -m tcp --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK',
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -d 192.168.99.33/32 -p tcp -m comment --comment "ns4/svc4:p80 external IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
  ]));

  it('flows: externalIP is masqueraded from anywhere, ClusterIP from a pod is not', () => {
    for (const s of [cur, old]) {
      expectFlow(s.sim, EXTERNAL, '192.168.99.33:80', { endpoints: eps('10.180.0.4:80', '10.180.0.5:80'), masq: true });
      expectFlow(s.sim, POD, '192.168.99.33:80', { endpoints: eps('10.180.0.4:80', '10.180.0.5:80'), masq: true });
      expectFlow(s.sim, POD, '172.30.0.44:80', { endpoints: eps('10.180.0.4:80', '10.180.0.5:80'), masq: false });
    }
  });
});

// --- S4 -----------------------------------------------------------------------------------

describe('S4 LoadBalancer with externalTrafficPolicy Local', () => {
  const cur = scenario('s04-lb-etp-local', ['s04-lb-etp-local.yaml'], '1.31');
  const old = scenario('s04-lb-etp-local', ['s04-lb-etp-local.yaml'], '1.23');
  const curL = scenario('s04b-lb-etp-local-with-local-endpoint', ['s04b-lb-etp-local-with-local-endpoint.yaml'], '1.31');
  const oldL = scenario('s04b-lb-etp-local-with-local-endpoint', ['s04b-lb-etp-local-with-local-endpoint.yaml'], '1.23');

  it('no local endpoint: the reference lines, EXT has exactly three rules and no KUBE-SVL', () => {
    expectLines(cur, [
      '-A KUBE-SERVICES -d 172.30.0.42/32 -p tcp -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-SERVICES -d 192.168.99.22/32 -p tcp -m comment --comment "ns2/svc2:p80 external IP" -m tcp --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns2/svc2:p80" -m tcp --dport 3001 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns2/svc2:p80" -m tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns2/svc2:p80 health check node port" -m tcp --dport 30000 -j ACCEPT',
      '-A KUBE-EXTERNAL-SERVICES -d 192.168.99.22/32 -p tcp -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 3001 -j DROP',
    ]);
    expect(chainRules(cur, 'nat', 'KUBE-EXT-GNZBNJ2PO5MGZ6GT')).toEqual([
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -s 10.0.0.0/8 -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    ]);
    expect(cur.text).not.toContain('KUBE-SVL-GNZBNJ2PO5MGZ6GT');
  });

  it('no local endpoint, flows: node → externalIP masqueraded; external → DROP; health check port ACCEPTed', () => {
    expectFlow(cur.sim, HOST, '192.168.99.22:80', { endpoints: eps('10.180.0.2:80'), masq: true });
    expectFlow(cur.sim, EXTERNAL, '192.168.99.22:80', 'DROP');
    expectFlow(cur.sim, EXTERNAL, '1.2.3.4:80', 'DROP');
    expectFlow(cur.sim, EXTERNAL, '192.168.0.2:3001', 'DROP');
    const hc = trace(cur.sim, EXTERNAL, '192.168.0.2:30000');
    expect(hc.paths.map((p) => p.final.result)).toEqual(['delivered']);
    expect(nf(hc.paths[0]).some((h) => h.chain === 'KUBE-NODEPORTS' && h.table === 'filter' && h.verdict === 'ACCEPT')).toBe(true);
    // A pod is short-circuited to KUBE-SVC, without masquerade.
    expectFlow(cur.sim, POD, '1.2.3.4:80', { endpoints: eps('10.180.0.2:80'), masq: false });
  });

  it('with a local endpoint: EXT jumps to KUBE-SVL, which holds only the local endpoint', () => {
    const ext = chainRules(curL, 'nat', 'KUBE-EXT-GNZBNJ2PO5MGZ6GT');
    expect(ext).toHaveLength(4);
    expect(ext[3]).toBe('-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -j KUBE-SVL-GNZBNJ2PO5MGZ6GT');
    const svl = chainRules(curL, 'nat', 'KUBE-SVL-GNZBNJ2PO5MGZ6GT');
    expect(svl).toHaveLength(1);
    expect(svl[0]).toMatch(/^-A KUBE-SVL-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2\/svc2:p80 -> 10\.180\.2\.1:80" -j KUBE-SEP-\w{16}$/);
    expect(curL.text).not.toContain('has no local endpoints');
  });

  it('with a local endpoint, flows: external → only the local endpoint, not masqueraded; a pod → both', () => {
    for (const dst of ['192.168.99.22:80', '1.2.3.4:80', '192.168.0.2:3001']) {
      expectFlow(curL.sim, EXTERNAL, dst, { endpoints: eps('10.180.2.1:80'), masq: false });
      expectFlow(curL.sim, POD, dst, { endpoints: eps('10.180.0.1:80', '10.180.2.1:80'), masq: false });
      expectFlow(curL.sim, HOST, dst, { endpoints: eps('10.180.0.1:80', '10.180.2.1:80'), masq: true });
    }
  });

  it('v1.23: KUBE-XLB instead of EXT/SVL, KUBE-MARK-DROP without a local endpoint, every LB IP through KUBE-FW', () => {
    expect(old.text).not.toMatch(/KUBE-(EXT|SVL)-/);
    expectLines(old, [
      '-A KUBE-SERVICES -d 192.168.99.22/32 -p tcp -m comment --comment "ns2/svc2:p80 external IP" -m tcp --dport 80 -j KUBE-XLB-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-FW-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 loadbalancer IP" -j KUBE-XLB-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-FW-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 loadbalancer IP" -j KUBE-MARK-DROP',
      '-A KUBE-NODEPORTS -s 127.0.0.0/8 -p tcp -m comment --comment "ns2/svc2:p80" -m tcp --dport 3001 -j KUBE-MARK-MASQ',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns2/svc2:p80" -m tcp --dport 3001 -j KUBE-XLB-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-XLB-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 has no local endpoints" -j KUBE-MARK-DROP',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns2/svc2:p80 health check node port" -m tcp --dport 30000 -j ACCEPT',
    ]);
    expect(chainRules(oldL, 'nat', 'KUBE-XLB-GNZBNJ2PO5MGZ6GT').at(-1)).toBe('-A KUBE-XLB-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80" -j KUBE-SEP-' + chainRules(curL, 'nat', 'KUBE-SVL-GNZBNJ2PO5MGZ6GT')[0].split('KUBE-SEP-')[1]);
  });

  it('v1.23 flows with a local endpoint: external → the local endpoint only, not masqueraded', () => {
    for (const dst of ['192.168.99.22:80', '192.168.0.2:3001']) {
      expectFlow(oldL.sim, EXTERNAL, dst, { endpoints: eps('10.180.2.1:80'), masq: false });
      expectFlow(oldL.sim, POD, dst, { endpoints: eps('10.180.0.1:80', '10.180.2.1:80'), masq: false });
    }
  });
});

// --- S5 -----------------------------------------------------------------------------------

describe('S5 LoadBalancer with loadBalancerSourceRanges and ClientIP affinity', () => {
  const cur = scenario('s05-lb-source-ranges-affinity', ['s05-lb-source-ranges-affinity.yaml'], '1.31');
  const old = scenario('s05-lb-source-ranges-affinity', ['s05-lb-source-ranges-affinity.yaml'], '1.23');

  it('writes the reference lines (v1.31)', () => {
    expectLines(cur, [
      '-A KUBE-SERVICES -d 5.6.7.8/32 -p tcp -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -s 203.0.113.0/25 -m comment --comment "ns5/svc5:p80 loadbalancer IP" -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -j KUBE-SEP-I77PXRDZVX7PMWMN',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN',
      '-A KUBE-SEP-I77PXRDZVX7PMWMN -p tcp -m comment --comment "ns5/svc5:p80" -m recent --set --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.3:80',
      '-A KUBE-PROXY-FIREWALL -d 5.6.7.8/32 -p tcp -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp --dport 80 -j DROP',
      '-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns5/svc5:p80" -m tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    ]);
    // healthCheckNodePort is ignored with externalTrafficPolicy Cluster.
    expect(cur.text).not.toContain('health check node port');
  });

  it('flows: in range → endpoint, masqueraded; out of range → DROP; the NodePort ignores the ranges', () => {
    expectFlow(cur.sim, EXTERNAL, '5.6.7.8:80', { endpoints: eps('10.180.0.3:80'), masq: true });
    expectFlow(cur.sim, BLOCKED, '5.6.7.8:80', 'DROP');
    expectFlow(cur.sim, BLOCKED, '192.168.0.2:3002', { endpoints: eps('10.180.0.3:80'), masq: true });
  });

  it('v1.23: same affinity rules with bare comments; KUBE-FW masquerades, then source ranges, then KUBE-MARK-DROP', () => {
    expectLines(old, [
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -j KUBE-SEP-I77PXRDZVX7PMWMN',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80" -j KUBE-SEP-I77PXRDZVX7PMWMN',
      '-A KUBE-SEP-I77PXRDZVX7PMWMN -p tcp -m comment --comment "ns5/svc5:p80" -m recent --set --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.3:80',
    ]);
    expect(chainRules(old, 'nat', 'KUBE-FW-NUKIZ6OKUXPJNT4C')).toEqual([
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -j KUBE-MARK-MASQ',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -s 203.0.113.0/25 -m comment --comment "ns5/svc5:p80 loadbalancer IP" -j KUBE-SVC-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -j KUBE-MARK-DROP',
    ]);
    expectFlow(old.sim, EXTERNAL, '5.6.7.8:80', { endpoints: eps('10.180.0.3:80'), masq: true });
  });
});

// --- S6 -----------------------------------------------------------------------------------

describe('S6 two LB IPs, a source range containing the node IP (TestLoadBalancer)', () => {
  const cur = scenario('s06-lb-two-ips', ['s06-lb-two-ips.yaml'], '1.31');
  const old = scenario('s06-lb-two-ips', ['s06-lb-two-ips.yaml'], '1.23');

  it('writes KUBE-FW: both ranges, then both LB IPs, then the comment-only rule; one firewall DROP per LB IP', () => {
    expect(chainRules(cur, 'nat', 'KUBE-FW-XPGD46QRK7WJZT7O')).toEqual([
      '-A KUBE-FW-XPGD46QRK7WJZT7O -s 192.168.0.0/24 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-EXT-XPGD46QRK7WJZT7O',
      '-A KUBE-FW-XPGD46QRK7WJZT7O -s 203.0.113.0/25 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-EXT-XPGD46QRK7WJZT7O',
      '-A KUBE-FW-XPGD46QRK7WJZT7O -s 1.2.3.4/32 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-EXT-XPGD46QRK7WJZT7O',
      '-A KUBE-FW-XPGD46QRK7WJZT7O -s 5.6.7.8/32 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-EXT-XPGD46QRK7WJZT7O',
      '-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"',
    ]);
    expect(chainRules(cur, 'filter', 'KUBE-PROXY-FIREWALL')).toEqual([
      '-A KUBE-PROXY-FIREWALL -d 1.2.3.4/32 -p tcp -m comment --comment "ns1/svc1:p80 traffic not accepted by KUBE-FW-XPGD46QRK7WJZT7O" -m tcp --dport 80 -j DROP',
      '-A KUBE-PROXY-FIREWALL -d 5.6.7.8/32 -p tcp -m comment --comment "ns1/svc1:p80 traffic not accepted by KUBE-FW-XPGD46QRK7WJZT7O" -m tcp --dport 80 -j DROP',
    ]);
    expectLines(cur, [
      '-A KUBE-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O',
      '-A KUBE-SERVICES -d 5.6.7.8/32 -p tcp -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns1/svc1:p80" -m tcp --dport 3001 -j KUBE-EXT-XPGD46QRK7WJZT7O',
    ]);
  });

  it('v1.23: one KUBE-FW block per LB IP (proxier.go wrote it inside the ingress loop), each allowing its own LB IP as source', () => {
    const block = (lb: string) => [
      '-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-MARK-MASQ',
      '-A KUBE-FW-XPGD46QRK7WJZT7O -s 192.168.0.0/24 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-SVC-XPGD46QRK7WJZT7O',
      '-A KUBE-FW-XPGD46QRK7WJZT7O -s 203.0.113.0/25 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-SVC-XPGD46QRK7WJZT7O',
      `-A KUBE-FW-XPGD46QRK7WJZT7O -s ${lb}/32 -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-SVC-XPGD46QRK7WJZT7O`,
      '-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -j KUBE-MARK-DROP',
    ];
    expect(chainRules(old, 'nat', 'KUBE-FW-XPGD46QRK7WJZT7O')).toEqual([...block('1.2.3.4'), ...block('5.6.7.8')]);
    expect(old.text).not.toContain('KUBE-PROXY-FIREWALL');
  });

  it('flows of TestLoadBalancer', () => {
    const ep = { endpoints: eps('10.180.0.1:80'), masq: true };
    expectFlow(cur.sim, POD, '172.30.0.41:80', { endpoints: eps('10.180.0.1:80'), masq: false });
    expectFlow(cur.sim, EXTERNAL, '192.168.0.2:3001', ep);
    expectFlow(cur.sim, BLOCKED, '192.168.0.2:3001', ep); // NodePort bypasses the source ranges
    for (const lb of ['1.2.3.4:80', '5.6.7.8:80']) {
      expectFlow(cur.sim, EXTERNAL, lb, ep);
      expectFlow(cur.sim, BLOCKED, lb, 'DROP');
      expectFlow(cur.sim, POD, lb, 'DROP'); // ranges are checked before the pod short-circuit
      expectFlow(cur.sim, HOST, lb, ep);
      expectFlow(cur.sim, `external/${lb.split(':')[0]}`, lb, ep); // SNATted to the LB IP: implicitly allowed
    }
  });
});

// --- S7 -----------------------------------------------------------------------------------

describe('S7 no endpoints ⇒ REJECT', () => {
  const cur = scenario('s07-no-endpoints', ['s07-no-endpoints.yaml'], '1.31');
  const old = scenario('s07-no-endpoints', ['s07-no-endpoints.yaml'], '1.23');

  it('REJECTs in filter and writes nothing in nat (both layouts)', () => {
    for (const s of [cur, old]) {
      expectLines(s, [
        '-A KUBE-SERVICES -d 172.30.0.46/32 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        '-A KUBE-EXTERNAL-SERVICES -d 192.168.99.11/32 -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        '-A KUBE-EXTERNAL-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 3001 -j REJECT --reject-with icmp-port-unreachable',
      ]);
      expect(s.table('nat').join('\n')).not.toMatch(/ns6\/svc6|ns1\/svc1/);
    }
  });

  it('flows: a pod or an external client is REJECTed on every address', () => {
    for (const s of [cur, old]) {
      for (const dst of ['172.30.0.46:80', '172.30.0.41:80', '192.168.99.11:80', '192.168.0.2:3001', '1.2.3.4:80']) expectFlow(s.sim, POD, dst, 'REJECT');
      for (const dst of ['192.168.99.11:80', '192.168.0.2:3001', '1.2.3.4:80']) expectFlow(s.sim, EXTERNAL, dst, 'REJECT');
    }
  });
});

// --- S8 -----------------------------------------------------------------------------------

describe('S8 NodePort addresses and localhost NodePorts (TestNodePorts)', () => {
  const variants = [
    { name: 's08-nodeports', extra: [] as string[] },
    { name: 's08-nodeports-no-localhost', extra: ['s08-config-no-localhost.yaml'] },
    { name: 's08-nodeports-addresses-loopback', extra: ['s08-config-addresses-loopback.yaml'] },
    { name: 's08-nodeports-addresses-two', extra: ['s08-config-addresses-two.yaml'] },
  ];
  const cur = Object.fromEntries(variants.map((v) => [v.name, scenario(v.name, ['s08-nodeports.yaml', ...v.extra], '1.31')]));
  for (const v of variants) scenario(v.name, ['s08-nodeports.yaml', ...v.extra], '1.23');
  const np = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain';
  const both = { endpoints: eps('10.180.0.1:80', '10.180.2.1:80'), masq: true };

  it('the last KUBE-SERVICES rule(s) per case', () => {
    const last = (n: string) => chainRules(cur[n], 'nat', 'KUBE-SERVICES').filter((l) => l.includes(np));
    expect(last('s08-nodeports')).toEqual([`-A KUBE-SERVICES -m comment --comment "${np}" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`]);
    expect(last('s08-nodeports-no-localhost')).toEqual([`-A KUBE-SERVICES ! -d 127.0.0.0/8 -m comment --comment "${np}" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`]);
    expect(last('s08-nodeports-addresses-loopback')).toEqual([`-A KUBE-SERVICES -d 192.168.0.2/32 -m comment --comment "${np}" -j KUBE-NODEPORTS`]);
    expect(last('s08-nodeports-addresses-two')).toEqual([
      `-A KUBE-SERVICES -d 192.168.0.2/32 -m comment --comment "${np}" -j KUBE-NODEPORTS`,
      `-A KUBE-SERVICES -d 192.168.1.2/32 -m comment --comment "${np}" -j KUBE-NODEPORTS`,
    ]);
    // The localhost (nfacct) NodePort rule only with localhostNodePorts.
    expect(cur['s08-nodeports'].text).toContain('-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns1/svc1:p80" -m tcp --dport 3001 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-XPGD46QRK7WJZT7O');
    expect(cur['s08-nodeports-no-localhost'].text).not.toContain('localhost_nps_accepted_pkts');
  });

  it('flows per case', () => {
    const s = (n: string) => cur[n].sim;
    expectFlow(s('s08-nodeports'), HOST, '127.0.0.1:3001', both);
    expectFlow(s('s08-nodeports'), EXTERNAL, '192.168.1.2:3001', both);
    expectIgnored(s('s08-nodeports-no-localhost'), HOST, '127.0.0.1:3001');
    expectFlow(s('s08-nodeports-no-localhost'), EXTERNAL, '192.168.1.2:3001', both);
    expectIgnored(s('s08-nodeports-addresses-loopback'), HOST, '127.0.0.1:3001');
    expectIgnored(s('s08-nodeports-addresses-loopback'), EXTERNAL, '192.168.1.2:3001');
    expectIgnored(s('s08-nodeports-addresses-two'), HOST, '127.0.0.1:3001');
    expectFlow(s('s08-nodeports-addresses-two'), EXTERNAL, '192.168.1.2:3001', both);
    for (const v of variants) {
      expectFlow(s(v.name), EXTERNAL, '192.168.0.2:3001', both);
      expectFlow(s(v.name), HOST, '192.168.0.2:3001', both);
    }
  });
});

// --- S9 -----------------------------------------------------------------------------------

describe('S9 terminating and serving endpoints', () => {
  const c = (eps: string) => ['s09-svc-etp-cluster.yaml', `s09-eps-${eps}.yaml`];
  const l = (eps: string) => ['s09-svc-etp-local.yaml', `s09-eps-${eps}.yaml`];
  const cases = {
    'cluster-ready': c('cluster-ready'), 'cluster-terminating': c('cluster-terminating'), 'cluster-remote-terminating': c('remote-terminating'), 'cluster-none-usable': c('none-usable'),
    'local-ready': l('cluster-ready'), 'local-terminating': l('local-terminating'), 'local-remote-terminating': l('remote-terminating'), 'local-none-usable': l('none-usable'),
  };
  const cur: Record<string, Loaded> = {};
  const old: Record<string, Loaded> = {};
  for (const [k, files] of Object.entries(cases)) {
    cur[k] = scenario(`s09-${k}`, files, '1.31');
    old[k] = scenario(`s09-${k}`, files, '1.23');
  }
  const CIP = '172.30.1.1:80';
  const LB = '1.2.3.4:80';
  const e = (...n: number[]) => n.map((i) => `10.0.1.${i}:80`);

  it('externalTrafficPolicy Cluster: ready endpoints, else serving+terminating ones, else REJECT', () => {
    const s = (k: string) => cur[k].sim;
    expectFlow(s('cluster-ready'), POD, CIP, { endpoints: e(1, 2, 5), masq: false });
    expectFlow(s('cluster-ready'), EXTERNAL, LB, { endpoints: e(1, 2, 5), masq: true });
    expectFlow(s('cluster-terminating'), POD, CIP, { endpoints: e(2, 3, 5), masq: false });
    expectFlow(s('cluster-terminating'), EXTERNAL, LB, { endpoints: e(2, 3, 5), masq: true });
    expectFlow(s('cluster-remote-terminating'), POD, CIP, { endpoints: e(5), masq: false });
    expectFlow(s('cluster-remote-terminating'), EXTERNAL, LB, { endpoints: e(5), masq: true });
    expectFlow(s('cluster-none-usable'), POD, CIP, 'REJECT');
    expectFlow(s('cluster-none-usable'), EXTERNAL, LB, 'REJECT');
    // Not-ready, not-serving endpoints never get a KUBE-SEP chain.
    expect(cur['cluster-ready'].text).not.toMatch(/10\.0\.1\.[34]:80/);
    expect(cur['cluster-terminating'].text).not.toMatch(/10\.0\.1\.[14]:80/);
    expectLines(cur['cluster-none-usable'], ['-A KUBE-SERVICES -d 172.30.1.1/32 -p tcp -m comment --comment "ns1/svc1 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable']);
  });

  it('externalTrafficPolicy Local: the two policies fall back independently', () => {
    const s = (k: string) => cur[k].sim;
    expectFlow(s('local-ready'), POD, CIP, { endpoints: e(1, 2, 5), masq: false });
    expectFlow(s('local-ready'), EXTERNAL, LB, { endpoints: e(1, 2), masq: false });
    expectFlow(s('local-terminating'), POD, CIP, { endpoints: e(5), masq: false });
    expectFlow(s('local-terminating'), EXTERNAL, LB, { endpoints: e(2, 3), masq: false });
    expectFlow(s('local-remote-terminating'), POD, CIP, { endpoints: e(5), masq: false });
    expectFlow(s('local-remote-terminating'), EXTERNAL, LB, 'DROP');
    expectFlow(s('local-none-usable'), POD, CIP, 'REJECT');
    expectFlow(s('local-none-usable'), EXTERNAL, LB, 'REJECT');
    expectLines(cur['local-remote-terminating'], ['-A KUBE-EXTERNAL-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns1/svc1 has no local endpoints" -m tcp --dport 80 -j DROP']);
  });

  it('v1.23 uses ready endpoints only (no terminating fallback)', () => {
    expectFlow(old['cluster-ready'].sim, POD, CIP, { endpoints: e(1, 2, 5), masq: false });
    for (const k of ['cluster-terminating', 'cluster-remote-terminating', 'cluster-none-usable']) {
      expectFlow(old[k].sim, POD, CIP, 'REJECT');
      expectLines(old[k], ['-A KUBE-SERVICES -d 172.30.1.1/32 -p tcp -m comment --comment "ns1/svc1 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable']);
    }
    expectFlow(old['local-terminating'].sim, POD, CIP, { endpoints: e(5), masq: false });
    expectLines(old['local-terminating'], ['-A KUBE-XLB-BLOJZ3R2QMWS3ZOM -m comment --comment "ns1/svc1 has no local endpoints" -j KUBE-MARK-DROP'.replace('BLOJZ3R2QMWS3ZOM', cur['local-terminating'].text.match(/KUBE-SVC-(\w{16})/)![1])]);
  });
});

// --- S10 ----------------------------------------------------------------------------------

describe('S10 masquerade matrix (TestInternalExternalMasquerade)', () => {
  const base = scenario('s10-masquerade', ['s10-masquerade.yaml'], '1.31');
  const all = scenario('s10-masquerade-all', ['s10-masquerade.yaml', 's10-config-masquerade-all.yaml'], '1.31');
  const oldBase = scenario('s10-masquerade', ['s10-masquerade.yaml'], '1.23');
  scenario('s10-masquerade-all', ['s10-masquerade.yaml', 's10-config-masquerade-all.yaml'], '1.23');
  const e = (i: number, which: 'both' | 'local' = 'both') => (which === 'local' ? [`10.180.0.${i}:80`] : [`10.180.0.${i}:80`, `10.180.1.${i}:80`]);

  it('base: who is masqueraded', () => {
    const s = base.sim;
    // svc1: Cluster / Cluster.
    expectFlow(s, POD, '172.30.0.41:80', { endpoints: e(1), masq: false });
    expectFlow(s, POD, '192.168.0.2:3001', { endpoints: e(1), masq: true });
    expectFlow(s, POD, '1.2.3.4:80', { endpoints: e(1), masq: true });
    expectFlow(s, HOST, '172.30.0.41:80', { endpoints: e(1), masq: true });
    expectFlow(s, HOST, '1.2.3.4:80', { endpoints: e(1), masq: true });
    expectFlow(s, EXTERNAL, '192.168.0.2:3001', { endpoints: e(1), masq: true });
    expectFlow(s, EXTERNAL, '1.2.3.4:80', { endpoints: e(1), masq: true });
    // svc2: externalTrafficPolicy Local.
    expectFlow(s, POD, '172.30.0.42:80', { endpoints: e(2), masq: false });
    expectFlow(s, POD, '192.168.0.2:3002', { endpoints: e(2), masq: false });
    expectFlow(s, POD, '5.6.7.8:80', { endpoints: e(2), masq: false });
    expectFlow(s, EXTERNAL, '192.168.0.2:3002', { endpoints: e(2, 'local'), masq: false });
    expectFlow(s, EXTERNAL, '5.6.7.8:80', { endpoints: e(2, 'local'), masq: false });
    expectFlow(s, HOST, '5.6.7.8:80', { endpoints: e(2), masq: true });
    expectFlow(s, HOST, '192.168.0.2:3002', { endpoints: e(2), masq: true });
    // svc3: internalTrafficPolicy Local — only the ClusterIP is affected.
    expectFlow(s, POD, '172.30.0.43:80', { endpoints: e(3, 'local'), masq: false });
    expectFlow(s, HOST, '172.30.0.43:80', { endpoints: e(3, 'local'), masq: true });
    expectFlow(s, POD, '192.168.0.2:3003', { endpoints: e(3), masq: true });
    expectFlow(s, EXTERNAL, '9.10.11.12:80', { endpoints: e(3), masq: true });
  });

  it('internalTrafficPolicy Local: capture and masquerade rule in KUBE-SVL; KUBE-SVC still serves external traffic', () => {
    const svl = base.text.match(/-A KUBE-SERVICES -d 172\.30\.0\.43\/32 .* -j (KUBE-SVL-\w{16})/)![1];
    expect(chainRules(base, 'nat', svl)[0]).toBe(`-A ${svl} ! -s 10.0.0.0/8 -d 172.30.0.43/32 -p tcp -m comment --comment "ns1/svc3:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`);
    expect(chainRules(base, 'nat', svl)).toHaveLength(2);
    expect(chainRules(base, 'nat', svl.replace('SVL', 'SVC'))).toHaveLength(2);
  });

  it('masqueradeAll: the masquerade rules lose "! -s", so a pod → ClusterIP is masqueraded too', () => {
    expect(all.text).toContain('-A KUBE-SVC-4I2EOE3QV5D32A4X -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ'.replace('4I2EOE3QV5D32A4X', base.text.match(/172\.30\.0\.41\/32 .* -j KUBE-SVC-(\w{16})/)![1]));
    expect(all.text).not.toContain('! -s 10.0.0.0/8');
    expectFlow(all.sim, POD, '172.30.0.41:80', { endpoints: e(1), masq: true });
    expectFlow(all.sim, POD, '172.30.0.42:80', { endpoints: e(2), masq: true });
    expectFlow(all.sim, POD, '172.30.0.43:80', { endpoints: e(3, 'local'), masq: true });
    // External destinations are unchanged.
    expectFlow(all.sim, EXTERNAL, '5.6.7.8:80', { endpoints: e(2, 'local'), masq: false });
  });

  it('v1.23 flows where the layouts agree', () => {
    const s = oldBase.sim;
    expectFlow(s, POD, '172.30.0.41:80', { endpoints: e(1), masq: false });
    expectFlow(s, EXTERNAL, '192.168.0.2:3001', { endpoints: e(1), masq: true });
    expectFlow(s, EXTERNAL, '1.2.3.4:80', { endpoints: e(1), masq: true });
    expectFlow(s, EXTERNAL, '192.168.0.2:3002', { endpoints: e(2, 'local'), masq: false });
    expectFlow(s, EXTERNAL, '5.6.7.8:80', { endpoints: e(2, 'local'), masq: false });
    expectFlow(s, POD, '192.168.0.2:3002', { endpoints: e(2), masq: false });
  });
});

// --- §3.1: the v1.23 example in both layouts ---------------------------------------------------

describe('§3.1 default/web example in both layouts', () => {
  const old = scenario('v123-web', ['v123-web.yaml'], '1.23', { own: true, node: 'node1' });
  const cur = scenario('v123-web', ['v123-web.yaml'], '1.31', { own: true, node: 'node1' });

  it('v1.23 prints the §3.1 lines', () => expectLines(old, [
    '-A KUBE-SERVICES -d 10.96.45.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G ! -s 10.244.0.0/16 -d 10.96.45.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-3BXOQLMOWG4452TJ',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-4OIMBIYGK4QJUGT7',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -j KUBE-SEP-MFGO3BGRD3ANO6BZ',
    '-A KUBE-SEP-4OIMBIYGK4QJUGT7 -s 10.244.2.7/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-4OIMBIYGK4QJUGT7 -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.2.7:80',
    '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-SVC-LOLE4ISW44XBNF3G',
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    '-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000',
  ]));

  it('v1.31 prints the same Service in the current layout', () => expectLines(cur, [
    '-A KUBE-SERVICES -d 10.96.45.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G ! -s 10.244.0.0/16 -d 10.96.45.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.1.5:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-3BXOQLMOWG4452TJ',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.2.7:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-4OIMBIYGK4QJUGT7',
    '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.3.9:80" -j KUBE-SEP-MFGO3BGRD3ANO6BZ',
    '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-EXT-LOLE4ISW44XBNF3G',
    '-A KUBE-EXT-LOLE4ISW44XBNF3G -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-LOLE4ISW44XBNF3G -j KUBE-SVC-LOLE4ISW44XBNF3G',
  ]));
});

// --- one case per remaining feature ----------------------------------------------------------

describe('features S1–S10 do not cover', () => {
  const both = (name: string, files: string[], opts: { own?: boolean } = {}) => (['1.31', '1.23'] as const).map((v) => scenario(name, files, v, opts));
  const itp = both('x-itp-local-no-local-endpoint', ['x-itp-local-no-local-endpoint.yaml']);
  const named = both('x-named-target-ports', ['x-named-target-ports.yaml']);
  const pnr = both('x-publish-not-ready', ['x-publish-not-ready.yaml']);
  const headless = both('x-headless-externalname', ['x-headless-externalname.yaml']);
  const podSubnet = both('x-cluster-cidr-podsubnet', ['x-cluster-cidr-podsubnet.yaml'], { own: true });
  const kpCIDR = both('x-cluster-cidr-kube-proxy', ['x-cluster-cidr-kube-proxy.yaml'], { own: true });
  const centos = both('x-centos7', ['x-centos7.yaml'], { own: true });

  it('internalTrafficPolicy Local without a local endpoint: DROP in filter KUBE-SERVICES, nothing in nat', () => {
    const s = itp[0];
    expectLines(s, ['-A KUBE-SERVICES -d 172.30.0.50/32 -p tcp -m comment --comment "ns1/itp:p80 has no local endpoints" -m tcp --dport 80 -j DROP']);
    expect(s.table('nat').join('\n')).not.toContain('ns1/itp');
    expectFlow(s.sim, POD, '172.30.0.50:80', 'DROP');
  });

  it('named targetPort resolved per pod, multi-port', () => {
    for (const s of named) {
      const dnat = s.table('nat').filter((l) => l.includes('-j DNAT') && l.includes('ns1/web'));
      expect(dnat.map((l) => l.replace(/^-A KUBE-SEP-\w{16} /, ''))).toEqual(expect.arrayContaining([
        '-p tcp -m comment --comment "ns1/web:http" -m tcp -j DNAT --to-destination 10.0.0.11:8080',
        '-p tcp -m comment --comment "ns1/web:http" -m tcp -j DNAT --to-destination 10.0.0.12:9090',
        '-p tcp -m comment --comment "ns1/web:metrics" -m tcp -j DNAT --to-destination 10.0.0.11:9100',
        '-p tcp -m comment --comment "ns1/web:metrics" -m tcp -j DNAT --to-destination 10.0.0.12:9100',
      ]));
      expect(dnat).toHaveLength(4);
      expectFlow(s.sim, POD, '172.30.0.60:80', { endpoints: eps('10.0.0.11:8080', '10.0.0.12:9090'), masq: false });
      expectFlow(s.sim, POD, '172.30.0.60:9100', { endpoints: eps('10.0.0.11:9100', '10.0.0.12:9100'), masq: false });
    }
  });

  it('publishNotReadyAddresses: a not-ready pod is an endpoint of that Service only', () => {
    for (const s of pnr) {
      expect(s.text).toContain('-j DNAT --to-destination 10.0.0.21:5432');
      expectLines(s, ['-A KUBE-SERVICES -d 172.30.0.71/32 -p tcp -m comment --comment "ns1/db:sql has no endpoints" -m tcp --dport 5432 -j REJECT --reject-with icmp-port-unreachable']);
      expectFlow(s.sim, POD, '172.30.0.70:5432', { endpoints: eps('10.0.0.21:5432'), masq: false });
      expectFlow(s.sim, POD, '172.30.0.71:5432', 'REJECT');
    }
  });

  it('headless and ExternalName Services get no rules', () => {
    for (const s of headless) {
      expect(s.sim.snapshot().endpointSlices.some((e) => e.metadata.labels?.['kubernetes.io/service-name'] === 'headless')).toBe(true);
      expect(s.text).not.toMatch(/ns1\/(headless|extname)|10\.0\.0\.31/);
    }
  });

  it('clusterCIDR: KubeProxyConfiguration wins, else the kubeadm podSubnet', () => {
    for (const [sub, kp] of [[podSubnet[0], kpCIDR[0]], [podSubnet[1], kpCIDR[1]]]) {
      const rule = (cidr: string) => `! -s ${cidr} -d 10.96.100.1/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`;
      expect(sub.text).toContain(rule('10.32.0.0/12'));
      expect(kp.text).toContain(rule('10.100.0.0/16'));
      expect(kp.text).not.toContain('10.32.0.0/12');
    }
  });

  it('CentOS 7 (iptables 1.4.21): MASQUERADE without --random-fully, legacy table order', () => {
    for (const s of centos) {
      expectLines(s, ['-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE']);
      expect(s.text).not.toContain('--random-fully');
      expect(s.text.split('\n')[0]).toMatch(/^# Generated by iptables-save v1\.4\.21 on /);
      expect(s.text.split('\n').filter((l) => l.startsWith('*'))).toEqual(['*nat', '*mangle', '*filter']);
    }
    // Any other node image of the fixtures does use it.
    expect(generated.find((g) => g.name === 's01-clusterip')!.text).toContain('-j MASQUERADE --random-fully');
  });
});

// --- every generated ruleset: golden, save order, round trip --------------------------------------

describe('goldens and iptables-save round trip', () => {
  it('generated every scenario in both layouts', () => {
    const names = new Set(generated.map((g) => g.name));
    for (const n of names) expect(generated.filter((g) => g.name === n).map((g) => g.version).sort(), n).toEqual(['1.23', '1.31']);
  });

  it.each(generated.map((g) => [`${g.name} v${g.version}`, g] as const))('%s', async (_label, g) => {
    await expect(g.text).toMatchFileSnapshot(path.join(SCENARIO_GOLDEN, `${g.name}.v${g.version}.iptables-save`));

    // Chains in iptables-save order: built-ins first, then user chains by strcmp; rules grouped
    // by chain in that order.
    const parsed = parseIptablesSave(g.text);
    expect(parsed.errors).toEqual([]);
    for (const block of g.text.split('COMMIT\n').slice(0, -1)) {
      const decl = block.split('\n').filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]);
      const user = decl.filter((c) => !['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].includes(c));
      expect(user).toEqual([...user].sort());
      const ruleChains = block.split('\n').filter((l) => l.startsWith('-A ')).map((l) => l.split(' ')[1]);
      const order = ruleChains.map((c) => decl.indexOf(c));
      expect(order.every((x, i) => x >= 0 && (i === 0 || x >= order[i - 1]))).toBe(true);
    }

    // The parsed dump prints back byte for byte.
    expect(printIptablesSave(parsed.ruleset, saveOptions(parsed))).toBe(g.text);

    // Every generated rule is canonical: parsing its text and printing the parts gives it back.
    for (const t of g.sim.ruleset(g.node)!.tables) {
      for (const c of t.chains) {
        for (const r of c.rules) {
          const text = ruleSpec(r);
          const p = parseRuleWords(splitRestoreLine(text));
          if ('error' in p) throw new Error(`${c.name}${text}: ${p.error}`);
          expect(p.rules).toHaveLength(1);
          expect(ruleSpec(p.rules[0]), `${t.name} ${c.name}`).toBe(text);
        }
      }
    }
  });
});
