// `iptables [-t T] -L [CHAIN [N]] [-n] [-v] [-x] [--line-numbers]` exactly as iptables 1.8.x
// prints it (1.8.7 unless `version` says otherwise; nft and legacy backends share the layout):
// the chain headers of print_header,
// the fixed-width columns of print_rule_details/print_ifaces/print_ipv4_addresses, then each
// match's and target's own `print` text (libxt_*.c), e.g. `tcp dpt:80`, `MARK or 0x4000`.
// Rules come in the canonical form parse.ts produces (the iptables-save option spellings).
import { BUILTIN_CHAINS, type Chain, type Match, type Opt, type Rule, type Table, type Target, isBuiltin } from './ruleset';
import { chainsInSaveOrder } from './save';

export interface ListOptions {
  chain?: string;
  numeric: boolean;
  verbose: boolean;
  lineNumbers: boolean;
  /** `-x`: exact counters instead of the K/M/G abbreviations. */
  exact: boolean;
  /** Packet and byte counters of a rule (0-based index) or of a built-in chain's policy. */
  counters?: (chain: string, ruleIndex: number | 'policy') => [number, number];
  /** `-L CHAIN N`: only rule N (1-based), printed without the chain header. */
  ruleNumber?: number;
  /**
   * Reverse lookup used without `-n` (getnameinfo). The default knows /etc/hosts'
   * `127.0.0.1 localhost` only: on a node whose DNS answers, PTR lookups of cluster
   * addresses fail and the address prints as digits.
   */
  hostName?: (ip: string) => string | undefined;
  /** The iptables release ("v1.8.7" when absent); 1.8.9+ changed the prot column and LOG names. */
  version?: string;
}

/** What `iptables -L` prints; undefined when `opts.chain` does not exist in the table. */
export function printList(table: Table, opts: ListOptions): string | undefined {
  const chains = listedChains(table);
  const shown = opts.chain === undefined ? chains : chains.filter((c) => c.name === opts.chain);
  if (shown.length === 0) return undefined;
  const version = opts.version ?? 'v1.8.7';
  const ctx: Ctx = {
    ...opts, hostName: opts.hostName ?? defaultHostName, refs: references(table),
    v189: releaseAtLeast(version, [1, 8, 9]), numericProto: releaseAtLeast(version, [1, 8, 9]) && !releaseAtLeast(version, [1, 8, 11]),
  };
  if (opts.ruleNumber !== undefined) {
    // iptables skips the header and prints nothing at all for a rule number past the end.
    const c = shown[0];
    const r = c.rules[opts.ruleNumber - 1];
    return r ? ruleLine(ctx, c, r, opts.ruleNumber - 1) : '';
  }
  return shown.map((c) => chainBlock(ctx, table, c)).join('\n');
}

interface Ctx extends ListOptions {
  hostName: (ip: string) => string | undefined;
  refs: Map<string, number>;
  /** ≥ 1.8.9: `%-4s ` prot column (upstream ba98dc47) and syslog's names for LOG levels. */
  v189: boolean;
  /** 1.8.9 and 1.8.10 print protocol numbers with -n (upstream da8ecc62, reverted in 1.8.11). */
  numericProto: boolean;
}

function releaseAtLeast(version: string, want: number[]): boolean {
  const have = version.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < want.length; i++) if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > want[i];
  return true;
}

/** iptables-nft fakes missing built-in chains for listing (nft_xt_fake_builtin_chains). */
function listedChains(t: Table): Chain[] {
  const user = chainsInSaveOrder(t).filter((c) => !isBuiltin(t.name, c.name));
  const builtins = BUILTIN_CHAINS[t.name].map((n) => t.chains.find((c) => c.name === n) ?? { name: n, policy: 'ACCEPT' as const, rules: [] });
  return [...builtins, ...user];
}

/** "N references": rules of the table that jump or go to the chain. */
function references(t: Table): Map<string, number> {
  const refs = new Map<string, number>();
  for (const c of t.chains) for (const r of c.rules) if (r.target) refs.set(r.target.name, (refs.get(r.target.name) ?? 0) + 1);
  return refs;
}

