// The CoreDNS `kubernetes` plugin over the cluster snapshot (reference/coredns.md §1), and
// resolveCoreDNS, a stateless stand-in for the kubeadm server (kubernetes → forward, `cache 30`
// rewriting TTLs). The real server — Corefile, plugin chain, caches — is coredns.ts.
// Pure functions over plain data: a question in, the reply's sections out.
import type { ClusterSnapshot } from '../snapshot';
import type { Service } from '../api/objects';
import { upstreamAnswer } from './upstream';

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

/** One resource record; `data` is the RDATA as dig prints it. */
export interface RR { name: string; ttl: number; type: string; data: string }

export interface DnsReply {
  rcode: Rcode;
  /** No reply came back at all: nothing listens (refused) or the packet was lost (timeout). */
  noResponse?: 'timeout' | 'refused';
  /** Flags beyond qr/rd: aa (authoritative) and ra (recursion available). */
  aa: boolean;
  ra: boolean;
  answer: RR[];
  authority: RR[];
  additional: RR[];
}

export interface Question { name: string; type: string }

export interface PluginOptions {
  zone: string;
  /** `ttl` in the kubernetes block: 5 is the plugin default, kubeadm writes 30. */
  ttl: number;
  pods: 'insecure' | 'verified' | 'disabled';
  /** The address `ns.dns.<zone>` / the kube-dns Service answers on. */
  dnsIP?: string;
  /** `endpoint_pod_names`: endpoints without a hostname are named after their pod. */
  endpointPodNames?: boolean;
  /** `namespaces NS...`: only these namespaces are exposed. */
  namespaces?: string[];
  /** `ignore empty_service`: a Service without ready endpoints is NXDOMAIN. */
  ignoreEmptyService?: boolean;
  /**
   * How an ExternalName's target is looked up: CoreDNS sends it through the whole server
   * again (plugin/pkg/upstream), cache included. Default: this plugin, then the upstream.
   */
  lookup?: (q: Question) => DnsReply;
}

export type DnsData = Pick<ClusterSnapshot, 'namespaces' | 'services' | 'endpointSlices' | 'pods'>;

interface Item { ip?: string; port?: { port: number; name: string; protocol: string }; target: string }

const isV4 = (ip: string) => /^\d+\.\d+\.\d+\.\d+$/.test(ip);
const isV6 = (ip: string) => ip.includes(':');

/** The dashed endpoint name of an address (§1.2). */
export function dashedIP(ip: string): string {
  if (isV4(ip)) return ip.replace(/\./g, '-');
  const d = ip.replace(/:/g, '-');
  return d.endsWith('--') ? `${d}0` : d;
}

function endpointName(hostname: string | undefined, ip: string): string {
  return hostname ?? dashedIP(ip);
}

function serial(data: DnsData): number {
  let t = 0;
  for (const o of [...data.services, ...data.endpointSlices]) {
    const c = Date.parse(o.metadata.creationTimestamp ?? '');
    if (Number.isFinite(c) && c > t) t = c;
  }
  return Math.floor(t / 1000);
}

/** The SOA the plugin puts in negative answers for one of its zones (also reverse zones). */
export function zoneSOA(zone: string, o: PluginOptions, data: DnsData, spelled = zone): RR {
  const z = zone.toLowerCase().replace(/\.$/, '');
  return soa(spelled.replace(/\.$/, ''), z, o, data);
}

function soa(zoneSpelled: string, zoneLower: string, o: PluginOptions, data: DnsData): RR {
  return { name: `${zoneSpelled}.`, ttl: Math.min(o.ttl, 300), type: 'SOA', data: `ns.dns.${zoneLower}. hostmaster.${zoneLower}. ${serial(data)} 7200 1800 86400 ${o.ttl}` };
}

