// kube-scheduler, reduced to what decides placement in teaching clusters: nodeName,
// nodeSelector, required node affinity, taints/tolerations, host-port conflicts
// (hostNetwork pods), then spreading — fewest pods of the same owner, then fewest pods.
import type { PodSpec, Toleration, Taint, NodeSelectorRequirement } from 'kubernetes-types/core/v1';
import type { Node, Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { controllerOf } from './pods';
import { deriveRng } from '../rng';

function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
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

function hostPorts(spec: PodSpec | undefined): string[] {
  const out: string[] = [];
  for (const c of spec?.containers ?? []) for (const p of c.ports ?? []) if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  return out;
}

export function runScheduler(ctx: ControllerContext): boolean {
  const nodes = ctx.store.list<Node>('Node').filter(isNodeReady);
  const pods = ctx.store.list<Pod>('Pod');
  const perNode = new Map<string, Pod[]>();
  for (const p of pods) if (p.spec?.nodeName) (perNode.get(p.spec.nodeName) ?? perNode.set(p.spec.nodeName, []).get(p.spec.nodeName)!).push(p);
  let changed = false;
  for (const pod of pods) {
    if (pod.spec?.nodeName || pod.metadata.deletionTimestamp) continue;
    const ports = hostPorts(pod.spec);
    const owner = controllerOf(pod)?.uid;
    const candidates = nodes.filter((n) => {
      if (!nodeFits(pod.spec!, n)) return false;
      if (ports.length === 0) return true;
      const used = new Set((perNode.get(n.metadata.name) ?? []).flatMap((p) => hostPorts(p.spec)));
      return ports.every((hp) => !used.has(hp));
    });
    if (candidates.length === 0) {
      const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector, taints or ports.` };
      if (JSON.stringify(pod.status?.conditions) !== JSON.stringify([cond])) { pod.status = { ...(pod.status ?? {}), phase: 'Pending', conditions: [cond] }; changed = true; }
      continue;
    }
    const rng = deriveRng(ctx.seed, `schedule/${pod.metadata.namespace}/${pod.metadata.name}`);
    const score = (n: Node) => {
      const here = perNode.get(n.metadata.name) ?? [];
      return [here.filter((p) => owner && controllerOf(p)?.uid === owner).length, here.length];
    };
    let best: Node[] = [];
    let bestScore: number[] | null = null;
    for (const n of candidates) {
      const s = score(n);
      const cmp = bestScore === null ? -1 : s[0] - bestScore[0] || s[1] - bestScore[1];
      if (cmp < 0) { best = [n]; bestScore = s; } else if (cmp === 0) best.push(n);
    }
    const chosen = best[rng.int(best.length)];
    pod.spec!.nodeName = chosen.metadata.name;
    (perNode.get(chosen.metadata.name) ?? perNode.set(chosen.metadata.name, []).get(chosen.metadata.name)!).push(pod);
    changed = true;
  }
  return changed;
}
