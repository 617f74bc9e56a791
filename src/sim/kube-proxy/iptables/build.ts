// Small constructors for rules in iptables-save's canonical form, so the generator reads
// like the rules it writes.
import type { Match, Negatable, Rule, RuleOrigin, Target } from '../../netfilter/ruleset';
import { opt } from '../../netfilter/ruleset';
import { kubeProxyProbability } from '../../netfilter/probability';

export interface RuleParts {
  src?: string;
  notSrc?: string;
  dst?: string;
  notDst?: string;
  proto?: string;
  matches?: Match[];
  target?: Target;
  origin?: RuleOrigin;
}

/** `10.0.0.1` → `10.0.0.1/32`; CIDRs are kept. */
export function withPrefix(addr: string): string {
  return addr.includes('/') ? addr : `${addr}/32`;
}

export function rule(p: RuleParts): Rule {
  const r: Rule = { matches: p.matches ?? [] };
  const n = (value: string, neg: boolean): Negatable => ({ value: withPrefix(value), neg });
  if (p.src) r.src = n(p.src, false);
  if (p.notSrc) r.src = n(p.notSrc, true);
  if (p.dst) r.dst = n(p.dst, false);
  if (p.notDst) r.dst = n(p.notDst, true);
  if (p.proto) r.proto = { value: p.proto, neg: false };
  if (p.target) r.target = p.target;
  if (p.origin) r.origin = p.origin;
  return r;
}

export const comment = (text: string): Match => ({ name: 'comment', opts: [opt('--comment', text)] });
export const protoMatch = (proto: string, dport?: number): Match => ({ name: proto, opts: dport === undefined ? [] : [opt('--dport', String(dport))] });
export const addrtype = (which: 'src' | 'dst', type = 'LOCAL'): Match => ({ name: 'addrtype', opts: [opt(which === 'src' ? '--src-type' : '--dst-type', type)] });
export const ctstate = (states: string, neg = false): Match => ({ name: 'conntrack', opts: [opt('--ctstate', states, neg)] });
export const markMatch = (mark: string, neg = false): Match => ({ name: 'mark', opts: [opt('--mark', mark, neg)] });
export const nfacct = (name: string): Match => ({ name: 'nfacct', opts: [opt('--nfacct-name', name)] });
export const statistic = (remaining: number): Match => ({ name: 'statistic', opts: [opt('--mode', 'random'), opt('--probability', kubeProxyProbability(remaining))] });
export const recentCheck = (name: string, seconds: number): Match => ({
  name: 'recent', opts: [opt('--rcheck'), opt('--seconds', String(seconds)), opt('--reap'), opt('--name', name), opt('--mask', '255.255.255.255'), opt('--rsource')],
});
export const recentSet = (name: string): Match => ({
  name: 'recent', opts: [opt('--set'), opt('--name', name), opt('--mask', '255.255.255.255'), opt('--rsource')],
});

export const jump = (chain: string): Target => ({ name: chain, opts: [] });
export const dnat = (to: string): Target => ({ name: 'DNAT', opts: [opt('--to-destination', to)] });
export const reject = (): Target => ({ name: 'REJECT', opts: [opt('--reject-with', 'icmp-port-unreachable')] });
export const drop = (): Target => ({ name: 'DROP', opts: [] });
export const accept = (): Target => ({ name: 'ACCEPT', opts: [] });
export const setXMark = (value: string): Target => ({ name: 'MARK', opts: [opt('--set-xmark', value)] });
export const masquerade = (randomFully: boolean): Target => ({ name: 'MASQUERADE', opts: randomFully ? [opt('--random-fully')] : [] });
