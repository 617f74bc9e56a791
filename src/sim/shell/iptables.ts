// `iptables` and `iptables-save` on a node's shell, printing what iptables 1.8.x prints
// (iptables/xtables.c do_parse and its error texts, xtables-save.c / iptables-save.c).
// Only reading is simulated: -L, -S, -V and iptables-save; rule changes are refused.
import type { ShellContext, ShellResult } from './types';
import { fail, ok } from './types';
import { type Chain, type Rule, type Ruleset, type Table, type TableName, emptyTable, findTable, isBuiltin } from '../netfilter/ruleset';
import { chainsInSaveOrder, ruleSpec } from '../netfilter/save';
import { printList } from '../netfilter/list';

/** The netfilter state of one node, as its iptables binary sees it. */
export interface NodeNetfilter {
  ruleset: Ruleset;
  /** The iptables release, e.g. "v1.8.7". */
  version: string;
  backend: 'nf_tables' | 'legacy';
  /** ctime(3) text for the iptables-save header and footer. */
  date: string;
  /** Packet/byte counters of a rule (0-based) or of a built-in chain's policy; zero when absent. */
  counters?: (table: TableName, chain: string, ruleIndex: number | 'policy') => [number, number];
  /** Legacy only: table order of /proc/net/ip_tables_names (default: the ruleset's order). */
  tableOrder?: TableName[];
}

type Backend = NodeNetfilter['backend'];

const LIST_TOOLS: Record<string, Backend | 'node'> = { iptables: 'node', 'iptables-nft': 'nf_tables', 'iptables-legacy': 'legacy' };
const SAVE_TOOLS: Record<string, Backend | 'node'> = { 'iptables-save': 'node', 'iptables-nft-save': 'nf_tables', 'iptables-legacy-save': 'legacy' };

/** Tables either backend can open (the kernel loads the module on demand). */
const KNOWN_TABLES = ['filter', 'nat', 'mangle', 'raw', 'security'];
/** iptables-nft-save walks the tables in its own enum order. */
const NFT_TABLE_ORDER = ['mangle', 'security', 'raw', 'filter', 'nat'];

export function iptablesCommand(argv: string[], ctx: ShellContext, dataplane: (node: string) => NodeNetfilter | undefined): ShellResult | null {
  const tool = (argv[0] ?? '').split('/').pop() ?? '';
  const kind = tool in LIST_TOOLS ? 'list' : tool in SAVE_TOOLS ? 'save' : undefined;
  if (!kind) return null;
  if (ctx.where.kind === 'pod') return fail(`sh: ${argv[0]}: not found\n`, 127);
  const node = dataplane(ctx.where.node) ?? { ruleset: { tables: [] }, version: 'v1.8.7', backend: 'nf_tables', date: 'Thu Jan  1 00:00:00 1970' };
  const wanted = (kind === 'list' ? LIST_TOOLS : SAVE_TOOLS)[tool];
  const backend = wanted === 'node' ? node.backend : wanted;
  // The other backend's tables are empty: rules live in nf_tables or in x_tables, not both.
  const view: NodeNetfilter = backend === node.backend ? node : { ...node, backend, ruleset: { tables: [] }, counters: undefined };
  const v = new Version(view);
  return kind === 'list' ? iptables(argv.slice(1), view, v) : iptablesSave(argv.slice(1), tool, view, v);
}

/** Version-dependent details of the output. */
class Version {
  readonly number: string;
  readonly parts: number[];
  constructor(readonly nf: NodeNetfilter) {
    this.number = nf.version.replace(/^v/, '');
    this.parts = this.number.split('.').map((x) => parseInt(x, 10) || 0);
  }
  atLeast(...want: number[]): boolean {
    for (let i = 0; i < want.length; i++) {
      const have = this.parts[i] ?? 0;
      if (have !== want[i]) return have > want[i];
    }
    return true;
  }
  get nft(): boolean { return this.nf.backend === 'nf_tables'; }
  /** `iptables v1.8.7 (nf_tables): ` */
  prefix(prog: string): string { return `${prog} v${this.number} (${this.nf.backend}): `; }
  /** Before 1.8.8 many messages carried their own "\n" on top of the one xtables_error adds. */
  get doubledNewline(): string { return this.atLeast(1, 8, 8) ? '' : '\n'; }
  /** iptables-nft before 1.8.8 ends a rule without target with a space (save_matches_and_target). */
  get trailingSpace(): boolean { return this.nft && !this.atLeast(1, 8, 8); }
  /** iptables-nft 1.8.7–1.8.9 call a missing chain "incompatible" (fixed by upstream 82ccfb48). */
  get missingChainIncompatible(): boolean { return this.nft && this.atLeast(1, 8, 7) && !this.atLeast(1, 8, 10); }
}

