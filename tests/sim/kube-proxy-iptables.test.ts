// kube-proxy's iptables rules, YAML in → the lines iptables-save prints, for the current
// layout (checked against kube-proxy's own proxier tests) and the v1.20–v1.23 one.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Simulation } from '../../src/sim/index';
import { kubeProxyIptables } from '../../src/sim/kube-proxy/iptables/index';
import { printIptablesSave } from '../../src/sim/netfilter/save';
import { course, GOLDEN } from './helpers';

const file = (p: string) => ({ name: path.basename(p), text: readFileSync(path.join(GOLDEN, 'kube-proxy', p), 'utf8') });

function save(sim: Simulation, node: string): string {
  const t = kubeProxyIptables(sim.snapshot(), node)!;
  return printIptablesSave(t.ruleset, { version: t.facts.version, date: 'Sun Jun  1 08:00:00 2025', tableOrder: ['mangle', 'filter', 'nat'] });
}

function lines(text: string): Set<string> {
  return new Set(text.split('\n'));
}

describe('current layout (v1.31) against proxier_test.go TestOverallIPTablesRules', () => {
  const sim = Simulation.load([file('proxier-fixture.yaml'), file('overall.yaml')], { kubeProxyVersion: '1.31' });
  const out = save(sim, 'test-node');
  const have = lines(out);
  const expectLines = (ls: string[]) => { for (const l of ls) expect(have, l).toContain(l); };

  it('loads the fixture cleanly', () => {
    expect(sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('S1 plain ClusterIP', () => expectLines([
    '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    '-A KUBE-SVC-XPGD46QRK7WJZT7O ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    '-A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-SXIVWICOYRO3J4NJ -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80',
  ]));

  it('S2 NodePort with externalTrafficPolicy Cluster', () => expectLines([
    '-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK',
    '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK',
    '-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ',
    '-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK',
    '-A KUBE-SEP-OYPFS5VJICHGATKP -p tcp -m comment --comment "ns3/svc3:p80" -m tcp -j DNAT --to-destination 10.180.0.3:80',
  ]));

  it('S3 externalIP with a two-way split', () => expectLines([
    '-A KUBE-SERVICES -d 192.168.99.33/32 -p tcp -m comment --comment "ns4/svc4:p80 external IP" -m tcp --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK',
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
  ]));

  it('S4 LoadBalancer with externalTrafficPolicy Local and no local endpoint', () => {
    expectLines([
      '-A KUBE-SERVICES -d 172.30.0.42/32 -p tcp -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-SERVICES -d 192.168.99.22/32 -p tcp -m comment --comment "ns2/svc2:p80 external IP" -m tcp --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -s 10.0.0.0/8 -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns2/svc2:p80 health check node port" -m tcp --dport 30000 -j ACCEPT',
      '-A KUBE-EXTERNAL-SERVICES -d 192.168.99.22/32 -p tcp -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 3001 -j DROP',
    ]);
    expect(out).not.toContain('KUBE-SVL-GNZBNJ2PO5MGZ6GT');
    expect(out.split('\n').filter((l) => l.startsWith('-A KUBE-EXT-GNZBNJ2PO5MGZ6GT'))).toHaveLength(3);
  });

  it('S5 LoadBalancer with source ranges and ClientIP affinity', () => expectLines([
    '-A KUBE-SERVICES -d 5.6.7.8/32 -p tcp -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C',
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -s 203.0.113.0/25 -m comment --comment "ns5/svc5:p80 loadbalancer IP" -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
    '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
    '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -j KUBE-SEP-I77PXRDZVX7PMWMN',
    '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN',
    '-A KUBE-SEP-I77PXRDZVX7PMWMN -p tcp -m comment --comment "ns5/svc5:p80" -m recent --set --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.3:80',
    '-A KUBE-PROXY-FIREWALL -d 5.6.7.8/32 -p tcp -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp --dport 80 -j DROP',
  ]));

  it('S7 no endpoints: REJECT in filter, nothing in nat', () => {
    expectLines(['-A KUBE-SERVICES -d 172.30.0.46/32 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable']);
    expect(out.split('*nat')[1]).not.toContain('ns6/svc6');
  });

  it('fixed chains as a current node prints them', () => expectLines([
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP',
    '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
  ]));

  it('matches the recorded iptables-save golden', async () => {
    await expect(out).toMatchFileSnapshot(path.join(GOLDEN, 'kube-proxy', 'overall-v1.31.iptables-save'));
  });
});

describe('v1.23 layout (kube-proxy.md §3.1)', () => {
  const sim = Simulation.load([file('web-v1.23.yaml')], { kubeProxyVersion: '1.23' });
  const out = save(sim, 'node1');

  it('prints the v1.23 chains exactly', () => {
    const want = `-A KUBE-SERVICES -d 10.96.45.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G ! -s 10.244.0.0/16 -d 10.96.45.10/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-3BXOQLMOWG4452TJ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-4OIMBIYGK4QJUGT7
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web" -j KUBE-SEP-MFGO3BGRD3ANO6BZ
-A KUBE-SEP-4OIMBIYGK4QJUGT7 -s 10.244.2.7/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ
-A KUBE-SEP-4OIMBIYGK4QJUGT7 -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination 10.244.2.7:80
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport 30080 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`;
    const have = lines(out);
    for (const l of want.split('\n')) expect(have, l).toContain(l);
    for (const gone of ['KUBE-EXT-', 'KUBE-SVL-', 'KUBE-PROXY-FIREWALL', 'nfacct']) expect(out).not.toContain(gone);
    expect(out).toContain('-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000');
  });

  it('drops --random-fully on a CentOS 7 node (iptables 1.4.21)', () => {
    const centos = readFileSync(path.join(GOLDEN, 'kube-proxy', 'web-v1.23.yaml'), 'utf8') + '---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node1\nstatus:\n  nodeInfo:\n    osImage: CentOS Linux 7 (Core)\n';
    const s = Simulation.load([{ name: 'c7.yaml', text: centos }], { kubeProxyVersion: '1.23' });
    expect(save(s, 'node1')).toContain('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE\n');
  });

  it('course demoapp ×3 in both layouts', async () => {
    for (const v of ['1.23', '1.31']) {
      const s = Simulation.load([course('12')], { kubeProxyVersion: v, seed: 1 });
      await expect(save(s, 'node2')).toMatchFileSnapshot(path.join(GOLDEN, 'kube-proxy', `demoapp-v${v}.iptables-save`));
    }
  });
});
