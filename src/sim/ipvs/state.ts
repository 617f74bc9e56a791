// What a node's IPVS remembers between packets: connection entries (and persistence
// templates) with their timeouts, the per-real active/inactive counters derived from them,
// and the statistics ipvsadm --stats / --rate print.
//
// Connection life (ip_vs_proto_tcp.c, NAT forwarding, both directions seen):
//   new connection   entry created INACTIVE (dest->conn_flags carries IP_VS_CONN_F_INACTIVE):
//                    inactconns++; the SYN puts it in SYN_RECV (60 s).
//   handshake done   ESTABLISHED (15 min): the entry turns active: inactconns--, activeconns++.
//   closed           the client's FIN → CLOSE_WAIT, the server's FIN → TIME_WAIT (120 s):
//                    active → inactive; the entry (and the InActConn it counts) lasts until
//                    the TIME_WAIT timeout runs out.
//   UDP              one entry in state UDP for 300 s, counted inactive the whole time.
// Simplification: openConnection jumps straight to ESTABLISHED (the simulator's connections
// complete their handshake at once), closeConnection straight to TIME_WAIT; ipvsadm --set
// timeouts (kube-proxy's tcpTimeout/tcpFinTimeout/udpTimeout) are not applied.
//
// Statistics: conns/packets/bytes per real and per virtual server (ip_vs_stats). The rate
// estimator is ip_vs_est.c's: every 2 s, rate = delta << 9 (packets, conns) or << 4 (bytes),
// avg += (rate - avg) >> 2; ipvsadm shows (avg + 0x1FF) >> 10 and (avg + 0xF) >> 5. The ticks
// are computed lazily (before each counter change and each read), which gives the same numbers
// as a timer, with the ticks aligned to multiples of 2 s of the simulation clock.
import type { IpvsConn, IpvsProto, IpvsState, IpvsStats, RealServer, RealState, VirtualServer, VsState } from './types';
import { realKey, vsKey } from './types';

export const TCP_TIMEOUTS: Record<string, number> = {
  NONE: 2, ESTABLISHED: 900, SYN_SENT: 120, SYN_RECV: 60, FIN_WAIT: 120, TIME_WAIT: 120, CLOSE: 10, CLOSE_WAIT: 60, LAST_ACK: 30, LISTEN: 120, SYNACK: 120,
};
export const UDP_TIMEOUT = 300;
export const SCTP_TIMEOUT = 900;

export function newIpvsState(): IpvsState {
  return { services: {}, conns: [] };
}

function newStats(now: number): IpvsStats {
  return { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0, est: { tick: tickOf(now), last: [0, 0, 0, 0, 0], cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 } };
}

const EST_MS = 2000;
const tickOf = (now: number) => Math.floor(now / EST_MS) * EST_MS;

/** Runs the 2-second estimator ticks up to `now` (ip_vs_est.c). */
export function advanceEstimator(s: IpvsStats, now: number): void {
  const e = s.est;
  const target = tickOf(now);
  const counters: [number, number, number, number, number] = [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes];
  while (e.tick < target) {
    e.tick += EST_MS;
    const d = counters.map((c, i) => c - e.last[i]);
    e.last = [...counters];
    // avg += (rate - avg) >> 2, an arithmetic shift of a signed 64-bit value (floor).
    e.cps += Math.floor((d[0] * 512 - e.cps) / 4);
    e.inpps += Math.floor((d[1] * 512 - e.inpps) / 4);
    e.outpps += Math.floor((d[2] * 512 - e.outpps) / 4);
    e.inbps += Math.floor((d[3] * 16 - e.inbps) / 4);
    e.outbps += Math.floor((d[4] * 16 - e.outbps) / 4);
    // Nothing moving and nothing left to decay: skip the remaining ticks.
    if (d.every((x) => x === 0) && e.cps === 0 && e.inpps === 0 && e.outpps === 0 && e.inbps === 0 && e.outbps === 0) { e.tick = target; break; }
  }
}

