// DaemonSet controller: one pod per eligible node (node selector, taints), pinned to it.
import type { DaemonSet, Node, Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { generateName, templateHash } from './names';
import { isActive, isPodReady, podFromTemplate } from './pods';
import { OwnerIndex } from './indexes';
import { sameStatus } from './replicaset';
import { nodeFits } from './scheduler';

export function runDaemonSets(ctx: ControllerContext, withStatus: boolean): boolean {
  let changed = false;
  const sets = ctx.store.list<DaemonSet>('DaemonSet');
  if (sets.length === 0) return false;
  // Only DaemonSets' pods are looked up: index just those (not every pod of the cluster).
  const uids = new Set(sets.map((ds) => ds.metadata.uid));
  const index = new OwnerIndex(ctx.store.list<Pod>('Pod').filter((p) => uids.has(OwnerIndex.keyOf(p))));
  for (const ds of sets) changed = syncDaemonSet(ctx, ds, index, withStatus) || changed;
  return changed;
}

function syncDaemonSet(ctx: ControllerContext, ds: DaemonSet, index: OwnerIndex<Pod>, withStatus: boolean): boolean {
  const ns = ds.metadata.namespace!;
  const store = ctx.store;
  let changed = false;
  const nodes = store.list<Node>('Node');
  const pods = index.owned(ds).filter((p) => isActive(p) && store.get('Pod', ns, p.metadata.name) === p);
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) { const n = p.spec?.nodeName ?? ''; (byNode.get(n) ?? byNode.set(n, []).get(n)!).push(p); }
  const revision = templateHash(ds.spec!.template);
  const templateSpec = ds.spec!.template!.spec!;
  let desired = 0;
  for (const node of nodes) {
    const eligible = nodeFits(templateSpec, node, true);
    const here = byNode.get(node.metadata.name) ?? [];
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
  if (!withStatus) return changed;
  const ready = pods.filter(isPodReady).length;
  const next = { currentNumberScheduled: pods.length, desiredNumberScheduled: desired, numberMisscheduled: 0, numberReady: ready,
    numberAvailable: ready, updatedNumberScheduled: pods.length, observedGeneration: ds.metadata.generation ?? 1 };
  if (!sameStatus(ds.status, next)) ds.status = next;
  return changed;
}
