// The ipsets kube-proxy's IPVS mode keeps (pkg/proxy/ipvs/ipset.go), and how `-m set
// --match-set NAME FLAGS` tests a packet against them (xt_set / ip_set_hash_*.c): each flag
// picks the packet's src or dst for one dimension of the set's type, in order.
import type { Packet } from '../../netfilter/packet';
import { inCidr } from '../../netfilter/packet';

export interface IpSet {
  name: string;
  /** hash:ip,port · hash:ip,port,ip · hash:ip,port,net · bitmap:port · hash:ip */
  type: string;
  comment: string;
  /** Entries in ipset's text form: `10.96.0.1,tcp:443`, `30080`, `10.244.1.3,tcp:80,10.244.1.3`. */
  members: string[];
}

export const SET_INFO: { name: string; type: string; comment: string; minMinor?: number }[] = [
  { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port', minMinor: 22 },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface', minMinor: 28 },
];

const PROTO_NAMES: Record<string, string> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp' };

/**
 * `-m set --match-set NAME FLAGS`: does the packet's (src|dst, src|dst port, src|dst) tuple
 * appear in the set? Ports are stored with their protocol (`tcp:80`); ICMP packets carry a
 * type/code there instead, so they never match a tcp/udp entry.
 */
/** Members as a hash (the kernel's hash:* sets are hashes; a 20,000-Service list must not be scanned per packet). */
const memberSets = new WeakMap<IpSet, Set<string>>();
function has(set: IpSet, member: string): boolean {
  let m = memberSets.get(set);
  if (!m) { m = new Set(set.members); memberSets.set(set, m); }
  return m.has(member);
}

export function ipsetHas(sets: IpSet[], name: string, p: Packet, flags: string): boolean {
  const set = sets.find((s) => s.name === name);
  if (!set) return false;
  const dirs = flags.split(',');
  const pick = (i: number) => (dirs[i] ?? dirs[dirs.length - 1]) === 'src';
  const ip = (i: number) => (pick(i) ? p.src : p.dst);
  const port = (i: number) => `${PROTO_NAMES[p.proto] ?? p.proto}:${pick(i) ? p.sport : p.dport}`;
  switch (set.type) {
    case 'hash:ip':
      return has(set, ip(0));
    case 'bitmap:port': {
      if (p.proto !== 'tcp' && p.proto !== 'udp' && p.proto !== 'sctp') return false;
      return has(set, String(pick(0) ? p.sport : p.dport));
    }
    case 'hash:ip,port':
      return has(set, `${ip(0)},${port(1)}`);
    case 'hash:ip,port,ip':
      return has(set, `${ip(0)},${port(1)},${ip(2)}`);
    case 'hash:ip,port,net': {
      const head = `${ip(0)},${port(1)},`;
      return set.members.some((m) => m.startsWith(head) && inCidr(ip(2), m.slice(head.length)));
    }
    default:
      return false;
  }
}
