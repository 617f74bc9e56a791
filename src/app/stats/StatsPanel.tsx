// Statistics: make the followed connection N times and see where the requests went, bar by
// bar against each endpoint's share of the statistic split — the answer to "why do all my
// requests hit one pod" (keep-alive connections, session affinity).
import { useState } from 'react';
import type { ConnectionStats } from '../store';
import { fillIn, pick, type Lang } from '../i18n';

const T = {
  heading: { en: 'Statistics', zh: '统计' },
  requests: { en: 'Requests', zh: '请求数' },
  perConnection: { en: 'Requests per connection', zh: '每个连接的请求数' },
  newEach: { en: '1 (a new connection per request)', zh: '1（每个请求新建连接）' },
  keepAlive: { en: '{n} (keep-alive)', zh: '{n}（长连接 keep-alive）' },
  send: { en: 'Send', zh: '发送' },
  affinity: { en: 'sessionAffinity: ClientIP on {svc}', zh: '在 {svc} 上开启 sessionAffinity: ClientIP' },
  none: { en: 'Follow a packet first, then send many.', zh: '请先发送一个数据包，再批量发送。' },
  observed: { en: 'observed', zh: '实际' },
  expected: { en: 'expected', zh: '期望' },
  summary: { en: '{requests} requests over {connections} connections', zh: '{requests} 个请求，{connections} 个连接' },
  why: {
    en: 'kube-proxy picks an endpoint per connection, not per request: a kept-alive connection, or a client pinned by sessionAffinity: ClientIP, sends everything to one pod.',
    zh: 'kube-proxy 按连接而不是按请求选择后端：长连接（keep-alive）或被 sessionAffinity: ClientIP 固定的客户端，会把所有请求都发给同一个 Pod。',
  },
};


export interface StatsPanelProps {
  stats: ConnectionStats | null;
  enabled: boolean;
  lang: Lang;
  onSample(requests: number, requestsPerConnection: number): void;
  /** The Service the followed packet goes to, and whether it pins clients (sessionAffinity). */
  service?: { name: string; affinity: boolean };
  onAffinity?(on: boolean): void;
}

export function StatsPanel({ stats, enabled, lang, onSample, service, onAffinity }: StatsPanelProps) {
  const [requests, setRequests] = useState(1000);
  const [perConnection, setPerConnection] = useState(1);
  const keys = stats ? [...new Set([...Object.keys(stats.expected), ...Object.keys(stats.tally)])].sort() : [];
  const max = stats ? Math.max(1e-9, ...keys.map((k) => Math.max((stats.tally[k] ?? 0) / stats.requests, stats.expected[k] ?? 0))) : 1;
  return (
    <section className="stats" aria-labelledby="stats-heading">
      <h2 id="stats-heading">{pick(T.heading, lang)}</h2>
      <form className="stats-controls" onSubmit={(e) => { e.preventDefault(); onSample(requests, perConnection); }}>
        <label>
          {pick(T.requests, lang)}{' '}
          <select value={requests} onChange={(e) => setRequests(Number(e.target.value))} disabled={!enabled}>
            {[100, 1000, 10_000, 100_000].map((n) => <option key={n} value={n}>{n.toLocaleString('en')}</option>)}
          </select>
        </label>
        <label>
          {pick(T.perConnection, lang)}{' '}
          <select value={perConnection} onChange={(e) => setPerConnection(Number(e.target.value))} disabled={!enabled}>
            <option value={1}>{pick(T.newEach, lang)}</option>
            {[10, 100].map((n) => <option key={n} value={n}>{fillIn(pick(T.keepAlive, lang), { n })}</option>)}
          </select>
        </label>
        {service && onAffinity && (
          <label>
            <input type="checkbox" checked={service.affinity} onChange={(e) => onAffinity(e.target.checked)} data-testid="stats-affinity" />{' '}
            {fillIn(pick(T.affinity, lang), { svc: service.name })}
          </label>
        )}
        <button type="submit" disabled={!enabled} data-testid="stats-send">{pick(T.send, lang)}</button>
      </form>
      {!stats ? <p className="stats-empty">{pick(T.none, lang)}</p> : (
        <>
          <p className="stats-summary" data-testid="stats-summary">
            {fillIn(pick(T.summary, lang), { requests: stats.requests.toLocaleString('en'), connections: (stats.requests / stats.requestsPerConnection).toLocaleString('en') })}
          </p>
          <table className="stats-table" data-testid="stats-table">
            <thead>
              <tr><th scope="col">endpoint</th><th scope="col">{pick(T.observed, lang)}</th><th scope="col">{pick(T.expected, lang)}</th><th scope="col" aria-hidden="true" /></tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const observed = (stats.tally[k] ?? 0) / stats.requests;
                const expected = stats.expected[k] ?? 0;
                return (
                  <tr key={k} data-endpoint={k} data-observed={observed.toFixed(4)} data-expected={expected.toFixed(4)}>
                    <th scope="row"><code>{k}</code></th>
                    <td>{(stats.tally[k] ?? 0).toLocaleString('en')} ({(observed * 100).toFixed(1)}%)</td>
                    <td>{(expected * 100).toFixed(1)}%</td>
                    <td className="stats-bar-cell">
                      <svg className="stats-bar" viewBox="0 0 200 20" width="200" height="20" role="img" aria-label={`${(observed * 100).toFixed(1)}% / ${(expected * 100).toFixed(1)}%`}>
                        <rect x="0" y="3" width={(observed / max) * 196} height="14" className="stats-bar-observed" />
                        <line x1={(expected / max) * 196} x2={(expected / max) * 196} y1="0" y2="20" className="stats-bar-expected" strokeDasharray="3 2" />
                      </svg>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="stats-why">{pick(T.why, lang)}</p>
        </>
      )}
    </section>
  );
}
