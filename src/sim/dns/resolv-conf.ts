// /etc/resolv.conf as the kubelet (GetPodDNS) and containerd write it for each dnsPolicy,
// and the node's own (reference/coredns.md §3.1).
//
// A node's resolver configuration comes, first found, from:
//   1. /etc/resolv.conf as the learner wrote it on the node (`echo nameserver 233.5.5.5 >
//      /etc/resolv.conf`, as the course's B6 does with vim): a plain file the node's tools
//      and its kubelet (`--resolv-conf`) read from then on;
//   2. the Node annotation `kubesim.io/resolv-conf` (the file's text, e.g.
//      "nameserver 114.114.114.114"): the node was set up that way;
//   3. the stock file: systemd-resolved's stub (127.0.0.53) on Ubuntu, whose kubelet reads
//      the uplink file /run/systemd/resolve/resolv.conf (the libvirt gateway, .1 of the node's
//      /24); NetworkManager's file naming that gateway elsewhere.
// The kubelet copies the host file into a `Default` (or hostNetwork) pod when the pod starts:
// a pod started before the learner's edit keeps the old nameservers.
import type { ClusterSnapshot } from '../snapshot';
import type { Node, Pod } from '../api/objects';
import type { DnsRuntime } from './state';

/** The Node annotation that sets the node's /etc/resolv.conf (and so its kubelet's). */
export const RESOLV_CONF_ANNOTATION = 'kubesim.io/resolv-conf';

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: { name: string; value?: string }[];
}

const nodeIP = (n: Node | undefined) => n?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;

function isUbuntu(n: Node | undefined): boolean {
  return /ubuntu/i.test(n?.status?.nodeInfo?.osImage ?? 'Ubuntu');
}

/** The node's upstream resolver: the gateway of its /24 (libvirt's dnsmasq on 192.168.122.1). */
function upstreamOf(n: Node | undefined): string {
  const ip = nodeIP(n) ?? '192.168.122.10';
  return ip.replace(/\.\d+$/, '.1');
}

/** A resolv.conf file's text as the kubelet and the libc read it: nameserver (3 at most), search (the last line wins), options. */
export function parseResolvConf(text: string): ResolvConf {
  const rc: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...args] = line.split(/\s+/);
    if (key === 'nameserver' && args[0]) { if (rc.nameservers.length < 3) rc.nameservers.push(args[0]); }
    else if (key === 'search') rc.searches = args.filter((a) => a);
    else if (key === 'domain' && args[0]) rc.searches = [args[0]];
    else if (key === 'options') {
      for (const a of args) {
        const [name, value] = a.split(':');
        const at = rc.options.findIndex((o) => o.name === name);
        const o = value === undefined ? { name } : { name, value };
        if (at >= 0) rc.options[at] = o; else rc.options.push(o);
      }
    }
  }
  return rc;
}

/** The node's own /etc/resolv.conf when the learner (shell or annotation) replaced the stock one; `at`: as it was then. */
function customResolvConf(n: Node | undefined, rt?: DnsRuntime, at?: number): string | undefined {
  if (!n) return undefined;
  const versions = rt?.nodeFile?.(n.metadata.name, '/etc/resolv.conf');
  if (versions?.length) {
    const v = at === undefined ? versions[versions.length - 1] : [...versions].reverse().find((x) => x.at <= at);
    if (v) return v.content;
  }
  return n.metadata.annotations?.[RESOLV_CONF_ANNOTATION];
}

/**
 * The host config the kubelet reads (`--resolv-conf`; kubeadm points it at systemd-resolved's
 * upstream file), or the file the learner put in place (`at`: the pod's start time).
 */
export function hostResolvConf(n: Node | undefined, rt?: DnsRuntime, at?: number): ResolvConf {
  const custom = customResolvConf(n, rt, at);
  if (custom !== undefined) {
    const rc = parseResolvConf(custom);
    // The kubelet keeps only search domains other than the root.
    return { ...rc, searches: rc.searches.filter((s) => s !== '.') };
  }
  return { nameservers: [upstreamOf(n)], searches: [], options: [] };
}

