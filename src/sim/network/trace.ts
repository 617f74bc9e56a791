// Traces as the facade offers them: every path of a connection (--all-paths), one sampled
// connection, or N sampled connections with the tally per endpoint.
import type { ClusterSnapshot } from '../snapshot';
import type { Chain, Ruleset } from '../netfilter/ruleset';
import { findChain } from '../netfilter/ruleset';
import type { Proto } from '../netfilter/packet';
import { createRng } from '../rng';
import type { Trace, TracePath } from './trace-types';
import type { Chooser } from '../netfilter/interpret';
import { ruleSpec } from '../netfilter/save';
import { walk, walkContext, type Dataplanes, type Endpoint, type WalkContext } from './walk';
import { isHostName, resolveForTrace } from './lookup';

export interface TraceRequest {
  from: string; // pod/NS/NAME | pod/NAME | node/NAME | external/IP
  to: string; // IP:PORT, or NAME:PORT (resolved first, as the client's resolver would)
  proto?: Proto;
  allPaths?: boolean;
  count?: number;
  seed?: number;
  /** Walk every sampled connection instead of reusing known outcomes (the tests' reference). */
  walkEveryConnection?: boolean;
  /** Counts the rules and lookups the walked packets are compared against (not in the JSON). */
  stats?: { evaluated: number };
}

export interface TraceResult extends Trace {
  /** With `count`: connections per endpoint (`IP:port`, or the final result when none). */
  tally?: Record<string, number>;
  count?: number;
}

export function parseEndpoint(text: string): Endpoint | { error: string } {
  const parts = text.split('/');
  if (parts[0] === 'pod' && parts.length === 3) return { kind: 'pod', namespace: parts[1], name: parts[2] };
  if (parts[0] === 'pod' && parts.length === 2) return { kind: 'pod', namespace: 'default', name: parts[1] };
  if (parts[0] === 'node' && parts.length === 2) return { kind: 'node', name: parts[1] };
  if (parts[0] === 'external' && parts.length === 2 && /^\d+\.\d+\.\d+\.\d+$/.test(parts[1])) return { kind: 'external', ip: parts[1] };
  return { error: `--from must be pod/NAMESPACE/NAME, node/NAME or external/IP (got "${text}")` };
}

export function parseDestination(text: string): { ip: string; port: number } | { error: string } {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(text);
  if (!m) return { error: `--to must be IP:PORT (got "${text}")` };
  return { ip: m[1], port: Number(m[2]) };
}

/** `IP:PORT` or `NAME:PORT` (a Service name, an FQDN, any name the client's resolver can look up). */
export function parseTarget(text: string): { ip: string; port: number } | { name: string; port: number } | { error: string } {
  const m = /^([^:\s]+):(\d+)$/.exec(text);
  if (m && isHostName(m[1]) && Number(m[2]) > 0 && Number(m[2]) < 65536) return { name: m[1], port: Number(m[2]) };
  const ip = parseDestination(text);
  return 'error' in ip ? { error: `--to must be IP:PORT or NAME:PORT (got "${text}")` } : ip;
}

/**
 * `planes`: the other proxy modes' dataplanes — IPVS (each node's virtual servers and the
 * scheduler state this trace may advance: pass a copy to leave the node's real state alone)
 * or nftables (each node's `ip kube-proxy` table).
 */
export function runTrace(snap: ClusterSnapshot, rulesets: (node: string) => Ruleset | undefined, req: TraceRequest, planes: Dataplanes = {}): TraceResult | { error: string } {
  const from = parseEndpoint(req.from);
  if ('error' in from) return from;
  const target = parseTarget(req.to);
  if ('error' in target) return target;
  const ctx = walkContext(snap, rulesets, planes);
  if ('name' in target) {
    const resolved = resolveForTrace(ctx, from, target.name, req.seed ?? 1);
    if ('error' in resolved) return resolved;
    const { lookup, hops } = resolved;
    if (!lookup.address) {
      // curl's words for it; the lookup's hops are the whole story.
      const fromText = req.from;
      return { from: fromText, to: req.to, proto: req.proto ?? 'tcp', dns: lookup, paths: [{ probability: 1, hops, final: { result: 'unreachable', at: fromText, packet: { src: '', sport: 0, dst: '', dport: target.port, mark: '0x0' }, reason: `Could not resolve host: ${target.name}` } }] };
    }
    const r = traceTo(snap, rulesets, ctx, from, { ...req, to: `${lookup.address}:${target.port}` }, { ip: lookup.address, port: target.port });
    // The lookup comes first in every path (with --count the tally is of the connections).
    return { ...r, dns: lookup, paths: r.paths.map((p) => ({ ...p, hops: [...hops, ...p.hops] })) };
  }
  return traceTo(snap, rulesets, ctx, from, req, target);
}

