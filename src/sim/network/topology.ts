// The network around the netfilter rules: every node's interfaces and routes as flannel
// (VXLAN backend) sets them up, and where every pod IP lives.
//   eth0       the node IP
//   cni0       bridge, <podCIDR>.1, the pods' gateway (each pod on a veth into it)
//   flannel.1  VXLAN device, <podCIDR>.0/32; other nodes' podCIDRs are routed through it
import type { ClusterSnapshot } from '../snapshot';
import type { Node, Pod } from '../api/objects';
import { inCidr } from '../netfilter/packet';
import { nthIP, parseCidr } from '../api/ipnet';
import { nodeIPs } from '../kube-proxy/iptables/index';
import { hash128 } from '../rng';

export interface NodeNet {
  name: string;
  ip: string;
  ips: string[];
  podCIDR?: string;
  cni0?: string;
  flannel?: string;
}

export interface Topology {
  nodes: NodeNet[];
  byName: Map<string, NodeNet>;
  /** Pod by IP (host-network pods are not listed: their IP is the node's). */
  podByIP: Map<string, Pod>;
}

export function topologyOf(snap: ClusterSnapshot): Topology {
  const nodes = snap.nodes.map((n) => nodeNet(n));
  const podByIP = new Map<string, Pod>();
  for (const p of snap.pods) if (p.status?.podIP && !p.spec?.hostNetwork) podByIP.set(p.status.podIP, p);
  return { nodes, byName: new Map(nodes.map((n) => [n.name, n])), podByIP };
}

function nodeNet(n: Node): NodeNet {
  const ips = nodeIPs(n);
  const cidr = n.spec?.podCIDR ? parseCidr(n.spec.podCIDR) : null;
  return {
    name: n.metadata.name, ip: ips[0] ?? '', ips,
    podCIDR: n.spec?.podCIDR,
    cni0: cidr ? nthIP(cidr, 1) : undefined,
    flannel: cidr ? nthIP(cidr, 0) : undefined,
  };
}

/** The node whose podCIDR holds `ip`. */
export function nodeForPodIP(topo: Topology, ip: string): NodeNet | undefined {
  return topo.nodes.find((n) => n.podCIDR && inCidr(ip, n.podCIDR));
}

export function nodeWithIP(topo: Topology, ip: string): NodeNet | undefined {
  return topo.nodes.find((n) => n.ips.includes(ip));
}

/** The host side of a pod's veth, named like the bridge CNI names it (`veth` + 8 hex digits). */
export function vethName(pod: Pod): string {
  return `veth${hash128(`veth/${pod.metadata.namespace}/${pod.metadata.name}`)[0].toString(16).padStart(8, '0')}`;
}

/** Where a node sends a packet for `dst`. */
export type Route =
  | { kind: 'local' }
  | { kind: 'pod'; iface: 'cni0'; pod?: Pod }
  | { kind: 'vxlan'; iface: 'flannel.1'; to: NodeNet }
  | { kind: 'out'; iface: 'eth0' };

export function route(topo: Topology, node: NodeNet, dst: string): Route {
  if (node.ips.includes(dst) || dst.startsWith('127.') || dst === node.cni0 || dst === node.flannel) return { kind: 'local' };
  if (node.podCIDR && inCidr(dst, node.podCIDR)) return { kind: 'pod', iface: 'cni0', pod: topo.podByIP.get(dst) };
  const owner = nodeForPodIP(topo, dst);
  if (owner && owner.name !== node.name) return { kind: 'vxlan', iface: 'flannel.1', to: owner };
  return { kind: 'out', iface: 'eth0' };
}

/** The source address the node picks for a packet it originates toward `dst`. */
export function sourceAddress(topo: Topology, node: NodeNet, dst: string): string {
  const r = route(topo, node, dst);
  if (r.kind === 'pod') return node.cni0 ?? node.ip;
  if (r.kind === 'vxlan') return node.flannel ?? node.ip;
  return node.ip;
}

export function ifaceAddress(node: NodeNet, iface: string | undefined): string {
  if (iface === 'cni0') return node.cni0 ?? node.ip;
  if (iface === 'flannel.1') return node.flannel ?? node.ip;
  return node.ip;
}
