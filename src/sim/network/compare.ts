// One cluster, one packet, three dataplanes: the same connection traced through kube-proxy's
// iptables, IPVS and nftables modes, with what the first packet costs in each — the rules it
// is compared against and the set, map or virtual-server lookups it makes. Why IPVS and
// nftables scale where iptables' linear KUBE-SERVICES list does not.
import type { ClusterSnapshot } from '../snapshot';
import type { ProxyMode } from '../cluster/config';
import type { Ruleset } from '../netfilter/ruleset';
import { runTrace, type TraceRequest, type TraceResult } from './trace';
import type { Dataplanes } from './walk';

export interface ModeTrace {
  mode: ProxyMode;
  /** One sampled connection (the same seed in every mode), or why there is none. */
  trace: TraceResult | { error: string };
  /** Rules and lookups the connection's first packet was compared against, on every node it crossed. */
  evaluated: number;
  /** Where it went (`IP:port`), or how it ended. */
  endpoint: string;
}

/** What a walk in one mode needs: that mode's rules per node, and its other dataplanes. */
export interface ModeDataplanes {
  rulesets: (node: string) => Ruleset | undefined;
  planes: Dataplanes;
}

export const MODES: readonly ProxyMode[] = ['iptables', 'ipvs', 'nftables'];

/** The snapshot as it would be with kube-proxy in `mode` (everything else the same). */
export function inMode(snap: ClusterSnapshot, mode: ProxyMode): ClusterSnapshot {
  return { ...snap, config: { ...snap.config, kubeProxy: { ...snap.config.kubeProxy, mode } } };
}

export function compareModes(snap: ClusterSnapshot, req: TraceRequest, dataplanesFor: (snap: ClusterSnapshot, mode: ProxyMode) => ModeDataplanes): ModeTrace[] {
  return MODES.map((mode) => {
    const s = inMode(snap, mode);
    const { rulesets, planes } = dataplanesFor(s, mode);
    const stats = { evaluated: 0 };
    const trace = runTrace(s, rulesets, { ...req, allPaths: false, count: undefined, seed: req.seed ?? 1, stats }, planes);
    const path = 'error' in trace ? undefined : trace.paths[0];
    const endpoint = !path ? ('error' in trace ? trace.error : '') : path.final.result === 'delivered' ? path.final.endpoint ?? path.final.at : `${path.final.result} ${path.final.at}`;
    return { mode, trace, evaluated: stats.evaluated, endpoint };
  });
}
