// ReplicaSet controller: exactly spec.replicas active pods, adopting matching orphans;
// surplus pods go not-ready first, then newest first (the controller's deletion ranking).
import type { Pod, ReplicaSet } from '../api/objects';
import type { ControllerContext } from './context';
import { nameGenerator } from './names';
import { isActive, isPodReady, ownerRef, podFromTemplate } from './pods';
import { matchesSelector } from '../api/labels';
import { OwnerIndex } from './indexes';

/** Returns whether pods were created, deleted or adopted; `withStatus` also writes status. */
export function runReplicaSets(ctx: ControllerContext, withStatus: boolean): boolean {
  let changed = false;
  const pods = new OwnerIndex(ctx.store.list<Pod>('Pod'));
  for (const rs of ctx.store.list<ReplicaSet>('ReplicaSet')) changed = syncReplicaSet(ctx, rs, pods, withStatus) || changed;
  return changed;
}

function syncReplicaSet(ctx: ControllerContext, rs: ReplicaSet, index: OwnerIndex<Pod>, withStatus: boolean): boolean {
  const ns = rs.metadata.namespace!;
  const store = ctx.store;
  let changed = false;
  for (const p of [...index.orphans(ns)]) {
    if (matchesSelector(rs.spec!.selector, p.metadata.labels)) {
      p.metadata.ownerReferences = [ownerRef(rs)];
      index.adopt(p, rs);
      changed = true;
    }
  }
  const pods = index.owned(rs).filter((p) => isActive(p) && store.get('Pod', ns, p.metadata.name) === p);
  const want = rs.spec!.replicas ?? 1;
  if (pods.length < want) {
    const nextName = nameGenerator(store, ctx.seed, 'Pod', ns, `${rs.metadata.name}-`);
    while (pods.length < want) {
      const pod = podFromTemplate(ctx, rs.spec!.template!, rs, nextName());
      store.put(pod);
      index.add(pod);
      pods.push(pod);
      changed = true;
    }
  }
  if (pods.length > want) {
    const ranked = [...pods].sort((a, b) => deletionRank(a) - deletionRank(b) || Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion));
    for (const p of ranked.slice(0, pods.length - want)) {
      store.remove('Pod', ns, p.metadata.name);
      pods.splice(pods.indexOf(p), 1);
    }
    changed = true;
  }
  if (withStatus) {
    const ready = pods.filter(isPodReady).length;
    const next = { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation ?? 1 };
    if (!sameStatus(rs.status, next)) rs.status = next;
  }
  return changed;
}

/** Lower goes first: unscheduled, then pending, then not ready, then ready. */
function deletionRank(p: Pod): number {
  if (!p.spec?.nodeName) return 0;
  if (p.status?.phase === 'Pending') return 1;
  if (!isPodReady(p)) return 2;
  return 3;
}

/** Deep equality of JSON-shaped values (statuses are compared every pass, so no serialising). */
export function sameStatus(a: unknown, b: unknown): boolean {
  return deepEqual(a ?? {}, b);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  // Fields set to undefined count as absent. Counted in place: statuses are compared every pass.
  const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
  let defined = 0;
  for (const k of Object.keys(ra)) {
    if (ra[k] === undefined) continue;
    defined++;
    if (!deepEqual(ra[k], rb[k])) return false;
  }
  for (const k of Object.keys(rb)) if (rb[k] !== undefined) defined--;
  return defined === 0;
}
