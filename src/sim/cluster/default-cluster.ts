// The built-in cluster: what `kubeadm init` + three `kubeadm join`s + flannel leave behind.
// Nodes master/node1/node2/node3 on 192.168.122.0/24 (libvirt's default network, as in the
// course labs), podCIDRs 10.244.N.0/24, Services 10.96.0.0/12, DNS cluster.local.
// Everything here is ordinary YAML-shaped objects that go through the same API server and
// controllers as the learner's own; objects the learner writes with the same identity win.
import type { ClusterConfig } from './config';
import type { KubeObject } from '../api/objects';
import { parseCidr, nthIP } from '../api/ipnet';

export const DEFAULT_NODES = [
  { name: 'master', ip: '192.168.122.10', controlPlane: true },
  { name: 'node1', ip: '192.168.122.11', controlPlane: false },
  { name: 'node2', ip: '192.168.122.12', controlPlane: false },
  { name: 'node3', ip: '192.168.122.13', controlPlane: false },
];

export const DEFAULT_NODE_INFO = {
  osImage: 'Ubuntu 22.04.4 LTS',
  kernelVersion: '5.15.0-112-generic',
  containerRuntimeVersion: 'containerd://1.7.12',
  operatingSystem: 'linux',
  architecture: 'amd64',
};

/** The control plane came up ten days before "now"; objects below carry that age. */
export const CLUSTER_AGE_MS = 10 * 24 * 3600 * 1000;

const CONTROL_PLANE_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
];

export function nodeObject(name: string, ip: string, podCIDR: string, controlPlane: boolean, config: ClusterConfig, created: string): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
  };
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels, creationTimestamp: created, annotations: { 'flannel.alpha.coreos.com/public-ip': ip, 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: { podCIDR, podCIDRs: [podCIDR], ...(controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}) },
    status: {
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { ...DEFAULT_NODE_INFO, kubeletVersion: config.kubernetesVersion, kubeProxyVersion: config.kubernetesVersion },
    },
  };
}

/** Pod CIDR number `index` carved out of the cluster's pod subnet, as kube-controller-manager does. */
export function podCIDRFor(config: ClusterConfig, index: number): string {
  const sub = parseCidr(config.podSubnet)!;
  const mask = config.nodeCidrMaskSize;
  const size = 2 ** (32 - mask);
  return `${nthIP(sub, index * size)}/${mask}`;
}

export const DEFAULT_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

