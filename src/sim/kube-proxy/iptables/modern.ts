// kube-proxy's iptables rules, layout of v1.24 and later (KUBE-EXT / KUBE-SVL; the current
// one). Written per service port in the order proxier.go writes them, directly in
// iptables-save's canonical form. Release differences inside this layout are gated on
// `minor`: KUBE-PROXY-FIREWALL (1.25), kube-proxy's own KUBE-FIREWALL rule and the end of
// kubelet's KUBE-MARK-DROP (1.27), nfacct counters (1.30 / 1.31).
import type { Rule, RuleOrigin, Table } from '../../netfilter/ruleset';
import { emptyTable, ensureChain } from '../../netfilter/ruleset';
import type { ProxyEndpoint, ServicePortInfo } from '../service-ports';
import type { IptablesProxyOptions } from './options';
import { type RuleParts, TableWriter, expectedNatRules, textRule, accept, addrtype, comment, ctstate, dnat, drop, jump, markMatch, masquerade, nfacct, protoMatch, recentCheck, recentSet, reject, rule, servicePortAdder, setXMark, statistic } from './build';
import { sepChain, serviceChains } from './naming';
import { cidrHasIP } from '../../api/ipnet';

export interface KubeProxyTables {
  mangle: Table;
  filter: Table;
  nat: Table;
}

const LOCALNET_DROP = (origin: Rule['origin']): RuleParts => rule({
  notSrc: '127.0.0.0/8', dst: '127.0.0.0/8',
  matches: [comment('block incoming localnet connections'), ctstate('RELATED,ESTABLISHED,DNAT', true)], target: drop(), origin,
});

/** The chains every node has whatever its Services: kubelet's, the jumps from the built-in
 * chains, and kube-proxy's fixed chains — for every layout, gated on the release. */
