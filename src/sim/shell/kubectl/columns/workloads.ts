// printDeployment, printReplicaSet, printStatefulSet, printDaemonSet and layoutContainerCells
// (kubernetes pkg/printers/internalversion). Counts come from status, desired from spec.
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from '../../../api/objects';
import { translateTimestampSince } from '../duration';
import { formatLabelSelector, formatLabels, labelSelectorString } from '../../../api/labels';
import { col, type KindPrinter } from './types';

interface HasContainers {
  spec?: { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } };
}

/** Container names and images, each joined with commas. */
export function containerCells(o: HasContainers): [string, string] {
  const cs = o.spec?.template?.spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

const age = (o: { metadata: { creationTimestamp?: string } }, now: string) => translateTimestampSince(o.metadata.creationTimestamp, now);

/** spec.replicas after API defaulting (1 when omitted). */
const desired = (replicas: number | undefined) => replicas ?? 1;

export const deploymentPrinter: KindPrinter<Deployment> = {
  columns: [col('Name'), col('Ready'), col('Up-to-date'), col('Available'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
  row(d, ctx) {
    const st = d.status ?? {};
    const [names, images] = containerCells(d);
    return [
      d.metadata.name,
      `${st.readyReplicas ?? 0}/${desired(d.spec?.replicas)}`,
      st.updatedReplicas ?? 0,
      st.availableReplicas ?? 0,
      age(d, ctx.now),
      names, images,
      // selector.String(), not FormatLabelSelector: an empty selector prints as nothing here.
      labelSelectorString(d.spec?.selector),
    ];
  },
};

export const replicaSetPrinter: KindPrinter<ReplicaSet> = {
  columns: [col('Name'), col('Desired'), col('Current'), col('Ready'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
  row(rs, ctx) {
    const st = rs.status ?? { replicas: 0 };
    const [names, images] = containerCells(rs);
    return [
      rs.metadata.name, desired(rs.spec?.replicas), st.replicas ?? 0, st.readyReplicas ?? 0, age(rs, ctx.now),
      names, images, formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: KindPrinter<StatefulSet> = {
  columns: [col('Name'), col('Ready'), col('Age'), col('Containers', 1), col('Images', 1)],
  row(ss, ctx) {
    const [names, images] = containerCells(ss);
    return [ss.metadata.name, `${ss.status?.readyReplicas ?? 0}/${desired(ss.spec?.replicas)}`, age(ss, ctx.now), names, images];
  },
};

export const daemonSetPrinter: KindPrinter<DaemonSet> = {
  columns: [
    col('Name'), col('Desired'), col('Current'), col('Ready'), col('Up-to-date'), col('Available'), col('Node Selector'), col('Age'),
    col('Containers', 1), col('Images', 1), col('Selector', 1),
  ],
  row(ds, ctx) {
    const st = ds.status;
    const [names, images] = containerCells(ds);
    return [
      ds.metadata.name,
      st?.desiredNumberScheduled ?? 0,
      st?.currentNumberScheduled ?? 0,
      st?.numberReady ?? 0,
      st?.updatedNumberScheduled ?? 0,
      st?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      age(ds, ctx.now),
      names, images, formatLabelSelector(ds.spec?.selector),
    ];
  },
};
