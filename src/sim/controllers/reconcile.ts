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
import { ServicePods } from './service-endpoints';

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
    // ReplicaSets write their status on every pass; the last pass changes nothing after them, so theirs is final.
    changed = runReplicaSets(ctx, true) || changed;
    changed = runStatefulSets(ctx, false) || changed;
    changed = runDaemonSets(ctx, false) || changed;
    changed = runScheduler(ctx) || changed;
    changed = runKubelets(ctx) || changed;
  }
  // Statuses, bottom-up: ReplicaSets report their pods (already done unless the loop hit its
  // bound), Deployments their ReplicaSets.
  if (changed) runReplicaSets(ctx, true);
  runDeployments(ctx, true);
  runStatefulSets(ctx, true);
  runDaemonSets(ctx, true);
  const lbProblems: LoadBalancerProblem[] = [];
  runMetalLB(ctx, lbProblems);
  const pods = new ServicePods(new PodLabelIndex(ctx.store.list<Pod>('Pod')));
  runEndpoints(ctx, pods);
  runEndpointSlices(ctx, pods);
  return { lbProblems, passes };
}
