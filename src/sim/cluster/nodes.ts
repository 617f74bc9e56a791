// Node objects written in the YAML get what their kubelet would have registered: an
// InternalIP, a podCIDR from the pod subnet (in order), Ready, and node info.
import type { KubeObject } from '../api/objects';
import type { ClusterConfig } from './config';
import { DEFAULT_NODE_INFO, podCIDRFor } from './default-cluster';

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export function completeNode(node: Obj, index: number, config: ClusterConfig): KubeObject {
  const n = structuredClone(node) as Obj;
  // A malformed Node is left as written: the API server's decoder reports it.
  if ((n.metadata !== undefined && !isObj(n.metadata)) || (n.spec !== undefined && n.spec !== null && !isObj(n.spec)) || (n.status !== undefined && n.status !== null && !isObj(n.status))) return n as KubeObject;
  if (n.spec === null) delete n.spec;
  if (n.status === null) delete n.status;
  if (n.metadata?.labels !== undefined && !isObj(n.metadata.labels)) return n as KubeObject;
  if (n.status?.addresses !== undefined && !Array.isArray(n.status.addresses)) return n as KubeObject;
  n.metadata ??= {};
  const name = String(n.metadata.name ?? `node${index}`);
  n.metadata.labels = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', ...(n.metadata.labels ?? {}) };
  n.spec ??= {};
  if (!n.spec.podCIDR) {
    n.spec.podCIDR = n.spec.podCIDRs?.[0] ?? podCIDRFor(config, index);
  }
  n.spec.podCIDRs ??= [n.spec.podCIDR];
  n.status ??= {};
  const addrs: Obj[] = n.status.addresses ?? [];
  if (!addrs.some((a) => a?.type === 'InternalIP')) addrs.unshift({ type: 'InternalIP', address: `192.168.122.${10 + index}` });
  if (!addrs.some((a) => a?.type === 'Hostname')) addrs.push({ type: 'Hostname', address: name });
  n.status.addresses = addrs;
  n.status.conditions ??= [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }];
  n.status.nodeInfo = { ...DEFAULT_NODE_INFO, kubeletVersion: config.kubernetesVersion, kubeProxyVersion: config.kubernetesVersion, ...(n.status.nodeInfo ?? {}) };
  return n as KubeObject;
}
