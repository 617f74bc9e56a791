// `nft` on a node's shell: the `list` commands (ruleset, tables, table, chains, chain, sets,
// set, maps, map; `-a` for handles) and `--version`, printing what nftables 1.0.x prints, with
// its error texts (`Error: No such file or directory` and the command echoed with carets under
// the missing name, `Error: syntax error, …`). Only reading is simulated.
//
// In nftables mode a node holds kube-proxy's `ip kube-proxy` and `ip6 kube-proxy` tables and
// the kubelet's iptables-nft tables (see kube-proxy/nftables/kubelet.ts). In iptables or IPVS
// mode the node's nftables are iptables-nft's translation of kube-proxy's iptables rules,
// which is not simulated: listing them says so (a kube-proxy table is correctly missing).
import type { ShellContext, ShellResult } from './types';
import { fail, ok } from './types';
import type { NftFamily, NftTable } from '../nftables/model';
import { setsAndMaps } from '../nftables/model';
import {
  printNftChainDeclarations, printNftChainListing, printNftRuleset, printNftSetDeclarations, printNftSetListing,
  printNftTable, printNftTableNames, type NftPrintOptions,
} from '../nftables/print';
import { kubeProxyNftables6 } from '../kube-proxy/nftables/index';
import { kubeletNftTables } from '../kube-proxy/nftables/kubelet';

const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

/** nft's version line for the node's OS image (its userspace, not kube-proxy's). */
export function nftVersionFor(osImage: string | undefined): string {
  const os = (osImage ?? '').toLowerCase();
  if (/ubuntu 22\.04/.test(os)) return 'nftables v1.0.2 (Lester Gooch)';
  if (/ubuntu 24\.04/.test(os)) return 'nftables v1.0.9 (Old Doc Yak #3)';
  if (/ubuntu 20\.04/.test(os)) return 'nftables v0.9.3 (Topsy)';
  if (/debian gnu\/linux 11/.test(os)) return 'nftables v0.9.8 (E.D.S.)';
  return 'nftables v1.0.6 (Lester Gooch #5)';
}

interface NodeNft {
  tables: NftTable[];
  /** False when the node's nftables content is not simulated (iptables / IPVS mode). */
  simulated: boolean;
}

function nodeTables(ctx: ShellContext, node: string): NodeNft {
  const ip = ctx.api.nftables?.(node);
  if (!ip) return { tables: [], simulated: false };
  const ip6 = kubeProxyNftables6(ctx.api.snapshot(), node);
  return { tables: [...kubeletNftTables(), ip, ...(ip6 ? [ip6] : [])], simulated: true };
}

const NOT_SIMULATED = 'kubesim: kube-proxy is not in nftables mode here, so this node\'s nftables ruleset is iptables-nft\'s translation of the iptables rules, which is not simulated; use iptables-save (or switch kube-proxy to mode: nftables)\n';

export function nftCommand(argv: string[], ctx: ShellContext): ShellResult | null {
  const tool = (argv[0] ?? '').split('/').pop();
  if (tool !== 'nft') return null;
  if (ctx.where.kind === 'pod') return fail(`sh: ${argv[0]}: not found\n`, 127);
  const node = ctx.where.node;
  const o: NftPrintOptions = {};
  const words: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (words.length === 0 && a.startsWith('-') && a !== '-') {
      if (a === '-a' || a === '--handle') { o.handles = true; continue; }
      if (a === '-v' || a === '--version' || a === '-V') {
        const os = ctx.api.snapshot().nodes.find((n) => n.metadata.name === node)?.status?.nodeInfo?.osImage;
        return ok(`${nftVersionFor(os)}\n`);
      }
      if (a === '-j' || a === '--json') return fail('kubesim: nft --json is not simulated; drop -j to see the listing\n', 1);
      if (a === '-f' || a === '--file' || a === '-i' || a === '--interactive' || a === '-c' || a === '--check') return fail(`kubesim: nft ${a} is not simulated (nft only lists here: kube-proxy owns its tables and rewrites them)\n`, 1);
      if (a === '-n' || a === '--numeric' || a === '-s' || a === '--stateless' || a === '-N' || a === '-S' || a === '--service' || a === '-y' || a === '--numeric-priority' || a === '-p' || a === '--numeric-protocol' || a === '-T' || a === '--numeric-time') {
        return fail(`kubesim: nft ${a} is not simulated; drop it to see the listing\n`, 1);
      }
      if (a.startsWith('--')) return fail(`nft: unrecognized option '${a}'\n`, 1);
      // Bundled short options: -an
      const letters = a.slice(1).split('');
      if (letters.every((c) => c === 'a')) { o.handles = true; continue; }
      const bad = letters.find((c) => c !== 'a');
      return fail(`nft: invalid option -- '${bad}'\n`, 1);
    }
    words.push(a);
  }
  if (words.length === 0) return fail('nft: no command specified\n', 1);
  return run(words, ctx, node, o);
}

