// A node's network devices as `ip addr` lists them, for IPVS mode: the loopback, the node's
// NIC, docker0 (Docker runtime only), kube-ipvs0 (the dummy device kube-proxy binds every
// Service address to, administratively DOWN), flannel's VXLAN device and bridge, and one
// veth per pod. Addresses follow src/sim/network/topology.ts (eth0 = the node IP, cni0 =
// podCIDR .1/24, flannel.1 = podCIDR .0/32); MAC addresses are made up, deterministically.
//
// Interface order (ifindex) is creation order: kube-proxy (a DaemonSet started by kubeadm
// before the CNI) creates kube-ipvs0 before flannel creates flannel.1; cni0 appears with the
// first pod, then a veth per pod in the order the pods started.
import type { ClusterSnapshot } from '../../snapshot';
import type { Node, Pod } from '../../api/objects';
import { nthIP, parseCidr, formatIPv4 } from '../../api/ipnet';
import { hash128 } from '../../rng';
import { nodeIPs } from '../iptables/index';
import { vethName } from '../../network/topology';

export interface LinkAddr {
  family: 'inet' | 'inet6';
  /** `10.96.0.1/32` */
  cidr: string;
  brd?: string;
  scope: 'host' | 'global' | 'link';
}

export interface NodeLink {
  index: number;
  name: string;
  /** `@if2` for a veth. */
  peer?: string;
  flags: string;
  mtu: number;
  qdisc: string;
  master?: string;
  state: 'UP' | 'DOWN' | 'UNKNOWN';
  qlen?: number;
  linkType: 'loopback' | 'ether';
  mac: string;
  /** `link-netns cni-…` of a veth. */
  netns?: string;
  addrs: LinkAddr[];
}

