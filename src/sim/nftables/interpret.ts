// Walks a packet through the base chains of one netfilter hook in an nftables table, the way
// the kernel's nft_do_chain does: base chains in priority order (a chain's `accept` ends that
// chain only — the next base chain of the hook still runs; `drop`/`reject` end the hook), rules
// in order, `jump` pushes and `goto` replaces, falling off a regular chain returns, falling off
// a base chain applies its policy. nat-type base chains see only a connection's first packet
// (ct state new), as in the kernel.
//
// The hops are what `nft monitor trace` reports: one per rule whose matches all held (a verdict
// map lookup that found its key is such a rule), with the kernel's verdict words — `jump X`,
// `goto X`, `accept` (also for dnat / masquerade), `drop` (also for reject: the kernel reports
// the NF_DROP that follows the ICMP error), `return`, `continue` (a rule with no verdict, e.g.
// `meta mark set …`) — and `policy accept` when a base chain falls through.
//
// Randomness: `numgen random mod N vmap { … }` picks each of its N entries with probability 1/N.
// With a Chooser that answers 'both' (asked once, with p = 1/N) every entry is enumerated, each
// path carrying 1/N; otherwise the entry is drawn by successive binary choices — choose(1/N)
// for entry 0, then choose(1/(N−1)) for entry 1, … (the last entry takes what remains), which is
// uniform and consumes random numbers the same way as iptables mode's statistic cascade.
import type { ConnInfo, Packet } from '../netfilter/packet';
import { inCidr } from '../netfilter/packet';
import type { Chooser } from '../netfilter/interpret';
import type { NftChain, NftHook, NftMapElement, NftOrigin, NftRule, NftSet, NftTable } from './model';
import { findChain, findMap, findSet } from './model';
import { parseNftRule, type Expr, type Rhs, type Selector, type Stmt } from './parse';

export type { Chooser } from '../netfilter/interpret';

export interface NftEnv {
  /** `fib … type`: LOCAL, UNICAST, BROADCAST… (as the iptables interpreter's addrtype). */
  addrType(ip: string): string;
  /** Clock (ms), for the affinity sets' timeouts. */
  now: number;
  /** MASQUERADE's source address for an outgoing interface. */
  masqueradeAddress(outIface: string | undefined, dst: string): string;
  /** When given, counts every rule compared and every set or map lookup. */
  stats?: { evaluated: number };
  /**
   * Dynamic sets (`update @affinity-… { ip saddr }`): set name → key → time (ms) of the last
   * update. Read by `ip saddr @affinity-…`; written when a traversal ends, for every outcome
   * returned (so pass a copy, or none, when enumerating paths with 'both'). Without it the
   * affinity sets are empty and nothing is remembered.
   */
  dynamicSets?: Map<string, Map<string, number>>;
  /**
   * Skip the nat base chains even for a NEW connection (e.g. the walker already NATed this
   * connection on the node). Cheaper than passing a filtered copy of the table, which defeats
   * the per-table name indexes.
   */
  skipNat?: boolean;
}

export interface NftHop {
  /** `ip kube-proxy` */
  table: string;
  chain: string;
  /** The rule as `nft list` prints it; null for a base chain's policy. */
  rule: string | null;
  ruleIndex: number | null;
  /** In `nft monitor trace` words: `jump X`, `goto X`, `accept`, `drop`, `continue`, `return`, `policy accept`. */
  verdict: string;
  before: Packet;
  after: Packet;
  origin?: NftOrigin;
}

export type NftVerdict = 'ACCEPT' | 'DROP' | 'REJECT';

export interface NftOutcome {
  probability: number;
  hops: NftHop[];
  verdict: NftVerdict;
  packet: Packet;
  dnat?: { ip: string; port: number };
  snat?: { ip: string; port?: number };
  /** Dynamic set updates this path made (`update @set { ip saddr }`). */
  setUpdates?: { set: string; key: string }[];
}

interface State {
  probability: number;
  hops: NftHop[];
  packet: Packet;
  updates: { set: string; key: string }[];
  dnat?: NftOutcome['dnat'];
  snat?: NftOutcome['snat'];
}

