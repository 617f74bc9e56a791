// Walks one table's built-in chain for a packet the way the kernel's xtables do: rules in
// order, header matches then each `-m` match, jumps and returns through user chains,
// built-in policies. `-m statistic --mode random` forks the walk into both outcomes with
// their probabilities (enumeration) or asks a chooser (sampling). Hops list exactly the
// rules whose matches all held, as `xtables-monitor --trace` does.
import type { Chain, Match, Rule, RuleOrigin, Table, TableName } from './ruleset';
import { findChain, isBuiltin } from './ruleset';
import { printRule } from './save';
import { ruleParts } from './text-rule';
import type { ConnInfo, Packet } from './packet';
import { inCidr } from './packet';
import { kernelProbability, probabilityValue } from './probability';

export interface NetfilterEnv {
  /** `-m addrtype` type of an address on this node: LOCAL, UNICAST, BROADCAST, MULTICAST… */
  addrType(ip: string): string;
  /** `-m recent` lists: name → source address → last-seen time (ms). Mutated by --set. */
  recent: Map<string, Map<string, number>>;
  now: number;
  /** MASQUERADE's source address for an outgoing interface. */
  masqueradeAddress(outIface: string | undefined, dst: string): string;
  /** ipset contents for `-m set` (IPVS mode). */
  ipsetHas?(name: string, p: Packet, flags: string): boolean;
  /** When given, counts every rule the packet is compared against (the kernel's linear walk). */
  stats?: { evaluated: number };
}

/** How random choices are made: enumerate both branches, or draw one. */
export type Chooser = (probability: number) => boolean | 'both';

export interface TableHop {
  table: TableName;
  chain: string;
  /** The rule as `iptables -S` prints it; null for a built-in chain's policy. */
  rule: string | null;
  ruleIndex: number | null;
  verdict: string;
  before: Packet;
  after: Packet;
  /** Who wrote the rule (Service, endpoint), when known. */
  origin?: RuleOrigin;
}

export type TableVerdict = 'ACCEPT' | 'DROP' | 'REJECT';

export interface TableOutcome {
  probability: number;
  hops: TableHop[];
  verdict: TableVerdict;
  packet: Packet;
  /** NAT done by this table: the new destination (DNAT) or source (SNAT/MASQUERADE). */
  dnat?: { ip: string; port: number };
  snat?: { ip: string; port?: number };
}

interface State {
  probability: number;
  hops: TableHop[];
  packet: Packet;
  recentSets: [string, string][];
}

type ChainResult =
  | { kind: 'return'; state: State }
  | { kind: 'final'; state: State; verdict: TableVerdict; dnat?: TableOutcome['dnat']; snat?: TableOutcome['snat'] };

const MAX_DEPTH = 64;

export function traverseTable(table: Table, chainName: string, packet: Packet, ct: ConnInfo, env: NetfilterEnv, choose: Chooser): TableOutcome[] {
  const chain = findChain(table, chainName);
  const start: State = { probability: 1, hops: [], packet: { ...packet }, recentSets: [] };
  if (!chain) return [{ probability: 1, hops: [], verdict: 'ACCEPT', packet: { ...packet } }];
  const results = runChain(table, chain, 0, start, ct, env, choose, 0);
  const out: TableOutcome[] = [];
  for (const r of results) {
    const recent = r.state.recentSets;
    for (const [name, src] of recent) {
      let list = env.recent.get(name);
      if (!list) { list = new Map(); env.recent.set(name, list); }
      list.set(src, env.now);
    }
    if (r.kind === 'final') {
      out.push({ probability: r.state.probability, hops: r.state.hops, verdict: r.verdict, packet: r.state.packet, dnat: r.dnat, snat: r.snat });
    } else {
      // Fell off (or RETURNed from) the built-in chain: its policy decides.
      const policy = (chain.policy ?? 'ACCEPT') as TableVerdict;
      const hop: TableHop = { table: table.name, chain: chain.name, rule: null, ruleIndex: null, verdict: `POLICY:${policy}`, before: r.state.packet, after: r.state.packet };
      out.push({ probability: r.state.probability, hops: [...r.state.hops, hop], verdict: policy, packet: r.state.packet });
    }
  }
  return out;
}

function runChain(table: Table, chain: Chain, from: number, state: State, ct: ConnInfo, env: NetfilterEnv, choose: Chooser, depth: number): ChainResult[] {
  if (depth > MAX_DEPTH) return [{ kind: 'final', state, verdict: 'DROP' }]; // a jump loop: the kernel refuses such rulesets
  for (let i = from; i < chain.rules.length; i++) {
    const r = chain.rules[i];
    if (env.stats) env.stats.evaluated++;
    const m = matchRule(r, state.packet, ct, env);
    if (m === false) continue;
    if (m !== true) {
      // A random match: fork, or draw.
      const c = choose(m.probability);
      if (c === 'both') {
        const hit: State = { ...state, probability: state.probability * m.probability, hops: [...state.hops] };
        const miss: State = { ...state, probability: state.probability * (1 - m.probability), hops: [...state.hops] };
        return [
          ...(m.probability > 0 ? applyTarget(table, chain, i, r, hit, ct, env, choose, depth) : []),
          ...(m.probability < 1 ? runChain(table, chain, i + 1, miss, ct, env, choose, depth) : []),
        ];
      }
      if (!c) continue;
    }
    return applyTarget(table, chain, i, r, state, ct, env, choose, depth);
  }
  return [{ kind: 'return', state }];
}

