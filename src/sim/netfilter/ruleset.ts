// The netfilter ruleset model: tables of chains of rules, kept in the canonical form
// `iptables-save` prints (so printing is exact and a pasted dump round-trips), with enough
// structure for the interpreter to evaluate every match without re-parsing text.

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';

/** Built-in chains per table, in the order iptables-save lists them (hook order). */
export const BUILTIN_CHAINS: Record<TableName, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export interface Negatable {
  value: string;
  neg: boolean;
}

/** One option of a match or target, as printed: `[!] --flag [value]`. */
export interface Opt {
  flag: string;
  value?: string;
  neg?: boolean;
}

/** `-m NAME opts…` */
export interface Match {
  name: string;
  opts: Opt[];
}

/** `-j NAME opts…` (or `-g NAME` for a goto). */
export interface Target {
  name: string;
  opts: Opt[];
  goto?: boolean;
}

/** Where a rule came from, so the UI can link it back to the YAML. */
export interface RuleOrigin {
  /** `namespace/name` of the Service, when a Service caused it. */
  service?: string;
  /** The service port name (kube-proxy's servicePortName), when known. */
  servicePort?: string;
  /** Endpoint `IP:port` for KUBE-SEP rules. */
  endpoint?: string;
  /** Who writes it: kube-proxy, kubelet, the CNI, or a pasted dump. */
  writer?: 'kube-proxy' | 'kubelet' | 'cni' | 'docker' | 'dump';
}

export interface Rule {
  /** The canonical text after `-A CHAIN`, when the rule was built as text (see TextRule). */
  readonly text?: string;
  src?: Negatable; // CIDR, printed with its prefix length
  dst?: Negatable;
  in?: Negatable;
  out?: Negatable;
  proto?: Negatable;
  matches: Match[];
  target?: Target;
  origin?: RuleOrigin;
}

export interface Chain {
  name: string;
  /** Built-in chains have a policy and counters; user chains print as `-`. */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
}

export interface Table {
  name: TableName;
  chains: Chain[];
}

export interface Ruleset {
  tables: Table[];
}

export function emptyTable(name: TableName): Table {
  return { name, chains: BUILTIN_CHAINS[name].map((c) => ({ name: c, policy: 'ACCEPT', rules: [] })) };
}

const BUILTIN_SETS = Object.fromEntries(Object.entries(BUILTIN_CHAINS).map(([t, cs]) => [t, new Set(cs)])) as Record<TableName, Set<string>>;

export function isBuiltin(table: TableName, chain: string): boolean {
  return BUILTIN_SETS[table].has(chain);
}

export function findTable(rs: Ruleset, name: TableName): Table | undefined {
  return rs.tables.find((t) => t.name === name);
}

// Chains by name, per table, so a 160,000-rule node is not searched linearly. The index is
// rebuilt whenever it falls behind the table's (append-only) chain list.
const chainIndex = new WeakMap<Table, { size: number; byName: Map<string, Chain> }>();

export function findChain(t: Table | undefined, name: string): Chain | undefined {
  if (!t) return undefined;
  let idx = chainIndex.get(t);
  if (!idx || idx.size !== t.chains.length) {
    const byName = new Map<string, Chain>();
    for (const c of t.chains) byName.set(c.name, c);
    idx = { size: t.chains.length, byName };
    chainIndex.set(t, idx);
  }
  return idx.byName.get(name);
}

/** Gets a chain, creating it (empty, user-defined) when missing. */
export function ensureChain(t: Table, name: string): Chain {
  let c = findChain(t, name);
  if (!c) {
    c = { name, rules: [] };
    t.chains.push(c);
    const idx = chainIndex.get(t)!;
    idx.byName.set(name, c);
    idx.size = t.chains.length;
  }
  return c;
}

export function opt(flag: string, value?: string, neg = false): Opt {
  return neg ? { flag, value, neg } : value === undefined ? { flag } : { flag, value };
}
