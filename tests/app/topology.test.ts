// The cluster view's pure parts: the layout (snapshot → positioned model) and the packet's
// frame (trace, path, step, t → position, label, highlights). Plain node environment.
import { describe, expect, it, vi } from 'vitest';
import { Simulation, EXAMPLES } from '../../src/sim/index';
import type { TraceResult } from '../../src/sim/network/trace';
import { layoutTopology, type TopologyModel, type Rect } from '../../src/app/topology/layout';
import { along, packetFrame, roads } from '../../src/app/topology/frame';
import { missingFrom, traceFocus } from '../../src/app/topology/focus';
import { deploymentsAndServices } from '../bench/scenarios';
import { MAX_SWARM, swarmFrame, swarmPlan, swarmRoadOf, swarmSettled } from '../../src/app/topology/swarm';
import { course } from '../sim/helpers';

function trace(sim: Simulation, from: string, to: string): TraceResult {
  const r = sim.trace({ from, to, allPaths: true });
  if ('error' in r) throw new Error(r.error);
  return r;
}

const inside = (p: { x: number; y: number }, r: Rect) => p.x >= r.x - 0.5 && p.x <= r.x + r.w + 0.5 && p.y >= r.y - 0.5 && p.y <= r.y + r.h + 0.5;
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

const sim = Simulation.load([course('13')]);
const snap = sim.snapshot();
const svc = snap.services.find((s) => s.metadata.name === 'demoapp-svc')!;
const web = snap.pods.filter((p) => p.metadata.labels?.app === 'web');
const client = web.find((p) => p.spec?.nodeName === 'node1')!;

