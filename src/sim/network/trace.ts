// Traces as the facade offers them: every path of a connection (--all-paths), one sampled
// connection, or N sampled connections with the tally per endpoint.
import type { ClusterSnapshot } from '../snapshot';
import type { Ruleset } from '../netfilter/ruleset';
import type { Proto } from '../netfilter/packet';
import { createRng } from '../rng';
import type { Trace } from './trace-types';
import { walk, walkContext, type Endpoint } from './walk';

export interface TraceRequest {
  from: string; // pod/NS/NAME | pod/NAME | node/NAME | external/IP
  to: string; // HOST:PORT
  proto?: Proto;
  allPaths?: boolean;
  count?: number;
  seed?: number;
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

export function runTrace(snap: ClusterSnapshot, rulesets: (node: string) => Ruleset | undefined, req: TraceRequest): TraceResult | { error: string } {
  const from = parseEndpoint(req.from);
  if ('error' in from) return from;
  const to = parseDestination(req.to);
  if ('error' in to) return to;
  const ctx = walkContext(snap, rulesets);
  const proto = req.proto ?? 'tcp';
  if (req.allPaths) {
    return walk(ctx, from, { proto, dst: to.ip, dport: to.port, choose: () => 'both' });
  }
  const rng = createRng(`${req.seed ?? 1}/trace/${req.from}/${req.to}`);
  const n = Math.max(1, req.count ?? 1);
  const recent = new Map();
  const tally: Record<string, number> = {};
  let first: Trace | undefined;
  const distinct = new Map<string, Trace['paths'][number]>();
  for (let i = 0; i < n; i++) {
    const t = walk(ctx, from, { proto, dst: to.ip, dport: to.port, sport: 40000 + (i % 20000), choose: (p) => rng.next() < p, recent, now: i * 1000 });
    first ??= t;
    const path = t.paths[0];
    const key = path.final.result === 'delivered' ? path.final.endpoint ?? path.final.at : `${path.final.result}:${path.final.at}`;
    tally[key] = (tally[key] ?? 0) + 1;
    if (req.count !== undefined && !distinct.has(key)) distinct.set(key, { ...path, probability: 0 });
  }
  if (req.count === undefined) return first!;
  for (const [k, p] of distinct) p.probability = tally[k] / n;
  return { ...first!, paths: [...distinct.values()], tally, count: n };
}
