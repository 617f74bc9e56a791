// Service defaulting, as the API server applies it before validation (pkg/apis/core/v1
// defaults.go SetDefaults_Service) — the fields `kubectl get svc -o yaml` shows that the
// learner never wrote.
import type { Service } from '../objects';

export function defaultService(svc: Service, minor = 31): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  if (spec.type !== 'ExternalName') {
    spec.sessionAffinity ??= 'None';
    if (spec.sessionAffinity === 'ClientIP') {
      spec.sessionAffinityConfig ??= {};
      spec.sessionAffinityConfig.clientIP ??= {};
      spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
    } else if (spec.sessionAffinity === 'None') {
      delete spec.sessionAffinityConfig; // defaulting drops a config that None would ignore
    }
  } else {
    spec.sessionAffinity ??= 'None';
  }
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  // "Externally accessible" gained ClusterIP Services with externalIPs in 1.29.
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (minor >= 29 && spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  if (external) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type !== 'ExternalName' || minor <= 23) spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/** Fields the registry fills in once the ClusterIP is known. */
export function defaultServiceIPFamilies(svc: Service): void {
  const spec = svc.spec!;
  if (spec.type === 'ExternalName') return;
  const selectorless = !spec.selector || Object.keys(spec.selector).length === 0;
  if (spec.clusterIP === 'None' && selectorless && !spec.ipFamilyPolicy) {
    // Headless *and* selectorless: the registry asks for both families, even on a single-stack cluster.
    spec.ipFamilyPolicy = 'RequireDualStack';
    spec.ipFamilies ??= ['IPv4', 'IPv6'];
  }
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.ipFamilies ??= ['IPv4'];
  if (spec.clusterIP) spec.clusterIPs ??= [spec.clusterIP];
}
