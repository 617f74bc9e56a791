// Where the packet is: a pure function of (model, trace, path, step, t). Stepping back is
// just a smaller step; nothing is mutated to animate. `t` ∈ [0, 1] is the progress of the
// move *into* hop `step` (from where hop `step - 1` left the packet, or from the client for
// step 0): t = 1 rests at the hop, t = 0 is still where the previous hop was.
import type { Hop, Trace, TracePath } from '../../sim/network/trace-types';
import type { PacketFields } from '../../sim/netfilter/packet';
import { busRoute, HOOKS, type HookName, type Pt, type TopologyModel, type TopoNode } from './layout';

/** Where a packet can be, in the cluster view's vocabulary. */
export type PlaceKind = 'pod' | 'veth' | 'cni0' | 'netfilter' | 'conntrack' | 'host' | 'eth0' | 'flannel' | 'vxlan' | 'external';

export interface Place {
  kind: PlaceKind;
  /** The node the packet is in (absent for the external client and the VXLAN tunnel). */
  node?: string;
  /** The sending and receiving node, in the VXLAN tunnel. */
  tunnel?: { from: string; to: string };
  /** `pod:NS/NAME` for pod and veth places. */
  pod?: string;
  hook?: HookName;
  /** The interface name (veth…, cni0, flannel.1, eth0, lo). */
  iface?: string;
  pt: Pt;
}

export interface PacketFrame {
  x: number;
  y: number;
  /** Whether the packet is between hops (0 < t < 1) or resting at hop `step`. */
  moving: boolean;
  direction: 'request' | 'reply';
  place: Place;
  /** The packet's addresses at this point (after the hop's rewrite, when resting). */
  packet: PacketFields;
  /** `10.244.1.2:40000 → 10.106.167.230:80` */
  label: string;
  /** The mark, when set (`0x4000`), else null. */
  mark: string | null;
  /** VXLAN outer header, in the tunnel: `192.168.122.11 → 192.168.122.13 udp/8472 vni 1`. */
  outer: string | null;
  /** A one-line account of the hop (`node1 · nat PREROUTING · KUBE-SEP-… → ACCEPT`). */
  caption: string;
  /** Set at the path's last hop: how it ended. */
  result: 'delivered' | 'dropped' | 'rejected' | 'unreachable' | null;
  /** The road travelled so far, including the part of the current move already done. */
  trail: Pt[];
  /** Element ids (as in the layout) to emphasise: the client, the Service, the endpoint link, the nodes passed. */
  highlight: string[];
  /** Element ids where the packet is now (node, hook, pod, interface). */
  active: string[];
  step: number;
  hopCount: number;
}

const fmt = (p: { src: string; sport?: number; dst: string; dport?: number }) =>
  `${p.src}${p.sport ? `:${p.sport}` : ''} → ${p.dst}${p.dport ? `:${p.dport}` : ''}`;

/** Point at fraction `t` along the polyline (by length). */
export function along(points: Pt[], t: number): Pt {
  if (points.length === 0) return { x: 0, y: 0 };
  if (points.length === 1 || t <= 0) return points[0];
  if (t >= 1) return points[points.length - 1];
  const seg: number[] = [];
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const d = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    seg.push(d);
    total += d;
  }
  if (total === 0) return points[points.length - 1];
  let want = t * total;
  for (let i = 0; i < seg.length; i++) {
    if (want <= seg[i] || i === seg.length - 1) {
      const f = seg[i] === 0 ? 1 : Math.min(1, want / seg[i]);
      return { x: points[i].x + (points[i + 1].x - points[i].x) * f, y: points[i].y + (points[i + 1].y - points[i].y) * f };
    }
    want -= seg[i];
  }
  return points[points.length - 1];
}

/** The part of the polyline from its start to fraction `t`. */
function prefix(points: Pt[], t: number): Pt[] {
  if (t >= 1 || points.length < 2) return points;
  const end = along(points, t);
  let total = 0;
  const seg: number[] = [];
  for (let i = 1; i < points.length; i++) { const d = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y); seg.push(d); total += d; }
  let want = t * total;
  const out = [points[0]];
  for (let i = 0; i < seg.length && want > seg[i]; i++) { want -= seg[i]; out.push(points[i + 1]); }
  out.push(end);
  return out;
}

