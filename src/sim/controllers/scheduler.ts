// kube-scheduler, reduced to what decides placement in teaching clusters: nodeName,
// nodeSelector, required node affinity, taints/tolerations, host-port conflicts
// (hostNetwork pods), then spreading — fewest pods of the same owner, then fewest pods.
import type { PodSpec, Toleration, Taint, NodeSelectorRequirement } from 'kubernetes-types/core/v1';
import type { Node, Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { controllerOf } from './pods';
import { Hash128 } from '../rng';

function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The distinct NoSchedule/NoExecute taints of the nodes (the only ones nodeFits looks at). */
function schedulingTaints(nodes: Node[]): Taint[] {
  const seen = new Map<string, Taint>();
  for (const n of nodes) {
    for (const t of n.spec?.taints ?? []) {
      if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
      const k = JSON.stringify([t.key, t.value ?? '', t.effect]);
      if (!seen.has(k)) seen.set(k, t);
    }
  }
  return [...seen.values()];
}

function requirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In': return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn': return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && Number(value) > Number(r.values?.[0]);
    case 'Lt': return value !== undefined && Number(value) < Number(r.values?.[0]);
    default: return false;
  }
}

export function isNodeReady(n: Node): boolean {
  return (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Can this pod spec run on this node? (`ignoreUnschedulable`: DaemonSets tolerate cordoned nodes.) */
export function nodeFits(spec: PodSpec, node: Node, ignoreUnschedulable = false): boolean {
  const labels = node.metadata.labels ?? {};
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return false;
  if (!ignoreUnschedulable && node.spec?.unschedulable) return false;
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && terms.length > 0) {
    const ok = terms.some((t) =>
      (t.matchExpressions ?? []).every((r) => requirementHolds(r, labels[r.key])) &&
      (t.matchFields ?? []).every((r) => requirementHolds(r, r.key === 'metadata.name' ? node.metadata.name : undefined)));
    if (!ok) return false;
  }
  for (const taint of node.spec?.taints ?? []) {
    if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(spec.tolerations, taint)) return false;
  }
  return true;
}

const NO_HOST_PORTS: readonly string[] = [];

function hostPorts(spec: PodSpec | undefined): readonly string[] {
  let out: string[] | undefined; // most pods have none: no array for them
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) if (p.hostPort) (out ??= []).push(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  return out ?? NO_HOST_PORTS;
}

/** kubelet's default --max-pods, unless the Node reports its own capacity. */
const DEFAULT_MAX_PODS = 110;

function maxPods(n: Node): number {
  const v = Number(n.status?.allocatable?.pods ?? n.status?.capacity?.pods);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_PODS;
}

