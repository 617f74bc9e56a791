// kube-proxy in nftables mode on one node: the `ip kube-proxy` table (and its empty `ip6`
// twin) as the kernel holds it after kube-proxy's first full sync, in the v1.31–v1.34 layout
// (pkg/proxy/nftables/proxier.go: setupNFTables + syncProxyRules). Rule texts are what
// `nft list` prints for what kube-proxy writes (checked against nft 1.0.6 in a network
// namespace: tests/kernel/nftables-conformance.test.ts).
//
// Decisions per Service port are those of the iptables mode (service-ports.ts, reference §2.3).
// kube-proxy visits Services in Go map order, which is random; we visit them sorted by
// servicePortName, so per-service chains are created (and listed) in that order.
import type { ClusterSnapshot } from '../../snapshot';
import type { Node } from '../../api/objects';
import type { NftFamily, NftOrigin, NftTable } from '../../nftables/model';
import { formatCidr, formatIPv4, isIPv4, parseCidr, parseIPv4 } from '../../api/ipnet';
import { servicePorts, type ProxyEndpoint, type ServicePortInfo } from '../service-ports';
import { proxyMinor } from '../iptables/options';
import { nodeIPs } from '../iptables/index';
import { NftTableBuilder } from './build';
import { nftEndpointChain, nftServiceChains } from './naming';

export interface NftablesProxyOptions {
  family: NftFamily;
  nodeName: string;
  /** The node's primary address of this family (kube-proxy's nodeIP), if any. */
  nodeIP?: string;
  /** kube-proxy minor version (1.33 → 33). */
  minor: number;
  /** Local-traffic detector (detect-local-mode ClusterCIDR); undefined: none. */
  clusterCIDR?: string;
  masqueradeAll: boolean;
  /** 1 << masqueradeBit */
  masqueradeMark: number;
  /** The node addresses that accept NodePorts, or 'all' (nodePortAddresses matching everything). */
  nodePortIPs: string[] | 'all';
  /** ServiceCIDRs kube-proxy knows (v1.33+: from the ServiceCIDR objects); empty: none known. */
  serviceCIDRs: string[];
}

export const NFTABLES_TABLE = 'kube-proxy';
const KUBE_PROXY_TABLE_HANDLES = { ip: 7, ip6: 8 };
/** The layout imitated (reported by the shell and the UI). */
export const NFTABLES_LAYOUT = 'v1.31–v1.34';

/** kube-proxy's nftables table for the IPv4 family; undefined for an unknown node or a kube-proxy
 *  older than v1.29 (no nftables mode: it would not start). */
export function kubeProxyNftables(snap: ClusterSnapshot, node: string): NftTable | undefined {
  return kubeProxyNftablesTables(snap, node)?.ip;
}

/** Both of kube-proxy's tables: nftables mode always runs a dual-stack proxier (it assumes both
 *  families are supported), so an IPv4-only node has an `ip6 kube-proxy` table with only the
 *  fixed objects. `script`: also record the `nft -f` transaction that builds each (tests). */
export function kubeProxyNftablesTables(snap: ClusterSnapshot, node: string, opts: { script?: boolean } = {}): { ip: NftTable; ip6: NftTable; scripts: { ip: string[]; ip6: string[] } } | undefined {
  const n = snap.nodes.find((x) => x.metadata.name === node);
  if (!n) return undefined;
  const o4 = nftablesOptions(snap, n, 'ip');
  if (o4.minor < 29) return undefined;
  const o6 = nftablesOptions(snap, n, 'ip6');
  const ip = generate(servicePorts(snap, node), o4, opts.script ?? false);
  const ip6 = generate([], o6, opts.script ?? false);
  // Table handles count tables per network namespace: kubelet's six iptables-nft tables
  // (kubeletNftTables) come first, then kube-proxy's IPv4 and IPv6 proxiers.
  ip.table.handle = KUBE_PROXY_TABLE_HANDLES.ip;
  ip6.table.handle = KUBE_PROXY_TABLE_HANDLES.ip6;
  return { ip: ip.table, ip6: ip6.table, scripts: { ip: ip.script, ip6: ip6.script } };
}

/** The `ip6 kube-proxy` table alone (fixed objects only: the simulated cluster is IPv4). */
export function kubeProxyNftables6(snap: ClusterSnapshot, node: string): NftTable | undefined {
  const n = snap.nodes.find((x) => x.metadata.name === node);
  if (!n) return undefined;
  const o6 = nftablesOptions(snap, n, 'ip6');
  if (o6.minor < 29) return undefined;
  const t = generate([], o6, false).table;
  t.handle = KUBE_PROXY_TABLE_HANDLES.ip6;
  return t;
}

