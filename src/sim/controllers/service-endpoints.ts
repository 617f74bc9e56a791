// What the endpoint controllers compute for one Service: which pods it selects, and for
// each of its ports which pod port that is (named targetPorts resolved through the pod's
// container ports). Shared by the Endpoints and EndpointSlice controllers.
import type { Pod, Service } from '../api/objects';
import type { ObjectReference, ServicePort } from 'kubernetes-types/core/v1';
import { matchesMap } from '../api/labels';
import { isPodReady } from './pods';
import type { PodLabelIndex } from './indexes';

export interface PodEndpoint {
  pod: Pod;
  ip: string;
  ready: boolean; // as published (publishNotReadyAddresses counts as ready)
  serving: boolean;
  terminating: boolean;
  /** Resolved target port per Service port (undefined: the pod does not expose that named port). */
  ports: (number | undefined)[];
  /** The exposed ports as `name/port/protocol,` each ('' for none): pods with equal keys share a subset or slice. */
  portsKey: string;
  /** The pod's reference, shared by its Endpoints address and its EndpointSlice endpoint (read-only). */
  targetRef: ObjectReference;
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
  const svcPorts = svc.spec?.ports ?? [];
  // Numeric targetPorts resolve the same on every pod: then the pods share one resolution.
  const samePorts = svcPorts.every((sp) => !isNamedPort(sp));
  let shared: { ports: (number | undefined)[]; portsKey: string } | undefined;
  const out: PodEndpoint[] = [];
  for (const pod of podsInNamespace) {
    if (!matchesMap(sel, pod.metadata.labels)) continue;
    const ip = pod.status?.podIP;
    if (!ip) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    if (terminating && !publish) continue; // ShouldPodBeInEndpoints: terminating pods only as not-ready slices entries
    const ready = publish || (isPodReady(pod) && !terminating);
    const { ports, portsKey } = samePorts ? (shared ??= resolvePorts(svcPorts, pod)) : resolvePorts(svcPorts, pod);
    const targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
    out.push({ pod, ip, ready, serving: publish || isPodReady(pod), terminating, ports, portsKey, targetRef });
  }
  return out;
}

/** A targetPort naming a container port (resolved pod by pod), not a number. */
function isNamedPort(sp: ServicePort): boolean {
  const tp = sp.targetPort ?? sp.port;
  return typeof tp !== 'number' && (tp === '' || !Number.isInteger(Number(tp)));
}

function resolvePorts(svcPorts: ServicePort[], pod: Pod): { ports: (number | undefined)[]; portsKey: string } {
  const ports = svcPorts.map((sp) => findPort(pod, sp));
  let portsKey = '';
  for (let i = 0; i < svcPorts.length; i++) if (ports[i] !== undefined) portsKey += `${svcPorts[i].name ?? ''}/${ports[i]}/${svcPorts[i].protocol ?? 'TCP'},`;
  return { ports, portsKey };
}

/** The pods behind each Service in one reconcile, worked out once for both endpoint controllers
 * (nothing they do changes pods). The lists are shared: treat them as read-only. */
export class ServicePods {
  private readonly memo = new Map<Service, PodEndpoint[]>();

  constructor(private readonly index: PodLabelIndex) {}

  /** selectedPods of a Service with a selector, among the pods of its namespace. */
  of(svc: Service): PodEndpoint[] {
    let eps = this.memo.get(svc);
    if (!eps) {
      eps = selectedPods(svc, this.index.select(svc.metadata.namespace!, svc.spec?.selector));
      this.memo.set(svc, eps);
    }
    return eps;
  }
}
