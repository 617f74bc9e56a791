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

/** One DNS query the client's resolver sent, and what came back (a connection by name). */
export interface DnsQuery {
  qname: string;
  qtype: string;
  /** The nameserver asked (resolv.conf's first). */
  server: string;
  rcode: string;
  answer: DnsRecord[];
  authority: DnsRecord[];
}

export interface DnsRecord { name: string; ttl: number; type: string; data: string }

/**
 * A resolver step of a lookup. `attempt`: a query and the rcode it got, in one step (the
 * search-list names tried, the AAAA queries); `query`: the datagram of the query that answers
 * leaves (its journey follows); `answer`: its reply arrives and the resolver has the address.
 */
export interface DnsHop {
  kind: 'dns';
  node: string;
  direction: Direction;
  stage: 'attempt' | 'query' | 'answer';
  query: DnsQuery;
  /** The UDP datagram: client → nameserver:53 (request) or back (reply). */
  packet: PacketFields;
}

/**
 * IPVS mode: the virtual server a packet was addressed to, the scheduler's view of its real
 * servers and its choice, and the destination IPVS rewrote (masquerading forwarding).
 */
export interface IpvsHop {
  kind: 'ipvs';
  node: string;
  direction: Direction;
  /** Where IPVS took the packet: LOCAL_IN (it came in) or LOCAL_OUT (the node sent it). */
  hook: 'LOCAL_IN' | 'LOCAL_OUT';
  virtualServer: { proto: string; vip: string; port: number; scheduler: string; persistent?: number; kind: string; service: string };
  decision: {
    /** Each real server as the scheduler saw it: weight, active/inactive connections, overhead or hash buckets. */
    table: { ip: string; port: number; weight: number; active: number; inactive: number; overhead?: number; hash?: number }[];
    /** Index of the chosen real server in `table`; null: none could be chosen (refused). */
    index: number | null;
    why: { en: string; zh: string };
    persistent?: boolean;
    bucket?: number;
  };
  before: PacketFields;
  after: PacketFields;
}

export type Hop = NetfilterHop | RouteHop | EncapHop | ConntrackHop | DeliverHop | DnsHop | IpvsHop;

/** How the name in a trace's destination was resolved before the connection. */
export interface DnsLookup {
  /** The name as given (`demoapp-svc`, `www.baidu.com`). */
  name: string;
  /** The client's resolv.conf: nameserver, search list, ndots. */
  nameserver: string;
  search: string[];
  ndots: number;
  /** Every query sent, in order (A and AAAA per candidate name, as glibc's getaddrinfo does). */
  queries: DnsQuery[];
  /** The address connected to; null when the name did not resolve. */
  address: string | null;
  /** The first `hops` hops of every path are the lookup: its queries, and the last query's datagram to the nameserver and back. */
  hops: number;
}

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
  /** Present when the destination was a name: the lookup that came first. */
  dns?: DnsLookup;
}
