// What the simulated DNS remembers between commands: each CoreDNS instance's cache, and the
// number of queries answered so far (the seeded randomness of query n — which CoreDNS pod
// behind the kube-dns Service answers it, how `loadbalance` orders its records — derives
// from n, so the same commands give the same answers). Plain data; the Simulation keeps one
// DnsState beside the dataplane state and hands it in through a DnsRuntime.
//
// Caches are kept per CoreDNS instance (per pod), as in a real cluster: a query to the
// kube-dns ClusterIP reaches one of the CoreDNS pods at random (kube-proxy's statistic
// split; one UDP socket — one conntrack entry — per resolver call), so a second dig may
// count down from the first one's TTL or start again at 30 from the other pod's cache.
// A query sent straight to a CoreDNS pod IP always uses that pod's cache. A Corefile
// change (the reload plugin) starts the caches afresh.
import type { DnsReply } from './records';

export interface CacheItem {
  reply: DnsReply;
  /** The TTL the item was stored with (seconds): every RR carries it, counted down from `stored`. */
  ttl: number;
  /** Clock time (ms) it was stored. */
  stored: number;
}

export interface InstanceCache {
  /** Which Corefile the cache belongs to: a reload empties it. */
  corefile: string;
  /** `block\0qname (lowercase)\0qtype` → item (success and denial share the key space as CoreDNS' hash does). */
  items: Record<string, CacheItem>;
}

export interface DnsState {
  /** CoreDNS instance (`namespace/pod`) → its cache. */
  caches: Record<string, InstanceCache>;
  /** Queries sent to a simulated DNS server so far. */
  queries: number;
}

export function createDnsState(): DnsState {
  return { caches: {}, queries: 0 };
}

/** A file on a node, with the clock time (ms) it was written (kubelet copies at pod start). */
export interface NodeFileVersion { content: string; at: number }

/** The DNS layer's view of the running simulation. */
export interface DnsRuntime {
  state: DnsState;
  /** The simulated clock, ms since the epoch. */
  now: number;
  /** Versions of a file the learner wrote on a node, oldest first (none: the node's stock file). */
  nodeFile?(node: string, path: string): NodeFileVersion[] | undefined;
}

/** A runtime that remembers nothing (a lookup outside the shell: traces, tests). */
export function ephemeralRuntime(now: string | number): DnsRuntime {
  return { state: createDnsState(), now: typeof now === 'number' ? now : Date.parse(now) || 0 };
}
