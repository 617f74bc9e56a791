// The cluster view's layout: a pure, deterministic function from a ClusterSnapshot to a
// positioned model (plain data, no DOM). The renderer (view.ts) only draws what is here, and
// the packet's position (frame.ts) is computed from the same coordinates.
//
//   [ Services (virtual: ClusterIP, NodePort, LB IP, externalIPs) ........................ ]
//   [ external ] [ node: name, eth0 IP, podCIDR, badges       ] [ node ... ]
//   [  client  ] [ pods (veth) ─ cni0 ─ host netns ─ netfilter ] [ ...      ]
//        │       [ eth0 ●                         ● flannel.1 ]
//   ═════╪═══════ node network (eth0) ═════════════════════════════════════════
//        ┆─ ─ ─ ─ VXLAN overlay (flannel.1, UDP 8472) ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─
// With more nodes than fit a row, rows wrap; each row has its own pair of buses, joined by
// two vertical trunks on the left (where the external client sits).
import type { ClusterSnapshot } from '../../sim/snapshot';
import type { Node, Pod, Service } from '../../sim/api/objects';

export interface Pt { x: number; y: number }
export interface Rect { x: number; y: number; w: number; h: number }

export const HOOKS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;
export type HookName = (typeof HOOKS)[number];
export const HOOK_SHORT: Record<HookName, string> = { PREROUTING: 'PRE', INPUT: 'IN', FORWARD: 'FWD', OUTPUT: 'OUT', POSTROUTING: 'POST' };

export interface TopoPod extends Rect {
  /** `pod:NAMESPACE/NAME` */
  id: string;
  namespace: string;
  name: string;
  node: string;
  ip: string;
  ready: boolean;
  phase: string;
  hostNetwork: boolean;
  /** CoreDNS, kube-proxy, flannel, or another system pod, for a small tag. */
  role: 'coredns' | null;
  /** Where the pod's veth meets cni0 (pod-network pods only). */
  veth: Pt | null;
}

export interface TopoBadge { kind: 'kube-proxy' | 'coredns' | 'flannel'; count: number; ready: number; label: string }

export interface TopoNode extends Rect {
  /** `node:NAME` */
  id: string;
  name: string;
  ip: string;
  podCIDR: string;
  controlPlane: boolean;
  ready: boolean;
  row: number;
  badges: TopoBadge[];
  /** Pods on the pod network (with a veth on cni0), as drawn. */
  pods: TopoPod[];
  /** hostNetwork pods (other than kube-proxy and flannel, shown as badges), as drawn. */
  hostPods: TopoPod[];
  /** Pods not drawn for lack of room ("+N more"). */
  hiddenPods: number;
  /** Where "+N more" goes, when hiddenPods > 0. */
  morePods: Pt | null;
  cni0: { x1: number; x2: number; y: number };
  /** The host network namespace: a local process, lo, the node itself as a source. */
  host: Rect;
  hooks: Record<HookName, Rect>;
  /** The netfilter strip as a whole (label "netfilter · kube-proxy"). */
  stack: Rect;
  eth0: Pt;
  flannel: Pt;
}

export type AddressKind = 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP';

export interface TopoAddress extends Rect {
  /** `addr:NS/NAME/KIND/IP:PORT` */
  id: string;
  kind: AddressKind;
  ip: string;
  port: number;
  /** As drawn: `10.96.0.10:53`, `NodePort :32000`, `LB 192.168.122.240:80`. */
  text: string;
}

export interface TopoService extends Rect {
  /** `svc:NAMESPACE/NAME` */
  id: string;
  namespace: string;
  name: string;
  type: string;
  /** `None` for headless, the DNS name for ExternalName. */
  clusterIP: string;
  headless: boolean;
  externalName: string | null;
  /** `80/TCP, 443/TCP` */
  ports: string;
  addresses: TopoAddress[];
  /** Bottom centre, where endpoint links start. */
  anchor: Pt;
  /** Endpoints not drawn as a link (address outside the cluster, or its pod is hidden). */
  unlinked: number;
  endpointCount: number;
}