function chainBlock(ctx: Ctx, t: Table, c: Chain): string {
  let s = `Chain ${c.name}`;
  if (isBuiltin(t.name, c.name)) {
    s += ` (policy ${c.policy ?? 'ACCEPT'}`;
    if (ctx.verbose) {
      const [p, b] = ctx.counters?.(c.name, 'policy') ?? [0, 0];
      s += ` ${count(p, !ctx.exact, false)}packets, ${count(b, !ctx.exact, false)}bytes`;
    }
    s += ')\n';
  } else {
    s += ` (${ctx.refs.get(c.name) ?? 0} references)\n`;
  }
  s += columnHeader(ctx);
  c.rules.forEach((r, i) => { s += ruleLine(ctx, c, r, i); });
  return s;
}

function columnHeader(ctx: Ctx): string {
  let s = ctx.lineNumbers ? 'num  ' : '';
  // The header pads bytes to 10 but the rows use 8, as in the real tool.
  if (ctx.verbose) s += ctx.exact ? '    pkts      bytes ' : ' pkts bytes ';
  s += 'target     prot opt';
  if (ctx.verbose) s += ' in     out    ';
  return `${s} ${'source'.padEnd(19)}  ${'destination'.padEnd(19)} \n`;
}

/** xtables_print_num: `%8llu ` exact, or `%5llu `/`%4lluK `… abbreviated; no padding in headers. */
export function count(n: number, abbreviate: boolean, table = true): string {
  if (!abbreviate) return table ? `${String(n).padStart(8)} ` : `${n} `;
  if (n <= 99999) return table ? `${String(n).padStart(5)} ` : `${n} `;
  let v = n;
  for (const unit of ['K', 'M', 'G']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999) return table ? `${String(v).padStart(4)}${unit} ` : `${v}${unit} `;
  }
  v = Math.floor((v + 500) / 1000);
  return table ? `${String(v).padStart(4)}T ` : `${v}T `;
}

function ruleLine(ctx: Ctx, c: Chain, r: Rule, index: number): string {
  let s = ctx.lineNumbers ? `${String(index + 1).padEnd(4)} ` : '';
  if (ctx.verbose) {
    const [p, b] = ctx.counters?.(c.name, index) ?? [0, 0];
    s += count(p, !ctx.exact) + count(b, !ctx.exact);
  }
  s += `${(r.target?.name ?? '').padEnd(9)} `;
  const prot = protoColumn(r, ctx.numeric, ctx.numericProto);
  s += (r.proto?.neg ? '!' : ' ') + (ctx.v189 ? `${prot.padEnd(4)} ` : prot.padEnd(5));
  s += '-- '; // the fragment column: the model has no `-f` rules
  if (ctx.verbose) {
    const any = ctx.numeric ? '*' : 'any';
    const iface = (x: Rule['in']) => (x ? `${x.neg ? '!' : ''}${x.value}` : any);
    s += ` ${iface(r.in).padEnd(6)} ${iface(r.out).padEnd(6)} `;
  }
  s += (r.src?.neg ? '!' : ' ') + `${address(r.src?.value, ctx)} `.padEnd(20);
  s += (r.dst?.neg ? '!' : ' ') + `${address(r.dst?.value, ctx)} `.padEnd(20);
  if (r.target?.goto) s += '[goto] ';
  for (const m of r.matches) s += printMatch(m, r, ctx);
  if (r.target) s += printTarget(r.target, ctx);
  return `${s}\n`;
}

/** proto_to_name: /etc/protocols without -n; with -n only xtables' own short list, else the number. */
function protoColumn(r: Rule, numeric: boolean, numbersOnly: boolean): string {
  const p = r.proto?.value ?? 'all';
  if (!numeric) return p;
  const num = /^\d+$/.test(p) ? Number(p) : protocolNumber(p);
  if (numbersOnly) return String(num ?? p);
  return CHAIN_PROTOS.find(([, n]) => n === num)?.[0] ?? String(num ?? p);
}
/** xtables_chain_protos, first name per number wins (58 reads `icmpv6` with -n). */
const CHAIN_PROTOS: [string, number][] = [
  ['tcp', 6], ['sctp', 132], ['udp', 17], ['udplite', 136], ['icmp', 1], ['icmpv6', 58], ['ipv6-icmp', 58],
  ['esp', 50], ['ah', 51], ['ipv6-mh', 135], ['mh', 135], ['all', 0],
];

