// Everything besides the Services that changes what kube-proxy writes on a node: its
// release (layout), its configuration, and what the node's iptables and kernel support.

export interface IptablesProxyOptions {
  nodeName: string;
  /** The node's own addresses (the first is the primary one). */
  nodeIPs: string[];
  /** kube-proxy minor version (1.23 → 23). Decides the rule layout. */
  minor: number;
  /** Local-traffic detector (detect-local-mode ClusterCIDR); undefined means none. */
  clusterCIDR?: string;
  masqueradeAll: boolean;
  /** The masquerade mark as iptables-save prints it, e.g. `0x4000`. */
  masqueradeMark: string;
  /** The node's iptables supports MASQUERADE --random-fully (iptables ≥ 1.6.2). */
  randomFully: boolean;
  /** The kernel has xt_nfacct, so kube-proxy ≥ 1.30 adds its counters. */
  nfacct: boolean;
  localhostNodePorts: boolean;
  nodePortAddresses: string[];
  /** sysctl net.netfilter.nf_conntrack_tcp_be_liberal = 1 removes the INVALID drop rule. */
  conntrackTCPBeLiberal: boolean;
}

/** Facts a node's OS image decides (kube-proxy probes the installed iptables). */
export interface NodeIptablesFacts {
  /** `v1.8.7` */
  version: string;
  backend: 'nf_tables' | 'legacy';
  randomFully: boolean;
}

/**
 * The iptables that ships with a node's OS image. Unknown images are assumed modern
 * (iptables 1.8.9, nf_tables backend), which is what current distributions have.
 */
export function iptablesForOS(osImage: string | undefined): NodeIptablesFacts {
  const os = (osImage ?? '').toLowerCase();
  if (/centos linux 7|red hat enterprise linux server 7|rhel 7/.test(os)) return { version: 'v1.4.21', backend: 'legacy', randomFully: false };
  if (/ubuntu 18\.04/.test(os)) return { version: 'v1.6.1', backend: 'legacy', randomFully: false };
  if (/ubuntu 20\.04/.test(os)) return { version: 'v1.8.4', backend: 'legacy', randomFully: true };
  if (/ubuntu 22\.04/.test(os)) return { version: 'v1.8.7', backend: 'nf_tables', randomFully: true };
  if (/ubuntu 24\.04/.test(os)) return { version: 'v1.8.10', backend: 'nf_tables', randomFully: true };
  if (/debian gnu\/linux 11/.test(os)) return { version: 'v1.8.7', backend: 'nf_tables', randomFully: true };
  if (/debian gnu\/linux 12/.test(os)) return { version: 'v1.8.9', backend: 'nf_tables', randomFully: true };
  if (/centos stream 8|rocky linux 8|almalinux 8|red hat enterprise linux 8/.test(os)) return { version: 'v1.8.4', backend: 'nf_tables', randomFully: true };
  return { version: 'v1.8.9', backend: 'nf_tables', randomFully: true };
}

export function proxyMinor(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 31;
}