const TRY_HELP = "Try `iptables -h' or 'iptables --help' for more information.\n";

// ---------------------------------------------------------------------------------------
// iptables: getopt_long over "-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46"

type ArgKind = 'none' | 'required' | 'optional';

const SHORT: Record<string, ArgKind> = {
  A: 'required', C: 'required', D: 'required', R: 'required', I: 'required', L: 'optional', S: 'optional', M: 'required',
  F: 'optional', Z: 'optional', N: 'required', X: 'optional', E: 'required', P: 'required', V: 'none', h: 'optional',
  o: 'required', p: 'required', s: 'required', d: 'required', j: 'required', i: 'required', f: 'none', b: 'none',
  v: 'none', w: 'optional', W: 'optional', n: 'none', t: 'required', m: 'required', x: 'none', c: 'required',
  g: 'required', '4': 'none', '6': 'none',
};

const LONG: [string, string][] = [
  ['append', 'A'], ['delete', 'D'], ['check', 'C'], ['insert', 'I'], ['replace', 'R'], ['list', 'L'], ['list-rules', 'S'],
  ['flush', 'F'], ['zero', 'Z'], ['new-chain', 'N'], ['delete-chain', 'X'], ['rename-chain', 'E'], ['policy', 'P'],
  ['source', 's'], ['destination', 'd'], ['src', 's'], ['dst', 'd'], ['protocol', 'p'], ['in-interface', 'i'], ['jump', 'j'],
  ['table', 't'], ['match', 'm'], ['numeric', 'n'], ['out-interface', 'o'], ['verbose', 'v'], ['wait', 'w'],
  ['wait-interval', 'W'], ['exact', 'x'], ['fragments', 'f'], ['version', 'V'], ['help', 'h'], ['line-numbers', '0'],
  ['modprobe', 'M'], ['set-counters', 'c'], ['goto', 'g'], ['ipv4', '4'], ['ipv6', '6'],
];

/** The option letters generic_opt_check knows, in its order ("Illegal option `-0'" is --line-numbers). */
const OPT_FLAGS = 'nsdpjvxio0cf';

class ParamError {
  constructor(readonly message: string, readonly ownNewline = false) {}
}

interface Parsed {
  command?: 'L' | 'S';
  chain?: string;
  ruleNumber?: number;
  table: string;
  options: Set<string>;
  verbose: number;
}

function iptables(args: string[], nf: NodeNetfilter, v: Version): ShellResult {
  let parsed: Parsed | ShellResult;
  try {
    parsed = parseArgs(args, v);
  } catch (e) {
    if (!(e instanceof ParamError)) throw e;
    return fail(`${v.prefix('iptables')}${e.message}\n${e.ownNewline ? v.doubledNewline : ''}${TRY_HELP}`, 2);
  }
  if ('exitCode' in parsed) return parsed;
  const p = parsed;
  if (!v.nft && !KNOWN_TABLES.includes(p.table)) {
    return fail(`${v.prefix('iptables')}can't initialize iptables table \`${p.table}': Table does not exist (do you need to insmod?)\n` +
      'Perhaps iptables or your kernel needs to be upgraded.\n', 3);
  }
  const table = openTable(nf, p.table);
  if (p.chain !== undefined && !table.chains.some((c) => c.name === p.chain)) {
    if (v.missingChainIncompatible) {
      return fail(`${v.prefix('iptables')}chain \`${p.chain}' in table \`${p.table}' is incompatible, use 'nft' tool.\n${v.doubledNewline}`, 1);
    }
    return fail('iptables: No chain/target/match by that name.\n', 1);
  }
  const counters = countersOf(nf, p.table);
  if (p.command === 'L') {
    const out = printList(table, {
      chain: p.chain, numeric: p.options.has('n'), verbose: p.verbose > 0, exact: p.options.has('x'),
      lineNumbers: p.options.has('0'), counters, ruleNumber: p.ruleNumber, version: nf.version,
    });
    return ok(out ?? '');
  }
  return ok(listRules(table, v, { chain: p.chain, ruleNumber: p.ruleNumber, counters: p.verbose > 0 ? counters : undefined }));
}

