// The timeline: the packet's journey as an event list (one row per hop, Packet Tracer style)
// with filter chips, transport controls (first / back / play-pause / step / last, speed,
// scrubber), keyboard shortcuts and an aria-live line narrating the current step. The state
// (step, playing, speed, path) lives in the store; playback is the pure clock of clock.ts
// driven by requestAnimationFrame, which only ever reports the step it lands on.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { LANG_TAG, translate, type Lang, type MessageKey, type Vars } from '../i18n';
import {
  clampStep, directionLabel, hopCategory, hopLabel, narrate, pathLabel, pathOf, resultLabel, stepSummary,
  type Category, type Trace,
} from '../flow/steps';
import { SPEEDS, advance, clampSpeed, frameAt, pathDuration, seekStep, type ClockState } from './clock';

export interface TimelineProps {
  trace: Trace | null;
  pathIndex: number;
  step: number;
  playing: boolean;
  speed: number;
  lang: Lang;
  onStep: (step: number) => void;
  onPath: (pathIndex: number) => void;
  onPlay: () => void;
  onPause: () => void;
  onSpeed: (speed: number) => void;
}

type T = (key: MessageKey, vars?: Vars) => string;
type Chip = Exclude<Category, 'rule'>;
const CHIPS: { id: Chip; key: MessageKey }[] = [
  { id: 'nat', key: 'tlFilterNat' },
  { id: 'dns', key: 'tlFilterDns' },
  { id: 'drop', key: 'tlFilterDrop' },
  { id: 'conntrack', key: 'tlFilterConntrack' },
  { id: 'routing', key: 'tlFilterRouting' },
];

function reducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Plays the path: advances the pure clock every animation frame and reports each new step.
 * With reduced motion the same clock runs (the view steps discretely anyway).
 */
