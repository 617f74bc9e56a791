// The simulation's home in the browser: a module Web Worker exposing the facade with Comlink.
// It keeps the Simulation between calls so `exec` can answer against the loaded cluster;
// the page only ever receives plain data (see protocol.ts).
import * as Comlink from 'comlink';
import { EXAMPLES, Simulation } from '../sim/index';
import type { ChainListing, ClusterSnapshot, ExampleInfo, LoadResult, SimWorkerApi } from './protocol';
import { isBuiltin } from '../sim/netfilter/ruleset';
import { printRule } from '../sim/netfilter/save';
import { evaluateCheck } from '../sim/lessons/check';
import { setsAndMaps } from '../sim/nftables/model';
import { printNftSetListing } from '../sim/nftables/print';
import type { LoadOptions, ShellResult, SourceFile, Where } from './protocol';

/**
 * The snapshot as the page gets it: without what the page never reads — the teaching
 * insights (worked out on first read: copying them would compute them for every Service),
 * source positions and the diagnostics (sent beside it). For a pasted 5,000-Service cluster
 * that is a large share of the structured clone the page's main thread has to take in.
 */
function forPage(snap: ClusterSnapshot): ClusterSnapshot {
  const d = Object.getOwnPropertyDescriptors(snap);
  delete (d as Partial<typeof d>).insights;
  const out = Object.defineProperties({}, d) as ClusterSnapshot;
  out.insights = [];
  out.sources = {};
  out.diagnostics = [];
  // Long lists are cut to what the page can show (the stage draws a few dozen Services, the
  // pickers a few hundred): copying 20,000 objects into the page is a long main-thread task.
  // kube-system's pods are always kept (CoreDNS, kube-proxy, flannel are drawn on each node).
  for (const k of LISTS) {
    const list = out[k] as { metadata: { namespace?: string } }[];
    if (list.length <= PAGE_LIMIT) continue;
    const system = k === 'pods' ? list.filter((o) => o.metadata.namespace === 'kube-system') : [];
    (out[k] as unknown) = [...list.filter((o) => o.metadata.namespace !== 'kube-system' || k !== 'pods').slice(0, PAGE_LIMIT), ...system];
  }
  return out;
}

/** Objects per kind the page receives (the totals travel beside them). */
export const PAGE_LIMIT = 600;
const LISTS = ['services', 'pods', 'endpoints', 'endpointSlices', 'deployments', 'replicaSets', 'statefulSets', 'daemonSets', 'configMaps', 'others'] as const;

function totalsOf(snap: ClusterSnapshot): LoadResult['totals'] {
  return { services: snap.services.length, pods: snap.pods.length, nodes: snap.nodes.length };
}

/** The last scenario that loaded without errors: what `exec` runs against. */
let current: Simulation | null = null;

const DEFAULT_WHERE: Where = { kind: 'node', node: 'master' };

const api: SimWorkerApi = {
  load(files: SourceFile[], options?: LoadOptions): LoadResult {
    const sim = Simulation.load(files, options);
    if (sim.ok) current = sim;
    const snap = sim.snapshot();
    return { ok: sim.ok, diagnostics: sim.diagnostics, snapshot: forPage(snap), totals: totalsOf(snap) };
  },

  exec(command: string, where: Where = DEFAULT_WHERE): ShellResult {
    if (!current) {
      return {
        stdout: '',
        stderr: 'kubesim: no cluster yet: no scenario has loaded without errors; fix the YAML first\n',
        exitCode: 1,
      };
    }
    return current.exec(command, where);
  },

  mutate(command, where = DEFAULT_WHERE) {
    if (!current) return null;
    const before = current.snapshot();
    const result = current.exec(command, where);
    const after = current.snapshot();
    // Unchanged lists are the same arrays (the snapshot is cached until a mutation): then
    // there is nothing to send back but the output.
    const changed = (Object.keys(after) as (keyof typeof after)[]).some((k) => Array.isArray(after[k]) && after[k] !== before[k] && k !== 'diagnostics');
    return { result, snapshot: changed ? forPage(after) : null, totals: totalsOf(after) };
  },

  setPodReady(namespace, name, ready) {
    if (!current || !current.setPodReady(namespace, name, ready).ok) return null;
    return forPage(current.snapshot());
  },

  trace(req) {
    if (!current) return { error: 'no cluster yet: fix the YAML first' };
    return current.trace(req);
  },

  chain(node, table, chain): ChainListing | null {
    // nftables mode: a chain of kube-proxy's table, each rule as `nft list` prints it.
    const nft = table === 'ip kube-proxy' ? current?.nftables(node) : undefined;
    if (nft) {
      // `@name`: a set or map of the table, as `nft list set|map` prints it (one line a row).
      if (chain.startsWith('@')) {
        const x = setsAndMaps(nft).find((v) => (v.kind === 'set' ? v.set.name : v.map.name) === chain.slice(1));
        return x ? { node, table, chain, policy: null, rules: printNftSetListing(nft, x).replace(/\n$/, '').split('\n') } : null;
      }
      const c = nft.chains.find((x) => x.name === chain);
      return c ? { node, table, chain, policy: c.base?.policy ?? null, rules: c.rules.map((r) => r.text) } : null;
    }
    const rs = current?.ruleset(node);
    const t = rs?.tables.find((x) => x.name === table);
    const c = t?.chains.find((x) => x.name === chain);
    if (!t || !c) return null;
    return { node, table, chain, policy: c.policy && isBuiltin(t.name, c.name) ? c.policy : null, rules: c.rules.map((r) => printRule(c.name, r)) };
  },

  compareModes(req) {
    return current ? current.compareModes(req) : [];
  },

  check(predicate) {
    return current ? evaluateCheck(current, predicate) : null;
  },

  examples(): ExampleInfo[] {
    return EXAMPLES.map((e) => ({ id: e.id, title: { ...e.title }, files: e.files.map((f) => ({ ...f })) }));
  },

  ping() {
    return 'pong';
  },
};

// Pass `self` explicitly: Comlink's default endpoint is globalThis, which is not the worker
// scope under @vitest/web-worker (reference/stack.md §2.4).
Comlink.expose(api, self);