function parseArgs(args: string[], v: Version): Parsed | ShellResult {
  const p: Parsed = { table: 'filter', options: new Set(), verbose: 0 };
  let invert = false;
  let i = 0;
  const hasArg = () => i < args.length && !args[i].startsWith('-') && !args[i].startsWith('!');
  const setOption = (o: string) => {
    if (p.options.has(o)) throw new ParamError(`multiple -${o} flags not allowed`);
    p.options.add(o);
  };
  const command = (c: 'L' | 'S') => {
    if (p.command) throw new ParamError(`Cannot use -${c} with -${p.command}`, true);
    p.command = c;
  };
  while (i < args.length) {
    const word = args[i++];
    if (word === '!') {
      if (invert) throw new ParamError('multiple consecutive ! not allowed');
      invert = true;
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      return fail(`Bad argument \`${word}'\n${TRY_HELP}`, 2);
    }
    for (const { code, arg } of optionsIn(word, args, () => i++, () => i)) {
      switch (code) {
        case 'L': case 'S': {
          command(code);
          if (arg !== undefined) p.chain = arg;
          else if (hasArg()) p.chain = args[i++];
          if (hasArg()) {
            const n = args[i++];
            if (!/^\d+$/.test(n) || Number(n) < 1) throw new ParamError(`Invalid rule number \`${n}'`);
            p.ruleNumber = Number(n);
          }
          break;
        }
        case 'V':
          return ok(invert ? `Not ${v.number} ;-)\n` : `iptables v${v.number} (${v.nf.backend})\n`);
        case 't':
          if (v.nft && !KNOWN_TABLES.includes(arg!)) {
            return fail(`${v.prefix('iptables')}table '${arg}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`, 3);
          }
          p.table = arg!;
          break;
        case 'v':
          if (!p.verbose) setOption('v');
          p.verbose++;
          break;
        case 'n': case 'x': case '0': case 's': case 'd': case 'p': case 'j': case 'i': case 'o': case 'f':
          setOption(code);
          break;
        case 'c':
          setOption('c');
          if (!hasArg()) throw new ParamError('-c requires packet and byte counter');
          i++;
          break;
        case 'w': case 'W':
          if (arg === undefined && i < args.length && /^\d+$/.test(args[i])) i++;
          break;
        case 'm': case 'g': case 'M': case '4': case '6': case 'b':
          break;
        default:
          // -A, -I, -D, -N, -P, -F, -X, -Z, -E, -R, -C, -h
          return fail(`iptables: ${word} is not simulated by KubeSim (its rules are shown, never changed)\n`, 1);
      }
    }
    invert = false;
  }
  if (!p.command) throw new ParamError('no command specified');
  const legal = p.command === 'L' ? 'nvx0' : 'v';
  for (const o of OPT_FLAGS) if (p.options.has(o) && !legal.includes(o)) throw new ParamError(`Illegal option \`-${o}' with this command`, true);
  return p;
}

