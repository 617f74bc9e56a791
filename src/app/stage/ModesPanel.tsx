// One YAML, three dataplanes: switch kube-proxy's mode live (the followed packet is traced
// again through the new dataplane), or see its connection in iptables, IPVS and nftables mode
// side by side with what the first packet costs in each — the rules it is compared against
// and the lookups it makes. The simulator computes it all in the worker; this only shows it.
import type { ModeTrace } from '../../worker/protocol';
import type { ProxyMode } from '../../sim/cluster/config';
import { fillIn, pick, type Lang } from '../i18n';

const T = {
  heading: { en: 'Proxy modes', zh: '代理模式' },
  mode: { en: 'kube-proxy mode', zh: 'kube-proxy 模式' },
  compare: { en: 'Compare the three', zh: '三种模式对比' },
  needPacket: { en: 'Follow a packet first, then compare.', zh: '先跟踪一个数据包，再对比。' },
  colMode: { en: 'mode', zh: '模式' },
  colCost: { en: 'rules + lookups for the first packet', zh: '首个数据包经过的规则与查找' },
  colEndpoint: { en: 'endpoint', zh: '后端' },
  colHops: { en: 'steps', zh: '步骤' },
  show: { en: 'Follow in {mode}', zh: '在 {mode} 下跟踪' },
  current: { en: 'current', zh: '当前' },
  why: {
    en: 'iptables compares the packet with KUBE-SERVICES rule by rule, so its cost grows with the number of Services; IPVS looks the virtual server up in a hash table and nftables looks the Service up in a verdict map, so theirs stays flat.',
    zh: 'iptables 模式下数据包要逐条比对 KUBE-SERVICES 的规则，开销随 Service 数量线性增长；IPVS 在哈希表里查找虚拟服务，nftables 在 verdict map 里查找 Service，开销基本不变。',
  },
};

const NAMES: Record<ProxyMode, string> = { iptables: 'iptables', ipvs: 'IPVS', nftables: 'nftables' };

export interface ModesPanelProps {
  lang: Lang;
  mode: ProxyMode;
  modes: ModeTrace[] | null;
  canCompare: boolean;
  onMode(mode: ProxyMode): void;
  onCompare(): void;
}

export function ModesPanel({ lang, mode, modes, canCompare, onMode, onCompare }: ModesPanelProps) {
  return (
    <section className="modes" aria-labelledby="modes-heading" data-testid="modes">
      <h2 id="modes-heading">{pick(T.heading, lang)}</h2>
      <div className="modes-controls">
        <fieldset className="modes-switch">
          <legend>{pick(T.mode, lang)}</legend>
          {(Object.keys(NAMES) as ProxyMode[]).map((m) => (
            <label key={m}>
              <input type="radio" name="proxy-mode" value={m} checked={m === mode} onChange={() => onMode(m)} data-testid={`mode-${m}`} /> {NAMES[m]}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={onCompare} disabled={!canCompare} data-testid="modes-compare">{pick(T.compare, lang)}</button>
        {!canCompare && <span className="muted">{pick(T.needPacket, lang)}</span>}
      </div>
      {modes && (
        <>
          <table className="modes-table" data-testid="modes-table">
            <thead>
              <tr><th scope="col">{pick(T.colMode, lang)}</th><th scope="col">{pick(T.colCost, lang)}</th><th scope="col">{pick(T.colEndpoint, lang)}</th><th scope="col">{pick(T.colHops, lang)}</th><th scope="col"><span className="sr-only">{pick(T.show, lang).replace('{mode}', '')}</span></th></tr>
            </thead>
            <tbody>
              {modes.map((m) => {
                const hops = 'error' in m.trace ? 0 : (m.trace.paths[0]?.hops.length ?? 0);
                const max = Math.max(...modes.map((x) => x.evaluated), 1);
                return (
                  <tr key={m.mode} data-mode={m.mode} data-evaluated={m.evaluated} aria-current={m.mode === mode ? 'true' : undefined}>
                    <th scope="row">{NAMES[m.mode]}{m.mode === mode ? ` (${pick(T.current, lang)})` : ''}</th>
                    <td>
                      <span className="modes-cost">{m.evaluated}</span>
                      <svg className="modes-bar" viewBox="0 0 120 10" width="120" height="10" aria-hidden="true"><rect x="0" y="1" height="8" width={(m.evaluated / max) * 120} /></svg>
                    </td>
                    <td><code>{m.endpoint}</code></td>
                    <td>{hops}</td>
                    <td>{m.mode !== mode && <button type="button" onClick={() => onMode(m.mode)}>{fillIn(pick(T.show, lang), { mode: NAMES[m.mode] })}</button>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="modes-why">{pick(T.why, lang)}</p>
        </>
      )}
    </section>
  );
}
