// CoreDNS as the cluster runs it: the Corefile from ConfigMap kube-system/coredns (the kubeadm
// default when there is none), one instance per CoreDNS pod, and a query's way through the
// server block that serves its zone. Plugins act in CoreDNS's compiled-in order (plugin.cfg),
// not the Corefile's:
//
//   loadbalance → rewrite → cache → hosts → kubernetes → (loop) → forward
//
// Each handler gets the question and the rest of the chain (`next`). A handler that answers
// "writes" its reply, which then passes back through cache (stored, TTLs rewritten) and
// loadbalance (A/AAAA/MX shuffled); one that only returns an error code (hosts' SERVFAIL, no
// plugin left) is written by the server itself as an empty reply, past cache and loadbalance.
// Sources: coredns/coredns plugin/{cache,loadbalance,hosts,rewrite,forward,kubernetes},
// core/dnsserver/server.go, plugin/pkg/{response,dnsutil}.
import type { ClusterSnapshot } from '../snapshot';
import type { Pod } from '../api/objects';
import { DEFAULT_COREFILE } from '../cluster/default-cluster';
import { createRng } from '../rng';
import { buildCorefile, fqdn, isIPv4, isIPv6, matchZone, type CacheConfig, type CorefileConfig, type ForwardConfig, type HostsConfig, type HostsEntry, type KubernetesConfig, type RewriteRule, type ServerConfig } from './corefile';
import { kubernetesPlugin, ptrFor, reverseToIP, zoneSOA, type DnsReply, type PluginOptions, type Question, type RR, type Rcode } from './records';
import { hostResolvConf, podResolvConf } from './resolv-conf';
import type { DnsRuntime, InstanceCache } from './state';
import { upstreamAnswer } from './upstream';

// ---------------------------------------------------------------------------------------
// The Corefile in effect

/** The Corefile text the cluster's CoreDNS reads. */
export function corefileOf(snap: Pick<ClusterSnapshot, 'configMaps' | 'config'>): { text: string; fromConfigMap: boolean } {
  const cm = snap.configMaps.find((c) => c.metadata.namespace === 'kube-system' && c.metadata.name === 'coredns');
  const written = cm?.data?.Corefile;
  const withDomain = (t: string) => (t === DEFAULT_COREFILE && snap.config.dnsDomain !== 'cluster.local' ? t.replace('kubernetes cluster.local ', `kubernetes ${snap.config.dnsDomain} `) : t);
  return written === undefined ? { text: withDomain(DEFAULT_COREFILE), fromConfigMap: false } : { text: withDomain(written), fromConfigMap: true };
}

const parsed = new Map<string, CorefileConfig>();

/** The parsed Corefile (memoized by text). */
export function corefileConfig(text: string): CorefileConfig {
  let c = parsed.get(text);
  if (!c) {
    if (parsed.size > 64) parsed.clear();
    c = buildCorefile(text);
    parsed.set(text, c);
  }
  return c;
}

/**
 * The configuration CoreDNS serves with. A Corefile CoreDNS would refuse (an error problem)
 * keeps the pods from starting in a real cluster; the simulator reports it (see
 * corefileDiagnostics) and goes on answering with the kubeadm default.
 */
export function effectiveCorefile(snap: Pick<ClusterSnapshot, 'configMaps' | 'config'>): { text: string; config: CorefileConfig; fallback: boolean } {
  const { text } = corefileOf(snap);
  const config = corefileConfig(text);
  if (!config.problems.some((p) => p.severity === 'error')) return { text, config, fallback: false };
  const def = corefileOf({ configMaps: [], config: snap.config }).text;
  return { text: def, config: corefileConfig(def), fallback: true };
}

// ---------------------------------------------------------------------------------------
// Instances: which CoreDNS pod answers

const isDnsPod = (p: Pod) => p.metadata.labels?.['k8s-app'] === 'kube-dns';