/** Splits one argv word into getopt results (short clusters, `--long[=value]`, abbreviations). */
function optionsIn(word: string, args: string[], advance: () => number, next: () => number): { code: string; arg?: string }[] {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const name = word.slice(2, eq === -1 ? undefined : eq);
    const exact = LONG.find(([n]) => n === name);
    const prefixed = LONG.filter(([n]) => n.startsWith(name));
    const codes = new Set(prefixed.map(([, c]) => c));
    const hit = exact ?? (name && codes.size === 1 ? prefixed[0] : undefined);
    if (!hit) throw new ParamError(`unknown option "${word}"`);
    const code = hit[1];
    const kind = SHORT[code] ?? 'none';
    if (eq !== -1) return [{ code, arg: word.slice(eq + 1) }];
    if (kind === 'required') {
      if (next() >= args.length) throw new ParamError(`option "${word}" requires an argument`);
      return [{ code, arg: args[advance()] }];
    }
    return [{ code }];
  }
  const out: { code: string; arg?: string }[] = [];
  for (let k = 1; k < word.length; k++) {
    const code = word[k];
    const kind = SHORT[code];
    if (!kind) throw new ParamError(`unknown option "${word}"`);
    const rest = word.slice(k + 1);
    if (kind === 'none') { out.push({ code }); continue; }
    if (rest) { out.push({ code, arg: rest }); break; }
    if (kind === 'required') {
      if (next() >= args.length) throw new ParamError(`option "${word}" requires an argument`);
      out.push({ code, arg: args[advance()] });
    } else out.push({ code });
    break;
  }
  return out;
}

/** The table as the tool shows it: missing built-in chains (and tables) appear empty. */
function openTable(nf: NodeNetfilter, name: string): Table {
  // The security table has filter's three built-in chains; the model keeps no rules there.
  const modelName: TableName = name === 'security' ? 'filter' : (name as TableName);
  const t = name === 'security' ? undefined : findTable(nf.ruleset, modelName);
  const base = emptyTable(modelName);
  if (!t) return base;
  const builtins = base.chains.map((b) => t.chains.find((c) => c.name === b.name) ?? b);
  return { name: t.name, chains: [...builtins, ...t.chains.filter((c) => !isBuiltin(t.name, c.name))] };
}

function countersOf(nf: NodeNetfilter, table: string): ((chain: string, i: number | 'policy') => [number, number]) | undefined {
  const f = nf.counters;
  if (!f || table === 'security') return undefined;
  return (chain, i) => f(table as TableName, chain, i);
}

/** A rule in save form, with `-c P B` before the target when asked (iptables -S -v). */
function ruleLine(chain: string, r: Rule, v: Version, counters?: [number, number]): string {
  // A rule kept as text (kube-proxy's, by the hundred thousand) prints as it is when it has a
  // target and no counters go in front of it — without being parsed.
  if (!counters && r.text !== undefined && hasTarget(r.text)) return `-A ${chain}${r.text}`;
  let s = `-A ${chain}${ruleSpec({ src: r.src, dst: r.dst, in: r.in, out: r.out, proto: r.proto, matches: r.matches })}`;
  if (counters) s += ` -c ${counters[0]} ${counters[1]}`;
  if (r.target) s += ruleSpec({ matches: [], target: r.target });
  else if (v.trailingSpace) s += ' ';
  return s;
}

/** The text ends with a target (` -j X …` or ` -g X` after any quoted match argument). */
function hasTarget(text: string): boolean {
  const target = Math.max(text.lastIndexOf(' -j '), text.lastIndexOf(' -g '));
  return target >= 0 && target > text.lastIndexOf('"');
}

interface ListRulesOptions {
  chain?: string;
  ruleNumber?: number;
  counters?: (chain: string, i: number | 'policy') => [number, number];
}

