// Many packets in flight (statistics mode): a pure function of time, like frame.ts for one
// packet. `swarmPlan` does the per-trace work once (every path's whole road as one polyline
// with cumulative lengths); `swarmFrame(plan, timeMs)` then places every packet in O(count ·
// log road) — cheap enough for hundreds of packets in one requestAnimationFrame.
//
// Packet i is a client making one connection after another: it starts at its own offset
// (seeded), and each trip k follows a path drawn by the paths' probabilities from a hash of
// (seed, i, k) — no Math.random, no state, so any time can be drawn in any order and a
// replay gives the same picture. With reduced motion (or while not running), `swarmSettled`
// puts each packet at the endpoint its first connection reached.
import type { Trace } from '../../sim/network/trace-types';
import type { Pt, TopologyModel } from './layout';
import { placeOf, roads } from './frame';

export interface SwarmOptions {
  /** How many packets (clamped to [0, MAX_SWARM]). */
  count: number;
  /** Seeds the path choices and start offsets (any integer). */
  seed?: number;
  /** How long one trip along a path takes, whatever its length. */
  tripMs?: number;
  /** Start offsets are spread over [0, spreadMs): packets enter one by one. Default: tripMs. */
  spreadMs?: number;
}

export interface SwarmRoad {
  /** The path's index in `trace.paths`. */
  path: number;
  probability: number;
  /** Request and reply, as one polyline (model coordinates). */
  points: Pt[];
  /** cum[j]: length from points[0] to points[j]. */
  cum: number[];
  length: number;
  /** Where along the road the reply starts (= length when the path has no reply). */
  replyAt: number;
  /** Where the request ended: the endpoint (pod, node) or where it was dropped. */
  end: Pt;
  result: Trace['paths'][number]['final']['result'];
}

export interface SwarmPlan {
  roads: SwarmRoad[];
  /** Cumulative, normalised probabilities (last = 1), one per road. */
  cdf: number[];
  count: number;
  seed: number;
  tripMs: number;
  /** Packet i's start offset, ms. */
  offsets: Float64Array;
}

export interface SwarmDot {
  x: number;
  y: number;
  /** Index into `plan.roads` (not `trace.paths`; see SwarmRoad.path). */
  road: number;
  direction: 'request' | 'reply';
  /** False before the packet's start offset (not drawn). */
  visible: boolean;
}

export const MAX_SWARM = 5000;
export const SWARM_TRIP_MS = 2400;

/** A 32-bit integer hash of (a, b, c) → [0, 1). (lowbias32-style mixing.) */
export function hash01(a: number, b: number, c: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77) ^ Math.imul(c | 0, 0xc2b2ae3d)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** The road index for draw `u` ∈ [0, 1) (binary search in the CDF). */
function pickRoad(cdf: number[], u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The point at distance `d` along a road (binary search in its cumulative lengths). */
function at(r: SwarmRoad, d: number): Pt {
  const { points, cum } = r;
  if (points.length === 1 || d <= 0) return points[0];
  if (d >= r.length) return points[points.length - 1];
  let lo = 1;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < d) lo = mid + 1;
    else hi = mid;
  }
  const seg = cum[lo] - cum[lo - 1];
  const f = seg === 0 ? 1 : (d - cum[lo - 1]) / seg;
  const a = points[lo - 1];
  const b = points[lo];
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
}

/**
 * Prepares a swarm over `trace`'s paths in `model`'s coordinates. Paths with no hops are left
 * out; with no usable path the plan has no roads and `swarmFrame` returns no dots.
 */
