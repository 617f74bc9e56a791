// `kubectl …`: routes the subcommand to its implementation.
import type { ShellContext, ShellResult } from '../types';
import { fail } from '../types';
import { kubectlGet } from './get';
import { kubectlDescribe } from './describe';
import { kubectlCreate, kubectlDelete, kubectlExpose, kubectlPatch, kubectlRun, kubectlScale } from './mutate';

/** kubectl's global flags that may stand before the subcommand (`kubectl -n kube-system get svc`). */
const GLOBAL_WITH_VALUE = new Set(['-n', '--namespace', '--context', '--kubeconfig', '-s', '--server']);

export function kubectl(args: string[], ctx: ShellContext, exec: (words: string[], where: ShellContext['where']) => ShellResult): ShellResult {
  const leading: string[] = [];
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    leading.push(args[i]);
    if (GLOBAL_WITH_VALUE.has(args[i]) && i + 1 < args.length) leading.push(args[++i]);
    i++;
  }
  const sub = args[i];
  const rest = [...args.slice(i + 1), ...leading];
  switch (sub) {
    case 'get': return kubectlGet(rest, ctx);
    case 'describe': return kubectlDescribe(rest, ctx);
    case 'expose': return kubectlExpose(rest, ctx);
    case 'patch': return kubectlPatch(rest, ctx);
    case 'scale': return kubectlScale(rest, ctx);
    case 'delete': return kubectlDelete(rest, ctx);
    case 'run': return kubectlRun(rest, ctx);
    case 'create': return kubectlCreate(rest, ctx);
    case 'exec': return kubectlExec(rest, ctx, exec);
    case undefined: return fail('kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n');
    default: return fail(`error: unknown command "${sub}" for "kubectl"\n\nDid you mean this?\n\tget\n\nRun 'kubectl --help' for usage.\n`);
  }
}

function kubectlExec(args: string[], ctx: ShellContext, exec: (words: string[], where: ShellContext['where']) => ShellResult): ShellResult {
  const dash = args.indexOf('--');
  const before = dash === -1 ? args : args.slice(0, dash);
  const command = dash === -1 ? [] : args.slice(dash + 1);
  let ns = 'default';
  let pod: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const a = before[i];
    if (a === '-n' || a === '--namespace') ns = before[++i];
    else if (a.startsWith('--namespace=')) ns = a.slice(12);
    else if (a === '-c' || a === '--container') i++;
    else if (a.startsWith('-')) continue;
    else pod ??= a.replace(/^pods?\//, '');
  }
  if (!pod) return fail('error: pod, type/name or --filename must be specified\n');
  if (command.length === 0) return fail('error: you must specify at least one command for the container\n');
  const p = ctx.api.snapshot().pods.find((x) => x.metadata.namespace === ns && x.metadata.name === pod);
  if (!p) return fail(`Error from server (NotFound): pods "${pod}" not found\n`);
  if (p.status?.phase !== 'Running') return fail(`error: unable to upgrade connection: container not found ("${p.spec?.containers?.[0]?.name ?? pod}")\n`);
  return exec(command, { kind: 'pod', namespace: ns, pod });
}
