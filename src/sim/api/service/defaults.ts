// Service defaulting, as the API server applies it before validation (pkg/apis/core/v1
// defaults.go SetDefaults_Service) — the fields `kubectl get svc -o yaml` shows that the
// learner never wrote.
import type { Service } from '../objects';

export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  if (spec.type !== 'ExternalName') {
    spec.sessionAffinity ??= 'None';
    if (spec.sessionAffinity === 'ClientIP') {
      spec.sessionAffinityConfig ??= {};
      spec.sessionAffinityConfig.clientIP ??= {};
      spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
    }
  } else {
    spec.sessionAffinity ??= 'None';
  }
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/** Fields the registry fills in once the ClusterIP is known. */
export function defaultServiceIPFamilies(svc: Service): void {
  const spec = svc.spec!;
  if (spec.type === 'ExternalName') return;
  spec.ipFamilies ??= ['IPv4'];
  if (spec.clusterIP === 'None') {
    // Headless Services with a selector are dual-stack capable by default; without one they stay single.
    spec.ipFamilyPolicy ??= spec.selector ? 'RequireDualStack' : 'SingleStack';
  } else {
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (spec.clusterIP) spec.clusterIPs ??= [spec.clusterIP];
}