export function swarmPlan(model: TopologyModel, trace: Trace, opts: SwarmOptions): SwarmPlan {
  const count = Math.max(0, Math.min(MAX_SWARM, Math.floor(opts.count) || 0));
  const seed = Math.floor(opts.seed ?? 1);
  const tripMs = Math.max(1, opts.tripMs ?? SWARM_TRIP_MS);
  const spreadMs = Math.max(0, opts.spreadMs ?? tripMs);
  const out: SwarmRoad[] = [];
  trace.paths.forEach((path, index) => {
    if (path.hops.length === 0) return;
    const all = roads(model, trace, path);
    const points: Pt[] = [];
    let replyAt = -1;
    let requestEnd: Pt | null = null;
    all.forEach((r, i) => {
      if (replyAt < 0 && path.hops[i].direction === 'reply') {
        replyAt = points.length;
        requestEnd = points[points.length - 1] ?? r.road[0] ?? null;
      }
      for (const p of r.road) {
        const last = points[points.length - 1];
        if (!last || last.x !== p.x || last.y !== p.y) points.push(p);
      }
    });
    if (points.length === 0) return;
    const cum = [0];
    for (let j = 1; j < points.length; j++) cum.push(cum[j - 1] + Math.hypot(points[j].x - points[j - 1].x, points[j].y - points[j - 1].y));
    const length = cum[cum.length - 1];
    const end = placeOf(model, path.final.at)?.pt ?? requestEnd ?? points[points.length - 1];
    out.push({
      path: index,
      probability: Math.max(0, Number.isFinite(path.probability) ? path.probability : 0),
      points,
      cum,
      length,
      replyAt: replyAt < 0 ? length : cum[Math.max(0, replyAt - 1)],
      end,
      result: path.final.result,
    });
  });
  const total = out.reduce((s, r) => s + r.probability, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const r of out) {
    acc += total > 0 ? r.probability / total : 1 / out.length;
    cdf.push(acc);
  }
  if (cdf.length) cdf[cdf.length - 1] = 1;
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) offsets[i] = hash01(seed, i, -1) * spreadMs;
  return { roads: out, cdf, count, seed, tripMs, offsets };
}

/** The road packet `i` takes on its trip `k` (k = 0 is its first connection). */
export function swarmRoadOf(plan: SwarmPlan, i: number, k: number): number {
  return pickRoad(plan.cdf, hash01(plan.seed, i, k));
}

/**
 * Every packet at `timeMs` (ms since the swarm started): a pure function of (plan, time).
 * `out`, when given, is reused (its length is set to plan.count) to spare the garbage
 * collector in an animation loop.
 */
export function swarmFrame(plan: SwarmPlan, timeMs: number, out: SwarmDot[] = []): SwarmDot[] {
  out.length = plan.roads.length ? plan.count : 0;
  if (!plan.roads.length) return out;
  for (let i = 0; i < plan.count; i++) {
    const local = timeMs - plan.offsets[i];
    const dot = out[i] ?? (out[i] = { x: 0, y: 0, road: 0, direction: 'request', visible: false });
    if (local < 0) {
      const ri = swarmRoadOf(plan, i, 0);
      const start = plan.roads[ri].points[0];
      dot.x = start.x; dot.y = start.y; dot.road = ri; dot.direction = 'request'; dot.visible = false;
      continue;
    }
    const k = Math.floor(local / plan.tripMs);
    const f = (local - k * plan.tripMs) / plan.tripMs;
    const ri = swarmRoadOf(plan, i, k);
    const r = plan.roads[ri];
    const d = f * r.length;
    const p = at(r, d);
    dot.x = p.x; dot.y = p.y; dot.road = ri; dot.direction = d > r.replyAt ? 'reply' : 'request'; dot.visible = true;
  }
  return out;
}

/**
 * The still picture (reduced motion, or a swarm that is not running): each packet where its
 * first connection ended, spread in a small seeded disc around that endpoint so the pile's
 * size shows the share. Deterministic.
 */
export function swarmSettled(plan: SwarmPlan, radius = 14): SwarmDot[] {
  if (!plan.roads.length) return [];
  const dots: SwarmDot[] = [];
  for (let i = 0; i < plan.count; i++) {
    const ri = swarmRoadOf(plan, i, 0);
    const r = plan.roads[ri];
    const a = hash01(plan.seed, i, -2) * Math.PI * 2;
    const d = Math.sqrt(hash01(plan.seed, i, -3)) * radius;
    dots.push({ x: r.end.x + Math.cos(a) * d, y: r.end.y + Math.sin(a) * d, road: ri, direction: 'request', visible: true });
  }
  return dots;
}
