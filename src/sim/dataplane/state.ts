// The dataplane's memory: what the kernels of the simulated nodes remember about traffic
// the learner sent (curl from a shell, sampled traces). Plain data and pure functions; the
// Simulation holds one DataplaneState and passes it in.
//
//   conntrack   per node, the nf_conntrack table: one entry per connection that passed the
//               node's netfilter hooks and got confirmed (a packet dropped or rejected on a
//               node never confirms its entry there, as in the kernel).
//   counters    per node, per table/chain/rule (and built-in chain policy): packets, bytes.
//   recent      per node, the `-m recent` lists (kube-proxy's sessionAffinity: ClientIP).
//   files       per pod, files a learner wrote (`echo web1 > /usr/share/nginx/html/index.html`).
//   nodeFiles   per node, files a learner wrote there (`echo nameserver 233.5.5.5 > /etc/resolv.conf`),
//               every version with the time it was written (a kubelet copies at pod start).
//   dns         the CoreDNS instances' caches and the DNS query count (src/sim/dns/state).
//
// What is counted: only a connection's FIRST packet, in every table it traversed — a TCP SYN
// of 60 bytes (20 IP + 20 TCP + 20 options: MSS, SACK_PERM, timestamps, window scale, as
// Linux sends it; verified with `iptables -L -v -x` after curl in a network namespace), a UDP
// datagram of 32 bytes (a 4-byte payload). nat chains see only first packets in the kernel
// too; filter/mangle chains would also count the rest of the connection (ESTABLISHED
// packets), which the simulator does not send.
//
// Counters are kept by rule TEXT (and its occurrence in the chain), not by position: a rule
// that survives a kube-proxy resync keeps its counter, a new or changed rule starts at 0.
// (Real kube-proxy rewrites whole KUBE-* chains with iptables-restore, which zeroes them on
// every full sync; the simulator's cluster changes only when the learner changes it.)
// Conntrack entries and recent lists survive ruleset changes, as they do in the kernel.
import type { Proto } from '../netfilter/packet';
import type { IpvsState } from '../ipvs/types';
import type { Ruleset, TableName } from '../netfilter/ruleset';
import { findTable } from '../netfilter/ruleset';
import { printRule } from '../netfilter/save';
import type { Hop, TracePath } from '../network/trace-types';
import { hash128 } from '../rng';
import { createDnsState, type DnsState, type NodeFileVersion } from '../dns/state';

export interface Tuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export type TcpState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

export interface CtEntry {
  proto: Proto;
  orig: Tuple;
  reply: Tuple;
  /** TCP only. */
  state?: TcpState;
  /** A packet was seen in the reply direction (else `[UNREPLIED]`). */
  replied: boolean;
  assured: boolean;
  /** ctmark (kube-proxy's 0x4000 is an skb mark, not a ctmark: stays 0). */
  mark: number;
  /** Clock time (ms) the entry times out. */
  expires: number;
}

export interface DataplaneState {
  conntrack: Record<string, CtEntry[]>;
  /** `node\0table\0chain\0rule text\0occurrence` or `node\0table\0chain\0policy` → [packets, bytes]. */
  counters: Record<string, [number, number]>;
  /** Passed to the packet walk as is: node → list name → source → last seen (ms). */
  recent: Map<string, Map<string, Map<string, number>>>;
  /** Pod uid → absolute path → content. */
  files: Record<string, Record<string, string>>;
  /** Connections made so far: the seeded randomness of connection n derives from n. */
  connections: number;
  /** Node → absolute path → every version written, oldest first. */
  nodeFiles: Record<string, Record<string, NodeFileVersion[]>>;
  /** What CoreDNS remembers (caches) and how many DNS queries were sent. */
  dns: DnsState;
  /** Per node, the kernel's IPVS state (scheduler positions, connections, counters); IPVS mode only. */
  ipvs?: Record<string, IpvsState>;
}

export function createDataplane(): DataplaneState {
  return { conntrack: {}, counters: {}, recent: new Map(), files: {}, connections: 0, nodeFiles: {}, dns: createDnsState() };
}

/** Kernel defaults (nf_conntrack_tcp_timeout_*, nf_conntrack_udp_timeout*), in seconds. */
export const TIMEOUTS = {
  tcp: { SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10 } as Record<TcpState, number>,
  udp: 30,
  udpStream: 120,
  icmp: 30,
  generic: 600,
};

export const FIRST_PACKET_BYTES: Record<Proto, number> = { tcp: 60, udp: 32, sctp: 68, icmp: 84 };

// ---------------------------------------------------------------------------------------
// Counters

const ruleKeys = new WeakMap<object, string[]>();

