// Reads the cluster-wide settings out of the learner's YAML before any object is admitted
// (the service subnet decides which ClusterIPs are valid): kubeadm ClusterConfiguration
// (also inside the kubeadm-config ConfigMap), KubeProxyConfiguration (also inside the
// kube-proxy ConfigMap's config.conf), and MetalLB pools (IPAddressPool, or v0.9's
// metallb-system/config ConfigMap).
import yaml from 'js-yaml';
import type { Diagnostic } from '../diag';
import { text } from '../diag';
import type { YamlDoc } from '../yaml/load';
import { type AddressPool, type ClusterConfig, type ProxyMode } from './config';
import { nthIP, parseAddressRange, parseCidr } from '../api/ipnet';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export interface CollectedConfig {
  config: ClusterConfig;
  diagnostics: Diagnostic[];
  /** True when the YAML set the kube-proxy clusterCIDR explicitly. */
  explicitClusterCIDR: boolean;
}

/** Documents, expanding `kind: List` (what `kubectl get -o yaml` prints) into its items. */
export function expandLists(docs: YamlDoc[]): { value: Obj; doc: YamlDoc; prefix: (string | number)[] }[] {
  const out: { value: Obj; doc: YamlDoc; prefix: (string | number)[] }[] = [];
  for (const doc of docs) {
    const v = doc.value as Obj;
    if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
      v.items.forEach((item, i) => { if (isObj(item)) out.push({ value: item, doc, prefix: ['items', i] }); });
    } else out.push({ value: v, doc, prefix: [] });
  }
  return out;
}

function extraArgs(v: unknown): Record<string, string> {
  // kubeadm v1beta3: map; v1beta4: list of {name, value}.
  if (Array.isArray(v)) return Object.fromEntries(v.filter(isObj).map((a) => [String(a.name), String(a.value)]));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  return {};
}