/** The `nft -f` transaction that rebuilds the IPv4 table in a fresh network namespace with the
 *  same handles (for the kernel conformance test). */
export function kubeProxyNftablesScript(snap: ClusterSnapshot, node: string): string | undefined {
  const t = kubeProxyNftablesTables(snap, node, { script: true });
  return t ? `${t.scripts.ip.join('\n')}\n` : undefined;
}

export function nftablesOptions(snap: ClusterSnapshot, node: Node, family: NftFamily): NftablesProxyOptions {
  const kp = snap.config.kubeProxy;
  const ips = nodeIPs(node);
  const v4 = ips.filter(isIPv4);
  const mine = family === 'ip' ? v4 : ips.filter((a) => a.includes(':'));
  // nftables mode defaults nodePortAddresses to "primary": the node's primary IP of each family.
  const configured = kp.nodePortAddresses.length === 0 || (kp.nodePortAddresses.length === 1 && kp.nodePortAddresses[0] === 'primary')
    ? [...(v4[0] ? [`${v4[0]}/32`] : [])]
    : kp.nodePortAddresses;
  const ofFamily = configured.filter((c) => (family === 'ip') === !c.includes(':'));
  const matchAll = ofFamily.length === 0 || ofFamily.some((c) => c.endsWith('/0'));
  const nodePortIPs = matchAll ? 'all' as const : mine.filter((ip) => !ip.startsWith('127.') && ofFamily.some((c) => inCidr(c, ip)));
  const minor = proxyMinor(kp.version);
  return {
    family,
    nodeName: node.metadata.name,
    nodeIP: mine[0],
    minor,
    clusterCIDR: family === 'ip' && kp.clusterCIDR && parseCidr(kp.clusterCIDR) ? formatCidr(parseCidr(kp.clusterCIDR)!) : undefined,
    masqueradeAll: kp.masqueradeAll,
    masqueradeMark: 2 ** kp.masqueradeBit,
    nodePortIPs,
    // kube-proxy learns the ServiceCIDRs from their API objects; it watches them only with
    // MultiCIDRServiceAllocator, on by default from v1.33 (GA).
    serviceCIDRs: family === 'ip' && minor >= 33 && parseCidr(snap.config.serviceSubnet) ? [formatCidr(parseCidr(snap.config.serviceSubnet)!)] : [],
  };
}

function inCidr(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const a = parseIPv4(ip);
  return c !== null && a !== null && a >= c.base && a < c.base + c.size;
}

const BASE_CHAINS = [
  { name: 'filter-prerouting', type: 'filter', hook: 'prerouting', priority: -110 },
  { name: 'filter-input', type: 'filter', hook: 'input', priority: -110 },
  { name: 'filter-forward', type: 'filter', hook: 'forward', priority: -110 },
  { name: 'filter-output', type: 'filter', hook: 'output', priority: -110 },
  { name: 'filter-output-post-dnat', type: 'filter', hook: 'output', priority: -90 },
  { name: 'nat-prerouting', type: 'nat', hook: 'prerouting', priority: -100 },
  { name: 'nat-output', type: 'nat', hook: 'output', priority: -100 },
  { name: 'nat-postrouting', type: 'nat', hook: 'postrouting', priority: 100 },
] as const;

