// The shell emulator: a command line, run on a node or inside a pod, gives what the real
// tools print there. Pipelines into grep/head/tail/wc work as learners type them; command
// lists (`;`, `&&`, `||`, newlines), `> FILE` redirections, `cd`, `sh -c '…'` and a simple
// `for i in 1 2 3; do …; done` loop run in one call, so a learner can type
// `curl 10.96.0.5; curl 10.96.0.5; conntrack -L` at once. `$NAME`/`${NAME}` expand to the
// environment where the line runs (env.ts: the container's inside a pod, root's on a node),
// as the shell typing the line would expand them.
import type { ShellContext, ShellResult, Where } from './types';
import { fail } from './types';
import { parseList, type SimpleCommand } from './argv';
import { runFilter } from './filters';
import { kubectl } from './kubectl';
import { iptablesCommand } from './iptables';
import { curlCommand } from './curl';
import { conntrackCommand } from './conntrack';
import { dnsCommand } from './dns';
import { envCommand, shellVariables } from './env';
import { pingCommand } from './ping';
import { wgetCommand } from './wget';
import { ipvsCommand } from './ipvs';
import { nftCommand } from './nft';

export type CommandHandler = (argv: string[], ctx: ShellContext, stdin: string) => ShellResult | null;

/** Tools contributed by other parts of the simulator (iptables, nslookup, curl, …) register here. */
const handlers: CommandHandler[] = [dnsCommand, ipvsCommand, nftCommand];

export function registerCommand(handler: CommandHandler): void {
  handlers.push(handler);
}

/** State one command line carries from command to command. */
interface Session {
  cwd: string;
  /** Nesting of `sh -c` (a runaway recursion guard). */
  depth: number;
}

const MAX_LOOP = 1000;
/** Stands for `$?` in parsed words until the command runs (a private-use character). */
const LAST_STATUS = '\uE000';

export function runCommandLine(line: string, ctx: ShellContext): ShellResult {
  return runScript(line, ctx, { cwd: ctx.where.kind === 'pod' ? '/' : '/root', depth: 0 });
}

function runScript(line: string, ctx: ShellContext, session: Session): ShellResult {
  const loop = /^\s*for\s+([A-Za-z_]\w*)\s+in\s+([^;\n]*?)\s*[;\n]\s*do\s+([\s\S]*?)\s*;?\s*done\s*(?:[;\n]\s*([\s\S]*))?$/.exec(line);
  if (loop) return runFor(loop[1], loop[2], loop[3], loop[4], ctx, session);
  if (/^\s*while\b/.test(line)) return fail('kubesim: `while` loops are not simulated (they never end here); use `for i in 1 2 3; do …; done`\n', 2);
  const vars = shellVariables(ctx, () => session.cwd);
  // `$?` is only known when its command runs: a placeholder until then.
  const items = parseList(line.trim(), (name) => (name === '?' ? LAST_STATUS : vars(name)));
  if ('error' in items) return fail(`${items.error}\n`, 2);
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const item of items) {
    if (item.op === '&&' && exitCode !== 0) continue;
    if (item.op === '||' && exitCode === 0) continue;
    let result: ShellResult = { stdout: '', stderr: '', exitCode: 0 };
    const status = String(exitCode);
    const withStatus = (c: SimpleCommand): SimpleCommand => (c.words.some((w) => w.includes(LAST_STATUS))
      ? { ...c, words: c.words.map((w) => w.split(LAST_STATUS).join(status)) } : c);
    item.commands.forEach((c, i) => {
      result = runRedirected(withStatus(c), ctx, i === 0 ? '' : result.stdout, i > 0, session);
      stderr += result.stderr;
    });
    stdout += result.stdout;
    exitCode = result.exitCode;
  }
  return { stdout, stderr, exitCode };
}

/** `for NAME in WORDS; do BODY; done [; REST]`: WORDS may use `{1..5}` or `$(seq A B)`. */
function runFor(name: string, wordsText: string, body: string, rest: string | undefined, ctx: ShellContext, session: Session): ShellResult {
  const words: string[] = [];
  for (const w of wordsText.replace(/\$\(\s*seq\s+(\d+)(?:\s+(\d+))?\s*\)/g, (_, a: string, b?: string) => {
    const [lo, hi] = b === undefined ? [1, Number(a)] : [Number(a), Number(b)];
    return Array.from({ length: Math.max(0, Math.min(hi - lo + 1, MAX_LOOP)) }, (_x, k) => String(lo + k)).join(' ');
  }).split(/\s+/).filter(Boolean)) {
    const range = /^\{(\d+)\.\.(\d+)\}$/.exec(w);
    if (range) for (let k = Number(range[1]); k <= Number(range[2]) && words.length < MAX_LOOP; k++) words.push(String(k));
    else words.push(w);
  }
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const w of words.slice(0, MAX_LOOP)) {
    const r = runScript(body.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, 'g'), w), ctx, session);
    stdout += r.stdout;
    stderr += r.stderr;
    exitCode = r.exitCode;
  }
  if (rest && rest.trim()) {
    const r = runScript(rest, ctx, session);
    return { stdout: stdout + r.stdout, stderr: stderr + r.stderr, exitCode: r.exitCode };
  }
  return { stdout, stderr, exitCode };
}

function absolute(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop(); else out.push(p);
  }
  return `/${out.join('/')}`;
}

