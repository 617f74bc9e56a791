// `ping [-c N] [-W S] [-w S] [-i S] [-s SIZE] [-q] [-n] HOST`, on a node or in a pod.
//
// Which ping answers depends on where it runs (userland.ts): busybox's in busybox and Alpine
// images (networking/ping.c), iputils' (20211215, Ubuntu 22.04) on the nodes and in the GNU
// debugging images; slim server images have none (`sh: ping: not found`).
//
//   busybox:  PING demoapp-svc (10.96.0.5): 56 data bytes
//             64 bytes from 10.96.0.5: seq=0 ttl=64 time=0.062 ms
//             (blank line)
//             --- demoapp-svc ping statistics ---
//             1 packets transmitted, 1 packets received, 0% packet loss
//             round-trip min/avg/max = 0.062/0.062/0.062 ms
//   iputils:  PING demoapp-svc.default.svc.cluster.local (10.96.0.5) 56(84) bytes of data.
//             64 bytes from demoapp-svc.default.svc.cluster.local (10.96.0.5): icmp_seq=1 ttl=64 time=0.062 ms
//             (blank line)
//             --- demoapp-svc.default.svc.cluster.local ping statistics ---
//             1 packets transmitted, 1 received, 0% packet loss, time 0ms
//             rtt min/avg/max/mdev = 0.062/0.062/0.062/0.000 ms
// iputils names the target by its canonical name and every reply by its PTR record (or the
// bare address again when there is none); a numeric target prints addresses only. With 100%
// loss iputils ends with an empty line (no rtt line), busybox prints no round-trip line.
//
// A real ping without -c runs until ^C. Here it stops after 4 echo requests as if
// interrupted then: the terminal's `^C` stands before the statistics.
//
// Who answers an ICMP echo: a pod's or a node's address (and the cni0/flannel.1 gateway
// addresses of a node's pod CIDR) always; a Service address (ClusterIP, external IP,
// LoadBalancer IP) only in IPVS mode before kube-proxy 1.28, where kube-proxy binds it on every node's kube-ipvs0 —
// in iptables (and nftables) mode it exists only in DNAT rules for its TCP/UDP ports, so the
// echo goes unanswered (100% packet loss). Unknown addresses don't answer either.
// TTL: 64 from the host itself or across the node's bridge, one less per routing node
// (63 node ↔ remote pod or pod ↔ remote node, 62 pod ↔ remote pod over flannel). Round-trip
// times are drawn from the seed: ~0.02–0.05 ms loopback, ~0.04–0.10 ms on the same node,
// ~0.35–0.80 ms across nodes.
import type { ClusterSnapshot } from '../snapshot';
import type { ShellContext, ShellResult, Where } from './types';
import { fail } from './types';
import { lookupHost, query, resolvConfAt } from '../dns/resolver';
import { reverseName } from '../dns/records';
import { nodeInternalIP } from '../controllers/kubelet';
import { nthIP, parseCidr } from '../api/ipnet';
import { createRng } from '../rng';
import type { DnsRuntime } from '../dns/state';
import { podAt, userlandAt, type Userland } from './userland';

/** Echo requests sent by a ping without -c before the simulated ^C. */
export const PING_DEFAULT_COUNT = 4;

const BUSYBOX_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ping [OPTIONS] HOST

Send ICMP ECHO_REQUESTs to HOST

	-4,-6		Force IP or IPv6 name resolution
	-c CNT		Send only CNT pings
	-s SIZE		Send SIZE data bytes in packets (default 56)
	-i SECS		Interval
	-A		Ping as soon as reply is received
	-t TTL		Set TTL
	-I IFACE/IP	Source interface or IP address
	-W SEC		Seconds to wait for the first response (default 10)
			(after all -c CNT packets are sent)
	-w SEC		Seconds until ping exits (default:infinite)
			(can exit earlier with -c CNT)
	-q		Quiet, only display output at start/finish
	-p HEXBYTE	Payload pattern
