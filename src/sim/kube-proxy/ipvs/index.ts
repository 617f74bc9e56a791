// kube-proxy in IPVS mode on one node (pkg/proxy/ipvs/proxier.go syncProxyRules): the
// virtual servers it programs, the addresses it binds to kube-ipvs0, its ipsets and the few
// iptables rules that remain (masquerade, NodePort and LoadBalancer plumbing, filters).
//
// Per Service port (proxier order; the simulator walks Service ports sorted by name):
//   ClusterIP      VS clusterIP:port, bound to kube-ipvs0, in KUBE-CLUSTER-IP
//   externalIPs    VS per IP (bound unless the IP is already on another device of the node),
//                  in KUBE-EXTERNAL-IP or, with externalTrafficPolicy Local, KUBE-EXTERNAL-IP-LOCAL
//   LB ingress IPs VS per IP (same binding rule), KUBE-LOAD-BALANCER (+ -LOCAL, -FW, -SOURCE-*)
//   NodePort       VS per node address (every IPv4 address of every device except kube-ipvs0
//                  and lo, or those inside nodePortAddresses), never bound; KUBE-NODE-PORT-*
//   local endpoints  KUBE-LOOP-BACK (hairpin masquerade)
// Real servers (syncEndpoint): endpoint IP:port, weight 1, Masq. The ClusterIP VS uses the
// cluster endpoints, or the node-local ones with internalTrafficPolicy Local; the external VSs
// the local ones with externalTrafficPolicy Local. When the policy is Local and this node has
// no local endpoint, kube-proxy falls back to the cluster endpoints (PR #97081) — which are
// empty for an internal-only Service with internalTrafficPolicy Local.
// A VS is created even without endpoints: IPVS then refuses connections (ICMP port unreachable).
//
// Release differences (the simulated kube-proxy version, config.kubeProxy.version):
//   < 1.19  KUBE-POSTROUTING is one MASQUERADE rule matching the mark
//   < 1.22  two "kubernetes forwarding conntrack pod source/destination rule"s; no filter
//           KUBE-NODE-PORT chain / KUBE-HEALTH-CHECK-NODE-PORT set   [versions UNSURE]
//   < 1.25  loadBalancerSourceRanges through nat KUBE-FIREWALL → KUBE-MARK-DROP instead of
//           filter KUBE-PROXY-FIREWALL / KUBE-SOURCE-RANGES-FIREWALL
//   ≥ 1.28  KUBE-IPVS-FILTER + KUBE-IPVS-IPS (issue #72236) and the `-s 127.0.0.0/8 -j RETURN`
//           head of KUBE-SERVICES; ≥ 1.29 KUBE-IPVS-OUT-FILTER (issue #119656)  [versions UNSURE]
import type { ClusterSnapshot } from '../../snapshot';
import type { Node } from '../../api/objects';
import type { RuleOrigin, Ruleset, Table } from '../../netfilter/ruleset';
import { emptyTable, ensureChain } from '../../netfilter/ruleset';
import { cidrHasIP } from '../../api/ipnet';
import { servicePorts, type ProxyEndpoint, type ServicePortInfo } from '../service-ports';
import { iptablesOptions } from '../iptables/index';
import type { IptablesProxyOptions } from '../iptables/options';
import { type RuleParts, textRule, rule, accept, addrtype, comment, ctstate, drop, jump, markMatch, masquerade, setXMark, reject } from '../iptables/build';
import type { IpvsProto, IpvsState, RealServer, VirtualServer } from '../../ipvs/types';
import { IP_VS_SVC_F_SCHED2, vsKey } from '../../ipvs/types';
import { nodeAddresses, nodeLinks, type NodeLink } from './links';
import { SET_INFO, type IpSet } from './ipset';

export type { IpSet } from './ipset';
export { ipsetHas } from './ipset';
export type { NodeLink, LinkAddr } from './links';

export interface NodeIpvs {
  /** Addresses bound to kube-ipvs0, in the order kube-proxy binds them. */
  dummy: string[];
  virtualServers: VirtualServer[];
  ipsets: IpSet[];
  /** The iptables rules of IPVS mode (mangle, filter, nat), as iptables-save prints them. */
  ruleset: Ruleset;
  /** The node's devices (`ip addr`), kube-ipvs0 included. */
  links: NodeLink[];
  /** The node addresses NodePort virtual servers listen on. */
  nodeAddresses: string[];
  /** The kube-proxy release the layout follows (minor), and its settings. */
  options: IptablesProxyOptions & { scheduler: string };
}