function readyEndpoints(data: DnsData, svc: Service, o?: PluginOptions): { ip: string; name: string; ports: Item['port'][] }[] {
  const out: { ip: string; name: string; ports: Item['port'][] }[] = [];
  const podName = (e: { targetRef?: { kind?: string; name?: string } }) => (o?.endpointPodNames && e.targetRef?.kind === 'Pod' ? e.targetRef.name : undefined);
  for (const s of data.endpointSlices) {
    if (s.metadata.namespace !== svc.metadata.namespace || s.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue;
    const ports = (s.ports ?? []).map((p) => ({ port: p.port ?? 0, name: p.name ?? '', protocol: p.protocol ?? 'TCP' }));
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const ip of e.addresses ?? []) out.push({ ip, name: endpointName(e.hostname ?? podName(e), ip), ports });
    }
  }
  return out;
}

function clusterIPs(svc: Service): string[] {
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}

const isHeadless = (svc: Service) => svc.spec?.type !== 'ExternalName' && clusterIPs(svc).length === 0;

function rr(name: string, ttl: number, ip: string): RR {
  return { name, ttl, type: isV4(ip) ? 'A' : 'AAAA', data: ip };
}

function reply(rcode: Rcode, answer: RR[] = [], authority: RR[] = [], additional: RR[] = []): DnsReply {
  return { rcode, aa: true, ra: false, answer, authority, additional };
}