/** What ipvsadm --rate prints: CPS, InPPS, OutPPS, InBPS, OutBPS (ip_vs_read_estimator). */
export function readRates(s: IpvsStats, now: number): [number, number, number, number, number] {
  advanceEstimator(s, now);
  const e = s.est;
  const r = (v: number, add: number, shift: number) => Math.max(0, Math.floor((v + add) / 2 ** shift));
  return [r(e.cps, 0x1ff, 10), r(e.inpps, 0x1ff, 10), r(e.outpps, 0x1ff, 10), r(e.inbps, 0xf, 5), r(e.outbps, 0xf, 5)];
}

export function vsState(state: IpvsState, vs: VirtualServer, now = 0): VsState {
  return (state.services[vsKey(vs)] ??= { reals: {}, stats: newStats(now) });
}

export function realState(state: IpvsState, vs: VirtualServer, real: RealServer, now = 0): RealState {
  const v = vsState(state, vs, now);
  return (v.reals[realKey(real)] ??= { active: 0, inactive: 0, persist: 0, stats: newStats(now) });
}

/** The counters ipvsadm shows for a real (zero when nothing was recorded). */
export function realCounters(state: IpvsState, vs: VirtualServer, real: RealServer, now: number): { active: number; inactive: number; persist: number } {
  expire(state, now);
  const r = state.services[vsKey(vs)]?.reals[realKey(real)];
  return { active: r?.active ?? 0, inactive: r?.inactive ?? 0, persist: r?.persist ?? 0 };
}

function sameVs(c: IpvsConn, vs: VirtualServer): boolean {
  return c.proto === vs.proto && c.vip === vs.vip && c.vport === vs.port;
}

// The connection table is a plain array (JSON); lookups go through an index kept beside it
// (rebuilt whenever the array is not the one it was built for), so a statistics run of
// 100,000 connections stays linear.
interface ConnIndex {
  conns: IpvsConn[];
  size: number;
  tuples: Map<string, IpvsConn>;
  templates: Map<string, IpvsConn>;
}
const indexes = new WeakMap<IpvsState, ConnIndex>();
const tupleKey = (c: { proto: string; cip: string; cport: number; vip: string; vport: number }) => `${c.proto} ${c.cip}:${c.cport} ${c.vip}:${c.vport}`;
const templateKey = (proto: string, vip: string, vport: number, cip: string) => `${proto} ${vip}:${vport} ${cip}`;

function connIndex(state: IpvsState): ConnIndex {
  let ix = indexes.get(state);
  if (!ix || ix.conns !== state.conns || ix.size !== state.conns.length) {
    ix = { conns: state.conns, size: state.conns.length, tuples: new Map(), templates: new Map() };
    for (const c of state.conns) {
      if (c.template) ix.templates.set(templateKey(c.proto, c.vip, c.vport, c.cip), c);
      else ix.tuples.set(tupleKey(c), c);
    }
    indexes.set(state, ix);
  }
  return ix;
}

function addConn(state: IpvsState, c: IpvsConn): void {
  const ix = connIndex(state);
  state.conns.push(c);
  ix.size = state.conns.length;
  if (c.template) ix.templates.set(templateKey(c.proto, c.vip, c.vport, c.cip), c);
  else ix.tuples.set(tupleKey(c), c);
  if (state.nextExpiry === undefined || c.expires < state.nextExpiry) state.nextExpiry = c.expires;
}

/** Replaces an entry by one with the same key, in place (its counters are released first). */
function replaceConn(state: IpvsState, old: IpvsConn, c: IpvsConn): IpvsConn {
  dropConn(state, old);
  for (const k of Object.keys(old) as (keyof IpvsConn)[]) delete old[k];
  Object.assign(old, c);
  if (state.nextExpiry === undefined || old.expires < state.nextExpiry) state.nextExpiry = old.expires;
  return old;
}