export interface IpvsOptions {
  /**
   * The node's IPVS state: a real server that disappeared from the endpoints but still has
   * connections stays in its VS with weight 0 (kube-proxy's GracefulTerminationManager, TCP
   * only) until they have expired.
   */
  state?: IpvsState;
  now?: number;
}

const PROTO: Record<string, IpvsProto> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

export function kubeProxyIpvs(snap: ClusterSnapshot, nodeName: string, opts: IpvsOptions = {}): NodeIpvs | undefined {
  const node = snap.nodes.find((n) => n.metadata.name === nodeName);
  if (!node) return undefined;
  const { options } = iptablesOptions(snap, node);
  const scheduler = snap.config.kubeProxy.ipvsScheduler || 'rr';
  const o = { ...options, scheduler };
  const ports = servicePorts(snap, nodeName);
  const addrs = nodeAddresses(snap, node);
  const npAddrs = o.nodePortAddresses.length
    ? addrs.filter((ip) => o.nodePortAddresses.some((c) => c !== 'primary' && cidrHasIP(c, ip)) || (o.nodePortAddresses.includes('primary') && ip === options.nodeIPs[0]))
    : addrs;

  const sets = new Map<string, Set<string>>(SET_INFO.filter((s) => !s.minMinor || o.minor >= s.minMinor).map((s) => [s.name, new Set<string>()]));
  const put = (set: string, entry: string) => sets.get(set)?.add(entry);
  const dummy: string[] = [];
  const bound = new Set<string>();
  const bind = (ip: string) => { if (!bound.has(ip)) { bound.add(ip); dummy.push(ip); } };
  const vss: VirtualServer[] = [];
  const lbNoNodeAccess: { ip: string; proto: string; port: number }[] = [];

  for (const sp of ports) {
    const proto = sp.protocol;
    const origin = { service: `${sp.namespace}/${sp.name}`, servicePort: sp.portName };
    const vs = (kind: VirtualServer['kind'], vip: string, port: number, eps: ProxyEndpoint[]): VirtualServer => {
      const v: VirtualServer = {
        proto: PROTO[proto], vip, port, scheduler, reals: eps.map((e): RealServer => ({ ip: e.ip, port: e.port, weight: 1 })),
        kind, service: origin.service, servicePort: origin.servicePort,
      };
      if (sp.affinitySeconds) v.persistentTimeout = sp.affinitySeconds;
      if (scheduler === 'mh') v.schedFlags = IP_VS_SVC_F_SCHED2;
      vss.push(v);
      return v;
    };
    const { internal, external } = realEndpoints(sp);

    for (const ep of sp.endpoints) if (ep.isLocal) put('KUBE-LOOP-BACK', `${ep.ip},${proto}:${ep.port},${ep.ip}`);
    put('KUBE-CLUSTER-IP', `${sp.clusterIP},${proto}:${sp.port}`);
    vs('clusterIP', sp.clusterIP, sp.port, internal);
    bind(sp.clusterIP);

    for (const eip of sp.externalIPs) {
      put(sp.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', `${eip},${proto}:${sp.port}`);
      vs('externalIP', eip, sp.port, external);
      if (!addrs.includes(eip)) bind(eip);
    }
    for (const lb of sp.loadBalancerIPs) {
      const entry = `${lb},${proto}:${sp.port}`;
      put('KUBE-LOAD-BALANCER', entry);
      if (sp.externalPolicyLocal) put('KUBE-LOAD-BALANCER-LOCAL', entry);
      if (sp.sourceRanges.length) {
        put('KUBE-LOAD-BALANCER-FW', entry);
        let allowFromNode = false;
        for (const r of sp.sourceRanges) {
          put('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${entry},${r}`);
          if (options.nodeIPs[0] && cidrHasIP(r, options.nodeIPs[0])) allowFromNode = true;
        }
        if (allowFromNode) put('KUBE-LOAD-BALANCER-SOURCE-IP', `${entry},${lb}`);
        else lbNoNodeAccess.push({ ip: lb, proto, port: sp.port });
      }
      vs('loadBalancer', lb, sp.port, external);
      if (!addrs.includes(lb)) bind(lb);
    }
    if (sp.nodePort && npAddrs.length) {
      const local = sp.externalPolicyLocal;
      if (proto === 'sctp') {
        for (const ip of npAddrs) {
          put('KUBE-NODE-PORT-SCTP-HASH', `${ip},sctp:${sp.nodePort}`);
          if (local) put('KUBE-NODE-PORT-LOCAL-SCTP-HASH', `${ip},sctp:${sp.nodePort}`);
        }
      } else {
        put(`KUBE-NODE-PORT-${proto.toUpperCase()}`, String(sp.nodePort));
        if (local) put(`KUBE-NODE-PORT-LOCAL-${proto.toUpperCase()}`, String(sp.nodePort));
      }
      for (const ip of npAddrs) vs('nodePort', ip, sp.nodePort, external);
    }
    if (sp.healthCheckNodePort) put('KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
  }
  if (sets.has('KUBE-IPVS-IPS')) for (const ip of dummy) put('KUBE-IPVS-IPS', ip);

  const ipsets: IpSet[] = SET_INFO.filter((s) => sets.has(s.name)).map((s) => ({ name: s.name, type: s.type, comment: s.comment, members: [...sets.get(s.name)!] }));
  const ruleset = ipvsRules(o, ipsets, lbNoNodeAccess);
  const model: NodeIpvs = { dummy, virtualServers: vss, ipsets, ruleset, links: nodeLinks(snap, node, dummy), nodeAddresses: npAddrs, options: o };
  return opts.state ? applyGracefulTermination(model, opts.state, opts.now ?? 0) : model;
}

/** The endpoints of the ClusterIP VS and of the external (NodePort/externalIP/LB) VSs. */
export function realEndpoints(sp: ServicePortInfo): { internal: ProxyEndpoint[]; external: ProxyEndpoint[] } {
  // CategorizeEndpoints fills clusterEndpoints only when the port uses them.
  const cluster = !sp.internalPolicyLocal || sp.externallyAccessible ? sp.clusterEndpoints : [];
  const pick = (onlyLocal: boolean) => (onlyLocal && sp.localEndpoints.length ? sp.localEndpoints : cluster);
  return { internal: pick(sp.internalPolicyLocal), external: pick(sp.externalPolicyLocal) };
}

/**
 * kube-proxy's GracefulTerminationManager: a real server gone from the endpoints is first set
 * to weight 0 and deleted only once its connections are gone (TCP; UDP/SCTP ones are deleted
 * at once). Returns the model with such reals added back at weight 0 (VSs copied, not mutated).
 */
export function applyGracefulTermination(model: NodeIpvs, state: IpvsState, now: number): NodeIpvs {
  // Only virtual servers that have seen traffic can hold draining reals: look those up, not
  // all of them (20,000 Services would be scanned on every packet otherwise).
  if (Object.keys(state.services).length === 0) return model;
  let byKey = vsIndex.get(model.virtualServers);
  if (!byKey) { byKey = new Map(model.virtualServers.map((v, i) => [vsKey(v), i])); vsIndex.set(model.virtualServers, byKey); }
  const vss = model.virtualServers.slice();
  const changed = gracefulTermination(vss, byKey, state, now);
  return changed ? { ...model, virtualServers: vss } : model;
}

/** Virtual servers by key, per model (built once: the model is cached until the cluster changes). */
const vsIndex = new WeakMap<VirtualServer[], Map<string, number>>();

function gracefulTermination(vss: VirtualServer[], byKey: Map<string, number>, state: IpvsState, now: number): boolean {
  let changed = false;
  for (const key of Object.keys(state.services)) {
    const k = byKey.get(key);
    if (k === undefined) continue;
    const v = vss[k];
    if (v.proto !== 'TCP') continue;
    const st = state.services[key];
    const extra: RealServer[] = [];
    for (const [key, r] of Object.entries(st.reals)) {
      if (r.active + r.inactive === 0) continue;
      if (v.reals.some((x) => `${x.ip}:${x.port}` === key)) continue;
      const live = state.conns.some((c) => !c.template && c.expires > now && c.vip === v.vip && c.vport === v.port && c.proto === v.proto && `${c.dip}:${c.dport}` === key);
      if (!live) continue;
      const i = key.lastIndexOf(':');
      extra.push({ ip: key.slice(0, i), port: Number(key.slice(i + 1)), weight: 0 });
    }
    if (extra.length) { vss[k] = { ...v, reals: [...v.reals, ...extra] }; changed = true; }
  }
  return changed;
}

// ---------------------------------------------------------------------------------------
// iptables rules (writeIptablesRules + createAndLinkKubeChain, and kubelet's chains)

const setMatch = (name: string, flags: string) => ` -m set --match-set ${name} ${flags}`;

function ipvsRules(o: IptablesProxyOptions, ipsets: IpSet[], lbNoNodeAccess: { ip: string; proto: string; port: number }[]): Ruleset {
  const mangle = emptyTable('mangle');
  const filter = emptyTable('filter');
  const nat = emptyTable('nat');
  const kp: RuleOrigin = { writer: 'kube-proxy' };
  const kl: RuleOrigin = { writer: 'kubelet' };
  const add = (t: Table, chain: string, r: RuleParts) => ensureChain(t, chain).rules.push(textRule({ origin: kp, ...r }));
  const mark = o.masqueradeMark;
  const nonEmpty = (name: string) => (ipsets.find((s) => s.name === name)?.members.length ?? 0) > 0;
  const has = (name: string) => ipsets.some((s) => s.name === name);
  const cmt = (name: string) => comment(ipsets.find((s) => s.name === name)?.comment ?? SET_INFO.find((s) => s.name === name)!.comment);
  const firewall = o.minor >= 25;
  const ipvsFilter = o.minor >= 28;
  const outFilter = o.minor >= 29;
  const filterNodePort = o.minor >= 22;

  // --- kubelet's chains ----------------------------------------------------------------
  for (const t of [mangle, nat, filter]) ensureChain(t, 'KUBE-KUBELET-CANARY');
  if (o.minor >= 24) ensureChain(mangle, 'KUBE-IPTABLES-HINT');
  if (o.minor < 27) {
    add(nat, 'KUBE-MARK-DROP', rule({ target: setXMark('0x8000/0x8000'), origin: kl }));
    add(filter, 'KUBE-FIREWALL', rule({ matches: [comment('kubernetes firewall for dropping marked packets'), markMatch('0x8000/0x8000')], target: drop(), origin: kl }));
  }
  add(filter, 'KUBE-FIREWALL', rule({
    notSrc: '127.0.0.0/8', dst: '127.0.0.0/8', matches: [comment('block incoming localnet connections'), ctstate('RELATED,ESTABLISHED,DNAT', true)], target: drop(), origin: kl,
  }));

  // --- jumps from the built-in chains: prepended in list order, so the last one ends up first ---
  const jumps: [Table, string, string, string][] = [
    [nat, 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals'],
    [nat, 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals'],
    [nat, 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules'],
    [filter, 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules'],
    ...(filterNodePort ? [[filter, 'INPUT', 'KUBE-NODE-PORT', 'kubernetes health check rules'] as [Table, string, string, string]] : []),
    ...(firewall ? [[filter, 'INPUT', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules'], [filter, 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules']] as [Table, string, string, string][] : []),
    ...(ipvsFilter ? [[filter, 'INPUT', 'KUBE-IPVS-FILTER', 'kubernetes ipvs access filter']] as [Table, string, string, string][] : []),
    ...(outFilter ? [[filter, 'OUTPUT', 'KUBE-IPVS-OUT-FILTER', 'kubernetes ipvs access filter']] as [Table, string, string, string][] : []),
  ];
  for (const [t, from, to, text] of jumps) {
    ensureChain(t, from).rules.unshift(textRule(rule({ matches: [comment(text)], target: jump(to), origin: kp })));
  }
  // kubelet appended its jumps to KUBE-FIREWALL before kube-proxy started.
  add(filter, 'INPUT', rule({ target: jump('KUBE-FIREWALL'), origin: kl }));
  add(filter, 'OUTPUT', rule({ target: jump('KUBE-FIREWALL'), origin: kl }));

  // --- kube-proxy's chains (iptablesChains) ------------------------------------------------
  for (const c of ['KUBE-SERVICES', 'KUBE-POSTROUTING', ...(firewall ? [] : ['KUBE-FIREWALL']), 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ']) ensureChain(nat, c);
  if (!firewall) ensureChain(nat, 'KUBE-MARK-DROP');
  for (const c of ['KUBE-FORWARD', ...(filterNodePort ? ['KUBE-NODE-PORT'] : []), ...(firewall ? ['KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL'] : []), ...(ipvsFilter ? ['KUBE-IPVS-FILTER'] : []), ...(outFilter ? ['KUBE-IPVS-OUT-FILTER'] : [])]) ensureChain(filter, c);

  // --- writeIptablesRules -------------------------------------------------------------------
  if (ipvsFilter) add(nat, 'KUBE-SERVICES', rule({ src: '127.0.0.0/8', target: jump('RETURN') }));

  type SetRule = [string, Table, string, string, string, string?];
  const withChains: SetRule[] = [
    ['KUBE-LOOP-BACK', nat, 'KUBE-POSTROUTING', 'MASQUERADE', 'dst,dst,src'],
    ['KUBE-LOAD-BALANCER', nat, 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst'],
    ...(firewall ? [] : [
      ['KUBE-LOAD-BALANCER-FW', nat, 'KUBE-LOAD-BALANCER', 'KUBE-FIREWALL', 'dst,dst'],
      ['KUBE-LOAD-BALANCER-SOURCE-CIDR', nat, 'KUBE-FIREWALL', 'RETURN', 'dst,dst,src'],
      ['KUBE-LOAD-BALANCER-SOURCE-IP', nat, 'KUBE-FIREWALL', 'RETURN', 'dst,dst,src'],
    ] as SetRule[]),
    ['KUBE-LOAD-BALANCER-LOCAL', nat, 'KUBE-LOAD-BALANCER', 'RETURN', 'dst,dst'],
    ['KUBE-NODE-PORT-LOCAL-TCP', nat, 'KUBE-NODE-PORT', 'RETURN', 'dst', 'tcp'],
    ['KUBE-NODE-PORT-TCP', nat, 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'tcp'],
    ['KUBE-NODE-PORT-LOCAL-UDP', nat, 'KUBE-NODE-PORT', 'RETURN', 'dst', 'udp'],
    ['KUBE-NODE-PORT-UDP', nat, 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'udp'],
    ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', nat, 'KUBE-NODE-PORT', 'RETURN', 'dst,dst', 'sctp'],
    ['KUBE-NODE-PORT-SCTP-HASH', nat, 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst,dst', 'sctp'],
    ...(firewall ? [
      ['KUBE-LOAD-BALANCER-FW', filter, 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'dst,dst'],
      ['KUBE-LOAD-BALANCER-SOURCE-CIDR', filter, 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src'],
      ['KUBE-LOAD-BALANCER-SOURCE-IP', filter, 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src'],
    ] as SetRule[] : []),
  ];
  for (const [name, t, from, to, flags, proto] of withChains) {
    if (!nonEmpty(name)) continue;
    add(t, from, rule({ proto, matches: [cmt(name), setMatch(name, flags)], target: jump(to) }));
  }

  if (nonEmpty('KUBE-CLUSTER-IP')) {
    const m = [cmt('KUBE-CLUSTER-IP')];
    if (o.masqueradeAll) add(nat, 'KUBE-SERVICES', rule({ matches: [...m, setMatch('KUBE-CLUSTER-IP', 'dst,dst')], target: jump('KUBE-MARK-MASQ') }));
    else if (o.clusterCIDR) add(nat, 'KUBE-SERVICES', rule({ notSrc: o.clusterCIDR, matches: [...m, setMatch('KUBE-CLUSTER-IP', 'dst,dst')], target: jump('KUBE-MARK-MASQ') }));
    else add(nat, 'KUBE-SERVICES', rule({ matches: [...m, setMatch('KUBE-CLUSTER-IP', 'src,dst')], target: jump('KUBE-MARK-MASQ') }));
  }
  const externalIPRules = (name: string) => {
    const m = [cmt(name), setMatch(name, 'dst,dst')];
    add(nat, 'KUBE-SERVICES', rule({ matches: [...m, ' -m physdev ! --physdev-is-in', ' -m addrtype ! --src-type LOCAL'], target: accept() }));
    add(nat, 'KUBE-SERVICES', rule({ matches: [...m, addrtype('dst')], target: accept() }));
  };
  if (nonEmpty('KUBE-EXTERNAL-IP')) {
    add(nat, 'KUBE-SERVICES', rule({ matches: [cmt('KUBE-EXTERNAL-IP'), setMatch('KUBE-EXTERNAL-IP', 'dst,dst')], target: jump('KUBE-MARK-MASQ') }));
    externalIPRules('KUBE-EXTERNAL-IP');
  }
  if (nonEmpty('KUBE-EXTERNAL-IP-LOCAL')) externalIPRules('KUBE-EXTERNAL-IP-LOCAL');
  add(nat, 'KUBE-SERVICES', rule({ matches: [addrtype('dst')], target: jump('KUBE-NODE-PORT') }));
  add(nat, 'KUBE-LOAD-BALANCER', rule({ target: jump('KUBE-MARK-MASQ') }));
  if (firewall) add(filter, 'KUBE-SOURCE-RANGES-FIREWALL', rule({ target: drop() }));
  else add(nat, 'KUBE-FIREWALL', rule({ target: jump('KUBE-MARK-DROP') }));
  if (outFilter) {
    const num: Record<string, number> = { tcp: 6, udp: 17, sctp: 132 };
    for (const e of lbNoNodeAccess) {
      add(filter, 'KUBE-IPVS-OUT-FILTER', rule({ src: e.ip, matches: [` -m ipvs --vproto ${num[e.proto]} --vaddr ${e.ip}/32 --vport ${e.port}`], target: drop() }));
    }
  }
  // acceptIPVSTraffic: the last rules of KUBE-SERVICES.
  for (const name of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
    if (nonEmpty(name)) add(nat, 'KUBE-SERVICES', rule({ matches: [setMatch(name, 'dst,dst')], target: accept() }));
  }
  add(filter, 'KUBE-FORWARD', rule({ matches: [comment('kubernetes forwarding rules'), markMatch(`${mark}/${mark}`)], target: accept() }));
  if (o.minor >= 22) {
    add(filter, 'KUBE-FORWARD', rule({ matches: [comment('kubernetes forwarding conntrack rule'), ctstate('RELATED,ESTABLISHED')], target: accept() }));
  } else {
    add(filter, 'KUBE-FORWARD', rule({ matches: [comment('kubernetes forwarding conntrack pod source rule'), ctstate('RELATED,ESTABLISHED')], target: accept() }));
    add(filter, 'KUBE-FORWARD', rule({ matches: [comment('kubernetes forwarding conntrack pod destination rule'), ctstate('RELATED,ESTABLISHED')], target: accept() }));
  }
  if (filterNodePort && has('KUBE-HEALTH-CHECK-NODE-PORT')) {
    add(filter, 'KUBE-NODE-PORT', rule({ matches: [cmt('KUBE-HEALTH-CHECK-NODE-PORT'), setMatch('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')], target: accept() }));
  }
  if (ipvsFilter) {
    for (const [name, flags] of [['KUBE-LOAD-BALANCER', 'dst,dst'], ['KUBE-CLUSTER-IP', 'dst,dst'], ['KUBE-EXTERNAL-IP', 'dst,dst'], ['KUBE-EXTERNAL-IP-LOCAL', 'dst,dst'], ['KUBE-HEALTH-CHECK-NODE-PORT', 'dst']]) {
      add(filter, 'KUBE-IPVS-FILTER', rule({ matches: [setMatch(name, flags)], target: jump('RETURN') }));
    }
    add(filter, 'KUBE-IPVS-FILTER', rule({ matches: [ctstate('NEW'), setMatch('KUBE-IPVS-IPS', 'dst')], target: reject() }));
  }
  if (o.minor >= 19) {
    add(nat, 'KUBE-POSTROUTING', rule({ matches: [markMatch(`${mark}/${mark}`, true)], target: jump('RETURN') }));
    add(nat, 'KUBE-POSTROUTING', rule({ target: setXMark(`${mark}/0x0`) }));
    add(nat, 'KUBE-POSTROUTING', rule({ matches: [comment('kubernetes service traffic requiring SNAT')], target: masquerade(o.randomFully) }));
  } else {
    add(nat, 'KUBE-POSTROUTING', rule({ matches: [comment('kubernetes service traffic requiring SNAT'), markMatch(`${mark}/${mark}`)], target: masquerade(o.randomFully) }));
  }
  add(nat, 'KUBE-MARK-MASQ', rule({ target: setXMark(`${mark}/${mark}`) }));
  return { tables: [mangle, filter, nat] };
}

/**
 * The virtual server a packet opening a connection hits (ip_vs_service_find: protocol,
 * destination address and port), as the packet walk needs it.
 */
export function virtualServerFor(model: NodeIpvs, proto: string, dst: string, dport: number): VirtualServer | undefined {
  const P = proto.toUpperCase();
  return model.virtualServers.find((v) => v.proto === P && v.vip === dst && v.port === dport);
}

/** Node by name (a small helper for callers holding only a snapshot). */
export function nodeOf(snap: ClusterSnapshot, name: string): Node | undefined {
  return snap.nodes.find((n) => n.metadata.name === name);
}
