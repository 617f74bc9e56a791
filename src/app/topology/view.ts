// The cluster view's renderer: framework-free (React only mounts it — the xyflow pattern).
// d3 draws the static topology as SVG; the packet and its trail go on one Canvas 2D layer
// above it, redrawn in one requestAnimationFrame loop while a move is animating. A swarm of
// many packets (statistics mode, ./swarm.ts) is drawn on the same canvas by a second loop:
// one path per shape and one fill per frame, no DOM node per packet.
import * as d3 from 'd3';
import { ellipsize, G, HOOKS, HOOK_SHORT, type Pt, type TopologyModel, type TopoPod, type TopoService } from './layout';
import type { PacketFrame } from './frame';
import { swarmFrame, swarmSettled, type SwarmDot, type SwarmPlan } from './swarm';

export type PickTarget =
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'external' }
  | { kind: 'service'; namespace: string; name: string; ip: string; port: number };

export interface TopologyLabels {
  title: string;
  external: string;
  externalSub: string;
  nodeNetwork: string;
  overlay: string;
  hostNetwork: string;
  netfilter: string;
  controlPlane: string;
  ready: string;
  notReady: string;
  headless: string;
  /** `+{n} more` */
  more: (n: number) => string;
  moreNodes: (n: number) => string;
  endpoints: (n: number) => string;
  pickPod: (name: string, ip: string, ready: boolean) => string;
  pickNode: (name: string, ip: string) => string;
  pickService: (text: string, name: string) => string;
  pickExternal: string;
}

export interface TopologyCallbacks {
  onPick: (target: PickTarget) => void;
}

export interface TopologyView {
  update(model: TopologyModel, labels: TopologyLabels): void;
  /** Draws the packet where `frame` says (null: no packet). Cancels a running animation. */
  setFrame(frame: PacketFrame | null): void;
  /** Moves the packet by calling `frameAt(t)` for t from 0 to 1 over `ms` milliseconds. */
  animate(frameAt: (t: number) => PacketFrame | null, ms: number): void;
  /**
   * Many packets at once: `animate` runs them in one requestAnimationFrame loop (positions from
   * `swarmFrame(plan, elapsed)`); `settled` draws them still, at their endpoints (reduced
   * motion, or not running). Null removes them. The single packet (setFrame/animate) is
   * independent and drawn on top. Setting the same plan again while animating keeps its clock.
   */
  setSwarm(plan: SwarmPlan | null, mode: 'animate' | 'settled'): void;
  /** Refits the drawing to the container (call when it changes size). */
  resize(): void;
  destroy(): void;
}

let instances = 0;

type Sel<E extends d3.BaseType> = d3.Selection<E, unknown, null, undefined>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function onActivate(sel: d3.Selection<SVGGElement, any, any, any>, fn: () => void) {
  sel.attr('tabindex', 0).attr('role', 'button')
    .on('click', (ev: MouseEvent) => { ev.stopPropagation(); fn(); })
    .on('keydown', (ev: KeyboardEvent) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); fn(); }
    });
}

