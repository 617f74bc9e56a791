// A rule kept as the text `iptables-save` prints after `-A CHAIN`. kube-proxy's tables reach
// half a million rules; holding each as one string makes generating and printing them cheap,
// and the parts the interpreter and `iptables -L` need are parsed from that text the first
// time anyone looks (the text is canonical, so parsing gives back exactly what it says).
import type { Match, Negatable, Rule, RuleOrigin, Target } from './ruleset';
import { parseRuleWords, splitRestoreLine } from './parse';

export class TextRule implements Rule {
  private parts?: Rule;

  constructor(readonly text: string, public origin?: RuleOrigin) {}

  /** The rule as plain parts (parsed once). */
  parsed(): Rule {
    if (this.parts) return this.parts;
    const r = parseRuleWords(splitRestoreLine(this.text));
    if ('error' in r || r.rules.length !== 1) throw new Error(`not a canonical rule: "${this.text}"${'error' in r ? `: ${r.error}` : ''}`);
    this.parts = r.rules[0];
    return this.parts;
  }

  get src(): Negatable | undefined { return this.parsed().src; }
  get dst(): Negatable | undefined { return this.parsed().dst; }
  get in(): Negatable | undefined { return this.parsed().in; }
  get out(): Negatable | undefined { return this.parsed().out; }
  get proto(): Negatable | undefined { return this.parsed().proto; }
  get matches(): Match[] { return this.parsed().matches; }
  get target(): Target | undefined { return this.parsed().target; }
}

/** A rule's parts as a plain object: what the interpreter reads, without a getter per field. */
export function ruleParts(r: Rule): Rule {
  return r instanceof TextRule ? r.parsed() : r;
}