/** The ready endpoints behind a DNS Service address, as pods (unknown addresses: undefined). */
function endpointsOf(snap: ClusterSnapshot, ip: string): { ip: string; pod?: Pod }[] | undefined {
  const svc = snap.services.find((s) => s.spec?.clusterIP === ip || s.spec?.clusterIPs?.includes(ip));
  if (!svc) return undefined;
  const out: { ip: string; pod?: Pod }[] = [];
  for (const s of snap.endpointSlices) {
    if (s.metadata.namespace !== svc.metadata.namespace || s.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue;
    if (!(s.ports ?? []).some((p) => p.port === 53 && (p.protocol ?? 'TCP') === 'UDP')) continue;
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses ?? []) out.push({ ip: a, pod: snap.pods.find((p) => p.status?.podIP === a && !p.spec?.hostNetwork) });
    }
  }
  return out;
}

/** One resolver socket: its queries to a Service address reach the same pod (one conntrack entry). */
export interface DnsSocket { picked: Record<string, string> }

export function newSocket(): DnsSocket {
  return { picked: {} };
}

type Target =
  | { kind: 'coredns'; key: string; pod?: Pod }
  | { kind: 'upstream' }
  | { kind: 'none'; why: 'timeout' | 'refused' };

/** Who answers a datagram to `server`:53. */
function targetOf(snap: ClusterSnapshot, server: string, rt: DnsRuntime, socket?: DnsSocket): Target {
  const eps = endpointsOf(snap, server);
  if (eps) {
    if (!eps.length) return { kind: 'none', why: 'timeout' };
    let key = socket?.picked[server];
    let hit = key ? eps.find((e) => (e.pod ? `${e.pod.metadata.namespace}/${e.pod.metadata.name}` : e.ip) === key) : undefined;
    if (!hit) {
      // kube-proxy's statistic split: each new socket (conntrack entry) lands on a random endpoint.
      const rng = createRng(`${snap.seed}/dns-endpoint/${rt.state.queries}`);
      hit = eps[rng.int(eps.length)];
      key = hit.pod ? `${hit.pod.metadata.namespace}/${hit.pod.metadata.name}` : hit.ip;
      if (socket) socket.picked[server] = key;
    }
    return { kind: 'coredns', key: key!, pod: hit.pod };
  }
  // A Service without a DNS port: nothing DNATs the datagram, nobody owns the address.
  if (snap.services.some((s) => s.spec?.clusterIP === server)) return { kind: 'none', why: 'timeout' };
  const pod = snap.pods.find((p) => p.status?.podIP === server && !p.spec?.hostNetwork);
  if (pod) return isDnsPod(pod) ? { kind: 'coredns', key: `${pod.metadata.namespace}/${pod.metadata.name}`, pod } : { kind: 'none', why: 'refused' };
  if (snap.nodes.some((n) => n.status?.addresses?.some((a) => a.address === server))) return { kind: 'none', why: 'refused' };
  return { kind: 'upstream' };
}

/** Is this address served by the cluster's CoreDNS (the kube-dns Service or a CoreDNS pod)? */
export function servedByCoreDNS(snap: ClusterSnapshot, ip: string): boolean {
  if (ip === snap.config.dnsServiceIP) return true;
  const svc = snap.services.find((s) => s.spec?.clusterIP === ip);
  if (svc) return svc.spec?.selector?.['k8s-app'] === 'kube-dns' || (endpointsOf(snap, ip) ?? []).some((e) => e.pod && isDnsPod(e.pod));
  return snap.pods.some((p) => isDnsPod(p) && p.status?.podIP === ip && !p.spec?.hostNetwork);
}

// ---------------------------------------------------------------------------------------
// The server

/** What a plugin hands back: a reply it wrote, or (written false) just an rcode the server turns into an empty reply. */
export interface Result { reply: DnsReply; written: boolean }
export type Next = (q: Question) => Result;
export type Handler = (q: Question, next: Next) => Result;

