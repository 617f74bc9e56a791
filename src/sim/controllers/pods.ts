// Pod helpers shared by the workload controllers, the kubelet and the endpoint controllers.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject, Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { addAdmissionDefaults, defaultPodSpec } from '../api/workloads/defaults';
import { uidFor } from '../api/uid';

export function isPodReady(p: Pod): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Counted by controllers: not being deleted, not finished. */
export function isActive(p: Pod): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

export function ownerRef(owner: KubeObject, controller = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!,
    controller, blockOwnerDeletion: true,
  };
}

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return ((o.metadata.ownerReferences ?? []) as OwnerReference[]).find((r) => r.controller);
}

export function isOwnedBy(o: KubeObject, owner: KubeObject): boolean {
  const ref = controllerOf(o);
  return !!ref && ref.kind === owner.kind && (ref.uid === owner.metadata.uid || ref.name === owner.metadata.name);
}

/** A new Pod from a controller's template, as the API server stores it after creation. */
export function podFromTemplate(ctx: ControllerContext, template: PodTemplateSpec, owner: KubeObject, name: string, extraLabels: Record<string, string> = {}): Pod {
  const ns = owner.metadata.namespace ?? 'default';
  const spec = structuredClone(template.spec ?? { containers: [] });
  defaultPodSpec(spec);
  spec.enableServiceLinks ??= true;
  addAdmissionDefaults(spec);
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: ns,
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerRef(owner)],
      uid: uidFor(ctx.seed, `Pod/${ns}/${name}/${ctx.store.bump('pod-uid')}`),
      creationTimestamp: ctx.clock.iso(),
      resourceVersion: ctx.store.nextResourceVersion(),
    },
    spec,
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  return pod;
}