describe('layoutTopology', () => {
  const m = layoutTopology(snap);

  it('draws every node with its IP and podCIDR, and every pod inside its node', () => {
    expect(m.nodes.map((n) => n.name)).toEqual(['master', 'node1', 'node2', 'node3']);
    expect(m.nodes.find((n) => n.name === 'node1')).toMatchObject({ ip: '192.168.122.11', podCIDR: '10.244.1.0/24', controlPlane: false });
    expect(m.nodeByName.master.controlPlane).toBe(true);
    for (const n of m.nodes) {
      for (const p of [...n.pods, ...n.hostPods]) {
        expect(inside({ x: p.x, y: p.y }, n) && inside({ x: p.x + p.w, y: p.y + p.h }, n)).toBe(true);
        expect(p.node).toBe(n.name);
      }
      // Pod cards never overlap each other.
      const cards = [...n.pods, ...n.hostPods];
      for (let i = 0; i < cards.length; i++) for (let j = i + 1; j < cards.length; j++) expect(overlaps(cards[i], cards[j])).toBe(false);
    }
    const key = `default/${client.metadata.name}`;
    expect(m.podById[key]).toMatchObject({ node: 'node1', ip: client.status!.podIP, ready: true, hostNetwork: false });
    expect(m.podById[key].veth).not.toBeNull();
  });

  it('shows kube-proxy, flannel and CoreDNS as badges; hostNetwork pods in the host namespace', () => {
    const master = m.nodeByName.master;
    expect(master.badges.map((b) => b.kind)).toEqual(['kube-proxy', 'coredns', 'flannel']);
    expect(master.badges.find((b) => b.kind === 'coredns')!.count).toBe(2);
    expect(m.nodeByName.node1.badges.map((b) => b.kind)).toEqual(['kube-proxy', 'flannel']);
    expect(master.hostPods.map((p) => p.name)).toContain('etcd-master');
    expect(master.hostPods.every((p) => p.hostNetwork && p.veth === null)).toBe(true);
    expect(master.hostPods.some((p) => p.name.startsWith('kube-proxy'))).toBe(false);
  });

  it('draws Services above the nodes with ClusterIP and NodePort addresses, linked to their endpoints', () => {
    const s = m.services.find((x) => x.name === 'demoapp-svc')!;
    expect(s.type).toBe('NodePort');
    expect(s.addresses.map((a) => [a.kind, a.ip, a.port])).toEqual([
      ['clusterIP', svc.spec!.clusterIP, 80],
      ['nodePort', '192.168.122.11', 32000],
    ]);
    const top = Math.min(...m.nodes.map((n) => n.y));
    for (const x of m.services) expect(x.y + x.h).toBeLessThan(top);
    const links = m.links.filter((l) => l.service === s.id);
    expect(links.map((l) => l.target).sort()).toEqual(web.map((p) => `pod:default/${p.metadata.name}`).sort());
    expect(links.every((l) => l.ready)).toBe(true);
    // The API server's endpoint is the master's own address: linked to the node.
    expect(m.links.find((l) => l.service === 'svc:default/kubernetes')!.target).toBe('node:master');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(layoutTopology(snap))).toBe(JSON.stringify(m));
  });

  it('keeps ~50 pods and ~30 Services readable: caps per node and "+N more"', () => {
    let y = '';
    for (let i = 0; i < 40; i++) {
      y += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app${i}}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: app${i}}}\n  template:\n    metadata: {labels: {app: app${i}}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;
      y += `---\napiVersion: v1\nkind: Service\nmetadata: {name: app${i}-svc}\nspec:\n  selector: {app: app${i}}\n  ports: [{port: 80}]\n`;
    }
    const big = Simulation.load([{ name: 'big.yaml', text: y }]).snapshot();
    const bm = layoutTopology(big, { maxServices: 30, maxPodsPerNode: 16 });
    expect(bm.services.length).toBe(29);
    expect(bm.hiddenServices).toBe(big.services.length - 29);
    expect(bm.moreServices).not.toBeNull();
    const netPods = big.pods.filter((p) => !p.spec?.hostNetwork).length;
    const drawn = bm.nodes.reduce((s, n) => s + n.pods.length, 0);
    const hidden = bm.nodes.reduce((s, n) => s + n.hiddenPods, 0);
    expect(drawn + hidden).toBe(netPods);
    for (const n of bm.nodes) {
      expect(n.pods.length).toBeLessThanOrEqual(16);
      if (n.hiddenPods) expect(n.morePods).not.toBeNull();
    }
    // Services never overlap.
    for (let i = 0; i < bm.services.length; i++) for (let j = i + 1; j < bm.services.length; j++) expect(overlaps(bm.services[i], bm.services[j])).toBe(false);
  });

  describe('a 20-node cluster with 200 Services', () => {
    const many = Simulation.load([{ name: 'many.yaml', text: deploymentsAndServices(200, 10) }]);
    const ms = many.snapshot();
    const mm = layoutTopology(ms);

    it('draws 8 nodes, 6 pods a node and 16 Services (with the card for the rest), and says how many more there are', () => {
      expect(ms.nodes.length).toBe(21);
      expect(mm.nodes.length).toBe(8);
      expect(mm.hiddenNodes).toBe(13);
      expect(mm.moreNodes).not.toBeNull();
      expect(mm.moreNodes!.x).toBeGreaterThan(Math.max(...mm.nodes.map((n) => n.x + n.w)));
      expect(mm.moreNodes!.x).toBeLessThan(mm.width);
      for (const n of mm.nodes) expect(n.pods.length).toBeLessThanOrEqual(6);
      expect(mm.services.length).toBe(15);
    });

    it('always draws what a traced packet visits, however far down the lists it is', () => {
      const last = ms.services.find((x) => x.metadata.name === 'svc-199')!;
      const from = ms.pods.filter((p) => p.metadata.name.startsWith('app-150-'))[0];
      const t = trace(many, `pod/default/${from.metadata.name}`, `${last.spec!.clusterIP}:80`);
      const focus = traceFocus(t);
      expect(focus.services).toContain('default/svc-199');
      expect(focus.pods).toContain(`default/${from.metadata.name}`);
      const missing = missingFrom(mm, focus);
      expect(missing.nodes.length + missing.pods.length + missing.services.length).toBeGreaterThan(0);
      const fm = layoutTopology(ms, { focus });
      expect(missingFrom(fm, focus)).toEqual({ nodes: [], pods: [], services: [] });
      expect(fm.nodes.length).toBeLessThanOrEqual(Math.max(8, focus.nodes.length + 1));
      // Every hop has a place on the drawing: the packet never vanishes.
      for (let i = 0; i < t.paths[0].hops.length; i++) expect(packetFrame(fm, t, 0, i, 1)).not.toBeNull();
    });
  });

  it('balances nodes into rows for the box it has', () => {
    const wide = layoutTopology(snap, { maxWidth: 2400, maxHeight: 700 });
    expect(new Set(wide.nodes.map((n) => n.row)).size).toBe(1);
    const narrow = layoutTopology(snap, { maxWidth: 900, maxHeight: 1400 });
    const perRow = narrow.nodes.filter((n) => n.row === 0).length;
    expect(perRow).toBeLessThan(4);
    expect(narrow.nodes.filter((n) => n.row === narrow.nodes[narrow.nodes.length - 1].row).length).toBe(perRow === 1 ? 1 : 2);
    expect(layoutTopology(snap, { nodesPerRow: 3 }).nodes.map((n) => n.row)).toEqual([0, 0, 1, 1]);
  });

  it('marks not-ready pods and their endpoints', () => {
    const modified = structuredClone({ ...snap, insights: [] });
    const pod = modified.pods.find((p) => p.metadata.name === client.metadata.name)!;
    pod.status!.conditions = pod.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
    for (const es of modified.endpointSlices) for (const ep of es.endpoints ?? []) if (ep.targetRef?.name === client.metadata.name) ep.conditions = { ...ep.conditions, ready: false };
    const mm = layoutTopology(modified);
    expect(mm.podById[`default/${client.metadata.name}`].ready).toBe(false);
    expect(mm.links.find((l) => l.target === `pod:default/${client.metadata.name}`)!.ready).toBe(false);
  });
});

