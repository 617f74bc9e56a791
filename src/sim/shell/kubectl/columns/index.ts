// Which printer renders which kind, and where each kind's objects live in a ClusterSnapshot.
import { KINDS, type KindInfo, type KubeObject } from '../../../api/objects';
import type { ClusterSnapshot } from '../../../snapshot';
import { endpointSlicePrinter, endpointsPrinter } from './endpoints';
import { configMapPrinter, ipAddressPoolPrinter, l2AdvertisementPrinter, namespacePrinter } from './misc';
import { nodePrinter } from './node';
import { podPrinter } from './pod';
import { servicePrinter } from './service';
import type { KindPrinter } from './types';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './workloads';

export interface KindTable {
  info: KindInfo;
  printer: KindPrinter<KubeObject>;
  /** Every stored object of this kind, in any namespace. */
  objects(snap: ClusterSnapshot): KubeObject[];
}

const others = (kind: string) => (snap: ClusterSnapshot) => snap.others.filter((o) => o.kind === kind);

// Printers are typed per kind; the table only ever hands each one objects of its own kind.
const entries: Array<[string, KindPrinter<never>, (snap: ClusterSnapshot) => KubeObject[]]> = [
  ['Namespace', namespacePrinter, (s) => s.namespaces],
  ['Node', nodePrinter, (s) => s.nodes],
  ['Pod', podPrinter, (s) => s.pods],
  ['Service', servicePrinter, (s) => s.services],
  ['Endpoints', endpointsPrinter, (s) => s.endpoints],
  ['ConfigMap', configMapPrinter, (s) => s.configMaps],
  ['Deployment', deploymentPrinter, (s) => s.deployments],
  ['ReplicaSet', replicaSetPrinter, (s) => s.replicaSets],
  ['StatefulSet', statefulSetPrinter, (s) => s.statefulSets],
  ['DaemonSet', daemonSetPrinter, (s) => s.daemonSets],
  ['EndpointSlice', endpointSlicePrinter, (s) => s.endpointSlices],
  ['IPAddressPool', ipAddressPoolPrinter, others('IPAddressPool')],
  ['L2Advertisement', l2AdvertisementPrinter, others('L2Advertisement')],
];

export const KIND_TABLES: ReadonlyMap<string, KindTable> = new Map(
  entries.flatMap(([kind, printer, objects]) => {
    const info = KINDS.find((k) => k.kind === kind);
    return info ? [[kind, { info, printer: printer as unknown as KindPrinter<KubeObject>, objects }] as const] : [];
  }),
);
