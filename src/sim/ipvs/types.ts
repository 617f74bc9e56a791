// The kernel's IPVS as plain data: virtual servers with their real servers (what kube-proxy
// programs, rebuilt from the cluster at every change), and the per-node state the kernel
// accumulates while traffic flows (scheduler positions, connection counters, the connection
// table with persistence templates, statistics). Everything is JSON-serialisable.

export type IpvsProto = 'TCP' | 'UDP' | 'SCTP';

export interface RealServer {
  ip: string;
  port: number;
  /** 0 = quiesced: kept for its connections, never scheduled (kube-proxy's graceful termination). */
  weight: number;
}

export interface VirtualServer {
  proto: IpvsProto;
  vip: string;
  port: number;
  /** rr wrr lc wlc sed nq sh dh mh (lblc/lblcr/fo/ovf/twos are not simulated: treated as rr). */
  scheduler: string;
  /** sessionAffinity ClientIP: the persistence timeout in seconds (netmask always /32). */
  persistentTimeout?: number;
  /**
   * Real servers in the kernel's destination-list order, which is what rr/wrr/lc… walk. (The
   * kernel prepends each new destination and kube-proxy adds them in Go-map order, so the real
   * order is arbitrary; the simulator keeps kube-proxy's sorted endpoint order.)
   */
  reals: RealServer[];
  kind: 'clusterIP' | 'nodePort' | 'externalIP' | 'loadBalancer';
  /** ns/name */
  service: string;
  /** The Service port's name ('' when unnamed). */
  servicePort: string;
  /** IP_VS_SVC_F_SCHED1..3 (sh-fallback/sh-port, mh-fallback/mh-port). kube-proxy sets 0x10 (mh-port) with mh. */
  schedFlags?: number;
}

export const IP_VS_SVC_F_PERSISTENT = 0x1;
export const IP_VS_SVC_F_SCHED1 = 0x8;
export const IP_VS_SVC_F_SCHED2 = 0x10;
export const IP_VS_SVC_F_SCHED3 = 0x20;

/** Counters of `ipvsadm --stats`, with the rate estimator behind `--rate`. */
export interface IpvsStats {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
  /** ip_vs_est.c's estimator: last 2-second tick (ms), counters then, and the smoothed rates (kernel fixed point). */
  est: { tick: number; last: [number, number, number, number, number]; cps: number; inpps: number; outpps: number; inbps: number; outbps: number };
}

export interface RealState {
  /** Connections in ESTABLISHED (TCP). */
  active: number;
  /** All other connection entries still in the table (SYN_RECV, FIN_WAIT, TIME_WAIT…; every UDP one). */
  inactive: number;
  /** Persistence templates pointing here (`--persistent-conn`). */
  persist: number;
  stats: IpvsStats;
}

export interface VsState {
  /** rr: the destination chosen last (`svc->sched_data`); null = the list head. */
  rr?: { last: string | null; index: number };
  /** wrr: ip_vs_wrr_mark (cl as a real key, null = head) and the weights it was computed for. */
  wrr?: { cl: string | null; index: number; cw: number; mw: number; di: number; weights: string };
  reals: Record<string, RealState>;
  stats: IpvsStats;
}

export type IpvsConnState = 'NONE' | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT' | 'TIME_WAIT' | 'CLOSE' | 'CLOSE_WAIT' | 'LAST_ACK' | 'LISTEN' | 'SYNACK' | 'UDP' | 'SCTP';

/** One entry of the connection table (/proc/net/ip_vs_conn), a connection or a persistence template. */
export interface IpvsConn {
  proto: IpvsProto;
  cip: string;
  cport: number;
  vip: string;
  vport: number;
  dip: string;
  dport: number;
  state: IpvsConnState;
  /** Clock (ms) the entry expires. */
  expires: number;
  /** A persistence template (client IP → real server), cport 0, state NONE. */
  template?: boolean;
  /** Counted in its real's ActiveConn (else InActConn). */
  active?: boolean;
  /** A template's timeout (s): it is re-armed for that long while its connections live. */
  timeout?: number;
}

export interface IpvsState {
  /** Keyed by `PROTO VIP:PORT` (vsKey). */
  services: Record<string, VsState>;
  /** The connection table (connections and persistence templates). */
  conns: IpvsConn[];
  /** The earliest `expires` in `conns` (a lower bound), so expire() can return at once. */
  nextExpiry?: number;
}

export interface ScheduleRow {
  ip: string;
  port: number;
  weight: number;
  active: number;
  inactive: number;
  /** lc/wlc: active×256 + inactive; sed/nq: active + 1. */
  overhead?: number;
  /** sh/dh/mh: how many table buckets this real owns. */
  hash?: number;
}

export interface ScheduleResult {
  real: RealServer | null;
  /** Index into vs.reals. */
  index: number | null;
  why: { en: string; zh: string };
  table: ScheduleRow[];
  /** The choice came from a persistence template (sessionAffinity: ClientIP). */
  persistent?: boolean;
  /** sh/dh/mh: the bucket the hash selected. */
  bucket?: number;
}

export function vsKey(vs: { proto: IpvsProto; vip: string; port: number }): string {
  return `${vs.proto} ${vs.vip}:${vs.port}`;
}

export function realKey(r: { ip: string; port: number }): string {
  return `${r.ip}:${r.port}`;
}