describe('packetFrame', () => {
  const m: TopologyModel = layoutTopology(snap);
  const t = trace(sim, `pod/default/${client.metadata.name}`, `${svc.spec!.clusterIP}:80`);
  const far = t.paths.findIndex((p) => p.final.at.startsWith('pod/') && !p.final.at.endsWith(client.metadata.name) && (m.podById[p.final.at.slice(4)]?.node === 'node3'));
  const path = t.paths[far];
  const podPt = (name: string) => { const p = m.podById[`default/${name}`]; return { x: p.x + p.w / 2, y: p.y + p.h / 2 }; };

  it('returns null without a trace and clamps the step', () => {
    expect(packetFrame(m, null, 0, 0)).toBeNull();
    expect(packetFrame(m, t, 99, 0)).toBeNull();
    expect(packetFrame(m, t, far, 10_000)!.step).toBe(path.hops.length - 1);
    expect(packetFrame(m, t, far, -3)!.step).toBe(0);
  });

  it('starts at the client pod (t = 0) and moves over its veth into the netfilter stack', () => {
    const f0 = packetFrame(m, t, far, 0, 0)!;
    expect({ x: f0.x, y: f0.y }).toEqual(podPt(client.metadata.name));
    const f1 = packetFrame(m, t, far, 0, 1)!;
    expect(f1.place).toMatchObject({ kind: 'netfilter', node: 'node1', hook: 'PREROUTING' });
    expect(inside(f1, m.nodeByName.node1.hooks.PREROUTING)).toBe(true);
    const half = packetFrame(m, t, far, 0, 0.5)!;
    expect(half.moving).toBe(true);
    expect(f1.moving).toBe(false);
    // The road passes the veth where it meets cni0.
    expect(roads(m, t, path)[0].road).toContainEqual(m.podById[`default/${client.metadata.name}`].veth);
    expect(f1.active).toContain('hook:node1:PREROUTING');
  });

  it('shows the DNAT: before and after the KUBE-SEP rule', () => {
    const i = path.hops.findIndex((h) => h.kind === 'netfilter' && h.chain.startsWith('KUBE-SEP') && h.after.dst !== h.before.dst);
    const moving = packetFrame(m, t, far, i, 0.5)!;
    const rest = packetFrame(m, t, far, i, 1)!;
    expect(moving.label).toContain(`${svc.spec!.clusterIP}:80`);
    expect(rest.label).toBe(`${client.status!.podIP}:40000 → ${path.final.endpoint}`);
  });

  it('crosses to the other node in the VXLAN tunnel, with the outer header', () => {
    const i = path.hops.findIndex((h) => h.kind === 'encap');
    const f = packetFrame(m, t, far, i)!;
    expect(f.place.kind).toBe('vxlan');
    expect(f.place.tunnel).toEqual({ from: 'node1', to: 'node3' });
    expect(f.outer).toBe('192.168.122.11 → 192.168.122.13 udp/8472 vni 1');
    expect(f.active).toEqual(['flannel:node1', 'flannel:node3']);
    const route = packetFrame(m, t, far, i - 1)!;
    expect(route.place).toMatchObject({ kind: 'flannel', node: 'node1' });
    const next = packetFrame(m, t, far, i + 1)!;
    expect(next.place).toMatchObject({ kind: 'netfilter', node: 'node3', hook: 'PREROUTING' });
    // On the way in, it passes node3's flannel.1.
    expect(roads(m, t, path)[i + 1].road).toContainEqual(m.nodeByName.node3.flannel);
  });

  it('delivers to the endpoint pod over its veth, then the reply comes back through conntrack', () => {
    const d = path.hops.findIndex((h) => h.kind === 'deliver' && h.direction === 'request');
    const veth = packetFrame(m, t, far, d - 1)!;
    expect(veth.place.kind).toBe('veth');
    expect(veth.place.node).toBe('node3');
    const at = packetFrame(m, t, far, d)!;
    expect(at.place).toMatchObject({ kind: 'pod', node: 'node3' });
    const ct = packetFrame(m, t, far, d + 1, 1)!;
    expect(ct.direction).toBe('reply');
    expect(ct.place).toMatchObject({ kind: 'conntrack', node: 'node1' });
    // The reply starts at the endpoint pod, not where the request's last hop was drawn.
    const ctStart = packetFrame(m, t, far, d + 1, 0)!;
    expect({ x: ctStart.x, y: ctStart.y }).toEqual({ x: at.x, y: at.y });
    expect(ct.label).toBe(`${svc.spec!.clusterIP}:80 → ${client.status!.podIP}:40000`);
    const last = packetFrame(m, t, far, path.hops.length - 1)!;
    expect(last.place.pod).toBe(`pod:default/${client.metadata.name}`);
    expect(last.result).toBe('delivered');
  });

  it('highlights the client, the Service address, the endpoint link and the nodes passed', () => {
    const f = packetFrame(m, t, far, path.hops.length - 1)!;
    const target = `pod:${path.final.at.slice(4)}`;
    expect(f.highlight).toEqual(expect.arrayContaining([
      `pod:default/${client.metadata.name}`, 'svc:default/demoapp-svc', `addr:default/demoapp-svc/clusterIP/${svc.spec!.clusterIP}:80`,
      target, `ep:default/demoapp-svc->${target}`, 'node:node1', 'node:node3', 'vxlan:node1->node3',
    ]));
    expect(f.highlight).not.toContain('node:node2');
  });

  it('is a pure function of (step, t): stepping back gives the same frame as stepping there', () => {
    const a = packetFrame(m, t, far, 12, 0.3);
    packetFrame(m, t, far, 30, 1);
    expect(packetFrame(m, t, far, 12, 0.3)).toEqual(a);
    // The trail only grows with time.
    const lens = [0, 5, 10, 20, path.hops.length - 1].map((s) => packetFrame(m, t, far, s)!.trail.length);
    expect([...lens].sort((x, y) => x - y)).toEqual(lens);
  });

  it('brings an external client in over the node network to eth0 (NodePort), marked for masquerade', () => {
    const te = trace(sim, 'external/192.168.10.1', '192.168.122.11:32000');
    const f0 = packetFrame(m, te, 0, 0, 0)!;
    expect(inside(f0, m.external)).toBe(true);
    const r0 = roads(m, te, te.paths[0])[0].road;
    expect(r0).toContainEqual(m.nodeByName.node1.eth0);
    expect(r0).toContainEqual(m.external.port);
    const marked = te.paths[0].hops.findIndex((h) => h.kind === 'netfilter' && h.after.mark === '0x4000');
    expect(packetFrame(m, te, 0, marked)!.mark).toBe('0x4000');
    expect(packetFrame(m, te, 0, 0)!.highlight).toEqual(expect.arrayContaining(['external', 'addr:default/demoapp-svc/nodePort/192.168.122.11:32000']));
    const last = packetFrame(m, te, 0, te.paths[0].hops.length - 1)!;
    expect(last.place.kind).toBe('external');
  });

  it('starts a node trace in the host namespace, through OUTPUT', () => {
    const tn = trace(sim, 'node/node2', `${svc.spec!.clusterIP}:80`);
    const f0 = packetFrame(m, tn, 0, 0, 0)!;
    expect(inside(f0, m.nodeByName.node2.host)).toBe(true);
    expect(packetFrame(m, tn, 0, 0)!.place).toMatchObject({ kind: 'netfilter', node: 'node2', hook: 'OUTPUT' });
  });

  it('works for a LoadBalancer IP announced by MetalLB', () => {
    const ex = EXAMPLES.find((e) => e.id === 'metallb')!;
    const lbSim = Simulation.load(ex.files);
    const lm = layoutTopology(lbSim.snapshot());
    const lb = lm.services.find((s) => s.name === 'nginxlb')!;
    const addr = lb.addresses.find((a) => a.kind === 'loadBalancer')!;
    expect(addr.ip).toBe('192.168.122.111');
    const tl = trace(lbSim, 'external/192.168.10.1', `${addr.ip}:${addr.port}`);
    for (let p = 0; p < tl.paths.length; p++) {
      for (let s = 0; s < tl.paths[p].hops.length; s++) {
        const f = packetFrame(lm, tl, p, s, 0.5)!;
        expect(Number.isFinite(f.x) && Number.isFinite(f.y)).toBe(true);
      }
    }
    expect(packetFrame(lm, tl, 0, 0)!.highlight).toContain(addr.id);
  });
});