export function fixedChains(o: IptablesProxyOptions): KubeProxyTables {
  const mangle = emptyTable('mangle');
  const filter = emptyTable('filter');
  const nat = emptyTable('nat');
  const kp = { writer: 'kube-proxy' as const };
  const kl = { writer: 'kubelet' as const };
  const add = (t: Table, chain: string, r: RuleParts) => ensureChain(t, chain).rules.push(textRule(r));
  const mark = o.masqueradeMark;
  const firewallChain = o.minor >= 25;

  // --- kubelet's chains (created before kube-proxy starts) ---------------------------
  for (const t of [mangle, nat, filter]) ensureChain(t, 'KUBE-KUBELET-CANARY');
  if (o.minor >= 24) ensureChain(mangle, 'KUBE-IPTABLES-HINT');
  if (o.minor < 27) {
    add(nat, 'KUBE-MARK-DROP', rule({ target: setXMark('0x8000/0x8000'), origin: kl }));
    add(filter, 'KUBE-FIREWALL', rule({ matches: [comment('kubernetes firewall for dropping marked packets'), markMatch('0x8000/0x8000')], target: drop(), origin: kl }));
  }
  add(filter, 'KUBE-FIREWALL', LOCALNET_DROP(o.minor >= 27 ? kp : kl));

  // --- jumps from the built-in chains (kube-proxy prepends; kubelet appended KUBE-FIREWALL) ---
  const newConn = () => ctstate('NEW');
  if (firewallChain) add(filter, 'INPUT', rule({ matches: [newConn(), comment('kubernetes load balancer firewall')], target: jump('KUBE-PROXY-FIREWALL'), origin: kp }));
  add(filter, 'INPUT', rule({ matches: [comment('kubernetes health check service ports')], target: jump('KUBE-NODEPORTS'), origin: kp }));
  add(filter, 'INPUT', rule({ matches: [newConn(), comment('kubernetes externally-visible service portals')], target: jump('KUBE-EXTERNAL-SERVICES'), origin: kp }));
  add(filter, 'INPUT', rule({ target: jump('KUBE-FIREWALL'), origin: kl }));
  if (firewallChain) add(filter, 'FORWARD', rule({ matches: [newConn(), comment('kubernetes load balancer firewall')], target: jump('KUBE-PROXY-FIREWALL'), origin: kp }));
  add(filter, 'FORWARD', rule({ matches: [comment('kubernetes forwarding rules')], target: jump('KUBE-FORWARD'), origin: kp }));
  add(filter, 'FORWARD', rule({ matches: [newConn(), comment('kubernetes service portals')], target: jump('KUBE-SERVICES'), origin: kp }));
  add(filter, 'FORWARD', rule({ matches: [newConn(), comment('kubernetes externally-visible service portals')], target: jump('KUBE-EXTERNAL-SERVICES'), origin: kp }));
  if (firewallChain) add(filter, 'OUTPUT', rule({ matches: [newConn(), comment('kubernetes load balancer firewall')], target: jump('KUBE-PROXY-FIREWALL'), origin: kp }));
  add(filter, 'OUTPUT', rule({ matches: [newConn(), comment('kubernetes service portals')], target: jump('KUBE-SERVICES'), origin: kp }));
  add(filter, 'OUTPUT', rule({ target: jump('KUBE-FIREWALL'), origin: kl }));
  add(nat, 'PREROUTING', rule({ matches: [comment('kubernetes service portals')], target: jump('KUBE-SERVICES'), origin: kp }));
  add(nat, 'OUTPUT', rule({ matches: [comment('kubernetes service portals')], target: jump('KUBE-SERVICES'), origin: kp }));
  add(nat, 'POSTROUTING', rule({ matches: [comment('kubernetes postrouting rules')], target: jump('KUBE-POSTROUTING'), origin: kp }));

  // --- kube-proxy's fixed chains ------------------------------------------------------
  for (const t of [mangle, nat, filter]) ensureChain(t, 'KUBE-PROXY-CANARY');
  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS']) ensureChain(filter, c);
  if (firewallChain) ensureChain(filter, 'KUBE-PROXY-FIREWALL');
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) ensureChain(nat, c);
  add(nat, 'KUBE-POSTROUTING', rule({ matches: [markMatch(`${mark}/${mark}`, true)], target: jump('RETURN'), origin: kp }));
  add(nat, 'KUBE-POSTROUTING', rule({ target: setXMark(`${mark}/0x0`), origin: kp }));
  add(nat, 'KUBE-POSTROUTING', rule({ matches: [comment('kubernetes service traffic requiring SNAT')], target: masquerade(o.randomFully), origin: kp }));
  add(nat, 'KUBE-MARK-MASQ', rule({ target: setXMark(`${mark}/${mark}`), origin: kp }));
  if (!o.conntrackTCPBeLiberal) {
    add(filter, 'KUBE-FORWARD', rule({ matches: [ctstate('INVALID'), ...(o.minor >= 30 && o.nfacct ? [nfacct('ct_state_invalid_dropped_pkts')] : [])], target: drop(), origin: kp }));
  }
  add(filter, 'KUBE-FORWARD', rule({ matches: [comment('kubernetes forwarding rules'), markMatch(`${mark}/${mark}`)], target: accept(), origin: kp }));
  add(filter, 'KUBE-FORWARD', rule({ matches: [comment('kubernetes forwarding conntrack rule'), ctstate('RELATED,ESTABLISHED')], target: accept(), origin: kp }));
  return { mangle, filter, nat };
}