const JUMP_CHAINS: [dst: string, src: string, extra: string][] = [
  ['nodeport-endpoints-check', 'filter-input', 'ct state new '],
  ['service-endpoints-check', 'filter-input', 'ct state new '],
  ['service-endpoints-check', 'filter-forward', 'ct state new '],
  ['service-endpoints-check', 'filter-output', 'ct state new '],
  ['firewall-check', 'filter-prerouting', 'ct state new '],
  ['firewall-check', 'filter-output', 'ct state new '],
  ['services', 'nat-output', ''],
  ['services', 'nat-prerouting', ''],
  ['masquerading', 'nat-postrouting', ''],
  ['cluster-ips-check', 'filter-forward', 'ct state new '],
  ['cluster-ips-check', 'filter-output-post-dnat', 'ct state new '],
];

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function generate(ports: ServicePortInfo[], o: NftablesProxyOptions, script: boolean): { table: NftTable; script: string[] } {
  const b = new NftTableBuilder(o.family, NFTABLES_TABLE, 'rules for kube-proxy', { script });
  const ipX = o.family;
  const addrType = o.family === 'ip' ? 'ipv4_addr' : 'ipv6_addr';
  const noLocalhost = o.family === 'ip' ? 'ip daddr != 127.0.0.0/8' : 'ip6 daddr != ::1';
  const kp: NftOrigin = { writer: 'kube-proxy' };
  const mark = hex8(o.masqueradeMark);

  // --- setupNFTables --------------------------------------------------------------------
  // The first sync adds and deletes each base chain once (so a changed priority can be
  // applied), then creates them.
  for (const bc of BASE_CHAINS) b.addAndDeleteChain(bc.name);
  for (const bc of BASE_CHAINS) b.chain(bc.name, { base: { type: bc.type, hook: bc.hook, priority: bc.priority } });
  for (const [dst, src, extra] of JUMP_CHAINS) {
    b.chain(dst);
    b.rule(src, `${extra}jump ${dst}`, kp);
  }
  for (const c of ['services', 'cluster-ips-check', 'masquerading', 'mark-for-masquerade']) b.chain(c);
  b.rule('mark-for-masquerade', `meta mark set meta mark | ${mark}`, kp);
  b.rule('masquerading', `meta mark & ${mark} == 0x00000000 return`, kp);
  b.rule('masquerading', `meta mark set meta mark ^ ${mark}`, kp);
  b.rule('masquerading', 'masquerade fully-random', kp);

  b.set('cluster-ips', addrType, { comment: 'Active ClusterIPs' });
  b.rule('cluster-ips-check', `${ipX} daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"`, kp);
  if (o.serviceCIDRs.length) {
    const cidrs = intervalSet(o.serviceCIDRs);
    b.rule('cluster-ips-check', `${ipX} daddr ${cidrs.length === 1 ? cidrs[0] : `{ ${cidrs.join(', ')} }`} drop comment "Drop traffic to unallocated ClusterIPs"`, kp, cidrs.length > 1 ? 1 : 0);
  }

  const npComment = 'IPs that accept NodePort traffic';
  if (o.nodePortIPs === 'all') b.addAndDeleteSet('nodeport-ips', addrType, npComment);
  else {
    b.set('nodeport-ips', addrType, { comment: npComment });
    for (const ip of o.nodePortIPs) b.setElement('nodeport-ips', { key: [ip] });
  }

  b.map('no-endpoint-services', `${addrType} . inet_proto . inet_service`, 'verdict', 'vmap to drop or reject packets to services with no endpoints');
  b.map('no-endpoint-nodeports', 'inet_proto . inet_service', 'verdict', 'vmap to drop or reject packets to service nodeports with no endpoints');
  b.chain('reject-chain', { comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' });
  b.rule('reject-chain', 'reject', kp);
  b.rule('service-endpoints-check', `${ipX} daddr . meta l4proto . th dport vmap @no-endpoint-services`, kp);
  b.rule('nodeport-endpoints-check', o.nodePortIPs === 'all'
    ? `${noLocalhost} meta l4proto . th dport vmap @no-endpoint-nodeports`
    : `${ipX} daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports`, kp);

  b.map('firewall-ips', `${addrType} . inet_proto . inet_service`, 'verdict', 'destinations that are subject to LoadBalancerSourceRanges');
  b.rule('firewall-check', `${ipX} daddr . meta l4proto . th dport vmap @firewall-ips`, kp);

  b.map('service-ips', `${addrType} . inet_proto . inet_service`, 'verdict', 'ClusterIP, ExternalIP and LoadBalancer IP traffic');
  b.map('service-nodeports', 'inet_proto . inet_service', 'verdict', 'NodePort traffic');
  b.rule('services', `${ipX} daddr . meta l4proto . th dport vmap @service-ips`, kp);
  b.rule('services', o.nodePortIPs === 'all'
    ? `fib daddr type local ${noLocalhost} meta l4proto . th dport vmap @service-nodeports`
    : `${ipX} daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports`, kp);

  // --- syncProxyRules: per Service port -------------------------------------------------
  for (const sp of ports) writeServicePort(b, sp, o);
  return { table: b.table, script: b.script };
}

/**
 * An anonymous interval set as nft prints it: elements sorted, overlapping and adjacent
 * ranges merged (nft auto-merges anonymous sets), each range as a prefix when it is one
 * (`/32` dropped), otherwise as `first-last`.
 */
function intervalSet(cidrs: string[]): string[] {
  const ranges = cidrs.map((c) => parseCidr(c)).filter((c): c is NonNullable<typeof c> => c !== null)
    .map((c) => [c.base, c.base + c.size - 1] as [number, number]);
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out: string[] = [];
  for (const [lo, hi] of merged) {
    const size = hi - lo + 1;
    const bits = 32 - Math.log2(size);
    if (Number.isInteger(bits) && lo % size === 0) out.push(bits === 32 ? formatIPv4(lo) : `${formatIPv4(lo)}/${bits}`);
    else out.push(`${formatIPv4(lo)}-${formatIPv4(hi)}`);
  }
  return out;
}

/** pkg/proxy CategorizeEndpoints' allReachableEndpoints. */
function locallyReachable(sp: ServicePortInfo): ProxyEndpoint[] {
  const usesCluster = !sp.internalPolicyLocal || sp.externallyAccessible;
  const usesLocal = sp.internalPolicyLocal || sp.externalPolicyLocal;
  if (!usesLocal) return sp.clusterEndpoints;
  if (!usesCluster) return sp.localEndpoints;
  const out = [...sp.clusterEndpoints];
  for (const ep of sp.localEndpoints) if (!out.some((x) => x.hostPort === ep.hostPort)) out.push(ep);
  return out;
}

function writeServicePort(b: NftTableBuilder, sp: ServicePortInfo, o: NftablesProxyOptions): void {
  const ipX = o.family;
  const P = sp.protocol;
  const ch = nftServiceChains(sp);
  const svcOrigin: NftOrigin = { writer: 'kube-proxy', service: `${sp.namespace}/${sp.name}`, servicePort: sp.portName };
  const epOrigin = (ep: ProxyEndpoint): NftOrigin => ({ ...svcOrigin, endpoint: ep.hostPort });
  const reachable = locallyReachable(sp);
  const affinity = sp.affinitySeconds > 0;

  // Chains, in the order proxier.go ensures them.
  for (const ep of reachable) b.chain(nftEndpointChain(sp, ep).chain);
  const usesCluster = !sp.internalPolicyLocal || sp.externallyAccessible;
  const usesLocal = sp.internalPolicyLocal || sp.externalPolicyLocal;
  const usesClusterPolicyChain = sp.clusterEndpoints.length > 0 && usesCluster;
  const usesLocalPolicyChain = sp.localEndpoints.length > 0 && usesLocal;
  if (usesClusterPolicyChain) b.chain(ch.service);
  if (usesLocalPolicyChain) b.chain(ch.local);

  const hasEndpoints = sp.hasEndpoints;
  const internalChain = sp.internalPolicyLocal ? ch.local : ch.service;
  const hasInternalEndpoints = hasEndpoints && (!sp.internalPolicyLocal || sp.localEndpoints.length > 0);
  const externalPolicyChain = sp.externalPolicyLocal ? ch.local : ch.service;
  const hasExternalEndpoints = hasEndpoints && (!sp.externalPolicyLocal || sp.localEndpoints.length > 0);
  const usesExternalChain = hasEndpoints && sp.externallyAccessible;
  if (usesExternalChain) b.chain(ch.external);

  const internalVerdict = !hasEndpoints ? 'goto reject-chain' : 'drop';
  const externalVerdict = !hasEndpoints ? 'goto reject-chain' : 'drop';
  const key3 = (ip: string) => [ip, P, String(sp.port)];

  // Elements.
  b.setElement('cluster-ips', { key: [sp.clusterIP], origin: svcOrigin });
  if (hasInternalEndpoints) b.mapElement('service-ips', { key: key3(sp.clusterIP), value: `goto ${internalChain}`, origin: svcOrigin });
  else b.mapElement('no-endpoint-services', { key: key3(sp.clusterIP), comment: sp.spn, value: internalVerdict, origin: svcOrigin });
  for (const eip of sp.externalIPs) {
    if (hasEndpoints) b.mapElement('service-ips', { key: key3(eip), value: `goto ${ch.external}`, origin: svcOrigin });
    if (!hasExternalEndpoints) b.mapElement('no-endpoint-services', { key: key3(eip), comment: sp.spn, value: externalVerdict, origin: svcOrigin });
  }
  const usesFW = sp.loadBalancerIPs.length > 0 && sp.sourceRanges.length > 0;
  if (usesFW) b.chain(ch.firewall);
  for (const lb of sp.loadBalancerIPs) {
    if (hasEndpoints) b.mapElement('service-ips', { key: key3(lb), value: `goto ${ch.external}`, origin: svcOrigin });
    if (usesFW) b.mapElement('firewall-ips', { key: key3(lb), value: `goto ${ch.firewall}`, origin: svcOrigin });
  }
  if (!hasExternalEndpoints) {
    for (const lb of sp.loadBalancerIPs) b.mapElement('no-endpoint-services', { key: key3(lb), comment: sp.spn, value: externalVerdict, origin: svcOrigin });
  }
  if (sp.nodePort) {
    if (hasEndpoints) b.mapElement('service-nodeports', { key: [P, String(sp.nodePort)], value: `goto ${ch.external}`, origin: svcOrigin });
    if (!hasExternalEndpoints) b.mapElement('no-endpoint-nodeports', { key: [P, String(sp.nodePort)], comment: sp.spn, value: externalVerdict, origin: svcOrigin });
  }

  // Internal traffic: masquerade what does not come from a pod.
  if (hasInternalEndpoints) {
    if (o.masqueradeAll) b.rule(internalChain, `${ipX} daddr ${sp.clusterIP} ${P} dport ${sp.port} jump mark-for-masquerade`, svcOrigin);
    else if (o.clusterCIDR) b.rule(internalChain, `${ipX} daddr ${sp.clusterIP} ${P} dport ${sp.port} ${ipX} saddr != ${o.clusterCIDR} jump mark-for-masquerade`, svcOrigin);
  }
  // External traffic.
  if (usesExternalChain) {
    if (!sp.externalPolicyLocal) {
      b.rule(ch.external, 'jump mark-for-masquerade', svcOrigin);
    } else {
      if (o.clusterCIDR) b.rule(ch.external, `${ipX} saddr ${o.clusterCIDR} goto ${ch.service} comment "short-circuit pod traffic"`, svcOrigin);
      b.rule(ch.external, 'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"', svcOrigin);
      b.rule(ch.external, `fib saddr type local goto ${ch.service} comment "short-circuit local traffic"`, svcOrigin);
    }
    if (hasExternalEndpoints) b.rule(ch.external, `goto ${externalPolicyChain}`, svcOrigin);
  }
  // loadBalancerSourceRanges.
  if (usesFW) {
    const sources = [...sp.sourceRanges];
    if (o.nodeIP && sp.sourceRanges.some((r) => inCidr(r, o.nodeIP!))) sources.push(...sp.loadBalancerIPs);
    const set = intervalSet(sources);
    b.rule(ch.firewall, `${ipX} saddr != ${set.length === 1 ? set[0] : `{ ${set.join(', ')} }`} drop`, svcOrigin, set.length > 1 ? 1 : 0);
  }
  // Affinity sets.
  if (affinity) {
    for (const ep of reachable) b.set(nftEndpointChain(sp, ep).affinity, o.family === 'ip' ? 'ipv4_addr' : 'ipv6_addr', { flags: ['dynamic', 'timeout'], timeout: sp.affinitySeconds });
  }
  // Service → endpoints.
  const dispatch = (chain: string, eps: ProxyEndpoint[]) => {
    if (affinity) {
      for (const ep of eps) {
        const e = nftEndpointChain(sp, ep);
        b.rule(chain, `${ipX} saddr @${e.affinity} goto ${e.chain}`, epOrigin(ep));
      }
    }
    const vmap = eps.map((ep, i) => `${i} : goto ${nftEndpointChain(sp, ep).chain}`).join(', ');
    b.rule(chain, `numgen random mod ${eps.length} vmap { ${vmap} }`, svcOrigin, 1);
  };
  if (usesClusterPolicyChain) dispatch(ch.service, sp.clusterEndpoints);
  if (usesLocalPolicyChain) dispatch(ch.local, sp.localEndpoints);
  // Endpoint chains.
  for (const ep of reachable) {
    const e = nftEndpointChain(sp, ep);
    b.rule(e.chain, `${ipX} saddr ${ep.ip} jump mark-for-masquerade`, epOrigin(ep));
    if (affinity) b.rule(e.chain, `update @${e.affinity} { ${ipX} saddr }`, epOrigin(ep));
    b.rule(e.chain, `meta l4proto ${P} dnat to ${ep.ip.includes(':') ? `[${ep.ip}]` : ep.ip}:${ep.port}`, epOrigin(ep));
  }
}
