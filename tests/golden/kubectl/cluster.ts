// A small hand-built ClusterSnapshot for the kubectl printer tests: a kubeadm cluster with a
// control plane and two workers, a `web` Deployment behind several kinds of Service, and the
// objects the controllers would have written for them. Times are relative to NOW.
import type {
  ConfigMap, DaemonSet, Deployment, EndpointSlice, Endpoints, KubeObject, Namespace, Node, Pod, ReplicaSet, Service, StatefulSet,
} from '../../../src/sim/api/objects';
import { defaultClusterConfig } from '../../../src/sim/cluster/config';
import type { ClusterSnapshot, ServiceInsight } from '../../../src/sim/snapshot';
import type { ClusterApi, ShellContext } from '../../../src/sim/shell/types';

export const NOW = '2024-06-01T12:00:00Z';

/** An ISO time `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(Date.parse(NOW) - seconds * 1000).toISOString().replace('.000Z', 'Z');
}
const DAY = 86400;

function meta(name: string, namespace: string | undefined, created: string, labels?: Record<string, string>, extra: Record<string, unknown> = {}) {
  return { name, ...(namespace !== undefined ? { namespace } : {}), uid: `uid-${namespace ?? ''}-${name}`, resourceVersion: '1', creationTimestamp: created, ...(labels ? { labels } : {}), ...extra };
}

function ns(name: string, created: string, labels: Record<string, string> = {}): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined, created, { 'kubernetes.io/metadata.name': name, ...labels }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function node(name: string, ip: string, ready: boolean, labels: Record<string, string>): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: meta(name, undefined, ago(10 * DAY), { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels }),
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: ready ? 'True' : 'Unknown' },
      ],
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      nodeInfo: {
        kubeletVersion: 'v1.31.4', osImage: 'Ubuntu 22.04.4 LTS', kernelVersion: '5.15.0-107-generic', containerRuntimeVersion: 'containerd://1.7.13',
        architecture: 'amd64', bootID: '', kubeProxyVersion: 'v1.31.4', machineID: '', operatingSystem: 'linux', systemUUID: '',
      },
    },
  };
}

function webPod(suffix: string, nodeName: string, ip: string, ready: boolean): Pod {
  const name = `web-7d4b9c8f6d-${suffix}`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta(name, 'default', ago(2 * 3600), { app: 'web', 'pod-template-hash': '7d4b9c8f6d' }, {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: 'rs', controller: true, blockOwnerDeletion: true }],
    }),
    spec: {
      nodeName,
      serviceAccountName: 'default',
      priority: 0,
      containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: nodeName === 'worker1' ? '192.168.56.11' : '192.168.56.12',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: ago(2 * 3600),
      qosClass: 'BestEffort',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [{
        name: 'nginx', image: 'docker.io/library/nginx:1.25', imageID: 'docker.io/library/nginx@sha256:abc', containerID: `containerd://${suffix}`,
        ready, restartCount: 0, started: true, state: { running: { startedAt: ago(2 * 3600 - 5) } },
      }],
    },
  };
}

function svc(name: string, namespace: string, spec: NonNullable<Service['spec']>, status: Service['status'] = { loadBalancer: {} }, labels?: Record<string, string>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace, ago(90 * 60), labels), spec, status };
}

const single = { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' };

export const services: Service[] = [
  { ...svc('kubernetes', 'default', { ...single, type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }, { loadBalancer: {} }, { component: 'apiserver', provider: 'kubernetes' }), metadata: meta('kubernetes', 'default', ago(10 * DAY), { component: 'apiserver', provider: 'kubernetes' }) },
  svc('web', 'default', { ...single, type: 'ClusterIP', clusterIP: '10.96.120.15', clusterIPs: ['10.96.120.15'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] }),
  svc('web-headless', 'default', { ...single, type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }),
  svc('web-lb', 'default', { ...single, type: 'LoadBalancer', clusterIP: '10.104.7.201', clusterIPs: ['10.104.7.201'], selector: { app: 'web' }, externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 31380 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 443, nodePort: 31443 }] },
    { loadBalancer: { ingress: [{ ip: '192.168.56.240', ipMode: 'VIP' }] } }),
  svc('web-np', 'default', { ...single, type: 'NodePort', clusterIP: '10.110.33.4', clusterIPs: ['10.110.33.4'], selector: { app: 'web', tier: 'front' }, externalTrafficPolicy: 'Cluster', ports: [{ port: 8080, protocol: 'TCP', targetPort: 80, nodePort: 30080 }] }),
  svc('web-pending', 'default', { ...single, type: 'LoadBalancer', clusterIP: '10.99.1.2', clusterIPs: ['10.99.1.2'], selector: { app: 'nothing' }, externalTrafficPolicy: 'Local', healthCheckNodePort: 32001, ports: [{ port: 80, protocol: 'UDP', targetPort: 80, nodePort: 31000 }] }),
  { apiVersion: 'v1', kind: 'Service', metadata: meta('db', 'web', ago(3 * 3600)), spec: { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' }, status: { loadBalancer: {} } },
];

export const pods: Pod[] = [
  webPod('2xkqp', 'worker1', '10.244.1.5', true),
  webPod('9rfzm', 'worker2', '10.244.2.7', true),
  { ...webPod('k8s4t', 'worker2', '10.244.2.8', false), metadata: { ...webPod('k8s4t', 'worker2', '10.244.2.8', false).metadata, labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d', track: 'canary' } } },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta('coredns-7c65d6cfc9-x7k2p', 'kube-system', ago(10 * DAY), { 'k8s-app': 'kube-dns' }),
    spec: { nodeName: 'cp1', containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3' }] },
    status: {
      phase: 'Running', podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'coredns', image: '', imageID: '', ready: true, restartCount: 2, state: { running: { startedAt: ago(3 * DAY) } }, lastState: { terminated: { exitCode: 255, reason: 'Unknown', finishedAt: ago(3 * DAY + 60) } } }],
    },
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta('pending-6f9', 'default', ago(45)),
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta('crash-1', 'default', ago(600)),
    spec: { nodeName: 'worker1', containers: [{ name: 'app', image: 'busybox' }, { name: 'side', image: 'busybox' }] },
    status: {
      phase: 'Running', podIP: '10.244.1.9', podIPs: [{ ip: '10.244.1.9' }],
      containerStatuses: [
        { name: 'app', image: '', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(75) } } },
        { name: 'side', image: '', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: ago(590) } } },
      ],
    },
  },
];

function addr(ip: string, nodeName: string, pod: string) {
  return { ip, nodeName, targetRef: { kind: 'Pod', namespace: 'default', name: pod, uid: '' } };
}

export const endpoints: Endpoints[] = [
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('kubernetes', 'default', ago(10 * DAY), { 'endpointslice.kubernetes.io/skip-mirror': 'true' }), subsets: [{ addresses: [{ ip: '192.168.56.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web', 'default', ago(90 * 60), { app: 'web' }), subsets: [{ addresses: [addr('10.244.1.5', 'worker1', 'web-7d4b9c8f6d-2xkqp'), addr('10.244.2.7', 'worker2', 'web-7d4b9c8f6d-9rfzm')], notReadyAddresses: [addr('10.244.2.8', 'worker2', 'web-7d4b9c8f6d-k8s4t')], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }] },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web-headless', 'default', ago(90 * 60), { 'service.kubernetes.io/headless': '' }), subsets: [{ addresses: [addr('10.244.1.5', 'worker1', 'a'), addr('10.244.2.7', 'worker2', 'b')], ports: [{ port: 80, protocol: 'TCP' }] }] },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web-lb', 'default', ago(90 * 60)), subsets: [{ addresses: [addr('10.244.1.5', 'worker1', 'a'), addr('10.244.2.7', 'worker2', 'b')], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }] }] },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web-np', 'default', ago(90 * 60)) },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web-pending', 'default', ago(90 * 60)) },
];

function slice(name: string, service: string, ports: EndpointSlice['ports'], eps: Array<[string, boolean, string]>, created = ago(90 * 60)): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: meta(name, 'default', created, { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': service }),
    addressType: 'IPv4',
    ports,
    endpoints: eps.map(([ip, ready, nodeName]) => ({ addresses: [ip], conditions: { ready, serving: ready, terminating: false }, nodeName, targetRef: { kind: 'Pod', namespace: 'default', name: `pod-${ip}` } })),
  };
}

export const endpointSlices: EndpointSlice[] = [
  { ...slice('kubernetes', 'kubernetes', [{ name: 'https', port: 6443, protocol: 'TCP' }], [], ago(10 * DAY)), endpoints: [{ addresses: ['192.168.56.10'], conditions: { ready: true } }] },
  slice('web-4h2kd', 'web', [{ name: 'http', port: 80, protocol: 'TCP' }], [['10.244.1.5', true, 'worker1'], ['10.244.2.7', true, 'worker2'], ['10.244.2.8', false, 'worker2']]),
  slice('web-headless-q8v2s', 'web-headless', [{ name: '', port: 80, protocol: 'TCP' }], [['10.244.1.5', true, 'worker1'], ['10.244.2.7', true, 'worker2']]),
  slice('web-lb-bbm6z', 'web-lb', [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }], [['10.244.1.5', true, 'worker1'], ['10.244.2.7', true, 'worker2']]),
  slice('web-np-tq7rx', 'web-np', [], []),
  slice('web-pending-zz9xw', 'web-pending', [], []),
];

const podTemplate = (labels: Record<string, string>, containers: Array<{ name: string; image: string }>) => ({ metadata: { labels }, spec: { containers } });

export const deployments: Deployment[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web', 'default', ago(2 * 3600), { app: 'web' }),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }, [{ name: 'nginx', image: 'nginx:1.25' }]) },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
  },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('coredns', 'kube-system', ago(10 * DAY), { 'k8s-app': 'kube-dns' }),
    spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: podTemplate({ 'k8s-app': 'kube-dns' }, [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3' }]) },
    status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
  },
];

export const replicaSets: ReplicaSet[] = [
  {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-7d4b9c8f6d', 'default', ago(2 * 3600), { app: 'web', 'pod-template-hash': '7d4b9c8f6d' }),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' } }, template: podTemplate({ app: 'web' }, [{ name: 'nginx', image: 'nginx:1.25' }]) },
    status: { replicas: 3, readyReplicas: 2, availableReplicas: 2 },
  },
];

export const statefulSets: StatefulSet[] = [
  {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db', 'web', ago(3 * 3600)),
    spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: podTemplate({ app: 'db' }, [{ name: 'postgres', image: 'postgres:16' }, { name: 'exporter', image: 'prom/postgres-exporter' }]) },
    status: { replicas: 2, readyReplicas: 1 },
  },
];

export const daemonSets: DaemonSet[] = [
  {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('kube-proxy', 'kube-system', ago(10 * DAY), { 'k8s-app': 'kube-proxy' }),
    spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } }, template: { metadata: { labels: { 'k8s-app': 'kube-proxy' } }, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.31.4' }] } } },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 },
  },
];

export const configMaps: ConfigMap[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-root-ca.crt', 'default', ago(10 * DAY)), data: { 'ca.crt': '...' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-proxy', 'kube-system', ago(10 * DAY), { app: 'kube-proxy' }), data: { 'config.conf': '', kubeconfig: '' } },
];

export const insights: ServiceInsight[] = [
  {
    namespace: 'default', service: 'web-pending', severity: 'warning', code: 'service.selector-matches-nothing',
    message: { en: 'selector app=nothing matches no pod in namespace default', zh: '选择器 app=nothing 在命名空间 default 中没有匹配任何 Pod' },
    hint: { en: 'compare the selector with the pod labels (kubectl get pods --show-labels)', zh: '对比选择器和 Pod 标签' },
  },
];

export function snapshot(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    config: defaultClusterConfig(),
    now: NOW,
    seed: 1,
    namespaces: [ns('default', ago(10 * DAY)), ns('kube-system', ago(10 * DAY)), ns('web', ago(3 * 3600))],
    nodes: [
      node('cp1', '192.168.56.10', true, { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }),
      node('worker1', '192.168.56.11', true, {}),
      { ...node('worker2', '192.168.56.12', false, { 'kubernetes.io/role': 'worker' }), spec: { unschedulable: true } },
    ],
    pods, services, endpoints, endpointSlices, deployments, replicaSets, statefulSets, daemonSets, configMaps,
    others: [] as KubeObject[],
    sources: {},
    diagnostics: [],
    insights: [],
    ...overrides,
  };
}

/** A ShellContext on a node whose API only serves reads. */
export function shell(snap: ClusterSnapshot = snapshot(), where: ShellContext['where'] = { kind: 'node', node: 'cp1' }): ShellContext {
  const refuse = () => ({ ok: false, error: 'read-only test cluster' });
  const api: ClusterApi = { snapshot: () => snap, create: refuse, patch: refuse, scale: refuse, delete: refuse, netfilter: () => undefined };
  return { api, where };
}

/** Lines joined with newlines, plus the final newline kubectl always ends with. */
export function lines(...ls: string[]): string {
  return ls.map((l) => l + '\n').join('');
}