/** `iptables -S [CHAIN [N]]`: -P and -N lines, then the rules; `-v` adds counters. */
function listRules(t: Table, v: Version, o: ListRulesOptions): string {
  const chains = chainsInSaveOrder(t).filter((c) => o.chain === undefined || c.name === o.chain);
  let out = '';
  if (o.ruleNumber === undefined) {
    for (const c of chains) {
      if (!isBuiltin(t.name, c.name)) { out += `-N ${c.name}\n`; continue; }
      out += `-P ${c.name} ${c.policy ?? 'ACCEPT'}`;
      if (o.counters) { const [p, b] = o.counters(c.name, 'policy'); out += ` -c ${p} ${b}`; }
      out += '\n';
    }
  }
  for (const c of chains) {
    c.rules.forEach((r, i) => {
      if (o.ruleNumber !== undefined && o.ruleNumber !== i + 1) return;
      out += `${ruleLine(c.name, r, v, o.counters?.(c.name, i))}\n`;
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// iptables-save [-t TABLE] [-c]

function iptablesSave(args: string[], tool: string, nf: NodeNetfilter, v: Version): ShellResult {
  // Legacy names itself "iptables-save" whatever it was called; nft uses basename(argv[0]).
  // getopt's own complaints always use argv[0].
  const prog = v.nft ? tool : 'iptables-save';
  const usage = `Look at manual page \`${prog}.8' for more information.\n`;
  let table: string | undefined;
  let withCounters = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') return fail('Unknown arguments found on commandline\n', 1);
    if (a.startsWith('--')) {
      const [name, value] = a.slice(2).split(/=(.*)/s);
      const longs = ['counters', 'dump', 'table', 'modprobe', 'file', 'version', 'binary'];
      const hits = longs.filter((l) => l.startsWith(name));
      const hit = longs.includes(name) ? name : hits.length === 1 ? hits[0] : undefined;
      if (!hit) return fail(`${tool}: unrecognized option '${a}'\n${usage}`, 1);
      if (hit === 'version') return ok(`${prog} v${v.number} (${nf.backend})\n`);
      if (hit === 'counters') withCounters = true;
      if (hit === 'file') return fail(`${prog}: --file is not simulated by KubeSim\n`, 1);
      if (hit === 'table' || hit === 'modprobe') {
        const val = value ?? args[++i];
        if (val === undefined) return fail(`${tool}: option '--${hit}' requires an argument\n${usage}`, 1);
        if (hit === 'table') table = val;
      }
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (c === 'c') withCounters = true;
      else if (c === 'V') return ok(`${prog} v${v.number} (${nf.backend})\n`);
      else if (c === 'b' || c === 'd') continue;
      else if (c === 't' || c === 'M' || c === 'f') {
        const val = a.slice(k + 1) || args[++i];
        if (val === undefined) return fail(`${tool}: option requires an argument -- '${c}'\n${usage}`, 1);
        if (c === 'f') return fail(`${prog}: -f is not simulated by KubeSim\n`, 1);
        if (c === 't') table = val;
        break;
      } else return fail(`${tool}: invalid option -- '${c}'\n${usage}`, 1);
    }
  }
  if (table !== undefined && !KNOWN_TABLES.includes(table)) {
    if (v.nft) return fail(`Table \`${table}' does not exist\n`, 1);
    return fail(`${v.prefix(prog)}Cannot initialize: Table does not exist (do you need to insmod?)\n${v.doubledNewline}`, 1);
  }
  const names = table !== undefined ? [table] : savedTables(nf);
  return ok(names.map((n) => saveTable(n, nf, v, prog, withCounters)).join(''));
}

function savedTables(nf: NodeNetfilter): string[] {
  const present = nf.ruleset.tables.map((t) => t.name as string);
  if (nf.backend === 'nf_tables') return NFT_TABLE_ORDER.filter((n) => present.includes(n));
  return (nf.tableOrder ?? present).filter((n) => present.includes(n));
}

function saveTable(name: string, nf: NodeNetfilter, v: Version, prog: string, withCounters: boolean): string {
  const t = openTable(nf, name);
  const counters = countersOf(nf, name);
  // iptables-nft ≥ 1.8.8 puts the backend into its version string (upstream 4bff5aef).
  const version = v.nft && v.atLeast(1, 8, 8) ? `v${v.number} (nf_tables)` : `v${v.number}`;
  let out = `# Generated by ${prog} ${version} on ${nf.date}\n*${name}\n`;
  const chains: Chain[] = chainsInSaveOrder(t);
  for (const c of chains) {
    if (!isBuiltin(t.name, c.name)) { out += `:${c.name} - [0:0]\n`; continue; }
    const [p, b] = counters?.(c.name, 'policy') ?? [0, 0];
    out += `:${c.name} ${c.policy ?? 'ACCEPT'} [${p}:${b}]\n`;
  }
  for (const c of chains) {
    c.rules.forEach((r, i) => {
      const prefix = withCounters ? `[${(counters?.(c.name, i) ?? [0, 0]).join(':')}] ` : '';
      out += `${prefix}${ruleLine(c.name, r, v)}\n`;
    });
  }
  return `${out}COMMIT\n# Completed on ${nf.date}\n`;
}
