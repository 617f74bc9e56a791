// ipvsadm, ipset and ip (addr, route) on a node, over the node's IPVS model (src/sim/kube-proxy/ipvs)
// and the kernel state (src/sim/ipvs). Layouts are ipvsadm 1.31's printf formats (ipvsadm.c
// print_title / print_service_entry / print_conn / print_largenum), ipset 7's `list`, and
// iproute2's `ip addr` / `ip route`.
import type { ShellContext, ShellResult } from './types';
import { fail } from './types';
import type { NodeIpvs } from '../kube-proxy/ipvs/index';
import type { IpSet } from '../kube-proxy/ipvs/ipset';
import { nodeLinks, type NodeLink } from '../kube-proxy/ipvs/links';
import type { IpvsConn, IpvsProto, IpvsState, RealServer, VirtualServer } from '../ipvs/types';
import { IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3, vsKey, realKey } from '../ipvs/types';
import { connectionTable, newIpvsState, readRates, realCounters, TCP_TIMEOUTS, UDP_TIMEOUT } from '../ipvs/state';
import { ipv4 } from '../ipvs/hash';
import { hash128 } from '../rng';

/** What the node shows: its IPVS model (undefined when kube-proxy is not in IPVS mode). */
interface NodeIpvsView {
  node: string;
  model?: NodeIpvs;
  state: IpvsState;
  now: number;
  /** The node's devices (kube-ipvs0 only in IPVS mode). */
  links: NodeLink[];
  /** Kernel version as major*100 + minor (5.15 → 515). */
  kernel: number;
  /** The other nodes' podCIDRs (routed through flannel.1). */
  podRoutes: string[];
}

export function ipvsCommand(argv: string[], ctx: ShellContext): ShellResult | null {
  const [cmd] = argv;
  if (cmd !== 'ipvsadm' && cmd !== 'ipset' && cmd !== 'ip') return null;
  if (ctx.where.kind !== 'node') return null;
  const node = ctx.where.node;
  const snap = ctx.api.snapshot();
  const n = snap.nodes.find((x) => x.metadata.name === node);
  if (!n) return null;
  const got = ctx.api.ipvs?.(node);
  const k = /^(\d+)\.(\d+)/.exec(n.status?.nodeInfo?.kernelVersion ?? '');
  const view: NodeIpvsView = {
    node, model: got?.model, state: got?.state ?? newIpvsState(), now: got?.now ?? 0,
    links: got?.model.links ?? nodeLinks(snap, n, []).filter((l) => l.name !== 'kube-ipvs0'),
    kernel: k ? Number(k[1]) * 100 + Number(k[2]) : 515,
    podRoutes: snap.nodes.filter((x) => x.metadata.name !== node && x.spec?.podCIDR).map((x) => x.spec!.podCIDR!),
  };
  if (cmd === 'ipvsadm') return ipvsadm(argv.slice(1), view);
  if (cmd === 'ipset') return ipset(argv.slice(1), view);
  return ip(argv.slice(1), view);
}

// =========================================================================================
// ipvsadm

const FMT_NUMERIC = 0x1;
const FMT_RULE = 0x2;
const FMT_STATS = 0x4;
const FMT_RATE = 0x8;
const FMT_THRESHOLDS = 0x10;
const FMT_PERSISTENTCONN = 0x20;
const FMT_NOSORT = 0x40;
const FMT_EXACT = 0x80;
const FMT_TUN_INFO = 0x100;

const USAGE_HINT = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n";

