// A connection by name starts with a lookup: the client's resolver sends its queries (the
// search list tried in turn, A and AAAA for each candidate, as glibc's getaddrinfo does), and
// the one that answers travels as a UDP datagram to the nameserver — for the cluster DNS that
// is the kube-dns ClusterIP, so the datagram goes through KUBE-SERVICES → the dns port's
// KUBE-SVC chain → a CoreDNS pod, and back. The lookup's hops come before the connection's.
import type { ClusterSnapshot } from '../snapshot';
import type { Where } from '../shell/types';
import type { PacketFields } from '../netfilter/packet';
import type { RR } from '../dns/records';
import { isClusterDNS, lookupHost, resolvConfAt } from '../dns/resolver';
import { ndotsOf } from '../dns/resolv-conf';
import { createRng } from '../rng';
import type { DnsHop, DnsLookup, DnsQuery, Hop } from './trace-types';
import { walk, type Endpoint, type WalkContext } from './walk';

/** The resolver's source port for the datagram shown (an ephemeral port, fixed so traces are stable). */
const RESOLVER_SPORT = 51820;

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/** Is `host` a name to resolve (not an IPv4 address)? */
export function isHostName(host: string): boolean {
  return !IPV4.test(host) && /^[A-Za-z0-9_]([-A-Za-z0-9_.]*[A-Za-z0-9_.])?$/.test(host);
}

function whereOf(from: Endpoint): Where | null {
  if (from.kind === 'pod') return { kind: 'pod', namespace: from.namespace, pod: from.name };
  if (from.kind === 'node') return { kind: 'node', node: from.name };
  return null;
}

const record = (x: RR) => ({ name: x.name, ttl: x.ttl, type: x.type, data: x.data });

export interface Resolved {
  lookup: DnsLookup;
  /** The lookup's hops, to put before every path of the connection. */
  hops: Hop[];
}

/**
 * Resolves `name` the way the client `from` would, and builds the lookup's hops. The answering
 * query's datagram is walked through the rules (one CoreDNS pod, chosen with the seed) when
 * the nameserver is the cluster DNS; other nameservers (a node's upstream) are outside the
 * simulated network, so only the query steps are shown.
 */
export function resolveForTrace(ctx: WalkContext, from: Endpoint, name: string, seed: number): Resolved | { error: string } {
  const where = whereOf(from);
  if (!where) return { error: `an external client has no cluster resolver: give the Service's address (IP:PORT), not "${name}"` };
  const snap: ClusterSnapshot = ctx.snap;
  const rc = resolvConfAt(snap, where);
  const server = rc.nameservers[0] ?? '';
  const result = lookupHost(snap, rc, name);
  const queries: DnsQuery[] = result.steps.map((s) => ({
    qname: s.question.name, qtype: s.question.type, server, rcode: s.reply.rcode,
    answer: s.reply.answer.map(record), authority: s.reply.authority.map(record),
  }));
  const address = result.addresses.find((a) => IPV4.test(a)) ?? null;

  // The datagram of the query that answered (the last A query; when nothing answered, the last query).
  let shown = -1;
  for (let i = queries.length - 1; i >= 0 && shown < 0; i--) if (queries[i].qtype === 'A' && (!address || queries[i].answer.some((r) => r.type === 'A'))) shown = i;
  if (shown < 0) shown = queries.length - 1;

  const packetHops: Hop[] = [];
  let node = '';
  let src = '';
  if (server && isClusterDNS(snap, server)) {
    const rng = createRng(`${seed}/lookup/${from.kind}/${name}`);
    const t = walk(ctx, from, { proto: 'udp', dst: server, dport: 53, sport: RESOLVER_SPORT, choose: (p) => rng.next() < p });
    const path = t.paths[0];
    if (path) packetHops.push(...path.hops);
    const first = path?.hops[0];
    if (first) { node = first.node; src = 'before' in first ? first.before.src : first.packet.src; }
  }
  if (!node) {
    node = from.kind === 'node' ? from.name : snap.pods.find((p) => from.kind === 'pod' && p.metadata.namespace === from.namespace && p.metadata.name === from.name)?.spec?.nodeName ?? '';
    src = from.kind === 'pod' ? snap.pods.find((p) => p.metadata.namespace === from.namespace && p.metadata.name === from.name)?.status?.podIP ?? '' : '';
  }
  const out: PacketFields = { src, sport: RESOLVER_SPORT, dst: server, dport: 53, mark: '0x0' };
  const back: PacketFields = { src: server, sport: 53, dst: src, dport: RESOLVER_SPORT, mark: '0x0' };
  const step = (q: DnsQuery, stage: DnsHop['stage']): DnsHop => ({ kind: 'dns', node, direction: stage === 'answer' ? 'reply' : 'request', stage, query: q, packet: stage === 'answer' ? back : out });

  const hops: Hop[] = [];
  queries.forEach((q, i) => {
    if (i !== shown) hops.push(step(q, 'attempt'));
    else hops.push(step(q, 'query'), ...packetHops, step(q, 'answer'));
  });
  const lookup: DnsLookup = {
    name, nameserver: server, search: rc.searches, ndots: ndotsOf(rc), queries, address, hops: hops.length,
  };
  return { lookup, hops };
}
