// The shell emulator's contract: one command line in, what the real tool prints out.
import type { ClusterSnapshot } from '../snapshot';
import type { NodeNetfilter } from './iptables';
import type { Proto } from '../netfilter/packet';
import type { TracePath } from '../network/trace-types';
import type { CtEntry } from '../dataplane/state';
import type { DnsRuntime } from '../dns/state';
import type { NodeIpvs } from '../kube-proxy/ipvs/index';
import type { IpvsState } from '../ipvs/types';
import type { NftTable } from '../nftables/model';

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
  // The dataplane (optional: a read-only fixture has none). See src/sim/dataplane.
  /** Opens one connection the way a client does: a sampled path, counted and conntracked. */
  connect?(req: ConnectRequest): Connection | { error: string };
  /** A node's conntrack table in dump order, and the clock (ms) to print timeouts against. */
  conntrack?(node: string): { entries: CtEntry[]; now: number };
  /** A file a learner wrote (or an image's stock file), inside a pod or on a node; undefined when absent. */
  readFile?(where: Where, path: string): string | undefined;
  /** Writes a file inside a pod or on a node; false where files are not kept. */
  writeFile?(where: Where, path: string, content: string, append: boolean): boolean;
  /** Removes a file a learner (or wget) wrote inside a pod; false when there is none. */
  removeFile?(where: Where, path: string): boolean;
  /** The DNS layer's memory (CoreDNS caches, query count, node files) and the clock: pass it to src/sim/dns. */
  dns?(): DnsRuntime;
  /** IPVS mode: what kube-proxy programmed on the node, the kernel's IPVS state there (kept between commands), the clock (ms). */
  ipvs?(node: string): { model: NodeIpvs; state: IpvsState; now: number } | undefined;
  /** nftables mode: kube-proxy's `ip kube-proxy` table on the node; undefined in other modes. */
  nftables?(node: string): NftTable | undefined;
}

export interface ConnectRequest {
  from: Where;
  dst: string;
  dport: number;
  proto: Proto;
  /** The HTTP path asked for (for the body). */
  httpPath?: string;
}

export interface Connection {
  /** The sampled journey of the first packet and its reply. */
  path: TracePath;
  /**
   * ok: the server accepted (body set) · refused: RST from a host with no listener, or an
   * ICMP port-unreachable from a REJECT rule · timeout: dropped, never answered ·
   * unreachable: no host has the address on the link (ARP fails).
   */
  outcome: 'ok' | 'refused' | 'timeout' | 'unreachable';
  body?: string;
  /** How long the kernel took to give up (connect(2) failing), in ms. */
  failMs: number;
  /** The client's source address and port. */
  src: string;
  sport: number;
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
