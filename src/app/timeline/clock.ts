// The animation clock, as pure functions (DESIGN.md, "UI shape": animation is a pure function
// of (trace, time); stepping back is just a smaller time; nothing is mutated to animate).
//
// Each hop of a path gets a slot of time at 1× speed; `frameAt` maps a time to the hop being
// shown and how far into it the animation is (t in [0, 1]); `advance` moves a clock state on
// by a frame's elapsed wall time, scaled by the speed, and stops at the end.
import type { Hop, Trace } from '../../worker/protocol';

/** Milliseconds one hop takes at 1× speed, by kind: crossing the wire takes a little longer. */
export const HOP_MS: Record<Hop['kind'], number> = {
  netfilter: 900,
  route: 1100,
  encap: 1500,
  conntrack: 1100,
  deliver: 1200,
  dns: 1300,
  ipvs: 1300,
};

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4] as const;
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 4;

export interface ClockState {
  /** Time into the path, in ms at 1× speed. */
  timeMs: number;
  playing: boolean;
  /** 0.1 … 4 */
  speed: number;
  /** Length of the path in ms (see `pathDuration`). */
  durationMs: number;
}

export interface Frame {
  /** Hop index (0-based). */
  step: number;
  /** Progress through the hop, 0 at its start, 1 at its end (only at the very end of the path). */
  t: number;
}

function hopsOf(trace: Trace, pathIndex: number): Hop[] {
  if (trace.paths.length === 0) return [];
  const i = Math.max(0, Math.min(trace.paths.length - 1, Math.floor(pathIndex)));
  return trace.paths[i].hops;
}

/** Start time of each hop, plus the end time of the path as the last element. */
export function stepTimes(trace: Trace, pathIndex: number): number[] {
  const hops = hopsOf(trace, pathIndex);
  const out = [0];
  for (const h of hops) out.push(out[out.length - 1] + HOP_MS[h.kind]);
  return out;
}

export function pathDuration(trace: Trace, pathIndex: number): number {
  const times = stepTimes(trace, pathIndex);
  return times[times.length - 1];
}

/** The time at which `step` starts. */
export function timeOfStep(trace: Trace, pathIndex: number, step: number): number {
  const times = stepTimes(trace, pathIndex);
  const n = times.length - 1;
  if (n <= 0) return 0;
  const s = Math.max(0, Math.min(n - 1, Math.floor(step)));
  return times[s];
}

/** Which hop is shown at `timeMs`, and how far into it. Clamped to the path. */
export function frameAt(trace: Trace, pathIndex: number, timeMs: number): Frame {
  const times = stepTimes(trace, pathIndex);
  const n = times.length - 1;
  if (n <= 0) return { step: 0, t: 0 };
  const time = Number.isFinite(timeMs) ? timeMs : 0;
  if (time <= 0) return { step: 0, t: 0 };
  if (time >= times[n]) return { step: n - 1, t: 1 };
  // Binary search: the last start time <= time.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= time) lo = mid;
    else hi = mid - 1;
  }
  return { step: lo, t: (time - times[lo]) / (times[lo + 1] - times[lo]) };
}

export function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed)) return 1;
  return Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed));
}

export function initialClock(trace: Trace, pathIndex: number, step = 0, speed = 1): ClockState {
  return { timeMs: timeOfStep(trace, pathIndex, step), playing: false, speed: clampSpeed(speed), durationMs: pathDuration(trace, pathIndex) };
}

/**
 * The clock after `dtMs` of wall time: the time moves on by dt × speed while playing, never
 * backwards, and playing stops at the end of the path. A paused clock is returned unchanged.
 */
export function advance(state: ClockState, dtMs: number): ClockState {
  if (!state.playing) return state;
  const dt = Number.isFinite(dtMs) && dtMs > 0 ? dtMs : 0;
  const timeMs = Math.min(state.durationMs, state.timeMs + dt * clampSpeed(state.speed));
  return { ...state, timeMs, playing: timeMs < state.durationMs };
}

/** The clock moved to the start of `step` (used by step / back / first / last / the scrubber). */
export function seekStep(state: ClockState, trace: Trace, pathIndex: number, step: number): ClockState {
  return { ...state, timeMs: timeOfStep(trace, pathIndex, step), durationMs: pathDuration(trace, pathIndex) };
}
