// kube-proxy's iptables rules as v1.20–v1.23 wrote them — the layout many course clusters
// (kubeadm v1.23) still show: no KUBE-EXT/KUBE-SVL, NodePorts jump straight to KUBE-SVC,
// every LoadBalancer IP goes through KUBE-FW, externalTrafficPolicy: Local uses KUBE-XLB,
// kubelet's KUBE-MARK-DROP/KUBE-FIREWALL, bare `<spn>` comments on SVC→SEP rules. Up to
// v1.21 the masquerade rules sat in KUBE-SERVICES/KUBE-NODEPORTS rather than in KUBE-SVC.
// The fixed chains are shared with the current layout (fixedChains, gated on the release).
import type { Rule } from '../../netfilter/ruleset';
import type { ServicePortInfo } from '../service-ports';
import type { IptablesProxyOptions } from './options';
import type { KubeProxyTables } from './modern';
import { LARGE_CLUSTER_ENDPOINTS, endpointChains, fixedChains, writeSep } from './modern';
import { cidrHasIP } from '../../api/ipnet';
import { type RuleParts, TableWriter, expectedNatRules, accept, addrtype, comment, jump, protoMatch, recentCheck, reject, rule, servicePortAdder, statistic } from './build';
import { serviceChains } from './naming';

export function generateLegacy(ports: ServicePortInfo[], o: IptablesProxyOptions): KubeProxyTables {
  const { mangle, filter, nat } = fixedChains(o);
  const kp = { writer: 'kube-proxy' as const };
  const natW = new TableWriter(nat, expectedNatRules(ports));
  const add = (chain: string, r: RuleParts) => natW.append(natW.chain(chain), r);

  const large = ports.reduce((n, sp) => n + sp.endpoints.length, 0) > LARGE_CLUSTER_ENDPOINTS;
  const filterW = new TableWriter(filter);
  for (const sp of ports) writeLegacyServicePort(sp, o, natW, filterW, large);

  add('KUBE-SERVICES', rule({
    ...(o.localhostNodePorts ? {} : { notDst: '127.0.0.0/8' }),
    matches: [comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), addrtype('dst')], target: jump('KUBE-NODEPORTS'), origin: kp,
  }));
  return { mangle, filter, nat };
}

