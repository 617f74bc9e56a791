// StatefulSet controller: pods `<name>-0 … <name>-(N-1)` with stable hostnames under the
// governing (headless) Service, so DNS can name each one.
import type { Pod, StatefulSet } from '../api/objects';
import type { ControllerContext } from './context';
import { templateHash } from './names';
import { isActive, isOwnedBy, isPodReady, ownerRef, podFromTemplate } from './pods';

export function runStatefulSets(ctx: ControllerContext): boolean {
  let changed = false;
  for (const s of ctx.store.list<StatefulSet>('StatefulSet')) changed = syncStatefulSet(ctx, s) || changed;
  return changed;
}

function syncStatefulSet(ctx: ControllerContext, sts: StatefulSet): boolean {
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
    changed = true;
  }
  const mine = store.listIn<Pod>('Pod', ns).filter((p) => isOwnedBy(p, sts) && isActive(p));
  for (const p of mine) {
    const ordinal = Number(p.metadata.name.slice(sts.metadata.name.length + 1));
    if (Number.isInteger(ordinal) && ordinal >= want) { store.remove('Pod', ns, p.metadata.name); changed = true; }
  }
  const pods = store.listIn<Pod>('Pod', ns).filter((p) => isOwnedBy(p, sts) && isActive(p));
  const ready = pods.filter(isPodReady).length;
  const next = { replicas: pods.length, readyReplicas: ready, currentReplicas: pods.length, updatedReplicas: pods.length, availableReplicas: ready,
    currentRevision: revision, updateRevision: revision, observedGeneration: sts.metadata.generation ?? 1, collisionCount: 0 };
  if (JSON.stringify(sts.status ?? {}) !== JSON.stringify(next)) { sts.status = next; changed = true; }
  return changed;
}