function kubeProxyConfigConf(config: ClusterConfig): string {
  const kp = config.kubeProxy;
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clusterCIDR: ${kp.clusterCIDR}
iptables:
  masqueradeAll: ${kp.masqueradeAll}
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  scheduler: ""
  strictARP: ${kp.ipvsStrictARP}
kind: KubeProxyConfiguration
mode: "${kp.mode === 'iptables' ? '' : kp.mode}"
nodePortAddresses: null
`;
}

/** Objects of the built-in cluster, in the order a real cluster created them. `kubeadm init`
 * brings up the control plane (so CoreDNS lands there, before any worker exists); the
 * worker Nodes are returned separately because they join afterwards. */
export function defaultClusterObjects(config: ClusterConfig, created: string, nodes: { name: string; ip: string; controlPlane: boolean }[], withNodes: boolean): { controlPlane: KubeObject[]; workers: KubeObject[] } {
  const objs: KubeObject[] = [];
  const workers: KubeObject[] = [];
  const svcNet = parseCidr(config.serviceSubnet)!;
  const master = nodes.find((n) => n.controlPlane) ?? nodes[0];
  const apiServers = nodes.filter((n) => n.controlPlane).length ? nodes.filter((n) => n.controlPlane) : [master];
  const version = config.kubernetesVersion;
  const labels = (extra: Record<string, string>) => extra;

  if (withNodes) {
    nodes.forEach((n, i) => (n === nodes[0] ? objs : workers).push(nodeObject(n.name, n.ip, podCIDRFor(config, i), n.controlPlane, config, created)));
  }

  objs.push({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: created, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: nthIP(svcNet, 1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: config.apiServerPort }], type: 'ClusterIP', sessionAffinity: 'None' },
  });
  objs.push({
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: created, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: apiServers.map((n) => ({ ip: n.ip })).sort((a, b) => (a.ip < b.ip ? -1 : 1)), ports: [{ name: 'https', port: config.apiServerPort, protocol: 'TCP' }] }],
  });
  objs.push({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: created, labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: apiServers.map((n) => ({ addresses: [n.ip], conditions: { ready: true } })),
    ports: [{ name: 'https', port: config.apiServerPort, protocol: 'TCP' }],
  });
  objs.push({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', creationTimestamp: created,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
    spec: {
      clusterIP: config.dnsServiceIP, selector: { 'k8s-app': 'kube-dns' }, type: 'ClusterIP',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
  objs.push({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system', creationTimestamp: created },
    data: { Corefile: DEFAULT_COREFILE },
  });
  objs.push({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', creationTimestamp: created, labels: { app: 'kube-proxy' } },
    data: { 'config.conf': kubeProxyConfigConf(config), 'kubeconfig.conf': 'apiVersion: v1\nkind: Config\n' },
  });
  objs.push({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system', creationTimestamp: created },
    data: { ClusterConfiguration: `apiVersion: kubeadm.k8s.io/v1beta4\nclusterName: ${config.clusterName}\nkind: ClusterConfiguration\nkubernetesVersion: ${version}\nnetworking:\n  dnsDomain: ${config.dnsDomain}\n  podSubnet: ${config.podSubnet}\n  serviceSubnet: ${config.serviceSubnet}\n` },
  });

  const dnsContainer = {
    name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3', args: ['-conf', '/etc/coredns/Corefile'],
    ports: [
      { containerPort: 53, name: 'dns', protocol: 'UDP' },
      { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
      { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
    ],
    readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
    resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
  };
  const dnsTemplate = {
    metadata: { labels: labels({ 'k8s-app': 'kube-dns' }) },
    spec: { containers: [dnsContainer], dnsPolicy: 'Default', priorityClassName: 'system-cluster-critical', serviceAccountName: 'coredns',
      nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: CONTROL_PLANE_TOLERATIONS },
  };
  objs.push({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', creationTimestamp: created, labels: { 'k8s-app': 'kube-dns' } },
    spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } }, template: dnsTemplate },
  });
  const hostNetworkDaemon = (ns: string, name: string, appLabel: Record<string, string>, image: string, container: string): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name, namespace: ns, creationTimestamp: created, labels: appLabel },
    spec: {
      selector: { matchLabels: appLabel },
      template: { metadata: { labels: appLabel }, spec: {
        hostNetwork: true, priorityClassName: 'system-node-critical', nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ operator: 'Exists' }], containers: [{ name: container, image }],
      } },
    },
  });
  objs.push(hostNetworkDaemon('kube-system', 'kube-proxy', { 'k8s-app': 'kube-proxy' }, `registry.k8s.io/kube-proxy:${version}`, 'kube-proxy'));
  objs.push(hostNetworkDaemon('kube-flannel', 'kube-flannel-ds', { app: 'flannel', 'k8s-app': 'flannel' }, 'docker.io/flannel/flannel:v0.25.5', 'kube-flannel'));

  for (const [component, image] of [
    ['etcd', 'registry.k8s.io/etcd:3.5.15-0'],
    ['kube-apiserver', `registry.k8s.io/kube-apiserver:${version}`],
    ['kube-controller-manager', `registry.k8s.io/kube-controller-manager:${version}`],
    ['kube-scheduler', `registry.k8s.io/kube-scheduler:${version}`],
  ] as const) {
    objs.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `${component}-${master.name}`, namespace: 'kube-system', creationTimestamp: created,
        labels: { component, tier: 'control-plane' }, annotations: { 'kubernetes.io/config.source': 'file' } },
      spec: { hostNetwork: true, nodeName: master.name, priorityClassName: 'system-node-critical', containers: [{ name: component, image }] },
    });
  }
  return { controlPlane: objs, workers };
}

export const SYSTEM_NAMESPACES = ['default', 'kube-flannel', 'kube-node-lease', 'kube-public', 'kube-system'];
