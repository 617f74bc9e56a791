// The dataplane view: the current node's netfilter as the hooks × tables grid (五链四表), the
// cells the packet passes numbered in order, then the current chain's rules with the one being
// evaluated highlighted, the KUBE-* chain path as a breadcrumb, the `-m statistic` fork and
// what the rule changed on the packet. It only renders the trace and the chain listings it is
// given (fetched through `loadChain`, i.e. the worker); it computes no networking.
import { IpvsBlock } from './IpvsBlock';
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { ChainListing } from '../../worker/protocol';
import { translate, type Lang, type MessageKey, type Vars } from '../i18n';
import {
  HOOKS, TABLES, cellExists, chainStack, changesOf, clampStep, directionLabel, fraction, gridCells, pathOf, percent,
  ruleStates, statisticFork, stepSummary, visitAt, type Branch, type Change, type Frame, type RuleState, type Trace, type TracePath,
} from './steps';

export type DataplaneKind = 'iptables' | 'ipvs' | 'nftables';
export const DATAPLANE_KINDS: readonly DataplaneKind[] = ['iptables', 'ipvs', 'nftables'];
const KIND_NAME: Record<DataplaneKind, string> = { iptables: 'iptables', ipvs: 'IPVS', nftables: 'nftables' };

export type LoadChain = (node: string, table: string, chain: string) => Promise<ChainListing | null>;

export interface DataplaneViewProps {
  trace: Trace | null;
  pathIndex: number;
  step: number;
  lang: Lang;
  loadChain: LoadChain;
  onStep: (step: number) => void;
  /** Which dataplane to draw; only iptables exists so far (IPVS and nftables are placeholders). */
  kind?: DataplaneKind;
  /** When given, the mode switch is shown. */
  onKind?: (kind: DataplaneKind) => void;
  /** Listings known up front (server rendering, tests); `loadChain` is asked for the rest. */
  preloaded?: ChainListing[];
}

type T = (key: MessageKey, vars?: Vars) => string;

const keyOf = (node: string, table: string, chain: string) => `${node}\u0000${table}\u0000${chain}`;

