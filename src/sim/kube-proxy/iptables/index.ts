// kube-proxy in iptables mode on one node: the nat, filter and mangle tables it (and the
// kubelet) leave there, for the layout of the configured kube-proxy release.
import type { ClusterSnapshot } from '../../snapshot';
import type { Node } from '../../api/objects';
import type { Ruleset } from '../../netfilter/ruleset';
import { servicePorts } from '../service-ports';
import { generateModern } from './modern';
import { generateLegacy } from './legacy';
import { iptablesForOS, proxyMinor, type IptablesProxyOptions, type NodeIptablesFacts } from './options';

export interface NodeIptables {
  ruleset: Ruleset;
  facts: NodeIptablesFacts;
  options: IptablesProxyOptions;
}

export function nodeIPs(node: Node): string[] {
  return (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address);
}

export function iptablesOptions(snap: ClusterSnapshot, node: Node): { options: IptablesProxyOptions; facts: NodeIptablesFacts } {
  const kp = snap.config.kubeProxy;
  const facts = iptablesForOS(node.status?.nodeInfo?.osImage);
  const minor = proxyMinor(kp.version);
  return {
    facts,
    options: {
      nodeName: node.metadata.name,
      nodeIPs: nodeIPs(node),
      minor,
      clusterCIDR: kp.clusterCIDR || undefined,
      masqueradeAll: kp.masqueradeAll,
      masqueradeMark: `0x${(1 << kp.masqueradeBit).toString(16)}`,
      // kube-proxy has used --random-fully since v1.16, where the node's iptables supports it.
      randomFully: facts.randomFully && minor >= 16,
      nfacct: true,
      localhostNodePorts: kp.localhostNodePorts,
      nodePortAddresses: kp.nodePortAddresses,
      conntrackTCPBeLiberal: false,
    },
  };
}

export function kubeProxyIptables(snap: ClusterSnapshot, nodeName: string): NodeIptables | undefined {
  const node = snap.nodes.find((n) => n.metadata.name === nodeName);
  if (!node) return undefined;
  const { options, facts } = iptablesOptions(snap, node);
  const ports = servicePorts(snap, nodeName);
  const t = options.minor >= 24 ? generateModern(ports, options) : generateLegacy(ports, options);
  return { ruleset: { tables: [t.mangle, t.filter, t.nat] }, facts, options };
}