function writeLegacyServicePort(sp: ServicePortInfo, o: IptablesProxyOptions, nat: TableWriter, filter: TableWriter, large: boolean): void {
  const ch = serviceChains(sp);
  const origin = { writer: 'kube-proxy' as const, service: `${sp.namespace}/${sp.name}`, servicePort: sp.portName };
  const add = servicePortAdder([ch.svc, ch.fw, ch.xlb], origin);
  const P = sp.protocol;
  const masqInSvc = o.minor >= 22; // v1.22 moved the masquerade rules into KUBE-SVC
  // Before ProxyTerminatingEndpoints these releases used ready endpoints only.
  // v1.22–v1.23 FilterEndpoints: internalTrafficPolicy: Local narrowed the Service to this
  // node's endpoints for all its traffic (the internal/external split came in v1.24+).
  const eps = sp.endpoints.filter((e) => e.ready && (!sp.internalPolicyLocal || o.minor < 22 || e.isLocal));
  const hasEndpoints = eps.length > 0;
  const localEps = eps.filter((e) => e.isLocal);
  const local = sp.externalPolicyLocal;
  const dest = local ? ch.xlb : ch.svc;
  const noEp = `${sp.spn} has no endpoints`;
  const clusterMasq = (chain: string) => {
    if (o.masqueradeAll) add(nat, chain, rule({ dst: sp.clusterIP, proto: P, matches: [comment(`${sp.spn} cluster IP`), protoMatch(P, sp.port)], target: jump('KUBE-MARK-MASQ') }));
    else if (o.clusterCIDR) add(nat, chain, rule({ notSrc: o.clusterCIDR, dst: sp.clusterIP, proto: P, matches: [comment(`${sp.spn} cluster IP`), protoMatch(P, sp.port)], target: jump('KUBE-MARK-MASQ') }));
  };

  if (hasEndpoints) {
    if (!masqInSvc) clusterMasq('KUBE-SERVICES');
    add(nat, 'KUBE-SERVICES', rule({ dst: sp.clusterIP, proto: P, matches: [comment(`${sp.spn} cluster IP`), protoMatch(P, sp.port)], target: jump(ch.svc) }));
  } else {
    add(filter, 'KUBE-SERVICES', rule({ dst: sp.clusterIP, proto: P, matches: [comment(noEp), protoMatch(P, sp.port)], target: reject() }));
  }
  for (const eip of sp.externalIPs) {
    if (hasEndpoints) {
      if (!masqInSvc && !local) add(nat, 'KUBE-SERVICES', rule({ dst: eip, proto: P, matches: [comment(`${sp.spn} external IP`), protoMatch(P, sp.port)], target: jump('KUBE-MARK-MASQ') }));
      add(nat, 'KUBE-SERVICES', rule({ dst: eip, proto: P, matches: [comment(`${sp.spn} external IP`), protoMatch(P, sp.port)], target: jump(dest) }));
    } else {
      add(filter, 'KUBE-EXTERNAL-SERVICES', rule({ dst: eip, proto: P, matches: [comment(noEp), protoMatch(P, sp.port)], target: reject() }));
    }
  }
  for (const lb of sp.loadBalancerIPs) {
    if (!hasEndpoints) {
      add(filter, 'KUBE-EXTERNAL-SERVICES', rule({ dst: lb, proto: P, matches: [comment(noEp), protoMatch(P, sp.port)], target: reject() }));
      continue;
    }
    const lbc = comment(`${sp.spn} loadbalancer IP`);
    add(nat, 'KUBE-SERVICES', rule({ dst: lb, proto: P, matches: [lbc, protoMatch(P, sp.port)], target: jump(ch.fw) }));
    if (!local) add(nat, ch.fw, rule({ matches: [comment(`${sp.spn} loadbalancer IP`)], target: jump('KUBE-MARK-MASQ') }));
    if (sp.sourceRanges.length === 0) {
      add(nat, ch.fw, rule({ matches: [comment(`${sp.spn} loadbalancer IP`)], target: jump(dest) }));
    } else {
      for (const r of sp.sourceRanges) add(nat, ch.fw, rule({ src: r, matches: [comment(`${sp.spn} loadbalancer IP`)], target: jump(dest) }));
      // A range holding the node IP also lets in this LB IP as a source (a node reaching
      // the VIP loops back with it as source); written per ingress IP, like the whole block.
      const nodeIP = o.nodeIPs[0];
      if (nodeIP && sp.sourceRanges.some((r) => cidrHasIP(r, nodeIP))) add(nat, ch.fw, rule({ src: lb, matches: [comment(`${sp.spn} loadbalancer IP`)], target: jump(dest) }));
    }
    add(nat, ch.fw, rule({ matches: [comment(`${sp.spn} loadbalancer IP`)], target: jump('KUBE-MARK-DROP') }));
  }
  if (sp.nodePort) {
    if (hasEndpoints) {
      if (local) {
        add(nat, 'KUBE-NODEPORTS', rule({ src: '127.0.0.0/8', proto: P, matches: [comment(sp.spn), protoMatch(P, sp.nodePort)], target: jump('KUBE-MARK-MASQ') }));
      } else if (!masqInSvc) {
        add(nat, 'KUBE-NODEPORTS', rule({ proto: P, matches: [comment(sp.spn), protoMatch(P, sp.nodePort)], target: jump('KUBE-MARK-MASQ') }));
      }
      add(nat, 'KUBE-NODEPORTS', rule({ proto: P, matches: [comment(sp.spn), protoMatch(P, sp.nodePort)], target: jump(dest) }));
    } else {
      add(filter, 'KUBE-EXTERNAL-SERVICES', rule({ proto: P, matches: [comment(noEp), addrtype('dst'), protoMatch(P, sp.nodePort)], target: reject() }));
    }
  }
  if (sp.healthCheckNodePort) {
    add(filter, 'KUBE-NODEPORTS', rule({ proto: 'tcp', matches: [comment(`${sp.spn} health check node port`), protoMatch('tcp', sp.healthCheckNodePort)], target: accept() }));
  }
  if (!hasEndpoints) return;

  // KUBE-SVC: masquerade rules (v1.22+), then the endpoint split.
  if (masqInSvc) {
    clusterMasq(ch.svc);
    if (sp.nodePort && !local) add(nat, ch.svc, rule({ proto: P, matches: [comment(sp.spn), protoMatch(P, sp.nodePort)], target: jump('KUBE-MARK-MASQ') }));
    if (!local) for (const eip of sp.externalIPs) add(nat, ch.svc, rule({ dst: eip, proto: P, matches: [comment(`${sp.spn} external IP`), protoMatch(P, sp.port)], target: jump('KUBE-MARK-MASQ') }));
  }
  const sep = endpointChains(sp, origin);
  const split = (chain: string, list: typeof eps) => {
    const c = large ? [] : [comment(sp.spn)];
    if (sp.affinitySeconds) {
      for (const ep of list) add(nat, chain, rule({ matches: [...c, recentCheck(sep(ep).name, sp.affinitySeconds)], target: jump(sep(ep).name), origin: sep(ep).origin }));
    }
    list.forEach((ep, i) => {
      add(nat, chain, rule({ matches: [...c, ...(i < list.length - 1 ? [statistic(list.length - i)] : [])], target: jump(sep(ep).name), origin: sep(ep).origin }));
    });
  };
  split(ch.svc, eps);
  for (const ep of eps) writeSep(sp, ep, sep(ep), nat, large);

  // KUBE-XLB for externalTrafficPolicy: Local.
  if (local) {
    if (o.clusterCIDR) add(nat, ch.xlb, rule({ src: o.clusterCIDR, matches: [comment('Redirect pods trying to reach external loadbalancer VIP to clusterIP')], target: jump(ch.svc) }));
    add(nat, ch.xlb, rule({ matches: [comment(`masquerade LOCAL traffic for ${sp.spn} LB IP`), addrtype('src')], target: jump('KUBE-MARK-MASQ') }));
    add(nat, ch.xlb, rule({ matches: [comment(`route LOCAL traffic for ${sp.spn} LB IP to service chain`), addrtype('src')], target: jump(ch.svc) }));
    if (localEps.length === 0) add(nat, ch.xlb, rule({ matches: [comment(`${sp.spn} has no local endpoints`)], target: jump('KUBE-MARK-DROP') }));
    else split(ch.xlb, localEps);
  }
}