`;

interface PingArgs {
  host?: string;
  count?: number;
  deadline?: number;
  size: number;
  quiet: boolean;
  numeric: boolean;
}

const WITH_VALUE = 'cWwisItpQlmMFT';

function parseArgs(args: string[]): PingArgs | { error: string } {
  const a: PingArgs = { size: 56, quiet: false, numeric: false };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        if (c === 'q') a.quiet = true;
        else if (c === 'n') a.numeric = true;
        else if (WITH_VALUE.includes(c)) {
          const value = w.slice(k + 1) || args[++i];
          if (value === undefined) return { error: `option requires an argument -- '${c}'` };
          const n = Number(value);
          if (c === 'c') { if (!Number.isInteger(n) || n < 1) return { error: `invalid argument: '${value}'` }; a.count = n; }
          if (c === 'w') a.deadline = Math.max(1, Math.ceil(n));
          if (c === 's' && Number.isInteger(n) && n >= 0) a.size = n;
          break;
        }
      }
      continue;
    }
    a.host = w;
  }
  return a;
}

interface Reply { ttl: number; lo: number; hi: number }

const LOOPBACK: Omit<Reply, 'ttl'> = { lo: 20, hi: 50 };
const SAME_NODE: Omit<Reply, 'ttl'> = { lo: 40, hi: 100 };
const CROSS_NODE: Omit<Reply, 'ttl'> = { lo: 350, hi: 800 };

/** The node whose own addresses include this one (InternalIP, or the pod CIDR's .0/.1). */
function nodeOwning(snap: ClusterSnapshot, ip: string): string | undefined {
  for (const n of snap.nodes) {
    if (nodeInternalIP(n) === ip) return n.metadata.name;
    const cidr = n.spec?.podCIDR ? parseCidr(n.spec.podCIDR) : null;
    if (cidr && (nthIP(cidr, 0) === ip || nthIP(cidr, 1) === ip)) return n.metadata.name;
  }
  return undefined;
}

function isServiceAddress(snap: ClusterSnapshot, ip: string): boolean {
  return snap.services.some((s) => s.spec?.clusterIP === ip || (s.spec?.clusterIPs ?? []).includes(ip) || (s.spec?.externalIPs ?? []).includes(ip)
    || (s.status?.loadBalancer?.ingress ?? []).some((g) => g.ip === ip));
}

/** Whether an echo request to `ip` gets a reply, and how. */
export function echoReply(snap: ClusterSnapshot, where: Where, ip: string): Reply | undefined {
  const self = podAt(snap, where);
  const hostNet = where.kind === 'node' || !!self?.spec?.hostNetwork;
  const srcNode = where.kind === 'node' ? where.node : self?.spec?.nodeName;
  if (ip.startsWith('127.') || (self && self.status?.podIP === ip && !hostNet)) return { ttl: 64, ...LOOPBACK };
  const hops = (sameNode: boolean, dstIsPod: boolean): Reply => {
    if (sameNode) return { ttl: 64, ...(hostNet && !dstIsPod ? LOOPBACK : SAME_NODE) };
    return { ttl: 64 - (hostNet ? 0 : 1) - (dstIsPod ? 1 : 0), ...CROSS_NODE };
  };
  const owner = nodeOwning(snap, ip);
  if (owner) return hops(owner === srcNode, false);
  const pod = snap.pods.find((p) => p.status?.podIP === ip && !p.spec?.hostNetwork && p.status.phase === 'Running');
  if (pod) return hops(pod.spec?.nodeName === srcNode, true);
  // kube-ipvs0 holds every Service address on every node: the local kernel answers — up to
  // kube-proxy 1.27. From 1.28 KUBE-IPVS-FILTER rejects NEW traffic to kube-ipvs0 addresses
  // that is not for a Service port (an echo request is not), so the echo goes unanswered here.
  if (snap.config.kubeProxy.mode === 'ipvs' && isServiceAddress(snap, ip) && !ipvsFilters(snap)) return hops(true, false);
  return undefined;
}

/** kube-proxy ≥ 1.28 installs KUBE-IPVS-FILTER (see src/sim/kube-proxy/ipvs). */
function ipvsFilters(snap: ClusterSnapshot): boolean {
  const [major, minor] = snap.config.kubeProxy.version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 28);
}

type Resolved = { ip: string; name: string } | { error: 'nxdomain' | 'again' };

function resolve(snap: ClusterSnapshot, where: Where, host: string, u: Userland, rt: DnsRuntime | undefined): Resolved {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { ip: host, name: host };
  if (host === 'localhost') return { ip: '127.0.0.1', name: 'localhost' };
  const self = podAt(snap, where);
  // The pod's /etc/hosts (kubelet-managed) names the pod itself.
  if (self?.status?.podIP && host === (self.spec?.hostname ?? self.metadata.name)) return { ip: self.status.podIP, name: host };
  const rc = resolvConfAt(snap, where, rt);
  const r = lookupHost(snap, rc, host, u.kind === 'busybox' ? 'musl' : 'glibc', undefined, rt);
  const ip = r.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  if (ip) return { ip, name: (r.canonical ?? r.name ?? host).replace(/\.$/, '') };
  const again = rc.nameservers.length === 0 || !!r.noResponse || r.steps.some((s) => s.reply.rcode === 'SERVFAIL' || s.reply.rcode === 'REFUSED');
  return { error: again ? 'again' : 'nxdomain' };
}

/** `%g` for the loss percentage (iputils prints it as a float). */
function formatG(x: number): string {
  return String(Number(x.toPrecision(6)));
}

const ms3 = (us: number) => `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;

/** iputils' reply time: 3 decimals under 1 ms, 2 under 10 ms, 1 under 100 ms. */
function iputilsTime(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return ms3(us);
}

