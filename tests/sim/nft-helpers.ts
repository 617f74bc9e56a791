// Shared by the nftables tests and the nftables kernel conformance suite.
import { expect } from 'vitest';
import { Simulation } from '../../src/sim/index';
import type { ClusterSnapshot } from '../../src/sim/snapshot';

/** The snapshot with only these Services (the built-in cluster adds kubernetes and kube-dns). */
export function onlyServices(snap: ClusterSnapshot, names: string[]): ClusterSnapshot {
  return {
    ...snap,
    services: snap.services.filter((s) => names.includes(s.metadata.name)),
    endpointSlices: snap.endpointSlices.filter((s) => names.includes(s.metadata.labels?.['kubernetes.io/service-name'] ?? '')),
  };
}

/** The files in nftables mode at kube-proxy `version`; the YAML must load without errors. */
export function loadNftables(files: { name: string; text: string }[], version = '1.33'): Simulation {
  const sim = Simulation.load(files, { proxyMode: 'nftables', kubeProxyVersion: version });
  expect(sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}
