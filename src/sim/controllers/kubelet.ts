// The kubelets: every scheduled pod gets an IP (the node's own for hostNetwork pods,
// otherwise the next free address of the node's podCIDR, as flannel's host-local IPAM
// hands them out: .2, .3, … and onwards after a pod is deleted) and a running status.
// Readiness is true unless the YAML's status says otherwise or an instructor flips it.
import type { Node, Pod } from '../api/objects';
import type { ControllerContext } from './context';
import { formatIPv4, parseCidr, parseIPv4 } from '../api/ipnet';

export function nodeInternalIP(n: Node | undefined): string | undefined {
  return n?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

const hostIPLists = new Map<string, { ip: string }[]>();
function hostIPsOf(ip: string): { ip: string }[] {
  return hostIPLists.get(ip) ?? hostIPLists.set(ip, [{ ip }]).get(ip)!;
}

export function runKubelets(ctx: ControllerContext): boolean {
  const store = ctx.store;
  const nodes = new Map(store.list<Node>('Node').map((n) => [n.metadata.name, n]));
  const pods = store.list<Pod>('Pod');
  const inUse = new Map<string, Set<string>>();
  for (const p of pods) if (p.spec?.nodeName && p.status?.podIP && !p.spec.hostNetwork) {
    (inUse.get(p.spec.nodeName) ?? inUse.set(p.spec.nodeName, new Set()).get(p.spec.nodeName)!).add(p.status.podIP);
  }
  let changed = false;
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) continue;
    const node = nodes.get(nodeName);
    if (!node) continue;
    const hostIP = nodeInternalIP(node);
    const status = (pod.status ??= {});
    if (status.phase === 'Running' && status.podIP && status.hostIP && status.conditions?.some((c) => c.type === 'Ready')) continue;
    if (!status.podIP) {
      const ip = pod.spec!.hostNetwork ? hostIP : allocatePodIP(ctx, node, inUse);
      if (!ip) continue;
      status.podIP = ip;
      status.podIPs = [{ ip }];
    }
    status.hostIP ??= hostIP;
    if (hostIP) status.hostIPs ??= hostIPsOf(hostIP);
    status.phase ??= 'Running';
    if (status.phase === 'Pending') status.phase = 'Running';
    status.startTime ??= pod.metadata.creationTimestamp;
    const readyGiven = status.conditions?.find((c) => c.type === 'Ready');
    const ready = readyGiven ? readyGiven.status === 'True' : true;
    setReady(pod, ready);
    changed = true;
  }
  return changed;
}

type PodStatus = NonNullable<Pod['status']>;
/** Condition lists are identical for pods of one template started together: share them. */
const conditionSets = new Map<string, PodStatus['conditions']>();

/** Writes the conditions and container statuses that say whether the pod is ready. */
export function setReady(pod: Pod, ready: boolean): void {
  const status = (pod.status ??= {});
  const t = pod.metadata.creationTimestamp;
  const names = (pod.spec?.containers ?? []).map((c) => c.name).join(' ');
  const key = `${ready}|${t}|${names}`;
  const cached = conditionSets.get(key);
  if (cached) status.conditions = cached;
  else conditionSets.set(key, status.conditions = buildConditions(ready, t, names));
  writeContainerStatuses(pod, ready);
}

function buildConditions(ready: boolean, t: string | undefined, names: string): PodStatus['conditions'] {
  const flag = ready ? 'True' : 'False';
  const notReady = ready ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${names}]` };
  return [
    { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: t },
    { type: 'Initialized', status: 'True', lastTransitionTime: t },
    { type: 'Ready', status: flag, lastTransitionTime: t, ...notReady },
    { type: 'ContainersReady', status: flag, lastTransitionTime: t, ...notReady },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
  ];
}

/** Fresh pods of one template started together have identical container statuses: share them. */
const freshStatuses = new WeakMap<object, Map<string, NonNullable<PodStatus['containerStatuses']>>>();

function writeContainerStatuses(pod: Pod, ready: boolean): void {
  const status = pod.status!;
  const t = pod.metadata.creationTimestamp;
  const containers = pod.spec?.containers ?? [];
  const build = (previous: Map<string, NonNullable<PodStatus['containerStatuses']>[number]>) => containers.map((c) => {
    const prev = previous.get(c.name);
    return {
      name: c.name, image: c.image ?? '', imageID: prev?.imageID ?? '',
      ...(prev?.containerID ? { containerID: prev.containerID } : {}),
      ready, started: true, restartCount: prev?.restartCount ?? 0,
      state: { running: { startedAt: t } },
    };
  });
  if (!status.containerStatuses?.length && pod.spec?.containers) {
    let byKey = freshStatuses.get(pod.spec.containers);
    if (!byKey) { byKey = new Map(); freshStatuses.set(pod.spec.containers, byKey); }
    const key = `${ready}|${t}`;
    let shared = byKey.get(key);
    if (!shared) { shared = build(new Map()); byKey.set(key, shared); }
    status.containerStatuses = shared;
  } else {
    status.containerStatuses = build(new Map((status.containerStatuses ?? []).map((c) => [c.name, c])));
  }
  status.qosClass ??= 'BestEffort';
}

const cidrCache = new Map<string, ReturnType<typeof parseCidr>>();

function allocatePodIP(ctx: ControllerContext, node: Node, inUse: Map<string, Set<string>>): string | undefined {
  const text = node.spec?.podCIDR ?? '';
  let cidr = cidrCache.get(text);
  if (cidr === undefined) { cidr = parseCidr(text); cidrCache.set(text, cidr); }
  if (!cidr) return undefined;
  const used = inUse.get(node.metadata.name) ?? inUse.set(node.metadata.name, new Set()).get(node.metadata.name)!;
  const counter = `ipam/${node.metadata.name}`;
  // host-local continues after the last address it handed out; the gateway (.1) is cni0's.
  if (!ctx.store.counters.has(counter)) {
    let last = 1;
    for (const ip of used) { const n = parseIPv4(ip); if (n !== null) last = Math.max(last, n - cidr.base); }
    ctx.store.counters.set(counter, last);
  }
  const usable = cidr.size - 2;
  for (let tries = 0; tries < usable; tries++) {
    let next = ctx.store.counters.get(counter)! + 1;
    if (next > usable) next = 2;
    ctx.store.counters.set(counter, next);
    const ip = formatIPv4(cidr.base + next);
    if (!used.has(ip)) { used.add(ip); return ip; }
  }
  return undefined;
}