/** Parses an in-addr.arpa / ip6.arpa name into the address, or undefined. */
export function reverseToIP(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  let m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(n);
  if (m) {
    const parts = [m[4], m[3], m[2], m[1]].map(Number);
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  m = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(n);
  if (!m) return undefined;
  const nibbles = m[1].split('.').filter(Boolean).reverse().join('');
  const groups = nibbles.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
  return compressV6(groups);
}

function compressV6(groups: string[]): string {
  let best = -1; let bestLen = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i; while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** The reverse name of an address: 10.96.0.10 → 10.0.96.10.in-addr.arpa. */
export function reverseName(ip: string): string {
  if (isV4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const full = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) => g.padStart(4, '0')).join('');
  return `${full.split('').reverse().join('.')}.ip6.arpa.`;
}

function parsePodIP(label: string): string | undefined {
  if (/^\d+-\d+-\d+-\d+$/.test(label) && !label.includes('--')) {
    const parts = label.split('-').map(Number);
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  const v6 = label.replace(/-/g, ':');
  return /^[0-9a-f:]+$/.test(v6) && v6.includes(':') && (v6.match(/::/g) ?? []).length <= 1 ? v6 : undefined;
}

/**
 * The kubernetes plugin alone: authoritative for `zone` and the reverse zones. Returns
 * undefined for names outside its zones, and for reverse misses (kubeadm's
 * `fallthrough in-addr.arpa ip6.arpa` passes those on).
 */
export function kubernetesPlugin(data: DnsData, q: Question, o: PluginOptions, depth = 0): DnsReply | undefined {
  const qname = q.name.endsWith('.') ? q.name : `${q.name}.`;
  const lower = qname.toLowerCase();
  const type = q.type.toUpperCase();
  const zone = o.zone.toLowerCase().replace(/\.$/, '');
  if (lower.endsWith('.in-addr.arpa.') || lower.endsWith('.ip6.arpa.') || lower === 'in-addr.arpa.' || lower === 'ip6.arpa.') {
    if (type !== 'PTR') return undefined;
    const ip = reverseToIP(lower);
    if (!ip) return undefined;
    return ptrFor(data, ip, qname, o);
  }
  if (lower !== `${zone}.` && !lower.endsWith(`.${zone}.`)) return undefined;
  const zoneSpelled = qname.slice(qname.length - zone.length - 1, -1);
  const SOA = () => [soa(zoneSpelled, zone, o, data)];
  const nx = () => reply('NXDOMAIN', [], SOA());
  const nodata = () => reply('NOERROR', [], SOA());
  const rest = lower === `${zone}.` ? [] : lower.slice(0, -(zone.length + 2)).split('.');
  if (type === 'AXFR' || type === 'IXFR') return reply('REFUSED');
  if (rest.length === 0) {
    if (type === 'SOA') return reply('NOERROR', SOA());
    if (type === 'NS') {
      const ns = `kube-dns.kube-system.svc.${zoneSpelled}.`;
      return o.dnsIP ? reply('NOERROR', [{ name: qname, ttl: o.ttl, type: 'NS', data: ns }], [], [rr(ns, o.ttl, o.dnsIP)]) : nodata();
    }
    return nodata();
  }
  if (type === 'SOA') return nodata();
  if (rest.length === 1 && rest[0] === 'dns-version') {
    return type === 'TXT' ? reply('NOERROR', [{ name: qname, ttl: 28800, type: 'TXT', data: '"1.1.0"' }]) : nodata();
  }
  const kind = rest[rest.length - 1];
  if (kind !== 'svc' && kind !== 'pod') return nx();
  if (rest.length === 1) return nodata();
  const nsName = rest[rest.length - 2];
  if (!data.namespaces.some((n) => n.metadata.name === nsName) || (o.namespaces && !o.namespaces.includes(nsName))) return nx();
  if (rest.length === 2) return nodata();
  if (kind === 'pod') {
    if (o.pods === 'disabled') return nx();
    const ip = parsePodIP(rest[rest.length - 3]);
    if (!ip) return nx();
    if (o.pods === 'verified' && !data.pods.some((p) => p.metadata.namespace === nsName && p.status?.podIP === ip)) return nx();
    return addressReply([{ ip, target: qname }], type, qname, o, nodata);
  }
  const svcName = rest[rest.length - 3];
  const extra = rest.slice(0, rest.length - 3);
  if (extra.length > 2) return nx();
  const svc = data.services.find((s) => s.metadata.namespace === nsName && s.metadata.name === svcName);
  if (!svc) return nx();
  const svcFqdn = `${svcName}.${nsName}.svc.${zoneSpelled}.`;
  if (svc.spec?.type === 'ExternalName') {
    const target = (svc.spec.externalName ?? '').replace(/\.$/, '');
    if (extra.length > 0 || !target || isV4(target) || isV6(target)) return nx();
    const cname: RR = { name: qname, ttl: o.ttl, type: 'CNAME', data: `${target}.` };
    if (type === 'CNAME') return reply('NOERROR', [cname]);
    if (type !== 'A' && type !== 'AAAA') return nodata();
    const chased = depth >= 10 ? undefined : o.lookup ? o.lookup({ name: `${target}.`, type }) : resolveCoreDNS(data, { name: `${target}.`, type }, o, depth + 1, false);
    const answer = [cname, ...(chased?.answer ?? [])];
    return chased && chased.answer.length ? reply('NOERROR', answer) : reply('NOERROR', answer);
  }
  let items: Item[];
  if (extra.length === 1) {
    items = readyEndpoints(data, svc, o).filter((e) => e.name === extra[0]).map((e) => ({ ip: e.ip, target: `${e.name}.${svcFqdn}` }));
    if (!items.length) return nx();
  } else if (isHeadless(svc)) {
    items = readyEndpoints(data, svc, o).flatMap((e) => (e.ports.length ? e.ports : [undefined]).map((port) => ({ ip: e.ip, port, target: `${e.name}.${svcFqdn}` })));
    if (!items.length) return nx();
  } else {
    if (o.ignoreEmptyService && !readyEndpoints(data, svc, o).length) return nx();
    const ports = (svc.spec?.ports ?? []).map((p) => ({ port: p.port, name: p.name ?? '', protocol: p.protocol ?? 'TCP' }));
    items = clusterIPs(svc).flatMap((ip) => (ports.length ? ports : [undefined]).map((port) => ({ ip, port, target: svcFqdn })));
  }
  if (extra.length === 2) {
    const [pn, pp] = extra.map((l) => l.replace(/^_/, ''));
    items = items.filter((i) => i.port && i.port.name.toLowerCase() === pn && i.port.protocol.toLowerCase() === pp);
    if (!items.length) return nx();
  }
  if (type === 'SRV') {
    const withPort = items.filter((i) => i.port);
    if (!withPort.length) return nodata();
    const weight = Math.floor(100 / withPort.length);
    const answer: RR[] = [];
    const additional: RR[] = [];
    const seen = new Set<string>();
    const seenAdd = new Set<string>();
    for (const i of withPort) {
      const key = `${i.target} ${i.port!.port}`;
      if (!seen.has(key)) { seen.add(key); answer.push({ name: qname, ttl: o.ttl, type: 'SRV', data: `0 ${weight} ${i.port!.port} ${i.target}` }); }
      const akey = `${i.target} ${i.ip}`;
      if (i.ip && !seenAdd.has(akey)) { seenAdd.add(akey); additional.push(rr(i.target, o.ttl, i.ip)); }
    }
    return reply('NOERROR', answer, [], additional);
  }
  return addressReply(items, type, qname, o, nodata);
}

function addressReply(items: Item[], type: string, qname: string, o: PluginOptions, nodata: () => DnsReply): DnsReply {
  if (type !== 'A' && type !== 'AAAA') return nodata();
  const ips = [...new Set(items.map((i) => i.ip!).filter((ip) => ip && (type === 'A' ? isV4(ip) : isV6(ip))))];
  if (!ips.length) return nodata();
  return reply('NOERROR', ips.map((ip) => rr(qname, o.ttl, ip)));
}

/** PTR records for an address: a ClusterIP's Service, else every Service that selects it as an endpoint. */
export function ptrFor(data: DnsData, ip: string, qname: string, o: PluginOptions): DnsReply | undefined {
  const zone = o.zone.toLowerCase().replace(/\.$/, '');
  const svc = data.services.find((s) => clusterIPs(s).includes(ip));
  if (svc) return reply('NOERROR', [{ name: qname, ttl: o.ttl, type: 'PTR', data: `${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}.` }]);
  const answer: RR[] = [];
  for (const s of data.services) {
    if (s.spec?.type === 'ExternalName') continue;
    const ep = readyEndpoints(data, s, o).find((e) => e.ip === ip);
    if (ep) answer.push({ name: qname, ttl: o.ttl, type: 'PTR', data: `${ep.name}.${s.metadata.name}.${s.metadata.namespace}.svc.${zone}.` });
  }
  return answer.length ? reply('NOERROR', answer) : undefined;
}

/**
 * The whole kubeadm CoreDNS (§2): kubernetes for cluster names, forward (the node's
 * upstream) for the rest, then `cache 30` rewriting every TTL to one clamped value.
 * `cacheRewrite` is off for internal CNAME chasing.
 */
export function resolveCoreDNS(data: DnsData, q: Question, o: PluginOptions, depth = 0, cacheRewrite = true): DnsReply {
  const r = kubernetesPlugin(data, q, o, depth) ?? upstreamAnswer(q);
  if (!cacheRewrite) return r;
  const all = [...r.answer, ...r.authority, ...r.additional];
  if (!all.length) return r;
  const ttl = Math.max(5, Math.min(30, ...all.map((x) => x.ttl)));
  const set = (xs: RR[]) => xs.map((x) => ({ ...x, ttl }));
  return { ...r, answer: set(r.answer), authority: set(r.authority), additional: set(r.additional) };
}

/** The plugin options the built-in kubeadm Corefile gives (ttl 30, pods insecure). */
export function kubeadmOptions(snap: Pick<ClusterSnapshot, 'config'>): PluginOptions {
  return { zone: snap.config.dnsDomain, ttl: 30, pods: 'insecure', dnsIP: snap.config.dnsServiceIP };
}
