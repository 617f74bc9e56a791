// ReplicaSet controller: exactly spec.replicas active pods, adopting matching orphans;
// surplus pods go not-ready first, then newest first (the controller's deletion ranking).
import type { Pod, ReplicaSet } from '../api/objects';
import type { ControllerContext } from './context';
import { generateName } from './names';
import { controllerOf, isActive, isOwnedBy, isPodReady, ownerRef, podFromTemplate } from './pods';
import { matchesSelector } from '../api/workloads/labels';

export function runReplicaSets(ctx: ControllerContext): boolean {
  let changed = false;
  for (const rs of ctx.store.list<ReplicaSet>('ReplicaSet')) changed = syncReplicaSet(ctx, rs) || changed;
  return changed;
}

function syncReplicaSet(ctx: ControllerContext, rs: ReplicaSet): boolean {
  const ns = rs.metadata.namespace!;
  const store = ctx.store;
  let changed = false;
  const pods = store.listIn<Pod>('Pod', ns).filter((p) => {
    if (isOwnedBy(p, rs)) return true;
    if (!controllerOf(p) && matchesSelector(rs.spec!.selector, p.metadata.labels)) {
      p.metadata.ownerReferences = [ownerRef(rs)];
      changed = true;
      return true;
    }
    return false;
  }).filter(isActive);
  const want = rs.spec!.replicas ?? 1;
  for (let i = pods.length; i < want; i++) {
    const name = generateName(store, ctx.seed, 'Pod', ns, `${rs.metadata.name}-`);
    const pod = podFromTemplate(ctx, rs.spec!.template!, rs, name);
    store.put(pod);
    pods.push(pod);
    changed = true;
  }
  if (pods.length > want) {
    const ranked = [...pods].sort((a, b) => deletionRank(a) - deletionRank(b) || Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion));
    for (const p of ranked.slice(0, pods.length - want)) {
      store.remove('Pod', ns, p.metadata.name);
      pods.splice(pods.indexOf(p), 1);
    }
    changed = true;
  }
  const ready = pods.filter(isPodReady).length;
  const next = { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation ?? 1 };
  if (JSON.stringify(rs.status ?? {}) !== JSON.stringify(next)) { rs.status = next; changed = true; }
  return changed;
}

/** Lower goes first: unscheduled, then pending, then not ready, then ready. */
function deletionRank(p: Pod): number {
  if (!p.spec?.nodeName) return 0;
  if (p.status?.phase === 'Pending') return 1;
  if (!isPodReady(p)) return 2;
  return 3;
}
