// What kube-proxy knows about each Service port on one node, computed the way its
// ServiceChangeTracker / EndpointsChangeTracker and CategorizeEndpoints do: endpoints
// come from EndpointSlices (matched to the port by name), sorted by "IP:port", split into
// the cluster-wide and node-local sets with the ready → serving+terminating fallback.
import type { ClusterSnapshot } from '../snapshot';
import type { EndpointSlice, Service } from '../api/objects';
import { flat } from '../flat-string';
import { isIPv4 } from '../api/ipnet';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** `IP:port`, what kube-proxy hashes and sorts by. */
  hostPort: string;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  isLocal: boolean;
}

export interface ServicePortInfo {
  namespace: string;
  name: string;
  /** kube-proxy's servicePortName: `ns/name` or `ns/name:portName`. */
  spn: string;
  portName: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  clusterIP: string;
  port: number;
  nodePort: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  sourceRanges: string[];
  healthCheckNodePort: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  /** sessionAffinity ClientIP timeout in seconds, 0 when None. */
  affinitySeconds: number;
  externallyAccessible: boolean;
  /** All endpoints kube-proxy sees for this port (before readiness filtering), sorted. */
  endpoints: ProxyEndpoint[];
  clusterEndpoints: ProxyEndpoint[];
  localEndpoints: ProxyEndpoint[];
  /** Any ready, or serving+terminating, endpoint anywhere. */
  hasEndpoints: boolean;
  /** The Service this came from, for rule provenance. */
  service: Service;
}


/** The Service ports kube-proxy programs on `nodeName`, in a stable order (by spn). */
export function servicePorts(snap: ClusterSnapshot, nodeName: string): ServicePortInfo[] {
  // namespace → service name → slices (nested, so no key strings are built per slice)
  const slicesBySvc = new Map<string, Map<string, EndpointSlice[]>>();
  for (const s of snap.endpointSlices) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc || s.addressType !== 'IPv4') continue;
    const ns = s.metadata.namespace ?? 'default';
    let inNs = slicesBySvc.get(ns);
    if (!inNs) { inNs = new Map(); slicesBySvc.set(ns, inNs); }
    const list = inNs.get(svc);
    if (list) list.push(s); else inNs.set(svc, [s]);
  }
  const out: ServicePortInfo[] = [];
  for (const svc of snap.services) {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName' || !spec.clusterIP || spec.clusterIP === 'None' || !isIPv4(spec.clusterIP)) continue;
    const ns = svc.metadata.namespace ?? 'default';
    const slices = slicesBySvc.get(ns)?.get(svc.metadata.name) ?? [];
    const lbIPs = (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip && isIPv4(i.ip) && i.ipMode !== 'Proxy').map((i) => i.ip!);
    for (const p of spec.ports ?? []) {
      const portName = p.name ?? '';
      const spn = `${ns}/${svc.metadata.name}${portName ? `:${portName}` : ''}`;
      const protocol = (p.protocol ?? 'TCP').toLowerCase() as ServicePortInfo['protocol'];
      const endpoints = endpointsFor(slices, portName, p.protocol ?? 'TCP', nodeName);
      const nodePort = p.nodePort ?? 0;
      const externalIPs = (spec.externalIPs ?? []).filter(isIPv4);
      const externallyAccessible = nodePort !== 0 || lbIPs.length > 0 || externalIPs.length > 0;
      const externalPolicyLocal = spec.externalTrafficPolicy === 'Local' && externallyAccessible;
      const internalPolicyLocal = spec.internalTrafficPolicy === 'Local';
      const { cluster, local, hasAny } = categorize(endpoints);
      out.push({
        namespace: ns, name: svc.metadata.name, spn, portName, protocol,
        clusterIP: spec.clusterIP, port: p.port, nodePort,
        externalIPs, loadBalancerIPs: lbIPs,
        sourceRanges: (spec.loadBalancerSourceRanges ?? []).map((r) => r.trim()).filter((r) => r !== ''),
        healthCheckNodePort: spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' ? spec.healthCheckNodePort ?? 0 : 0,
        externalPolicyLocal, internalPolicyLocal,
        affinitySeconds: spec.sessionAffinity === 'ClientIP' ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 : 0,
        externallyAccessible,
        endpoints, clusterEndpoints: cluster, localEndpoints: local, hasEndpoints: hasAny,
        service: svc,
      });
    }
  }
  return out.sort((a, b) => (a.spn < b.spn ? -1 : a.spn > b.spn ? 1 : a.protocol < b.protocol ? -1 : 1));
}

function endpointsFor(slices: EndpointSlice[], portName: string, protocol: string, nodeName: string): ProxyEndpoint[] {
  const all: ProxyEndpoint[] = [];
  for (const s of slices) {
    let port: number | undefined;
    for (const x of s.ports ?? []) if ((x.name ?? '') === portName && (x.protocol ?? 'TCP') === protocol) { port = x.port ?? undefined; break; }
    if (port === undefined) continue;
    for (const e of s.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!ip) continue;
      const c = e.conditions;
      all.push({
        ip, port, hostPort: flat(`${ip}:${port}`), nodeName: e.nodeName ?? undefined,
        ready: c?.ready ?? true, serving: c?.serving ?? true, terminating: c?.terminating ?? false,
        isLocal: e.nodeName === nodeName,
      });
    }
  }
  // Plain byte-wise sort of "IP:port" (10.244.0.100:80 before 10.244.0.20:80), as kube-proxy
  // does; the sort is stable, so of an endpoint listed twice the first copy is kept, or the
  // local one.
  all.sort((a, b) => (a.hostPort < b.hostPort ? -1 : a.hostPort > b.hostPort ? 1 : 0));
  let n = 0;
  for (const ep of all) {
    if (n > 0 && all[n - 1].hostPort === ep.hostPort) {
      if (ep.isLocal && !all[n - 1].isLocal) all[n - 1] = ep;
      continue;
    }
    all[n++] = ep;
  }
  all.length = n;
  return all;
}

/** pkg/proxy/topology.go CategorizeEndpoints, without topology hints. */
function categorize(eps: ProxyEndpoint[]): { cluster: ProxyEndpoint[]; local: ProxyEndpoint[]; hasAny: boolean } {
  const ready = eps.filter((e) => e.ready);
  const fallback = eps.filter((e) => e.serving && e.terminating);
  const cluster = ready.length ? ready : fallback;
  const localReady = ready.filter((e) => e.isLocal);
  const local = localReady.length ? localReady : fallback.filter((e) => e.isLocal);
  return { cluster, local, hasAny: ready.length > 0 || fallback.length > 0 };
}