/** `Error: …` + the command echoed + a caret line under word `at` (or after the end). */
function nftError(message: string, words: string[], at: number | 'end'): ShellResult {
  const line = words.join(' ');
  let col: number, width: number;
  if (at === 'end') { col = line.length; width = 1; } else {
    col = words.slice(0, at).reduce((n, w) => n + w.length + 1, 0);
    width = words[at].length;
  }
  return fail(`Error: ${message}\n${line}\n${' '.repeat(col)}${'^'.repeat(Math.max(1, width))}\n`, 1);
}

const EXPECT_END = 'syntax error, unexpected string, expecting end of file or newline or semicolon';
const EXPECT_STRING = 'syntax error, unexpected newline, expecting string';
const NOENT = 'No such file or directory';

function run(w: string[], ctx: ShellContext, node: string, o: NftPrintOptions): ShellResult {
  const verb = w[0];
  if (['add', 'insert', 'delete', 'destroy', 'flush', 'create', 'replace', 'reset', 'rename', 'import', 'export', 'get'].includes(verb)) {
    return fail(`kubesim: nft ${verb} is not simulated (nft only lists here: kube-proxy owns its tables and rewrites them on every sync)\n`, 1);
  }
  if (verb === 'monitor') return fail('kubesim: nft monitor is not simulated here; send a packet with the stage (or `kubesim trace`) to see the rules it passes, as `nft monitor trace` would\n', 1);
  if (verb === 'describe') return fail('kubesim: nft describe is not simulated\n', 1);
  if (verb !== 'list') return nftError('syntax error, unexpected string', w, 0);
  const what = w[1];
  if (what === undefined) return nftError('syntax error, unexpected newline', w, 'end');
  const { tables, simulated } = nodeTables(ctx, node);
  // nft warns (stderr) about each listed table whose listed chains hold iptables-nft's xtables expressions.
  const warn = (t: NftTable, chains = t.chains) => (t.listWarning && chains.some((c) => c.rules.some((r) => r.compat)) ? t.listWarning : '');
  const warnings = (ts: NftTable[]) => ts.map((t) => warn(t)).join('');

  // Optional family, then names.
  let i = 2;
  const family = (): NftFamily | string | undefined => (w[i] !== undefined && FAMILIES.includes(w[i]) ? w[i++] : undefined);

  switch (what) {
    case 'ruleset': case 'tables': case 'chains': case 'sets': case 'maps': {
      const fam = family();
      if (w[i] !== undefined) return nftError(EXPECT_END, w, i);
      if (!simulated) return fail(NOT_SIMULATED, 1);
      const ts = tables.filter((t) => fam === undefined || t.family === fam);
      if (what === 'ruleset') return { stdout: printNftRuleset(ts, o), stderr: warnings(ts), exitCode: 0 };
      if (what === 'tables') return ok(printNftTableNames(ts));
      if (what === 'chains') return ok(printNftChainDeclarations(ts, o)); // declarations only: no rules, no warning
      return ok(printNftSetDeclarations(ts, what === 'sets' ? 'set' : 'map', o));
    }
    case 'table': case 'chain': case 'set': case 'map': {
      const fam = family() ?? 'ip';
      const tableAt = i;
      if (w[i] === undefined) return nftError(EXPECT_STRING, w, 'end');
      i++;
      let objAt = -1;
      if (what !== 'table') {
        if (w[i] === undefined) return nftError(EXPECT_STRING, w, 'end');
        objAt = i++;
      }
      if (w[i] !== undefined) return nftError(EXPECT_END, w, i);
      const t = tables.find((x) => x.family === fam && x.name === w[tableAt]);
      if (!t) {
        // A kube-proxy table is certainly absent outside nftables mode; other tables are unknown.
        if (!simulated && w[tableAt] !== 'kube-proxy') return fail(NOT_SIMULATED, 1);
        return nftError(NOENT, w, tableAt);
      }
      if (what === 'table') return { stdout: printNftTable(t, o), stderr: warn(t), exitCode: 0 };
      const name = w[objAt];
      if (what === 'chain') {
        const c = t.chains.find((x) => x.name === name);
        return c ? { stdout: printNftChainListing(t, c, o), stderr: warn(t, [c]), exitCode: 0 } : nftError(NOENT, w, objAt);
      }
      const x = setsAndMaps(t).find((y) => y.kind === what && (y.kind === 'set' ? y.set.name : y.map.name) === name);
      return x ? ok(printNftSetListing(t, x, o)) : nftError(NOENT, w, objAt);
    }
    default:
      return nftError('syntax error, unexpected string', w, 1);
  }
}
