// The inspector: everything about the selected hop. For a netfilter rule, the packet before and
// after (changed fields marked with colour, bold and "→"), the conntrack state, and the rule as
// tokens, each explained in the UI language on hover or keyboard focus (see glossary.ts); for
// the other hops (route, VXLAN encap, conntrack de-NAT, deliver) a panel of their own.
import { useState } from 'react';
import type { DnsHop, DnsLookup, DnsRecord, EncapHop, Hop, IpvsHop, NetfilterHop } from '../../sim/network/trace-types';
import { LANG_TAG, translate, type Lang, type MessageKey, type Vars } from '../i18n';
import { ChangeBadges } from '../flow/DataplaneView';
import {
  FIELDS, changedFields, changesOf, clampStep, ctState, directionLabel, hopLabel, pathOf, stepSummary,
  type PacketFields, type Trace, type TracePath,
} from '../flow/steps';
import { explainRule, pickBi, type Explained } from './glossary';
import { explainNftRule } from './nft-glossary';

export interface InspectorProps {
  trace: Trace | null;
  pathIndex: number;
  step: number;
  lang: Lang;
  /** Opens the YAML of the Service a rule belongs to (`namespace/name`). */
  onShowSource: (service: string) => void;
}

type T = (key: MessageKey, vars?: Vars) => string;

export function Inspector({ trace, pathIndex, step, lang, onShowSource }: InspectorProps) {
  const t: T = (key, vars) => translate(lang, key, vars);
  const path = trace ? pathOf(trace, pathIndex) : null;
  const s = path ? clampStep(path, step) : 0;
  const hop = path?.hops[s];
  return (
    <section className="insp" aria-labelledby="insp-heading" lang={LANG_TAG[lang]}>
      <div className="insp-head">
        <h2 id="insp-heading">{t('inspHeading')}</h2>
        {path && hop && (
          <span className="insp-where">
            {t('inspStep', { n: s + 1, total: path.hops.length })} · <strong>{hop.node}</strong> · {directionLabel(hop.direction, lang)}
          </span>
        )}
      </div>
      {!path || !hop ? (
        <p className="muted">{t('inspNothing')}</p>
      ) : (
        hop.kind === 'dns'
          ? <DnsPanel key={`${pathIndex}/${s}`} hop={hop} lookup={trace?.dns} lang={lang} t={t} />
          : <HopPanel key={`${pathIndex}/${s}`} path={path} step={s} hop={hop} lang={lang} t={t} onShowSource={onShowSource} />
      )}
    </section>
  );
}

function HopPanel({ path, step, hop, lang, t, onShowSource }: { path: TracePath; step: number; hop: Hop; lang: Lang; t: T; onShowSource: (s: string) => void }) {
  switch (hop.kind) {
    case 'netfilter':
      return <NetfilterPanel path={path} step={step} hop={hop} lang={lang} t={t} onShowSource={onShowSource} />;
    case 'route':
      return (
        <div className="insp-panel insp-route">
          <h3>{t('inspRoute')}</h3>
          <p className="insp-summary">{stepSummary(hop, lang)}</p>
          <dl className="insp-facts">
            <dt>{t('inspIface')}</dt>
            <dd><code>{hop.iface}</code></dd>
          </dl>
          <PacketTable before={hop.packet} after={hop.packet} ct={ctState(path, step)} t={t} />
        </div>
      );
    case 'encap':
      return <EncapPanel hop={hop} lang={lang} t={t} />;
    case 'conntrack':
      return (
        <div className="insp-panel insp-conntrack">
          <h3>{t('inspConntrack')} · <code>{hop.action}</code></h3>
          <p className="insp-summary">{stepSummary(hop, lang)}</p>
          <div className="insp-badges"><ChangeBadges changes={changesOf(hop)} t={t} /></div>
          <PacketTable before={hop.before} after={hop.after} ct={ctState(path, step)} t={t} />
        </div>
      );
    case 'dns':
      return <DnsPanel hop={hop} lang={lang} t={t} />;
    case 'ipvs':
      return <IpvsPanel hop={hop} lang={lang} t={t} />;
    case 'deliver':
      return (
        <div className="insp-panel insp-deliver">
          <h3>{t('inspDeliver')} · <code>{hop.to}</code></h3>
          <p className="insp-summary">{stepSummary(hop, lang)}</p>
          <PacketTable before={hop.packet} after={hop.packet} ct={ctState(path, step)} t={t} />
        </div>
      );
  }
}

