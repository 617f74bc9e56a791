// The stub resolver: which queries a client sends for a name (search list + ndots, per
// resolver flavour, reference/coredns.md §3.2–3.5), who answers them, and the final result.
// Every function takes an optional DnsRuntime: with the Simulation's, queries go through the
// CoreDNS caches and the learner's node files; without one, through a runtime that remembers
// nothing (the same answers, a cold cache every time).
import type { ClusterSnapshot } from '../snapshot';
import type { Where } from '../shell/types';
import type { DnsReply, Question } from './records';
import { ndotsOf, nodeResolvConf, podResolvConf, type ResolvConf } from './resolv-conf';
import { newSocket, sendQuery, servedByCoreDNS, type DnsSocket } from './coredns';
import { ephemeralRuntime, type DnsRuntime } from './state';

export type ResolverStyle = 'glibc' | 'musl' | 'busybox';

export interface Step { question: Question; reply: DnsReply }

/** Is this address the cluster DNS (the kube-dns ClusterIP or a CoreDNS pod)? */
export function isClusterDNS(snap: ClusterSnapshot, ip: string): boolean {
  return servedByCoreDNS(snap, ip);
}

/**
 * One query to one server: CoreDNS for the cluster DNS, the outside resolvers for anything
 * else. `socket`: queries sent through one socket reach the same CoreDNS pod behind the
 * Service (glibc and busybox send a whole lookup through one; dig and bind's nslookup open
 * one per query).
 */
export function query(snap: ClusterSnapshot, server: string, q: Question, rt?: DnsRuntime, socket?: DnsSocket): DnsReply {
  return sendQuery(snap, server, q, rt ?? ephemeralRuntime(snap.now), socket);
}

/** The resolver configuration where a command runs. */
export function resolvConfAt(snap: ClusterSnapshot, where: Where, rt?: DnsRuntime): ResolvConf {
  if (where.kind === 'node') return nodeResolvConf(snap.nodes.find((n) => n.metadata.name === where.node), rt).conf;
  const pod = snap.pods.find((p) => p.metadata.namespace === where.namespace && p.metadata.name === where.pod);
  return pod ? podResolvConf(snap, pod, rt) : { nameservers: [snap.config.dnsServiceIP], searches: [], options: [] };
}

/** The names tried, in order. */
export function candidates(name: string, rc: ResolvConf, style: ResolverStyle): string[] {
  if (name.endsWith('.')) return [name];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = rc.searches.filter((s) => s && s !== '.').map((s) => `${name}.${s.replace(/\.$/, '')}.`);
  if (style === 'busybox') return dots === 0 && searched.length ? searched : [`${name}.`];
  if (dots >= ndotsOf(rc)) return style === 'musl' ? [`${name}.`] : [`${name}.`, ...searched];
  return [...searched, `${name}.`];
}

export interface Lookup {
  steps: Step[];
  /** The candidate that answered (owner of the addresses), if any. */
  name?: string;
  addresses: string[];
  /** The CNAME chain's canonical name, when the answer went through one. */
  canonical?: string;
  /** No server answered at all (the Service has no DNS endpoint, nothing listens). */
  noResponse?: 'timeout' | 'refused';
}

/**
 * getaddrinfo(AF_UNSPEC)-style: A and AAAA for each candidate until one has addresses.
 * glibc goes on after NXDOMAIN/NODATA; musl stops at NODATA (§3.3). The whole lookup goes
 * through one socket (the same CoreDNS pod).
 */
export function lookupHost(snap: ClusterSnapshot, rc: ResolvConf, name: string, style: ResolverStyle = 'glibc', server = rc.nameservers[0], rt?: DnsRuntime): Lookup {
  const steps: Step[] = [];
  if (!server) return { steps, addresses: [] };
  const runtime = rt ?? ephemeralRuntime(snap.now);
  const socket = newSocket();
  for (const cand of candidates(name, rc, style)) {
    const replies = (['A', 'AAAA'] as const).map((type) => {
      const question = { name: cand, type };
      const reply = query(snap, server, question, runtime, socket);
      steps.push({ question, reply });
      return reply;
    });
    if (replies[0].noResponse) return { steps, addresses: [], noResponse: replies[0].noResponse };
    const addrs = replies.flatMap((r) => r.answer.filter((x) => x.type === 'A' || x.type === 'AAAA').map((x) => x.data));
    if (addrs.length) {
      const cname = replies[0].answer.filter((x) => x.type === 'CNAME').pop();
      return { steps, name: cand, addresses: addrs, ...(cname ? { canonical: cname.data } : {}) };
    }
    if (style === 'musl' && replies.every((r) => r.rcode === 'NOERROR')) break;
  }
  return { steps, addresses: [] };
}

/** The first address a client (curl, wget, ping) connects to, or undefined. */
export function resolveAddress(snap: ClusterSnapshot, where: Where, host: string, rt?: DnsRuntime): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  if (host === 'localhost') return '127.0.0.1';
  const r = lookupHost(snap, resolvConfAt(snap, where, rt), host, 'glibc', undefined, rt);
  return r.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
}
