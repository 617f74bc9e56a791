// The contract between the page and the simulation worker. Only plain, structured-cloneable
// data crosses it: source texts and options in; diagnostics, snapshots and shell results out.
// The Simulation object itself stays inside the worker (see sim.worker.ts); the page never
// computes networking, it only renders what comes back.
import type { Diagnostic } from '../sim/diag';
import type { ClusterSnapshot } from '../sim/snapshot';
import type { ShellResult, Where } from '../sim/shell/types';
import type { LoadOptions, SourceFile } from '../sim/index';
import type { TraceRequest, TraceResult } from '../sim/network/trace';
import type { ModeTrace } from '../sim/network/compare';
import type { CheckResult, Predicate } from '../sim/lessons/index';
import type { DnsHop, DnsLookup, Hop, NetfilterHop, Trace, TracePath } from '../sim/network/trace-types';

export type { ModeTrace };
export type { Diagnostic, ClusterSnapshot, ShellResult, Where, LoadOptions, SourceFile, TraceRequest, TraceResult, Trace, TracePath, Hop, NetfilterHop, DnsHop, DnsLookup };

/** One chain of a node's table as `iptables -t TABLE -S CHAIN` prints it (for the dataplane view). */
export interface ChainListing {
  node: string;
  table: string;
  chain: string;
  /** `-P CHAIN POLICY` for built-in chains, null for user chains. */
  policy: string | null;
  /** Each rule as `-A CHAIN …`, in order (index = a hop's `ruleIndex`). */
  rules: string[];
}

/** What `load` answers: the problems found, and the cluster as it was admitted. */
export interface LoadResult {
  /** False when any error-severity diagnostic exists (the same as `Simulation.ok`). */
  ok: boolean;
  diagnostics: Diagnostic[];
  /**
   * The cluster as admitted, as far as the page shows it: `insights`, `sources` and
   * `diagnostics` are left empty, and lists longer than a few hundred objects are cut.
   */
  snapshot: ClusterSnapshot;
  /** The real numbers of objects (the snapshot's lists may be cut). */
  totals?: { services: number; pods: number; nodes: number };
}

/** A built-in example scenario, as listed to the page. */
export interface ExampleInfo {
  id: string;
  title: { en: string; zh: string };
  files: SourceFile[];
}

/**
 * The worker's API, as exposed with Comlink. Calls run one at a time, in the order sent.
 *
 * `exec` runs against the last scenario that loaded without errors, so a learner who is
 * mid-edit (and has a broken file) still gets answers from the last good cluster, matching
 * the stale output the page keeps on screen.
 */
export interface SimWorkerApi {
  load(files: SourceFile[], options?: LoadOptions): LoadResult;
  exec(command: string, where?: Where): ShellResult;
  /** Like exec, and also the cluster afterwards when the command changed it (kubectl scale/patch/delete…; null snapshot otherwise). */
  mutate(command: string, where?: Where): { result: ShellResult; snapshot: ClusterSnapshot | null; totals?: LoadResult['totals'] } | null;
  /** Marks a pod ready or not (as its readiness probe would); the cluster afterwards. */
  setPodReady(namespace: string, name: string, ready: boolean): ClusterSnapshot | null;
  /** A packet's journey through the last good cluster (see src/sim/network/trace.ts). */
  trace(req: TraceRequest): TraceResult | { error: string };
  /** The rules of one chain on a node (an iptables table, or `ip kube-proxy` in nftables mode); null when the node or chain does not exist. */
  chain(node: string, table: string, chain: string): ChainListing | null;
  /** The same connection in iptables, IPVS and nftables mode, with each first packet's cost. */
  compareModes(req: TraceRequest): ModeTrace[];
  /** A lesson's check over the last good cluster (null: no cluster yet). */
  check(predicate: Predicate): CheckResult | null;
  /** The built-in example scenarios (kept in the worker so the page bundle stays small). */
  examples(): ExampleInfo[];
  /** Answers `'pong'`: lets the client check the worker booted. */
  ping(): 'pong';
}

/** Text of the error a call rejects with when the watchdog had to restart the worker. */
export const WORKER_TIMEOUT_CODE = 'worker.timeout';
export const WORKER_CRASH_CODE = 'worker.crash';

/** Raised by the client when the worker hung (watchdog) or died; carries a stable `code`. */
export class SimWorkerError extends Error {
  readonly code: typeof WORKER_TIMEOUT_CODE | typeof WORKER_CRASH_CODE;
  constructor(code: typeof WORKER_TIMEOUT_CODE | typeof WORKER_CRASH_CODE, message: string) {
    super(message);
    this.name = 'SimWorkerError';
    this.code = code;
  }
}