export function generateModern(ports: ServicePortInfo[], o: IptablesProxyOptions): KubeProxyTables {
  const { mangle, filter, nat } = fixedChains(o);
  const kp = { writer: 'kube-proxy' as const };
  const natW = new TableWriter(nat, expectedNatRules(ports));
  const filterW = new TableWriter(filter);
  const add = (t: Table, chain: string, r: RuleParts) => { const w = t === nat ? natW : filterW; w.append(w.chain(chain), r); };

  // --- per service port -------------------------------------------------------------------
  // "Large cluster mode": past 1000 endpoints kube-proxy drops the comments on SVC→SEP and SEP rules.
  const large = ports.reduce((n, sp) => n + sp.endpoints.length, 0) > LARGE_CLUSTER_ENDPOINTS;
  for (const sp of ports) writeServicePort(sp, o, natW, filterW, large);

  // The NodePort dispatch must stay the last rule of KUBE-SERVICES.
  const npComment = comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain');
  if (o.nodePortAddresses.length === 0) {
    add(nat, 'KUBE-SERVICES', rule({ ...(o.localhostNodePorts ? {} : { notDst: '127.0.0.0/8' }), matches: [npComment, addrtype('dst')], target: jump('KUBE-NODEPORTS'), origin: kp }));
  } else {
    for (const ip of nodePortIPs(o)) add(nat, 'KUBE-SERVICES', rule({ dst: ip, matches: [npComment], target: jump('KUBE-NODEPORTS'), origin: kp }));
  }
  return { mangle, filter, nat };
}

/** Node IPs inside the configured nodePortAddresses CIDRs (loopback skipped unless localhostNodePorts). */
function nodePortIPs(o: IptablesProxyOptions): string[] {
  return [...o.nodeIPs, '127.0.0.1'].filter((ip) => o.nodePortAddresses.some((c) => cidrHasIP(c, ip)) && (ip !== '127.0.0.1' || o.localhostNodePorts));
}

export const LARGE_CLUSTER_ENDPOINTS = 1000;

