// Pod helpers shared by the workload controllers, the kubelet and the endpoint controllers.
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject, Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { addAdmissionDefaults } from '../api/workloads/defaults';
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
// Copies that get more fields later are made with Object.assign, not `{ ...x }`: V8 gives
// an object cloned by spread a hidden class of its own once a field is added, so thousands
// of pods would each carry one (memory, and slow megamorphic property access everywhere).
const defaultedSpecs = new WeakMap<object, PodSpec>();
const labelSets = new WeakMap<object, Record<string, string>>();
const ownerRefSets = new WeakMap<object, OwnerReference[]>();

function sharedLabels(template: PodTemplateSpec, extra: Record<string, string>): Record<string, string> {
  if (Object.keys(extra).length > 0) return Object.assign({}, template.metadata?.labels, extra);
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
    // Every stored template was defaulted at admission (defaultPodSpec), and a Deployment's
    // ReplicaSets copy its template: the pod adds only top-level fields, so a shallow copy will do.
    spec = Object.assign({}, template.spec ?? { containers: [] }) as PodSpec;
    spec.enableServiceLinks ??= true;
    addAdmissionDefaults(spec);
    defaultedSpecs.set(template, spec);
  }
  return spec;
}

/** A new Pod from a controller's template, as the API server stores it after creation. Pods of
 * one template share the nested parts of their spec; only top-level fields are ever set per pod. */
export function podFromTemplate(ctx: ControllerContext, template: PodTemplateSpec, owner: KubeObject, name: string, extraLabels: Record<string, string> = {}): Pod {
  const namespace = owner.metadata.namespace ?? 'default';
  const spec = Object.assign({}, podSpecOf(template)); // the scheduler adds nodeName
  const labels = sharedLabels(template, extraLabels);
  const annotations = template.metadata?.annotations;
  const ownerReferences = sharedOwnerRefs(owner);
  const uid = uidFor(ctx.seed, 'Pod/', namespace, '/', name, '/', String(ctx.store.bump('pod-uid'))); // `Pod/<ns>/<name>/<n>`
  const creationTimestamp = ctx.clock.iso();
  const resourceVersion = ctx.store.nextResourceVersion();
  // Both shapes written out: spreading the optional annotations in would cost more than the rest.
  const metadata: Pod['metadata'] = annotations
    ? { name, namespace, labels, annotations: { ...annotations }, ownerReferences, uid, creationTimestamp, resourceVersion }
    : { name, namespace, labels, ownerReferences, uid, creationTimestamp, resourceVersion };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { phase: 'Pending', qosClass: 'BestEffort' } };
}