type Result =
  | { kind: 'return'; state: State }
  | { kind: 'final'; state: State; verdict: NftVerdict };

const MAX_DEPTH = 16; // the kernel's NFT_JUMP_STACK_SIZE

const baseChainCache = new WeakMap<object, { size: number; byHook: Map<NftHook, NftChain[]> }>();

/** The base chains of `hook`, in the order the kernel runs them (priority, then creation). */
export function baseChainsOf(table: NftTable, hook: NftHook): NftChain[] {
  let c = baseChainCache.get(table.chains);
  if (!c || c.size !== table.chains.length) {
    const byHook = new Map<NftHook, NftChain[]>();
    table.chains.forEach((ch) => { if (ch.base) (byHook.get(ch.base.hook) ?? byHook.set(ch.base.hook, []).get(ch.base.hook)!).push(ch); });
    for (const list of byHook.values()) list.sort((a, b) => a.base!.priority - b.base!.priority); // stable: creation order on ties
    c = { size: table.chains.length, byHook };
    baseChainCache.set(table.chains, c);
  }
  return c.byHook.get(hook) ?? [];
}

export function traverseNftHook(table: NftTable, hook: NftHook, packet: Packet, ct: ConnInfo, env: NftEnv, choose: Chooser): NftOutcome[] {
  let states: State[] = [{ probability: 1, hops: [], packet: { ...packet }, updates: [] }];
  const finished: NftOutcome[] = [];
  const tableName = `${table.family} ${table.name}`;
  for (const chain of baseChainsOf(table, hook)) {
    if (chain.base!.type === 'nat' && (ct.state !== 'NEW' || env.skipNat)) continue;
    const next: State[] = [];
    for (const st of states) {
      for (const r of runChain(table, tableName, chain, st, ct, env, choose, 0)) {
        if (r.kind === 'final' && r.verdict !== 'ACCEPT') { finished.push(outcome(r.state, r.verdict)); continue; }
        if (r.kind === 'return') {
          const policy = chain.base!.policy ?? 'accept';
          const hop: NftHop = { table: tableName, chain: chain.name, rule: null, ruleIndex: null, verdict: `policy ${policy}`, before: r.state.packet, after: r.state.packet };
          const s = { ...r.state, hops: [...r.state.hops, hop] };
          if (policy === 'drop') { finished.push(outcome(s, 'DROP')); continue; }
          next.push(s);
        } else next.push(r.state);
      }
    }
    states = next;
  }
  const all = [...finished, ...states.map((s) => outcome(s, 'ACCEPT'))];
  if (env.dynamicSets) {
    for (const o of all) {
      for (const u of o.setUpdates ?? []) {
        let m = env.dynamicSets.get(u.set);
        if (!m) { m = new Map(); env.dynamicSets.set(u.set, m); }
        m.set(u.key, env.now);
      }
    }
  }
  return all;
}

function outcome(s: State, verdict: NftVerdict): NftOutcome {
  return {
    probability: s.probability, hops: s.hops, verdict, packet: s.packet,
    ...(s.dnat ? { dnat: s.dnat } : {}), ...(s.snat ? { snat: s.snat } : {}),
    ...(s.updates.length ? { setUpdates: s.updates } : {}),
  };
}