/** ipv4_addr_to_string: `anywhere` for /0 without -n, no `/32`, dotted masks when not a prefix. */
function address(cidr: string | undefined, ctx: Ctx): string {
  if (cidr === undefined) return ctx.numeric ? '0.0.0.0/0' : 'anywhere';
  const [ip, mask = '32'] = cidr.split('/');
  if (mask === '0' && !ctx.numeric) return 'anywhere';
  const name = ctx.numeric ? ip : ctx.hostName(ip) ?? ip;
  return mask === '32' ? name : `${name}/${mask}`;
}

function defaultHostName(ip: string): string | undefined {
  return ip === '127.0.0.1' ? 'localhost' : undefined;
}

const get = (opts: Opt[], flag: string): Opt | undefined => opts.find((o) => o.flag === flag);
const has = (opts: Opt[], flag: string): boolean => opts.some((o) => o.flag === flag);
const bang = (o: Opt | undefined, s = ' !'): string => (o?.neg ? s : '');

function printMatch(m: Match, r: Rule, ctx: Ctx): string {
  const o = m.opts;
  const n = ctx.numeric;
  switch (m.name) {
    case 'comment': return ` /* ${get(o, '--comment')?.value ?? ''} */`;
    case 'tcp': {
      let s = ' tcp' + portSpec('spt', get(o, '--sport'), 'tcp', n) + portSpec('dpt', get(o, '--dport'), 'tcp', n);
      const opt = get(o, '--tcp-option');
      if (opt) s += ` option=${opt.neg ? '!' : ''}${opt.value}`;
      const flags = get(o, '--tcp-flags');
      if (flags?.value) s += ` flags:${flags.neg ? '!' : ''}${tcpFlagsText(flags.value, n)}`;
      return s;
    }
    case 'udp': return ' udp' + portSpec('spt', get(o, '--sport'), 'udp', n) + portSpec('dpt', get(o, '--dport'), 'udp', n);
    case 'sctp': {
      const chunks = get(o, '--chunk-types');
      return ' sctp' + portSpec('spt', get(o, '--sport'), 'sctp', n) + portSpec('dpt', get(o, '--dport'), 'sctp', n) +
        (chunks ? `${bang(chunks)} ${chunks.value}` : '');
    }
    case 'limit': {
      const burst = get(o, '--limit-burst')?.value ?? '5';
      return ` limit: avg ${get(o, '--limit')?.value ?? '3/hour'} burst ${burst}`;
    }
    case 'icmp': return ` icmp${icmpText(get(o, '--icmp-type'), n)}`;
    case 'multiport': {
      const p = o[0];
      if (!p?.value) break;
      const kind = p.flag.replace('--', '');
      const proto = r.proto?.value ?? 'tcp';
      const ports = p.value.split(',').map((x) => x.split(':').map((v) => portText(Number(v), proto, n)).join(':')).join(',');
      return ` multiport ${kind} ${bang(p)}${ports}`;
    }
    case 'mark': {
      const mk = get(o, '--mark');
      return ` mark match${bang(mk)} ${mk?.value ?? ''}`;
    }
    case 'conntrack':
    case 'state':
      // conntrack_dump with an empty prefix: the save options without their dashes.
      return o.map((x) => `${bang(x)} ${x.flag.slice(2)}${x.value === undefined ? '' : ` ${conntrackValue(x, ctx)}`}`).join('');
    case 'addrtype': {
      let s = ' ADDRTYPE match';
      for (const [flag, word] of [['--src-type', 'src-type'], ['--dst-type', 'dst-type']] as const) {
        const t = get(o, flag);
        if (t) s += ` ${word} ${t.neg ? '!' : ''}${t.value}`;
      }
      if (has(o, '--limit-iface-in')) s += ' limit-in';
      if (has(o, '--limit-iface-out')) s += ' limit-out';
      return s;
    }
    case 'statistic': {
      const mode = get(o, '--mode')?.value;
      if (mode === 'random') {
        const p = get(o, '--probability');
        return ` statistic mode random${bang(p)} probability ${p?.value ?? ''}`;
      }
      const every = get(o, '--every');
      const packet = get(o, '--packet')?.value ?? '0';
      return ` statistic mode nth${bang(every)} every ${every?.value ?? ''}${packet !== '0' ? ` packet ${packet}` : ''}`;
    }
    case 'recent': return recentText(o);
    case 'nfacct': return ` nfacct-name  ${get(o, '--nfacct-name')?.value ?? ''}`;
    case 'set': return o.map((x) => `${bang(x)} ${x.flag.slice(2)}${x.value === undefined ? '' : ` ${x.value}`}`).join('');
    case 'physdev': return ` PHYSDEV match${o.map((x) => `${bang(x)} ${x.flag}${x.value === undefined ? '' : ` ${x.value}`}`).join('')}`;
    default: break;
  }
  // Extensions this model keeps opaque: their save options, so nothing is hidden.
  return ` ${m.name}${saveOpts(o)}`;
}