const emptyReply = (rcode: Rcode): DnsReply => ({ rcode, aa: false, ra: false, answer: [], authority: [], additional: [] });
const failed = (rcode: Rcode): Result => ({ reply: emptyReply(rcode), written: false });
const copy = (r: DnsReply): DnsReply => ({ ...r, answer: r.answer.map((x) => ({ ...x })), authority: r.authority.map((x) => ({ ...x })), additional: r.additional.map((x) => ({ ...x })) });

interface Ctx {
  snap: ClusterSnapshot;
  rt: DnsRuntime;
  config: CorefileConfig;
  corefile: string;
  instance: string;
  pod?: Pod;
  depth: number;
}

/** A query answered by one CoreDNS instance. */
export function serveCoreDNS(snap: ClusterSnapshot, q: Question, rt: DnsRuntime, instance: { key: string; pod?: Pod }): DnsReply {
  const { text, config } = effectiveCorefile(snap);
  return serve({ snap, rt, config, corefile: text, instance: instance.key, pod: instance.pod, depth: 0 }, q).reply;
}

function serve(ctx: Ctx, q: Question): Result {
  const name = q.name.endsWith('.') ? q.name : `${q.name}.`;
  const question = { name, type: q.type.toUpperCase() };
  const servers = ctx.config.servers.filter((s) => s.port === 53);
  const zones = servers.flatMap((s) => s.zones);
  const zone = matchZone(name, zones);
  const block = zone === undefined ? undefined : servers.find((s) => s.zones.includes(zone));
  // No server block for the name: the server refuses it.
  if (!block) return failed('REFUSED');
  const handlers: Handler[] = [];
  if (block.loadbalance) handlers.push(loadbalance(ctx));
  if (block.rewrite.length) handlers.push(rewrite(block.rewrite));
  if (block.cache) handlers.push(cache(ctx, block, block.cache));
  if (block.hosts) handlers.push(hosts(ctx, block.hosts));
  if (block.kubernetes) handlers.push(kubernetes(ctx, block.kubernetes));
  if (block.forward) handlers.push(forward(ctx, block.forward));
  const run = (i: number): Next => (x) => (i < handlers.length ? handlers[i](x, run(i + 1)) : failed('SERVFAIL'));
  return run(0)(question);
}

// --- loadbalance (round_robin) -----------------------------------------------------------

/** plugin/loadbalance roundRobin: CNAMEs first, then other types, then shuffled addresses, then shuffled MX. */
export function roundRobin(rrs: RR[], id: () => number): RR[] {
  if (rrs.length <= 1) return rrs;
  const shuffle = (xs: RR[]) => {
    const l = xs.length;
    if (l === 2) { if (id() % 2 === 0) [xs[0], xs[1]] = [xs[1], xs[0]]; return; }
    for (let j = 0; j < l; j++) {
      const p = j + (id() % (l - j));
      if (p !== j) [xs[j], xs[p]] = [xs[p], xs[j]];
    }
  };
  const t0 = rrs[0].type;
  if ((t0 === 'A' || t0 === 'AAAA') && rrs.every((x) => x.type === t0)) {
    const out = [...rrs];
    shuffle(out);
    return out;
  }
  const cname = rrs.filter((x) => x.type === 'CNAME');
  const address = rrs.filter((x) => x.type === 'A' || x.type === 'AAAA');
  const mx = rrs.filter((x) => x.type === 'MX');
  const rest = rrs.filter((x) => !['CNAME', 'A', 'AAAA', 'MX'].includes(x.type));
  shuffle(address);
  shuffle(mx);
  return [...cname, ...rest, ...address, ...mx];
}

