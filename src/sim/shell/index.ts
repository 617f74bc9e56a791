// The shell emulator: a command line, run on a node or inside a pod, gives what the real
// tools print there. Pipelines into grep/head/tail/wc work as learners type them.
import type { ShellContext, ShellResult, Where } from './types';
import { fail } from './types';
import { parseCommandLine } from './argv';
import { runFilter } from './filters';
import { kubectl } from './kubectl';
import { iptablesCommand } from './iptables';

export type CommandHandler = (argv: string[], ctx: ShellContext, stdin: string) => ShellResult | null;

/** Tools contributed by other parts of the simulator (iptables, nslookup, curl, …) register here. */
const handlers: CommandHandler[] = [];

export function registerCommand(handler: CommandHandler): void {
  handlers.push(handler);
}

export function runCommandLine(line: string, ctx: ShellContext): ShellResult {
  const parsed = parseCommandLine(line.trim());
  if ('error' in parsed) return fail(`${parsed.error}\n`, 2);
  if (parsed.commands.length === 0) return { stdout: '', stderr: '', exitCode: 0 };
  let result: ShellResult = { stdout: '', stderr: '', exitCode: 0 };
  let stderr = '';
  parsed.commands.forEach((argv, i) => {
    result = runOne(argv, ctx, i === 0 ? '' : result.stdout, i > 0);
    stderr += result.stderr;
  });
  return { ...result, stderr };
}

function runOne(argv: string[], ctx: ShellContext, stdin: string, piped: boolean): ShellResult {
  const [cmd] = argv;
  const exec = (words: string[], where: Where) => runOne(words, { ...ctx, where }, '', false);
  if (cmd === 'kubectl') {
    if (ctx.where.kind === 'pod') return fail(`sh: kubectl: not found\n`, 127);
    return kubectl(argv.slice(1), ctx, exec);
  }
  const ipt = iptablesCommand(argv, ctx, (n) => ctx.api.netfilter(n));
  if (ipt) return ipt;
  for (const h of handlers) {
    const r = h(argv, ctx, stdin);
    if (r) return r;
  }
  if (piped || ['grep', 'egrep', 'head', 'tail', 'wc', 'sort', 'cat'].includes(cmd)) {
    const r = runFilter(argv, stdin);
    if (r) return r;
  }
  if (cmd === 'echo') return { stdout: `${argv.slice(1).join(' ')}\n`, stderr: '', exitCode: 0 };
  if (cmd === 'hostname') return { stdout: `${ctx.where.kind === 'node' ? ctx.where.node : ctx.where.pod}\n`, stderr: '', exitCode: 0 };
  return ctx.where.kind === 'pod' ? fail(`sh: ${cmd}: not found\n`, 127) : fail(`bash: ${cmd}: command not found\n`, 127);
}