/** `text\0occurrence` of each rule of a chain, cached per chain object. */
function keysOf(chain: { name: string; rules: Parameters<typeof printRule>[1][] }): string[] {
  let keys = ruleKeys.get(chain);
  if (!keys) {
    const seen = new Map<string, number>();
    keys = chain.rules.map((r) => {
      // Text rules (kube-proxy's) carry their canonical spec: no need to print them.
      const text = r.text ?? printRule(chain.name, r);
      const n = seen.get(text) ?? 0;
      seen.set(text, n + 1);
      return `${text}\0${n}`;
    });
    ruleKeys.set(chain, keys);
  }
  return keys;
}

function counterKey(ruleset: Ruleset | undefined, node: string, table: string, chain: string, i: number | 'policy'): string | undefined {
  if (i === 'policy') return `${node}\0${table}\0${chain}\0policy`;
  const t = ruleset ? findTable(ruleset, table as TableName) : undefined;
  const c = t?.chains.find((x) => x.name === chain);
  if (!c || i < 0 || i >= c.rules.length) return undefined;
  return `${node}\0${table}\0${chain}\0${keysOf(c)[i]}`;
}

/** Packets and bytes of a rule (0-based) or a built-in chain's policy on a node. */
export function readCounter(s: DataplaneState, ruleset: Ruleset | undefined, node: string, table: string, chain: string, i: number | 'policy'): [number, number] {
  const key = counterKey(ruleset, node, table, chain, i);
  const v = key ? s.counters[key] : undefined;
  return v ? [v[0], v[1]] : [0, 0];
}

/** True when nothing was ever counted on the node (lets listings skip the lookups). */
export function hasCounters(s: DataplaneState, node: string): boolean {
  const prefix = `${node}\0`;
  for (const k in s.counters) if (k.startsWith(prefix)) return true;
  return false;
}

/**
 * Adds a connection's first packet to the counters of every rule it matched and every
 * built-in chain policy that decided it (request direction only: the reply is handled by
 * conntrack, never by the nat table). `times` counts the same path more than once.
 */
export function countPath(s: DataplaneState, rulesets: (node: string) => Ruleset | undefined, path: TracePath, proto: Proto, times = 1): void {
  const bytes = FIRST_PACKET_BYTES[proto] ?? 60;
  for (const h of path.hops) {
    if (h.kind !== 'netfilter' || h.direction !== 'request') continue;
    const i = h.rule === null ? 'policy' : h.ruleIndex;
    if (i === undefined || i === null) continue;
    const key = counterKey(rulesets(h.node), h.node, h.table, h.chain, i);
    if (!key) continue;
    const v = (s.counters[key] ??= [0, 0]);
    v[0] += times;
    v[1] += bytes * times;
  }
}

// ---------------------------------------------------------------------------------------
// Conntrack

/** How the connection ended, as far as conntrack saw it. */
export type ConnOutcome =
  /** Handshake, request, response, both FINs: TIME_WAIT on every node. */
  | 'closed'
  /** The server's kernel answered the SYN with a RST (nothing listening). */
  | 'reset'
  /** No answer at all: the SYN (or datagram) went unanswered. */
  | 'unreplied'
  /** UDP: a datagram each way. */
  | 'answered';

interface NodeSpan {
  node: string;
  first: Tuple;
  last: Tuple;
}

