// The stage: send a packet, watch it on the cluster (topology) or rule by rule in a node's
// netfilter (dataplane), step through it on the timeline, read each hop in the inspector;
// then send many (statistics) or change the cluster (what-if). It renders store state only:
// every trace, chain listing and sample comes from the worker.
import { useContext, useDeferredValue, useEffect, useState } from 'react';
import { StoreContext, useApp } from '../App';
import { pick } from '../i18n';
import { TopologyPanel } from '../topology';
import { DataplaneView } from '../flow';
import { Inspector } from '../inspector/Inspector';
import { Timeline } from '../timeline/Timeline';
import { SendPacket } from './SendPacket';
import { StatsPanel } from '../stats/StatsPanel';
import { ModesPanel } from './ModesPanel';
import { WhatIfPanel } from './WhatIfPanel';
import { EXTERNAL_CLIENT } from './targets';
import { ExportBar } from '../share/ExportBar';
import './stage.css';


const T = {
  heading: { en: 'Stage', zh: '舞台' },
  cluster: { en: 'Cluster', zh: '集群' },
  dataplane: { en: 'Dataplane (netfilter)', zh: '数据平面（netfilter 五链四表）' },
  pickedFrom: { en: 'From {x} — now pick a Service address', zh: '起点：{x}，请再选择一个 Service 地址' },
};

