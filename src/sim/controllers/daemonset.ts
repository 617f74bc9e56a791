// DaemonSet controller: one pod per eligible node (node selector, taints), pinned to it.
import type { DaemonSet, Node, Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { generateName, templateHash } from './names';
import { isActive, isOwnedBy, isPodReady, podFromTemplate } from './pods';
import { nodeFits } from './scheduler';

export function runDaemonSets(ctx: ControllerContext): boolean {
  let changed = false;
  for (const ds of ctx.store.list<DaemonSet>('DaemonSet')) changed = syncDaemonSet(ctx, ds) || changed;
  return changed;
}

function syncDaemonSet(ctx: ControllerContext, ds: DaemonSet): boolean {
  const ns = ds.metadata.namespace!;
  const store = ctx.store;
  let changed = false;
  const nodes = store.list<Node>('Node');
  const pods = store.listIn<Pod>('Pod', ns).filter((p) => isOwnedBy(p, ds) && isActive(p));
  const revision = templateHash(ds.spec!.template);
  const templateSpec = ds.spec!.template!.spec!;
  let desired = 0;
  for (const node of nodes) {
    const eligible = nodeFits(templateSpec, node, true);
    const here = pods.filter((p) => p.spec?.nodeName === node.metadata.name);
    if (eligible) {
      desired++;
      if (here.length === 0) {
        const name = generateName(store, ctx.seed, 'Pod', ns, `${ds.metadata.name}-`);
        const pod = podFromTemplate(ctx, ds.spec!.template!, ds, name, { 'controller-revision-hash': revision, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
        pod.spec!.nodeName = node.metadata.name;
        pod.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.metadata.name] }] }] } } };
        store.put(pod);
        pods.push(pod);
        changed = true;
      }
    } else {
      for (const p of here) { store.remove('Pod', ns, p.metadata.name); pods.splice(pods.indexOf(p), 1); changed = true; }
    }
  }
  const ready = pods.filter(isPodReady).length;
  const next = { currentNumberScheduled: pods.length, desiredNumberScheduled: desired, numberMisscheduled: 0, numberReady: ready,
    numberAvailable: ready, updatedNumberScheduled: pods.length, observedGeneration: ds.metadata.generation ?? 1 };
  if (JSON.stringify(ds.status ?? {}) !== JSON.stringify(next)) { ds.status = next; changed = true; }
  return changed;
}
