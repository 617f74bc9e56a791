// ClusterSnapshot: the whole simulated cluster at one moment, as plain immutable data.
// Everything downstream (kube-proxy rule generation, DNS, the shell's printers, the UI)
// reads only this. Lists are sorted as the API server lists them: by namespace, then name.
import type { Diagnostic, SourcePos } from './diag';
import type { ClusterConfig } from './cluster/config';
import type {
  ConfigMap, DaemonSet, Deployment, EndpointSlice, Endpoints, KubeObject, Namespace, Node, Pod,
  ReplicaSet, Service, StatefulSet,
} from './api/objects';

/** Why a Service reaches fewer pods than the learner probably expects. */
export interface ServiceInsight {
  namespace: string;
  service: string;
  severity: 'warning' | 'info';
  code: string;
  message: { en: string; zh: string };
  hint?: { en: string; zh: string };
}

export interface ClusterSnapshot {
  config: ClusterConfig;
  /** The simulated clock, ISO 8601; AGE columns are computed against it. */
  now: string;
  seed: number;
  namespaces: Namespace[];
  nodes: Node[];
  pods: Pod[];
  services: Service[];
  endpoints: Endpoints[];
  endpointSlices: EndpointSlice[];
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  statefulSets: StatefulSet[];
  daemonSets: DaemonSet[];
  configMaps: ConfigMap[];
  /** Objects of other kinds the API accepted (MetalLB pools, ...), kept as written. */
  others: KubeObject[];
  /** Where each user-written object came from, by `Kind/namespace/name`. */
  sources: Record<string, SourcePos>;
  /** Load/admission problems and teaching warnings. */
  diagnostics: Diagnostic[];
  /** Per-Service explanations (selector matches nothing, targetPort not exposed, ...). */
  insights: ServiceInsight[];
}