const STUB_HEADER = `# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).
# Do not edit.
#
# This file might be symlinked as /etc/resolv.conf. If you're looking at
# /etc/resolv.conf and seeing this text, you have followed the symlink.
#
# This is a dynamic resolv.conf file for connecting local clients to the
# internal DNS stub resolver of systemd-resolved. This file lists all
# configured search domains.
#
# Run "resolvectl status" to see details about the uplink DNS servers
# currently in use.
#
# Third party programs should typically not access this file directly, but only
# through the symlink at /etc/resolv.conf. To manage man:resolv.conf(5) in a
# different way, replace this symlink by a static file or a different symlink.
#
# See man:systemd-resolved.service(8) for details about the supported modes of
# operation for /etc/resolv.conf.

`;

/** The node's /etc/resolv.conf: the learner's, else systemd-resolved's stub on Ubuntu, NetworkManager's file elsewhere. */
export function nodeResolvConf(n: Node | undefined, rt?: DnsRuntime): { text: string; conf: ResolvConf } {
  const custom = customResolvConf(n, rt);
  if (custom !== undefined) {
    const text = custom === '' || custom.endsWith('\n') ? custom : `${custom}\n`;
    return { text, conf: parseResolvConf(custom) };
  }
  if (isUbuntu(n)) {
    return {
      text: `${STUB_HEADER}nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n`,
      conf: { nameservers: ['127.0.0.53'], searches: [], options: [{ name: 'edns0' }, { name: 'trust-ad' }] },
    };
  }
  const conf = hostResolvConf(n);
  return { text: `# Generated by NetworkManager\nnameserver ${conf.nameservers[0]}\n`, conf };
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** What the kubelet hands the runtime for a pod (§3.1's table, dnsConfig merged, limits applied). */
export function podResolvConf(snap: Pick<ClusterSnapshot, 'config' | 'nodes'>, pod: Pod, rt?: DnsRuntime): ResolvConf {
  const node = snap.nodes.find((n) => n.metadata.name === pod.spec?.nodeName);
  const started = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '');
  const host = hostResolvConf(node, rt, Number.isFinite(started) ? started : undefined);
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const dom = snap.config.dnsDomain;
  const ns = pod.metadata.namespace ?? 'default';
  let base: ResolvConf;
  const cluster = (): ResolvConf => ({ nameservers: [snap.config.dnsServiceIP], searches: uniq([`${ns}.svc.${dom}`, `svc.${dom}`, dom, ...host.searches]), options: [{ name: 'ndots', value: '5' }] });
  if (policy === 'None') base = { nameservers: [], searches: [], options: [] };
  else if (policy === 'Default') base = host;
  else if (policy === 'ClusterFirstWithHostNet') base = cluster();
  else base = pod.spec?.hostNetwork ? host : cluster();
  const cfg = pod.spec?.dnsConfig;
  const nameservers = uniq([...base.nameservers, ...(cfg?.nameservers ?? [])]).slice(0, 3);
  const searches = uniq([...base.searches, ...(cfg?.searches ?? [])]).slice(0, 32);
  const options = base.options.map((o) => ({ ...o }));
  for (const o of cfg?.options ?? []) {
    if (!o.name) continue;
    const at = options.findIndex((x) => x.name === o.name);
    const v = o.value === undefined ? { name: o.name } : { name: o.name, value: o.value };
    if (at >= 0) options[at] = v; else options.push(v);
  }
  return { nameservers, searches, options };
}

/** The file containerd writes: search, nameserver lines, options (each only when non-empty). */
export function formatResolvConf(rc: ResolvConf): string {
  let out = '';
  if (rc.searches.length) out += `search ${rc.searches.join(' ')}\n`;
  for (const s of rc.nameservers) out += `nameserver ${s}\n`;
  if (rc.options.length) out += `options ${rc.options.map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)).join(' ')}\n`;
  return out;
}

export function ndotsOf(rc: ResolvConf): number {
  const v = rc.options.find((o) => o.name === 'ndots')?.value;
  const n = v === undefined ? 1 : Number(v);
  return Number.isFinite(n) ? Math.max(0, Math.min(15, n)) : 1;
}