function writeServicePort(sp: ServicePortInfo, o: IptablesProxyOptions, nat: TableWriter, filter: TableWriter, large: boolean): void {
  const ch = serviceChains(sp);
  const origin = { writer: 'kube-proxy' as const, service: `${sp.namespace}/${sp.name}`, servicePort: sp.portName };
  const add = servicePortAdder([ch.svc, ch.svl, ch.ext, ch.fw], origin);
  const P = sp.protocol;
  const svcMatch = (text: string, port?: number) => [comment(text), protoMatch(P, port)];
  const usesClusterEndpoints = !sp.internalPolicyLocal || sp.externallyAccessible;
  const usesLocalEndpoints = sp.internalPolicyLocal || (sp.externalPolicyLocal && sp.externallyAccessible);
  const svcUsed = sp.clusterEndpoints.length > 0 && usesClusterEndpoints;
  const svlUsed = sp.localEndpoints.length > 0 && usesLocalEndpoints;
  const internalChain = sp.internalPolicyLocal ? ch.svl : ch.svc;
  const externalChain = sp.externalPolicyLocal ? ch.svl : ch.svc;
  const hasInternalEndpoints = sp.hasEndpoints && (!sp.internalPolicyLocal || sp.localEndpoints.length > 0);
  const hasExternalEndpoints = sp.hasEndpoints && (!sp.externalPolicyLocal || sp.localEndpoints.length > 0);
  const extUsed = sp.hasEndpoints && sp.externallyAccessible;
  const fwUsed = sp.hasEndpoints && sp.loadBalancerIPs.length > 0 && sp.sourceRanges.length > 0;
  const noEndpoints = (internal: boolean) => {
    const local = internal ? sp.internalPolicyLocal && sp.hasEndpoints : sp.externalPolicyLocal && sp.hasEndpoints;
    return { text: `${sp.spn} ${local ? 'has no local endpoints' : 'has no endpoints'}`, target: local ? drop() : reject() };
  };

  // 1. ClusterIP capture.
  if (hasInternalEndpoints) {
    add(nat, 'KUBE-SERVICES', rule({ dst: sp.clusterIP, proto: P, matches: svcMatch(`${sp.spn} cluster IP`, sp.port), target: jump(internalChain) }));
  } else {
    const ne = noEndpoints(true);
    add(filter, 'KUBE-SERVICES', rule({ dst: sp.clusterIP, proto: P, matches: svcMatch(ne.text, sp.port), target: ne.target }));
  }
  // 2. externalIPs.
  for (const eip of sp.externalIPs) {
    if (sp.hasEndpoints) add(nat, 'KUBE-SERVICES', rule({ dst: eip, proto: P, matches: svcMatch(`${sp.spn} external IP`, sp.port), target: jump(ch.ext) }));
    if (!hasExternalEndpoints) {
      const ne = noEndpoints(false);
      add(filter, 'KUBE-EXTERNAL-SERVICES', rule({ dst: eip, proto: P, matches: svcMatch(ne.text, sp.port), target: ne.target }));
    }
  }
  // 3. LoadBalancer ingress IPs.
  for (const lb of sp.loadBalancerIPs) {
    if (sp.hasEndpoints) add(nat, 'KUBE-SERVICES', rule({ dst: lb, proto: P, matches: svcMatch(`${sp.spn} loadbalancer IP`, sp.port), target: jump(fwUsed ? ch.fw : ch.ext) }));
    if (fwUsed && o.minor >= 25) {
      add(filter, 'KUBE-PROXY-FIREWALL', rule({ dst: lb, proto: P, matches: svcMatch(`${sp.spn} traffic not accepted by ${ch.fw}`, sp.port), target: drop() }));
    }
  }
  // 4. No (local) endpoints: LB IPs are rejected/dropped too.
  if (!hasExternalEndpoints) {
    const ne = noEndpoints(false);
    for (const lb of sp.loadBalancerIPs) add(filter, 'KUBE-EXTERNAL-SERVICES', rule({ dst: lb, proto: P, matches: svcMatch(ne.text, sp.port), target: ne.target }));
  }
  // 5. NodePort.
  if (sp.nodePort) {
    if (sp.hasEndpoints) {
      if (o.localhostNodePorts && o.nfacct && o.minor >= 31) {
        add(nat, 'KUBE-NODEPORTS', rule({ dst: '127.0.0.0/8', proto: P, matches: [comment(sp.spn), protoMatch(P, sp.nodePort), nfacct('localhost_nps_accepted_pkts')], target: jump(ch.ext) }));
      }
      add(nat, 'KUBE-NODEPORTS', rule({ proto: P, matches: [comment(sp.spn), protoMatch(P, sp.nodePort)], target: jump(ch.ext) }));
    }
    if (!hasExternalEndpoints) {
      const ne = noEndpoints(false);
      add(filter, 'KUBE-EXTERNAL-SERVICES', rule({ proto: P, matches: [comment(ne.text), addrtype('dst'), protoMatch(P, sp.nodePort)], target: ne.target }));
    }
  }
  // 6. Health check NodePort (always TCP), written even without endpoints.
  if (sp.healthCheckNodePort) {
    add(filter, 'KUBE-NODEPORTS', rule({ proto: 'tcp', matches: [comment(`${sp.spn} health check node port`), protoMatch('tcp', sp.healthCheckNodePort)], target: accept() }));
  }
  if (!sp.hasEndpoints) return;

  // 7. Masquerade off-cluster traffic to the ClusterIP (in the internal chain).
  if (hasInternalEndpoints) {
    const masq = comment(`${sp.spn} cluster IP`);
    if (o.masqueradeAll) add(nat, internalChain, rule({ dst: sp.clusterIP, proto: P, matches: [masq, protoMatch(P, sp.port)], target: jump('KUBE-MARK-MASQ') }));
    else if (o.clusterCIDR) add(nat, internalChain, rule({ notSrc: o.clusterCIDR, dst: sp.clusterIP, proto: P, matches: [masq, protoMatch(P, sp.port)], target: jump('KUBE-MARK-MASQ') }));
  }
  // 8. KUBE-EXT.
  if (extUsed) {
    if (!sp.externalPolicyLocal) {
      add(nat, ch.ext, rule({ matches: [comment(`masquerade traffic for ${sp.spn} external destinations`)], target: jump('KUBE-MARK-MASQ') }));
    } else {
      if (o.clusterCIDR) add(nat, ch.ext, rule({ src: o.clusterCIDR, matches: [comment(`pod traffic for ${sp.spn} external destinations`)], target: jump(ch.svc) }));
      add(nat, ch.ext, rule({ matches: [comment(`masquerade LOCAL traffic for ${sp.spn} external destinations`), addrtype('src')], target: jump('KUBE-MARK-MASQ') }));
      add(nat, ch.ext, rule({ matches: [comment(`route LOCAL traffic for ${sp.spn} external destinations`), addrtype('src')], target: jump(ch.svc) }));
    }
    if (hasExternalEndpoints) add(nat, ch.ext, rule({ target: jump(externalChain) }));
  }
  // 9. KUBE-FW (loadBalancerSourceRanges).
  if (fwUsed) {
    const lbc = comment(`${sp.spn} loadbalancer IP`);
    for (const r of sp.sourceRanges) add(nat, ch.fw, rule({ src: r, matches: [lbc], target: jump(ch.ext) }));
    // proxier.go checks the node's primary IP only (proxier.nodeIP).
    if (o.nodeIPs[0] && sp.sourceRanges.some((r) => cidrHasIP(r, o.nodeIPs[0]))) {
      for (const lb of sp.loadBalancerIPs) add(nat, ch.fw, rule({ src: lb, matches: [lbc], target: jump(ch.ext) }));
    }
    add(nat, ch.fw, rule({ matches: [comment(`other traffic to ${sp.spn} will be dropped by KUBE-PROXY-FIREWALL`)] }));
  }
  // 10. KUBE-SVC (cluster endpoints), then KUBE-SVL (local endpoints).
  const sep = endpointChains(sp, origin);
  const dispatch = (chain: string, eps: ServicePortInfo['endpoints']) => {
    if (sp.affinitySeconds) {
      for (const ep of eps) {
        const s = sep(ep);
        add(nat, chain, rule({ matches: [comment(`${sp.spn} -> ${ep.hostPort}`), recentCheck(s.name, sp.affinitySeconds)], target: jump(s.name), origin: s.origin }));
      }
    }
    for (let i = 0; i < eps.length; i++) {
      const s = sep(eps[i]);
      const m = large ? [] : [comment(`${sp.spn} -> ${eps[i].hostPort}`)];
      if (i < eps.length - 1) m.push(statistic(eps.length - i));
      add(nat, chain, rule({ matches: m, target: jump(s.name), origin: s.origin }));
    }
  };
  if (svcUsed) dispatch(ch.svc, sp.clusterEndpoints);
  if (svlUsed) dispatch(ch.svl, sp.localEndpoints);
  // 11. KUBE-SEP per endpoint reachable from this node.
  const reachable = new Set<ServicePortInfo['endpoints'][number]>();
  if (svcUsed) for (const ep of sp.clusterEndpoints) reachable.add(ep);
  if (svlUsed) for (const ep of sp.localEndpoints) reachable.add(ep);
  for (const ep of reachable) writeSep(sp, ep, sep(ep), nat, large);
}