function runChain(table: NftTable, tableName: string, chain: NftChain, state: State, ct: ConnInfo, env: NftEnv, choose: Chooser, depth: number, from = 0): Result[] {
  if (depth > MAX_DEPTH) return [{ kind: 'final', state, verdict: 'DROP' }]; // the kernel refuses such rulesets
  for (let i = from; i < chain.rules.length; i++) {
    const rule = chain.rules[i];
    if (env.stats) env.stats.evaluated++;
    const res = evalRule(table, rule, state, ct, env, choose);
    if (res === null) continue;
    const out: Result[] = [];
    for (const b of res) {
      const before = state.packet;
      const hop = (verdict: string, origin = rule.origin): NftHop => ({ table: tableName, chain: chain.name, rule: rule.text, ruleIndex: i, verdict, before, after: b.state.packet, ...(origin ? { origin } : {}) });
      const s = (verdict: string): State => ({ ...b.state, hops: [...b.state.hops, hop(verdict, b.origin ?? rule.origin)] });
      const v = b.verdict;
      if (!v) { out.push(...runChain(table, tableName, chain, s('continue'), ct, env, choose, depth, i + 1)); continue; }
      switch (v.kind) {
        case 'accept': out.push({ kind: 'final', state: s('accept'), verdict: 'ACCEPT' }); break;
        case 'drop': out.push({ kind: 'final', state: s('drop'), verdict: 'DROP' }); break;
        case 'reject': out.push({ kind: 'final', state: s('drop'), verdict: 'REJECT' }); break;
        case 'return': out.push({ kind: 'return', state: s('return') }); break;
        case 'continue': out.push(...runChain(table, tableName, chain, s('continue'), ct, env, choose, depth, i + 1)); break;
        case 'jump': case 'goto': {
          const target = findChain(table, v.target);
          const st = s(`${v.kind} ${v.target}`);
          if (!target) { out.push({ kind: 'final', state: st, verdict: 'DROP' }); break; }
          for (const r of runChain(table, tableName, target, st, ct, env, choose, depth + 1)) {
            if (r.kind === 'final' || v.kind === 'goto') out.push(r);
            else out.push(...runChain(table, tableName, chain, r.state, ct, env, choose, depth, i + 1));
          }
          break;
        }
      }
    }
    return out;
  }
  return [{ kind: 'return', state }];
}

type Verdict =
  | { kind: 'accept' | 'drop' | 'reject' | 'return' | 'continue' }
  | { kind: 'jump' | 'goto'; target: string };

/** One way a rule can end: the state after its statements, and its verdict (none: continue). */
interface Branch {
  state: State;
  verdict?: Verdict;
  /** Provenance of what a lookup found (the map element, the endpoint chosen). */
  origin?: NftOrigin;
}

/** null: the rule did not match. Otherwise one branch, or several after a numgen fork. */
function evalRule(table: NftTable, rule: NftRule, start: State, ct: ConnInfo, env: NftEnv, choose: Chooser): Branch[] | null {
  const { stmts } = parseNftRule(rule.text);
  let branches: Branch[] = [{ state: start }];
  for (const st of stmts) {
    const next: Branch[] = [];
    for (const b of branches) {
      if (b.verdict) { next.push(b); continue; }
      const r = evalStmt(table, st, b, ct, env, choose);
      if (r === null) continue; // this branch's match failed
      next.push(...r);
    }
    if (!next.length) return null;
    branches = next;
  }
  return branches;
}

function verdictOf(text: string): Verdict | undefined {
  const [w, target] = text.trim().split(/\s+/);
  if (w === 'jump' || w === 'goto') return target ? { kind: w, target } : undefined;
  if (w === 'accept' || w === 'drop' || w === 'return' || w === 'continue') return { kind: w };
  return undefined;
}