function tupleOf(p: { src: string; sport: number; dst: string; dport: number }): Tuple {
  return { src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
}

function packetsOf(h: Hop): [Tuple, Tuple] | undefined {
  if (h.direction !== 'request') return undefined;
  if (h.kind === 'netfilter' || h.kind === 'conntrack' || h.kind === 'ipvs') return [tupleOf(h.before), tupleOf(h.after)];
  return [tupleOf(h.packet), tupleOf(h.packet)];
}

/** Per node the request passed (in order): the tuple it arrived with and the one it left with. */
function spans(path: TracePath): NodeSpan[] {
  const out: NodeSpan[] = [];
  for (const h of path.hops) {
    const p = packetsOf(h);
    if (!p || !h.node) continue;
    const cur = out.find((x) => x.node === h.node);
    if (cur) cur.last = p[1];
    else out.push({ node: h.node, first: p[0], last: p[1] });
  }
  return out;
}

/**
 * The entries a connection leaves behind: one per node whose hooks confirmed it. The node
 * that dropped or rejected the first packet confirms nothing.
 */
export function entriesFor(path: TracePath, proto: Proto, outcome: ConnOutcome, now: number): { node: string; entry: CtEntry }[] {
  let nodes = spans(path);
  const final = path.final;
  if (final.result === 'dropped' || final.result === 'rejected') {
    const at = final.at.replace(/^node\//, '');
    nodes = nodes.slice(0, Math.max(0, nodes.findIndex((n) => n.node === at)));
  }
  return nodes.map(({ node, first, last }) => {
    const reply: Tuple = { src: last.dst, dst: last.src, sport: last.dport, dport: last.sport };
    let entry: CtEntry;
    if (proto === 'tcp') {
      const state: TcpState = outcome === 'closed' ? 'TIME_WAIT' : outcome === 'reset' ? 'CLOSE' : 'SYN_SENT';
      entry = { proto, orig: first, reply, state, replied: outcome === 'closed' || outcome === 'reset', assured: outcome === 'closed', mark: 0, expires: now + TIMEOUTS.tcp[state] * 1000 };
    } else {
      const secs = proto === 'udp' ? TIMEOUTS.udp : proto === 'icmp' ? TIMEOUTS.icmp : TIMEOUTS.generic;
      entry = { proto, orig: first, reply, replied: outcome !== 'unreplied', assured: false, mark: 0, expires: now + secs * 1000 };
    }
    return { node, entry };
  });
}

const sameTuple = (a: Tuple, b: Tuple) => a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;

/** Adds (or, for the same original tuple, replaces) entries. */
export function addEntries(s: DataplaneState, entries: { node: string; entry: CtEntry }[]): void {
  for (const { node, entry } of entries) {
    const list = (s.conntrack[node] ??= []);
    const i = list.findIndex((e) => e.proto === entry.proto && sameTuple(e.orig, entry.orig));
    if (i === -1) list.push(entry); else list[i] = entry;
  }
}

/** Forgets entries whose timeout ran out. */
export function expire(s: DataplaneState, now: number): void {
  for (const node of Object.keys(s.conntrack)) s.conntrack[node] = s.conntrack[node].filter((e) => e.expires > now);
}

/**
 * A node's table in dump order. The kernel dumps hash bucket by bucket, so the order looks
 * random but is stable for the same tuples: the simulator orders by a hash of the tuple.
 */
export function conntrackTable(s: DataplaneState, node: string, now: number): CtEntry[] {
  const live = (s.conntrack[node] ?? []).filter((e) => e.expires > now);
  const key = (e: CtEntry) => hash128(`${e.proto} ${e.orig.src} ${e.orig.dst} ${e.orig.sport} ${e.orig.dport}`)[0];
  return live.map((e) => [key(e), e] as const).sort((a, b) => a[0] - b[0]).map(([, e]) => e);
}

const PROTO_NUMBERS: Record<Proto, number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1 };

/**
 * One line of `conntrack -L` (conntrack-tools 1.4.6/1.4.7, libnetfilter_conntrack's default
 * output): `%-8s %u` protocol name and number, seconds left, TCP state, the original tuple,
 * `[UNREPLIED]`, the reply tuple, `[ASSURED]`, `mark=`, `use=`.
 */
export function formatEntry(e: CtEntry, now: number): string {
  const secs = Math.max(0, Math.floor((e.expires - now - 1) / 1000));
  const t = (x: Tuple) => `src=${x.src} dst=${x.dst} sport=${x.sport} dport=${x.dport} `;
  return `${e.proto.padEnd(8)} ${PROTO_NUMBERS[e.proto]} ${secs} ${e.state ? `${e.state} ` : ''}${t(e.orig)}${e.replied ? '' : '[UNREPLIED] '}${t(e.reply)}${e.assured ? '[ASSURED] ' : ''}mark=${e.mark} use=1`;
}

// ---------------------------------------------------------------------------------------
// Files written inside pods

export function readPodFile(s: DataplaneState, podUid: string, path: string): string | undefined {
  return s.files[podUid]?.[path];
}

/** Removes a file written inside a pod; false when there was none. */
export function removePodFile(s: DataplaneState, podUid: string, path: string): boolean {
  const files = s.files[podUid];
  if (!files || !(path in files)) return false;
  delete files[path];
  return true;
}

export function writePodFile(s: DataplaneState, podUid: string, path: string, content: string, append: boolean): void {
  const files = (s.files[podUid] ??= {});
  files[path] = append ? (files[path] ?? '') + content : content;
}

// ---------------------------------------------------------------------------------------
// Files written on nodes

export function nodeFileVersions(s: DataplaneState, node: string, path: string): NodeFileVersion[] | undefined {
  return s.nodeFiles[node]?.[path];
}

export function readNodeFile(s: DataplaneState, node: string, path: string): string | undefined {
  const v = s.nodeFiles[node]?.[path];
  return v?.length ? v[v.length - 1].content : undefined;
}

/** `base`: the file's content before the first write (for `>>` onto a stock file). */
export function writeNodeFile(s: DataplaneState, node: string, path: string, content: string, append: boolean, now: number, base = ''): void {
  const files = (s.nodeFiles[node] ??= {});
  const versions = (files[path] ??= []);
  const before = versions.length ? versions[versions.length - 1].content : base;
  versions.push({ content: append ? before + content : content, at: now });
}
