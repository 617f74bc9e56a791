// A learner's own `iptables-save` (or `iptables -S`) output, pasted beside the YAML: the
// node it came from then runs exactly those rules, and packets are traced through them.
import type { Ruleset } from './ruleset';
import { parseIptablesSave, type ParsedRuleset } from './parse';

const DUMP_LINE = /^(#.*|\*\w+|:\S+ \S+( \[\d+:\d+\])?|COMMIT|(\[\d+:\d+\] )?-[APNIX] .*|)$/;

/** Whether a file's text is iptables rules rather than YAML (every line is a dump line). */
export function isIptablesDump(text: string): boolean {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  return lines.some((l) => /^(-A |\*(nat|filter|mangle|raw)$)/.test(l)) && lines.every((l) => DUMP_LINE.test(l));
}

export interface NodeDump {
  file: string;
  /** The node the rules belong to, from the file name (`node1.iptables-save`, `node1.txt`), or every node. */
  node?: string;
  parsed: ParsedRuleset;
}

/** Reads a dump file; `nodes` are the cluster's node names, to match the file name against. */
export function readDump(file: string, text: string, nodes: string[]): NodeDump {
  const base = file.split('/').pop()!.replace(/\.[^.]*$/, '');
  const node = nodes.find((n) => n === base || base.startsWith(`${n}.`) || base.startsWith(`${n}-`) || base.startsWith(`${n}_`));
  // `iptables -S` output has no table headers: it is the filter table's unless it says otherwise.
  return { file, node, parsed: parseIptablesSave(text, /-j (DNAT|SNAT|MASQUERADE)|KUBE-SVC-|KUBE-SEP-/.test(text) && !/^\*/m.test(text) ? 'nat' : 'filter') };
}

/** The ruleset a node runs when a dump names it (or names no node). */
export function dumpFor(dumps: NodeDump[], node: string): Ruleset | undefined {
  return (dumps.find((d) => d.node === node) ?? dumps.find((d) => d.node === undefined))?.parsed.ruleset;
}