function evalStmt(table: NftTable, st: Stmt, b: Branch, ct: ConnInfo, env: NftEnv, choose: Chooser): Branch[] | null {
  const p = b.state.packet;
  switch (st.s) {
    case 'nop': return [b];
    case 'unknown': return null;
    case 'verdict': return [{ ...b, verdict: st.target ? { kind: st.v as 'jump' | 'goto', target: st.target } : { kind: st.v as 'accept' } }];
    case 'reject': return [{ ...b, verdict: { kind: 'reject' } }];
    case 'mark': {
      const m = p.mark >>> 0;
      const mark = (st.op === 'set' ? st.value : st.op === '|' ? m | st.value : st.op === '^' ? m ^ st.value : m & st.value) >>> 0;
      return [{ ...b, state: { ...b.state, packet: { ...p, mark } } }];
    }
    case 'masquerade': {
      const ip = env.masqueradeAddress(p.out, p.dst);
      return [{ ...b, state: { ...b.state, packet: { ...p, src: ip }, snat: { ip } }, verdict: { kind: 'accept' } }];
    }
    case 'snat': {
      const after = { ...p, src: st.ip, sport: st.port ?? p.sport };
      return [{ ...b, state: { ...b.state, packet: after, snat: { ip: st.ip, ...(st.port !== undefined ? { port: st.port } : {}) } }, verdict: { kind: 'accept' } }];
    }
    case 'dnat': {
      const after = { ...p, dst: st.ip, dport: st.port ?? p.dport };
      return [{ ...b, state: { ...b.state, packet: after, dnat: { ip: st.ip, port: after.dport } }, verdict: { kind: 'accept' } }];
    }
    case 'update': {
      const key = exprValue(st.expr, p, ct, env);
      if (!key) return [b];
      return [{ ...b, state: { ...b.state, updates: [...b.state.updates, { set: st.set, key: key.join(' . ') }] } }];
    }
    case 'match': {
      const v = exprValue(st.expr, p, ct, env);
      if (!v) return null;
      const hit = matchRhs(table, st.expr, v, st.rhs, env);
      return hit === (st.op === '==') ? [b] : null;
    }
    case 'vmap': {
      if (env.stats) env.stats.evaluated++;
      if (st.expr.parts[0]?.k === 'numgen' && st.expr.parts.length === 1 && 'items' in st.map) {
        const n = (st.expr.parts[0] as { mod: number }).mod;
        const items = st.map.items;
        return numgenBranches(n, choose).flatMap(({ index, probability }) => {
          const it = items.find((x) => Number(x.key[0]) === index);
          const v = it && verdictOf(it.value);
          if (!v) return [];
          const origin = v.kind === 'jump' || v.kind === 'goto' ? chainOrigin(table, v.target) : undefined;
          return [{ state: { ...b.state, probability: b.state.probability * probability }, verdict: v, ...(origin ? { origin } : {}) }];
        });
      }
      const key = exprValue(st.expr, p, ct, env);
      if (!key) return null;
      let found: { value: string; origin?: NftOrigin } | undefined;
      if ('name' in st.map) {
        const m = findMap(table, st.map.name);
        const e = m && lookup(m.type, m.elements, key);
        if (e) found = { value: (e as NftMapElement).value, ...(e.origin ? { origin: e.origin } : {}) };
      } else {
        const it = st.map.items.find((x) => x.key.length === key.length && x.key.every((k, i) => partMatches(st.expr.parts[i], key[i], k)));
        if (it) found = { value: it.value };
      }
      const v = found && verdictOf(found.value);
      if (!v) return null;
      return [{ ...b, verdict: v, ...(found!.origin ? { origin: found!.origin } : {}) }];
    }
  }
}

/** The endpoint a chain belongs to (for a numgen hop's provenance). */
function chainOrigin(table: NftTable, chain: string): NftOrigin | undefined {
  return findChain(table, chain)?.rules.find((r) => r.origin?.endpoint)?.origin;
}

function numgenBranches(n: number, choose: Chooser): { index: number; probability: number }[] {
  if (!(n >= 1)) return [];
  if (n === 1) return [{ index: 0, probability: 1 }];
  const first = choose(1 / n);
  if (first === 'both') return Array.from({ length: n }, (_, index) => ({ index, probability: 1 / n }));
  if (first) return [{ index: 0, probability: 1 }];
  for (let i = 1; i < n - 1; i++) if (choose(1 / (n - i)) === true) return [{ index: i, probability: 1 }];
  return [{ index: n - 1, probability: 1 }];
}

const PROTOS = new Set(['tcp', 'udp', 'sctp']);

/** The expression's parts for this packet, as text; undefined when a part does not apply. */
function exprValue(e: Expr, p: Packet, ct: ConnInfo, env: NftEnv): string[] | undefined {
  const out: string[] = [];
  for (const s of e.parts) {
    const v = selectorValue(s, p, ct, env);
    if (v === undefined) return undefined;
    out.push(e.mask !== undefined ? String((Number(v) & e.mask) >>> 0) : v);
  }
  return out;
}