function usePlayback(trace: Trace | null, pathIndex: number, step: number, playing: boolean, speed: number, onStep: (s: number) => void, onPause: () => void) {
  const clock = useRef<ClockState | null>(null);
  const reported = useRef(step);
  const handlers = useRef({ onStep, onPause });
  handlers.current = { onStep, onPause };

  // Keep the clock on the step the store shows (a click, a key, the scrubber).
  useEffect(() => {
    if (!trace) return;
    const c = clock.current;
    if (!c || frameAt(trace, pathIndex, c.timeMs).step !== step) {
      clock.current = seekStep(c ?? { timeMs: 0, playing: false, speed, durationMs: 0 }, trace, pathIndex, step);
    }
    reported.current = step;
  }, [trace, pathIndex, step, speed]);

  useEffect(() => {
    if (!playing || !trace || typeof requestAnimationFrame !== 'function') return;
    let raf = 0;
    let last: number | null = null;
    const base = clock.current ?? seekStep({ timeMs: 0, playing: false, speed, durationMs: 0 }, trace, pathIndex, step);
    clock.current = { ...base, playing: true, speed: clampSpeed(speed), durationMs: pathDuration(trace, pathIndex) };
    const tick = (now: number) => {
      const dt = last === null ? 0 : now - last;
      last = now;
      const c = advance(clock.current!, dt);
      clock.current = c;
      const f = frameAt(trace, pathIndex, c.timeMs);
      if (f.step !== reported.current) {
        reported.current = f.step;
        handlers.current.onStep(f.step);
      }
      if (!c.playing) {
        handlers.current.onPause();
        return;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      if (clock.current) clock.current = { ...clock.current, playing: false };
    };
    // The step is read once at start; later steps arrive through the clock itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, trace, pathIndex, speed]);
}

export function Timeline(props: TimelineProps) {
  const { trace, pathIndex, playing, speed, lang, onStep, onPath, onPlay, onPause, onSpeed } = props;
  const t: T = (key, vars) => translate(lang, key, vars);
  const [filters, setFilters] = useState<Set<Chip>>(() => new Set());
  const path = trace ? pathOf(trace, pathIndex) : null;
  const n = path?.hops.length ?? 0;
  const step = path ? clampStep(path, props.step) : 0;
  usePlayback(trace, pathIndex, step, playing, speed, onStep, onPause);

  const list = useRef<HTMLOListElement>(null);
  const currentRow = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const el = currentRow.current;
    const box = list.current;
    if (!el || !box) return;
    // Scroll the list (not the page) so the current row is in view.
    const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + el.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = top + el.offsetHeight - box.clientHeight;
  }, [step, pathIndex, filters]);

  const go = (s: number) => { if (n > 0) onStep(Math.max(0, Math.min(n - 1, s))); };
  const play = () => {
    if (n === 0) return;
    if (step >= n - 1) onStep(0);
    onPlay();
  };
  const toggle = () => (playing ? onPause() : play());

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    const tag = target.tagName;
    const isRange = tag === 'INPUT' && (target as HTMLInputElement).type === 'range';
    if (tag === 'SELECT' || tag === 'TEXTAREA' || (tag === 'INPUT' && !isRange)) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case ' ':
      case 'Spacebar':
        if (tag === 'BUTTON') return; // Space activates the focused button itself.
        e.preventDefault();
        toggle();
        return;
      case 'ArrowLeft':
        if (isRange) return; // the range moves itself and reports through onChange
        e.preventDefault();
        onPause();
        go(step - 1);
        return;
      case 'ArrowRight':
        if (isRange) return;
        e.preventDefault();
        onPause();
        go(step + 1);
        return;
      case 'Home':
        if (isRange) return;
        e.preventDefault();
        go(0);
        return;
      case 'End':
        if (isRange) return;
        e.preventDefault();
        go(n - 1);
        return;
    }
  };

  const toggleChip = (c: Chip) => setFilters((f) => {
    const next = new Set(f);
    if (next.has(c)) next.delete(c);
    else next.add(c);
    return next;
  });

  const narration = path ? narrate(path, step, lang) : '';
  let hidden = 0;

  return (
    <section className="tl" aria-labelledby="tl-heading" lang={LANG_TAG[lang]} onKeyDown={onKeyDown} data-reduced-motion={reducedMotion() ? 'true' : undefined}>
      <div className="tl-head">
        <h2 id="tl-heading">{t('tlHeading')}</h2>
        {trace && trace.paths.length > 1 && (
          <label className="tl-path field">
            {t('tlPath')}
            <select value={pathIndex} onChange={(e) => { onPause(); onPath(Number(e.target.value)); }}>
              {trace.paths.map((_, i) => (
                <option key={i} value={i}>{pathLabel(trace, i, lang)}</option>
              ))}
            </select>
          </label>
        )}
        {trace && trace.paths.length === 1 && <span className="tl-path-one">{pathLabel(trace, 0, lang)}</span>}
      </div>

      <div className="tl-transport" role="toolbar" aria-label={t('tlHeading')}>
        <button type="button" onClick={() => go(0)} disabled={n === 0 || step === 0} aria-label={t('tlFirst')} title={`${t('tlFirst')} (Home)`}>|◀</button>
        <button type="button" onClick={() => { onPause(); go(step - 1); }} disabled={n === 0 || step === 0} aria-label={t('tlBack')} title={`${t('tlBack')} (←)`}>◀</button>
        <button type="button" className="tl-play primary" onClick={toggle} disabled={n === 0} aria-label={playing ? t('tlPause') : t('tlPlay')} title={`${playing ? t('tlPause') : t('tlPlay')} (Space)`}>
          <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span> {playing ? t('tlPause') : t('tlPlay')}
        </button>
        <button type="button" onClick={() => { onPause(); go(step + 1); }} disabled={n === 0 || step >= n - 1} aria-label={t('tlStep')} title={`${t('tlStep')} (→)`}>▶</button>
        <button type="button" onClick={() => go(n - 1)} disabled={n === 0 || step >= n - 1} aria-label={t('tlLast')} title={`${t('tlLast')} (End)`}>▶|</button>
        <label className="field tl-speed">
          {t('tlSpeed')}
          <select value={String(clampSpeed(speed))} onChange={(e) => onSpeed(clampSpeed(Number(e.target.value)))}>
            {(SPEEDS as readonly number[]).includes(clampSpeed(speed)) ? null : <option value={String(clampSpeed(speed))}>{clampSpeed(speed)}×</option>}
            {SPEEDS.map((s) => <option key={s} value={String(s)}>{s}×</option>)}
          </select>
        </label>
        <label className="tl-scrub">
          <span className="sr-only">{t('tlPosition')}</span>
          <input
            type="range"
            min={0}
            max={Math.max(0, n - 1)}
            step={1}
            value={step}
            disabled={n === 0}
            onChange={(e) => { onPause(); go(Number(e.target.value)); }}
            aria-valuetext={narration}
          />
          <span className="tl-count" aria-hidden="true">{n > 0 ? `${step + 1} / ${n}` : '0 / 0'}</span>
        </label>
      </div>

      <p className="tl-live" aria-live="polite" aria-atomic="true">{narration}</p>

      <div className="tl-chips" role="group" aria-label={t('tlFilters')}>
        <span className="tl-chips-label">{t('tlFilters')}</span>
        {CHIPS.map((c) => (
          <button key={c.id} type="button" className={`tl-chip is-${c.id}`} aria-pressed={filters.has(c.id)} onClick={() => toggleChip(c.id)}>
            <span aria-hidden="true">{filters.has(c.id) ? '✓ ' : ''}</span>{t(c.key)}
          </button>
        ))}
      </div>

      {!path || n === 0 ? (
        <p className="muted">{t('tlEmpty')}</p>
      ) : (
        <>
          <ol ref={list} className="tl-events" aria-label={t('tlEvents')}>
            {path.hops.map((h, i) => {
              const cat = hopCategory(h);
              const visible = i === step || filters.size === 0 || (cat !== 'rule' && filters.has(cat));
              if (!visible) { hidden++; return null; }
              const dirChange = i === 0 || path.hops[i - 1].direction !== h.direction;
              const cur = i === step;
              return (
                <li key={i} ref={cur ? currentRow : undefined} className={`tl-row is-${cat}${cur ? ' is-current' : ''}${i < step ? ' is-past' : ''}`} data-direction={h.direction}>
                  {dirChange && <span className="tl-dir">{directionLabel(h.direction, lang)}</span>}
                  <button type="button" className="tl-row-btn" aria-current={cur ? 'step' : undefined} onClick={() => { onPause(); go(i); }}>
                    <span className="tl-n">{i + 1}</span>
                    <span className="tl-node">{h.node}</span>
                    <span className="tl-where"><code>{hopLabel(h, lang)}</code></span>
                    <span className="tl-what">
                      {h.kind === 'netfilter' && <code className={`tl-verdict is-${h.verdict.split(':')[0].toLowerCase()}`}>{h.verdict}</code>}
                      <span>{stepSummary(h, lang)}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
          {hidden > 0 && <p className="tl-hidden muted">{t('tlHidden', { count: hidden })}</p>}
          <p className={`tl-final is-${path.final.result}`}>
            <strong>{resultLabel(path.final.result, lang)}</strong> <code>{path.final.at}</code>
            {path.final.reason ? ` — ${path.final.reason}` : ''}
          </p>
        </>
      )}
      <p className="tl-keys muted">{t('tlKeys')}</p>
    </section>
  );
}

