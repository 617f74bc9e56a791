// Network namespaces that play one Kubernetes node for the kernel oracle
// (see /work/shared/reference/kernel-oracle.md, "A topology that exercises every hook"):
//
//   external ns ──eth0══eth0── node ns ──vethXXXXXXXX══eth0── pod ns
//                               │  cni0 ══ cni0-sink        (own podCIDR, gateway .1)
//                               │  flannel.1 ══ flannel-sink (other nodes' podCIDRs)
//                               └─ default via <node /24>.1 on eth0 (nobody answers)
//
// Interfaces are named the way the simulator names them (eth0, cni0, flannel.1, the pod's
// veth), so a rule matching -i/-o would see the same names. Nothing answers ARP behind the
// sinks, so a forwarded packet runs FORWARD and POSTROUTING and then dies in the neighbour
// queue: only the request direction's first packet is ever traced.
import { execFileSync, spawnSync } from 'node:child_process';

export interface Prereqs {
  ok: boolean;
  problems: string[];
}

function runs(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Everything the kernel oracle needs: root, netns, iptables-nft, xtables-monitor, python3, stdbuf. */
export function checkPrereqs(): Prereqs {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push(`not Linux (${process.platform})`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) problems.push(`not root (uid ${process.getuid()})`);
  const ip = runs('ip', ['netns', 'list']);
  if (!ip.ok) problems.push(`\`ip netns\` unavailable: ${ip.out.trim()}`);
  const ipt = runs('iptables', ['--version']);
  if (!ipt.ok) problems.push(`iptables missing: ${ipt.out.trim()}`);
  else if (!/nf_tables/.test(ipt.out)) problems.push(`iptables is not the nf_tables backend (${ipt.out.trim()}): xtables-monitor --trace needs it`);
  for (const [cmd, args] of [['iptables-restore', ['--version']], ['xtables-monitor', ['--help']], ['python3', ['--version']], ['stdbuf', ['--version']]] as const) {
    const r = runs(cmd, [...args]);
    // xtables-monitor --help exits non-zero on some builds; "not found" is what matters.
    if (r.out.includes('ENOENT')) problems.push(`${cmd} missing`);
  }
  if (problems.length === 0) {
    // Namespaces may exist as a command and still be refused (no CAP_SYS_ADMIN in a container).
    const probe = `ks-${process.pid.toString(36)}-prb-0-n`;
    const add = runs('ip', ['netns', 'add', probe]);
    if (!add.ok) problems.push(`cannot create a network namespace: ${add.out.trim()}`);
    else {
      const ipt2 = runs('ip', ['netns', 'exec', probe, 'iptables', '-t', 'raw', '-S']);
      if (!ipt2.ok) problems.push(`iptables does not work inside a namespace: ${ipt2.out.trim()}`);
      runs('ip', ['netns', 'del', probe]);
    }
  }
  return { ok: problems.length === 0, problems };
}

export function sh(script: string): string {
  try {
    return execFileSync('bash', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`shell failed: ${err.message}\n--- script ---\n${script}\n--- stderr ---\n${err.stderr ?? ''}`);
  }
}

export function inNs(ns: string, cmd: string[], input?: string): string {
  try {
    return execFileSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], timeout: 30_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`\`ip netns exec ${ns} ${cmd.join(' ')}\` failed: ${err.message}\n${err.stderr ?? ''}`);
  }
}

/** Namespaces this process created, so afterAll (and process exit) can delete them all. */
const created = new Set<string>();

export function deleteAllNamespaces(): string[] {
  const failed: string[] = [];
  for (const ns of [...created]) {
    const r = spawnSync('ip', ['netns', 'del', ns], { encoding: 'utf8' });
    if (r.status === 0 || /No such file/.test(r.stderr ?? '')) created.delete(ns);
    else failed.push(`${ns}: ${r.stderr}`);
  }
  return failed;
}

process.once('exit', () => { deleteAllNamespaces(); });

/** Namespace names are `ks-<pid base36>-<random>-<n>-<role>`: the prefix of this run. */
export function runPrefix(): string {
  return `ks-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 5)}`;
}

/** Deletes namespaces an earlier, killed run of these tests left behind (its process is gone). */
export function sweepStaleNamespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  const swept: string[] = [];
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^(ks-([0-9a-z]+)-[0-9a-z]+-[0-9a-z]+-[nep])\b/.exec(line.trim());
    if (!m) continue;
    const pid = parseInt(m[2], 36);
    let alive = true;
    try { process.kill(pid, 0); } catch (e) { alive = (e as NodeJS.ErrnoException).code === 'EPERM'; }
    if (alive) continue;
    if (spawnSync('ip', ['netns', 'del', m[1]]).status === 0) swept.push(m[1]);
  }
  return swept;
}

export interface NodeSpec {
  name: string;
  ip: string;
  /** Prefix length of the node network (the simulated cluster uses 192.168.122.0/24). */
  prefix: number;
  podCIDR: string;
  cni0: string;
  flannel: string;
  /** Other nodes' podCIDRs: routed into the flannel.1 sink. */
  remotePodCIDRs: string[];
}

export interface TopologySpec {
  /** Unique short prefix for this run's namespaces. */
  id: string;
  node: NodeSpec;
  /** A pod on the entry node that sends (PREROUTING from its veth). */
  pod?: { ip: string; veth: string };
  /** Addresses of the external client (the first one in the node's subnet). */
  externalIPs: string[];
  /** Destinations the external namespace routes via the node (LoadBalancer IPs, externalIPs). */
  externalRoutes: string[];
}

