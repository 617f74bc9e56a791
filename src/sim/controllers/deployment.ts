// Deployment controller: keeps one ReplicaSet per pod template (`<deploy>-<hash>`), the
// current one scaled to spec.replicas and older ones to 0, and reports status.
import type { Deployment, Pod, ReplicaSet } from '../api/objects';
import type { ControllerContext } from './context';
import { canonicalJSON, canonicalJSONOfFrozen, templateHash } from './names';
import { controllerOf, ownerRef } from './pods';
import { OwnerIndex } from './indexes';
import { sameStatus } from './replicaset';
import { matchesSelector } from '../api/labels';
import { uidFor } from '../api/uid';

const HASH_LABEL = 'pod-template-hash';

// Templates are compared as JSON text. The ReplicaSets a Deployment creates carry its own
// template (plus the hash label), so plain JSON.stringify agrees key for key; a ReplicaSet
// written in the YAML may order keys differently, so those fall back to canonical JSON.
// Templates are never mutated in place (an update replaces the object), so texts are cached
// per object, and a ReplicaSet's template remembers the Deployment template it was made from.
const withoutHashCache = new WeakMap<object, string>();
const canonicalWithoutHashCache = new WeakMap<object, string>();
const jsonCache = new WeakMap<object, string>();
const madeFrom = new WeakMap<object, object>();

