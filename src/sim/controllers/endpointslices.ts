// EndpointSlice controller (Services with a selector) and the EndpointSlice mirroring
// controller (Services without one, whose hand-written Endpoints are mirrored). kube-proxy
// reads these slices, not Endpoints.
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import type { EndpointSlice, Endpoints, Pod, Service } from '../api/objects';
import type { ControllerContext } from './context';
import { selectedPods } from './service-endpoints';
import { randomSuffix } from './names';
import { ownerRef } from './pods';
import { uidFor } from '../api/uid';
import { deepEqual } from './replicaset';
import type { PodLabelIndex } from './indexes';

const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLER = 'endpointslice-controller.k8s.io';
const MIRRORING = 'endpointslicemirroring-controller.k8s.io';
const MAX_PER_SLICE = 100;

interface DesiredSlice {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export function runEndpointSlices(ctx: ControllerContext, pods: PodLabelIndex): boolean {
  let changed = false;
  const store = ctx.store;
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const s of store.list<EndpointSlice>('EndpointSlice')) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const k = `${s.metadata.namespace}/${svc}`;
    (slicesByService.get(k) ?? slicesByService.set(k, []).get(k)!).push(s);
  }
  for (const svc of store.list<Service>('Service')) {
    if (svc.spec?.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace!;
    const key = `${ns}/${svc.metadata.name}`;
    const sel = svc.spec?.selector;
    let desired: DesiredSlice[];
    let manager: string;
    if (sel && Object.keys(sel).length > 0) {
      desired = fromPods(svc, pods.select(ns, sel));
      manager = CONTROLLER;
    } else {
      const ep = store.get<Endpoints>('Endpoints', ns, svc.metadata.name);
      if (!ep || ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] === 'true') continue;
      desired = fromEndpoints(ep);
      manager = MIRRORING;
    }
    const existing = (slicesByService.get(key) ?? []).filter((s) => s.metadata.labels?.[MANAGED_BY] === manager);
    changed = reconcileSlices(ctx, svc, manager, desired, existing) || changed;
  }
  return changed;
}

function fromPods(svc: Service, pods: Pod[]): DesiredSlice[] {
  const svcPorts = svc.spec?.ports ?? [];
  const groups = new Map<string, DesiredSlice>();
  for (const ep of selectedPods(svc, pods)) {
    const ports: EndpointPort[] = [];
    svcPorts.forEach((sp, i) => {
      const port = ep.ports[i];
      if (port === undefined) return;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' });
    });
    if (svcPorts.length > 0 && ports.length === 0) continue;
    const endpoint: Endpoint = {
      addresses: [ep.ip],
      conditions: { ready: ep.ready, serving: ep.serving, terminating: ep.terminating },
      ...(ep.pod.spec?.hostname && ep.pod.spec.subdomain === svc.metadata.name ? { hostname: ep.pod.spec.hostname } : {}),
      ...(ep.pod.spec?.nodeName ? { nodeName: ep.pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: ep.pod.metadata.namespace, name: ep.pod.metadata.name, uid: ep.pod.metadata.uid },
    };
    const k = JSON.stringify(ports);
    (groups.get(k) ?? groups.set(k, { ports, endpoints: [] }).get(k)!).endpoints.push(endpoint);
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    g.endpoints.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : 1));
    for (let i = 0; i < g.endpoints.length || i === 0; i += MAX_PER_SLICE) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE) });
  }
  // A Service that selects nothing still gets one placeholder slice, with no ports and no endpoints.
  if (out.length === 0) out.push({ ports: [], endpoints: [] });
  return out;
}

function fromEndpoints(ep: Endpoints): DesiredSlice[] {
  return (ep.subsets ?? []).map((ss) => ({
    ports: (ss.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: [
      ...(ss.addresses ?? []).map((a) => ({ addresses: [a.ip], conditions: { ready: true }, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}), ...(a.targetRef ? { targetRef: a.targetRef } : {}) })),
      ...(ss.notReadyAddresses ?? []).map((a) => ({ addresses: [a.ip], conditions: { ready: false }, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}), ...(a.targetRef ? { targetRef: a.targetRef } : {}) })),
    ],
  }));
}

function reconcileSlices(ctx: ControllerContext, svc: Service, manager: string, desired: DesiredSlice[], existing: EndpointSlice[]): boolean {
  const store = ctx.store;
  const ns = svc.metadata.namespace!;
  let changed = false;
  desired.forEach((d, i) => {
    const current = existing[i];
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), 'kubernetes.io/service-name': svc.metadata.name, [MANAGED_BY]: manager };
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const name = current?.metadata.name ?? `${svc.metadata.name}-${randomSuffix(ctx.seed, `slice/${ns}/${svc.metadata.name}/${store.bump(`slices/${ns}/${svc.metadata.name}`)}`)}`;
    const next: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {
        name, namespace: ns, generateName: `${svc.metadata.name}-`, labels,
        ...(manager === CONTROLLER ? { ownerReferences: [ownerRef(svc)] } : {}),
        uid: current?.metadata.uid ?? uidFor(ctx.seed, `EndpointSlice/${ns}/${name}`),
        creationTimestamp: current?.metadata.creationTimestamp ?? ctx.clock.iso(),
        resourceVersion: current?.metadata.resourceVersion ?? '', generation: current?.metadata.generation ?? 1,
      },
      addressType: 'IPv4',
      endpoints: d.endpoints,
      ports: d.ports,
    };
    if (!current || !deepEqual([current.endpoints, current.ports, current.metadata.labels], [next.endpoints, next.ports, next.metadata.labels])) {
      next.metadata.resourceVersion = store.nextResourceVersion();
      if (current) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
      store.put(next);
      changed = true;
    }
  });
  for (const extra of existing.slice(desired.length)) { store.remove('EndpointSlice', ns, extra.metadata.name); changed = true; }
  return changed;
}