function loadbalance(ctx: Ctx): Handler {
  return (q, next) => {
    const r = next(q);
    if (!r.written || r.reply.rcode !== 'NOERROR' || q.type === 'AXFR' || q.type === 'IXFR') return r;
    // dns.Id() in CoreDNS: random; here from the seed and the query's number.
    const rng = createRng(`${ctx.snap.seed}/loadbalance/${ctx.instance}/${ctx.rt.state.queries}/${ctx.depth}`);
    const id = () => rng.int(65536);
    const reply = { ...r.reply, answer: roundRobin(r.reply.answer, id), authority: roundRobin(r.reply.authority, id), additional: roundRobin(r.reply.additional, id) };
    return { reply, written: true };
  };
}

// --- rewrite name ------------------------------------------------------------------------

function rewriteName(rule: RewriteRule, name: string): string | undefined {
  const n = name.toLowerCase();
  switch (rule.match) {
    case 'exact': return n === rule.from ? rule.to : undefined;
    case 'prefix': return n.startsWith(rule.from) ? rule.to + n.slice(rule.from.length) : undefined;
    case 'suffix': return n.endsWith(rule.from) ? n.slice(0, n.length - rule.from.length) + rule.to : undefined;
    case 'substring': return n.includes(rule.from) ? n.replace(rule.from, rule.to) : undefined;
    case 'regex': {
      const m = new RegExp(rule.from).exec(n);
      if (!m) return undefined;
      return rule.to.replace(/\{(\d+)\}/g, (_, i) => m[Number(i)] ?? '');
    }
  }
}

function rewrite(rules: RewriteRule[]): Handler {
  return (q, next) => {
    let name = q.name;
    const applied: { rule: RewriteRule; from: string; to: string }[] = [];
    for (const rule of rules) {
      const to = rewriteName(rule, name);
      if (to === undefined) continue;
      const out = fqdn(to);
      applied.push({ rule, from: name, to: out });
      name = out;
      if (rule.stop) break;
    }
    if (!applied.length) return next(q);
    const r = next({ name, type: q.type });
    if (!r.written) return r;
    // The question goes back as asked; answers of exact rules (and `answer auto`) are named back.
    let answer = r.reply.answer;
    for (const a of [...applied].reverse()) {
      if (a.rule.match !== 'exact' && !a.rule.answerAuto) continue;
      answer = answer.map((x) => {
        const lower = x.name.toLowerCase();
        if (lower === a.to.toLowerCase()) return { ...x, name: a.from };
        if (a.rule.match === 'suffix' && lower.endsWith(fqdn(a.rule.to))) return { ...x, name: lower.slice(0, lower.length - fqdn(a.rule.to).length) + fqdn(a.rule.from) };
        return x;
      });
    }
    return { reply: { ...r.reply, answer }, written: true };
  };
}

// --- cache -------------------------------------------------------------------------------

type MsgType = 'noerror' | 'nxdomain' | 'nodata' | 'servfail' | 'delegation' | 'meta' | 'other';

/** plugin/pkg/response Typify, with the cache's NODATA reclassification. */
function classify(q: Question, r: DnsReply): MsgType {
  if (q.type === 'AXFR' || q.type === 'IXFR') return 'meta';
  const hasSOA = r.authority.some((x) => x.type === 'SOA');
  if (r.answer.length && r.rcode === 'NOERROR') return hasSOA && isNODATA(q, r) ? 'nodata' : 'noerror';
  if (r.answer.length && r.rcode === 'NXDOMAIN') return 'other';
  if (hasSOA && r.rcode === 'NOERROR') return 'nodata';
  if (r.rcode === 'NXDOMAIN') return 'nxdomain';
  if (r.rcode === 'SERVFAIL') return 'servfail';
  if (r.rcode === 'NOERROR' && r.authority.some((x) => x.type === 'NS')) return 'delegation';
  if (r.rcode === 'NOERROR') return 'noerror';
  return 'other';
}

