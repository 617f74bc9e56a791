// React mount for the cluster view. React owns nothing inside the container: it creates the
// framework-free view once, hands it models and frames, and destroys it on unmount.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterSnapshot, Trace } from '../../worker/protocol';
import { translate, type Lang } from '../i18n';
import { layoutTopology, type TopologyModel } from './layout';
import { packetFrame } from './frame';
import { isEmptyFocus, missingFrom, traceFocus } from './focus';
import { swarmPlan, type SwarmPlan } from './swarm';
import { createTopologyView, type PickTarget, type TopologyLabels, type TopologyView } from './view';

export interface TopologyPanelProps {
  snapshot: ClusterSnapshot | null;
  trace: Trace | null;
  pathIndex: number;
  /** Index into `trace.paths[pathIndex].hops`. */
  step: number;
  lang: Lang;
  /** No tweening: the packet jumps from hop to hop. */
  reducedMotion: boolean;
  onPick: (target: PickTarget) => void;
  /**
   * Statistics mode: `count` packets in flight at once over the trace's paths, each trip's
   * path drawn by the paths' probabilities (seeded). `running` animates them; otherwise, and
   * always with reduced motion, they rest at the endpoints they reached. Absent: no swarm
   * (the single packet is unaffected either way).
   */
  swarm?: SwarmProp;
}

export interface SwarmProp {
  count: number;
  running: boolean;
  /** Seeds the paths and start offsets (default 1). */
  seed?: number;
}

/** How long the packet takes to move from one hop to the next. */
export const HOP_MS = 420;

export function topologyLabels(lang: Lang): TopologyLabels {
  const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(lang, k, v);
  return {
    title: t('topoTitle'),
    external: t('topoExternal'),
    externalSub: t('topoExternalSub'),
    nodeNetwork: t('topoNodeNetwork'),
    overlay: t('topoOverlay'),
    hostNetwork: t('topoHostNetwork'),
    netfilter: t('topoNetfilter'),
    controlPlane: t('topoControlPlane'),
    ready: t('topoReady'),
    notReady: t('topoNotReady'),
    headless: t('topoHeadless'),
    more: (n) => t('topoMore', { n }),
    moreNodes: (n) => t('topoMoreNodes', { n }),
    endpoints: (n) => t('topoEndpoints', { n }),
    pickPod: (name, ip, ready) => t('topoPickPod', { name, ip: ip || '—', state: t(ready ? 'topoReady' : 'topoNotReady') }),
    pickNode: (name, ip) => t('topoPickNode', { name, ip }),
    pickService: (text, name) => t('topoPickService', { text, name }),
    pickExternal: t('topoPickExternal'),
  };
}

export function TopologyPanel({ snapshot, trace, pathIndex, step, lang, reducedMotion, onPick, swarm }: TopologyPanelProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<TopologyView | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const [box, setBox] = useState({ width: 0, height: 0 });
  const { width, height } = box;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const v = createTopologyView(el, { onPick: (t) => pickRef.current(t) });
    view.current = v;
    // Re-layout only when the size changes noticeably (rows of nodes may re-balance).
    const measure = () => {
      const r = el.getBoundingClientRect();
      const w = Math.round(r.width / 40) * 40;
      const h = Math.round(r.height / 40) * 40;
      setBox((b) => (b.width === w && b.height === h ? b : { width: w, height: h }));
    };
    measure();
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      measure();
      v.resize();
    });
    ro?.observe(el);
    return () => { ro?.disconnect(); v.destroy(); view.current = null; };
  }, []);

  // Layout depends on the snapshot and on how many nodes fit a row at this width; on a big
  // cluster, also on the trace: what the packet visits is drawn even when the caps hid it.
  const box2 = useMemo(() => ({ maxWidth: Math.max(width, 480), maxHeight: Math.max(height, 320) }), [width, height]);
  const base: TopologyModel | null = useMemo(
    () => (snapshot && width > 0 ? layoutTopology(snapshot, box2) : null),
    [snapshot, width, box2],
  );
  const focus = useMemo(() => (trace ? traceFocus(trace) : null), [trace]);
  const missing = base && focus ? missingFrom(base, focus) : null;
  const missingKey = missing && !isEmptyFocus(missing) ? JSON.stringify(focus) : '';
  const model: TopologyModel | null = useMemo(
    () => (snapshot && base && missingKey ? layoutTopology(snapshot, { ...box2, focus: focus! }) : base),
    // `focus` is in missingKey.
    [snapshot, base, box2, missingKey],
  );
  const labels = useMemo(() => topologyLabels(lang), [lang]);

  useEffect(() => {
    if (model) view.current?.update(model, labels);
  }, [model, labels]);

  const last = useRef<{ trace: Trace | null; pathIndex: number; step: number } | null>(null);
  useEffect(() => {
    const v = view.current;
    if (!v || !model) return;
    const prev = last.current;
    last.current = { trace, pathIndex, step };
    if (!trace) { v.setFrame(null); return; }
    // Forward by one hop (or the first hop of a new trace/path) moves; anything else jumps.
    const forward = prev !== null && prev.trace === trace && prev.pathIndex === pathIndex && step === prev.step + 1;
    const fresh = (prev === null || prev.trace !== trace || prev.pathIndex !== pathIndex) && step === 0;
    if (!reducedMotion && (forward || fresh)) v.animate((t) => packetFrame(model, trace, pathIndex, step, t), HOP_MS);
    else v.setFrame(packetFrame(model, trace, pathIndex, step, 1));
  }, [model, trace, pathIndex, step, reducedMotion]);

  const swarmCount = swarm?.count ?? 0;
  const swarmSeed = swarm?.seed ?? 1;
  const plan: SwarmPlan | null = useMemo(
    () => (model && trace && swarmCount > 0 ? swarmPlan(model, trace, { count: swarmCount, seed: swarmSeed }) : null),
    [model, trace, swarmCount, swarmSeed],
  );
  const swarmMode = swarm?.running && !reducedMotion ? 'animate' : 'settled';
  useEffect(() => {
    view.current?.setSwarm(plan, swarmMode);
  }, [plan, swarmMode]);

  const frame = model && trace ? packetFrame(model, trace, pathIndex, step, 1) : null;
  return (
    <section className="topo-panel" aria-label={labels.title}>
      <div className="topo-stage" ref={host} />
      <p className="topo-caption">
        {frame ? (
          <>
            <span className="topo-caption-step">{frame.step + 1}/{frame.hopCount}</span>{' '}
            <span>{frame.caption}</span>{' '}
            <code>{frame.label}</code>
            {frame.mark ? <code> mark {frame.mark}</code> : null}
          </>
        ) : snapshot ? translate(lang, 'topoHelp') : translate(lang, 'topoEmpty')}
      </p>
    </section>
  );
}
