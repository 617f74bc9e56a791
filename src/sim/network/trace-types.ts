// The trace of a packet's journey: plain data, the contract between the simulation, the
// CLI's `trace --json` and the UI. A trace enumerates every path the random choices allow
// (or one sampled path per connection), each with its probability.
import type { PacketFields } from '../netfilter/packet';

export type Direction = 'request' | 'reply';

export interface NetfilterHop {
  kind: 'netfilter';
  node: string;
  direction: Direction;
  hook: string;
  table: string;
  chain: string;
  /** The rule as `iptables -t TABLE -S` prints it (without the table); null for a chain policy. */
  rule: string | null;
  /** 0-based position of the rule in its chain (null for a policy), for the rule counters. */
  ruleIndex?: number | null;
  /** In the kernel trace's words: JUMP:<chain>, CONTINUE, ACCEPT, RETURN, DROP, REJECT, POLICY:<verdict>. */
  verdict: string;
  before: PacketFields;
  after: PacketFields;
  /** Service / endpoint the rule belongs to, for the UI's links back to the YAML. */
  service?: string;
  endpoint?: string;
}

export interface RouteHop {
  kind: 'route';
  node: string;
  direction: Direction;
  /** Outgoing interface (`cni0`, `flannel.1`, `eth0`, a pod's veth) or `local`. */
  iface: string;
  text: string;
  packet: PacketFields;
}

export interface EncapHop {
  kind: 'encap';
  node: string;
  direction: Direction;
  /** VXLAN outer header: node to node, UDP 8472 (flannel's port). */
  outer: { src: string; dst: string; proto: 'udp'; dport: number; vni: number };
  to: string;
  packet: PacketFields;
}

export interface ConntrackHop {
  kind: 'conntrack';
  node: string;
  direction: Direction;
  action: 'new' | 'reply-undo-dnat' | 'reply-undo-snat';
  text: string;
  before: PacketFields;
  after: PacketFields;
}

export interface DeliverHop {
  kind: 'deliver';
  node: string;
  direction: Direction;
  /** `pod/ns/name`, `node/name`, `external/IP`. */
  to: string;
  packet: PacketFields;
}

export type Hop = NetfilterHop | RouteHop | EncapHop | ConntrackHop | DeliverHop;

export interface TraceFinal {
  result: 'delivered' | 'dropped' | 'rejected' | 'unreachable';
  /** Where it ended: `pod/ns/name`, `node/name`, `external/IP`. */
  at: string;
  packet: PacketFields;
  reason?: string;
  /** The endpoint the connection was sent to (after DNAT), when there was one. */
  endpoint?: string;
}

export interface TracePath {
  probability: number;
  hops: Hop[];
  final: TraceFinal;
}

export interface Trace {
  from: string;
  to: string;
  proto: string;
  paths: TracePath[];
}
