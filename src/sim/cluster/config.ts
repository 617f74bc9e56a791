// Cluster-wide settings: what kubeadm's ClusterConfiguration, the kube-apiserver flags and
// kube-proxy's KubeProxyConfiguration decide. Defaults describe the built-in example cluster
// (a kubeadm cluster with flannel); YAML config objects override them field by field.

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';

export interface KubeProxySettings {
  mode: ProxyMode;
  /** Which kube-proxy release writes the rules (decides the iptables layout), e.g. "1.31". */
  version: string;
  /** clusterCIDR: pod traffic from outside it is masqueraded. From KubeProxyConfiguration or kubeadm's podSubnet. */
  clusterCIDR: string;
  masqueradeAll: boolean;
  masqueradeBit: number;
  ipvsScheduler: string;
  ipvsStrictARP: boolean;
  nodePortAddresses: string[];
  localhostNodePorts: boolean;
  /** Minimum seconds between syncs etc. are not simulated; kept for `kubectl get cm kube-proxy -o yaml`. */
}

export interface AddressPool {
  name: string;
  namespace: string;
  addresses: string[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  /** Which kind of MetalLB configuration declared it. */
  source: 'IPAddressPool' | 'ConfigMap';
}

export interface ClusterConfig {
  clusterName: string;
  kubernetesVersion: string; // "v1.31.4"
  serviceSubnet: string;
  podSubnet: string;
  /** Per-node pod CIDR mask size (kube-controller-manager --node-cidr-mask-size). */
  nodeCidrMaskSize: number;
  dnsDomain: string;
  dnsServiceIP: string;
  nodePortRange: [number, number];
  apiServerPort: number;
  kubeProxy: KubeProxySettings;
  addressPools: AddressPool[];
}

export const DEFAULT_KUBE_PROXY_VERSION = '1.31';

export function defaultClusterConfig(): ClusterConfig {
  return {
    clusterName: 'kubernetes',
    kubernetesVersion: 'v1.31.4',
    serviceSubnet: '10.96.0.0/12',
    podSubnet: '10.244.0.0/16',
    nodeCidrMaskSize: 24,
    dnsDomain: 'cluster.local',
    dnsServiceIP: '10.96.0.10',
    nodePortRange: [30000, 32767],
    apiServerPort: 6443,
    kubeProxy: {
      mode: 'iptables',
      version: DEFAULT_KUBE_PROXY_VERSION,
      clusterCIDR: '10.244.0.0/16',
      masqueradeAll: false,
      masqueradeBit: 14,
      ipvsScheduler: 'rr',
      ipvsStrictARP: false,
      nodePortAddresses: [],
      localhostNodePorts: true,
    },
    addressPools: [],
  };
}