export interface Topology {
  nodeNs: string;
  podNs?: string;
  extNs: string;
  spec: TopologySpec;
}

const POD_GW = '169.254.1.1';

/** Creates the namespaces and links; returns their names. */
export function createTopology(spec: TopologySpec): Topology {
  const nodeNs = `${spec.id}-n`, extNs = `${spec.id}-e`, podNs = spec.pod ? `${spec.id}-p` : undefined;
  const { node } = spec;
  const gw = node.ip.replace(/\.\d+$/, '.1');
  const lines: string[] = ['set -e'];
  for (const ns of [nodeNs, extNs, podNs]) {
    if (!ns) continue;
    lines.push(`ip netns add ${ns}`, `ip -n ${ns} link set lo up`);
    created.add(ns);
  }
  // Sysctls first: interfaces created afterwards inherit conf.default (rp_filter=0).
  lines.push(`ip netns exec ${nodeNs} sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.route_localnet=1`);
  lines.push(`ip netns exec ${extNs} sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0`);
  // eth0 towards the outside world.
  lines.push(
    `ip link add eth0 netns ${nodeNs} type veth peer name eth0 netns ${extNs}`,
    `ip -n ${nodeNs} addr add ${node.ip}/${node.prefix} dev eth0`,
    `ip -n ${nodeNs} link set eth0 up`,
  );
  spec.externalIPs.forEach((ip, i) => lines.push(`ip -n ${extNs} addr add ${ip}/${i === 0 ? node.prefix : 32} dev eth0`));
  lines.push(`ip -n ${extNs} link set eth0 up`, `ip -n ${extNs} route add default via ${node.ip} dev eth0 onlink`);
  for (const dst of spec.externalRoutes) lines.push(`ip -n ${extNs} route add ${dst}/32 via ${node.ip} dev eth0`);
  // cni0: the node's own podCIDR (endpoints on this node live behind it).
  const podPrefix = node.podCIDR.split('/')[1];
  lines.push(
    `ip link add cni0 netns ${nodeNs} type veth peer name cni0-sink netns ${nodeNs}`,
    `ip -n ${nodeNs} addr add ${node.cni0}/${podPrefix} dev cni0`,
    `ip -n ${nodeNs} link set cni0 up`, `ip -n ${nodeNs} link set cni0-sink up`,
  );
  // flannel.1: the other nodes' podCIDRs.
  lines.push(
    `ip link add flannel.1 netns ${nodeNs} type veth peer name flannel-sink netns ${nodeNs}`,
    `ip -n ${nodeNs} addr add ${node.flannel}/32 dev flannel.1`,
    `ip -n ${nodeNs} link set flannel.1 up`, `ip -n ${nodeNs} link set flannel-sink up`,
  );
  for (const cidr of node.remotePodCIDRs) lines.push(`ip -n ${nodeNs} route add ${cidr} dev flannel.1`);
  lines.push(`ip -n ${nodeNs} route add default via ${gw} dev eth0`);
  if (spec.pod && podNs) {
    const { ip, veth } = spec.pod;
    lines.push(
      `ip link add ${veth} netns ${nodeNs} type veth peer name eth0 netns ${podNs}`,
      `ip -n ${nodeNs} addr add ${POD_GW}/32 dev ${veth}`,
      `ip -n ${nodeNs} link set ${veth} up`,
      `ip -n ${nodeNs} route add ${ip}/32 dev ${veth}`,
      `ip -n ${podNs} addr add ${ip}/32 dev eth0`,
      `ip -n ${podNs} link set eth0 up`,
      `ip -n ${podNs} route add ${POD_GW} dev eth0`,
      `ip -n ${podNs} route add default via ${POD_GW} dev eth0`,
    );
  }
  sh(lines.join('\n'));
  return { nodeNs, podNs, extNs, spec };
}

export function destroyTopology(t: Topology): void {
  for (const ns of [t.nodeNs, t.podNs, t.extNs]) {
    if (!ns) continue;
    spawnSync('ip', ['netns', 'del', ns]);
    created.delete(ns);
  }
}

// nfnetlink_acct objects (`-m nfacct --nfacct-name X` refuses to load without them). The
// `nfacct` tool is not installed, so a few lines of Python speak NFNL_SUBSYS_ACCT directly.
export const NFACCT_PY = String.raw`
import socket, struct, sys, os
for name in sys.argv[1:]:
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETLINK_NETFILTER
    s.bind((0, 0))
    nm = name.encode() + b'\0'
    alen = 4 + len(nm)
    attr = struct.pack('=HH', alen, 1) + nm + b'\0' * ((4 - alen % 4) % 4)  # NFACCT_NAME
    payload = struct.pack('=BBH', 0, 0, 0) + attr  # nfgenmsg
    # NFNL_SUBSYS_ACCT << 8 | NFNL_MSG_ACCT_NEW; NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE
    s.send(struct.pack('=IHHII', 16 + len(payload), (7 << 8) | 0, 1 | 4 | 0x400, 1, 0) + payload)
    err = struct.unpack('=i', s.recv(4096)[16:20])[0]
    if err not in (0, -17):
        sys.exit('nfacct add %s: %s' % (name, os.strerror(-err)))
`;

/** Loads a ruleset (iptables-save text) into the node namespace, with nfacct objects first. */
export function loadRuleset(t: Topology, save: string): void {
  const names = [...new Set([...save.matchAll(/--nfacct-name\s+"?([\w-]+)"?/g)].map((m) => m[1]))];
  if (names.length) inNs(t.nodeNs, ['python3', '-c', NFACCT_PY, ...names]);
  inNs(t.nodeNs, ['iptables-restore'], save);
}
