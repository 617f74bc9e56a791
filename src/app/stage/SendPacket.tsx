// "Send a packet": pick where it starts (a pod, a node, the outside client) and where it goes
// (a Service's ClusterIP, NodePort, LoadBalancer or external IP, its DNS name — or any IP:PORT or NAME:PORT typed in).
import { useEffect, useMemo, useState } from 'react';
import type { ClusterSnapshot } from '../../worker/protocol';
import type { PacketRequest } from '../store';
import { pick, type Lang } from '../i18n';
import { destinations, parseDestination, sources } from './targets';

const T = {
  heading: { en: 'Send a packet', zh: '发送数据包' },
  from: { en: 'From', zh: '从' },
  to: { en: 'To (IP:PORT or NAME:PORT)', zh: '到（IP:端口 或 域名:端口）' },
  send: { en: 'Send', zh: '发送' },
  bad: { en: 'Type IP:PORT or NAME:PORT, e.g. 10.96.0.10:53/udp or demoapp-svc:80', zh: '请输入 IP:端口 或 域名:端口，例如 10.96.0.10:53/udp 或 demoapp-svc:80' },
};

const MAX_CHOICES = 200;

export interface SendPacketProps {
  snapshot: ClusterSnapshot | null;
  lang: Lang;
  /** A source or destination picked on the stage. */
  picked?: { from?: string; to?: string };
  onSend(req: PacketRequest): void;
}

export function SendPacket({ snapshot, lang, picked, onSend }: SendPacketProps) {
  // Capped: thousands of <option>s make React's commit and the layout take seconds on a
  // pasted 5,000-Service cluster; anything else can be typed (To) or clicked on the stage.
  const froms = useMemo(() => (snapshot ? sources(snapshot).slice(0, MAX_CHOICES) : []), [snapshot]);
  const tos = useMemo(() => (snapshot ? destinations(snapshot).slice(0, MAX_CHOICES) : []), [snapshot]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  useEffect(() => { if (!froms.some((f) => f.value === from) && froms[0]) setFrom(froms[0].value); }, [froms, from]);
  useEffect(() => { if (!to && tos[0]) setTo(tos[0].value); }, [tos, to]);
  useEffect(() => { if (picked?.from) setFrom(picked.from); if (picked?.to) setTo(picked.to); }, [picked?.from, picked?.to]);
  const dest = parseDestination(to);
  return (
    <form className="send-packet" aria-label={pick(T.heading, lang)} onSubmit={(e) => { e.preventDefault(); if (dest && from) onSend({ from, to: dest.to, proto: dest.proto }); }}>
      <label>
        {pick(T.from, lang)}{' '}
        <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="packet-from">
          {froms.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
        </select>
      </label>
      <label>
        {pick(T.to, lang)}{' '}
        <input list="packet-destinations" value={to} onChange={(e) => setTo(e.target.value)} data-testid="packet-to" aria-invalid={!dest} size={22} />
        <datalist id="packet-destinations">
          {tos.map((d) => <option key={d.label} value={d.value}>{d.label}</option>)}
        </datalist>
      </label>
      <button type="submit" disabled={!dest || !from} data-testid="packet-send">{pick(T.send, lang)}</button>
      {!dest && to !== '' && <span className="send-packet-bad" role="alert">{pick(T.bad, lang)}</span>}
    </form>
  );
}
