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

// Parsed forms are cached: a packet's walk through 20,000 KUBE-SERVICES rules compares the
// same few addresses against the same CIDRs over and over.
const cidrs = new Map<string, { base: number; size: number } | null>();
const ips = new Map<string, number>();

export function inCidr(ip: string, cidr: string): boolean {
  let c = cidrs.get(cidr);
  if (c === undefined) {
    const [base, bitsText] = cidr.split('/');
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    const b = ipToNumber(base);
    c = Number.isNaN(b) ? null : { base: bits === 0 ? 0 : Math.floor(b / 2 ** (32 - bits)), size: 2 ** (32 - bits) };
    if (cidrs.size > 100_000) cidrs.clear();
    cidrs.set(cidr, c);
  }
  if (!c) return false;
  let a = ips.get(ip);
  if (a === undefined) {
    a = ipToNumber(ip);
    if (ips.size > 100_000) ips.clear();
    ips.set(ip, a);
  }
  if (Number.isNaN(a)) return false;
  return c.size === 2 ** 32 ? true : Math.floor(a / c.size) === c.base;
}
