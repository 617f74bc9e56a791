// EndpointSlice controller (Services with a selector) and the EndpointSlice mirroring
// controller (Services without one, whose hand-written Endpoints are mirrored). kube-proxy
// reads these slices, not Endpoints.
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import type { EndpointSlice, Endpoints, Service } from '../api/objects';
import type { ControllerContext } from './context';
import type { PodEndpoint, ServicePods } from './service-endpoints';
import { randomSuffix } from './names';
import { ownerRef } from './pods';
import { uidFor } from '../api/uid';
import { deepEqual } from './replicaset';

const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLER = 'endpointslice-controller.k8s.io';
const MIRRORING = 'endpointslicemirroring-controller.k8s.io';
const MAX_PER_SLICE = 100;

interface DesiredSlice {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export function runEndpointSlices(ctx: ControllerContext, pods: ServicePods): boolean {
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
      desired = fromPods(svc, pods.of(svc));
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

function fromPods(svc: Service, endpoints: PodEndpoint[]): DesiredSlice[] {
  const svcPorts = svc.spec?.ports ?? [];
  const groups = new Map<string, DesiredSlice>();
  // Endpoint conditions come in eight shapes: the endpoints share them (read-only, as every stored part).
  const conditions: Endpoint['conditions'][] = [];
  for (const ep of endpoints) {
    if (svcPorts.length > 0 && ep.portsKey === '') continue;
    let g = groups.get(ep.portsKey);
    if (!g) {
      const ports: EndpointPort[] = [];
      svcPorts.forEach((sp, i) => {
        const port = ep.ports[i];
        if (port !== undefined) ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' });
      });
      groups.set(ep.portsKey, g = { ports, endpoints: [] });
    }
    const spec = ep.pod.spec;
    const hostname = spec?.hostname && spec.subdomain === svc.metadata.name ? spec.hostname : undefined;
    const shared = (conditions[(ep.ready ? 4 : 0) + (ep.serving ? 2 : 0) + (ep.terminating ? 1 : 0)] ??= { ready: ep.ready, serving: ep.serving, terminating: ep.terminating });
    g.endpoints.push(endpointOf([ep.ip], shared, hostname, spec?.nodeName || undefined, ep.targetRef));
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

/** An endpoint with its optional fields, each shape written as one literal (spreading the
 * optional fields in costs more than the rest of the loop). */
function endpointOf(addresses: string[], conditions: Endpoint['conditions'], hostname: string | undefined, nodeName: string | undefined, targetRef: Endpoint['targetRef']): Endpoint {
  if (hostname) return nodeName ? { addresses, conditions, hostname, nodeName, targetRef } : { addresses, conditions, hostname, targetRef };
  return nodeName ? { addresses, conditions, nodeName, targetRef } : { addresses, conditions, targetRef };
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
    // Object.assign, not a spread: see pods.ts on hidden classes.
    const labels: Record<string, string> = Object.assign({}, svc.metadata.labels, { 'kubernetes.io/service-name': svc.metadata.name, [MANAGED_BY]: manager });
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