export interface TopoLink {
  /** `ep:NS/SVC->pod:NS/NAME` or `ep:NS/SVC->node:NAME` */
  id: string;
  service: string;
  target: string;
  ready: boolean;
  /** From the service anchor to the pod's top (or the node's host area). */
  points: Pt[];
}

export interface TopoBus {
  kind: 'underlay' | 'overlay';
  /** One horizontal segment per row of nodes, plus the trunk joining them on the left. */
  rows: { y: number; x1: number; x2: number }[];
  trunkX: number;
}

export interface TopologyModel {
  width: number;
  height: number;
  nodes: TopoNode[];
  services: TopoService[];
  hiddenServices: number;
  /** Where "+N more services" is written, when hiddenServices > 0. */
  moreServices: Pt | null;
  /** Nodes not drawn for lack of room, and where "+N more" goes (after the last node drawn). */
  hiddenNodes: number;
  moreNodes: Pt | null;
  links: TopoLink[];
  external: Rect & { id: 'external'; port: Pt };
  underlay: TopoBus;
  overlay: TopoBus;
  /** Index of every pod by `namespace/name`, and of every node IP and pod IP. */
  podById: Record<string, TopoPod>;
  nodeByName: Record<string, TopoNode>;
  nodeByIP: Record<string, string>;
  podByIP: Record<string, string>;
}

export interface LayoutOptions {
  /** Widest the drawing should be (the stage's width); decides how many nodes share a row. */
  maxWidth?: number;
  /** Tallest it should be; with maxWidth, picks the nodes per row that keep the drawing largest. */
  maxHeight?: number;
  /** Nodes per row (overrides the choice from maxWidth / maxHeight). */
  nodesPerRow?: number;
  /** Service cards before "+N more" (default 30, or 16 once more than 4 nodes are drawn). */
  maxServices?: number;
  /** Pod cards per node before "+N more" (default 16, or 6 once more than 4 nodes are drawn). */
  maxPodsPerNode?: number;
  /** Nodes drawn before "+N more nodes" (default 8): a 50-node cluster drawn whole is unreadable and slow. */
  maxNodes?: number;
  /** What must be drawn whatever the caps: the places a traced packet visits. */
  focus?: TopologyFocus;
}

/** Nodes (by name), pods (`namespace/name`) and Services (`namespace/name`) to draw first. */
export interface TopologyFocus {
  nodes: readonly string[];
  pods: readonly string[];
  services: readonly string[];
}

// Geometry, in SVG user units.
export const G = {
  margin: 16,
  extW: 128,
  extH: 64,
  extCol: 160,
  nodeGap: 24,
  nodePad: 10,
  podW: 164,
  podH: 40,
  podGap: 8,
  podCols: 2,
  headerH: 52,
  badgeH: 22,
  cniGap: 22,
  hostChipH: 18,
  hostLabelH: 16,
  hookH: 24,
  stackLabelH: 16,
  portPad: 22,
  svcW: 232,
  svcGap: 12,
  svcHeadH: 38,
  chipH: 18,
  svcBandGap: 46,
  busGap: 16,
  rowGap: 60,
} as const;

const NODE_W = G.podCols * G.podW + (G.podCols - 1) * G.podGap + 2 * G.nodePad;

