// The Kubernetes objects the simulator keeps, as the API server would store them (plain
// JSON-shaped data, structured-cloneable). Types come from `kubernetes-types`; after
// admission every object has name, namespace (if namespaced), uid, creationTimestamp and
// resourceVersion set, which the helpers below rely on.
import type { ObjectMeta, LabelSelector } from 'kubernetes-types/meta/v1';
import type {
  Pod as K8sPod, Service as K8sService, Endpoints as K8sEndpoints, Node as K8sNode,
  Namespace as K8sNamespace, ConfigMap as K8sConfigMap,
} from 'kubernetes-types/core/v1';
import type {
  Deployment as K8sDeployment, ReplicaSet as K8sReplicaSet, StatefulSet as K8sStatefulSet,
  DaemonSet as K8sDaemonSet,
} from 'kubernetes-types/apps/v1';
import type { EndpointSlice as K8sEndpointSlice } from 'kubernetes-types/discovery/v1';

/** kubernetes-types marks every field readonly; the simulator's own stored copies are mutable. */
export type DeepMutable<T> = T extends (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

export type Meta = DeepMutable<ObjectMeta> & { name: string };

type Stored<T> = DeepMutable<Omit<T, 'metadata' | 'apiVersion' | 'kind'>> & { apiVersion: string; kind: string; metadata: Meta };

export type Pod = Stored<K8sPod>;
export type Service = Stored<K8sService>;
export type Endpoints = Stored<K8sEndpoints>;
export type EndpointSlice = Stored<K8sEndpointSlice>;
export type Node = Stored<K8sNode>;
export type Namespace = Stored<K8sNamespace>;
export type ConfigMap = Stored<K8sConfigMap>;
export type Deployment = Stored<K8sDeployment>;
export type ReplicaSet = Stored<K8sReplicaSet>;
export type StatefulSet = Stored<K8sStatefulSet>;
export type DaemonSet = Stored<K8sDaemonSet>;
export type { LabelSelector };

/** Any object the simulator stores, including kinds it only keeps (MetalLB pools, config kinds). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  [field: string]: unknown;
}

export interface KindInfo {
  kind: string;
  apiVersion: string; // preferred group/version
  namespaced: boolean;
  /** kubectl resource name (plural) and group, for `kind.group/name` output. */
  resource: string;
  group: string;
  shortNames: string[];
  singular: string;
}

/** Kinds the API server of the simulated cluster serves. Order = `kubectl api-resources`-like. */
export const KINDS: readonly KindInfo[] = [
  { kind: 'Namespace', apiVersion: 'v1', namespaced: false, resource: 'namespaces', group: '', shortNames: ['ns'], singular: 'namespace' },
  { kind: 'Node', apiVersion: 'v1', namespaced: false, resource: 'nodes', group: '', shortNames: ['no'], singular: 'node' },
  { kind: 'Pod', apiVersion: 'v1', namespaced: true, resource: 'pods', group: '', shortNames: ['po'], singular: 'pod' },
  { kind: 'Service', apiVersion: 'v1', namespaced: true, resource: 'services', group: '', shortNames: ['svc'], singular: 'service' },
  { kind: 'Endpoints', apiVersion: 'v1', namespaced: true, resource: 'endpoints', group: '', shortNames: ['ep'], singular: 'endpoints' },
  { kind: 'ConfigMap', apiVersion: 'v1', namespaced: true, resource: 'configmaps', group: '', shortNames: ['cm'], singular: 'configmap' },
  { kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true, resource: 'deployments', group: 'apps', shortNames: ['deploy'], singular: 'deployment' },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', namespaced: true, resource: 'replicasets', group: 'apps', shortNames: ['rs'], singular: 'replicaset' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', namespaced: true, resource: 'statefulsets', group: 'apps', shortNames: ['sts'], singular: 'statefulset' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true, resource: 'daemonsets', group: 'apps', shortNames: ['ds'], singular: 'daemonset' },
  { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', namespaced: true, resource: 'endpointslices', group: 'discovery.k8s.io', shortNames: [], singular: 'endpointslice' },
  { kind: 'IPAddressPool', apiVersion: 'metallb.io/v1beta1', namespaced: true, resource: 'ipaddresspools', group: 'metallb.io', shortNames: [], singular: 'ipaddresspool' },
  { kind: 'L2Advertisement', apiVersion: 'metallb.io/v1beta1', namespaced: true, resource: 'l2advertisements', group: 'metallb.io', shortNames: [], singular: 'l2advertisement' },
];

export const KIND_BY_NAME: ReadonlyMap<string, KindInfo> = new Map(KINDS.map((k) => [k.kind, k]));

/** Config-file kinds that are not API objects but tune the simulated cluster. */
export const CONFIG_KINDS = new Set(['KubeProxyConfiguration', 'ClusterConfiguration', 'InitConfiguration', 'KubeletConfiguration', 'JoinConfiguration']);

export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function keyOf(o: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return objectKey(o.kind, o.metadata.namespace, o.metadata.name);
}

/** `Service default/my-service`, `Node node1`: how diagnostics name an object. */
export function describeRef(o: { kind: string; metadata: { namespace?: string; name?: string } }): string {
  const n = o.metadata.name ?? '<unnamed>';
  return o.metadata.namespace ? `${o.kind} ${o.metadata.namespace}/${n}` : `${o.kind} ${n}`;
}

export function ns(o: { metadata: { namespace?: string } }): string {
  return o.metadata.namespace ?? '';
}