function applyTarget(table: Table, chain: Chain, i: number, r: Rule, state: State, ct: ConnInfo, env: NetfilterEnv, choose: Chooser, depth: number): ChainResult[] {
  const before = state.packet;
  const hop = (verdict: string, after = before): TableHop => ({ table: table.name, chain: chain.name, rule: printRule(chain.name, r), ruleIndex: i, verdict, before, after, ...(r.origin ? { origin: r.origin } : {}) });
  const withHop = (h: TableHop, p = state.packet): State => ({ ...state, packet: p, hops: [...state.hops, h] });
  const recentSets = r.matches.filter((m) => m.name === 'recent' && m.opts.some((o) => o.flag === '--set')).map((m) => [optValue(m, '--name') ?? 'DEFAULT', before.src] as [string, string]);
  if (recentSets.length) state = { ...state, recentSets: [...state.recentSets, ...recentSets] };
  const t = r.target;
  if (!t) {
    // A rule without a target only counts the packet.
    return runChain(table, chain, i + 1, withHop(hop('CONTINUE')), ct, env, choose, depth);
  }
  const target = findChain(table, t.name);
  if (target && !isBuiltin(table.name, t.name)) {
    const s = withHop(hop(`JUMP:${t.name}`));
    const results = runChain(table, target, 0, s, ct, env, choose, depth + 1);
    const out: ChainResult[] = [];
    for (const res of results) {
      if (res.kind === 'final') out.push(res);
      else if (t.goto) out.push(res); // a goto returns to the caller's caller
      else out.push(...runChain(table, chain, i + 1, res.state, ct, env, choose, depth));
    }
    return out;
  }
  switch (t.name) {
    case 'ACCEPT': return [{ kind: 'final', state: withHop(hop('ACCEPT')), verdict: 'ACCEPT' }];
    case 'DROP': return [{ kind: 'final', state: withHop(hop('DROP')), verdict: 'DROP' }];
    case 'REJECT': return [{ kind: 'final', state: withHop(hop('REJECT')), verdict: 'REJECT' }];
    case 'RETURN': return [{ kind: 'return', state: withHop(hop('RETURN')) }];
    case 'MARK': {
      const v = optValue(t, '--set-xmark') ?? optValue(t, '--set-mark');
      let mark = before.mark;
      if (v) {
        const [value, mask] = v.split('/').map((x) => Number(x));
        const mk = mask === undefined ? 0xffffffff : mask;
        mark = ((mark & ~mk) ^ value) >>> 0;
      }
      const after = { ...before, mark };
      return runChain(table, chain, i + 1, withHop(hop('CONTINUE', after), after), ct, env, choose, depth);
    }
    case 'DNAT': {
      const to = optValue(t, '--to-destination') ?? '';
      const [ip, port] = to.split(':');
      const after = { ...before, dst: ip, dport: port ? Number(port) : before.dport };
      return [{ kind: 'final', state: withHop(hop('ACCEPT', after), after), verdict: 'ACCEPT', dnat: { ip, port: after.dport } }];
    }
    case 'SNAT': {
      const to = optValue(t, '--to-source') ?? '';
      const [ip, port] = to.split(':');
      const after = { ...before, src: ip, sport: port ? Number(port) : before.sport };
      return [{ kind: 'final', state: withHop(hop('ACCEPT', after), after), verdict: 'ACCEPT', snat: { ip, port: port ? Number(port) : undefined } }];
    }
    case 'MASQUERADE': {
      const ip = env.masqueradeAddress(before.out, before.dst);
      const after = { ...before, src: ip };
      return [{ kind: 'final', state: withHop(hop('ACCEPT', after), after), verdict: 'ACCEPT', snat: { ip } }];
    }
    default:
      // Non-terminal targets the simulator does not model further (LOG, TRACE, CT…) continue.
      return runChain(table, chain, i + 1, withHop(hop('CONTINUE')), ct, env, choose, depth);
  }
}

function optValue(m: { opts: { flag: string; value?: string }[] }, flag: string): string | undefined {
  return m.opts.find((o) => o.flag === flag)?.value;
}