function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function internalIP(node: Node): string {
  return (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? '';
}

function nodeReady(node: Node): boolean {
  const c = (node.status?.conditions ?? []).find((x) => x.type === 'Ready');
  return !c || c.status === 'True';
}

const isControlPlane = (n: Node) => {
  const l = n.metadata.labels ?? {};
  return 'node-role.kubernetes.io/control-plane' in l || 'node-role.kubernetes.io/master' in l;
};

function podRole(p: Pod): 'kube-proxy' | 'flannel' | 'coredns' | null {
  const labels = p.metadata.labels ?? {};
  const name = p.metadata.name;
  if (labels['k8s-app'] === 'kube-proxy' || (p.metadata.namespace === 'kube-system' && name.startsWith('kube-proxy'))) return 'kube-proxy';
  if (labels.app === 'flannel' || name.startsWith('kube-flannel')) return 'flannel';
  if (labels['k8s-app'] === 'kube-dns' || (p.metadata.namespace === 'kube-system' && name.startsWith('coredns'))) return 'coredns';
  return null;
}

function portsText(svc: Service): string {
  return (svc.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(', ');
}

/**
 * Lays the cluster out. Same snapshot and options → same model, coordinate for coordinate.
 * Nodes per row: given, or the count (balanced across rows) that lets the drawing be shown
 * largest in a maxWidth × maxHeight box, or as many as fit maxWidth, or up to 4.
 */
export function layoutTopology(snapIn: ClusterSnapshot, opts: LayoutOptions = {}): TopologyModel {
  const snap = withDrawnNodes(snapIn, opts);
  const n = Math.max(1, snap.nodes.length);
  const balanced = (perRow: number) => Math.ceil(n / Math.ceil(n / perRow));
  if (opts.nodesPerRow) return layoutWith(snap, opts, balanced(Math.max(1, opts.nodesPerRow)));
  if (opts.maxWidth && opts.maxHeight) {
    let best: TopologyModel | null = null;
    let bestScale = -1;
    const tried = new Set<number>();
    for (let k = 1; k <= Math.min(n, 8); k++) {
      const per = balanced(k);
      if (tried.has(per)) continue;
      tried.add(per);
      const m = layoutWith(snap, opts, per);
      const scale = Math.min(opts.maxWidth / m.width, opts.maxHeight / m.height, 1);
      if (scale > bestScale + 1e-9) { best = m; bestScale = scale; }
    }
    return best!;
  }
  if (opts.maxWidth) {
    const fit = Math.floor((opts.maxWidth - G.margin * 2 - G.extCol + G.nodeGap) / (NODE_W + G.nodeGap));
    return layoutWith(snap, opts, balanced(Math.max(1, fit)));
  }
  return layoutWith(snap, opts, balanced(4));
}

/**
 * Items of `all` to draw, in list order: every focused one, then the others up to `max` slots
 * in all, one of which goes to the "+N more" card when `moreTakesASlot`.
 */
function pickShown<T>(all: readonly T[], max: number, isFocus: (x: T) => boolean, moreTakesASlot = true): T[] {
  if (all.length <= max) return [...all];
  const focused = all.filter(isFocus);
  const room = Math.max(0, max - (moreTakesASlot ? 1 : 0) - focused.length);
  const rest: T[] = [];
  for (const x of all) { if (rest.length >= room) break; if (!isFocus(x)) rest.push(x); }
  const keep = new Set<T>([...focused, ...rest]);
  return all.filter((x) => keep.has(x));
}

/** The snapshot with only the nodes that are drawn (focused nodes always), and how many are not. */
function withDrawnNodes(snap: ClusterSnapshot, opts: LayoutOptions): ClusterSnapshot & { hiddenNodes?: number } {
  const max = Math.max(1, opts.maxNodes ?? 8);
  if (snap.nodes.length <= max) return snap;
  const focus = new Set(opts.focus?.nodes ?? []);
  const nodes = pickShown(snap.nodes, max, (n) => focus.has(n.metadata.name), false); // "+N more nodes" has a column of its own
  return { ...snap, nodes, hiddenNodes: snap.nodes.length - nodes.length };
}

function layoutWith(snap: ClusterSnapshot & { hiddenNodes?: number }, opts: LayoutOptions, nodesPerRowIn: number): TopologyModel {
  const maxServices = opts.maxServices ?? (snap.nodes.length > 4 ? 16 : 30);
  const maxPods = Math.max(2, opts.maxPodsPerNode ?? (snap.nodes.length > 4 ? 6 : 16));
  const focusPods = new Set(opts.focus?.pods ?? []);
  const focusServices = new Set(opts.focus?.services ?? []);
  const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
  const M = G.margin;

  // ---- Pods, grouped by node (sorted as the API lists them: namespace, then name). ----
  const podsByNode = new Map<string, Pod[]>();
  for (const p of snap.pods) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    if (!podsByNode.has(n)) podsByNode.set(n, []);
    podsByNode.get(n)!.push(p);
  }
  // User pods first, then kube-system & co: the learner's pods are what they came to see.
  const sysNs = new Set(['kube-system', 'kube-flannel', 'metallb-system', 'kube-public', 'kube-node-lease']);
  const order = (p: Pod) => (sysNs.has(p.metadata.namespace ?? 'default') ? 1 : 0);

  // ---- Services band: wrap pills into rows as wide as the node area. ----
  const nodeList = snap.nodes;
  const nodeCount = Math.max(1, nodeList.length);
  const nodeAreaX = M + G.extCol;
  const nodesPerRow = Math.max(1, Math.min(nodeCount, nodesPerRowIn));
  const nodeAreaW = nodesPerRow * NODE_W + (nodesPerRow - 1) * G.nodeGap;
  const bandW = Math.max(nodeAreaW, 2 * G.svcW + G.svcGap);

  const firstWorker = nodeList.find((n) => !isControlPlane(n)) ?? nodeList[0];
  const nodePortIP = firstWorker ? internalIP(firstWorker) : '';

  const allServices = snap.services;
  const shownServices = pickShown(allServices, maxServices, (sv) => focusServices.has(keyOf(sv)));
  const hiddenServices = allServices.length - shownServices.length;
  const services: TopoService[] = [];
  let sx = nodeAreaX;
  let sy = M;
  let rowH = 0;
  const placePill = (h: number): Pt => {
    if (sx > nodeAreaX && sx + G.svcW > nodeAreaX + bandW) {
      sx = nodeAreaX;
      sy += rowH + G.svcGap;
      rowH = 0;
    }
    const at = { x: sx, y: sy };
    sx += G.svcW + G.svcGap;
    rowH = Math.max(rowH, h);
    return at;
  };
  for (const svc of shownServices) {
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name;
    const type = svc.spec?.type ?? 'ClusterIP';
    const first = svc.spec?.ports?.[0];
    const port = first?.port ?? 0;
    const cip = svc.spec?.clusterIP ?? '';
    const headless = cip === 'None';
    const addrs: Omit<TopoAddress, keyof Rect>[] = [];
    const mk = (kind: AddressKind, ip: string, p: number, text: string) => ({ id: `addr:${ns}/${name}/${kind}/${ip}:${p}`, kind, ip, port: p, text });
    if (type !== 'ExternalName' && cip && !headless && first) addrs.push(mk('clusterIP', cip, port, `${cip}:${port}`));
    if ((type === 'NodePort' || type === 'LoadBalancer') && first?.nodePort && nodePortIP) addrs.push(mk('nodePort', nodePortIP, first.nodePort, `NodePort ${nodePortIP}:${first.nodePort}`));
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip && first) addrs.push(mk('loadBalancer', ing.ip, port, `LB ${ing.ip}:${port}`));
    for (const ip of svc.spec?.externalIPs ?? []) if (first) addrs.push(mk('externalIP', ip, port, `externalIP ${ip}:${port}`));
    const h = G.svcHeadH + addrs.length * (G.chipH + 3) + 6;
    const at = placePill(h);
    services.push({
      id: `svc:${ns}/${name}`, namespace: ns, name, type, x: at.x, y: at.y, w: G.svcW, h,
      clusterIP: type === 'ExternalName' ? (svc.spec?.externalName ?? '') : (cip || '—'), headless,
      externalName: type === 'ExternalName' ? (svc.spec?.externalName ?? '') : null,
      ports: portsText(svc),
      addresses: addrs.map((a, i) => ({ ...a, x: at.x + 8, y: at.y + G.svcHeadH + i * (G.chipH + 3), w: G.svcW - 16, h: G.chipH })),
      anchor: { x: at.x + G.svcW / 2, y: at.y + h }, unlinked: 0, endpointCount: 0,
    });
  }
  let moreServices: Pt | null = null;
  if (hiddenServices > 0) {
    const at = placePill(G.svcHeadH);
    moreServices = { x: at.x + G.svcW / 2, y: at.y + G.svcHeadH / 2 };
  }
  const bandBottom = services.length || moreServices ? sy + rowH : M;
  // Same height for every service in a row is not needed; anchors stay at each pill's bottom.

  // ---- Nodes. ----
  const podById: Record<string, TopoPod> = {};
  const podByIP: Record<string, string> = {};
  const nodeByName: Record<string, TopoNode> = {};
  const nodeByIP: Record<string, string> = {};
  const nodesTop = bandBottom + G.svcBandGap;

  interface Pre { node: Node; netPods: Pod[]; hostPods: Pod[]; shown: Pod[]; hidden: number; badges: TopoBadge[]; height: number; hostRows: number }
  const pre: Pre[] = nodeList.map((node) => {
    const pods = [...(podsByNode.get(node.metadata.name) ?? [])].sort((a, b) => order(a) - order(b));
    const roles = pods.map(podRole);
    const badges: TopoBadge[] = [];
    const badge = (kind: TopoBadge['kind'], label: string) => {
      const ps = pods.filter((_, i) => roles[i] === kind);
      if (ps.length) badges.push({ kind, label, count: ps.length, ready: ps.filter(isReady).length });
    };
    badge('kube-proxy', `kube-proxy · ${snap.config?.kubeProxy?.mode ?? 'iptables'}`);
    badge('coredns', 'CoreDNS');
    badge('flannel', 'flannel');
    const netPods = pods.filter((p) => !p.spec?.hostNetwork);
    const hostPods = pods.filter((p, i) => p.spec?.hostNetwork && roles[i] !== 'kube-proxy' && roles[i] !== 'flannel');
    const shown = pickShown(netPods, maxPods, (pod) => focusPods.has(keyOf(pod)));
    const hidden = netPods.length - shown.length;
    const cards = shown.length + (hidden ? 1 : 0);
    const podRows = Math.max(1, Math.ceil(cards / G.podCols));
    const hostRows = Math.ceil(hostPods.length / G.podCols);
    const height = G.headerH + G.badgeH + 8 + podRows * (G.podH + G.podGap) + G.cniGap
      + G.hostLabelH + hostRows * (G.hostChipH + 4) + 6 + G.stackLabelH + G.hookH + G.portPad + 10;
    return { node, netPods, hostPods, shown, hidden, badges, height, hostRows };
  });
  const rows = Math.ceil(nodeList.length / nodesPerRow);
  const rowHeights: number[] = [];
  for (let r = 0; r < rows; r++) rowHeights.push(Math.max(...pre.slice(r * nodesPerRow, (r + 1) * nodesPerRow).map((p) => p.height)));
  const busBlock = G.busGap * 2 + 10;
  const rowTop: number[] = [];
  {
    let y = nodesTop;
    for (let r = 0; r < rows; r++) { rowTop.push(y); y += rowHeights[r] + busBlock + G.rowGap; }
  }

  const nodes: TopoNode[] = pre.map((p, i) => {
    const name = p.node.metadata.name;
    const row = Math.floor(i / nodesPerRow);
    const col = i % nodesPerRow;
    const x = nodeAreaX + col * (NODE_W + G.nodeGap);
    const y = rowTop[row];
    const h = rowHeights[row];
    const ip = internalIP(p.node);
    const inner = x + G.nodePad;
    let cy = y + G.headerH + G.badgeH + 8;
    const podRows = Math.max(1, Math.ceil((p.shown.length + (p.hidden ? 1 : 0)) / G.podCols));
    const cniY = cy + podRows * (G.podH + G.podGap) + G.cniGap / 2 - 2;
    const mkPod = (pod: Pod, r: Rect, host: boolean): TopoPod => {
      const ns = pod.metadata.namespace ?? 'default';
      const tp: TopoPod = {
        id: `pod:${ns}/${pod.metadata.name}`, namespace: ns, name: pod.metadata.name, node: name,
        ip: pod.status?.podIP ?? '', ready: isReady(pod), phase: pod.status?.phase ?? 'Pending', hostNetwork: host,
        role: podRole(pod) === 'coredns' ? 'coredns' : null, ...r,
        veth: host ? null : { x: r.x + r.w / 2, y: cniY },
      };
      podById[`${ns}/${pod.metadata.name}`] = tp;
      if (tp.ip && !host) podByIP[tp.ip] = `${ns}/${pod.metadata.name}`;
      return tp;
    };
    const pods = p.shown.map((pod, k) => mkPod(pod, {
      x: inner + (k % G.podCols) * (G.podW + G.podGap), y: cy + Math.floor(k / G.podCols) * (G.podH + G.podGap), w: G.podW, h: G.podH,
    }, false));
    const morePods = p.hidden ? {
      x: inner + (p.shown.length % G.podCols) * (G.podW + G.podGap) + G.podW / 2,
      y: cy + Math.floor(p.shown.length / G.podCols) * (G.podH + G.podGap) + G.podH / 2,
    } : null;
    cy = cniY + G.cniGap / 2 + 2;
    const hostTop = cy;
    const hostPods = p.hostPods.map((pod, k) => mkPod(pod, {
      x: inner + (k % G.podCols) * (G.podW + G.podGap), y: cy + G.hostLabelH + Math.floor(k / G.podCols) * (G.hostChipH + 4), w: G.podW, h: G.hostChipH,
    }, true));
    cy += G.hostLabelH + p.hostRows * (G.hostChipH + 4) + 2;
    const host: Rect = { x: inner - 4, y: hostTop - 2, w: NODE_W - 2 * G.nodePad + 8, h: cy - hostTop + 2 };
    cy += 4;
    const stack: Rect = { x: inner, y: cy, w: NODE_W - 2 * G.nodePad, h: G.stackLabelH + G.hookH };
    const hookW = (stack.w - 4 * 4) / 5;
    const hooks = Object.fromEntries(HOOKS.map((hk, k) => [hk, { x: inner + k * (hookW + 4), y: cy + G.stackLabelH, w: hookW, h: G.hookH }])) as Record<HookName, Rect>;
    const bottom = y + h;
    const tn: TopoNode = {
      id: `node:${name}`, name, ip, podCIDR: p.node.spec?.podCIDR ?? '', controlPlane: isControlPlane(p.node), ready: nodeReady(p.node),
      row, x, y, w: NODE_W, h, badges: p.badges, pods, hostPods, hiddenPods: p.hidden, morePods,
      cni0: { x1: inner, x2: x + NODE_W - G.nodePad, y: cniY }, host, hooks, stack,
      eth0: { x: x + 34, y: bottom }, flannel: { x: x + NODE_W - 44, y: bottom },
    };
    nodeByName[name] = tn;
    if (ip) nodeByIP[ip] = name;
    return tn;
  });

  // ---- Buses: one segment under each row, trunks on the left. ----
  const maxRight = nodes.length ? Math.max(...nodes.map((n) => n.x + n.w)) : nodeAreaX + NODE_W;
  const extCx = M + G.extW / 2;
  const rowBusY = (r: number, k: 0 | 1) => rowTop[r] + rowHeights[r] + G.busGap * (k + 1);
  const underlay: TopoBus = { kind: 'underlay', trunkX: extCx, rows: rowTop.map((_, r) => ({ y: rowBusY(r, 0), x1: extCx, x2: maxRight })) };
  const overlay: TopoBus = { kind: 'overlay', trunkX: M + G.extW + 14, rows: rowTop.map((_, r) => ({ y: rowBusY(r, 1), x1: M + G.extW + 14, x2: maxRight })) };
  const extY = rows ? rowTop[0] + Math.max(0, (rowHeights[0] - G.extH) / 2) : nodesTop;
  const external = { id: 'external' as const, x: M, y: extY, w: G.extW, h: G.extH, port: { x: extCx, y: extY + G.extH } };

  // ---- Endpoint links: service → each endpoint's pod (or node, for host addresses). ----
  const links: TopoLink[] = [];
  for (const s of services) {
    const slices = snap.endpointSlices.filter((es) => es.metadata.namespace === s.namespace && es.metadata.labels?.['kubernetes.io/service-name'] === s.name);
    const seen = new Set<string>();
    for (const es of slices) {
      for (const ep of es.endpoints ?? []) {
        const ready = ep.conditions?.ready !== false;
        for (const addr of ep.addresses ?? []) {
          s.endpointCount++;
          const ref = ep.targetRef?.kind === 'Pod' ? `${ep.targetRef.namespace ?? s.namespace}/${ep.targetRef.name}` : podByIP[addr];
          const pod = ref ? podById[ref] : undefined;
          let target: string | null = null;
          let end: Pt | null = null;
          if (pod) { target = pod.id; end = { x: pod.x + pod.w / 2, y: pod.y }; }
          else if (nodeByIP[addr]) { const n = nodeByName[nodeByIP[addr]]; target = n.id; end = { x: n.host.x + n.host.w / 2, y: n.host.y }; }
          if (!target || !end || seen.has(target)) { if (!target || !end) s.unlinked++; continue; }
          seen.add(target);
          links.push({ id: `ep:${s.namespace}/${s.name}->${target}`, service: s.id, target, ready, points: [s.anchor, end] });
        }
      }
    }
  }

  const hiddenNodes = snap.hiddenNodes ?? 0;
  // "+N more nodes": in a narrow column right of the nodes, level with the last row.
  const moreNodesW = hiddenNodes ? 96 : 0;
  const moreNodes = hiddenNodes && rows ? { x: maxRight + moreNodesW / 2, y: rowTop[rows - 1] + rowHeights[rows - 1] / 2 } : null;

  const lastBus = rows ? rowBusY(rows - 1, 1) : nodesTop + 100;
  const width = Math.max(maxRight + moreNodesW, nodeAreaX + bandW) + M;
  const height = lastBus + 30;
  return {
    width, height, nodes, services, hiddenServices, moreServices, hiddenNodes, moreNodes, links, external, underlay, overlay,
    podById, nodeByName, nodeByIP, podByIP,
  };
}

/** A point along the bus from one x on row a to one x on row b (via the trunk when rows differ). */
export function busRoute(bus: TopoBus, from: { x: number; row: number }, to: { x: number; row: number }): Pt[] {
  const a = bus.rows[from.row] ?? bus.rows[0];
  const b = bus.rows[to.row] ?? bus.rows[0];
  if (!a || !b) return [];
  if (from.row === to.row) return [{ x: from.x, y: a.y }, { x: to.x, y: b.y }];
  return [{ x: from.x, y: a.y }, { x: bus.trunkX, y: a.y }, { x: bus.trunkX, y: b.y }, { x: to.x, y: b.y }];
}

/** Shortens a long name in the middle, keeping the distinctive tail (`demoapp-…fdc5-98646`). */
export function ellipsize(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.ceil((max - 1) * 0.55);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}
