// printPod (kubernetes pkg/printers/internalversion): READY, the STATUS reason kubectl
// derives from init/regular container states, RESTARTS with "(5m ago)", and the wide cells.
// Ported from the current printer; versions 1.28–1.31 differ only for restartable init
// (sidecar) containers, which this simulator does not model in detail.
import type { Pod } from '../../../api/objects';
import { translateTimestampSince } from '../duration';
import { col, type KindPrinter, type RowContext } from './types';

type Container = NonNullable<Pod['spec']>['containers'][number];
type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function conditionTrue(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function timeOf(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

interface Summary {
  ready: string;
  status: string;
  restarts: string;
}

export function podSummary(pod: Pod, ctx: RowContext): Summary {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = 0; // 0 = Go's zero time
  let lastSidecarRestart = 0;

  const phase = status.phase ?? '';
  let reason: string = phase;
  if (status.reason) reason = status.reason;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initContainers = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInit(c)) total++;
  }

  const finishedAt = (cs: ContainerStatus) => timeOf(cs.lastState?.terminated?.finishedAt);

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += cs.restartCount ?? 0;
    if (cs.lastState?.terminated && lastRestart < finishedAt(cs)) lastRestart = finishedAt(cs);
    const restartable = isRestartableInit(initContainers.get(cs.name));
    if (restartable) {
      sidecarRestarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated && lastSidecarRestart < finishedAt(cs)) lastSidecarRestart = finishedAt(cs);
    }
    const term = cs.state?.terminated;
    const wait = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated && lastRestart < finishedAt(cs)) lastRestart = finishedAt(cs);
      const wait = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (wait && wait.reason) reason = wait.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term && !term.reason) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = !!pod.metadata.deletionTimestamp;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== 0) {
    restartsStr = `${restarts} (${translateTimestampSince(new Date(lastRestart), ctx.now)} ago)`;
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsStr };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let trueCount = 0;
  for (const g of gates) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
    if (c && c.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: KindPrinter<Pod> = {
  columns: [
    col('Name'), col('Ready'), col('Status'), col('Restarts'), col('Age'),
    col('IP', 1), col('Node', 1), col('Nominated Node', 1), col('Readiness Gates', 1),
  ],
  row(pod, ctx) {
    const s = podSummary(pod, ctx);
    const podIP = pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '';
    return [
      pod.metadata.name, s.ready, s.status, s.restarts,
      translateTimestampSince(pod.metadata.creationTimestamp, ctx.now),
      podIP || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
};
