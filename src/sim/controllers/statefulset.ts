// StatefulSet controller: pods `<name>-0 … <name>-(N-1)` with stable hostnames under the
// governing (headless) Service, so DNS can name each one.
import type { Pod, StatefulSet } from '../api/objects';
import type { ControllerContext } from './context';
import { templateHash } from './names';
import { isActive, isPodReady, ownerRef, podFromTemplate } from './pods';
import { OwnerIndex } from './indexes';
import { sameStatus } from './replicaset';

export function runStatefulSets(ctx: ControllerContext, withStatus: boolean): boolean {
  let changed = false;
  const sets = ctx.store.list<StatefulSet>('StatefulSet');
  if (sets.length === 0) return false;
  const index = new OwnerIndex(ctx.store.list<Pod>('Pod'));
  for (const s of sets) changed = syncStatefulSet(ctx, s, index, withStatus) || changed;
  return changed;
}

function syncStatefulSet(ctx: ControllerContext, sts: StatefulSet, index: OwnerIndex<Pod>, withStatus: boolean): boolean {
  const ns = sts.metadata.namespace!;
  const store = ctx.store;
  let changed = false;
  const want = sts.spec!.replicas ?? 1;
  const revision = `${sts.metadata.name}-${templateHash(sts.spec!.template)}`;
  for (let i = 0; i < want; i++) {
    const name = `${sts.metadata.name}-${i}`;
    const existing = store.get<Pod>('Pod', ns, name);
    if (existing) {
      if (!existing.metadata.ownerReferences?.length) { existing.metadata.ownerReferences = [ownerRef(sts)]; changed = true; }
      continue;
    }
    const pod = podFromTemplate(ctx, sts.spec!.template!, sts, name, {
      'apps.kubernetes.io/pod-index': String(i),
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': name,
    });
    pod.spec!.hostname = name;
    if (sts.spec!.serviceName) pod.spec!.subdomain = sts.spec!.serviceName;
    store.put(pod);
    index.add(pod);
    changed = true;
  }
  const live = (p: Pod) => isActive(p) && store.get('Pod', ns, p.metadata.name) === p;
  const mine = index.owned(sts).filter(live);
  for (const p of mine) {
    const ordinal = Number(p.metadata.name.slice(sts.metadata.name.length + 1));
    if (Number.isInteger(ordinal) && ordinal >= want) { store.remove('Pod', ns, p.metadata.name); changed = true; }
  }
  if (!withStatus) return changed;
  const pods = index.owned(sts).filter(live);
  const ready = pods.filter(isPodReady).length;
  const next = { replicas: pods.length, readyReplicas: ready, currentReplicas: pods.length, updatedReplicas: pods.length, availableReplicas: ready,
    currentRevision: revision, updateRevision: revision, observedGeneration: sts.metadata.generation ?? 1, collisionCount: 0 };
  if (!sameStatus(sts.status, next)) sts.status = next;
  return changed;
}