/** A non-empty answer that does not reach the asked type at the end of its CNAME chain. */
function isNODATA(q: Question, r: DnsReply): boolean {
  if (!r.answer.length) return false;
  const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (q.type === 'ANY') return !r.answer.some((x) => eq(x.name, q.name));
  let name = q.name;
  const seen = new Set<string>();
  for (;;) {
    if (seen.has(name.toLowerCase())) return true;
    seen.add(name.toLowerCase());
    const targets = [...new Set(r.answer.filter((x) => x.type === 'CNAME' && eq(x.name, name)).map((x) => x.data.toLowerCase()))];
    if (targets.length > 1) return true;
    if (q.type === 'CNAME') return targets.length === 0;
    if (!targets.length) break;
    name = targets[0];
  }
  return !r.answer.some((x) => x.type === q.type && eq(x.name, name));
}

/** dnsutil.MinimalTTLWithMaximum. */
function minimalTTL(r: DnsReply, mt: MsgType, max: number): number {
  if (mt !== 'noerror' && mt !== 'nxdomain' && mt !== 'nodata') return 5;
  if (!r.answer.length && !r.authority.length && !r.additional.length) return 5;
  return Math.min(max, ...[...r.answer, ...r.authority, ...r.additional].map((x) => x.ttl));
}

const withTTL = (r: DnsReply, ttl: number): DnsReply => ({ ...r, answer: r.answer.map((x) => ({ ...x, ttl })), authority: r.authority.map((x) => ({ ...x, ttl })), additional: r.additional.map((x) => ({ ...x, ttl })) });

function instanceCache(ctx: Ctx): InstanceCache {
  let c = ctx.rt.state.caches[ctx.instance];
  if (!c || c.corefile !== ctx.corefile) c = ctx.rt.state.caches[ctx.instance] = { corefile: ctx.corefile, items: {} };
  return c;
}

/** The cache plugin on its own (tests): `instance` names whose cache it uses. */
export function cachePlugin(c: CacheConfig, rt: DnsRuntime, instance = 'test', corefile = ''): Handler {
  return cache({ rt, instance, corefile } as Ctx, { index: 0 } as ServerConfig, c);
}

/** CoreDNS caps a cache at 9984 items (256 shards of 39): forget the expired ones, then the oldest. */
const CACHE_CAP = 9984;
function prune(store: InstanceCache, now: number): void {
  const keys = Object.keys(store.items);
  if (keys.length <= CACHE_CAP) return;
  for (const k of keys) if (store.items[k].stored + store.items[k].ttl * 1000 <= now) delete store.items[k];
  const left = Object.keys(store.items);
  for (let i = 0; i < left.length - CACHE_CAP; i++) delete store.items[left[i]];
}

function cache(ctx: Ctx, block: ServerConfig, c: CacheConfig): Handler {
  return (q, next) => {
    const qn = q.name.toLowerCase();
    if (matchZone(qn, c.zones) === undefined) return next(q);
    const store = instanceCache(ctx);
    const key = `${block.index}\0${qn}\0${q.type}`;
    const now = ctx.rt.now;
    const item = store.items[key];
    if (item) {
      const ttl = c.keepTTL ? item.ttl : item.ttl - Math.floor((now - item.stored) / 1000);
      // A hit: the remaining TTL on every record, aa forced on (cache/item.go toMsg).
      if (ttl > 0) return { reply: { ...withTTL(item.reply, ttl), aa: true }, written: true };
      delete store.items[key];
    }
    const r = next(q);
    if (!r.written) return r;
    const mt = classify(q, r.reply);
    let duration: number;
    if (mt === 'nxdomain' || mt === 'nodata') duration = Math.min(Math.max(minimalTTL(r.reply, mt, c.denialTTL), c.denialMin), c.denialTTL);
    else if (mt === 'servfail') duration = c.servfailTTL;
    else duration = Math.min(Math.max(minimalTTL(r.reply, mt, c.successTTL), c.successMin), c.successTTL);
    // Every record of the reply gets the one capped TTL ("to avoid jarring TTL experience").
    const reply = withTTL(r.reply, duration);
    const hasSOA = reply.authority.some((x) => x.type === 'SOA');
    const cacheable = mt !== 'meta' && mt !== 'other' && !(mt === 'nxdomain' && !hasSOA) && !(mt === 'noerror' && !hasSOA && isNODATA(q, reply));
    if (cacheable && duration > 0) {
      const except = mt === 'noerror' || mt === 'delegation' ? c.disableSuccess : c.disableDenial;
      if (matchZone(qn, except) === undefined) {
        store.items[key] = { reply: copy(reply), ttl: duration, stored: now };
        prune(store, now);
      }
    }
    return { reply, written: true };
  };
}

