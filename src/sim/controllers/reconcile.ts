// Runs the controllers until the cluster settles: workloads → pods → scheduling → kubelets
// → load-balancer addresses → endpoints. Each pass only reacts to what the previous
// one changed, so a few passes always suffice; the bound guards against a bug looping.
import type { Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { runDeployments } from './deployment';
import { runReplicaSets } from './replicaset';
import { runStatefulSets } from './statefulset';
import { runDaemonSets } from './daemonset';
import { runScheduler } from './scheduler';
import { runKubelets } from './kubelet';
import { runMetalLB, type LoadBalancerProblem } from './metallb';
import { runEndpoints } from './endpoints';
import { runEndpointSlices } from './endpointslices';

export interface ReconcileResult {
  lbProblems: LoadBalancerProblem[];
  passes: number;
}

export function reconcile(ctx: ControllerContext): ReconcileResult {
  let passes = 0;
  let changed = true;
  while (changed && passes < 8) {
    passes++;
    changed = false;
    changed = runDeployments(ctx) || changed;
    changed = runReplicaSets(ctx) || changed;
    changed = runStatefulSets(ctx) || changed;
    changed = runDaemonSets(ctx) || changed;
    changed = runScheduler(ctx) || changed;
    changed = runKubelets(ctx) || changed;
  }
  // Workload status depends on pod readiness, settled above; one more pass updates it.
  runReplicaSets(ctx);
  runDeployments(ctx);
  runStatefulSets(ctx);
  runDaemonSets(ctx);
  const lbProblems: LoadBalancerProblem[] = [];
  runMetalLB(ctx, lbProblems);
  const podsByNs = new Map<string, Pod[]>();
  for (const p of ctx.store.list<Pod>('Pod')) {
    const ns = p.metadata.namespace!;
    (podsByNs.get(ns) ?? podsByNs.set(ns, []).get(ns)!).push(p);
  }
  runEndpoints(ctx, podsByNs);
  runEndpointSlices(ctx, podsByNs);
  return { lbProblems, passes };
}
