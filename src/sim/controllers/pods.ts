// Pod helpers shared by the workload controllers, the kubelet and the endpoint controllers.
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
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

// Pods of one controller share these read-only parts (nothing mutates them in place; a patch
// works on a deep copy), which keeps a 20,000-pod cluster light on memory and GC.
const defaultedSpecs = new WeakMap<object, PodSpec>();
const labelSets = new WeakMap<object, Record<string, string>>();
const ownerRefSets = new WeakMap<object, OwnerReference[]>();

function sharedLabels(template: PodTemplateSpec, extra: Record<string, string>): Record<string, string> {
  if (Object.keys(extra).length > 0) return { ...(template.metadata?.labels ?? {}), ...extra };
  let l = labelSets.get(template);
  if (!l) { l = { ...(template.metadata?.labels ?? {}) }; labelSets.set(template, l); }
  return l;
}

function sharedOwnerRefs(owner: KubeObject): OwnerReference[] {
  let r = ownerRefSets.get(owner.metadata);
  if (!r) { r = [ownerRef(owner)]; ownerRefSets.set(owner.metadata, r); }
  return r;
}

/** The spec every pod of a template starts from (defaulted once; templates never change in place). */
function podSpecOf(template: PodTemplateSpec): PodSpec {
  let spec = defaultedSpecs.get(template);
  if (!spec) {
    // Templates were defaulted at admission; the pod adds only top-level fields, so a shallow copy will do.
    spec = { ...(template.spec ?? { containers: [] }) } as PodSpec;
    defaultPodSpec(spec);
    spec.enableServiceLinks ??= true;
    addAdmissionDefaults(spec);
    defaultedSpecs.set(template, spec);
  }
  return spec;
}

/** A new Pod from a controller's template, as the API server stores it after creation. Pods of
 * one template share the nested parts of their spec; only top-level fields are ever set per pod. */
export function podFromTemplate(ctx: ControllerContext, template: PodTemplateSpec, owner: KubeObject, name: string, extraLabels: Record<string, string> = {}): Pod {
  const ns = owner.metadata.namespace ?? 'default';
  const spec = { ...podSpecOf(template) };
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: ns,
      labels: sharedLabels(template, extraLabels),
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: sharedOwnerRefs(owner),
      uid: uidFor(ctx.seed, `Pod/${ns}/${name}/${ctx.store.bump('pod-uid')}`),
      creationTimestamp: ctx.clock.iso(),
      resourceVersion: ctx.store.nextResourceVersion(),
    },
    spec,
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  return pod;
}
