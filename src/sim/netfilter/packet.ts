// A packet as netfilter sees it, and the connection-tracking facts its matches read.

export type Proto = 'tcp' | 'udp' | 'sctp' | 'icmp';

export interface Packet {
  proto: Proto;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** skb->mark */
  mark: number;
  /** Interfaces as the hook sees them (PREROUTING has only `in`, OUTPUT only `out`). */
  in?: string;
  out?: string;
}

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export interface ConnInfo {
  state: CtState;
  /** The connection's destination was rewritten (conntrack's virtual DNAT state). */
  dnat: boolean;
  snat: boolean;
}

export interface PacketFields {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  mark: string;
}

export function fieldsOf(p: Packet): PacketFields {
  return { src: p.src, sport: p.sport, dst: p.dst, dport: p.dport, mark: `0x${p.mark.toString(16)}` };
}

export function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) return NaN;
  return parts.reduce((a, x) => a * 256 + Number(x), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipToNumber(ip), b = ipToNumber(base);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (bits === 0) return true;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}
