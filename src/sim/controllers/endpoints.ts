// Endpoints controller: for every Service with a selector, an Endpoints object of the same
// name listing ready pods under `addresses` and the others under `notReadyAddresses`,
// grouped into subsets by port set (endpoints.RepackSubsets). Services without a selector
// keep the Endpoints the learner wrote.
import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1';
import type { Endpoints, Pod, Service } from '../api/objects';
import type { ControllerContext } from './context';
import { selectedPods } from './service-endpoints';
import { uidFor } from '../api/uid';
import { sortEndpointPorts } from './port-order';
import { deepEqual } from './replicaset';
import type { PodLabelIndex } from './indexes';

export function runEndpoints(ctx: ControllerContext, pods: PodLabelIndex): boolean {
  let changed = false;
  const store = ctx.store;
  for (const svc of store.list<Service>('Service')) {
    const ns = svc.metadata.namespace!;
    const sel = svc.spec?.selector;
    if (!sel || Object.keys(sel).length === 0 || svc.spec?.type === 'ExternalName') continue;
    const subsets = computeSubsets(svc, pods.select(ns, sel));
    const existing = store.get<Endpoints>('Endpoints', ns, svc.metadata.name);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
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

export function computeSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const svcPorts = svc.spec?.ports ?? [];
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const ep of selectedPods(svc, pods)) {
    const ports: EndpointPort[] = [];
    let key = '';
    for (let i = 0; i < svcPorts.length; i++) {
      const port = ep.ports[i];
      if (port === undefined) continue;
      const sp = svcPorts[i];
      const p: EndpointPort = sp.name ? { name: sp.name, port, protocol: sp.protocol ?? 'TCP' } : { port, protocol: sp.protocol ?? 'TCP' };
      ports.push(p);
      key += `${sp.name ?? ''}/${port}/${p.protocol},`;
    }
    // A pod that exposes none of the Service's ports is left out (headless Services may have no ports at all).
    if (svcPorts.length > 0 && ports.length === 0) continue;
    const spec = ep.pod.spec;
    const addr: EndpointAddress = { ip: ep.ip };
    if (spec?.hostname && spec.subdomain === svc.metadata.name) addr.hostname = spec.hostname;
    if (spec?.nodeName) addr.nodeName = spec.nodeName;
    addr.targetRef = { kind: 'Pod', namespace: ep.pod.metadata.namespace, name: ep.pod.metadata.name, uid: ep.pod.metadata.uid };
    const g = groups.get(key) ?? groups.set(key, { ports, ready: [], notReady: [] }).get(key)!;
    (ep.ready ? g.ready : g.notReady).push(addr);
  }
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const byIP = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '') < (b.targetRef?.uid ?? '') ? -1 : 1);
    g.ready.sort(byIP);
    g.notReady.sort(byIP);
    subsets.push({
      ...(g.ready.length ? { addresses: g.ready } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady } : {}),
      ...(g.ports.length ? { ports: sortEndpointPorts(g.ports) } : {}),
    });
  }
  return subsets;
}