export function pingCommand(argv: string[], ctx: ShellContext): ShellResult | null {
  if (argv[0] !== 'ping') return null;
  const snap = ctx.api.snapshot();
  const u = userlandAt(snap, ctx.where);
  if (u.kind === 'slim') return null; // not installed: the shell says "not found"
  const busybox = u.kind === 'busybox';
  const a = parseArgs(argv.slice(1));
  if ('error' in a) return busybox ? fail(`ping: ${a.error}\n${BUSYBOX_USAGE}`, 1) : fail(`ping: ${a.error}\n`, 1);
  if (!a.host) return busybox ? fail(BUSYBOX_USAGE, 1) : fail('ping: usage error: Destination address required\n', 1);
  const rt = ctx.api.dns?.();
  const target = resolve(snap, ctx.where, a.host, u, rt);
  if ('error' in target) {
    if (busybox) return fail(`ping: bad address '${a.host}'\n`, 1);
    return fail(`ping: ${a.host}: ${target.error === 'again' ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`, 2);
  }
  const interrupted = a.count === undefined && a.deadline === undefined;
  const count = a.count ?? a.deadline ?? PING_DEFAULT_COUNT;
  const reply = echoReply(snap, ctx.where, target.ip);
  const where = ctx.where.kind === 'node' ? ctx.where.node : `${ctx.where.namespace}/${ctx.where.pod}`;
  const rng = createRng(`${snap.seed}/ping/${snap.now}/${where}/${target.ip}`);
  const times = reply ? Array.from({ length: count }, (_, i) => {
    const t = reply.lo + rng.int(reply.hi - reply.lo + 1);
    return i === 0 ? t + rng.int(Math.ceil(reply.lo / 2)) : t; // the first echo waits for ARP/route caches
  }) : [];
  const bytes = a.size + 8;
  const timed = a.size >= 8; // both need room for the timestamp to print times
  const received = times.length;
  const lost = count - received;
  let out = '';
  if (busybox) {
    out += `PING ${a.host} (${target.ip}): ${a.size} data bytes\n`;
    if (!a.quiet) for (const [i, t] of times.entries()) out += `${bytes} bytes from ${target.ip}: seq=${i} ttl=${reply!.ttl}${timed ? ` time=${ms3(t)} ms` : ''}\n`;
    if (interrupted) out += '^C';
    out += `\n--- ${a.host} ping statistics ---\n${count} packets transmitted, ${received} packets received, ${Math.floor((lost * 100) / count)}% packet loss\n`;
    if (received && timed) {
      const sum = times.reduce((x, y) => x + y, 0);
      out += `round-trip min/avg/max = ${ms3(Math.min(...times))}/${ms3(Math.floor(sum / received))}/${ms3(Math.max(...times))} ms\n`;
    }
    return { stdout: out, stderr: '', exitCode: received ? 0 : 1 };
  }
  const numeric = a.numeric || /^\d+\.\d+\.\d+\.\d+$/.test(a.host);
  let from = target.ip;
  if (!numeric) {
    // getnameinfo: the pod's /etc/hosts names the pod itself, then a PTR query.
    const self = podAt(snap, ctx.where);
    const rc = resolvConfAt(snap, ctx.where, rt);
    const ptr = self?.status?.podIP === target.ip && !self.spec?.hostNetwork ? self.spec?.hostname ?? self.metadata.name
      : rc.nameservers[0] ? query(snap, rc.nameservers[0], { name: reverseName(target.ip), type: 'PTR' }, rt).answer.find((x) => x.type === 'PTR')?.data.replace(/\.$/, '') : undefined;
    from = `${ptr ?? target.ip} (${target.ip})`;
  }
  out += `PING ${target.name} (${target.ip}) ${a.size}(${a.size + 28}) bytes of data.\n`;
  if (!a.quiet) for (const [i, t] of times.entries()) out += `${bytes} bytes from ${from}: icmp_seq=${i + 1} ttl=${reply!.ttl}${timed ? ` time=${iputilsTime(t)} ms` : ''}\n`;
  if (interrupted) out += '^C';
  const elapsed = count > 1 ? (count - 1) * 1000 + 1 + rng.int(received ? 8 : 80) : 0;
  out += `\n--- ${target.name} ping statistics ---\n${count} packets transmitted, ${received} received, ${formatG((lost * 100) / count)}% packet loss, time ${elapsed}ms\n`;
  if (received && timed) {
    const sum = times.reduce((x, y) => x + y, 0);
    const sum2 = times.reduce((x, y) => x + y * y, 0);
    const avg = Math.floor(sum / received);
    const variance = Math.floor((sum2 - Math.floor((sum * sum) / received)) / received);
    const mdev = Math.floor(Math.sqrt(Math.max(0, variance)));
    out += `rtt min/avg/max/mdev = ${ms3(Math.min(...times))}/${ms3(avg)}/${ms3(Math.max(...times))}/${ms3(mdev)} ms\n`;
  } else out += '\n';
  return { stdout: out, stderr: '', exitCode: received ? 0 : 1 };
}