function mac(seed: string, prefix?: string): string {
  const [a, b] = hash128(`mac/${seed}`);
  const bytes = [(a >>> 24) & 0xfc | 0x02, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, (b >>> 8) & 255, b & 255];
  if (prefix) { const p = prefix.split(':').map((x) => parseInt(x, 16)); for (let i = 0; i < p.length; i++) bytes[i] = p[i]; }
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** fe80::/64 address from a MAC (EUI-64), as the kernel's default addr_gen_mode makes it. */
export function linkLocal(m: string): string {
  const b = m.split(':').map((x) => parseInt(x, 16));
  const g = [((b[0] ^ 2) << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]];
  return `fe80::${g.map((x) => x.toString(16)).join(':')}/64`;
}

function uuid(seed: string): string {
  const h = hash128(`netns/${seed}`).map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The pods with their own network namespace on `node`, in the order they started. */
export function podsOnNode(snap: ClusterSnapshot, node: string): Pod[] {
  return snap.pods
    .filter((p) => p.spec?.nodeName === node && !p.spec?.hostNetwork && p.status?.podIP)
    .map((p, i) => ({ p, i, t: p.metadata.creationTimestamp ?? '' }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i))
    .map((x) => x.p);
}

const isDocker = (n: Node) => (n.status?.nodeInfo?.containerRuntimeVersion ?? '').startsWith('docker://');

export function nodeLinks(snap: ClusterSnapshot, node: Node, dummy: string[]): NodeLink[] {
  const name = node.metadata.name;
  const links: NodeLink[] = [];
  const add = (l: Omit<NodeLink, 'index'>) => links.push({ ...l, index: links.length + 1 });
  add({
    name: 'lo', flags: 'LOOPBACK,UP,LOWER_UP', mtu: 65536, qdisc: 'noqueue', state: 'UNKNOWN', qlen: 1000, linkType: 'loopback', mac: '00:00:00:00:00:00',
    addrs: [{ family: 'inet', cidr: '127.0.0.1/8', scope: 'host' }, { family: 'inet6', cidr: '::1/128', scope: 'host' }],
  });
  const ethMac = mac(`${name}/eth0`, '52:54:00');
  add({
    name: 'eth0', flags: 'BROADCAST,MULTICAST,UP,LOWER_UP', mtu: 1500, qdisc: 'fq_codel', state: 'UP', qlen: 1000, linkType: 'ether', mac: ethMac,
    addrs: [
      ...nodeIPs(node).map((ip): LinkAddr => {
        const net = parseCidr(`${ip}/24`)!;
        return { family: 'inet', cidr: `${ip}/24`, brd: formatIPv4(net.base + 255), scope: 'global' };
      }),
      { family: 'inet6', cidr: linkLocal(ethMac), scope: 'link' },
    ],
  });
  if (isDocker(node)) {
    add({
      name: 'docker0', flags: 'NO-CARRIER,BROADCAST,MULTICAST,UP', mtu: 1500, qdisc: 'noqueue', state: 'DOWN', linkType: 'ether', mac: mac(`${name}/docker0`),
      addrs: [{ family: 'inet', cidr: '172.17.0.1/16', brd: '172.17.255.255', scope: 'global' }],
    });
  }
  add({
    name: 'kube-ipvs0', flags: 'BROADCAST,NOARP', mtu: 1500, qdisc: 'noop', state: 'DOWN', linkType: 'ether', mac: mac(`${name}/kube-ipvs0`),
    addrs: dummy.map((ip) => ({ family: 'inet', cidr: `${ip}/32`, scope: 'global' })),
  });
  const cidr = node.spec?.podCIDR ? parseCidr(node.spec.podCIDR) : null;
  if (cidr) {
    const fMac = mac(`${name}/flannel.1`);
    add({
      name: 'flannel.1', flags: 'BROADCAST,MULTICAST,UP,LOWER_UP', mtu: 1450, qdisc: 'noqueue', state: 'UNKNOWN', linkType: 'ether', mac: fMac,
      addrs: [{ family: 'inet', cidr: `${nthIP(cidr, 0)}/32`, scope: 'global' }, { family: 'inet6', cidr: linkLocal(fMac), scope: 'link' }],
    });
    const cMac = mac(`${name}/cni0`);
    add({
      name: 'cni0', flags: 'BROADCAST,MULTICAST,UP,LOWER_UP', mtu: 1450, qdisc: 'noqueue', state: 'UP', qlen: 1000, linkType: 'ether', mac: cMac,
      addrs: [{ family: 'inet', cidr: `${nthIP(cidr, 1)}/${cidr.bits}`, brd: nthIP(cidr, cidr.size - 1), scope: 'global' }, { family: 'inet6', cidr: linkLocal(cMac), scope: 'link' }],
    });
    for (const p of podsOnNode(snap, name)) {
      const vMac = mac(`${name}/${p.metadata.namespace}/${p.metadata.name}`);
      add({
        name: vethName(p), peer: '@if2', flags: 'BROADCAST,MULTICAST,UP,LOWER_UP', mtu: 1450, qdisc: 'noqueue', master: 'cni0', state: 'UP', linkType: 'ether', mac: vMac,
        netns: `cni-${uuid(`${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid ?? ''}`)}`,
        addrs: [{ family: 'inet6', cidr: linkLocal(vMac), scope: 'link' }],
      });
    }
  }
  return links;
}

/**
 * The addresses kube-proxy calls the node's own (GetAllLocalAddressesExcept("kube-ipvs0")):
 * every IPv4 address of every device but kube-ipvs0, loopback excluded. NodePort virtual
 * servers listen on each of them.
 */
export function nodeAddresses(snap: ClusterSnapshot, node: Node): string[] {
  const out: string[] = [];
  for (const l of nodeLinks(snap, node, [])) {
    if (l.name === 'kube-ipvs0' || l.name === 'lo') continue;
    for (const a of l.addrs) if (a.family === 'inet') { const ip = a.cidr.split('/')[0]; if (!out.includes(ip)) out.push(ip); }
  }
  return out;
}
