// The stub resolver: which queries a client sends for a name (search list + ndots, per
// resolver flavour, reference/coredns.md §3.2–3.5), who answers them, and the final result.
import type { ClusterSnapshot } from '../snapshot';
import type { Where } from '../shell/types';
import { kubeadmOptions, resolveCoreDNS, upstreamAnswer, type DnsReply, type Question } from './index';
import { ndotsOf, nodeResolvConf, podResolvConf, type ResolvConf } from './resolv-conf';

export type ResolverStyle = 'glibc' | 'musl' | 'busybox';

export interface Step { question: Question; reply: DnsReply }

/** Is this address the cluster DNS (the kube-dns ClusterIP or a CoreDNS pod)? */
export function isClusterDNS(snap: ClusterSnapshot, ip: string): boolean {
  if (ip === snap.config.dnsServiceIP) return true;
  if (snap.services.some((s) => s.spec?.selector?.['k8s-app'] === 'kube-dns' && s.spec.clusterIP === ip)) return true;
  return snap.pods.some((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns' && p.status?.podIP === ip && !p.spec?.hostNetwork);
}

/** One query to one server: CoreDNS for the cluster DNS, the outside resolvers for anything else. */
export function query(snap: ClusterSnapshot, server: string, q: Question): DnsReply {
  return isClusterDNS(snap, server) ? resolveCoreDNS(snap, q, kubeadmOptions(snap)) : upstreamAnswer(q);
}

/** The resolver configuration where a command runs. */
export function resolvConfAt(snap: ClusterSnapshot, where: Where): ResolvConf {
  if (where.kind === 'node') return nodeResolvConf(snap.nodes.find((n) => n.metadata.name === where.node)).conf;
  const pod = snap.pods.find((p) => p.metadata.namespace === where.namespace && p.metadata.name === where.pod);
  return pod ? podResolvConf(snap, pod) : { nameservers: [snap.config.dnsServiceIP], searches: [], options: [] };
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
}

/**
 * getaddrinfo(AF_UNSPEC)-style: A and AAAA for each candidate until one has addresses.
 * glibc goes on after NXDOMAIN/NODATA; musl stops at NODATA (§3.3).
 */
export function lookupHost(snap: ClusterSnapshot, rc: ResolvConf, name: string, style: ResolverStyle = 'glibc', server = rc.nameservers[0]): Lookup {
  const steps: Step[] = [];
  if (!server) return { steps, addresses: [] };
  for (const cand of candidates(name, rc, style)) {
    const replies = (['A', 'AAAA'] as const).map((type) => {
      const question = { name: cand, type };
      const reply = query(snap, server, question);
      steps.push({ question, reply });
      return reply;
    });
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
export function resolveAddress(snap: ClusterSnapshot, where: Where, host: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  if (host === 'localhost') return '127.0.0.1';
  const r = lookupHost(snap, resolvConfAt(snap, where), host);
  return r.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
}