/** Listings for the chains the view needs, loaded through `loadChain` and kept per trace. */
function useChains(trace: Trace | null, wanted: { node: string; table: string; chain: string }[], loadChain: LoadChain, preloaded?: ChainListing[]) {
  const initial = () => {
    const m = new Map<string, ChainListing | null>();
    for (const l of preloaded ?? []) m.set(keyOf(l.node, l.table, l.chain), l);
    return m;
  };
  const [state, setState] = useState(() => ({ trace, chains: initial() }));
  // A new trace may come from a changed cluster: forget the listings of the old one.
  const chains = state.trace === trace ? state.chains : initial();
  if (state.trace !== trace) setState({ trace, chains });
  const wantedKey = wanted.map((w) => keyOf(w.node, w.table, w.chain)).join('\u0001');
  const inflight = useRef(new Map<string, Trace | null>());
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);
  useEffect(() => {
    mounted.current = true;
    for (const w of wanted) {
      const k = keyOf(w.node, w.table, w.chain);
      if (chains.has(k) || (inflight.current.has(k) && inflight.current.get(k) === trace)) continue;
      inflight.current.set(k, trace);
      // A listing that arrives after the step moved on is still kept (stepping back reuses it);
      // one for an older trace is dropped.
      const done = (l: ChainListing | null) => {
        if (inflight.current.get(k) === trace) inflight.current.delete(k);
        if (mounted.current) setState((st) => (st.trace === trace ? { trace, chains: new Map(st.chains).set(k, l) } : st));
      };
      loadChain(w.node, w.table, w.chain).then(done, () => done(null));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [trace, wantedKey, loadChain]);
  return chains;
}

export function DataplaneView(props: DataplaneViewProps) {
  const { trace, lang, kind = 'iptables', onKind } = props;
  const t: T = (key, vars) => translate(lang, key, vars);
  return (
    <section className="flow" aria-labelledby="flow-heading" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <div className="flow-head">
        <h2 id="flow-heading">{t('flowHeading')}</h2>
        {onKind && (
          <div className="flow-modes" role="group" aria-label={t('flowModeLabel')}>
            {DATAPLANE_KINDS.map((k) => (
              <button key={k} type="button" className="flow-mode" aria-pressed={k === kind} onClick={() => onKind(k)}>
                {KIND_NAME[k]}
              </button>
            ))}
          </div>
        )}
      </div>
      {kind === 'iptables' ? (
        trace && trace.paths.length > 0 ? <IptablesView {...props} trace={trace} t={t} /> : <p className="muted">{t('flowNoTrace')}</p>
      ) : kind === 'ipvs' ? (
        <IpvsView t={t} />
      ) : (
        <NftablesView t={t} />
      )}
    </section>
  );
}

/** Slot for the IPVS view (a later issue). */
function IpvsView({ t }: { t: T }) {
  return (
    <div className="flow-placeholder" data-kind="ipvs">
      <p>{t('flowNotInMode', { mode: 'IPVS' })}</p>
    </div>
  );
}

/** Slot for the nftables view (a later issue). */
function NftablesView({ t }: { t: T }) {
  return (
    <div className="flow-placeholder" data-kind="nftables">
      <p>{t('flowNotInMode', { mode: 'nftables' })}</p>
    </div>
  );
}

function IptablesView(props: DataplaneViewProps & { trace: Trace; t: T }) {
  const { trace, pathIndex, lang, loadChain, onStep, preloaded, t } = props;
  const path = pathOf(trace, pathIndex)!;
  const step = clampStep(path, props.step);
  const hop = path.hops[step];
  const frames = useMemo(() => chainStack(path, step), [path, step]);
  // nftables mode: a rule that looks a set or verdict map up (`@service-ips`) also wants that set.
  const lookups = hop && hop.kind === 'netfilter' && hop.table === 'ip kube-proxy' ? [...new Set((hop.rule ?? '').match(/@[\w-]+/g) ?? [])] : [];
  const wanted = hop && hop.kind === 'netfilter'
    ? [...frames.map((f) => ({ node: hop.node, table: hop.table, chain: f.chain })), ...lookups.map((l) => ({ node: hop.node, table: hop.table, chain: l }))]
    : [];
  const chains = useChains(trace, wanted, loadChain, preloaded);

  if (!hop) return <p className="muted">{t('flowNoTrace')}</p>;
  const listingOf = (chain: string) => (hop.kind === 'netfilter' ? chains.get(keyOf(hop.node, hop.table, chain)) : undefined);

  return (
    <div className="flow-body">
      <Grid path={path} step={step} lang={lang} t={t} onStep={onStep} />
      {hop.kind === 'netfilter' ? (
        <>
          <Breadcrumb frames={frames} verdict={hop.verdict} t={t} />
          <Changes changes={changesOf(hop)} t={t} />
          <Fork frames={frames} listingOf={listingOf} path={path} step={step} t={t} />
          <Rules path={path} step={step} listing={listingOf(hop.chain)} t={t} />
          {lookups.map((l) => <NftLookup key={l} name={l} listing={listingOf(l)} packet={hop.before} t={t} />)}
        </>
      ) : hop.kind === 'ipvs' ? (
        <>
          <IpvsBlock hop={hop} lang={lang} t={t} />
          <Changes changes={changesOf(hop)} t={t} />
        </>
      ) : (
        <>
          <p className="flow-note">{t('flowNotNetfilter', { summary: stepSummary(hop, lang) })}</p>
          <Changes changes={changesOf(hop)} t={t} />
        </>
      )}
    </div>
  );
}

const CIRCLED = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱', '⑲', '⑳'];

function Grid({ path, step, lang, t, onStep }: { path: TracePath; step: number; lang: Lang; t: T; onStep: (s: number) => void }) {
  const v = visitAt(path, step)!;
  const cells = gridCells(path, step);
  const byKey = new Map(cells.map((c) => [`${c.hook}/${c.table}`, c]));
  /** First hop of the visit in a cell, to jump to it. */
  const firstHop = (hook: string, table: string) => {
    for (let i = v.start; i < v.end; i++) {
      const h = path.hops[i];
      if (h.kind === 'netfilter' && h.hook === hook && h.table === table) return i;
    }
    return -1;
  };
  return (
    <table className="flow-grid">
      <caption>{t('flowGridCaption', { node: v.node, direction: directionLabel(v.direction, lang) })}</caption>
      <thead>
        <tr>
          <th scope="col" className="flow-corner">{t('flowHookTable')}</th>
          {HOOKS.map((h) => <th key={h} scope="col">{h}</th>)}
        </tr>
      </thead>
      <tbody>
        {TABLES.map((table) => (
          <tr key={table}>
            <th scope="row">{table}</th>
            {HOOKS.map((hook) => {
              if (!cellExists(hook, table)) {
                return (
                  <td key={hook} className="flow-cell is-missing">
                    <span aria-hidden="true">—</span>
                    <span className="sr-only">{t('flowCellMissing')}</span>
                  </td>
                );
              }
              const c = byKey.get(`${hook}/${table}`);
              if (!c) {
                return (
                  <td key={hook} className="flow-cell">
                    <span className="sr-only">{t('flowCellUnused')}</span>
                  </td>
                );
              }
              const label = t(c.state === 'current' ? 'flowCellCurrent' : c.state === 'passed' ? 'flowCellPassed' : 'flowCellAhead', { order: c.order });
              const to = firstHop(hook, table);
              return (
                <td key={hook} className={`flow-cell is-${c.state}`} aria-current={c.state === 'current' ? 'step' : undefined}>
                  <button type="button" className="flow-cell-btn" onClick={() => to >= 0 && onStep(to)} aria-label={`${table} ${hook}: ${label}`} title={label}>
                    <span className="flow-order" aria-hidden="true">{CIRCLED[c.order - 1] ?? c.order}</span>
                    <span className="flow-cell-state" aria-hidden="true">{c.state === 'current' ? '▶' : c.state === 'passed' ? '✓' : '…'}</span>
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Breadcrumb({ frames, verdict, t }: { frames: Frame[]; verdict: string; t: T }) {
  if (frames.length === 0) return null;
  const next = verdict.startsWith('JUMP:') ? verdict.slice(5) : null;
  return (
    <nav className="flow-crumbs" aria-label={t('flowChainPath')}>
      <span className="flow-crumbs-label">{t('flowChainPath')}</span>
      <ol>
        {frames.map((f, i) => (
          <li key={`${i}-${f.chain}`} aria-current={i === frames.length - 1 ? 'location' : undefined} className={i === frames.length - 1 ? 'is-current' : undefined}>
            <code>{f.chain}</code>
          </li>
        ))}
        {next && (
          <li className="is-next">
            <code>{next}</code>
          </li>
        )}
      </ol>
    </nav>
  );
}

export function ChangeBadges({ changes, t }: { changes: Change[]; t: T }) {
  if (changes.length === 0) return <span className="flow-badge is-none">{t('flowNoChange')}</span>;
  return (
    <>
      {changes.map((c, i) => (
        <span key={i} className={`flow-badge is-${c.kind.toLowerCase()}`}>
          <strong>{c.kind}</strong> <code>{c.from}</code> <span aria-hidden="true">→</span>
          <span className="sr-only"> → </span> <code>{c.to}</code>
        </span>
      ))}
    </>
  );
}

function Changes({ changes, t }: { changes: Change[]; t: T }) {
  return (
    <div className="flow-changes" aria-label={t('flowChanges')}>
      <ChangeBadges changes={changes} t={t} />
    </div>
  );
}

function Fork({ frames, listingOf, path, step, t }: {
  frames: Frame[];
  listingOf: (chain: string) => ChainListing | null | undefined;
  path: TracePath;
  step: number;
  t: T;
}) {
  // The nearest chain on the stack (current first) whose rules fork at random.
  const hop = path.hops[step];
  for (let i = frames.length - 1; i >= 0; i--) {
    const l = listingOf(frames[i].chain);
    if (!l) continue;
    const branches = statisticFork(l.rules);
    if (branches.length === 0) continue;
    let chosen: number | null = null;
    if (i === frames.length - 1 && hop.kind === 'netfilter') chosen = hop.ruleIndex ?? null;
    for (const [idx] of frames[i].matched) if (branches.some((b) => b.index === idx)) chosen = idx;
    return <ForkTable chain={frames[i].chain} branches={branches} chosen={chosen} t={t} />;
  }
  return null;
}

function ForkTable({ chain, branches, chosen, t }: { chain: string; branches: Branch[]; chosen: number | null; t: T }) {
  return (
    <figure className="flow-fork">
      <figcaption>
        {t('flowForkHeading')} · <code>{chain}</code>
      </figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('flowForkBranch')}</th>
            <th scope="col">{t('flowForkConditional')}</th>
            <th scope="col">{t('flowForkEffective')}</th>
          </tr>
        </thead>
        <tbody>
          {branches.map((b, i) => {
            const isChosen = b.index === chosen;
            return (
              <tr key={b.index} className={isChosen ? 'is-chosen' : undefined}>
                <th scope="row">
                  <span className="flow-fork-n">{i + 1}.</span> <code>{b.endpoint ?? b.target}</code>
                  {isChosen && <span className="flow-fork-chosen"> ◀ {t('flowForkChosen')}</span>}
                </th>
                <td>{b.conditional === null ? t('flowForkRest') : fraction(b.conditional)}</td>
                <td>
                  <span className="flow-fork-bar" aria-hidden="true"><span style={{ width: `${Math.max(2, b.effective * 100)}%` }} /></span>
                  {percent(b.effective)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

const STATE_MARK: Record<RuleState, string> = { 'no-match': '✗', matched: '✓', current: '▶', pending: '·' };
const STATE_KEY: Record<RuleState, MessageKey> = { 'no-match': 'flowRuleNoMatch', matched: 'flowRuleMatched', current: 'flowRuleCurrent', pending: 'flowRulePending' };
/** Long chains (KUBE-SERVICES with thousands of Services) show a window around the current rule. */
const WINDOW = 40;

function Rules({ path, step, listing, t }: { path: TracePath; step: number; listing: ChainListing | null | undefined; t: T }) {
  const hop = path.hops[step];
  const current = useRef<HTMLLIElement>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    // Scroll inside the list only (not the page).
    const el = current.current;
    const box = list.current;
    if (!el || !box) return;
    const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (top < box.scrollTop || top + el.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }, [step, listing]);
  if (hop.kind !== 'netfilter') return null;
  const heading = t('flowRulesHeading', { table: hop.table, chain: hop.chain });
  if (listing === undefined) return <p className="flow-rules-status muted" role="status">{t('flowRulesLoading')}</p>;
  if (listing === null) return <p className="flow-rules-status muted">{t('flowRulesMissing', { node: hop.node })}</p>;
  const states = ruleStates(path, step, listing.rules.length);
  const at = hop.ruleIndex ?? (hop.rule === null ? listing.rules.length : -1);
  const shown = (i: number) => listing.rules.length <= WINDOW * 2 + 6 || i < 3 || Math.abs(i - at) <= WINDOW || i >= listing.rules.length - 2;
  const items: ReactElement[] = [];
  let gap = 0;
  const flushGap = (key: string) => {
    if (gap > 0) items.push(<li key={key} className="flow-rule is-gap" aria-hidden="false">⋯ {gap}</li>);
    gap = 0;
  };
  listing.rules.forEach((r, i) => {
    if (!shown(i)) { gap++; return; }
    flushGap(`gap-${i}`);
    const s = states[i];
    items.push(
      <li key={i} ref={s === 'current' ? current : undefined} className={`flow-rule is-${s}`} aria-current={s === 'current' ? 'true' : undefined}>
        <span className="flow-rule-n">{i + 1}</span>
        <span className="flow-rule-mark" title={t(STATE_KEY[s])}>
          <span aria-hidden="true">{STATE_MARK[s]}</span> <span className="flow-rule-state">{t(STATE_KEY[s])}</span>
        </span>
        <code className="flow-rule-text">{r}</code>
      </li>,
    );
  });
  flushGap('gap-end');
  const policyCurrent = hop.rule === null;
  return (
    <section className="flow-rules" aria-label={heading}>
      <h3>{heading}</h3>
      <ol ref={list} className="flow-rule-list">
        {items}
        {listing.policy && (
          <li ref={policyCurrent ? current : undefined} className={`flow-rule is-policy${policyCurrent ? ' is-current' : ''}`} aria-current={policyCurrent ? 'true' : undefined}>
            <span className="flow-rule-n" />
            <span className="flow-rule-mark">
              <span aria-hidden="true">{policyCurrent ? '▶' : ''}</span> <span className="flow-rule-state">{t('flowPolicy')}</span>
            </span>
            <code className="flow-rule-text">{listing.policy.startsWith('-P ') ? listing.policy : `-P ${listing.chain} ${listing.policy}`}</code>
          </li>
        )}
      </ol>
    </section>
  );
}

/**
 * nftables mode: the set or verdict map a rule looked up, as `nft list map` prints it, with the
 * element the packet's key matched marked (address . protocol . port, or just the address).
 */
function NftLookup({ name, listing, packet, t }: { name: string; listing: ChainListing | null | undefined; packet: { dst: string; dport: number }; t: T }) {
  if (!listing) return null;
  const keys = [`${packet.dst} . tcp . ${packet.dport} :`, `${packet.dst} . udp . ${packet.dport} :`, `${packet.dst} . sctp . ${packet.dport} :`];
  const hit = (line: string) => keys.some((k) => line.includes(k));
  return (
    <details className="flow-nft-lookup" open data-testid="flow-nft-lookup">
      <summary>{t('flowNftLookup', { name: name.slice(1) })}</summary>
      <pre>{listing.rules.map((line, i) => <span key={i} className={hit(line) ? 'is-hit' : undefined}>{hit(line) ? '▶ ' : '  '}{line}{'\n'}</span>)}</pre>
    </details>
  );
}
