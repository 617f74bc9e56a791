// The IPVS step of a trace, drawn as ipvsadm would list it: the address on kube-ipvs0, the
// virtual server with its scheduler, each real server with its weight and connection counters
// as the scheduler saw them, the one it chose (marked by text and an arrow, not colour alone)
// and why, in the scheduler's own terms.
import type { IpvsHop } from '../../sim/network/trace-types';
import { pickBi } from '../inspector/glossary';
import type { Lang, MessageKey, Vars } from '../i18n';

type T = (key: MessageKey, vars?: Vars) => string;

export function IpvsBlock({ hop, lang, t }: { hop: IpvsHop; lang: Lang; t: T }) {
  const v = hop.virtualServer;
  const d = hop.decision;
  return (
    <div className="flow-ipvs" data-testid="flow-ipvs">
      <p className="flow-ipvs-dummy">
        <code>kube-ipvs0</code> · <code>{v.vip}/32</code> — {t('flowIpvsLocal', { hook: hop.hook })}
      </p>
      <pre className="flow-ipvs-list" aria-label={t('flowIpvsList')}>
        {'Prot LocalAddress:Port Scheduler Flags\n'}
        {'  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n'}
        {`${v.proto}  ${`${v.vip}:${v.port}`.padEnd(22)} ${v.scheduler}${v.persistent ? ` persistent ${v.persistent}` : ''}\n`}
        {d.table.map((r, i) => `${i === d.index ? '▶' : ' '} -> ${`${r.ip}:${r.port}`.padEnd(28)} Masq    ${String(r.weight).padEnd(6)} ${String(r.active).padEnd(10)} ${r.inactive}${i === d.index ? `   ◀ ${t('flowIpvsChosen')}` : ''}\n`).join('')}
      </pre>
      <p className="flow-ipvs-why">{pickBi(d.why, lang)}</p>
    </div>
  );
}
