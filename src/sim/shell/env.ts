// `env`, `printenv [NAME...]` and `cat /proc/1/environ`, and the variables `$NAME` expands to.
//
// Inside a pod the environment is the container's, as the runtime (docker/containerd) starts
// it and `kubectl exec POD -- env` prints it:
//   PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin   (the image's PATH)
//   HOSTNAME=<pod name>                                                  (the runtime's)
//   <the container's env/envFrom, in spec order>                         (kubelet)
//   <the Service variables, sorted by name>                              (kubelet; really Go-map order)
//   HOME=/root                                                           (runc, when unset)
// Other ENV lines of an image's Dockerfile (NGINX_VERSION, …) and TERM=xterm (added by
// `kubectl exec -t`) are not modelled. A login shell's own variables (PWD, SHLVL, `_`) are
// not listed either: the same text as `kubectl exec POD -- env` is printed wherever `env` runs
// in the pod.
//
// The environment is fixed when the container starts (src/sim/controllers/service-env.ts):
// Services created later are not in it; when a Service is deleted, kubectl's delete path
// first freezes the environment of the pods that had its variables (freezeEnvironments), so
// they keep the old ClusterIP as a real container does.
//
// On a node: root's login environment on Ubuntu 22.04 (ssh), kept short.
import type { ClusterSnapshot } from '../snapshot';
import type { ShellContext, ShellResult, Where } from './types';
import { ok } from './types';
import { existedAtStart, hasServiceIP, kubeletEnv, type EnvVar } from '../controllers/service-env';
import { podAt } from './userland';

export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const NODE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games:/snap/bin';
/** Where the frozen environment of a pod's container is kept (what the kernel shows there). */
export const ENVIRON_FILE = '/proc/1/environ';

type Files = Pick<ShellContext['api'], 'readFile'>;

/** The environment a pod's first container runs with. */
export function podEnvironment(snap: ClusterSnapshot, where: Where, files?: Files): EnvVar[] | undefined {
  const pod = podAt(snap, where);
  if (!pod) return undefined;
  const frozen = files?.readFile?.(where, ENVIRON_FILE);
  if (frozen !== undefined) return parseEnviron(frozen);
  const hostname = pod.spec?.hostNetwork ? pod.spec.nodeName ?? pod.metadata.name : pod.spec?.hostname ?? pod.metadata.name;
  const env: EnvVar[] = [{ name: 'PATH', value: IMAGE_PATH }, { name: 'HOSTNAME', value: hostname }];
  for (const v of kubeletEnv(pod, snap.services, snap.configMaps)) {
    const at = env.findIndex((e) => e.name === v.name);
    if (at === -1) env.push(v); else env[at] = v;
  }
  if (!env.some((e) => e.name === 'HOME')) env.push({ name: 'HOME', value: '/root' });
  return env;
}

function nodeEnvironment(cwd: string): EnvVar[] {
  return [
    ['SHELL', '/bin/bash'], ['PWD', cwd], ['LOGNAME', 'root'], ['HOME', '/root'], ['LANG', 'C.UTF-8'], ['TERM', 'xterm-256color'],
    ['USER', 'root'], ['SHLVL', '1'], ['PATH', NODE_PATH], ['_', '/usr/bin/env'],
  ].map(([name, value]) => ({ name, value }));
}

/** The process environment where a command runs. */
export function environmentAt(ctx: ShellContext, cwd: string): EnvVar[] {
  if (ctx.where.kind === 'node') return nodeEnvironment(cwd);
  return podEnvironment(ctx.api.snapshot(), ctx.where, ctx.api) ?? [{ name: 'PATH', value: IMAGE_PATH }, { name: 'HOME', value: '/root' }];
}

/** What `$NAME` expands to: the environment plus the shell's own HOSTNAME and PWD. */
export function shellVariables(ctx: ShellContext, cwd: () => string): (name: string) => string | undefined {
  let vars: Map<string, string> | undefined;
  return (name) => {
    if (name === 'PWD') return cwd();
    if (!vars) {
      vars = new Map(environmentAt(ctx, cwd()).map((e) => [e.name, e.value]));
      if (ctx.where.kind === 'node') vars.set('HOSTNAME', ctx.where.node);
    }
    return vars.get(name);
  };
}

function parseEnviron(text: string): EnvVar[] {
  return text.split('\0').filter(Boolean).map((kv) => {
    const eq = kv.indexOf('=');
    return { name: kv.slice(0, eq), value: kv.slice(eq + 1) };
  });
}

export function formatEnviron(env: EnvVar[]): string {
  return env.map((e) => `${e.name}=${e.value}\0`).join('');
}

export function envCommand(argv: string[], ctx: ShellContext, cwd: string): ShellResult | null {
  const [cmd, ...args] = argv;
  if (cmd === 'cat' && args.length === 1 && /^\/proc\/(1|self)\/environ$/.test(args[0]) && ctx.where.kind === 'pod') {
    return ok(formatEnviron(environmentAt(ctx, cwd)));
  }
  if (cmd === 'env') {
    // `env NAME=VALUE… COMMAND` is run by the shell (index.ts); here only assignments remain.
    const extra: EnvVar[] = args.filter((a) => a.indexOf('=') > 0).map((a) => ({ name: a.slice(0, a.indexOf('=')), value: a.slice(a.indexOf('=') + 1) }));
    const env = environmentAt(ctx, cwd).filter((e) => !extra.some((x) => x.name === e.name));
    return ok([...env, ...extra].map((e) => `${e.name}=${e.value}\n`).join(''));
  }
  if (cmd === 'printenv') {
    const env = environmentAt(ctx, cwd);
    if (args.length === 0) return ok(env.map((e) => `${e.name}=${e.value}\n`).join(''));
    let out = '';
    let missing = false;
    for (const name of args) {
      const v = env.find((e) => e.name === name);
      if (v) out += `${v.value}\n`; else missing = true;
    }
    return { stdout: out, stderr: '', exitCode: missing ? 1 : 0 };
  }
  return null;
}

/**
 * Before a Service is deleted: the pods whose environment holds its variables keep them, with
 * the ClusterIP they started with (written where the kernel shows a process's environment).
 */
export function freezeEnvironments(ctx: ShellContext, namespace: string, service: string): void {
  const snap = ctx.api.snapshot();
  const svc = snap.services.find((s) => s.metadata.namespace === namespace && s.metadata.name === service);
  if (!svc || !hasServiceIP(svc)) return;
  const master = namespace === 'default' && service === 'kubernetes';
  for (const pod of snap.pods) {
    if (!master && (pod.metadata.namespace !== namespace || pod.spec?.enableServiceLinks === false || !existedAtStart(svc, pod))) continue;
    const where: Where = { kind: 'pod', namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name };
    if (ctx.api.readFile?.(where, ENVIRON_FILE) !== undefined) continue;
    const env = podEnvironment(snap, where);
    if (env) ctx.api.writeFile?.(where, ENVIRON_FILE, formatEnviron(env), false);
  }
}
