// kubectl commands that change the cluster: expose, patch, scale, delete, run, create namespace.
// They go through the simulated API server, so refusals read exactly like kubectl's.
import type { ShellContext, ShellResult } from '../types';
import { fail, ok } from '../types';
import type { Deployment, KubeObject } from '../../api/objects';
import { flag, parseFlags } from './flags';
import { resolveResource } from './resources';
import { freezeEnvironments } from '../env';

function namespaceOf(p: ReturnType<typeof parseFlags>): string {
  return flag(p, 'namespace') ?? 'default';
}

const NS_ALIAS = { n: 'namespace' };

export function kubectlExpose(args: string[], ctx: ShellContext): ShellResult {
  const p = parseFlags(args, new Set(['namespace', 'port', 'target-port', 'protocol', 'type', 'name', 'selector', 'cluster-ip', 'external-ip', 'labels', 'session-affinity']), { ...NS_ALIAS, l: 'labels' });
  let [kindWord, name] = p.positional;
  if (kindWord?.includes('/')) [kindWord, name] = kindWord.split('/');
  if (!kindWord || !name) return fail('error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'\n');
  const res = resolveResource(kindWord);
  if (!res) return fail(`error: the server doesn't have a resource type "${kindWord}"\n`);
  const ns = namespaceOf(p);
  const snap = ctx.api.snapshot();
  const all: KubeObject[] = [...snap.deployments, ...snap.replicaSets, ...snap.services, ...snap.pods, ...snap.statefulSets, ...snap.daemonSets] as KubeObject[];
  const target = all.find((o) => o.kind === res.kind && o.metadata.namespace === ns && o.metadata.name === name);
  if (!target) return fail(`Error from server (NotFound): ${res.resource}${res.group ? `.${res.group}` : ''} "${name}" not found\n`);
  let selector: Record<string, string> | undefined;
  const selFlag = flag(p, 'selector');
  if (selFlag) selector = Object.fromEntries(selFlag.split(',').map((kv) => kv.split('=') as [string, string]));
  else if (target.kind === 'Service') selector = (target.spec as { selector?: Record<string, string> }).selector;
  else if (target.kind === 'Pod') selector = target.metadata.labels;
  else {
    const sel = (target as unknown as Deployment).spec?.selector;
    if (sel?.matchExpressions?.length) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the ${res.singular} has a selector with matchExpressions, which expose cannot copy\n`);
    selector = sel?.matchLabels;
  }
  if (!selector || Object.keys(selector).length === 0) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the provided object has no selector\n`);
  let portStr = flag(p, 'port');
  if (!portStr) {
    const containers = (target.kind === 'Pod' ? (target.spec as { containers?: { ports?: { containerPort: number }[] }[] }) : (target as unknown as Deployment).spec?.template?.spec)?.containers ?? [];
    const first = containers.flatMap((c) => c.ports ?? [])[0];
    if (!first) return fail("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n");
    portStr = String(first.containerPort);
  }
  const ports = portStr.split(',').map((s) => Number(s));
  const protocol = flag(p, 'protocol') ?? 'TCP';
  const tp = flag(p, 'target-port');
  const svcName = flag(p, 'name') ?? name;
  const svc: Record<string, unknown> = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: svcName, namespace: ns, ...(target.metadata.labels ? { labels: { ...target.metadata.labels } } : {}) },
    spec: {
      ports: ports.map((port, i) => ({
        ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}), port, protocol,
        targetPort: tp === undefined ? port : /^\d+$/.test(tp) ? Number(tp) : tp,
      })),
      selector,
      ...(flag(p, 'type') ? { type: flag(p, 'type') } : {}),
      ...(flag(p, 'cluster-ip') ? { clusterIP: flag(p, 'cluster-ip') } : {}),
      ...(flag(p, 'session-affinity') ? { sessionAffinity: flag(p, 'session-affinity') } : {}),
      ...(flag(p, 'external-ip') ? { externalIPs: [flag(p, 'external-ip')] } : {}),
    },
  };
  const r = ctx.api.create(svc);
  if (!r.ok) return fail(`${r.error}\n`);
  return ok(`service/${svcName} exposed\n`);
}