/** One command with its `>`/`>>`/`2>` redirections applied. */
function runRedirected(c: SimpleCommand, ctx: ShellContext, stdin: string, piped: boolean, session: Session): ShellResult {
  const r = c.words.length ? runOne(c.words, ctx, stdin, piped, session) : { stdout: '', stderr: '', exitCode: 0 };
  let { stdout, stderr } = r;
  for (const red of c.redirects) {
    if (red.target === '&1' && red.fd === 2) { stdout += stderr; stderr = ''; continue; }
    if (red.target === '&2' && red.fd === 1) { stderr += stdout; stdout = ''; continue; }
    const text = red.fd === 2 ? stderr : stdout;
    if (red.fd === 2) stderr = ''; else stdout = '';
    if (red.target === '/dev/null') continue;
    ctx.api.writeFile?.(ctx.where, absolute(session.cwd, red.target), text, red.op === '>>');
  }
  return { stdout, stderr, exitCode: r.exitCode };
}

function runOne(argv: string[], ctx: ShellContext, stdin: string, piped: boolean, session: Session): ShellResult {
  const [cmd] = argv;
  const exec = (words: string[], where: Where) => runOne(words, { ...ctx, where }, '', false, { cwd: where.kind === 'pod' ? '/' : '/root', depth: session.depth + 1 });
  if (cmd === 'kubectl') {
    if (ctx.where.kind === 'pod') return fail(`sh: kubectl: not found\n`, 127);
    return kubectl(argv.slice(1), ctx, exec);
  }
  const shell = (cmd ?? '').split('/').pop() ?? '';
  if (shell === 'sh' || shell === 'bash' || shell === 'ash') {
    const c = argv.indexOf('-c');
    if (c === -1 || argv[c + 1] === undefined) {
      return fail(`kubesim: interactive shells are not simulated; run the commands with ${cmd} -c '…' (e.g. kubectl exec POD -- sh -c 'echo web1 > /usr/share/nginx/html/index.html')\n`, 1);
    }
    if (session.depth > 8) return fail(`${cmd}: too many nested shells\n`, 2);
    return runScript(argv[c + 1], ctx, { cwd: session.cwd, depth: session.depth + 1 });
  }
  if (cmd === 'cd') {
    session.cwd = argv[1] === undefined ? (ctx.where.kind === 'pod' ? '/root' : '/root') : absolute(session.cwd, argv[1]);
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  if (cmd === 'pwd') return { stdout: `${session.cwd}\n`, stderr: '', exitCode: 0 };
  if (cmd === 'rm' && ctx.where.kind === 'pod' && ctx.api.removeFile) return rm(argv.slice(1), ctx, session.cwd);
  if (cmd === 'sleep' || cmd === 'true' || cmd === 'exit' || cmd === ':') return { stdout: '', stderr: '', exitCode: cmd === 'exit' ? Number(argv[1] ?? 0) || 0 : 0 };
  if (cmd === 'false') return { stdout: '', stderr: '', exitCode: 1 };
  const ipt = iptablesCommand(argv, ctx, (n) => ctx.api.netfilter(n));
  if (ipt) return ipt;
  const curl = curlCommand(argv, ctx);
  if (curl) return curl;
  const ct = conntrackCommand(argv, ctx);
  if (ct) return ct;
  if (cmd === 'env') {
    // `env [-i] [NAME=VALUE]... COMMAND [ARGS]`: the command runs (without the assignments).
    let k = 1;
    while (k < argv.length && (argv[k] === '-i' || argv[k] === '-' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[k]))) k++;
    if (k < argv.length) return runOne(argv.slice(k), ctx, stdin, piped, session);
  }
  const env = envCommand(argv, ctx, session.cwd);
  if (env) return env;
  const ping = pingCommand(argv, ctx);
  if (ping) return ping;
  const wget = wgetCommand(argv, ctx, session.cwd);
  if (wget) return wget;
  for (const h of handlers) {
    const r = h(argv, ctx, stdin);
    if (r) return r;
  }
  if (cmd === 'cat' && argv.length > 1 && ctx.where.kind === 'pod' && ctx.api.readFile) {
    let out = '';
    let err = '';
    for (const f of argv.slice(1)) {
      const text = ctx.api.readFile(ctx.where, absolute(session.cwd, f));
      if (text === undefined) err += `cat: can't open '${f}': No such file or directory\n`; else out += text;
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  }
  if (piped || ['grep', 'egrep', 'head', 'tail', 'wc', 'sort', 'cat'].includes(cmd)) {
    const r = runFilter(argv, stdin);
    if (r) return r;
  }
  if (cmd === 'echo') {
    const noNewline = argv[1] === '-n';
    const words = argv.slice(noNewline ? 2 : 1);
    return { stdout: `${words.join(' ')}${noNewline ? '' : '\n'}`, stderr: '', exitCode: 0 };
  }
  if (cmd === 'hostname') return { stdout: `${ctx.where.kind === 'node' ? ctx.where.node : ctx.where.pod}\n`, stderr: '', exitCode: 0 };
  return ctx.where.kind === 'pod' ? fail(`sh: ${cmd}: not found\n`, 127) : fail(`bash: ${cmd}: command not found\n`, 127);
}

/** `rm [-f] [-r] FILE…` inside a pod: files written there (by a redirect or wget) go away. */
function rm(args: string[], ctx: ShellContext, cwd: string): ShellResult {
  let force = false;
  const files: string[] = [];
  for (const a of args) {
    if (/^-[rRfvdi]+$/.test(a) || a === '--') { if (a.includes('f')) force = true; continue; }
    files.push(a);
  }
  if (!files.length) return force ? { stdout: '', stderr: '', exitCode: 0 } : fail('rm: missing operand\n', 1);
  let stderr = '';
  for (const f of files) {
    if (!ctx.api.removeFile!(ctx.where, absolute(cwd, f)) && !force) stderr += `rm: can't remove '${f}': No such file or directory\n`;
  }
  return { stdout: '', stderr, exitCode: stderr ? 1 : 0 };
}
