// Runs the controllers until the cluster settles: workloads → pods → scheduling → kubelets,
// repeated while any of them changes the cluster's structure (objects created, deleted,
// placed, addressed); then the workload statuses, load-balancer addresses and endpoints,
// which nothing upstream depends on, are computed once.
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
import { PodLabelIndex } from './indexes';

export interface ReconcileResult {
  lbProblems: LoadBalancerProblem[];
  passes: number;
}

export function reconcile(ctx: ControllerContext): ReconcileResult {
  let passes = 0;
  let changed = true;
  // The bound only guards against a controller bug making the loop spin.
  while (changed && passes < 8) {
    passes++;
    changed = false;
    changed = runDeployments(ctx, false) || changed;
    changed = runReplicaSets(ctx, false) || changed;
    changed = runStatefulSets(ctx, false) || changed;
    changed = runDaemonSets(ctx, false) || changed;
    changed = runScheduler(ctx) || changed;
    changed = runKubelets(ctx) || changed;
  }
  // Statuses, bottom-up: ReplicaSets report their pods, Deployments their ReplicaSets.
  runReplicaSets(ctx, true);
  runDeployments(ctx, true);
  runStatefulSets(ctx, true);
  runDaemonSets(ctx, true);
  const lbProblems: LoadBalancerProblem[] = [];
  runMetalLB(ctx, lbProblems);
  const pods = new PodLabelIndex(ctx.store.list<Pod>('Pod'));
  runEndpoints(ctx, pods);
  runEndpointSlices(ctx, pods);
  return { lbProblems, passes };
}