export function collectConfig(items: { value: Obj; doc: YamlDoc; prefix: (string | number)[] }[], base: ClusterConfig): CollectedConfig {
  const config = structuredClone(base);
  const diagnostics: Diagnostic[] = [];
  let explicitClusterCIDR = false;
  let explicitDNS = false;
  const warn = (item: { doc: YamlDoc; prefix: (string | number)[] }, path: (string | number)[], en: string, zh: string) =>
    diagnostics.push({ severity: 'warning', code: 'config.invalid', ...item.doc.locate([...item.prefix, ...path]), message: text(en, zh) });

  const applyClusterConfiguration = (cc: Obj, item: { doc: YamlDoc; prefix: (string | number)[] }, at: (string | number)[]) => {
    const net = isObj(cc.networking) ? cc.networking : {};
    if (typeof net.serviceSubnet === 'string') {
      if (parseCidr(net.serviceSubnet.split(',')[0])) config.serviceSubnet = net.serviceSubnet.split(',')[0].trim();
      else warn(item, [...at, 'networking', 'serviceSubnet'], `serviceSubnet "${net.serviceSubnet}" is not a CIDR`, `serviceSubnet "${net.serviceSubnet}" 不是合法的 CIDR`);
    }
    if (typeof net.podSubnet === 'string') {
      if (parseCidr(net.podSubnet.split(',')[0])) config.podSubnet = net.podSubnet.split(',')[0].trim();
      else warn(item, [...at, 'networking', 'podSubnet'], `podSubnet "${net.podSubnet}" is not a CIDR`, `podSubnet "${net.podSubnet}" 不是合法的 CIDR`);
    }
    if (typeof net.dnsDomain === 'string') config.dnsDomain = net.dnsDomain;
    if (typeof cc.kubernetesVersion === 'string') config.kubernetesVersion = cc.kubernetesVersion.startsWith('v') ? cc.kubernetesVersion : `v${cc.kubernetesVersion}`;
    if (typeof cc.clusterName === 'string') config.clusterName = cc.clusterName;
    const api = extraArgs(isObj(cc.apiServer) ? cc.apiServer.extraArgs : undefined);
    if (api['service-node-port-range']) {
      const m = /^(\d+)-(\d+)$/.exec(api['service-node-port-range'].trim());
      if (m) config.nodePortRange = [Number(m[1]), Number(m[2])];
    }
    if (api['service-cluster-ip-range'] && parseCidr(api['service-cluster-ip-range'])) config.serviceSubnet = api['service-cluster-ip-range'];
    const cm = extraArgs(isObj(cc.controllerManager) ? cc.controllerManager.extraArgs : undefined);
    if (cm['node-cidr-mask-size']) config.nodeCidrMaskSize = Number(cm['node-cidr-mask-size']);
    if (cm['cluster-cidr'] && parseCidr(cm['cluster-cidr'])) config.podSubnet = cm['cluster-cidr'];
  };

  const applyKubeProxy = (kp: Obj, item: { doc: YamlDoc; prefix: (string | number)[] }, at: (string | number)[]) => {
    if (typeof kp.mode === 'string' && kp.mode !== '') {
      if (['iptables', 'ipvs', 'nftables'].includes(kp.mode)) config.kubeProxy.mode = kp.mode as ProxyMode;
      else warn(item, [...at, 'mode'], `kube-proxy mode "${kp.mode}" is not one of iptables, ipvs, nftables`, `kube-proxy 的 mode "${kp.mode}" 不是 iptables、ipvs、nftables 之一`);
    }
    if (typeof kp.clusterCIDR === 'string' && kp.clusterCIDR !== '') { config.kubeProxy.clusterCIDR = kp.clusterCIDR; explicitClusterCIDR = true; }
    const ipt = isObj(kp.iptables) ? kp.iptables : {};
    if (typeof ipt.masqueradeAll === 'boolean') config.kubeProxy.masqueradeAll = ipt.masqueradeAll;
    if (typeof ipt.masqueradeBit === 'number') config.kubeProxy.masqueradeBit = ipt.masqueradeBit;
    if (typeof ipt.localhostNodePorts === 'boolean') config.kubeProxy.localhostNodePorts = ipt.localhostNodePorts;
    const ipvs = isObj(kp.ipvs) ? kp.ipvs : {};
    if (typeof ipvs.scheduler === 'string') config.kubeProxy.ipvsScheduler = ipvs.scheduler === '' ? 'rr' : ipvs.scheduler;
    if (typeof ipvs.strictARP === 'boolean') config.kubeProxy.ipvsStrictARP = ipvs.strictARP;
    if (Array.isArray(kp.nodePortAddresses)) config.kubeProxy.nodePortAddresses = kp.nodePortAddresses.map(String);
  };

  const embedded = (s: unknown, item: { doc: YamlDoc; prefix: (string | number)[] }, at: (string | number)[]): Obj | null => {
    if (typeof s !== 'string') return null;
    try {
      const v = yaml.load(s, { schema: yaml.CORE_SCHEMA });
      return isObj(v) ? v : null;
    } catch (e) {
      warn(item, at, `cannot parse the embedded YAML: ${(e as Error).message.split('\n')[0]}`, `无法解析内嵌的 YAML：${(e as Error).message.split('\n')[0]}`);
      return null;
    }
  };

  for (const item of items) {
    const v = item.value;
    const md = isObj(v.metadata) ? v.metadata : {};
    switch (v.kind) {
      case 'ClusterConfiguration': applyClusterConfiguration(v, item, []); break;
      case 'KubeProxyConfiguration': applyKubeProxy(v, item, []); break;
      case 'ConfigMap': {
        const data = isObj(v.data) ? v.data : {};
        if (md.namespace === 'kube-system' && md.name === 'kube-proxy') {
          const kp = embedded(data['config.conf'], item, ['data', 'config.conf']);
          if (kp) applyKubeProxy(kp, item, ['data', 'config.conf']);
        } else if (md.namespace === 'kube-system' && md.name === 'kubeadm-config') {
          const cc = embedded(data.ClusterConfiguration, item, ['data', 'ClusterConfiguration']);
          if (cc) applyClusterConfiguration(cc, item, ['data', 'ClusterConfiguration']);
        } else if (md.namespace === 'metallb-system' && md.name === 'config') {
          const mc = embedded(data.config, item, ['data', 'config']);
          for (const p of (mc && Array.isArray(mc['address-pools']) ? mc['address-pools'] : []).filter(isObj)) {
            config.addressPools.push(pool(String(p.name ?? 'default'), 'metallb-system', p.addresses, p['auto-assign'] !== false, p['avoid-buggy-ips'] === true, 'ConfigMap'));
          }
        }
        break;
      }
      case 'IPAddressPool': {
        const spec = isObj(v.spec) ? v.spec : {};
        config.addressPools.push(pool(String(md.name ?? ''), String(md.namespace ?? 'metallb-system'), spec.addresses, spec.autoAssign !== false, spec.avoidBuggyIPs === true, 'IPAddressPool'));
        for (const [i, r] of (Array.isArray(spec.addresses) ? spec.addresses : []).entries()) {
          if (typeof r !== 'string' || !parseAddressRange(r)) warn(item, ['spec', 'addresses', i], `"${String(r)}" is not an address range (use 192.168.1.10-192.168.1.20 or a CIDR)`, `"${String(r)}" 不是合法的地址范围（应写成 192.168.1.10-192.168.1.20 或 CIDR）`);
        }
        break;
      }
      case 'Service':
        if (md.namespace === 'kube-system' && md.name === 'kube-dns' && isObj(v.spec) && typeof v.spec.clusterIP === 'string') { config.dnsServiceIP = v.spec.clusterIP; explicitDNS = true; }
        break;
    }
  }
  if (!explicitClusterCIDR) config.kubeProxy.clusterCIDR = config.podSubnet;
  if (!explicitDNS) config.dnsServiceIP = nthIP(parseCidr(config.serviceSubnet)!, 10);
  return { config, diagnostics, explicitClusterCIDR };
}

function pool(name: string, namespace: string, addresses: unknown, autoAssign: boolean, avoidBuggyIPs: boolean, source: AddressPool['source']): AddressPool {
  return { name, namespace, addresses: Array.isArray(addresses) ? addresses.filter((a): a is string => typeof a === 'string' && !!parseAddressRange(a)) : [], autoAssign, avoidBuggyIPs, source };
}