/** IPVS: the virtual server, each real server as the scheduler saw it, the one it chose and why. */
function IpvsPanel({ hop, lang, t }: { hop: IpvsHop; lang: Lang; t: T }) {
  const v = hop.virtualServer;
  const d = hop.decision;
  const extra = d.table.some((r) => r.overhead !== undefined) ? 'overhead' : d.table.some((r) => r.hash !== undefined) ? 'hash' : null;
  return (
    <div className="insp-panel insp-ipvs">
      <h3>IPVS · <code>{hop.hook}</code> · <code>{v.proto} {v.vip}:{v.port} {v.scheduler}{v.persistent ? ` persistent ${v.persistent}` : ''}</code></h3>
      <p className="insp-summary">{stepSummary(hop, lang)}</p>
      <p className="insp-ipvs-why">{pickBi(d.why, lang)}</p>
      <table className="insp-packet insp-ipvs-table">
        <caption>{t('inspIpvsReals', { service: v.service })}</caption>
        <thead>
          <tr><th scope="col">{t('inspIpvsReal')}</th><th scope="col">Weight</th><th scope="col">ActiveConn</th><th scope="col">InActConn</th>{extra && <th scope="col">{extra}</th>}</tr>
        </thead>
        <tbody>
          {d.table.map((r, i) => (
            <tr key={`${r.ip}:${r.port}`} className={i === d.index ? 'is-changed' : undefined} aria-current={i === d.index ? 'true' : undefined}>
              <th scope="row"><code>{i === d.index ? '→ ' : ''}{r.ip}:{r.port}</code>{i === d.index && <span className="sr-only"> {t('inspIpvsChosen')}</span>}</th>
              <td>{r.weight}</td><td>{r.active}</td><td>{r.inactive}</td>{extra && <td>{extra === 'overhead' ? r.overhead : r.hash}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <PacketTable before={hop.before} after={hop.after} ct={null} t={t} />
    </div>
  );
}

/** A record in dig's order: owner, TTL, class, type, data. */
const rrLine = (r: DnsRecord) => `${r.name} ${r.ttl} IN ${r.type} ${r.data}`;

/** The DNS message beside the datagram: the question, and (once answered) status, answer and authority. */
function DnsPanel({ hop, lookup, lang, t }: { hop: DnsHop; lookup?: DnsLookup; lang: Lang; t: T }) {
  const q = hop.query;
  const answered = hop.stage !== 'query';
  const index = lookup ? lookup.queries.indexOf(q) : -1;
  const attempt = lookup ? lookup.queries.findIndex((x) => x.qname === q.qname && x.qtype === q.qtype) : -1;
  return (
    <div className="insp-panel insp-dns">
      <h3>{t('inspDns')} · <code>{hop.stage}</code></h3>
      <p className="insp-summary">{stepSummary(hop, lang)}</p>
      {lookup && (
        <p className="insp-dns-resolver">
          {t('inspDnsResolver', { name: lookup.name, server: lookup.nameserver, search: lookup.search.join(' ') || '—', ndots: lookup.ndots, n: (index >= 0 ? index : attempt) + 1, total: lookup.queries.length })}
        </p>
      )}
      <pre className="insp-dns-message" aria-label={t('inspDnsMessage')}>
        {answered
          ? `;; ->>HEADER<<- opcode: QUERY, status: ${q.rcode}\n`
          : `;; ${t('inspDnsPending')}\n`}
        {`\n;; QUESTION SECTION:\n;${q.qname} IN ${q.qtype}\n`}
        {answered && q.answer.length > 0 && `\n;; ANSWER SECTION:\n${q.answer.map(rrLine).join('\n')}\n`}
        {answered && q.authority.length > 0 && `\n;; AUTHORITY SECTION:\n${q.authority.map(rrLine).join('\n')}\n`}
      </pre>
      <PacketTable before={hop.packet} after={hop.packet} ct={null} t={t} />
    </div>
  );
}

function NetfilterPanel({ path, step, hop, lang, t, onShowSource }: { path: TracePath; step: number; hop: NetfilterHop; lang: Lang; t: T; onShowSource: (s: string) => void }) {
  return (
    <div className="insp-panel insp-netfilter">
      <h3>
        <code>{hopLabel(hop, lang)}</code> <span className={`insp-verdict is-${hop.verdict.split(':')[0].toLowerCase()}`}>{t('inspVerdict')}: <code>{hop.verdict}</code></span>
      </h3>
      <p className="insp-summary">{stepSummary(hop, lang)}</p>
      {(hop.service || hop.endpoint) && (
        <p className="insp-links">
          {hop.service && (
            <button type="button" className="insp-source" onClick={() => onShowSource(hop.service!)}>
              {t('inspFromService', { service: hop.service })}
            </button>
          )}
          {hop.endpoint && <span className="insp-endpoint">{t('inspEndpoint', { endpoint: hop.endpoint })}</span>}
        </p>
      )}
      <PacketTable before={hop.before} after={hop.after} ct={ctState(path, step)} t={t} />
      {hop.rule === null ? (
        <p className="insp-policy">{t('inspPolicyText', { chain: hop.chain, policy: hop.verdict.replace(/^POLICY:/, '') })}</p>
      ) : (
        <RuleTokens rule={hop.rule} nft={hop.table === 'ip kube-proxy'} lang={lang} t={t} />
      )}
    </div>
  );
}

/** Before/after of the packet; changed rows are marked with colour, bold and "→" (and a word for screen readers). */
export function PacketTable({ before, after, ct, t }: { before: PacketFields; after: PacketFields; ct: string | null; t: T }) {
  const changed = new Set(changedFields(before, after));
  return (
    <table className="insp-packet">
      <caption>{t('inspPacket')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('inspField')}</th>
          <th scope="col">{t('inspBefore')}</th>
          <th scope="col" aria-hidden="true" />
          <th scope="col">{t('inspAfter')}</th>
        </tr>
      </thead>
      <tbody>
        {FIELDS.map((f) => {
          const c = changed.has(f);
          return (
            <tr key={f} className={c ? 'is-changed' : undefined}>
              <th scope="row"><code>{f}</code></th>
              <td><code>{String(before[f])}</code></td>
              <td className="insp-arrow" aria-hidden="true">{c ? '→' : ''}</td>
              <td>
                {c ? <strong><code>{String(after[f])}</code></strong> : <code>{String(after[f])}</code>}
                {c && <span className="insp-changed-tag">{t('inspChanged')}</span>}
              </td>
            </tr>
          );
        })}
        {ct && (
          <tr className="insp-ct">
            <th scope="row">{t('inspCtState')}</th>
            <td colSpan={3}><code>{ct}</code></td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** The default token to explain: the rule's target, which says what the rule does. */
function defaultToken(tokens: Explained[]): number {
  const j = tokens.findIndex((x) => x.text === '-j');
  return j >= 0 && j + 1 < tokens.length ? j + 1 : 0;
}

function RuleTokens({ rule, nft = false, lang, t }: { rule: string; nft?: boolean; lang: Lang; t: T }) {
  const tokens = nft ? explainNftRule(rule) : explainRule(rule);
  const [active, setActive] = useState(() => defaultToken(tokens));
  const cur = tokens[Math.min(active, tokens.length - 1)];
  const explainId = 'insp-explain';
  return (
    <div className="insp-rule">
      <h4>{t('inspRule')}</h4>
      <p className="insp-hint muted">{t('inspRuleHint')}</p>
      <code className="insp-rule-text">
        {tokens.map((x, i) => (
          <span key={i}>
            {i > 0 ? ' ' : ''}
            <span
              className={`insp-tok is-${x.role}${x.known ? '' : ' is-unknown'}${i === active ? ' is-active' : ''}`}
              tabIndex={0}
              title={pickBi(x, lang)}
              aria-describedby={i === active ? explainId : undefined}
              onMouseEnter={() => setActive(i)}
              onFocus={() => setActive(i)}
            >
              {x.raw}
            </span>
          </span>
        ))}
      </code>
      {cur && (
        <div id={explainId} className={`insp-explain${cur.known ? '' : ' is-unknown'}`} aria-live="polite">
          <code className="insp-explain-tok">{cur.raw}</code>
          {!cur.known && <span className="insp-unknown-tag">{t('inspUnknownToken')}</span>}
          <p>{pickBi(cur, lang)}</p>
        </div>
      )}
      <details className="insp-all">
        <summary>{t('inspExplainAll')}</summary>
        <dl>
          {tokens.map((x, i) => (
            <div key={i} className={x.known ? undefined : 'is-unknown'}>
              <dt><code>{x.raw}</code></dt>
              <dd>{pickBi(x, lang)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}

function EncapPanel({ hop, lang, t }: { hop: EncapHop; lang: Lang; t: T }) {
  const p = hop.packet;
  return (
    <div className="insp-panel insp-encap">
      <h3>{t('inspEncap')} · <code>{hop.node} → {hop.to}</code></h3>
      <p className="insp-summary">{stepSummary(hop, lang)}</p>
      <div className="insp-frame" role="group" aria-label={t('inspOuter')}>
        <div className="insp-layer is-outer-ip">
          <span className="insp-layer-name">IP</span>
          <code>{hop.outer.src} → {hop.outer.dst}</code>
        </div>
        <div className="insp-layer is-outer-udp">
          <span className="insp-layer-name">UDP</span>
          <code>dport {hop.outer.dport}</code>
        </div>
        <div className="insp-layer is-vxlan">
          <span className="insp-layer-name">VXLAN</span>
          <code>VNI {hop.outer.vni}</code>
        </div>
        <div className="insp-layer is-inner" role="group" aria-label={t('inspInner')}>
          <span className="insp-layer-name">{t('inspInner')}</span>
          <code>{p.src}:{p.sport} → {p.dst}:{p.dport}</code>
        </div>
      </div>
      <p className="insp-caption muted">{t('inspOuter')}</p>
    </div>
  );
}