function usePrefersReducedMotion(): boolean {
  const [reduced, setReduced] = useState(() => typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true);
  useEffect(() => {
    const m = window.matchMedia?.('(prefers-reduced-motion: reduce)');
    if (!m) return;
    const on = () => setReduced(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return reduced;
}

export function StagePane() {
  const lang = useApp((s) => s.lang);
  // A new cluster (thousands of objects after a big paste) re-renders the stage as a
  // transition: React renders it in slices and the editor stays responsive meanwhile.
  const snapshot = useDeferredValue(useApp((s) => s.snapshot));
  const trace = useApp((s) => s.trace);
  const traceError = useApp((s) => s.traceError);
  const pathIndex = useApp((s) => s.pathIndex);
  const step = useApp((s) => s.step);
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const stats = useApp((s) => s.stats);
  const rulesDiff = useApp((s) => s.rulesDiff);
  const modes = useApp((s) => s.modes);
  const loadOptions = useApp((s) => s.loadOptions);
  const packet = useApp((s) => s.packet);
  const a = useApp((s) => s);
  const store = useContext(StoreContext)!;
  const reducedMotion = usePrefersReducedMotion();
  const [view, setView] = useState<'cluster' | 'dataplane'>('cluster');
  const [picked, setPicked] = useState<{ from?: string; to?: string }>({});

  // Timeline keys work anywhere on the page, except while typing (editor, inputs).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.closest('input, textarea, select, [contenteditable="true"], #yaml-editor, .tl') || el.isContentEditable)) return;
      const s = store.getState();
      if (!s.trace) return;
      const last = (s.trace.paths[s.pathIndex]?.hops.length ?? 1) - 1;
      const to = e.key === 'ArrowRight' ? s.step + 1 : e.key === 'ArrowLeft' ? s.step - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
      if (to !== null) { e.preventDefault(); s.pause(); s.setStep(to); return; }
      if (e.key === ' ' && el?.tagName !== 'BUTTON') { e.preventDefault(); if (s.playing) s.pause(); else s.play(); }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store]);

  const hop = trace?.paths[pathIndex]?.hops[step];
  // The Service the followed packet is addressed to (by any of its addresses).
  const targetService = packet && snapshot ? snapshot.services.find((sv) => {
    // A name was resolved first: the Service is the one at the address the lookup gave.
    const ip = trace?.dns?.address ?? packet.to.split(':')[0];
    return sv.spec?.clusterIP === ip || (sv.spec?.externalIPs ?? []).includes(ip) || (sv.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === ip)
      || (sv.spec?.ports ?? []).some((p) => p.nodePort !== undefined && packet.to.endsWith(`:${p.nodePort}`) && snapshot.nodes.some((n) => n.status?.addresses?.some((x) => x.address === ip)));
  }) : undefined;
  const diffNode = hop?.node ?? packet?.from.match(/^node\/(.+)$/)?.[1] ?? 'node1';

  return (
    <section className="stage" aria-labelledby="stage-heading" data-testid="stage">
      <div className="stage-bar">
        <h2 id="stage-heading">{pick(T.heading, lang)}</h2>
        <SendPacket snapshot={snapshot} lang={lang} picked={picked.from || picked.to || !packet ? picked : { from: packet.from, to: `${packet.to}${packet.proto === 'udp' ? '/udp' : ''}` }} onSend={(req) => { setPicked({}); void a.sendPacket(req); }} />
        <div className="stage-tabs" role="tablist" aria-label={pick(T.heading, lang)}>
          {(['cluster', 'dataplane'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} data-testid={`stage-tab-${v}`} onClick={() => setView(v)}>
              {pick(T[v], lang)}
            </button>
          ))}
        </div>
        <ExportBar view={view} />
      </div>
      {picked.from && !picked.to && <p className="stage-hint" role="status">{pick(T.pickedFrom, lang).replace('{x}', picked.from)}</p>}
      {traceError && <p className="stage-error" role="alert">{traceError}</p>}
      <div className="stage-grid">
        <div className="stage-main" role="tabpanel">
          {view === 'cluster' ? (
            <TopologyPanel
              snapshot={snapshot}
              trace={trace}
              pathIndex={pathIndex}
              step={step}
              lang={lang}
              reducedMotion={reducedMotion}
              swarm={stats ? { count: 200, running: true } : undefined}
              onPick={(t) => {
                if (t.kind === 'service') {
                  const from = picked.from ?? packet?.from;
                  const to = `${t.ip}:${t.port}`;
                  if (from) { setPicked({}); void a.sendPacket({ from, to }); } else setPicked({ to });
                } else {
                  const from = t.kind === 'pod' ? `pod/${t.namespace}/${t.name}` : t.kind === 'node' ? `node/${t.name}` : `external/${EXTERNAL_CLIENT}`;
                  setPicked({ from });
                }
              }}
            />
          ) : (
            <DataplaneView trace={trace} pathIndex={pathIndex} step={step} lang={lang} loadChain={a.loadChain} onStep={a.setStep} />
          )}
          <Timeline
            trace={trace}
            pathIndex={pathIndex}
            step={step}
            playing={playing}
            speed={speed}
            lang={lang}
            onStep={a.setStep}
            onPath={a.setPath}
            onPlay={a.play}
            onPause={a.pause}
            onSpeed={a.setSpeed}
          />
        </div>
        <Inspector trace={trace} pathIndex={pathIndex} step={step} lang={lang} onShowSource={(service) => a.showSource(service)} />
      </div>
      <StatsPanel
        stats={stats}
        enabled={!!trace}
        lang={lang}
        onSample={(n, k) => void a.sampleConnections(n, k)}
        service={targetService ? { name: `${targetService.metadata.namespace}/${targetService.metadata.name}`, affinity: targetService.spec?.sessionAffinity === 'ClientIP' } : undefined}
        onAffinity={(on) => {
          if (!targetService) return;
          const patch = JSON.stringify({ spec: { sessionAffinity: on ? 'ClientIP' : 'None' } });
          void a.whatIf({ kind: 'command', command: `kubectl patch svc ${targetService.metadata.name} -n ${targetService.metadata.namespace} -p '${patch}'` }, diffNode);
        }}
      />
      <ModesPanel
        lang={lang}
        mode={snapshot?.config.kubeProxy.mode ?? 'iptables'}
        modes={modes}
        canCompare={!!trace}
        onMode={(m) => void a.whatIf({ kind: 'proxyMode', mode: m }, diffNode)}
        onCompare={() => void a.compareModes()}
      />
      <WhatIfPanel
        snapshot={snapshot}
        lang={lang}
        node={diffNode}
        version={loadOptions.kubeProxyVersion ?? snapshot?.config.kubeProxy.version ?? '1.31'}
        seed={loadOptions.seed ?? 1}
        diff={rulesDiff}
        onChange={(c) => void a.whatIf(c, diffNode)}
      />
    </section>
  );
}