function selectorValue(s: Selector, p: Packet, ct: ConnInfo, env: NftEnv): string | undefined {
  switch (s.k) {
    case 'addr': return s.field === 'saddr' ? p.src : p.dst;
    case 'meta':
      if (s.key === 'l4proto') return p.proto;
      if (s.key === 'mark') return String(p.mark >>> 0);
      return undefined;
    case 'th': return PROTOS.has(p.proto) ? String(s.field === 'dport' ? p.dport : p.sport) : undefined;
    case 'l4': return p.proto === s.proto ? String(s.field === 'dport' ? p.dport : p.sport) : undefined;
    case 'ct':
      if (s.key === 'state') return ct.state.toLowerCase();
      return [ct.dnat ? 'dnat' : '', ct.snat ? 'snat' : ''].filter(Boolean).join(',');
    case 'fib': return env.addrType(s.field === 'saddr' ? p.src : p.dst).toLowerCase();
    case 'iface': return (s.which === 'iifname' ? p.in : p.out) ?? '';
    case 'numgen': return undefined;
  }
}

/** Does packet value `v` (one part) match the literal `lit` for this selector? */
function partMatches(s: Selector | undefined, v: string, lit: string): boolean {
  if (!s) return v === lit;
  switch (s.k) {
    case 'addr':
      if (lit.includes('/')) return inCidr(v, lit);
      if (lit.includes('-')) { const [a, b] = lit.split('-'); return ipNum(v) >= ipNum(a) && ipNum(v) <= ipNum(b); }
      return v === lit;
    case 'th': case 'l4': {
      if (lit.includes('-')) { const [a, b] = lit.split('-').map(Number); return Number(v) >= a && Number(v) <= b; }
      return Number(v) === Number(lit);
    }
    case 'meta':
      if (s.key === 'mark') return (Number(v) >>> 0) === (Number(lit) >>> 0);
      return v === lit;
    case 'ct': {
      const have = v.split(',');
      return lit.split(',').some((x) => have.includes(x));
    }
    case 'iface': return lit.endsWith('*') ? v.startsWith(lit.slice(0, -1)) : v === lit;
    default: return v === lit;
  }
}

function ipNum(ip: string): number {
  return ip.split('.').reduce((a, x) => a * 256 + Number(x), 0);
}

function matchRhs(table: NftTable, e: Expr, v: string[], rhs: Rhs, env: NftEnv): boolean {
  const m = e.mask !== undefined;
  const eq = (lits: string[]) => lits.length === v.length && lits.every((lit, i) => (m ? (Number(v[i]) >>> 0) === (Number(lit) >>> 0) : partMatches(e.parts[i], v[i], lit)));
  switch (rhs.kind) {
    case 'value': return eq(rhs.parts);
    case 'anon': return rhs.items.some((it) => eq(it));
    case 'set': {
      if (env.stats) env.stats.evaluated++;
      const set = findSet(table, rhs.name);
      if (!set) return false;
      if (set.flags?.includes('dynamic')) return dynamicHas(set, v.join(' . '), env) || lookup(set.type, set.elements, v, e) !== undefined;
      return lookup(set.type, set.elements, v, e) !== undefined;
    }
  }
}

function dynamicHas(set: NftSet, key: string, env: NftEnv): boolean {
  const seen = env.dynamicSets?.get(set.name)?.get(key);
  if (seen === undefined) return false;
  return set.timeout === undefined || env.now - seen <= set.timeout * 1000;
}

// Exact-key indexes of the named sets and maps (a map lookup is one probe, as in the kernel);
// null for sets holding prefixes or ranges, which are searched.
const indexes = new WeakMap<object, { size: number; byKey: Map<string, { key: string[] }> | null }>();

function lookup<E extends { key: string[] }>(_type: string, elements: E[], v: string[], e?: Expr): E | undefined {
  let idx = indexes.get(elements);
  if (!idx || idx.size !== elements.length) {
    const exact = elements.every((x) => x.key.every((k) => !k.includes('/') && !k.includes('-')));
    idx = { size: elements.length, byKey: exact ? new Map(elements.map((x) => [x.key.join(' . '), x])) : null };
    indexes.set(elements, idx);
  }
  if (idx.byKey) return idx.byKey.get(v.join(' . ')) as E | undefined;
  return elements.find((x) => x.key.length === v.length && x.key.every((k, i) => partMatches(e?.parts[i], v[i], k)));
}