export interface EndpointChain {
  name: string;
  origin: RuleOrigin;
}

/** Each endpoint's KUBE-SEP name and provenance, computed once (the SVC and SEP rules share them). */
export function endpointChains(sp: ServicePortInfo, origin: RuleOrigin): (ep: ProxyEndpoint) => EndpointChain {
  const known = new Map<ProxyEndpoint, EndpointChain>();
  return (ep) => {
    let c = known.get(ep);
    if (!c) { c = { name: sepChain(sp, ep), origin: { ...origin, endpoint: ep.hostPort } }; known.set(ep, c); }
    return c;
  };
}

/** KUBE-SEP-…: mark hairpin traffic (the pod reaching itself) for masquerade, then DNAT. */
export function writeSep(sp: ServicePortInfo, ep: ProxyEndpoint, sep: EndpointChain, nat: TableWriter, large = false): void {
  const chain = nat.create(sep.name);
  const c = large ? [] : [comment(sp.spn)];
  nat.append(chain, rule({ src: ep.ip, matches: c, target: jump('KUBE-MARK-MASQ'), origin: sep.origin }));
  nat.append(chain, rule({
    proto: sp.protocol,
    matches: [...c, ...(sp.affinitySeconds ? [recentSet(sep.name)] : []), protoMatch(sp.protocol)],
    target: dnat(ep.hostPort), origin: sep.origin,
  }));
}