function ipvsadm(args: string[], view: NodeIpvsView): ShellResult {
  let format = 0;
  let command: 'list' | 'save' | 'timeout' | 'version' | 'help' | 'modify' | null = null;
  let connections = false;
  let service: { proto: IpvsProto; addr: string } | null = null;
  const words = [...args];
  const takeArg = (i: number, inline: string): [string | undefined, number] => (inline ? [inline, i] : [words[i + 1], i + 1]);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('--')) {
      const [flag, eq] = w.split('=', 2);
      switch (flag) {
        case '--list': command = 'list'; break;
        case '--numeric': format |= FMT_NUMERIC; break;
        case '--stats': format |= FMT_STATS; command ??= 'list'; break;
        case '--rate': format |= FMT_RATE; command ??= 'list'; break;
        case '--thresholds': format |= FMT_THRESHOLDS; command ??= 'list'; break;
        case '--persistent-conn': format |= FMT_PERSISTENTCONN; command ??= 'list'; break;
        case '--nosort': format |= FMT_NOSORT; break;
        case '--sort': break;
        case '--exact': format |= FMT_EXACT; break;
        case '--tun-info': format |= FMT_TUN_INFO; break;
        case '--connection': connections = true; break;
        case '--timeout': command = 'timeout'; break;
        case '--save': command = 'save'; break;
        case '--version': command = 'version'; break;
        case '--help': command = 'help'; break;
        case '--tcp-service': case '--udp-service': case '--sctp-service': {
          const [v, ni] = takeArg(i, eq ?? '');
          i = ni;
          if (!v) return fail(`ipvsadm: option requires an argument -- '${flag.slice(2)}'\n${USAGE_HINT}`, 2);
          service = { proto: flag === '--tcp-service' ? 'TCP' : flag === '--udp-service' ? 'UDP' : 'SCTP', addr: v };
          break;
        }
        case '--add-service': case '--edit-service': case '--delete-service': case '--clear': case '--restore': case '--add-server': case '--edit-server': case '--delete-server': case '--zero': case '--set':
          command = 'modify'; break;
        default:
          return fail(`ipvsadm: unknown option ${flag}\n${USAGE_HINT}`, 2);
      }
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        const rest = w.slice(k + 1);
        switch (c) {
          case 'L': case 'l': command = 'list'; break;
          case 'n': format |= FMT_NUMERIC; break;
          case 'c': connections = true; break;
          case 'S': command = 'save'; break;
          case 'x': format |= FMT_EXACT; break;
          case 'h': command = 'help'; break;
          case 'v': command = 'version'; break;
          case 'A': case 'E': case 'D': case 'C': case 'R': case 'a': case 'e': case 'd': case 'Z':
            command = 'modify'; break;
          case 't': case 'u': {
            const [v, ni] = takeArg(i, rest);
            i = ni;
            if (!v) return fail(`ipvsadm: option requires an argument -- '${c}'\n${USAGE_HINT}`, 2);
            service = { proto: c === 't' ? 'TCP' : 'UDP', addr: v };
            k = w.length;
            break;
          }
          default:
            return fail(`ipvsadm: invalid option -- '${c}'\n${USAGE_HINT}`, 2);
        }
      }
      continue;
    }
    return fail(`ipvsadm: unexpected argument ${w}\n${USAGE_HINT}`, 2);
  }
  if (command === 'version') return ok('ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n');
  if (command === 'help') return ok(HELP);
  if (command === 'modify') {
    return fail('kubesim: changing IPVS by hand is not simulated (kube-proxy would put its virtual servers back at its next sync); use ipvsadm -L to look\n', 1);
  }
  if (connections && (command === null || command === 'list')) {
    if (format & (FMT_STATS | FMT_RATE | FMT_THRESHOLDS)) return fail('ipvsadm: options conflicts in the list command\n', 2);
    return ok(listConnections(view, format));
  }
  if (command === 'timeout') return ok(`Timeout (tcp tcpfin udp): ${TCP_TIMEOUTS.ESTABLISHED} ${TCP_TIMEOUTS.FIN_WAIT} ${UDP_TIMEOUT}\n`);
  const model = view?.model;
  const vss = model?.virtualServers ?? [];
  if (command === 'save') return ok(listAll(vss, view, format | FMT_RULE));
  if (service) {
    const parsed = parseService(service.addr);
    const vs = parsed && vss.find((v) => v.proto === service!.proto && v.vip === parsed.ip && v.port === parsed.port);
    if (!parsed) return fail(`ipvsadm: illegal virtual server address[:port] specified\n`, 2);
    if (!vs) return fail('No such service\n', 1);
    return ok(title(format) + serviceEntry(vs, view, format));
  }
  return ok(listAll(vss, view, format));
}