export function runScheduler(ctx: ControllerContext): boolean {
  const nodes = ctx.store.list<Node>('Node').filter(isNodeReady);
  const pods = ctx.store.list<Pod>('Pod');
  if (!pods.some((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp)) return false;
  // Per node (by index): pods placed, capacity, pods of each owner, host ports taken.
  const indexOf = new Map(nodes.map((n, i) => [n.metadata.name, i]));
  const count = new Int32Array(nodes.length);
  const capacity = Int32Array.from(nodes, maxPods);
  // Per owner, its pods per node index (sparse: an owner has pods on few of the nodes).
  const ownerCount = new Map<string, Map<number, number>>();
  const countOf = (mine: Map<number, number> | undefined, i: number) => (mine ? mine.get(i) ?? 0 : 0);
  const usedPorts: (Set<string> | undefined)[] = new Array(nodes.length);
  // Nodes bucketed by how many pods they run, so the least-loaded ones are found without
  // scanning every node for every pod (a 20,000-pod cluster has hundreds of nodes).
  const buckets: number[][] = [];
  const slot = new Int32Array(nodes.length);
  const bucketAdd = (i: number) => { const b = (buckets[count[i]] ??= []); slot[i] = b.length; b.push(i); };
  const bucketRemove = (i: number) => {
    const b = buckets[count[i]];
    const last = b.pop()!;
    if (last !== i) { b[slot[i]] = last; slot[last] = slot[i]; }
  };
  const place = (p: Pod, i: number) => {
    if (bucketsReady) bucketRemove(i);
    count[i]++;
    if (bucketsReady) bucketAdd(i);
    const owner = controllerOf(p)?.uid;
    if (owner) {
      let mine = ownerCount.get(owner);
      if (!mine) ownerCount.set(owner, mine = new Map());
      mine.set(i, countOf(mine, i) + 1);
    }
    for (const hp of hostPorts(p.spec)) (usedPorts[i] ??= new Set()).add(hp);
  };
  let bucketsReady = false;
  for (const p of pods) {
    const i = p.spec?.nodeName ? indexOf.get(p.spec.nodeName) : undefined;
    if (i !== undefined) place(p, i);
  }
  nodes.forEach((_, i) => bucketAdd(i));
  bucketsReady = true;
  let changed = false;
  const fitMasks = new Map<number[], Uint8Array>();
  /** The least-loaded fitting node with no pod of this owner yet, probing from a seeded start. */
  const leastLoaded = (fitting: number[], mine: Map<number, number> | undefined, h: number): number => {
    let mask = fitMasks.get(fitting);
    if (!mask) { mask = new Uint8Array(nodes.length); for (const i of fitting) mask[i] = 1; fitMasks.set(fitting, mask); }
    for (let c = 0; c < buckets.length; c++) {
      const b = buckets[c];
      if (!b || b.length === 0) continue;
      const start = h % b.length;
      for (let k = 0; k < b.length; k++) {
        const i = b[(start + k) % b.length];
        if (mask[i] && count[i] < capacity[i] && countOf(mine, i) === 0) return i;
      }
    }
    return -1;
  };
  // Each pod's seeded start: the hash of `<seed>\0schedule/<namespace>/<name>`, prefix hashed once.
  const schedulePrefix = new Hash128().update(`${ctx.seed}\u0000schedule/`);
  const hasher = new Hash128();
  // Pods of one controller share a spec, so which nodes suit them is worked out once.
  const fitsByOwner = new Map<string, number[]>();
  const fitsBySignature = new Map<string, number[]>();
  // A spec's fit depends on its nodeName, nodeSelector and node affinity, and on which of the
  // nodes' scheduling taints it tolerates: specs alike in those fit the same nodes.
  const taints = schedulingTaints(nodes);
  const signatureOf = (sp: PodSpec): string => {
    let tolerated = '';
    for (const t of taints) tolerated += tolerates(sp.tolerations, t) ? '1' : '0';
    const nodeAffinity = sp.affinity?.nodeAffinity;
    if (sp.nodeName === undefined && sp.nodeSelector === undefined && nodeAffinity === undefined) return tolerated;
    return `${tolerated}|${JSON.stringify([sp.nodeName, sp.nodeSelector, nodeAffinity])}`;
  };
  for (const pod of pods) {
    if (pod.spec?.nodeName || pod.metadata.deletionTimestamp) continue;
    const ports = hostPorts(pod.spec);
    const owner = controllerOf(pod)?.uid;
    let fitting = owner ? fitsByOwner.get(owner) : undefined;
    if (!fitting) {
      // Most pods ask for the same placement (no selector, the default tolerations): compute each kind once.
      const sp = pod.spec!;
      const signature = signatureOf(sp);
      fitting = fitsBySignature.get(signature);
      if (!fitting) {
        fitting = [];
        nodes.forEach((n, i) => { if (nodeFits(sp, n)) fitting!.push(i); });
        fitsBySignature.set(signature, fitting);
      }
      if (owner) fitsByOwner.set(owner, fitting);
    }
    const mine = owner ? ownerCount.get(owner) : undefined;
    const h = hasher.copy(schedulePrefix).update(String(pod.metadata.namespace)).update('/').update(pod.metadata.name).finish().w0;
    if (ports.length === 0) {
      const fast = leastLoaded(fitting, mine, h);
      if (fast !== -1) {
        pod.spec!.nodeName = nodes[fast].metadata.name;
        place(pod, fast);
        changed = true;
        continue;
      }
    }
    // Host ports, or every fitting node already runs a pod of this owner: score them all.
    const usable = (i: number) => count[i] < capacity[i] && !(ports.length && usedPorts[i] && ports.some((hp) => usedPorts[i]!.has(hp)));
    // Best score: fewest pods of the same owner, then fewest pods; count the ties.
    let bestSame = Infinity;
    let bestTotal = Infinity;
    let ties = 0;
    for (const i of fitting) {
      if (!usable(i)) continue;
      const same = countOf(mine, i);
      const total = count[i];
      if (same < bestSame || (same === bestSame && total < bestTotal)) { bestSame = same; bestTotal = total; ties = 1; }
      else if (same === bestSame && total === bestTotal) ties++;
    }
    if (ties === 0) {
      const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector, had untolerated taints, free ports or room for more pods.` };
      if (JSON.stringify(pod.status?.conditions) !== JSON.stringify([cond])) { pod.status = { ...(pod.status ?? {}), phase: 'Pending', conditions: [cond] }; changed = true; }
      continue;
    }
    // Equal scores: the real scheduler picks one of the best at random; ours is seeded.
    let pick = ties === 1 ? 0 : Math.floor(h / 2 ** 32 * ties);
    let chosen = -1;
    for (const i of fitting) {
      if (count[i] !== bestTotal || countOf(mine, i) !== bestSame || !usable(i)) continue;
      if (pick-- === 0) { chosen = i; break; }
    }
    pod.spec!.nodeName = nodes[chosen].metadata.name;
    place(pod, chosen);
    changed = true;
  }
  return changed;
}