function withoutHash(tpl: NonNullable<ReplicaSet['spec']>['template']): object {
  const t = structuredClone(tpl ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  return t;
}

/** The ReplicaSet's template as the Deployment would have written it (no pod-template-hash label). */
function templateWithoutHash(rs: ReplicaSet): string {
  const tpl = rs.spec?.template ?? {};
  let s = withoutHashCache.get(tpl);
  if (s === undefined) {
    const source = madeFrom.get(tpl);
    s = source ? templateJSON(source) : JSON.stringify(withoutHash(tpl));
    withoutHashCache.set(tpl, s);
  }
  return s;
}

function canonicalTemplateWithoutHash(rs: ReplicaSet): string {
  const tpl = rs.spec?.template ?? {};
  let s = canonicalWithoutHashCache.get(tpl);
  if (s === undefined) { s = canonicalJSON(withoutHash(tpl)); canonicalWithoutHashCache.set(tpl, s); }
  return s;
}

function templateJSON(t: object): string {
  let s = jsonCache.get(t);
  if (s === undefined) { s = JSON.stringify(t); jsonCache.set(t, s); }
  return s;
}

// Copies that gain a field are made with Object.assign rather than `{ ...x, k: v }`: V8 gives
// each such spread-then-extended object a hidden class of its own (see pods.ts).

/** Labels plus the pod-template-hash label. */
function withHashLabel(labels: Record<string, string> | undefined, hash: string): Record<string, string> {
  const out = Object.assign({}, labels);
  out[HASH_LABEL] = hash;
  return out;
}

/** The Deployment's selector plus the hash label, sharing nothing with it. */
function selectorWithHash(sel: NonNullable<Deployment['spec']>['selector'], hash: string): NonNullable<ReplicaSet['spec']>['selector'] {
  const out = Object.assign({}, sel, { matchLabels: withHashLabel(sel.matchLabels, hash) });
  if (sel.matchExpressions) out.matchExpressions = structuredClone(sel.matchExpressions);
  return out;
}

/** Returns whether ReplicaSets were created, scaled or adopted; `withStatus` also writes status. */
export function runDeployments(ctx: ControllerContext, withStatus: boolean): boolean {
  let changed = false;
  const sets = new OwnerIndex(ctx.store.list<ReplicaSet>('ReplicaSet'));
  // Only a Deployment that needs a new ReplicaSet looks at these (and nothing here changes pods).
  let hashedOrphans: OwnerIndex<Pod> | undefined;
  const orphanPods = () => (hashedOrphans ??= new OwnerIndex(ctx.store.list<Pod>('Pod').filter((p) => p.metadata.labels?.[HASH_LABEL] && !controllerOf(p))));
  for (const d of ctx.store.list<Deployment>('Deployment')) changed = syncDeployment(ctx, d, sets, orphanPods, withStatus) || changed;
  return changed;
}

function syncDeployment(ctx: ControllerContext, d: Deployment, index: OwnerIndex<ReplicaSet>, hashedOrphans: () => OwnerIndex<Pod>, withStatus: boolean): boolean {
  const ns = d.metadata.namespace!;
  const store = ctx.store;
  let changed = false;
  // Adopt orphans whose labels the selector matches (a replayed dump may carry the RS without owner refs).
  for (const rs of [...index.orphans(ns)]) {
    if (matchesSelector(d.spec!.selector, rs.metadata.labels)) {
      rs.metadata.ownerReferences = [ownerRef(d)];
      index.adopt(rs, d);
      changed = true;
    }
  }
  const sets = index.owned(d).filter((rs) => store.get('ReplicaSet', ns, rs.metadata.name) === rs);
  const source = d.spec!.template!;
  // Usually the first ReplicaSet was made from this very template object: then it is the
  // first whose template matches, and no JSON needs to be written.
  let current = sets.length > 0 && madeFrom.get(sets[0].spec?.template ?? {}) === source ? sets[0] : undefined;
  if (!current && sets.length > 0) {
    const wanted = templateJSON(source);
    current = sets.find((rs) => templateWithoutHash(rs) === wanted);
  }
  if (!current && sets.length > 0) {
    const canonical = canonicalJSONOfFrozen(source);
    current = sets.find((rs) => canonicalTemplateWithoutHash(rs) === canonical);
  }
  if (!current) {
    // The hash is over canonical JSON, so it does not depend on how the YAML orders its keys.
    const hash = inferredHash(d, hashedOrphans().orphans(ns)) ?? templateHash(source, d.status?.collisionCount ?? 0);
    const name = `${d.metadata.name}-${hash}`;
    // The ReplicaSet's template is the Deployment's plus the hash label; the (never mutated) spec is shared.
    const template = Object.assign({}, source, { metadata: Object.assign({}, source.metadata, { labels: withHashLabel(source.metadata?.labels, hash) }) });
    current = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name, namespace: ns, labels: withHashLabel(source.metadata?.labels, hash),
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(d.spec!.replicas ?? 1), 'deployment.kubernetes.io/max-replicas': String(Math.ceil((d.spec!.replicas ?? 1) * 1.25)), 'deployment.kubernetes.io/revision': String(sets.length + 1) },
        ownerReferences: [ownerRef(d)],
        uid: uidFor(ctx.seed, `ReplicaSet/${ns}/${name}`), creationTimestamp: ctx.clock.iso(), resourceVersion: store.nextResourceVersion(), generation: 1,
      },
      spec: {
        replicas: d.spec!.replicas ?? 1,
        selector: selectorWithHash(d.spec!.selector, hash),
        template,
      },
    };
    madeFrom.set(template, source); // its template is the Deployment's plus the hash label
    store.put(current);
    index.add(current);
    sets.push(current);
    changed = true;
  }
  for (const rs of sets) {
    const want = rs === current ? (d.spec!.replicas ?? 1) : 0;
    if ((rs.spec!.replicas ?? 1) !== want) { rs.spec!.replicas = want; changed = true; }
  }
  if (!withStatus) return changed;
  // Status mirrors the ReplicaSets' pods.
  const all = sets;
  const sum = (f: (rs: ReplicaSet) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const status = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: current.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: sum((rs) => rs.status?.availableReplicas),
  };
  const unavailable = Math.max(0, (d.spec!.replicas ?? 1) - status.availableReplicas);
  const next = Object.assign({}, status, unavailable ? { unavailableReplicas: unavailable } : {}, {
    conditions: [
      { type: 'Available', status: status.availableReplicas >= (d.spec!.replicas ?? 1) - 0 ? 'True' : 'False', reason: status.availableReplicas >= (d.spec!.replicas ?? 1) ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: status.availableReplicas >= (d.spec!.replicas ?? 1) ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${current.metadata.name}" has successfully progressed.` },
    ],
  });
  if (!sameStatus(d.status, next)) d.status = next as Deployment['status'];
  return changed;
}

/** A replayed dump may hold this Deployment's pods (with their real pod-template-hash) but not
 * its ReplicaSet: reuse that hash so the pods are adopted instead of replaced. */
function inferredHash(d: Deployment, candidates: Pod[]): string | undefined {
  const counts = new Map<string, number>();
  for (const p of candidates) {
    const h = p.metadata.labels?.[HASH_LABEL];
    if (h && matchesSelector(d.spec!.selector, p.metadata.labels)) {
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [h, n] of counts) if (!best || n > counts.get(best)!) best = h;
  return best;
}