/** Looks up the live persistence template of `client` on `vs`. */
export function findTemplate(state: IpvsState, vs: VirtualServer, clientIP: string, now: number): IpvsConn | undefined {
  const t = connIndex(state).templates.get(templateKey(vs.proto, vs.vip, vs.port, clientIP));
  return t && t.expires > now ? t : undefined;
}

const protoTimeout = (proto: IpvsProto, st: string) => (proto === 'UDP' ? UDP_TIMEOUT : proto === 'SCTP' ? SCTP_TIMEOUT : TCP_TIMEOUTS[st] ?? 60);

function bump(s: IpvsStats, now: number, conns: number, inpkts: number, outpkts: number, inbytes: number, outbytes: number): void {
  advanceEstimator(s, now);
  s.conns += conns; s.inpkts += inpkts; s.outpkts += outpkts; s.inbytes += inbytes; s.outbytes += outbytes;
}

export interface ConnOptions {
  /** The client's address and port (the entry's cip:cport); needed for templates and `ipvsadm -c`. */
  client?: { src: string; sport: number };
  /** Traffic to count besides the connection (default: the first packet, a 60-byte SYN / a 32-byte datagram, in). */
  packets?: { inPkts: number; outPkts: number; inBytes: number; outBytes: number };
}

/**
 * A new connection scheduled to `real` (ip_vs_conn_new + ip_vs_bind_dest, then the handshake):
 * TCP ends ESTABLISHED (active), UDP/SCTP as an inactive entry. With persistence, the client's
 * template is created or re-armed for vs.persistentTimeout (ip_vs_conn_put re-arms on each use).
 * Returns the connection entry.
 */
export function openConnection(state: IpvsState, vs: VirtualServer, real: RealServer, now: number, opts: ConnOptions = {}): IpvsConn {
  expire(state, now);
  const v = vsState(state, vs, now);
  const r = realState(state, vs, real, now);
  const tcp = vs.proto === 'TCP';
  const st = tcp ? 'ESTABLISHED' : vs.proto === 'UDP' ? 'UDP' : 'ESTABLISHED';
  let conn: IpvsConn = {
    proto: vs.proto, cip: opts.client?.src ?? '0.0.0.0', cport: opts.client?.sport ?? 0, vip: vs.vip, vport: vs.port,
    dip: real.ip, dport: real.port, state: st, expires: now + protoTimeout(vs.proto, st) * 1000, active: tcp,
  };
  // An entry with the same tuple (a reused client port) is replaced in place.
  const same = connIndex(state).tuples.get(tupleKey(conn));
  if (same) conn = replaceConn(state, same, conn);
  else addConn(state, conn);
  if (tcp) r.active++; else r.inactive++;
  if (vs.persistentTimeout && opts.client) {
    const t = findTemplate(state, vs, opts.client.src, now);
    const expires = now + vs.persistentTimeout * 1000;
    const old = connIndex(state).templates.get(templateKey(vs.proto, vs.vip, vs.port, opts.client.src));
    if (t && t.dip === real.ip && t.dport === real.port) { t.expires = Math.max(t.expires, expires); t.timeout = vs.persistentTimeout; } else {
      const fresh: IpvsConn = { proto: vs.proto, cip: opts.client.src, cport: 0, vip: vs.vip, vport: vs.port, dip: real.ip, dport: real.port, state: 'NONE', expires, template: true, timeout: vs.persistentTimeout };
      if (old) replaceConn(state, old, fresh); else addConn(state, fresh);
      r.persist++;
    }
  }
  const p = opts.packets ?? (tcp ? { inPkts: 1, outPkts: 0, inBytes: 60, outBytes: 0 } : { inPkts: 1, outPkts: 0, inBytes: 32, outBytes: 0 });
  bump(r.stats, now, 1, p.inPkts, p.outPkts, p.inBytes, p.outBytes);
  bump(v.stats, now, 1, p.inPkts, p.outPkts, p.inBytes, p.outBytes);
  return conn;
}

