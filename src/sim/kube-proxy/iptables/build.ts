// Small constructors for rules in iptables-save's canonical form, so the generator reads
// like the rules it writes. Each match or target is its printed fragment (" -m tcp --dport
// 80"); `rule` gathers a rule's parts, and a TableWriter writes them — header fields in
// iptables-save's order, then the fragments — straight into the table's line buffer: a
// half-million-rule node is then bytes until someone traces through it.
import type { Chain, Rule, RuleOrigin, Table } from '../../netfilter/ruleset';
import { ensureChain } from '../../netfilter/ruleset';
import { BufferRule, LineBuffer, TextRule } from '../../netfilter/text-rule';
import { saveString } from '../../netfilter/save';
import { kubeProxyProbability } from '../../netfilter/probability';

/** A match or target as iptables-save prints it, with its leading space. */
export type Fragment = string;

export interface RuleParts {
  src?: string;
  notSrc?: string;
  dst?: string;
  notDst?: string;
  proto?: string;
  matches?: Fragment[];
  target?: Fragment;
  origin?: RuleOrigin;
}

/** `10.0.0.1` → `10.0.0.1/32`; CIDRs are kept. */
export function withPrefix(addr: string): string {
  return addr.includes('/') ? addr : `${addr}/32`;
}

/** A rule's parts, in the order a reader expects; written out by `textRule` or a TableWriter. */
export function rule(p: RuleParts): RuleParts {
  return p;
}

/** The rule's text after `-A CHAIN`, canonical. */
export function specText(p: RuleParts): string {
  let s = '';
  if (p.src) s += ` -s ${withPrefix(p.src)}`;
  else if (p.notSrc) s += ` ! -s ${withPrefix(p.notSrc)}`;
  if (p.dst) s += ` -d ${withPrefix(p.dst)}`;
  else if (p.notDst) s += ` ! -d ${withPrefix(p.notDst)}`;
  if (p.proto) s += ` -p ${p.proto}`;
  if (p.matches) for (const m of p.matches) s += m;
  if (p.target) s += p.target;
  return s;
}

/** A stand-alone rule (the few fixed ones every node has). */
export function textRule(p: RuleParts): Rule {
  return new TextRule(specText(p), p.origin);
}

export const comment = (text: string): Fragment => ` -m comment --comment ${saveString(text)}`;
export const protoMatch = (proto: string, dport?: number): Fragment => (dport === undefined ? ` -m ${proto}` : ` -m ${proto} --dport ${dport}`);
export const addrtype = (which: 'src' | 'dst', type = 'LOCAL'): Fragment => ` -m addrtype ${which === 'src' ? '--src-type' : '--dst-type'} ${type}`;
export const ctstate = (states: string, neg = false): Fragment => ` -m conntrack${neg ? ' !' : ''} --ctstate ${states}`;
export const markMatch = (mark: string, neg = false): Fragment => ` -m mark${neg ? ' !' : ''} --mark ${mark}`;
// libxt_nfacct prints "--nfacct-name " and xtables_save_string adds its own leading space.
export const nfacct = (name: string): Fragment => ` -m nfacct --nfacct-name  ${saveString(name)}`;

const statistics: Fragment[] = [];
/** "1 of the remaining n" (the same few texts over and over, so kept). */
export const statistic = (remaining: number): Fragment =>
  (statistics[remaining] ??= ` -m statistic --mode random --probability ${kubeProxyProbability(remaining)}`);
export const recentCheck = (name: string, seconds: number): Fragment =>
  ` -m recent --rcheck --seconds ${seconds} --reap --name ${name} --mask 255.255.255.255 --rsource`;
export const recentSet = (name: string): Fragment => ` -m recent --set --name ${name} --mask 255.255.255.255 --rsource`;

export const jump = (chain: string): Fragment => ` -j ${chain}`;
export const dnat = (to: string): Fragment => ` -j DNAT --to-destination ${to}`;
export const reject = (): Fragment => ' -j REJECT --reject-with icmp-port-unreachable';
export const drop = (): Fragment => ' -j DROP';
export const accept = (): Fragment => ' -j ACCEPT';
export const setXMark = (value: string): Fragment => ` -j MARK --set-xmark ${value}`;
export const masquerade = (randomFully: boolean): Fragment => (randomFully ? ' -j MASQUERADE --random-fully' : ' -j MASQUERADE');

/**
 * Where one generation writes its rules. The few chains every node has (KUBE-SERVICES…) are
 * kept in a small map; each Service port's own chains (KUBE-SVC-…, KUBE-SEP-…) are made once
 * and never looked up, so a node with 180,000 chains does not consult the table's big name
 * index once per rule (it is rebuilt lazily, once, by whoever looks a chain up later). Rules
 * go into one line buffer per table as `-A CHAIN spec`.
 */
export class TableWriter {
  private readonly shared = new Map<string, Chain>();
  readonly lines: LineBuffer;

  /** `expectedRules`: sizes the line buffer (growing a large one by doubling costs GC time). */
  constructor(readonly table: Table, expectedRules = 1024) {
    this.lines = new LineBuffer(expectedRules * 128);
    for (const c of table.chains) this.shared.set(c.name, c);
  }

  /** A chain shared by all Services; created on first use. */
  chain(name: string): Chain {
    let c = this.shared.get(name);
    if (!c) { c = ensureChain(this.table, name); this.shared.set(name, c); }
    return c;
  }

  /** A new chain of one Service port (its name is unique to it). */
  create(name: string): Chain {
    const c: Chain = { name, rules: [] };
    this.table.chains.push(c);
    return c;
  }

  /** Writes the rule into `chain`. */
  append(chain: Chain, p: RuleParts): void {
    const b = this.lines;
    const lineStart = b.length;
    b.write('-A ');
    b.write(chain.name);
    const specStart = b.length;
    if (p.src) { b.write(' -s '); b.write(withPrefix(p.src)); } else if (p.notSrc) { b.write(' ! -s '); b.write(withPrefix(p.notSrc)); }
    if (p.dst) { b.write(' -d '); b.write(withPrefix(p.dst)); } else if (p.notDst) { b.write(' ! -d '); b.write(withPrefix(p.notDst)); }
    if (p.proto) { b.write(' -p '); b.write(p.proto); }
    if (p.matches) for (const m of p.matches) b.write(m);
    if (p.target) b.write(p.target);
    const end = b.length;
    b.byte(10); // lines stay newline-terminated, so a chain's consecutive rules print as one block
    chain.rules.push(new BufferRule(b, chain.name, lineStart, specStart, end, p.origin));
  }
}

/**
 * `add(table, chain, rule)` for one Service port: `own` names are that port's chains (made on
 * first use), every other name is a shared chain; rules without a provenance get `origin`.
 */
export function servicePortAdder(own: string[], origin: RuleOrigin): (w: TableWriter, chain: string, r: RuleParts) => void {
  const made = new Map<string, Chain>();
  return (w, name, r) => {
    r.origin ??= origin;
    let c = made.get(name);
    if (!c) {
      if (!own.includes(name)) { w.append(w.chain(name), r); return; }
      c = w.create(name);
      made.set(name, c);
    }
    w.append(c, r);
  };
}

/** About how many nat rules a node gets for these Service ports (to size its line buffer). */
export function expectedNatRules(ports: { endpoints: unknown[] }[]): number {
  let n = 64;
  for (const sp of ports) n += 4 + 3 * sp.endpoints.length;
  return n;
}
