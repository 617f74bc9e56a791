// `kubesim`: the simulation from a terminal. Public contract (tests replay real clusters
// through it, keep it stable):
//   kubesim exec -f FILE [-f FILE...] [--seed N] [--proxy-mode iptables|ipvs|nftables]
//                [--kube-proxy-version X.Y] [--on NODE | --in [NAMESPACE/]POD] -- COMMAND [ARGS...]
// prints exactly what COMMAND prints there, with the real tool's exit status. YAML that the
// cluster refuses exits 2 with located messages on stderr.
import { readFileSync } from 'node:fs';
import { Simulation, type SourceFile, type Where } from '../sim/index';
import { formatDiagnosticBilingual } from '../sim/diag';
import { quoteWords } from '../sim/shell/argv';
import { formatModes, formatTrace } from './format-trace';

const USAGE = `Usage:
  kubesim exec -f FILE [-f FILE...] [--seed N] [--proxy-mode iptables|ipvs|nftables]
               [--kube-proxy-version X.Y] [--on NODE | --in [NAMESPACE/]POD] [--warnings] -- COMMAND [ARGS...]
  kubesim trace -f FILE [-f FILE...] [--proxy-mode iptables|ipvs|nftables] [--kube-proxy-version X.Y]
                --from pod/NS/NAME|node/NAME|external/IP --to IP:PORT|NAME:PORT [--proto tcp|udp]
                [--all-paths | --count N | --compare-modes] [--seed S] [--json]
                (a NAME is resolved first by the client's resolver; the lookup's hops come first)
  kubesim check -f FILE [-f FILE...]      report every problem in the YAML (exit 2 on errors)

Runs COMMAND (kubectl, and the node/pod tools) in a simulated cluster built from the YAML
files and prints exactly what it prints there.
`;

interface Common {
  files: SourceFile[];
  seed?: number;
  proxyMode?: 'iptables' | 'ipvs' | 'nftables';
  kubeProxyVersion?: string;
  on?: string;
  in?: string;
  warnings: boolean;
  rest: string[];
  from?: string;
  to?: string;
  proto?: 'tcp' | 'udp' | 'sctp';
  allPaths: boolean;
  compareModes: boolean;
  count?: number;
  json: boolean;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

function parseCommon(args: string[], io: Io): Common | number {
  const c: Common = { files: [], warnings: false, rest: [], allPaths: false, compareModes: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq !== -1) return a.slice(eq + 1);
      return args[++i];
    };
    const name = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    switch (name) {
      case '--': c.rest = args.slice(i + 1); return c;
      case '-f': case '--filename': {
        const f = value();
        if (!f) { io.err('kubesim: -f needs a file name\n'); return 2; }
        try { c.files.push({ name: f, text: f === '-' ? readFileSync(0, 'utf8') : readFileSync(f, 'utf8') }); } catch (e) {
          io.err(`error: the path "${f}" does not exist\n`);
          return 2;
        }
        break;
      }
      case '--seed': { const v = Number(value()); if (!Number.isFinite(v)) { io.err('kubesim: --seed needs a number\n'); return 2; } c.seed = v; break; }
      case '--proxy-mode': {
        const v = value();
        if (v !== 'iptables' && v !== 'ipvs' && v !== 'nftables') { io.err(`kubesim: --proxy-mode must be iptables, ipvs or nftables (got "${v ?? ''}")\n`); return 2; }
        c.proxyMode = v; break;
      }
      case '--kube-proxy-version': { const v = value(); if (!v || !/^v?\d+\.\d+/.test(v)) { io.err('kubesim: --kube-proxy-version needs X.Y, e.g. 1.23\n'); return 2; } c.kubeProxyVersion = v; break; }
      case '--on': c.on = value(); break;
      case '--in': c.in = value(); break;
      case '--warnings': c.warnings = true; break;
      case '--from': c.from = value(); break;
      case '--to': c.to = value(); break;
      case '--proto': {
        const v = value();
        if (v !== 'tcp' && v !== 'udp' && v !== 'sctp') { io.err(`kubesim: --proto must be tcp, udp or sctp (got "${v ?? ''}")\n`); return 2; }
        c.proto = v; break;
      }
      case '--all-paths': c.allPaths = true; break;
      case '--compare-modes': c.compareModes = true; break;
      case '--count': { const v = Number(value()); if (!Number.isInteger(v) || v < 1 || v > 1_000_000) { io.err('kubesim: --count needs a whole number from 1 to 1000000\n'); return 2; } c.count = v; break; }
      case '--json': c.json = true; break;
      case '-h': case '--help': io.out(USAGE); return 0;
      default:
        io.err(`kubesim: unknown option "${a}"\n${USAGE}`);
        return 2;
    }
  }
  return c;
}