/** Counts more packets of a connection to `real` (in: client → real, out: real → client). */
export function recordPackets(state: IpvsState, vs: VirtualServer, real: RealServer, now: number, p: { inPkts: number; outPkts: number; inBytes: number; outBytes: number }): void {
  const v = vsState(state, vs, now);
  const r = realState(state, vs, real, now);
  bump(r.stats, now, 0, p.inPkts, p.outPkts, p.inBytes, p.outBytes);
  bump(v.stats, now, 0, p.inPkts, p.outPkts, p.inBytes, p.outBytes);
}

/**
 * The connection to `real` ends (FINs both ways): its entry goes to TIME_WAIT for 120 s and
 * counts as inactive until then. `client` picks the entry; without it the newest active entry
 * to that real is closed.
 */
export function closeConnection(state: IpvsState, vs: VirtualServer, real: RealServer, now: number, client?: { src: string; sport: number }): void {
  const r = realState(state, vs, real, now);
  let conn: IpvsConn | undefined;
  if (client) {
    const c = connIndex(state).tuples.get(tupleKey({ proto: vs.proto, cip: client.src, cport: client.sport, vip: vs.vip, vport: vs.port }));
    if (c && c.dip === real.ip && c.dport === real.port && c.state !== 'TIME_WAIT') conn = c;
  }
  for (let i = state.conns.length - 1; i >= 0 && !conn && !client; i--) {
    const c = state.conns[i];
    if (c.template || !sameVs(c, vs) || c.dip !== real.ip || c.dport !== real.port || c.state === 'TIME_WAIT') continue;
    conn = c;
  }
  if (!conn) return;
  if (vs.proto === 'TCP') {
    if (conn.active) { r.active = Math.max(0, r.active - 1); r.inactive++; conn.active = false; }
    conn.state = 'TIME_WAIT';
    conn.expires = now + TCP_TIMEOUTS.TIME_WAIT * 1000;
    if (state.nextExpiry === undefined || conn.expires < state.nextExpiry) state.nextExpiry = conn.expires;
  }
}

/** Forgets the counters a removed entry held. */
function dropConn(state: IpvsState, c: IpvsConn): void {
  const v = state.services[`${c.proto} ${c.vip}:${c.vport}`];
  const r = v?.reals[`${c.dip}:${c.dport}`];
  if (!r) return;
  if (c.template) r.persist = Math.max(0, r.persist - 1);
  else if (c.active) r.active = Math.max(0, r.active - 1);
  else r.inactive = Math.max(0, r.inactive - 1);
}

/**
 * Drops entries whose timer ran out. A template whose timer runs out while connections it
 * controls are still in the table is re-armed for its full timeout (ip_vs_conn_expire with
 * n_control > 0).
 */
export function expire(state: IpvsState, now: number): void {
  if (state.nextExpiry !== undefined && now < state.nextExpiry) return;
  const controlled = new Set<string>();
  for (const c of state.conns) if (!c.template && c.expires > now) controlled.add(`${templateKey(c.proto, c.vip, c.vport, c.cip)} ${c.dip}:${c.dport}`);
  const keep: IpvsConn[] = [];
  let next = Infinity;
  for (const c of state.conns) {
    if (c.expires <= now && c.template && controlled.has(`${templateKey(c.proto, c.vip, c.vport, c.cip)} ${c.dip}:${c.dport}`)) {
      c.expires = now + (c.timeout ?? 60) * 1000;
    }
    if (c.expires > now) { keep.push(c); next = Math.min(next, c.expires); continue; }
    dropConn(state, c);
  }
  if (keep.length !== state.conns.length) { state.conns = keep; indexes.delete(state); }
  state.nextExpiry = next === Infinity ? undefined : next;
}

/** The connection table as ipvsadm -c reads it, live entries only. */
export function connectionTable(state: IpvsState, now: number): IpvsConn[] {
  expire(state, now);
  return state.conns.filter((c) => c.expires > now);
}
