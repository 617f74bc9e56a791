// The shell emulator's contract: one command line in, what the real tool prints out.
import type { ClusterSnapshot } from '../snapshot';
import type { NodeNetfilter } from './iptables';

export interface ShellResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Where a command runs: on a node's shell, or inside a pod (`kubectl exec`). */
export type Where =
  | { kind: 'node'; node: string }
  | { kind: 'pod'; namespace: string; pod: string };

export interface MutationResult {
  ok: boolean;
  /** On failure: the exact error text kubectl prints (e.g. `The Service "x" is invalid: ...`). */
  error?: string;
  /** On success, whether anything changed (kubectl prints "(no change)" otherwise). */
  changed?: boolean;
}

/** The mutations kubectl can ask of the simulated API server. */
export interface ClusterApi {
  snapshot(): ClusterSnapshot;
  /** Create an object (as `kubectl create`/`expose` would). */
  create(object: Record<string, unknown>): MutationResult;
  /** Patch an object; `type` as kubectl's `--type` (strategic is kubectl's default). */
  patch(kind: string, namespace: string, name: string, patch: unknown, type: 'strategic' | 'merge' | 'json'): MutationResult;
  scale(kind: string, namespace: string, name: string, replicas: number): MutationResult;
  delete(kind: string, namespace: string, name: string): MutationResult;
  /** The node's netfilter tables as its iptables sees them; undefined when not simulated (e.g. IPVS mode). */
  netfilter(node: string): NodeNetfilter | undefined;
}

export interface ShellContext {
  api: ClusterApi;
  where: Where;
}

export function ok(stdout: string): ShellResult {
  return { stdout, stderr: '', exitCode: 0 };
}

export function fail(stderr: string, exitCode = 1): ShellResult {
  return { stdout: '', stderr, exitCode };
}