const ok = (stdout: string): ShellResult => ({ stdout, stderr: '', exitCode: 0 });

const SERVICES: Record<string, number> = { ssh: 22, smtp: 25, domain: 53, http: 80, https: 443, mysql: 3306, postgresql: 5432, 'http-alt': 8080 };
const PORT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(SERVICES).map(([k, v]) => [v, k]));

function parseService(s: string): { ip: string; port: number } | null {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\w[\w-]*))?$/.exec(s);
  if (!m) return null;
  const p = m[2] === undefined ? 0 : /^\d+$/.test(m[2]) ? Number(m[2]) : SERVICES[m[2]];
  return p === undefined ? null : { ip: m[1], port: p };
}

/**
 * addrport_to_anyname: numeric with -n; otherwise the host name (the lab has no reverse DNS
 * for these addresses, so the numeric address except 127.0.0.1) and the /etc/services name
 * of the port (a Debian netbase subset).
 */
function addrPort(ip: string, port: number, format: number): string {
  if (format & FMT_NUMERIC) return `${ip}:${port}`;
  const host = ip === '127.0.0.1' ? 'localhost' : ip;
  return `${host}:${PORT_NAMES[port] ?? port}`;
}

function title(format: number): string {
  const head = 'Prot LocalAddress:Port';
  if (format & FMT_STATS) return `${head.padEnd(33)} ${'Conns'.padStart(8)} ${'InPkts'.padStart(8)} ${'OutPkts'.padStart(8)} ${'InBytes'.padStart(8)} ${'OutBytes'.padStart(8)}\n  -> RemoteAddress:Port\n`;
  if (format & FMT_RATE) return `${head.padEnd(33)} ${'CPS'.padStart(8)} ${'InPPS'.padStart(8)} ${'OutPPS'.padStart(8)} ${'InBPS'.padStart(8)} ${'OutBPS'.padStart(8)}\n  -> RemoteAddress:Port\n`;
  if (format & FMT_THRESHOLDS) return `${head.padEnd(33)} ${'Uthreshold'.padEnd(10)} ${'Lthreshold'.padEnd(10)} ${'ActiveConn'.padEnd(10)} ${'InActConn'.padEnd(10)}\n  -> RemoteAddress:Port\n`;
  if (format & FMT_PERSISTENTCONN) return `${head.padEnd(33)} ${'Weight'.padEnd(9)} ${'PersistConn'.padEnd(11)} ${'ActiveConn'.padEnd(10)} ${'InActConn'.padEnd(10)}\n  -> RemoteAddress:Port\n`;
  if (format & FMT_TUN_INFO) return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n';
  if (!(format & FMT_RULE)) return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  return '';
}

/** print_largenum: `%9llu`, or K/M/G/T units past 100 million (exact with -x). */
function largenum(n: number, format: number): string {
  if (format & FMT_EXACT) {
    const s = String(n);
    return s.padStart(s.length <= 8 ? 9 : s.length + 1);
  }
  if (n < 100_000_000) return String(n).padStart(9);
  if (n < 1_000_000_000) return `${String(Math.floor(n / 1000)).padStart(8)}K`;
  if (n < 100_000_000_000) return `${String(Math.floor(n / 1_000_000)).padStart(8)}M`;
  if (n < 100_000_000_000_000) return `${String(Math.floor(n / 1_000_000_000)).padStart(8)}G`;
  return `${String(Math.floor(n / 1_000_000_000_000)).padStart(8)}T`;
}

function schedFlags(vs: VirtualServer): string {
  const f = vs.schedFlags ?? 0;
  const out: string[] = [];
  if (vs.scheduler === 'sh') { if (f & IP_VS_SVC_F_SCHED1) out.push('sh-fallback'); if (f & IP_VS_SVC_F_SCHED2) out.push('sh-port'); } else if (vs.scheduler === 'mh') { if (f & IP_VS_SVC_F_SCHED1) out.push('mh-fallback'); if (f & IP_VS_SVC_F_SCHED2) out.push('mh-port'); } else {
    if (f & IP_VS_SVC_F_SCHED1) out.push('flag-1');
    if (f & IP_VS_SVC_F_SCHED2) out.push('flag-2');
    if (f & IP_VS_SVC_F_SCHED3) out.push('flag-3');
  }
  return out.join(',');
}