function saveOpts(opts: Opt[]): string {
  return opts.map((x) => `${bang(x)} ${x.flag}${x.value === undefined ? '' : ` ${x.value}`}`).join('');
}

/** print_ports of libxt_tcp/libxt_udp: `dpt:80`, `dpts:1000:2000`, with service names unless -n. */
function portSpec(word: string, o: Opt | undefined, proto: string, numeric: boolean): string {
  if (!o?.value) return '';
  const [lo, hi = lo] = o.value.split(':').map(Number);
  if (lo === 0 && hi === 0xffff && !o.neg) return '';
  const inv = o.neg ? '!' : '';
  if (lo === hi) return ` ${word}:${inv}${portText(lo, proto, numeric)}`;
  return ` ${word}s:${inv}${portText(lo, proto, numeric)}:${portText(hi, proto, numeric)}`;
}

function portText(port: number, proto: string, numeric: boolean): string {
  return numeric ? String(port) : portName(port, proto) ?? String(port);
}

const TCP_FLAGS: [string, number][] = [['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20]];

/** `--tcp-flags MASK COMP` as print_flags shows it: names, or `0x%02X/0x%02X` with -n. */
function tcpFlagsText(value: string, numeric: boolean): string {
  const [mask, cmp] = value.split(' ').map(tcpFlagBits);
  if (numeric) return `0x${hex2(mask)}/0x${hex2(cmp)}`;
  return `${tcpFlagNames(mask)}/${tcpFlagNames(cmp)}`;
}
const hex2 = (v: number) => v.toString(16).toUpperCase().padStart(2, '0');

export function tcpFlagBits(list: string): number {
  let bits = 0;
  for (const f of list.split(',')) {
    const u = f.toUpperCase();
    if (u === 'ALL') bits |= 0x3f;
    else bits |= TCP_FLAGS.find(([name]) => name === u)?.[1] ?? 0;
  }
  return bits;
}

/** print_tcpf: names in bit order, `NONE` for no bits. */
export function tcpFlagNames(bits: number): string {
  const names = TCP_FLAGS.filter(([, b]) => bits & b).map(([name]) => name);
  return names.length ? names.join(',') : 'NONE';
}

/** libipt_icmp print_icmptype: a name from its table unless -n, else `type N [code C]`. */
function icmpText(o: Opt | undefined, numeric: boolean): string {
  const t = icmpTypeFromSave(o?.value ?? 'any');
  const inv = o?.neg ?? false;
  if (!numeric) {
    const named = ICMP_TYPES.find((x) => x[1] === t.type && x[2] === t.codeMin && x[3] === t.codeMax);
    if (named) return ` ${inv ? '!' : ''}${named[0]}`;
  }
  // No space before "type": the real tool prints "icmptype 8".
  let s = `${inv ? ' !' : ''}type ${t.type}`;
  if (t.codeMin === t.codeMax) s += ` code ${t.codeMin}`;
  else if (t.codeMin !== 0 || t.codeMax !== 0xff) s += ` codes ${t.codeMin}-${t.codeMax}`;
  return s;
}

function icmpTypeFromSave(v: string): { type: number; codeMin: number; codeMax: number } {
  if (v === 'any') return { type: 0xff, codeMin: 0, codeMax: 0xff };
  const [type, code] = v.split('/').map(Number);
  return code === undefined ? { type, codeMin: 0, codeMax: 0xff } : { type, codeMin: code, codeMax: code };
}

function conntrackValue(o: Opt, ctx: Ctx): string {
  const v = o.value ?? '';
  if (!/^--ct(orig|repl)(src|dst)$/.test(o.flag) || ctx.numeric) return v;
  return address(v, ctx);
}

/** recent_print: `recent: CHECK seconds: 10800 reap name: X side: source mask: 255.255.255.255`. */
function recentText(o: Opt[]): string {
  let s = o[0]?.neg ? ' !' : '';
  s += ' recent:';
  const words: [string, string][] = [['--set', 'SET'], ['--rcheck', 'CHECK'], ['--update', 'UPDATE'], ['--remove', 'REMOVE']];
  for (const [flag, word] of words) if (has(o, flag)) s += ` ${word}`;
  const seconds = get(o, '--seconds');
  if (seconds) s += ` seconds: ${seconds.value}`;
  if (has(o, '--reap')) s += ' reap';
  const hits = get(o, '--hitcount');
  if (hits) s += ` hit_count: ${hits.value}`;
  if (has(o, '--rttl')) s += ' TTL-Match';
  s += ` name: ${get(o, '--name')?.value ?? 'DEFAULT'}`;
  s += has(o, '--rdest') ? ' side: dest' : ' side: source';
  s += ` mask: ${get(o, '--mask')?.value ?? '255.255.255.255'}`;
  return s;
}

function printTarget(t: Target, ctx: Ctx): string {
  const o = t.opts;
  const flagWords = (pairs: [string, string][]) => pairs.filter(([f]) => has(o, f)).map(([, w]) => ` ${w}`).join('');
  switch (t.name) {
    case 'REJECT': return ` reject-with ${get(o, '--reject-with')?.value ?? 'icmp-port-unreachable'}`;
    case 'DNAT':
      return ` to:${get(o, '--to-destination')?.value ?? ''}${flagWords([['--random', 'random'], ['--persistent', 'persistent']])}`;
    case 'SNAT':
      return ` to:${get(o, '--to-source')?.value ?? ''}${flagWords([['--random', 'random'], ['--random-fully', 'random-fully'], ['--persistent', 'persistent']])}`;
    case 'MASQUERADE': {
      const ports = get(o, '--to-ports');
      return (ports ? ` masq ports: ${ports.value}` : '') + flagWords([['--random', 'random'], ['--random-fully', 'random-fully']]);
    }
    case 'REDIRECT': {
      const ports = get(o, '--to-ports');
      return ports ? ` redir ports ${ports.value}${flagWords([['--random', 'random']])}` : '';
    }
    case 'MARK': return markText(get(o, '--set-xmark')?.value ?? '0x0/0xffffffff');
    case 'LOG': return logText(o, ctx.numeric, ctx.v189 ? SYSLOG_LEVELS : LOG_LEVELS);
    case 'CHECKSUM': return ` CHECKSUM${has(o, '--checksum-fill') ? ' fill' : ''}`;
    default: return o.length ? saveOpts(o) : '';
  }
}

/** mark_tg_print (MARK revision 2): the operation the mark/mask pair amounts to. */
function markText(xmark: string): string {
  const [mark, mask] = xmark.split('/').map((x) => Number(x) >>> 0);
  const hex = (v: number) => `0x${v.toString(16)}`;
  if (mark === 0) return ` MARK and ${hex(~mask >>> 0)}`;
  if (mark === mask) return ` MARK or ${hex(mark)}`;
  if (mask === 0) return ` MARK xor ${hex(mark)}`;
  if (mask === 0xffffffff) return ` MARK set ${hex(mark)}`;
  return ` MARK xset ${hex(mark)}/${hex(mask)}`;
}

/** libipt_LOG's own table (≤ 1.8.8), first name per level wins. */
const LOG_LEVELS: [string, number][] = [
  ['alert', 1], ['crit', 2], ['debug', 7], ['emerg', 0], ['error', 3], ['info', 6], ['notice', 5], ['panic', 0], ['warning', 4],
];
/** glibc's prioritynames, which libxt_LOG uses from 1.8.9 on. */
const SYSLOG_LEVELS: [string, number][] = [
  ['alert', 1], ['crit', 2], ['debug', 7], ['emerg', 0], ['err', 3], ['error', 3], ['info', 6], ['notice', 5], ['panic', 0], ['warn', 4], ['warning', 4],
];
const LOG_FLAGS: [string, number, string][] = [
  ['--log-tcp-sequence', 0x01, 'tcp-sequence'], ['--log-tcp-options', 0x02, 'tcp-options'], ['--log-ip-options', 0x04, 'ip-options'],
  ['--log-uid', 0x08, 'uid'], ['--log-macdecode', 0x20, 'macdecode'],
];

/** libipt_LOG print. The prefix is stored as iptables-save quotes it (see parse.ts). */
function logText(o: Opt[], numeric: boolean, levels: [string, number][]): string {
  const level = Number(get(o, '--log-level')?.value ?? 4);
  const flags = LOG_FLAGS.filter(([f]) => has(o, f));
  let s = ' LOG';
  if (numeric) s += ` flags ${flags.reduce((a, [, bit]) => a | bit, 0)} level ${level}`;
  else {
    const name = levels.find(([, l]) => l === level)?.[0];
    s += name ? ` level ${name}` : ` UNKNOWN level ${level}`;
    s += flags.map(([, , word]) => ` ${word}`).join('');
  }
  const prefix = get(o, '--log-prefix')?.value;
  if (prefix) s += ` prefix "${unquoteSaved(prefix)}"`;
  return s;
}

/** Undoes xtables_save_string. */
export function unquoteSaved(v: string): string {
  if (!(v.length >= 2 && v.startsWith('"') && v.endsWith('"'))) return v;
  return v.slice(1, -1).replace(/\\(.)/g, '$1');
}

// ---------------------------------------------------------------------------------------
// The names a node's libc gives numbers (Debian 12 netbase /etc/services and /etc/protocols,
// first entry per port as getservbyport returns it; kind and most distro nodes agree).

const SERVICES: Record<string, string> = {
  tcp:
    '1 tcpmux 7 echo 9 discard 11 systat 13 daytime 15 netstat 17 qotd 19 chargen 20 ftp-data 21 ftp ' +
    '22 ssh 23 telnet 25 smtp 37 time 43 whois 49 tacacs 53 domain 70 gopher 79 finger 80 http ' +
    '88 kerberos 102 iso-tsap 104 acr-nema 110 pop3 111 sunrpc 113 auth 119 nntp 135 epmap ' +
    '139 netbios-ssn 143 imap2 161 snmp 162 snmp-trap 163 cmip-man 164 cmip-agent 174 mailq 179 bgp ' +
    '199 smux 209 qmtp 210 z3950 345 pawserv 346 zserv 369 rpc2portmap 370 codaauth2 389 ldap ' +
    '427 svrloc 443 https 444 snpp 445 microsoft-ds 464 kpasswd 465 submissions 487 saft 554 rtsp ' +
    '607 nqs 628 qmqp 631 ipp 646 ldp 512 exec 513 login 514 shell 515 printer 538 gdomap 540 uucp ' +
    '543 klogin 544 kshell 548 afpovertcp 563 nntps 587 submission 636 ldaps 655 tinc 706 silc ' +
    '749 kerberos-adm 853 domain-s 873 rsync 989 ftps-data 990 ftps 992 telnets 993 imaps 995 pop3s ' +
    '1080 socks 1093 proofd 1094 rootd 1194 openvpn 1099 rmiregistry 1352 lotusnote 1433 ms-sql-s ' +
    '1524 ingreslock 1645 datametrics 1646 sa-msg-port 1649 kermit 1677 groupwise 1812 radius ' +
    '1813 radius-acct 2000 cisco-sccp 2049 nfs 2086 gnunet 2101 rtcm-sc104 2119 gsigatekeeper 2135 gris ' +
    '2401 cvspserver 2430 venus 2431 venus-se 2432 codasrv 2433 codasrv-se 2583 mon 2628 dict ' +
    '2792 f5-globalsite 2811 gsiftp 2947 gpsd 3050 gds-db 3205 isns 3260 iscsi-target 3306 mysql ' +
    '3389 ms-wbt-server 3493 nut 3632 distcc 3689 daap 3690 svn 4031 suucp 4094 sysrqd 4190 sieve ' +
    '4369 epmd 4373 remctl 4353 f5-iquery 4460 ntske 4691 mtn 4899 radmin-port 5060 sip 5061 sip-tls ' +
    '5222 xmpp-client 5269 xmpp-server 5308 cfengine 5432 postgresql 5556 freeciv 5671 amqps 5672 amqp ' +
    '6000 x11 6001 x11-1 6002 x11-2 6003 x11-3 6004 x11-4 6005 x11-5 6006 x11-6 6007 x11-7 ' +
    '6346 gnutella-svc 6347 gnutella-rtr 6379 redis 6444 sge-qmaster 6445 sge-execd 6446 mysql-proxy ' +
    '6697 ircs-u 7000 bbs 7100 font-service 8080 http-alt 8140 puppet 9101 bacula-dir 9102 bacula-fd ' +
    '9103 bacula-sd 9667 xmms2 10809 nbd 10050 zabbix-agent 10051 zabbix-trapper 10080 amanda ' +
    '11112 dicom 11371 hkp 17500 db-lsp 22125 dcap 22128 gsidcap 22273 wnn6 750 kerberos4 ' +
    '751 kerberos-master 754 krb-prop 2121 iprop 871 supfilesrv 1127 supfiledbg 106 poppassd ' +
    '775 moira-db 777 moira-update 783 spamd 1178 skkserv 1236 rmtcfg 1313 xtel 1314 xtelw 2600 zebrasrv ' +
    '2601 zebra 2602 ripd 2603 ripngd 2604 ospfd 2605 bgpd 2606 ospf6d 2607 ospfapi 2608 isisd 4557 fax ' +
    '4559 hylafax 4949 munin 5666 nrpe 5667 nsca 5680 canna 6514 syslog-tls 6566 sane-port 6667 ircd ' +
    '8021 zope-ftp 8081 tproxy 8088 omniorb 8990 clc-build-daemon 9098 xinetd 9418 git 9673 zope ' +
    '10000 webmin 10081 kamanda 10082 amandaidx 10083 amidxtape 17004 sgi-cad 24554 binkp 27374 asp ' +
    '30865 csync2 57000 dircproxy 60177 tfido 60179 fido',
  udp:
    '7 echo 9 discard 13 daytime 19 chargen 21 fsp 37 time 49 tacacs 53 domain 67 bootps 68 bootpc ' +
    '69 tftp 88 kerberos 111 sunrpc 123 ntp 137 netbios-ns 138 netbios-dgm 161 snmp 162 snmp-trap ' +
    '163 cmip-man 164 cmip-agent 177 xdmcp 213 ipx 319 ptp-event 320 ptp-general 369 rpc2portmap ' +
    '370 codaauth2 371 clearcase 389 ldap 427 svrloc 443 https 464 kpasswd 500 isakmp 554 rtsp ' +
    '623 asf-rmcp 646 ldp 512 biff 513 who 514 syslog 517 talk 518 ntalk 520 route 538 gdomap ' +
    '546 dhcpv6-client 547 dhcpv6-server 636 ldaps 655 tinc 853 domain-s 1194 openvpn 1434 ms-sql-m ' +
    '1645 datametrics 1646 sa-msg-port 1701 l2f 1812 radius 1813 radius-acct 2049 nfs 2086 gnunet ' +
    '2101 rtcm-sc104 2430 venus 2431 venus-se 2432 codasrv 2433 codasrv-se 2583 mon 3130 icpv2 3205 isns ' +
    '3493 nut 4500 ipsec-nat-t 4569 iax 5060 sip 5061 sip-tls 5353 mdns 6346 gnutella-svc ' +
    '6347 gnutella-rtr 6696 babel 7000 afs3-fileserver 7001 afs3-callback 7002 afs3-prserver ' +
    '7003 afs3-vlserver 7004 afs3-kaserver 7005 afs3-volser 7007 afs3-bos 7008 afs3-update ' +
    '7009 afs3-rmtsys 750 kerberos4 751 kerberos-master 752 passwd-server 2102 zephyr-srv 2103 zephyr-clt ' +
    '2104 zephyr-hm 779 moira-ureg 1210 predict 5555 rplay 17001 sgi-cmsd 17002 sgi-crsd 17003 sgi-gcd ' +
    '27374 asp',
  sctp: '5672 amqp',
};

const PROTOCOLS =
  '1 icmp 2 igmp 3 ggp 4 ipencap 5 st 6 tcp 8 egp 9 igp 12 pup 17 udp 20 hmp 22 xns-idp 27 rdp 29 iso-tp4 ' +
  '33 dccp 36 xtp 37 ddp 38 idpr-cmtp 41 ipv6 43 ipv6-route 44 ipv6-frag 45 idrp 46 rsvp 47 gre 50 esp ' +
  '51 ah 57 skip 58 ipv6-icmp 59 ipv6-nonxt 60 ipv6-opts 73 rspf 81 vmtp 88 eigrp 89 ospf 93 ax.25 94 ipip ' +
  '97 etherip 98 encap 103 pim 108 ipcomp 112 vrrp 115 l2tp 124 isis 132 sctp 133 fc 135 mobility-header ' +
  '136 udplite 137 mpls-in-ip 138 manet 139 hip 140 shim6 141 wesp 142 rohc 143 ethernet';

function pairs(text: string): [number, string][] {
  const w = text.split(' ');
  const out: [number, string][] = [];
  for (let i = 0; i + 1 < w.length; i += 2) out.push([Number(w[i]), w[i + 1]]);
  return out;
}

const servicesByProto = new Map(Object.entries(SERVICES).map(([p, text]) => [p, pairs(text)]));
const protocols = pairs(PROTOCOLS);

/** getservbyport(port, proto). */
export function portName(port: number, proto: string): string | undefined {
  return servicesByProto.get(proto)?.find(([p]) => p === port)?.[1];
}

/** getservbyname(name, proto). */
export function servicePort(name: string, proto: string): number | undefined {
  return servicesByProto.get(proto)?.find(([, n]) => n === name)?.[0];
}

/** getprotobynumber. */
export function protocolName(num: number): string | undefined {
  return protocols.find(([n]) => n === num)?.[1];
}

export function protocolNumber(name: string): number | undefined {
  if (name === 'all') return 0;
  return protocols.find(([, n]) => n === name)?.[0];
}

/** libipt_icmp's icmp_codes: name, type, code range. */
export const ICMP_TYPES: [string, number, number, number][] = [
  ['any', 0xff, 0, 0xff], ['echo-reply', 0, 0, 0xff], ['pong', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff], ['network-unreachable', 3, 0, 0], ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2], ['port-unreachable', 3, 3, 3], ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5], ['network-unknown', 3, 6, 6], ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9], ['host-prohibited', 3, 10, 10], ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12], ['communication-prohibited', 3, 13, 13], ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15], ['source-quench', 4, 0, 0xff], ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0], ['host-redirect', 5, 1, 1], ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3], ['echo-request', 8, 0, 0xff], ['ping', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff], ['router-solicitation', 10, 0, 0xff], ['time-exceeded', 11, 0, 0xff],
  ['ttl-exceeded', 11, 0, 0xff], ['ttl-zero-during-transit', 11, 0, 0], ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff], ['ip-header-bad', 12, 0, 0], ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff], ['timestamp-reply', 14, 0, 0xff], ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];
