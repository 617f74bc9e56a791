// A lesson's checks, evaluated over the simulated cluster: a closed list of predicates (no
// expressions, nothing evaluated), each answering pass/fail with what it saw.
import type { Simulation } from '../index';
import type { Where } from '../shell/types';
import type { Predicate } from './parse';

export interface CheckResult {
  pass: boolean;
  /** What was seen, in English and Chinese (shown when the check fails). */
  saw: { en: string; zh: string };
}

/** `pod/NS/@label=value` → the first running pod (by name) with that label; other forms unchanged. */
export function resolveFrom(sim: Simulation, from: string): string {
  const m = /^pod\/([^/]+)\/@([^=]+)=(.+)$/.exec(from);
  if (!m) return from;
  const pod = sim.snapshot().pods
    .filter((p) => (p.metadata.namespace ?? 'default') === m[1] && p.metadata.labels?.[m[2]] === m[3] && p.status?.podIP)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  return pod ? `pod/${m[1]}/${pod.metadata.name}` : from;
}

export function whereOf(o: { in?: string; on?: string }, fallbackNode: string): Where {
  if (o.in) {
    const [ns, pod] = o.in.includes('/') ? o.in.split('/') : ['default', o.in];
    return { kind: 'pod', namespace: ns, pod };
  }
  return { kind: 'node', node: o.on ?? fallbackNode };
}

function field(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const same = (a: unknown, b: unknown) => (typeof a === 'object' || typeof b === 'object' ? JSON.stringify(a) === JSON.stringify(b) : String(a) === String(b));

export function evaluateCheck(sim: Simulation, p: Predicate): CheckResult {
  const snap = sim.snapshot();
  if ('endpoints' in p) {
    const [ns, name] = p.endpoints.service.split('/');
    const slices = snap.endpointSlices.filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === name);
    let ready = 0;
    let notReady = 0;
    for (const s of slices) for (const e of s.endpoints ?? []) {
      const n = e.addresses?.length ?? 0;
      if (e.conditions?.ready === false) notReady += n; else ready += n;
    }
    const pass = (p.endpoints.ready === undefined || ready === p.endpoints.ready) && (p.endpoints.notReady === undefined || notReady === p.endpoints.notReady);
    return { pass, saw: { en: `${p.endpoints.service}: ${ready} ready, ${notReady} not ready`, zh: `${p.endpoints.service}：${ready} 个就绪，${notReady} 个未就绪` } };
  }
  if ('object' in p) {
    const o = p.object;
    const all = Object.values(snap).filter(Array.isArray).flat() as { kind?: string; metadata?: { name?: string; namespace?: string } }[];
    const obj = all.find((x) => x?.kind === o.kind && x.metadata?.name === o.name && (o.namespace === undefined || (x.metadata?.namespace ?? 'default') === o.namespace));
    if (!obj) return { pass: false, saw: { en: `no ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`, zh: `没有 ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}` } };
    if (!o.path) return { pass: true, saw: { en: `${o.kind} ${o.name} exists`, zh: `${o.kind} ${o.name} 已存在` } };
    const v = field(obj, o.path);
    const pass = 'equals' in o ? same(v, o.equals) : v !== undefined;
    return { pass, saw: { en: `${o.path} = ${JSON.stringify(v)}`, zh: `${o.path} = ${JSON.stringify(v)}` } };
  }
  if ('reach' in p) {
    const r = p.reach;
    const t = sim.trace({ from: resolveFrom(sim, r.from), to: r.to, allPaths: true });
    if ('error' in t) return { pass: false, saw: { en: t.error, zh: t.error } };
    const labelsOf = (at: string) => {
      const [, ns, name] = at.split('/');
      return snap.pods.find((x) => (x.metadata.namespace ?? 'default') === ns && x.metadata.name === name)?.metadata.labels ?? {};
    };
    const bad = t.paths.find((path) => path.final.result !== 'delivered' || (r.pod && (!path.final.at.startsWith('pod/') || Object.entries(r.pod).some(([k, v]) => labelsOf(path.final.at)[k] !== v))));
    const ends = [...new Set(t.paths.map((x) => `${x.final.result} ${x.final.at}`))].join(', ');
    return { pass: !bad, saw: { en: `the paths end: ${ends}`, zh: `路径的终点：${ends}` } };
  }
  const c = p.command;
  const res = sim.exec(c.run, whereOf(c, sim.snapshot().nodes[0]?.metadata.name ?? 'master'));
  const out = res.stdout + res.stderr;
  const pass = (c.contains ?? []).every((s) => out.includes(s))
    && (c.matches === undefined || new RegExp(c.matches).test(out))
    && (c.exitCode === undefined || res.exitCode === c.exitCode);
  const shown = out.length > 400 ? `${out.slice(0, 400)}…` : out;
  return { pass, saw: { en: `\`${c.run}\` printed:\n${shown}`, zh: `\`${c.run}\` 输出：\n${shown}` } };
}