export function kubectlPatch(args: string[], ctx: ShellContext): ShellResult {
  const p = parseFlags(args, new Set(['namespace', 'patch', 'type']), { ...NS_ALIAS, p: 'patch' });
  let [kindWord, name] = p.positional;
  if (kindWord?.includes('/')) [kindWord, name] = kindWord.split('/');
  const res = kindWord ? resolveResource(kindWord) : undefined;
  if (!kindWord || !name) return fail('error: must specify one of -f and -k or resource name\n');
  if (!res) return fail(`error: the server doesn't have a resource type "${kindWord}"\n`);
  const patchText = flag(p, 'patch');
  if (!patchText) return fail('error: must specify -p to patch\n');
  let patch: unknown;
  try { patch = JSON.parse(patchText); } catch {
    return fail(`error: unable to parse "${patchText}": yaml: did not find expected node content\n`);
  }
  const type = (flag(p, 'type') ?? 'strategic') as 'strategic' | 'merge' | 'json';
  const r = ctx.api.patch(res.kind, namespaceOf(p), name, patch, type);
  const ref = `${res.group ? `${res.singular}.${res.group}` : res.singular}/${name}`;
  if (!r.ok) return fail(`${r.error}\n`);
  return ok(r.changed ? `${ref} patched\n` : `${ref} patched (no change)\n`);
}

export function kubectlScale(args: string[], ctx: ShellContext): ShellResult {
  const p = parseFlags(args, new Set(['namespace', 'replicas']), NS_ALIAS);
  let [kindWord, name] = p.positional;
  if (kindWord?.includes('/')) [kindWord, name] = kindWord.split('/');
  const replicas = flag(p, 'replicas');
  if (replicas === undefined || !/^\d+$/.test(replicas)) return fail('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
  const res = kindWord ? resolveResource(kindWord) : undefined;
  if (!res || !['Deployment', 'ReplicaSet', 'StatefulSet'].includes(res.kind)) return fail(`error: no objects passed to scale\n`);
  const r = ctx.api.scale(res.kind, namespaceOf(p), name ?? '', Number(replicas));
  if (!r.ok) return fail(`${r.error}\n`);
  return ok(`${res.singular}.${res.group}/${name} scaled\n`);
}

export function kubectlDelete(args: string[], ctx: ShellContext): ShellResult {
  const p = parseFlags(args, new Set(['namespace', 'grace-period']), NS_ALIAS);
  let kindWord = p.positional[0];
  let names = p.positional.slice(1);
  if (kindWord?.includes('/')) { const [k, n] = kindWord.split('/'); kindWord = k; names = [n, ...names]; }
  const res = kindWord ? resolveResource(kindWord) : undefined;
  if (!res) return fail(kindWord ? `error: the server doesn't have a resource type "${kindWord}"\n` : 'error: You must provide one or more resources by argument or filename.\n');
  let stdout = '', stderr = '';
  for (const n of names) {
    // Running containers keep the variables of a Service that goes away (see env.ts).
    if (res.kind === 'Service') freezeEnvironments(ctx, namespaceOf(p), n);
    const r = ctx.api.delete(res.kind, namespaceOf(p), n);
    if (r.ok) stdout += `${res.singular} "${n}" deleted\n`;
    else stderr += `${r.error}\n`;
  }
  return { stdout, stderr, exitCode: stderr ? 1 : 0 };
}

export function kubectlRun(args: string[], ctx: ShellContext): ShellResult {
  const p = parseFlags(args, new Set(['namespace', 'image', 'port', 'labels', 'restart', 'env']), { ...NS_ALIAS, l: 'labels' });
  const name = p.positional[0];
  const image = flag(p, 'image');
  if (!name || !image) return fail('error: required flag(s) "image" not set\n');
  const labels = flag(p, 'labels') ? Object.fromEntries(flag(p, 'labels')!.split(',').map((kv) => kv.split('='))) : { run: name };
  const command = p.rest ?? p.positional.slice(1);
  const env = (p.flags.get('env') ?? []).map((kv) => {
    const eq = kv.indexOf('=');
    return eq === -1 ? { name: kv, value: '' } : { name: kv.slice(0, eq), value: kv.slice(eq + 1) };
  });
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: namespaceOf(p), labels },
    spec: { containers: [{ name, image, ...(command.length ? { args: command } : {}), ...(env.length ? { env } : {}), ...(flag(p, 'port') ? { ports: [{ containerPort: Number(flag(p, 'port')) }] } : {}) }], restartPolicy: flag(p, 'restart') ?? 'Always' },
  };
  const r = ctx.api.create(pod);
  if (!r.ok) return fail(`${r.error}\n`);
  return ok(`pod/${name} created\n`);
}

export function kubectlCreate(args: string[], ctx: ShellContext): ShellResult {
  const [what, name] = args;
  if ((what === 'namespace' || what === 'ns') && name) {
    const r = ctx.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (!r.ok) return fail(`${r.error}\n`);
    return ok(`namespace/${name} created\n`);
  }
  return fail(`error: KubeSim's kubectl supports "create namespace NAME"; put other objects in the YAML\n`);
}