const PROTO_NUM: Record<IpvsProto, number> = { TCP: 6, UDP: 17, SCTP: 132 };

/** ipvs_cmp_services / ipvs_cmp_dests: the address difference is taken in 32 bits and read as int, so it wraps. */
const wrapCmp = (a: string, b: string) => (ipv4(a) - ipv4(b)) | 0;

export function compareServices(a: VirtualServer, b: VirtualServer): number {
  return PROTO_NUM[a.proto] - PROTO_NUM[b.proto] || wrapCmp(a.vip, b.vip) || a.port - b.port;
}

export function compareDests(a: RealServer, b: RealServer): number {
  return wrapCmp(a.ip, b.ip) || a.port - b.port;
}

/**
 * glibc's qsort: a merge sort (msort_with_tmp) of the kernel's list. With a consistent order
 * the input order does not matter; the wrapping comparison can make it inconsistent (addresses
 * more than 2^31 apart), and then it does — the kernel lists services by a hash that includes a
 * per-boot pointer, so the real order is not reproducible; the simulator feeds kube-proxy's order.
 */
export function msort<T>(items: T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return items.slice();
  const n1 = Math.floor(items.length / 2);
  const a = msort(items.slice(0, n1), cmp);
  const b = msort(items.slice(n1), cmp);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

function listAll(vss: VirtualServer[], view: NodeIpvsView, format: number): string {
  let out = format & FMT_RULE ? '' : 'IP Virtual Server version 1.2.1 (size=4096)\n';
  out += title(format);
  const sorted = format & FMT_NOSORT ? vss : msort(vss, compareServices);
  for (const vs of sorted) out += serviceEntry(vs, view, format);
  return out;
}

function serviceEntry(vs: VirtualServer, view: NodeIpvsView, format: number): string {
  const now = view.now;
  const state = view.state;
  const vname = addrPort(vs.vip, vs.port, format);
  let svcName: string;
  let out = '';
  if (format & FMT_RULE) {
    svcName = `${vs.proto === 'TCP' ? '-t' : vs.proto === 'UDP' ? '-u' : '--sctp-service'} ${vname}`;
    out += `-A ${svcName} -s ${vs.scheduler}`;
    if (vs.persistentTimeout) out += ` -p ${vs.persistentTimeout}`;
    const fl = schedFlags(vs);
    if (fl) out += ` -b ${fl}`;
  } else {
    svcName = `${vs.proto.padEnd(4)} ${vname}`.slice(0, 33);
    const vst = state.services[vsKey(vs)];
    if (format & FMT_STATS) {
      const s = vst?.stats;
      out += svcName.padEnd(33) + [s?.conns ?? 0, s?.inpkts ?? 0, s?.outpkts ?? 0, s?.inbytes ?? 0, s?.outbytes ?? 0].map((n) => largenum(n, format)).join('');
    } else if (format & FMT_RATE) {
      const r = vst ? readRates(vst.stats, now) : [0, 0, 0, 0, 0];
      out += svcName.padEnd(33) + r.map((n) => largenum(n, format)).join('');
    } else {
      out += `${svcName} ${vs.scheduler}`;
      const fl = schedFlags(vs);
      if (fl) out += ` (${fl})`;
      if (vs.persistentTimeout) out += ` persistent ${vs.persistentTimeout}`;
    }
  }
  out += '\n';
  const dests = format & FMT_NOSORT ? vs.reals : msort(vs.reals, compareDests);
  for (const r of dests) {
    let dname = addrPort(r.ip, r.port, format);
    if (!(format & FMT_RULE)) dname = dname.slice(0, 28);
    const c = realCounters(state, vs, r, now);
    const rs = state.services[vsKey(vs)]?.reals[realKey(r)];
    if (format & FMT_RULE) out += `-a ${svcName} -r ${dname} -m -w ${r.weight}\n`;
    else if (format & FMT_STATS) {
      const s = rs?.stats;
      out += `  -> ${dname.padEnd(28)}${[s?.conns ?? 0, s?.inpkts ?? 0, s?.outpkts ?? 0, s?.inbytes ?? 0, s?.outbytes ?? 0].map((n) => largenum(n, format)).join('')}\n`;
    } else if (format & FMT_RATE) {
      const x = rs ? readRates(rs.stats, now) : [0, 0, 0, 0, 0];
      out += `  -> ${dname.padEnd(28)} ${String(x[0]).padStart(8)} ${String(x[1]).padStart(8)} ${String(x[2]).padStart(8)}${largenum(x[3], format)}${largenum(x[4], format)}\n`;
    } else if (format & FMT_THRESHOLDS) {
      out += `  -> ${dname.padEnd(28)} ${'0'.padEnd(10)} ${'0'.padEnd(10)} ${String(c.active).padEnd(10)} ${String(c.inactive).padEnd(10)}\n`;
    } else if (format & FMT_PERSISTENTCONN) {
      out += `  -> ${dname.padEnd(28)} ${String(r.weight).padEnd(9)} ${String(c.persist).padEnd(11)} ${String(c.active).padEnd(10)} ${String(c.inactive).padEnd(10)}\n`;
    } else if (format & FMT_TUN_INFO) {
      out += `  -> ${dname.padEnd(28)} ${'Masq'.padEnd(7)} ${'-'.padEnd(13)} ${String(r.weight).padEnd(6)} ${String(c.active).padEnd(10)} ${String(c.inactive).padEnd(10)}\n`;
    } else {
      out += `  -> ${dname.padEnd(28)} ${'Masq'.padEnd(7)} ${String(r.weight).padEnd(6)} ${String(c.active).padEnd(10)} ${String(c.inactive).padEnd(10)}\n`;
    }
  }
  return out;
}

/** ipvsadm -Lc: /proc/net/ip_vs_conn in hash order (a stable hash of the tuple here). */
function listConnections(view: NodeIpvsView, format: number): string {
  let out = 'IPVS connection entries\n';
  if (format & FMT_PERSISTENTCONN) out += `pro expire ${'state'.padEnd(11)} ${'source'.padEnd(18)} ${'virtual'.padEnd(18)} ${'destination'.padEnd(18)} ${'pe name'.padEnd(16)} pe_data\n`;
  else out += `pro expire ${'state'.padEnd(11)} ${'source'.padEnd(18)} ${'virtual'.padEnd(18)} destination\n`;
  const conns = connectionTable(view.state, view.now);
  const key = (c: IpvsConn) => hash128(`${c.proto} ${c.cip}:${c.cport} ${c.vip}:${c.vport} ${c.template ? 'T' : ''}`)[0];
  for (const c of conns.map((x) => [key(x), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x)) {
    const secs = Math.max(0, Math.floor((c.expires - view.now - 1) / 1000));
    const exp = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
    out += `${c.proto.padEnd(3)} ${exp.padEnd(6)} ${c.state.padEnd(11)} ${addrPort(c.cip, c.cport, format).padEnd(18)} ${addrPort(c.vip, c.vport, format).padEnd(18)} ${addrPort(c.dip, c.dport, format)}\n`;
  }
  return out;
}

const HELP = `ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)
Usage:
  ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]
  ipvsadm -D virtual-service
  ipvsadm -C
  ipvsadm -R
  ipvsadm -S [-n]
  ipvsadm -a|e virtual-service -r server-address [options]
  ipvsadm -d virtual-service -r server-address
  ipvsadm -L|l [virtual-service] [options]
  ipvsadm -Z [virtual-service]
  ipvsadm --set tcp tcpfin udp
  ipvsadm --start-daemon {master|backup} [daemon-options]
  ipvsadm --stop-daemon {master|backup}
  ipvsadm -h
`;

// =========================================================================================
// ipset

/** hash types: revisions and header by kernel (bucketsize/initval from 5.10 on). */
function setRevision(type: string, modern: boolean): number {
  const revs: Record<string, [number, number]> = {
    'hash:ip': [4, 5], 'hash:ip,port': [5, 6], 'hash:ip,port,ip': [5, 6], 'hash:ip,port,net': [7, 8], 'bitmap:port': [3, 3],
  };
  const r = revs[type] ?? [0, 0];
  return modern ? r[1] : r[0];
}

const ELEM_SIZE: Record<string, number> = { 'hash:ip': 4, 'hash:ip,port': 8, 'hash:ip,port,ip': 12, 'hash:ip,port,net': 16 };

function references(model: NodeIpvs | undefined, name: string): number {
  let n = 0;
  for (const t of model?.ruleset.tables ?? []) for (const c of t.chains) for (const r of c.rules) if ((r.text ?? '').includes(` --match-set ${name} `)) n++;
  return n;
}

/** A bitmap lists its members in port order; a hash set in bucket order (random per set: a stable hash here). */
function memberOrder(node: string, set: IpSet): string[] {
  if (set.type.startsWith('bitmap:')) return set.members.slice().sort((a, b) => Number(a) - Number(b));
  return set.members.map((m) => [hash128(`${node}/${set.name}/${m}`)[0], m] as const).sort((a, b) => a[0] - b[0]).map(([, m]) => m);
}

function setText(view: NodeIpvsView, set: IpSet, terse: boolean): string {
  const modern = view.kernel >= 510;
  const initval = `0x${hash128(`initval/${view.node}/${set.name}`)[0].toString(16).padStart(8, '0')}`;
  const header = set.type.startsWith('bitmap:')
    ? 'range 0-65535'
    : `family inet hashsize 1024 maxelem 65536${modern ? ` bucketsize 12 initval ${initval}` : ''}`;
  // Size in memory: an approximation (see the report): the bitmap's 8 KiB map, or a hash set's
  // header plus one bucket (two slots) per element.
  const size = set.type.startsWith('bitmap:') ? 8264 : 328 + set.members.length * (32 + 2 * (ELEM_SIZE[set.type] ?? 8));
  let out = `Name: ${set.name}\nType: ${set.type}\nRevision: ${setRevision(set.type, modern)}\nHeader: ${header}\nSize in memory: ${size}\nReferences: ${references(view.model, set.name)}\nNumber of entries: ${set.members.length}\n`;
  if (!terse) out += `Members:\n${memberOrder(view.node, set).map((m) => `${m}\n`).join('')}`;
  return out;
}

function ipset(args: string[], view: NodeIpvsView): ShellResult {
  const words = args.filter((a) => a !== '-o' && a !== 'plain');
  let cmd = '';
  let name: string | undefined;
  let terse = false;
  let namesOnly = false;
  for (const w of words) {
    if (w === 'list' || w === '-L' || w === '--list' || w === '-l') cmd = 'list';
    else if (w === 'save' || w === '-S' || w === '--save') cmd = 'save';
    else if (w === 'version' || w === '-v' || w === '--version') cmd = 'version';
    else if (w === '-t' || w === '-terse' || w === '--terse') terse = true;
    else if (w === '-n' || w === '-name' || w === '--name') namesOnly = true;
    else if (['create', 'add', 'del', 'destroy', 'flush', 'rename', 'swap', 'test', '-N', '-A', '-D', '-X', '-F', '-E', '-W', '-T'].includes(w)) cmd = 'modify';
    else if (w.startsWith('-')) return fail(`ipset v7.15: Unknown argument: \`${w}'\nTry \`ipset help' for more information.\n`, 1);
    else if (!name && cmd) name = w;
    else return fail(`ipset v7.15: Unknown argument: \`${w}'\nTry \`ipset help' for more information.\n`, 1);
  }
  if (cmd === 'version') return ok('ipset v7.15, protocol version: 7\n');
  if (cmd === 'modify') return fail('kubesim: changing ipsets by hand is not simulated (kube-proxy owns them); use ipset list to look\n', 1);
  if (!cmd) return fail('ipset v7.15: No command specified: unknown argument -file\nTry `ipset help\' for more information.\n', 1);
  const sets = view.model?.ipsets ?? [];
  const chosen = name ? sets.filter((s) => s.name === name) : sets;
  if (name && !chosen.length) return fail(`ipset v7.15: The set with the given name does not exist\n`, 1);
  if (cmd === 'save') {
    let out = '';
    for (const s of chosen) {
      const hdr = s.type.startsWith('bitmap:') ? 'range 0-65535' : 'family inet hashsize 1024 maxelem 65536';
      out += `create ${s.name} ${s.type} ${hdr}\n`;
      for (const m of memberOrder(view.node, s)) out += `add ${s.name} ${m}\n`;
    }
    return ok(out);
  }
  if (namesOnly) return ok(chosen.map((s) => `${s.name}\n`).join(''));
  return ok(chosen.map((s) => setText(view, s, terse)).join('\n'));
}

// =========================================================================================
// ip addr / ip route

function linkHeader(l: NodeLink, withLink = true): string {
  const master = l.master ? ` master ${l.master}` : '';
  const qlen = l.qlen ? `qlen ${l.qlen}` : '';
  const head = `${l.index}: ${l.name}${l.peer ?? ''}: <${l.flags}> mtu ${l.mtu} qdisc ${l.qdisc}${master} state ${l.state} group default ${qlen}\n`;
  if (!withLink) return head;
  return `${head}    link/${l.linkType} ${l.mac} brd ${l.linkType === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff'}${l.netns ? ` link-netns ${l.netns}` : ''}\n`;
}

function addrLines(l: NodeLink, family?: 'inet' | 'inet6'): string {
  let out = '';
  for (const a of l.addrs) {
    if (family && a.family !== family) continue;
    // iproute2: "scope %s " then the label (IPv4 only) — so IPv6 lines end with a space.
    const label = a.family === 'inet' ? l.name : '';
    out += `    ${a.family} ${a.cidr}${a.brd ? ` brd ${a.brd}` : ''} scope ${a.scope} ${label}\n       valid_lft forever preferred_lft forever\n`;
  }
  return out;
}

function ip(args: string[], view: NodeIpvsView): ShellResult {
  const words = [...args];
  let family: 'inet' | 'inet6' | undefined;
  let brief = false;
  while (words[0]?.startsWith('-')) {
    const f = words.shift()!;
    if (f === '-4') family = 'inet';
    else if (f === '-6') family = 'inet6';
    else if (f === '-br' || f === '-brief') brief = true;
    else if (f === '-c' || f === '-color' || f === '--color' || f.startsWith('-color=') || f.startsWith('--color=')) continue;
    else return fail(`Option "${f}" is unknown, try "ip -help".\n`, 255);
  }
  const obj = words.shift() ?? '';
  const links = view.links;
  if (['a', 'ad', 'add', 'addr', 'addre', 'addres', 'address'].includes(obj)) return ipAddr(words, links, family, brief, 'addr');
  if (['l', 'li', 'lin', 'link'].includes(obj)) return ipAddr(words, links, family, brief, 'link');
  if (['r', 'ro', 'rou', 'rout', 'route'].includes(obj)) return ipRoute(words, view);
  if (!obj) return fail('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n', 255);
  return fail(`Object "${obj}" is unknown, try "ip help".\n`, 255);
}

function ipAddr(words: string[], links: NodeLink[], family: 'inet' | 'inet6' | undefined, brief: boolean, what: 'addr' | 'link'): ShellResult {
  const sub = words[0];
  if (sub && ['s', 'sh', 'sho', 'show', 'l', 'ls', 'lst', 'list'].includes(sub)) words.shift();
  else if (sub && ['add', 'del', 'change', 'replace', 'flush', 'set'].includes(sub)) return fail(`kubesim: ip ${what} ${sub} is not simulated (the node's devices are shown, never changed)\n`, 1);
  if (words[0] === 'dev') words.shift();
  const devName = words[0];
  const chosen = devName ? links.filter((l) => l.name === devName) : links;
  if (devName && !chosen.length) return fail(`Device "${devName}" does not exist.\n`, 1);
  let out = '';
  for (const l of chosen) {
    if (brief) {
      const addrs = l.addrs.filter((a) => !family || a.family === family).map((a) => a.cidr);
      const state = l.state.padEnd(14);
      out += what === 'link'
        ? `${`${l.name}${l.peer ?? ''}`.padEnd(16)} ${state} ${l.mac} <${l.flags}> \n`
        : `${`${l.name}${l.peer ?? ''}`.padEnd(16)} ${state} ${addrs.join(' ')}${addrs.length ? ' ' : ''}\n`;
      continue;
    }
    if (what === 'addr' && family && !l.addrs.some((a) => a.family === family)) continue;
    out += what === 'link' ? linkHeader(l) : linkHeader(l, !family) + addrLines(l, family);
  }
  return ok(out);
}

function ipRoute(words: string[], view: NodeIpvsView): ShellResult {
  if (words[0] && ['s', 'sh', 'show', 'l', 'ls', 'list'].includes(words[0])) words.shift();
  else if (words[0] === 'get') return fail('kubesim: `ip route get` is not simulated; `ip route` and `ip route show table local` are\n', 1);
  else if (words[0] && ['add', 'del', 'delete', 'change', 'replace', 'flush', 'append'].includes(words[0])) return fail(`kubesim: ip route ${words[0]} is not simulated (the routes are shown, never changed)\n`, 1);
  const table = words[0] === 'table' ? words[1] : 'main';
  const links = view.links;
  const eth = links.find((l) => l.name === 'eth0');
  const ethAddr = eth?.addrs.find((a) => a.family === 'inet');
  const routes: { key: number; text: string }[] = [];
  const nodeIP = ethAddr?.cidr.split('/')[0] ?? '';
  if (table === 'local') {
    for (const l of links) {
      for (const a of l.addrs) {
        if (a.family !== 'inet') continue;
        const [addr, bits] = a.cidr.split('/');
        routes.push({ key: ipv4(addr), text: `local ${addr} dev ${l.name} proto kernel scope host src ${addr} ` });
        if (l.name === 'lo') routes.push({ key: ipv4('127.0.0.0') - 0.5, text: 'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 ' });
        if (a.brd && l.state !== 'DOWN') routes.push({ key: ipv4(a.brd), text: `broadcast ${a.brd} dev ${l.name} proto kernel scope link src ${addr} ` });
        if (l.name === 'lo') routes.push({ key: ipv4('127.255.255.255'), text: 'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 ' });
        void bits;
      }
    }
  } else if (table === 'main' || table === undefined) {
    if (ethAddr) {
      const net = ethAddr.cidr.split('/')[0].split('.').slice(0, 3).join('.');
      routes.push({ key: -1, text: `default via ${net}.1 dev eth0 proto static ` });
      routes.push({ key: ipv4(`${net}.0`), text: `${net}.0/24 dev eth0 proto kernel scope link src ${nodeIP} ` });
    }
    const docker = links.find((l) => l.name === 'docker0');
    if (docker) routes.push({ key: ipv4('172.17.0.0'), text: '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown ' });
    const cni = links.find((l) => l.name === 'cni0')?.addrs.find((a) => a.family === 'inet');
    if (cni) {
      const [addr, bits] = cni.cidr.split('/');
      const base = ((ipv4(addr) & (bits === '0' ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0)) >>> 0);
      routes.push({ key: base, text: `${fmt(base)}/${bits} dev cni0 proto kernel scope link src ${addr} ` });
    }
    for (const other of view.podRoutes) routes.push({ key: ipv4(other.split('/')[0]), text: `${other} via ${other.split('/')[0]} dev flannel.1 onlink ` });
  } else return ok('');
  routes.sort((a, b) => a.key - b.key);
  const seen = new Set<string>();
  return ok(routes.filter((r) => (seen.has(r.text) ? false : (seen.add(r.text), true))).map((r) => `${r.text}\n`).join(''));
}

const fmt = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