function stackCenter(n: TopoNode): Pt {
  return { x: n.stack.x + n.stack.w / 2, y: n.hooks.FORWARD.y + n.hooks.FORWARD.h / 2 };
}

function hookPt(n: TopoNode, hook: string): Pt {
  const r = n.hooks[(HOOKS as readonly string[]).includes(hook) ? (hook as HookName) : 'FORWARD'];
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

function hostPt(n: TopoNode): Pt {
  return { x: n.host.x + n.host.w / 2, y: n.host.y + 8 };
}

/** Where an endpoint string (`pod/ns/name`, `node/x`, `external/IP`) is. */
export function placeOf(model: TopologyModel, where: string): Place | null {
  const parts = where.split('/');
  if (parts[0] === 'pod') {
    const key = parts.length === 3 ? `${parts[1]}/${parts[2]}` : `default/${parts[1]}`;
    const pod = model.podById[key];
    if (pod) {
      const n = model.nodeByName[pod.node];
      if (pod.hostNetwork && n) return { kind: 'host', node: pod.node, pod: pod.id, pt: { x: pod.x + pod.w / 2, y: pod.y + pod.h / 2 } };
      return { kind: 'pod', node: pod.node, pod: pod.id, pt: { x: pod.x + pod.w / 2, y: pod.y + pod.h / 2 } };
    }
    return null;
  }
  if (parts[0] === 'node') {
    const n = model.nodeByName[parts[1]];
    return n ? { kind: 'host', node: n.name, iface: 'lo', pt: hostPt(n) } : null;
  }
  if (parts[0] === 'external') {
    const e = model.external;
    return { kind: 'external', pt: { x: e.x + e.w / 2, y: e.y + e.h / 2 } };
  }
  return null;
}

function podForHop(model: TopologyModel, hops: Hop[], i: number): string | null {
  for (let k = i + 1; k < hops.length && k <= i + 2; k++) {
    const h = hops[k];
    if (h.kind === 'deliver' && h.to.startsWith('pod/')) return h.to;
  }
  const h = hops[i];
  const pkt = h.kind === 'netfilter' || h.kind === 'conntrack' || h.kind === 'ipvs' ? h.after : h.packet;
  const key = model.podByIP[pkt.dst];
  return key ? `pod/${key}` : null;
}

/** Where the packet rests at hop i. */
export function placeOfHop(model: TopologyModel, path: TracePath, i: number): Place | null {
  const h = path.hops[i];
  if (!h) return null;
  const n = model.nodeByName[h.node];
  if (h.kind === 'deliver') return placeOf(model, h.to);
  if (h.kind === 'dns') {
    // The resolver runs in the client: the packet rests there while it asks and gets answers.
    const client = h.stage === 'answer' ? h.packet.dst : h.packet.src;
    const key = model.podByIP[client];
    if (key) return placeOf(model, `pod/${key}`);
    return n ? { kind: 'host', node: n.name, iface: 'lo', pt: hostPt(n) } : null;
  }
  if (!n) return null;
  switch (h.kind) {
    case 'netfilter':
      return { kind: 'netfilter', node: n.name, hook: (HOOKS as readonly string[]).includes(h.hook) ? (h.hook as HookName) : undefined, pt: hookPt(n, h.hook) };
    case 'conntrack':
      return { kind: 'conntrack', node: n.name, pt: stackCenter(n) };
    case 'ipvs':
      // IPVS sits at LOCAL_IN (after INPUT) or LOCAL_OUT (after OUTPUT).
      return { kind: 'netfilter', node: n.name, hook: h.hook === 'LOCAL_IN' ? 'INPUT' : 'OUTPUT', pt: hookPt(n, h.hook === 'LOCAL_IN' ? 'INPUT' : 'OUTPUT') };
    case 'encap': {
      const to = model.nodeByName[h.to];
      const a = n.flannel;
      const b = to ? to.flannel : a;
      const route = busRoute(model.overlay, { x: a.x, row: n.row }, { x: b.x, row: to ? to.row : n.row });
      return { kind: 'vxlan', tunnel: { from: n.name, to: h.to }, iface: 'flannel.1', pt: along(route, 0.5) };
    }
    case 'route': {
      if (h.iface === 'flannel.1') return { kind: 'flannel', node: n.name, iface: 'flannel.1', pt: n.flannel };
      if (h.iface === 'eth0') return { kind: 'eth0', node: n.name, iface: 'eth0', pt: n.eth0 };
      if (h.iface === 'local' || h.iface === 'lo') return { kind: 'host', node: n.name, iface: h.iface, pt: hostPt(n) };
      const target = podForHop(model, path.hops, i);
      const pod = target ? model.podById[target.slice(4)] : undefined;
      if (pod?.veth && pod.node === n.name) return { kind: 'veth', node: n.name, pod: pod.id, iface: h.iface, pt: pod.veth };
      return { kind: 'cni0', node: n.name, iface: h.iface, pt: { x: (n.cni0.x1 + n.cni0.x2) / 2, y: n.cni0.y } };
    }
  }
  return null;
}

/** The way out of a node from a place inside it, ending at `port`. */
function toPort(model: TopologyModel, p: Place, port: Pt): Pt[] {
  const pts = [p.pt];
  if (p.kind === 'pod') {
    const pod = p.pod ? model.podById[p.pod.slice(4)] : undefined;
    if (pod?.veth) pts.push(pod.veth);
  }
  pts.push(port);
  return pts;
}

function inNode(p: Place): boolean {
  return !!p.node && p.kind !== 'external' && p.kind !== 'vxlan';
}

/** The road from place a to place b, as a polyline. */
export function road(model: TopologyModel, a: Place, b: Place, medium: 'underlay' | 'overlay'): Pt[] {
  const pts: Pt[] = [];
  const push = (...ps: Pt[]) => { for (const p of ps) { const last = pts[pts.length - 1]; if (!last || last.x !== p.x || last.y !== p.y) pts.push(p); } };
  const ext = model.external;
  const nodeOf = (p: Place) => (p.node ? model.nodeByName[p.node] : undefined);
  const na = nodeOf(a);
  const nb = nodeOf(b);
  if (a.kind === 'external' && b.kind === 'external') return [a.pt, b.pt];
  if (a.kind === 'external' && nb) {
    push(a.pt, ext.port, ...busRoute(model.underlay, { x: ext.port.x, row: 0 }, { x: nb.eth0.x, row: nb.row }), nb.eth0);
    push(...toPort(model, b, nb.eth0).reverse());
    return pts;
  }
  if (b.kind === 'external' && na) {
    push(...toPort(model, a, na.eth0), ...busRoute(model.underlay, { x: na.eth0.x, row: na.row }, { x: ext.port.x, row: 0 }), ext.port, b.pt);
    return pts;
  }
  if (a.kind === 'vxlan' && a.tunnel) {
    const from = model.nodeByName[a.tunnel.from];
    const to = model.nodeByName[a.tunnel.to];
    if (from && to) {
      const route = busRoute(model.overlay, { x: from.flannel.x, row: from.row }, { x: to.flannel.x, row: to.row });
      // From the middle of the tunnel to its far end.
      const rest = prefix([...route].reverse(), 0.5).reverse();
      push(...rest, to.flannel);
      if (nb && nb.name === to.name) push(...toPort(model, b, to.flannel).reverse());
      else push(b.pt);
      return pts;
    }
  }
  if (b.kind === 'vxlan' && b.tunnel && na) {
    const to = model.nodeByName[b.tunnel.to];
    const route = to ? busRoute(model.overlay, { x: na.flannel.x, row: na.row }, { x: to.flannel.x, row: to.row }) : [];
    push(...toPort(model, a, na.flannel), ...prefix(route, 0.5));
    return pts;
  }
  if (na && nb && na.name === nb.name && inNode(a) && inNode(b)) {
    push(...(a.kind === 'pod' ? toPort(model, a, (model.podById[a.pod!.slice(4)]?.veth ?? a.pt)) : [a.pt]));
    if (b.kind === 'pod') {
      const v = model.podById[b.pod!.slice(4)]?.veth;
      if (v) push(v);
    }
    push(b.pt);
    return pts;
  }
  if (na && nb) {
    const pa = medium === 'underlay' ? na.eth0 : na.flannel;
    const pb = medium === 'underlay' ? nb.eth0 : nb.flannel;
    push(...toPort(model, a, pa), ...busRoute(medium === 'underlay' ? model.underlay : model.overlay, { x: pa.x, row: na.row }, { x: pb.x, row: nb.row }), pb);
    push(...toPort(model, b, pb).reverse());
    return pts;
  }
  return [a.pt, b.pt];
}

function packetOf(h: Hop, resting: boolean): PacketFields {
  if (h.kind === 'netfilter' || h.kind === 'conntrack' || h.kind === 'ipvs') return resting ? h.after : h.before;
  return h.packet;
}

function caption(h: Hop): string {
  switch (h.kind) {
    case 'netfilter': return `${h.node} · ${h.table} ${h.chain} · ${h.verdict}`;
    case 'route': return `${h.node} · route → ${h.iface}`;
    case 'encap': return `${h.node} → ${h.to} · VXLAN (UDP ${h.outer.dport}, vni ${h.outer.vni})`;
    case 'conntrack': return `${h.node} · conntrack ${h.action}`;
    case 'deliver': return `${h.node} · deliver → ${h.to}`;
    case 'ipvs': return `${h.node} · IPVS ${h.virtualServer.scheduler} ${h.virtualServer.vip}:${h.virtualServer.port} → ${h.after.dst}:${h.after.dport}`;
    case 'dns': return `${h.node} · DNS ${h.stage} ${h.query.qtype} ${h.query.qname} → ${h.stage === 'query' ? `${h.query.server}:53` : h.query.rcode}`;
  }
}

function isNodeIP(model: TopologyModel, ip: string | undefined): boolean {
  return !!ip && ip in model.nodeByIP;
}

/** The medium between two hops in different nodes: the node network for node addresses, VXLAN for pod addresses. */
function mediumFor(model: TopologyModel, prev: Hop | undefined, pkt: PacketFields): 'underlay' | 'overlay' {
  if (prev?.kind === 'route' && prev.iface === 'eth0') return 'underlay';
  if (prev?.kind === 'route' && prev.iface === 'flannel.1') return 'overlay';
  return isNodeIP(model, pkt.dst) || isNodeIP(model, pkt.src) ? 'underlay' : 'overlay';
}

/** The place before hop 0: where the trace starts. */
function origin(model: TopologyModel, trace: Trace): Place | null {
  return placeOf(model, trace.from);
}

/** Every hop's resting place and the road into it (index i: the road from hop i-1, or from the client). */
export function roads(model: TopologyModel, trace: Trace, path: TracePath): { place: Place; road: Pt[] }[] {
  const out: { place: Place; road: Pt[] }[] = [];
  let prev = origin(model, trace);
  let requestEnd: Place | null = null;
  for (let i = 0; i < path.hops.length; i++) {
    const h = path.hops[i];
    let from = prev;
    // The reply leaves from where the request ended (the endpoint), not from the last request hop.
    if (h.direction === 'reply' && (i === 0 || path.hops[i - 1].direction === 'request')) {
      requestEnd = placeOf(model, path.final.at) ?? prev;
      from = requestEnd;
    }
    const place = placeOfHop(model, path, i) ?? from ?? { kind: 'external', pt: { x: 0, y: 0 } };
    const r = from ? road(model, from, place, mediumFor(model, path.hops[i - 1], packetOf(h, false))) : [place.pt];
    out.push({ place, road: r });
    prev = place;
  }
  return out;
}

function serviceFor(model: TopologyModel, to: string): { svc: string; addr: string } | null {
  const m = /^(.*):(\d+)$/.exec(to);
  if (!m) return null;
  const [, ip, port] = m;
  for (const s of model.services) {
    for (const a of s.addresses) {
      if (a.ip === ip && String(a.port) === port) return { svc: s.id, addr: a.id };
    }
    // NodePort on any node, ClusterIP on another port.
    if (s.clusterIP === ip) return { svc: s.id, addr: s.addresses.find((a) => a.kind === 'clusterIP')?.id ?? s.id };
    const np = s.addresses.find((a) => a.kind === 'nodePort');
    if (np && String(np.port) === port && ip in model.nodeByIP) return { svc: s.id, addr: np.id };
  }
  return null;
}

function endpointTarget(model: TopologyModel, path: TracePath): string | null {
  const at = path.final.endpoint ?? (path.final.at.startsWith('pod/') ? null : null);
  if (at) {
    const ip = at.replace(/:\d+$/, '');
    const pod = model.podByIP[ip];
    if (pod) return `pod:${pod}`;
    const node = model.nodeByIP[ip];
    if (node) return `node:${node}`;
  }
  if (path.final.at.startsWith('pod/')) {
    const p = placeOf(model, path.final.at);
    return p?.pod ?? null;
  }
  return null;
}

function elementOf(model: TopologyModel, where: string): string | null {
  if (where.startsWith('external/')) return 'external';
  if (where.startsWith('node/')) return `node:${where.slice(5)}`;
  return placeOf(model, where)?.pod ?? null;
}

/**
 * The packet at (step, t) of path `pathIndex`. Null when there is no trace or the path is empty.
 * Steps outside the path are clamped.
 */
export function packetFrame(model: TopologyModel, trace: Trace | null, pathIndex: number, step: number, t = 1): PacketFrame | null {
  const path = trace?.paths[pathIndex];
  if (!trace || !path || path.hops.length === 0) return null;
  const count = path.hops.length;
  const s = Math.max(0, Math.min(count - 1, Math.floor(step)));
  const tt = Math.max(0, Math.min(1, t));
  const all = roads(model, trace, path);
  const cur = all[s];
  const pos = along(cur.road, tt);
  const trail: Pt[] = [];
  for (let i = 0; i < s; i++) for (const p of all[i].road) trail.push(p);
  for (const p of prefix(cur.road, tt)) trail.push(p);
  const h = path.hops[s];
  const resting = tt >= 1;
  const pkt = packetOf(h, resting);
  const mark = pkt.mark && pkt.mark !== '0x0' && pkt.mark !== '0' ? pkt.mark : null;
  const outer = h.kind === 'encap' ? `${h.outer.src} → ${h.outer.dst} ${h.outer.proto}/${h.outer.dport} vni ${h.outer.vni}` : null;

  const highlight = new Set<string>();
  const client = elementOf(model, trace.from);
  if (client) highlight.add(client);
  const svc = serviceFor(model, trace.to);
  if (svc) { highlight.add(svc.svc); highlight.add(svc.addr); }
  const target = endpointTarget(model, path);
  if (target) {
    highlight.add(target);
    if (svc) highlight.add(`ep:${svc.svc.slice(4)}->${target}`);
  }
  for (let i = 0; i <= s; i++) {
    const p = all[i].place;
    if (p.node) highlight.add(`node:${p.node}`);
    if (p.tunnel) highlight.add(`vxlan:${p.tunnel.from}->${p.tunnel.to}`);
  }
  const place = cur.place;
  const active: string[] = [];
  if (place.node) active.push(`node:${place.node}`);
  if (place.pod) active.push(place.pod);
  if (place.hook && place.node) active.push(`hook:${place.node}:${place.hook}`);
  if (place.kind === 'conntrack' && place.node) active.push(`stack:${place.node}`);
  if (place.kind === 'veth' || place.kind === 'cni0') active.push(`cni0:${place.node}`);
  if (place.kind === 'eth0') active.push(`eth0:${place.node}`);
  if (place.kind === 'flannel') active.push(`flannel:${place.node}`);
  if (place.kind === 'vxlan' && place.tunnel) active.push(`flannel:${place.tunnel.from}`, `flannel:${place.tunnel.to}`);
  if (place.kind === 'host' && place.node) active.push(`host:${place.node}`);
  if (place.kind === 'external') active.push('external');

  return {
    x: pos.x, y: pos.y, moving: !resting && tt > 0, direction: h.direction, place, packet: pkt,
    label: fmt(pkt), mark, outer, caption: caption(h),
    result: s === count - 1 && resting ? path.final.result : null,
    trail, highlight: [...highlight], active, step: s, hopCount: count,
  };
}
