// Deployment controller: keeps one ReplicaSet per pod template (`<deploy>-<hash>`), the
// current one scaled to spec.replicas and older ones to 0, and reports status.
import type { Deployment, Pod, ReplicaSet } from '../api/objects';
import type { ControllerContext } from './context';
import { canonicalJSON, templateHash } from './names';
import { controllerOf, isOwnedBy, ownerRef } from './pods';
import { matchesSelector } from '../api/workloads/labels';
import { uidFor } from '../api/uid';

const HASH_LABEL = 'pod-template-hash';

function templateWithoutHash(rs: ReplicaSet): string {
  const t = structuredClone(rs.spec?.template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  return canonicalJSON(t);
}

export function runDeployments(ctx: ControllerContext): boolean {
  let changed = false;
  for (const d of ctx.store.list<Deployment>('Deployment')) changed = syncDeployment(ctx, d) || changed;
  return changed;
}

function syncDeployment(ctx: ControllerContext, d: Deployment): boolean {
  const ns = d.metadata.namespace!;
  const store = ctx.store;
  let changed = false;
  const sets = store.listIn<ReplicaSet>('ReplicaSet', ns).filter((rs) => {
    if (isOwnedBy(rs, d)) return true;
    // Adopt orphans whose labels the selector matches (a replayed dump may carry the RS without owner refs).
    if (!controllerOf(rs) && matchesSelector(d.spec!.selector, rs.metadata.labels)) {
      rs.metadata.ownerReferences = [ownerRef(d)];
      return true;
    }
    return false;
  });
  const wanted = canonicalJSON(d.spec!.template);
  let current = sets.find((rs) => templateWithoutHash(rs) === wanted);
  if (!current) {
    const hash = inferredHash(ctx, d) ?? templateHash(d.spec!.template, d.status?.collisionCount ?? 0);
    const name = `${d.metadata.name}-${hash}`;
    const template = structuredClone(d.spec!.template!);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
    current = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name, namespace: ns, labels: { ...(d.spec!.template!.metadata?.labels ?? {}), [HASH_LABEL]: hash },
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(d.spec!.replicas ?? 1), 'deployment.kubernetes.io/max-replicas': String(Math.ceil((d.spec!.replicas ?? 1) * 1.25)), 'deployment.kubernetes.io/revision': String(sets.length + 1) },
        ownerReferences: [ownerRef(d)],
        uid: uidFor(ctx.seed, `ReplicaSet/${ns}/${name}`), creationTimestamp: ctx.clock.iso(), resourceVersion: store.nextResourceVersion(), generation: 1,
      },
      spec: {
        replicas: d.spec!.replicas ?? 1,
        selector: { ...structuredClone(d.spec!.selector), matchLabels: { ...(d.spec!.selector.matchLabels ?? {}), [HASH_LABEL]: hash } },
        template,
      },
    };
    store.put(current);
    changed = true;
  }
  for (const rs of sets) {
    const want = rs === current ? (d.spec!.replicas ?? 1) : 0;
    if ((rs.spec!.replicas ?? 1) !== want) { rs.spec!.replicas = want; changed = true; }
  }
  // Status mirrors the ReplicaSets' pods.
  const all = store.listIn<ReplicaSet>('ReplicaSet', ns).filter((rs) => isOwnedBy(rs, d));
  const sum = (f: (rs: ReplicaSet) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const status = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: current.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: sum((rs) => rs.status?.availableReplicas),
  };
  const unavailable = Math.max(0, (d.spec!.replicas ?? 1) - status.availableReplicas);
  const next = {
    ...status,
    ...(unavailable ? { unavailableReplicas: unavailable } : {}),
    conditions: [
      { type: 'Available', status: status.availableReplicas >= (d.spec!.replicas ?? 1) - 0 ? 'True' : 'False', reason: status.availableReplicas >= (d.spec!.replicas ?? 1) ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: status.availableReplicas >= (d.spec!.replicas ?? 1) ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${current.metadata.name}" has successfully progressed.` },
    ],
  };
  if (JSON.stringify(d.status ?? {}) !== JSON.stringify(next)) { d.status = next as Deployment['status']; changed = true; }
  return changed;
}

/** A replayed dump may hold this Deployment's pods (with their real pod-template-hash) but not
 * its ReplicaSet: reuse that hash so the pods are adopted instead of replaced. */
function inferredHash(ctx: ControllerContext, d: Deployment): string | undefined {
  const counts = new Map<string, number>();
  for (const p of ctx.store.listIn<Pod>('Pod', d.metadata.namespace!)) {
    const h = p.metadata.labels?.[HASH_LABEL];
    if (h && matchesSelector(d.spec!.selector, p.metadata.labels)) {
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [h, n] of counts) if (!best || n > counts.get(best)!) best = h;
  return best;
}