describe('along', () => {
  it('walks a polyline by length', () => {
    const pts = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 30 }];
    expect(along(pts, 0)).toEqual({ x: 0, y: 0 });
    expect(along(pts, 0.25)).toEqual({ x: 10, y: 0 });
    expect(along(pts, 0.625)).toEqual({ x: 10, y: 15 });
    expect(along(pts, 1)).toEqual({ x: 10, y: 30 });
  });
});

describe('swarm (many packets in flight)', () => {
  const m: TopologyModel = layoutTopology(snap);
  const t = trace(sim, `pod/default/${client.metadata.name}`, `${svc.spec!.clusterIP}:80`);
  const plan = swarmPlan(m, t, { count: 200, seed: 7 });
  const onRoad = (p: { x: number; y: number }, pts: { x: number; y: number }[]) => pts.some((a, i) => {
    if (i === 0) return Math.hypot(p.x - a.x, p.y - a.y) < 1e-6;
    const b = pts[i - 1];
    const cross = (p.x - b.x) * (a.y - b.y) - (p.y - b.y) * (a.x - b.x);
    const len = Math.hypot(a.x - b.x, a.y - b.y);
    const within = p.x >= Math.min(a.x, b.x) - 1e-6 && p.x <= Math.max(a.x, b.x) + 1e-6 && p.y >= Math.min(a.y, b.y) - 1e-6 && p.y <= Math.max(a.y, b.y) + 1e-6;
    return within && (len === 0 || Math.abs(cross) / len < 1e-6);
  });

  it('has one road per path, request then reply, from the client', () => {
    expect(plan.roads.map((r) => r.path)).toEqual(t.paths.map((_, i) => i));
    expect(plan.cdf[plan.cdf.length - 1]).toBe(1);
    const c = m.podById[`default/${client.metadata.name}`];
    for (const r of plan.roads) {
      expect(r.points[0]).toEqual({ x: c.x + c.w / 2, y: c.y + c.h / 2 });
      expect(r.replyAt).toBeGreaterThan(0);
      expect(r.replyAt).toBeLessThan(r.length);
      // The request ends at the endpoint the path reached.
      const ep = m.podById[t.paths[r.path].final.at.slice(4)];
      expect(r.end).toEqual({ x: ep.x + ep.w / 2, y: ep.y + ep.h / 2 });
    }
  });

  it('is a pure function of time, seeded (never Math.random)', () => {
    const spy = vi.spyOn(Math, 'random');
    try {
      const a = swarmFrame(plan, 1234.5);
      swarmFrame(plan, 99_999);
      expect(swarmFrame(swarmPlan(m, t, { count: 200, seed: 7 }), 1234.5)).toEqual(a);
      expect(swarmFrame(plan, 1234.5, swarmFrame(plan, 5))).toEqual(a); // a reused buffer gives the same
      expect(swarmFrame(swarmPlan(m, t, { count: 200, seed: 8 }), 1234.5)).not.toEqual(a);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('starts each packet at its own offset, then moves it along its path', () => {
    expect(new Set(plan.offsets).size).toBe(200);
    expect(Math.max(...plan.offsets)).toBeLessThan(plan.tripMs);
    const early = swarmFrame(plan, 0);
    expect(early.filter((d) => d.visible).length).toBeLessThan(5);
    const later = swarmFrame(plan, plan.tripMs * 3.3);
    expect(later.every((d) => d.visible)).toBe(true);
    for (const d of later) expect(onRoad(d, plan.roads[d.road].points)).toBe(true);
    // Both directions are in flight at once; positions differ (not one clump).
    expect(later.some((d) => d.direction === 'request') && later.some((d) => d.direction === 'reply')).toBe(true);
    expect(new Set(later.map((d) => `${d.x.toFixed(1)},${d.y.toFixed(1)}`)).size).toBeGreaterThan(100);
    // A packet's position at the start of a trip is the client; half a trip later it has moved on.
    const i = 17;
    const s = plan.offsets[i] + plan.tripMs * 2;
    const d0 = swarmFrame(plan, s + 1e-9)[i];
    expect(Math.hypot(d0.x - plan.roads[d0.road].points[0].x, d0.y - plan.roads[d0.road].points[0].y)).toBeLessThan(1e-3);
    const dh = swarmFrame(plan, s + plan.tripMs / 2)[i];
    expect(dh.road).toBe(d0.road);
    expect(Math.hypot(dh.x - d0.x, dh.y - d0.y)).toBeGreaterThan(10);
  });

  it('chooses paths by their probabilities, a new draw per trip', () => {
    const big = swarmPlan(m, t, { count: 4000, seed: 3 });
    const n = big.roads.length;
    const tally = new Array<number>(n).fill(0);
    for (let i = 0; i < big.count; i++) tally[swarmRoadOf(big, i, 0)]++;
    big.roads.forEach((r, k) => expect(Math.abs(tally[k] / big.count - r.probability)).toBeLessThan(0.03));
    // Over trips one packet visits several paths.
    expect(new Set([0, 1, 2, 3, 4, 5, 6, 7].map((k) => swarmRoadOf(big, 0, k))).size).toBeGreaterThan(1);
    // A skewed split is followed too.
    const skew = structuredClone(t);
    skew.paths.forEach((p, k) => { p.probability = k === 0 ? 0.9 : 0.1 / (skew.paths.length - 1); });
    const sp = swarmPlan(m, skew, { count: 2000, seed: 3 });
    const first = Array.from({ length: sp.count }, (_, i) => swarmRoadOf(sp, i, 5)).filter((r) => r === 0).length;
    expect(first / sp.count).toBeGreaterThan(0.86);
    expect(first / sp.count).toBeLessThan(0.94);
  });

  it('settles still dots around the endpoints (reduced motion), matching the first trip', () => {
    const dots = swarmSettled(plan);
    expect(dots.length).toBe(200);
    for (const [i, d] of dots.entries()) {
      expect(d.road).toBe(swarmRoadOf(plan, i, 0));
      const end = plan.roads[d.road].end;
      expect(Math.hypot(d.x - end.x, d.y - end.y)).toBeLessThanOrEqual(14 + 1e-9);
    }
    expect(swarmSettled(plan)).toEqual(dots);
  });

  it('handles no paths and clamps the count', () => {
    const none = swarmPlan(m, { ...t, paths: [] }, { count: 50 });
    expect(swarmFrame(none, 100)).toEqual([]);
    expect(swarmSettled(none)).toEqual([]);
    expect(swarmPlan(m, t, { count: -3 }).count).toBe(0);
    expect(swarmPlan(m, t, { count: 1e9 }).count).toBe(MAX_SWARM);
  });
});