/** true / false, or a random match with its probability. */
function matchRule(rule: Rule, p: Packet, ct: ConnInfo, env: NetfilterEnv): boolean | { probability: number } {
  const r = ruleParts(rule);
  if (r.src && inCidr(p.src, r.src.value) === r.src.neg) return false;
  if (r.dst && inCidr(p.dst, r.dst.value) === r.dst.neg) return false;
  if (r.in && ifaceMatch(p.in, r.in.value) === r.in.neg) return false;
  if (r.out && ifaceMatch(p.out, r.out.value) === r.out.neg) return false;
  if (r.proto && (r.proto.value === 'all' || r.proto.value === p.proto) === r.proto.neg) return false;
  let random: { probability: number } | undefined;
  for (const m of r.matches) {
    const res = matchExtension(m, p, ct, env);
    if (res === false) return false;
    if (res !== true) random = res;
  }
  return random ?? true;
}

function ifaceMatch(iface: string | undefined, pattern: string): boolean {
  if (!iface) return false;
  return pattern.endsWith('+') ? iface.startsWith(pattern.slice(0, -1)) : iface === pattern;
}

function portIn(port: number, spec: string): boolean {
  return spec.split(',').some((part) => {
    const [a, b] = part.split(':');
    const lo = a === '' ? 0 : Number(a);
    const hi = b === undefined ? lo : b === '' ? 65535 : Number(b);
    return port >= lo && port <= hi;
  });
}

function matchExtension(m: Match, p: Packet, ct: ConnInfo, env: NetfilterEnv): boolean | { probability: number } {
  const each = (f: (flag: string, value: string | undefined) => boolean) => m.opts.every((o) => f(o.flag, o.value) !== !!o.neg);
  switch (m.name) {
    case 'comment': case 'nfacct': case 'limit': case 'physdev':
      return true;
    case 'tcp': case 'udp': case 'sctp':
      if (p.proto !== m.name) return false;
      return each((flag, v) => {
        if (flag === '--dport' || flag === '--destination-port') return portIn(p.dport, v ?? '');
        if (flag === '--sport' || flag === '--source-port') return portIn(p.sport, v ?? '');
        return true; // --tcp-flags / --syn: a connection's first packet is a SYN
      });
    case 'multiport':
      return each((flag, v) => {
        if (flag === '--dports' || flag === '--destination-ports') return portIn(p.dport, v ?? '');
        if (flag === '--sports' || flag === '--source-ports') return portIn(p.sport, v ?? '');
        if (flag === '--ports') return portIn(p.dport, v ?? '') || portIn(p.sport, v ?? '');
        return true;
      });
    case 'mark':
      return each((flag, v) => {
        if (flag !== '--mark' || !v) return true;
        const [value, mask] = v.split('/').map(Number);
        return (p.mark & (mask ?? 0xffffffff)) >>> 0 === value >>> 0;
      });
    case 'addrtype':
      return each((flag, v) => {
        if (flag === '--src-type') return (v ?? '').split(',').includes(env.addrType(p.src));
        if (flag === '--dst-type') return (v ?? '').split(',').includes(env.addrType(p.dst));
        return true;
      });
    case 'conntrack': case 'state':
      return each((flag, v) => {
        if (flag !== '--ctstate' && flag !== '--state') return true;
        const states = (v ?? '').split(',');
        return states.includes(ct.state) || (states.includes('DNAT') && ct.dnat) || (states.includes('SNAT') && ct.snat);
      });
    case 'statistic': {
      const prob = optValue(m, '--probability');
      if (optValue(m, '--mode') === 'random' && prob !== undefined) {
        const pr = probabilityValue(kernelProbability(prob));
        const neg = m.opts.find((o) => o.flag === '--probability')?.neg;
        return { probability: neg ? 1 - pr : pr };
      }
      return true;
    }
    case 'recent': {
      const name = optValue(m, '--name') ?? 'DEFAULT';
      if (m.opts.some((o) => o.flag === '--set')) return true;
      const check = m.opts.find((o) => o.flag === '--rcheck' || o.flag === '--update');
      if (!check) return true;
      const seen = env.recent.get(name)?.get(p.src);
      const seconds = optValue(m, '--seconds');
      const fresh = seen !== undefined && (seconds === undefined || env.now - seen <= Number(seconds) * 1000);
      return fresh !== !!check.neg;
    }
    case 'set': {
      const spec = m.opts.find((o) => o.flag === '--match-set');
      if (!spec?.value) return false;
      const [name, flags] = spec.value.split(' ');
      const has = env.ipsetHas ? env.ipsetHas(name, p, flags ?? 'dst') : false;
      return has !== !!spec.neg;
    }
    case 'iprange':
      return each((flag, v) => {
        const [a, b] = (v ?? '').split('-');
        const ip = flag === '--src-range' ? p.src : p.dst;
        const n = (s: string) => s.split('.').reduce((x, y) => x * 256 + Number(y), 0);
        return n(ip) >= n(a) && n(ip) <= n(b ?? a);
      });
    default:
      return false; // an extension the simulator does not know never matches (the trace shows it was skipped)
  }
}