// --- hosts -------------------------------------------------------------------------------

/** The kubelet-managed /etc/hosts of a (non-hostNetwork) pod. */
function podHostsFile(pod: Pod | undefined): string {
  let s = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  if (pod?.status?.podIP) s += `${pod.status.podIP}\t${pod.metadata.name}\n`;
  return s;
}

function parseHostsFile(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const raw of text.split('\n')) {
    const [addr, ...names] = raw.replace(/#.*$/, '').trim().split(/\s+/);
    if (!addr || !names.length || !(isIPv4(addr) || isIPv6(addr))) continue;
    // An IPv4-mapped IPv6 address is the IPv4 address (Go's net.ParseIP).
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
    out.push({ ip: mapped ? mapped[1] : addr, names: names.map(fqdn) });
  }
  return out;
}

function hostsEntries(ctx: Ctx, h: HostsConfig): HostsEntry[] {
  let file = '';
  if (h.file === '/etc/hosts') file = podHostsFile(ctx.pod);
  else {
    // A file next to the Corefile: another key of the coredns ConfigMap mounted at /etc/coredns.
    const m = /^\/etc\/coredns\/([^/]+)$/.exec(h.file);
    if (m) file = ctx.snap.configMaps.find((c) => c.metadata.namespace === 'kube-system' && c.metadata.name === 'coredns')?.data?.[m[1]] ?? '';
  }
  return [...h.inline, ...parseHostsFile(file)];
}

function hosts(ctx: Ctx, h: HostsConfig): Handler {
  return (q, next) => {
    const qn = q.name.toLowerCase();
    const zone = matchZone(qn, h.zones);
    if (zone === undefined && q.type !== 'PTR') return next(q);
    const entries = hostsEntries(ctx, h);
    const fall = (n: string) => h.fallthrough !== undefined && matchZone(n, h.fallthrough) !== undefined;
    const rr = (type: string, data: string): RR => ({ name: q.name, ttl: h.ttl, type, data });
    const ips = (v6: boolean) => [...new Set(entries.filter((e) => e.names.includes(qn) && (v6 ? isIPv6(e.ip) : isIPv4(e.ip))).map((e) => e.ip))];
    let answer: RR[] = [];
    if (q.type === 'PTR') {
      const ip = reverseToIP(qn);
      const names = h.noReverse || !ip ? [] : [...new Set(entries.filter((e) => e.ip === ip).flatMap((e) => e.names))];
      if (!names.length) return next(q);
      answer = names.map((n) => rr('PTR', n));
    } else if (q.type === 'A') answer = ips(false).map((ip) => rr('A', ip));
    else if (q.type === 'AAAA') answer = ips(true).map((ip) => rr('AAAA', ip));
    else if (h.fallthroughUnsupported && fall(qn)) return next(q);
    if (!answer.length && !ips(false).length && !ips(true).length) {
      if (fall(qn)) return next(q);
      // No SOA to send an NXDOMAIN with: hosts answers SERVFAIL.
      return failed('SERVFAIL');
    }
    return { reply: { rcode: 'NOERROR', aa: true, ra: false, answer, authority: [], additional: [] }, written: true };
  };
}

// --- kubernetes --------------------------------------------------------------------------

const isReverseZone = (z: string) => /(^|\.)(in-addr|ip6)\.arpa\.$/.test(z);

