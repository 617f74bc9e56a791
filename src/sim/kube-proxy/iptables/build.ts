// Small constructors for rules in iptables-save's canonical form, so the generator reads
// like the rules it writes. Each match or target is its printed fragment (" -m tcp --dport
// 80"); `rule` puts the header fields in iptables-save's order and appends them, giving a
// TextRule — a half-million-rule node is then just strings until someone traces through it.
import type { Chain, Rule, RuleOrigin, Table } from '../../netfilter/ruleset';
import { ensureChain } from '../../netfilter/ruleset';
import { TextRule } from '../../netfilter/text-rule';
import { flat } from '../../flat-string';
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

export function rule(p: RuleParts): Rule {
  let s = '';
  if (p.src) s += ` -s ${withPrefix(p.src)}`;
  else if (p.notSrc) s += ` ! -s ${withPrefix(p.notSrc)}`;
  if (p.dst) s += ` -d ${withPrefix(p.dst)}`;
  else if (p.notDst) s += ` ! -d ${withPrefix(p.notDst)}`;
  if (p.proto) s += ` -p ${p.proto}`;
  if (p.matches) for (const m of p.matches) s += m;
  if (p.target) s += p.target;
  return new TextRule(flat(s), p.origin);
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
 * index once per rule (it is rebuilt lazily, once, by whoever looks a chain up later).
 */
export class TableWriter {
  private readonly shared = new Map<string, Chain>();

  constructor(readonly table: Table) {
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
}

/**
 * `add(table, chain, rule)` for one Service port: `own` names are that port's chains (made on
 * first use), every other name is a shared chain; rules without a provenance get `origin`.
 */
export function servicePortAdder(own: string[], origin: RuleOrigin): (w: TableWriter, chain: string, r: Rule) => void {
  const made = new Map<string, Chain>();
  return (w, name, r) => {
    r.origin ??= origin;
    let c = made.get(name);
    if (!c) {
      if (!own.includes(name)) { w.chain(name).rules.push(r); return; }
      c = w.create(name);
      made.set(name, c);
    }
    c.rules.push(r);
  };
}