function traceTo(snap: ClusterSnapshot, rulesets: (node: string) => Ruleset | undefined, ctx: WalkContext, from: Endpoint, req: TraceRequest, to: { ip: string; port: number }): TraceResult {
  const proto = req.proto ?? 'tcp';
  if (req.allPaths) {
    return walk(ctx, from, { proto, dst: to.ip, dport: to.port, choose: () => 'both' });
  }
  const rng = createRng(`${req.seed ?? 1}/trace/${req.from}/${req.to}`);
  const n = Math.max(1, req.count ?? 1);
  const recent = new Map();
  const tally: Record<string, number> = {};
  let first: Trace | undefined;
  const distinct = new Map<string, TracePath>();
  const connection = (i: number, choose: Chooser) => walk(ctx, from, { proto, dst: to.ip, dport: to.port, sport: 40000 + (i % 20000), choose, recent, now: i * 1000, ...(req.stats ? { stats: req.stats } : {}) });
  const tree = new ChoiceTree();
  // IPVS schedulers choose from state (rr's position, connection counts), not from draws.
  if (req.walkEveryConnection || ctx.ipvs) tree.enabled = false;
  for (let i = 0; i < n; i++) {
    // A connection is a sequence of random choices (the statistic splits). Once a sequence has
    // been walked, its outcome is known: later connections that draw the same choices reuse it
    // — the same draws from the same generator, so the tally is what walking each would give.
    // Session affinity (`-m recent`) makes outcomes depend on earlier connections, and rules
    // matching the source port on the connection's own port: then every connection is walked.
    let path: TracePath;
    const known = tree.enabled ? tree.follow(() => rng.next()) : undefined;
    if (known && 'leaf' in known) {
      path = known.leaf;
    } else {
      const script = known?.drawn ?? [];
      const drawn: [number, boolean][] = [];
      let k = 0;
      const t = connection(i, (p) => {
        const d = k < script.length ? script[k][1] : rng.next() < p;
        k++;
        drawn.push([p, d]);
        return d;
      });
      first ??= t;
      path = t.paths[0];
      if (tree.enabled && (recentUsed(recent) || sportSensitive(path, rulesets))) tree.enabled = false;
      if (tree.enabled) tree.add(drawn, path);
    }
    const key = path.final.result === 'delivered' ? path.final.endpoint ?? path.final.at : `${path.final.result}:${path.final.at}`;
    tally[key] = (tally[key] ?? 0) + 1;
    if (req.count !== undefined && !distinct.has(key)) distinct.set(key, { ...path, probability: 0 });
  }
  if (req.count === undefined) return first!;
  for (const [k, p] of distinct) p.probability = tally[k] / n;
  return { ...first!, paths: [...distinct.values()], tally, count: n };
}

type ChoiceNode = { p: number; hit?: ChoiceNode | { leaf: TracePath }; miss?: ChoiceNode | { leaf: TracePath } };

/** Outcomes of the choice sequences walked so far. */
class ChoiceTree {
  enabled = true;
  private root: ChoiceNode | { leaf: TracePath } | undefined;

  /** Draws down the known part of the tree: a known outcome, or the choices made before the unknown. */
  follow(next: () => number): { leaf: TracePath } | { drawn: [number, boolean][] } {
    const drawn: [number, boolean][] = [];
    let node = this.root;
    while (node) {
      if ('leaf' in node) return node;
      const d = next() < node.p;
      drawn.push([node.p, d]);
      node = d ? node.hit : node.miss;
    }
    return { drawn };
  }

  add(drawn: [number, boolean][], path: TracePath): void {
    const leaf = { leaf: path };
    if (drawn.length === 0) { this.root = leaf; return; }
    this.root ??= { p: drawn[0][0] };
    let node = this.root as ChoiceNode;
    drawn.forEach(([, d], i) => {
      const last = i === drawn.length - 1;
      const child = d ? node.hit : node.miss;
      const made = last ? leaf : child && !('leaf' in child) ? child : { p: drawn[i + 1][0] };
      if (d) node.hit = made; else node.miss = made;
      if (!last) node = made as ChoiceNode;
    });
  }
}

function recentUsed(recent: Map<string, Map<string, Map<string, number>>>): boolean {
  for (const lists of recent.values()) for (const list of lists.values()) if (list.size) return true;
  return false;
}

const sportRules = new WeakMap<Chain, boolean>();

/**
 * Whether a chain the path went through matches on source ports (then each connection's own
 * port matters). Only the chains a connection enters can decide it — the hops' chains and the
 * chains they jump to; other branches are walked, and checked, when a connection takes them.
 */
function sportSensitive(path: TracePath, rulesets: (node: string) => Ruleset | undefined): boolean {
  for (const h of path.hops) {
    if (h.kind !== 'netfilter') continue;
    const table = rulesets(h.node)?.tables.find((t) => t.name === h.table);
    const entered = h.verdict.startsWith('JUMP:') ? [h.chain, h.verdict.slice(5)] : [h.chain];
    for (const name of entered) {
      const chain = findChain(table, name);
      if (!chain) continue;
      let has = sportRules.get(chain);
      if (has === undefined) {
        has = chain.rules.some((r) => /--sports? |--ports |--source-ports? /.test(ruleSpec(r)));
        sportRules.set(chain, has);
      }
      if (has) return true;
    }
  }
  return false;
}