function kubernetes(ctx: Ctx, k: KubernetesConfig): Handler {
  const primary = k.zones.find((z) => !isReverseZone(z)) ?? 'cluster.local.';
  return (q, next) => {
    const qn = q.name.toLowerCase();
    const zone = matchZone(qn, k.zones);
    if (zone === undefined) return next(q);
    const opts: PluginOptions = {
      zone: primary.replace(/\.$/, ''), ttl: k.ttl, pods: k.pods, dnsIP: ctx.snap.config.dnsServiceIP,
      endpointPodNames: k.endpointPodNames, namespaces: k.namespaces, ignoreEmptyService: k.ignoreEmptyService,
      lookup: (x) => (ctx.depth < 8 ? serve({ ...ctx, depth: ctx.depth + 1 }, x).reply : emptyReply('SERVFAIL')),
    };
    const fall = () => k.fallthrough !== undefined && matchZone(qn, k.fallthrough) !== undefined;
    if (isReverseZone(zone)) {
      const ip = q.type === 'PTR' ? reverseToIP(qn) : undefined;
      const r = ip ? ptrFor(ctx.snap, ip, q.name, opts) : undefined;
      if (r) return { reply: r, written: true };
      if (fall()) return next(q);
      const spelled = q.name.slice(q.name.length - zone.length);
      return { reply: { rcode: 'NXDOMAIN', aa: true, ra: false, answer: [], authority: [zoneSOA(zone, opts, ctx.snap, spelled)], additional: [] }, written: true };
    }
    const r = kubernetesPlugin(ctx.snap, q, { ...opts, zone: zone.replace(/\.$/, '') }, ctx.depth);
    if (!r) return next(q);
    if (r.rcode === 'REFUSED') return failed('REFUSED');
    if (r.rcode === 'NXDOMAIN' && fall()) return next(q);
    return { reply: r, written: true };
  };
}

// --- forward -----------------------------------------------------------------------------

function forward(ctx: Ctx, f: ForwardConfig): Handler {
  return (q, next) => {
    const qn = q.name.toLowerCase();
    if (matchZone(qn, [f.from]) === undefined || (f.except.length && matchZone(qn, f.except) !== undefined)) return next(q);
    const upstreams = f.to.flatMap((t) => {
      if (t === 'file:/etc/resolv.conf') {
        // The CoreDNS pod's own resolv.conf: dnsPolicy Default gives it its node's.
        if (ctx.pod) return podResolvConf(ctx.snap, ctx.pod, ctx.rt).nameservers;
        const cp = ctx.snap.nodes.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) ?? ctx.snap.nodes[0];
        return hostResolvConf(cp, ctx.rt).nameservers;
      }
      return t.startsWith('file:') ? [] : [t];
    });
    if (!upstreams.length) return failed('SERVFAIL');
    const rng = createRng(`${ctx.snap.seed}/forward/${ctx.instance}/${ctx.rt.state.queries}/${ctx.depth}`);
    const up = f.policy === 'sequential' ? upstreams[0] : upstreams[rng.int(upstreams.length)];
    // Forwarding to itself (a loopback address, or the cluster DNS) is the loop the loop plugin
    // refuses: the query never gets an answer from the outside.
    if (/^127\./.test(up) || up === '::1' || servedByCoreDNS(ctx.snap, up)) return failed('SERVFAIL');
    return { reply: upstreamAnswer(q), written: true };
  };
}

// ---------------------------------------------------------------------------------------
// One datagram to a server

/** A query sent to `server`:53 from a client, with the state of the running simulation. */
export function sendQuery(snap: ClusterSnapshot, server: string, q: Question, rt: DnsRuntime, socket?: DnsSocket): DnsReply {
  const t = targetOf(snap, server, rt, socket);
  rt.state.queries++;
  if (t.kind === 'none') return { ...emptyReply('SERVFAIL'), noResponse: t.why };
  if (t.kind === 'upstream') return upstreamAnswer(q);
  return serveCoreDNS(snap, q, rt, { key: t.key, pod: t.pod });
}