export function createTopologyView(container: HTMLElement, callbacks: TopologyCallbacks): TopologyView {
  const uid = `topo${++instances}`;
  container.classList.add('topo-root');
  const svg = d3.select(container).append('svg').attr('class', 'topo-svg') as unknown as Sel<SVGSVGElement>;
  const canvas = d3.select(container).append('canvas').attr('class', 'topo-canvas').attr('aria-hidden', 'true').node()!;
  const ctx = canvas.getContext('2d');
  const defs = svg.append('defs');
  const hatch = defs.append('pattern').attr('id', `${uid}-hatch`).attr('width', 6).attr('height', 6)
    .attr('patternUnits', 'userSpaceOnUse').attr('patternTransform', 'rotate(45)');
  hatch.append('rect').attr('width', 6).attr('height', 6).attr('class', 'topo-hatch-bg');
  hatch.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6).attr('class', 'topo-hatch-line');
  const viewport = svg.append('g').attr('class', 'topo-viewport');

  let model: TopologyModel | null = null;
  let transform = d3.zoomIdentity;
  let frame: PacketFrame | null = null;
  let raf = 0;
  let swarm: { plan: SwarmPlan; mode: 'animate' | 'settled'; dots: SwarmDot[]; start: number } | null = null;
  let swarmRaf = 0;
  let swarmColors: { request: string; reply: string; surface: string } | null = null;
  let hlKey = '';
  let userZoomed = false;

  const zoom = d3.zoom<SVGSVGElement, unknown>().scaleExtent([0.15, 4])
    // The cached box, not d3's default (the svg's width.baseVal, which forces a layout).
    .extent(() => { const { w, h } = size(); return [[0, 0], [w, h]]; })
    .on('zoom', (ev: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
      transform = ev.transform;
      viewport.attr('transform', transform.toString());
      if (ev.sourceEvent) userZoomed = true;
      draw();
    });
  // Wheel / drag to zoom and pan; a double click fits the drawing again.
  svg.call(zoom).on('dblclick.zoom', null).on('dblclick', () => { userZoomed = false; fit(); });

  // The container's size, measured on creation and on resize() only: reading it in fit() or
  // draw() would force a synchronous layout of the whole page after every re-render (≈0.8 s
  // with a 5,000-Service cluster on the page) and on every animation frame.
  let box: { w: number; h: number } | null = null;
  function measure() {
    const r = container.getBoundingClientRect();
    box = { w: Math.max(1, r.width), h: Math.max(1, r.height) };
    return box;
  }
  function size() {
    return box ?? measure();
  }

  function fit() {
    if (!model) return;
    const { w, h } = size();
    const k = Math.min(w / model.width, h / model.height, 1.6);
    const t = d3.zoomIdentity.translate((w - model.width * k) / 2, Math.max(0, (h - model.height * k) / 2)).scale(k);
    svg.call(zoom.transform, t);
  }

  function sizeCanvas() {
    const { w, h } = size();
    const dpr = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }

  function cssVar(name: string, fallback: string): string {
    const v = getComputedStyle(container).getPropertyValue(name).trim();
    return v || fallback;
  }

  function draw() {
    if (!ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (swarm) drawSwarm(swarm.dots, dpr);
    if (!frame) return;
    const accent = cssVar('--topo-packet', '#d9480f');
    const text = cssVar('--text', '#1b2330');
    const surface = cssVar('--surface', '#ffffff');
    const k = transform.k;
    // The trail, in model coordinates.
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * transform.x, dpr * transform.y);
    if (frame.trail.length > 1) {
      ctx.beginPath();
      ctx.moveTo(frame.trail[0].x, frame.trail[0].y);
      for (const p of frame.trail.slice(1)) ctx.lineTo(p.x, p.y);
      ctx.strokeStyle = accent;
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = 3 / Math.max(k, 0.4);
      ctx.lineJoin = 'round';
      ctx.setLineDash(frame.direction === 'reply' ? [6, 4] : []);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    // The packet and its label, in screen pixels (readable at any zoom).
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const sx = transform.applyX(frame.x);
    const sy = transform.applyY(frame.y);
    const r = 8;
    ctx.beginPath();
    if (frame.direction === 'reply') {
      // A diamond for the reply, a circle for the request: shape, not only colour.
      ctx.moveTo(sx, sy - r - 1); ctx.lineTo(sx + r + 1, sy); ctx.lineTo(sx, sy + r + 1); ctx.lineTo(sx - r - 1, sy); ctx.closePath();
    } else {
      ctx.arc(sx, sy, r, 0, Math.PI * 2);
    }
    ctx.fillStyle = accent;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = surface;
    ctx.stroke();
    if (frame.result === 'dropped' || frame.result === 'rejected' || frame.result === 'unreachable') {
      ctx.beginPath();
      ctx.moveTo(sx - 5, sy - 5); ctx.lineTo(sx + 5, sy + 5); ctx.moveTo(sx + 5, sy - 5); ctx.lineTo(sx - 5, sy + 5);
      ctx.strokeStyle = surface;
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
    const lines = [frame.label];
    if (frame.mark) lines.push(`mark ${frame.mark}`);
    if (frame.outer) lines.push(`outer ${frame.outer}`);
    if (frame.result) lines.push(frame.result);
    ctx.font = `12px ${cssVar('--font-mono', 'monospace')}`;
    const wText = Math.max(...lines.map((l) => ctx.measureText(l).width));
    const bw = wText + 12;
    const bh = lines.length * 15 + 8;
    const { w: cw } = size();
    let bx = sx + 14;
    if (bx + bw > cw - 4) bx = sx - 14 - bw;
    const by = sy - bh - 8;
    ctx.globalAlpha = 0.94;
    ctx.fillStyle = surface;
    ctx.strokeStyle = accent;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.roundRect(bx, Math.max(2, by), bw, bh, 5);
    ctx.fill();
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillStyle = text;
    ctx.textBaseline = 'top';
    lines.forEach((l, i) => ctx.fillText(l, bx + 6, Math.max(2, by) + 5 + i * 15));
  }

  /** The swarm's dots in screen pixels: requests as circles, replies as squares (shape, not only colour). */
  function drawSwarm(dots: SwarmDot[], dpr: number) {
    if (!ctx || dots.length === 0) return;
    const c = swarmColors ?? (swarmColors = {
      request: cssVar('--topo-packet', '#d9480f'),
      reply: cssVar('--topo-svc-border', '#3b5bdb'),
      surface: cssVar('--surface', '#ffffff'),
    });
    const { k, x: tx, y: ty } = transform;
    const r = 3.5;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineWidth = 1;
    ctx.strokeStyle = c.surface;
    for (const dir of ['request', 'reply'] as const) {
      ctx.beginPath();
      let any = false;
      for (const d of dots) {
        if (!d.visible || d.direction !== dir) continue;
        const sx = d.x * k + tx;
        const sy = d.y * k + ty;
        if (dir === 'request') { ctx.moveTo(sx + r, sy); ctx.arc(sx, sy, r, 0, Math.PI * 2); }
        else ctx.rect(sx - r, sy - r, r * 2, r * 2);
        any = true;
      }
      if (!any) continue;
      ctx.fillStyle = dir === 'request' ? c.request : c.reply;
      ctx.fill();
      ctx.stroke();
    }
  }

  function setSwarm(plan: SwarmPlan | null, mode: 'animate' | 'settled') {
    const keepClock = swarm && plan && swarm.plan === plan && swarm.mode === 'animate' && mode === 'animate';
    if (swarmRaf) { cancelAnimationFrame(swarmRaf); swarmRaf = 0; }
    swarmColors = null;
    if (!plan || plan.count === 0) {
      swarm = null;
      canvas.removeAttribute('data-swarm');
      draw();
      return;
    }
    canvas.setAttribute('data-swarm', `${mode}:${plan.count}`);
    if (mode === 'settled') {
      swarm = { plan, mode, dots: swarmSettled(plan), start: 0 };
      draw();
      return;
    }
    const start = keepClock ? swarm!.start : performance.now();
    swarm = { plan, mode, dots: swarmFrame(plan, 0), start };
    const s = swarm;
    const tick = (now: number) => {
      swarmFrame(s.plan, now - s.start, s.dots);
      draw();
      swarmRaf = requestAnimationFrame(tick);
    };
    swarmRaf = requestAnimationFrame(tick);
  }

  function applyHighlight() {
    const hl = new Set(frame?.highlight ?? []);
    const act = new Set(frame?.active ?? []);
    const key = `${[...hl].join(',')}|${[...act].join(',')}`;
    if (key === hlKey) return;
    hlKey = key;
    svg.classed('topo-tracing', !!frame);
    viewport.selectAll<SVGElement, unknown>('[data-id]').each(function () {
      const id = this.getAttribute('data-id')!;
      d3.select(this).classed('topo-hl', hl.has(id)).classed('topo-active', act.has(id));
    });
  }

  function setFrame(f: PacketFrame | null) {
    if (raf) { cancelAnimationFrame(raf); raf = 0; }
    frame = f;
    applyHighlight();
    draw();
  }

  function animate(frameAt: (t: number) => PacketFrame | null, ms: number) {
    if (raf) { cancelAnimationFrame(raf); raf = 0; }
    const start = performance.now();
    const tick = (now: number) => {
      const t = ms <= 0 ? 1 : Math.min(1, (now - start) / ms);
      const eased = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
      frame = frameAt(eased);
      applyHighlight();
      draw();
      raf = t < 1 ? requestAnimationFrame(tick) : 0;
    };
    raf = requestAnimationFrame(tick);
  }

  function render(m: TopologyModel, L: TopologyLabels) {
    viewport.selectAll('*').remove();
    hlKey = '';
    svg.attr('role', 'group').attr('aria-label', L.title);
    const buses = viewport.append('g').attr('class', 'topo-buses');
    const nodesG = viewport.append('g').attr('class', 'topo-nodes');
    // Endpoint links go over the node boxes (they end at the pods inside), under the services.
    const linksG = viewport.append('g').attr('class', 'topo-links');
    const svcG = viewport.append('g').attr('class', 'topo-services');
    const line = d3.line<Pt>().x((p) => p.x).y((p) => p.y);
    const curve = d3.line<Pt>().x((p) => p.x).y((p) => p.y).curve(d3.curveBumpY);

    // Buses (node network solid, VXLAN dashed) and the ports dropping to them.
    for (const bus of [m.underlay, m.overlay]) {
      const g = buses.append('g').attr('class', `topo-bus topo-bus-${bus.kind}`);
      for (const r of bus.rows) g.append('path').attr('d', line([{ x: r.x1, y: r.y }, { x: r.x2 + 10, y: r.y }]));
      if (bus.rows.length > 1) g.append('path').attr('d', line([{ x: bus.trunkX, y: bus.rows[0].y }, { x: bus.trunkX, y: bus.rows[bus.rows.length - 1].y }]));
      // Labelled under the line, right of the first node's eth0 drop (clear of the other drops).
      const firstNode = m.nodes[0];
      for (const [r, row] of bus.rows.entries()) {
        const n0 = m.nodes.find((n) => n.row === r) ?? firstNode;
        if (!n0) continue;
        g.append('text').attr('class', 'topo-bus-label').attr('x', n0.eth0.x + 10).attr('y', row.y + 12)
          .text(bus.kind === 'underlay' ? L.nodeNetwork : L.overlay);
      }
    }
    for (const n of m.nodes) {
      const ub = m.underlay.rows[n.row];
      const ob = m.overlay.rows[n.row];
      buses.append('path').attr('class', 'topo-drop topo-drop-underlay').attr('data-id', `eth0:${n.name}`).attr('d', line([n.eth0, { x: n.eth0.x, y: ub.y }]));
      buses.append('path').attr('class', 'topo-drop topo-drop-overlay').attr('data-id', `flannel:${n.name}`).attr('d', line([n.flannel, { x: n.flannel.x, y: ob.y }]));
    }
    buses.append('path').attr('class', 'topo-drop topo-drop-underlay').attr('d', line([m.external.port, { x: m.external.port.x, y: m.underlay.rows[0]?.y ?? m.external.port.y }]));

    // Endpoint links.
    linksG.selectAll('path').data(m.links).join('path')
      .attr('class', (l) => `topo-link${l.ready ? '' : ' topo-link-notready'}`)
      .attr('data-id', (l) => l.id).attr('data-svc', (l) => l.service)
      .attr('d', (l) => curve(l.points));

    // External client.
    const ext = nodesG.append('g').attr('class', 'topo-external').attr('data-id', 'external')
      .attr('aria-label', L.pickExternal);
    onActivate(ext, () => callbacks.onPick({ kind: 'external' }));
    ext.append('rect').attr('x', m.external.x).attr('y', m.external.y).attr('width', m.external.w).attr('height', m.external.h).attr('rx', 10);
    ext.append('text').attr('class', 'topo-title').attr('x', m.external.x + m.external.w / 2).attr('y', m.external.y + 26).attr('text-anchor', 'middle').text(L.external);
    ext.append('text').attr('class', 'topo-sub').attr('x', m.external.x + m.external.w / 2).attr('y', m.external.y + 44).attr('text-anchor', 'middle').text(L.externalSub);
    ext.append('circle').attr('class', 'topo-port').attr('cx', m.external.port.x).attr('cy', m.external.port.y).attr('r', 3.5);

    // Nodes.
    for (const n of m.nodes) {
      const g = nodesG.append('g').attr('class', `topo-node${n.ready ? '' : ' topo-node-notready'}`).attr('data-id', n.id);
      g.append('rect').attr('class', 'topo-node-box').attr('x', n.x).attr('y', n.y).attr('width', n.w).attr('height', n.h).attr('rx', 10);
      const head = g.append('g').attr('class', 'topo-node-head').attr('aria-label', L.pickNode(n.name, n.ip));
      onActivate(head, () => callbacks.onPick({ kind: 'node', name: n.name }));
      head.append('rect').attr('class', 'topo-hit').attr('x', n.x + 2).attr('y', n.y + 2).attr('width', n.w - 4).attr('height', 44).attr('rx', 8);
      head.append('text').attr('class', 'topo-title').attr('x', n.x + 12).attr('y', n.y + 20).text(n.name);
      if (n.controlPlane) {
        const tw = n.name.length * 9 + 22;
        head.append('text').attr('class', 'topo-tag').attr('x', n.x + tw).attr('y', n.y + 20).text(L.controlPlane);
      }
      head.append('text').attr('class', 'topo-mono').attr('x', n.x + 12).attr('y', n.y + 38)
        .text(`eth0 ${n.ip}  ·  podCIDR ${n.podCIDR || '—'}`);
      // Badges: kube-proxy, CoreDNS, flannel.
      let bx = n.x + 10;
      const by = n.y + G.headerH - 2;
      for (const b of n.badges) {
        const text = `${b.label}${b.count > 1 ? ` ×${b.count}` : ''}${b.ready < b.count ? ` (${b.ready}/${b.count})` : ''}`;
        const w = text.length * 6.2 + 14;
        const bg = g.append('g').attr('class', `topo-badge topo-badge-${b.kind}`);
        bg.append('rect').attr('x', bx).attr('y', by).attr('width', w).attr('height', 18).attr('rx', 9);
        bg.append('text').attr('x', bx + 7).attr('y', by + 13).text(text);
        bx += w + 6;
      }
      // cni0 and the veths.
      g.append('path').attr('class', 'topo-cni0').attr('data-id', `cni0:${n.name}`).attr('d', line([{ x: n.cni0.x1, y: n.cni0.y }, { x: n.cni0.x2, y: n.cni0.y }]));
      g.append('text').attr('class', 'topo-iface').attr('x', n.cni0.x2).attr('y', n.cni0.y + 12).attr('text-anchor', 'end').text('cni0');
      for (const p of n.pods) {
        if (p.veth) g.append('path').attr('class', 'topo-veth').attr('data-id', `veth:${p.id}`).attr('d', line([{ x: p.veth.x, y: p.y + p.h }, p.veth]));
      }
      for (const p of n.pods) drawPod(g, p, L);
      if (n.morePods) g.append('text').attr('class', 'topo-more').attr('x', n.morePods.x).attr('y', n.morePods.y + 4).attr('text-anchor', 'middle').text(L.more(n.hiddenPods));
      // Host network namespace.
      const host = g.append('g').attr('class', 'topo-host').attr('data-id', `host:${n.name}`);
      host.append('rect').attr('x', n.host.x).attr('y', n.host.y).attr('width', n.host.w).attr('height', n.host.h).attr('rx', 6);
      host.append('text').attr('class', 'topo-sub').attr('x', n.host.x + 6).attr('y', n.host.y + 12).text(L.hostNetwork);
      for (const p of n.hostPods) drawHostPod(g, p, L);
      // netfilter: the five hooks.
      const st = g.append('g').attr('class', 'topo-stack').attr('data-id', `stack:${n.name}`);
      st.append('text').attr('class', 'topo-sub').attr('x', n.stack.x).attr('y', n.stack.y + 11).text(L.netfilter);
      for (const hk of HOOKS) {
        const r = n.hooks[hk];
        const hg = st.append('g').attr('class', 'topo-hook').attr('data-id', `hook:${n.name}:${hk}`);
        hg.append('rect').attr('x', r.x).attr('y', r.y).attr('width', r.w).attr('height', r.h).attr('rx', 4);
        hg.append('text').attr('x', r.x + r.w / 2).attr('y', r.y + 16).attr('text-anchor', 'middle').text(HOOK_SHORT[hk]);
        hg.append('title').text(hk);
      }
      // Ports.
      g.append('circle').attr('class', 'topo-port').attr('data-id', `eth0:${n.name}`).attr('cx', n.eth0.x).attr('cy', n.eth0.y).attr('r', 4);
      g.append('text').attr('class', 'topo-iface').attr('x', n.eth0.x + 7).attr('y', n.eth0.y - 6).text('eth0');
      g.append('rect').attr('class', 'topo-port topo-port-vxlan').attr('data-id', `flannel:${n.name}`).attr('x', n.flannel.x - 4).attr('y', n.flannel.y - 4).attr('width', 8).attr('height', 8);
      g.append('text').attr('class', 'topo-iface').attr('x', n.flannel.x - 7).attr('y', n.flannel.y - 6).attr('text-anchor', 'end').text('flannel.1');
    }

    // Services: virtual, above the nodes.
    for (const s of m.services) drawService(svcG, s, L);
    if (m.moreServices) svcG.append('text').attr('class', 'topo-more').attr('x', m.moreServices.x).attr('y', m.moreServices.y + 4).attr('text-anchor', 'middle').text(L.more(m.hiddenServices));
    if (m.moreNodes) svcG.append('text').attr('class', 'topo-more').attr('x', m.moreNodes.x).attr('y', m.moreNodes.y).attr('text-anchor', 'middle').text(L.moreNodes(m.hiddenNodes));
  }

  function drawPod(g: Sel<SVGGElement>, p: TopoPod, L: TopologyLabels) {
    const pg = g.append('g').attr('class', `topo-pod ${p.ready ? 'topo-ready' : 'topo-notready'}`).attr('data-id', p.id)
      .attr('aria-label', L.pickPod(`${p.namespace}/${p.name}`, p.ip, p.ready));
    onActivate(pg, () => callbacks.onPick({ kind: 'pod', namespace: p.namespace, name: p.name }));
    pg.append('title').text(`${p.namespace}/${p.name}\n${p.ip} · ${p.ready ? L.ready : L.notReady} · ${p.phase}`);
    pg.append('rect').attr('class', 'topo-pod-box').attr('x', p.x).attr('y', p.y).attr('width', p.w).attr('height', p.h).attr('rx', 6)
      .attr('fill', p.ready ? null : `url(#${uid}-hatch)`);
    // Ready: ✓ in a filled circle; not ready: ✕ and a dashed, hatched card.
    pg.append('text').attr('class', 'topo-pod-state').attr('x', p.x + 8).attr('y', p.y + 16).text(p.ready ? '✓' : '✕');
    // Character budgets for the card's width (proportional bold name, monospace second line).
    const nameMax = Math.floor((p.w - 28) / 7.2);
    const lineMax = Math.floor((p.w - 28) / 6.7);
    pg.append('text').attr('class', 'topo-pod-name').attr('x', p.x + 22).attr('y', p.y + 16).text(ellipsize(p.name, nameMax));
    const tail = !p.ready ? L.notReady : p.role === 'coredns' ? 'CoreDNS' : p.namespace === 'default' ? '' : p.namespace;
    const ip = p.ip || '—';
    pg.append('text').attr('class', 'topo-mono topo-pod-ip').attr('x', p.x + 22).attr('y', p.y + 32)
      .text(tail ? `${ip} ${tail.length > lineMax - ip.length - 1 ? `${tail.slice(0, Math.max(2, lineMax - ip.length - 2))}…` : tail}` : ip);
  }

  function drawHostPod(g: Sel<SVGGElement>, p: TopoPod, L: TopologyLabels) {
    const pg = g.append('g').attr('class', `topo-pod topo-hostpod ${p.ready ? 'topo-ready' : 'topo-notready'}`).attr('data-id', p.id)
      .attr('aria-label', L.pickPod(`${p.namespace}/${p.name}`, p.ip, p.ready));
    onActivate(pg, () => callbacks.onPick({ kind: 'pod', namespace: p.namespace, name: p.name }));
    pg.append('title').text(`${p.namespace}/${p.name} (hostNetwork)\n${p.ip} · ${p.ready ? L.ready : L.notReady}`);
    pg.append('rect').attr('class', 'topo-pod-box').attr('x', p.x).attr('y', p.y).attr('width', p.w).attr('height', p.h).attr('rx', 4)
      .attr('fill', p.ready ? null : `url(#${uid}-hatch)`);
    pg.append('text').attr('class', 'topo-pod-name topo-small').attr('x', p.x + 6).attr('y', p.y + 13).text(`${p.ready ? '✓' : '✕'} ${ellipsize(p.name, Math.floor((p.w - 22) / 6.6))}`);
  }

  function drawService(g: Sel<SVGGElement>, s: TopoService, L: TopologyLabels) {
    const sg = g.append('g').attr('class', `topo-svc topo-svc-${s.type.toLowerCase()}`).attr('data-id', s.id);
    const focusLinks = (on: boolean) => { linksFor(s.id).classed('topo-link-focus', on); };
    sg.on('mouseenter', () => focusLinks(true)).on('mouseleave', () => focusLinks(false))
      .on('focusin', () => focusLinks(true)).on('focusout', () => focusLinks(false));
    sg.append('title').text(`${s.namespace}/${s.name} · ${s.type} · ${s.ports}\n${L.endpoints(s.endpointCount)}`);
    sg.append('rect').attr('class', 'topo-svc-box').attr('x', s.x).attr('y', s.y).attr('width', s.w).attr('height', s.h).attr('rx', 12);
    const nsText = s.namespace === 'default' ? '' : `${s.namespace} · `;
    const eps = L.endpoints(s.endpointCount);
    sg.append('text').attr('class', 'topo-sub').attr('x', s.x + s.w - 10).attr('y', s.y + 16).attr('text-anchor', 'end').text(eps);
    sg.append('text').attr('class', 'topo-svc-name').attr('x', s.x + 10).attr('y', s.y + 16)
      .text(ellipsize(s.name, Math.floor((s.w - 26 - eps.length * 6.2) / 7.4)));
    const sub = nsText + (s.externalName !== null ? `ExternalName → ${s.externalName}`
      : s.headless ? `${s.type} · ${L.headless}` : `${s.type} · ${s.ports}`);
    sg.append('text').attr('class', 'topo-sub').attr('x', s.x + 10).attr('y', s.y + 31).text(ellipsize(sub, Math.floor((s.w - 20) / 6.2)));
    for (const a of s.addresses) {
      const ag = sg.append('g').attr('class', `topo-addr topo-addr-${a.kind}`).attr('data-id', a.id)
        .attr('aria-label', L.pickService(a.text, `${s.namespace}/${s.name}`));
      onActivate(ag, () => callbacks.onPick({ kind: 'service', namespace: s.namespace, name: s.name, ip: a.ip, port: a.port }));
      ag.append('rect').attr('x', a.x).attr('y', a.y).attr('width', a.w).attr('height', a.h).attr('rx', 9);
      ag.append('text').attr('class', 'topo-mono').attr('x', a.x + 8).attr('y', a.y + 13).text(ellipsize(a.text, Math.floor((a.w - 14) / 6.7)));
    }
  }

  function linksFor(svcId: string) {
    return viewport.selectAll<SVGPathElement, unknown>('.topo-link').filter(function () { return this.getAttribute('data-svc') === svcId; });
  }

  sizeCanvas();
  return {
    update(m, labels) {
      const first = !model || m.width !== model.width || m.height !== model.height;
      model = m;
      swarmColors = null;
      render(m, labels);
      if (first || !userZoomed) fit();
      applyHighlight();
      draw();
    },
    setFrame,
    animate,
    setSwarm,
    resize() {
      measure();
      sizeCanvas();
      swarmColors = null;
      if (!userZoomed) fit();
      draw();
    },
    destroy() {
      if (raf) cancelAnimationFrame(raf);
      if (swarmRaf) cancelAnimationFrame(swarmRaf);
      svg.on('.zoom', null);
      svg.remove();
      canvas.remove();
      container.classList.remove('topo-root');
    },
  };
}
