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
  let ipam: PodIpam | undefined; // set up for the first pod that needs an address
  let changed = false;
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) continue;
    const node = nodes.get(nodeName);
    if (!node) continue;
    const status = (pod.status ??= {});
    if (status.phase === 'Running' && status.podIP && status.hostIP && status.conditions?.some((c) => c.type === 'Ready')) continue;
    const hostIP = nodeInternalIP(node);
    if (!status.podIP) {
      const ip = pod.spec!.hostNetwork ? hostIP : (ipam ??= new PodIpam(ctx, pods)).allocate(node);
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
type Conditions = NonNullable<PodStatus['conditions']>;
type ContainerStatuses = NonNullable<PodStatus['containerStatuses']>;

/** A value shared by many pods, kept as [not ready, ready]. */
type ByReadiness<V> = (V | undefined)[];

function slotOf<K, V>(map: Map<K, ByReadiness<V>>, key: K): ByReadiness<V> {
  let slot = map.get(key);
  if (!slot) map.set(key, slot = []);
  return slot;
}

/** Condition lists are identical for pods with the same containers started together: share
 * them (by start time, then container names). */
const conditionSets = new Map<string | undefined, Map<string, ByReadiness<Conditions>>>();
/** The container names of a containers list (pods of a template share the list). */
const containerNames = new WeakMap<object, string>();

/** Writes the conditions and container statuses that say whether the pod is ready. */
export function setReady(pod: Pod, ready: boolean): void {
  const status = (pod.status ??= {});
  const t = pod.metadata.creationTimestamp;
  const containers = pod.spec?.containers ?? [];
  let names = containerNames.get(containers);
  if (names === undefined) { names = containers.map((c) => c.name).join(' '); containerNames.set(containers, names); }
  let byNames = conditionSets.get(t);
  if (!byNames) conditionSets.set(t, byNames = new Map());
  status.conditions = (slotOf(byNames, names)[+ready] ??= buildConditions(ready, t, names));
  writeContainerStatuses(pod, ready);
}

function buildConditions(ready: boolean, t: string | undefined, names: string): Conditions {
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
const freshStatuses = new WeakMap<object, Map<string | undefined, ByReadiness<ContainerStatuses>>>();

function writeContainerStatuses(pod: Pod, ready: boolean): void {
  const status = pod.status!;
  const t = pod.metadata.creationTimestamp;
  const containers = pod.spec?.containers;
  if (!status.containerStatuses?.length && containers) {
    let byTime = freshStatuses.get(containers);
    if (!byTime) freshStatuses.set(containers, byTime = new Map());
    status.containerStatuses = (slotOf(byTime, t)[+ready] ??= buildContainerStatuses(containers, ready, t, new Map()));
  } else {
    status.containerStatuses = buildContainerStatuses(containers ?? [], ready, t, new Map((status.containerStatuses ?? []).map((c) => [c.name, c])));
  }
  status.qosClass ??= 'BestEffort';
}

function buildContainerStatuses(containers: NonNullable<Pod['spec']>['containers'], ready: boolean, t: string | undefined, previous: Map<string, ContainerStatuses[number]>): ContainerStatuses {
  return containers.map((c) => {
    const prev = previous.get(c.name);
    return {
      name: c.name, image: c.image ?? '', imageID: prev?.imageID ?? '',
      ...(prev?.containerID ? { containerID: prev.containerID } : {}),
      ready, started: true, restartCount: prev?.restartCount ?? 0,
      state: { running: { startedAt: t } },
    };
  });
}

const cidrCache = new Map<string, ReturnType<typeof parseCidr>>();

/** host-local IPAM on every node, for one kubelet pass. */
class PodIpam {
  /** Per node: its pod CIDR, the addresses its pods hold, its IPAM counter's name and value. */
  private readonly byNode = new Map<string, { cidr: ReturnType<typeof parseCidr>; used: Set<string>; counter: string; last?: number }>();
  private readonly inUse = new Map<string, Set<string>>();

  constructor(private readonly ctx: ControllerContext, pods: Pod[]) {
    for (const p of pods) if (p.spec?.nodeName && p.status?.podIP && !p.spec.hostNetwork) {
      (this.inUse.get(p.spec.nodeName) ?? this.inUse.set(p.spec.nodeName, new Set()).get(p.spec.nodeName)!).add(p.status.podIP);
    }
  }

  private nodeState(node: Node) {
    const name = node.metadata.name;
    let state = this.byNode.get(name);
    if (!state) {
      const text = node.spec?.podCIDR ?? '';
      let cidr = cidrCache.get(text);
      if (cidr === undefined) { cidr = parseCidr(text); cidrCache.set(text, cidr); }
      const used = this.inUse.get(name) ?? new Set<string>();
      state = { cidr, used, counter: `ipam/${name}` };
      this.byNode.set(name, state);
    }
    return state;
  }

  allocate(node: Node): string | undefined {
    const state = this.nodeState(node);
    const { cidr, used } = state;
    if (!cidr) return undefined;
    const counters = this.ctx.store.counters;
    // host-local continues after the last address it handed out; the gateway (.1) is cni0's.
    let last = state.last ?? counters.get(state.counter);
    if (last === undefined) {
      last = 1;
      for (const ip of used) { const n = parseIPv4(ip); if (n !== null) last = Math.max(last, n - cidr.base); }
    }
    const usable = cidr.size - 2;
    for (let tries = 0; tries < usable; tries++) {
      last = last + 1 > usable ? 2 : last + 1;
      const ip = formatIPv4(cidr.base + last);
      if (!used.has(ip)) { used.add(ip); state.last = last; counters.set(state.counter, last); return ip; }
    }
    state.last = last;
    counters.set(state.counter, last); // every address is taken
    return undefined;
  }
}
