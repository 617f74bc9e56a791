// What the endpoint controllers compute for one Service: which pods it selects, and for
// each of its ports which pod port that is (named targetPorts resolved through the pod's
// container ports). Shared by the Endpoints and EndpointSlice controllers.
import type { Pod, Service } from '../api/objects';
import type { ServicePort } from 'kubernetes-types/core/v1';
import { matchesMap } from '../api/labels';
import { isPodReady } from './pods';

export interface PodEndpoint {
  pod: Pod;
  ip: string;
  ready: boolean; // as published (publishNotReadyAddresses counts as ready)
  serving: boolean;
  terminating: boolean;
  /** Resolved target port per Service port (undefined: the pod does not expose that named port). */
  ports: (number | undefined)[];
}

/** Resolves a Service port's targetPort on one pod (podutil.FindPort). */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  const n = Number(tp);
  if (tp !== '' && Number.isInteger(n)) return n;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** Pods that belong in this Service's endpoints, in the order the pod lister returns them. */
export function selectedPods(svc: Service, podsInNamespace: Pod[]): PodEndpoint[] {
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return [];
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const out: PodEndpoint[] = [];
  for (const pod of podsInNamespace) {
    if (!matchesMap(sel, pod.metadata.labels)) continue;
    const ip = pod.status?.podIP;
    if (!ip) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    if (terminating && !publish) continue; // ShouldPodBeInEndpoints: terminating pods only as not-ready slices entries
    const ready = publish || (isPodReady(pod) && !terminating);
    out.push({ pod, ip, ready, serving: publish || isPodReady(pod), terminating, ports: (svc.spec?.ports ?? []).map((sp) => findPort(pod, sp)) });
  }
  return out;
}