function load(c: Common, io: Io): Simulation | number {
  const sim = Simulation.load(c.files, { seed: c.seed, proxyMode: c.proxyMode, kubeProxyVersion: c.kubeProxyVersion });
  const errors = sim.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    for (const d of errors) io.err(`${formatDiagnosticBilingual(d)}\n${d.raw ? `  ${d.raw.split('\n').join('\n  ')}\n` : ''}`);
    return 2;
  }
  if (c.warnings) for (const d of sim.diagnostics) io.err(`${formatDiagnosticBilingual(d)}\n`);
  return sim;
}

function whereOf(c: Common, sim: Simulation, io: Io): Where | number {
  if (c.on && c.in) { io.err('kubesim: use either --on NODE or --in POD, not both\n'); return 2; }
  const snap = sim.snapshot();
  if (c.in) {
    const [ns, pod] = c.in.includes('/') ? c.in.split('/', 2) : ['default', c.in];
    if (!snap.pods.some((p) => p.metadata.namespace === ns && p.metadata.name === pod)) {
      io.err(`Error from server (NotFound): pods "${pod}" not found\n`);
      return 1;
    }
    return { kind: 'pod', namespace: ns, pod };
  }
  const node = c.on ?? sim.defaultNode();
  if (!snap.nodes.some((n) => n.metadata.name === node)) {
    io.err(`kubesim: no node named "${node}" (nodes: ${snap.nodes.map((n) => n.metadata.name).join(', ')})\n`);
    return 2;
  }
  return { kind: 'node', node };
}

export async function main(argv: string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const [sub, ...args] = argv;
  if (!sub || sub === '-h' || sub === '--help' || sub === 'help') { (sub ? io.out : io.err)(USAGE); return sub ? 0 : 2; }
  if (sub === 'exec') {
    const c = parseCommon(args, io);
    if (typeof c === 'number') return c;
    if (c.rest.length === 0) { io.err(`kubesim exec: give the command after "--"\n${USAGE}`); return 2; }
    const sim = load(c, io);
    if (typeof sim === 'number') return sim;
    const where = whereOf(c, sim, io);
    if (typeof where === 'number') return where;
    // One argument containing spaces is a whole command line (`-- "kubectl get svc | grep dns"`).
    const line = c.rest.length === 1 ? c.rest[0] : quoteWords(c.rest);
    const r = sim.exec(line, where);
    io.out(r.stdout);
    io.err(r.stderr);
    return r.exitCode;
  }
  if (sub === 'trace') {
    const c = parseCommon(args, io);
    if (typeof c === 'number') return c;
    if (!c.from || !c.to) { io.err(`kubesim trace: --from and --to are required\n${USAGE}`); return 2; }
    if (c.allPaths && c.count !== undefined) { io.err('kubesim trace: use either --all-paths or --count\n'); return 2; }
    const sim = load(c, io);
    if (typeof sim === 'number') return sim;
    if (c.compareModes) {
      const modes = sim.compareModes({ from: c.from, to: c.to, proto: c.proto, seed: c.seed });
      const bad = modes.find((m) => 'error' in m.trace);
      if (bad && 'error' in bad.trace) { io.err(`kubesim trace: ${bad.trace.error}\n`); return 2; }
      io.out(c.json ? `${JSON.stringify(modes)}\n` : formatModes(modes));
      return 0;
    }
    const r = sim.trace({ from: c.from, to: c.to, proto: c.proto, allPaths: c.allPaths, count: c.count, seed: c.seed });
    if ('error' in r) { io.err(`kubesim trace: ${r.error}\n`); return 2; }
    io.out(c.json ? `${JSON.stringify(r)}\n` : formatTrace(r));
    return 0;
  }
  if (sub === 'check') {
    const c = parseCommon(args, io);
    if (typeof c === 'number') return c;
    const sim = Simulation.load(c.files, { seed: c.seed });
    for (const d of sim.diagnostics) io.err(`${formatDiagnosticBilingual(d)}\n`);
    for (const i of sim.snapshot().insights) io.err(`${i.severity}: Service ${i.namespace}/${i.service}: ${i.message.en}\n`);
    return sim.ok ? 0 : 2;
  }
  io.err(`kubesim: unknown command "${sub}"\n${USAGE}`);
  return 2;
}
