// `conntrack -L [conntrack] [-p PROTO] [-s IP] [-d IP] [-r IP] [-q IP] [-o extended]`,
// `conntrack -C`, `conntrack -V`, on a node: the node's simulated conntrack table, printed as
// conntrack-tools prints it (1.4.6 on Ubuntu 22.04, 1.4.7 on Debian 12 — the same layout;
// verified against conntrack v1.4.7 in a network namespace on this machine):
//   tcp      6 119 TIME_WAIT src=10.0.0.1 dst=10.96.0.5 sport=50444 dport=80 src=10.0.0.2 dst=10.0.0.1 sport=8080 dport=50444 [ASSURED] mark=0 use=1
// and on stderr: `conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.`
// Only connections the learner made appear (a real node also tracks its kubelet, API server
// and DNS traffic). Inside a pod the tool is not installed (and a pod without CAP_NET_ADMIN
// could not read the table anyway): `sh: conntrack: not found`.
import type { ShellContext, ShellResult } from './types';
import { fail, ok } from './types';
import { formatEntry } from '../dataplane/state';

const USAGE = `Command line interface for the connection tracking system. Version VERSION
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address

`;

const PROTOS: Record<string, string> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp', '6': 'tcp', '17': 'udp', '132': 'sctp', '1': 'icmp' };
const KNOWN_PROTOS = new Set(['tcp', 'udp', 'sctp', 'icmp', 'udplite', 'dccp', 'gre', 'icmpv6', 'unknown']);

function conntrackVersion(ctx: ShellContext): string {
  if (ctx.where.kind !== 'node') return 'v1.4.6';
  const node = ctx.where.node;
  const os = ctx.api.snapshot().nodes.find((n) => n.metadata.name === node)?.status?.nodeInfo?.osImage ?? '';
  if (/debian gnu\/linux 12/i.test(os)) return 'v1.4.7';
  if (/ubuntu 24\.04/i.test(os)) return 'v1.4.8';
  return 'v1.4.6';
}

const LONG: Record<string, string> = {
  '--dump': 'L', '--count': 'C', '--version': 'V', '--help': 'h', '--proto': 'p', '--protonum': 'p', '--src': 's', '--orig-src': 's',
  '--dst': 'd', '--orig-dst': 'd', '--reply-src': 'r', '--reply-dst': 'q', '--output': 'o', '--family': 'f', '--flush': 'F',
  '--event': 'E', '--get': 'G', '--delete': 'D', '--create': 'I', '--update': 'U', '--stats': 'S',
  '--orig-port-src': 'sport', '--orig-port-dst': 'dport', '--reply-port-src': 'rsport', '--reply-port-dst': 'rdport',
};

export function conntrackCommand(argv: string[], ctx: ShellContext): ShellResult | null {
  if ((argv[0] ?? '').split('/').pop() !== 'conntrack') return null;
  if (ctx.where.kind === 'pod') return fail(`sh: ${argv[0]}: not found\n`, 127);
  const version = conntrackVersion(ctx);
  const prefix = `conntrack ${version} (conntrack-tools): `;
  const tryHelp = "Try `conntrack -h' or 'conntrack --help' for more information.\n";
  const bad = (msg: string) => fail(`${prefix}${msg}\n${tryHelp}`, 2);
  let command: string | undefined;
  const filters: { key: string; value: string }[] = [];
  let extended = false;
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i];
    let code: string | undefined;
    if (w.startsWith('--')) code = LONG[w];
    else if (/^-[A-Za-z]$/.test(w)) code = w[1];
    if (!code) {
      if (command === 'L' && (w === 'conntrack' || w === 'ct')) continue;
      return bad(`unknown option \`${w}'`);
    }
    if ('LCVhFEGDIUS'.includes(code) && code.length === 1) {
      if (command) return bad('Invalid commands combination');
      command = code;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) return bad(`option \`${w}' requires an argument`);
    if (code === 'o') { extended = value.split(',').includes('extended'); continue; }
    if (code === 'f') continue;
    filters.push({ key: code, value });
  }
  if (!command) return ok(USAGE.replace('VERSION', version.slice(1)));
  if (command === 'V') return ok(`conntrack ${version} (conntrack-tools)\n`);
  if (command === 'h') return ok(USAGE.replace('VERSION', version.slice(1)));
  if (command !== 'L' && command !== 'C') return fail(`${prefix}-${command} is not simulated by KubeSim (the table is shown, never changed)\n`, 1);
  if (command === 'C' && filters.length) {
    const long = { p: '--protonum', s: '--orig-src', d: '--orig-dst', r: '--reply-src', q: '--reply-dst' }[filters[0].key] ?? filters[0].key;
    return bad(`Illegal option \`${long}' with this command`);
  }
  for (const f of filters) {
    if (f.key === 'p' && !PROTOS[f.value.toLowerCase()] && !KNOWN_PROTOS.has(f.value.toLowerCase())) return bad(`\`${f.value}' unsupported protocol`);
    if ('sdrq'.includes(f.key) && !/^\d+\.\d+\.\d+\.\d+$/.test(f.value)) return bad(`Invalid IP address \`${f.value}'`);
    if (['sport', 'dport', 'rsport', 'rdport'].includes(f.key) && !filters.some((x) => x.key === 'p')) return bad(`missing protocol, use \`--proto' or \`-p'`);
  }
  const table = ctx.api.conntrack?.(ctx.where.node) ?? { entries: [], now: 0 };
  if (command === 'C') return ok(`${table.entries.length}\n`);
  const shown = table.entries.filter((e) => filters.every((f) => {
    switch (f.key) {
      case 'p': return e.proto === (PROTOS[f.value.toLowerCase()] ?? f.value.toLowerCase());
      case 's': return e.orig.src === f.value;
      case 'd': return e.orig.dst === f.value;
      case 'r': return e.reply.src === f.value;
      case 'q': return e.reply.dst === f.value;
      case 'sport': return e.orig.sport === Number(f.value);
      case 'dport': return e.orig.dport === Number(f.value);
      case 'rsport': return e.reply.sport === Number(f.value);
      case 'rdport': return e.reply.dport === Number(f.value);
      default: return true;
    }
  }));
  const lines = shown.map((e) => `${extended ? 'ipv4     2 ' : ''}${formatEntry(e, table.now)}\n`).join('');
  return { stdout: lines, stderr: `${prefix}${shown.length} flow entries have been shown.\n`, exitCode: 0 };
}
