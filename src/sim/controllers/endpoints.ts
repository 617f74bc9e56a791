// Endpoints controller: for every Service with a selector, an Endpoints object of the same
// name listing ready pods under `addresses` and the others under `notReadyAddresses`,
// grouped into subsets by port set (endpoints.RepackSubsets). Services without a selector
// keep the Endpoints the learner wrote.
import type { EndpointAddress, EndpointPort, EndpointSubset, ObjectReference } from 'kubernetes-types/core/v1';
import type { Endpoints, Service } from '../api/objects';
import type { ControllerContext } from './context';
import type { PodEndpoint, ServicePods } from './service-endpoints';
import { uidFor } from '../api/uid';
import { sortEndpointPorts } from './port-order';
import { deepEqual } from './replicaset';

export function runEndpoints(ctx: ControllerContext, pods: ServicePods): boolean {
  let changed = false;
  const store = ctx.store;
  for (const svc of store.list<Service>('Service')) {
    const ns = svc.metadata.namespace!;
    const sel = svc.spec?.selector;
    if (!sel || Object.keys(sel).length === 0 || svc.spec?.type === 'ExternalName') continue;
    const subsets = computeSubsets(svc, pods.of(svc));
    const existing = store.get<Endpoints>('Endpoints', ns, svc.metadata.name);
    const labels: Record<string, string> = Object.assign({}, svc.metadata.labels); // not a spread: see pods.ts
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const next: Endpoints = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: {
        name: svc.metadata.name, namespace: ns,
        ...(Object.keys(labels).length ? { labels } : {}),
        uid: existing?.metadata.uid ?? uidFor(ctx.seed, `Endpoints/${ns}/${svc.metadata.name}`),
        creationTimestamp: existing?.metadata.creationTimestamp ?? svc.metadata.creationTimestamp,
        resourceVersion: existing?.metadata.resourceVersion ?? '',
      },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!existing || !deepEqual(existing.subsets ?? [], next.subsets ?? []) || !deepEqual(existing.metadata.labels ?? {}, next.metadata.labels ?? {})) {
      next.metadata.resourceVersion = store.nextResourceVersion();
      store.put(next);
      changed = true;
    }
  }
  // The controller deletes Endpoints whose selector Service disappeared (not hand-written ones).
  return changed;
}

/** An address with its optional fields, each shape written as one literal (spreading the
 * optional fields in costs more than the rest of the loop). */
function address(ip: string, hostname: string | undefined, nodeName: string | undefined, targetRef: ObjectReference): EndpointAddress {
  if (hostname) return nodeName ? { ip, hostname, nodeName, targetRef } : { ip, hostname, targetRef };
  return nodeName ? { ip, nodeName, targetRef } : { ip, targetRef };
}

export function computeSubsets(svc: Service, endpoints: PodEndpoint[]): EndpointSubset[] {
  const svcPorts = svc.spec?.ports ?? [];
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const ep of endpoints) {
    // A pod that exposes none of the Service's ports is left out (headless Services may have no ports at all).
    if (svcPorts.length > 0 && ep.portsKey === '') continue;
    let g = groups.get(ep.portsKey);
    if (!g) {
      const ports: EndpointPort[] = [];
      svcPorts.forEach((sp, i) => {
        const port = ep.ports[i];
        if (port !== undefined) ports.push(sp.name ? { name: sp.name, port, protocol: sp.protocol ?? 'TCP' } : { port, protocol: sp.protocol ?? 'TCP' });
      });
      groups.set(ep.portsKey, g = { ports, ready: [], notReady: [] });
    }
    const spec = ep.pod.spec;
    const hostname = spec?.hostname && spec.subdomain === svc.metadata.name ? spec.hostname : undefined;
    (ep.ready ? g.ready : g.notReady).push(address(ep.ip, hostname, spec?.nodeName || undefined, ep.targetRef));
  }
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const byIP = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '') < (b.targetRef?.uid ?? '') ? -1 : 1);
    g.ready.sort(byIP);
    g.notReady.sort(byIP);
    // Fields added one by one (a leading spread would give each subset its own hidden class).
    const subset: EndpointSubset = {};
    if (g.ready.length) subset.addresses = g.ready;
    if (g.notReady.length) subset.notReadyAddresses = g.notReady;
    if (g.ports.length) subset.ports = sortEndpointPorts(g.ports);
    subsets.push(subset);
  }
  return subsets;
}
