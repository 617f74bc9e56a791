// The kernel's IPVS (net/netfilter/ipvs) as pure functions over plain data. A packet that
// opens a connection to a virtual server is scheduled to one of its real servers:
//
//   schedule(state, vs, client, now)      which real server, and why (the scheduler's own
//                                         terms), honouring persistence templates first.
//                                         MUTATES state only to advance the scheduler's
//                                         position (rr's last choice, wrr's mark), exactly as
//                                         the kernel does on every scheduling decision.
//   openConnection(state, vs, real, now)  records the connection (counters, template, stats)
//   closeConnection(…) / expire(state, now)
//
// Persistence (sessionAffinity: ClientIP → `persistent N`): ip_vs_sched_persist looks for the
// client's template first; with net.ipv4.vs.expire_quiescent_template = 1 (set by kube-proxy)
// a template whose real server has weight 0 is dropped and the client is scheduled afresh.
// Without any available real server the kernel answers the SYN with ICMP port unreachable
// (ip_vs_leave): the client sees "connection refused", not a timeout.
import type { IpvsState, RealServer, ScheduleResult, ScheduleRow, VirtualServer } from './types';
import { realKey } from './types';
import { dh, lc, mh, nq, rr, sed, sh, wlc, wrr, type Load, type Pick } from './schedulers';
import { expire, findTemplate, realCounters, vsState } from './state';

export * from './types';
export { newIpvsState, openConnection, closeConnection, recordPackets, expire, connectionTable, readRates, realCounters, vsState, realState, advanceEstimator, TCP_TIMEOUTS, UDP_TIMEOUT } from './state';
export { shTable, dhTable, mhTable, mhSetup, shBucket, dhBucket, wrrSequence, SH_TAB_SIZE, MH_TAB_SIZE } from './schedulers';
export { hash32, hsiphashU32, siphash, ipv4 } from './hash';

export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'sh', 'dh', 'mh'] as const;

export function schedule(state: IpvsState, vs: VirtualServer, client: { src: string; sport: number }, now: number): ScheduleResult {
  expire(state, now);
  const v = vsState(state, vs, now);
  const counters = vs.reals.map((r) => realCounters(state, vs, r, now));
  const load: Load = { active: counters.map((c) => c.active), inactive: counters.map((c) => c.inactive) };
  const rows = (pick?: Pick): ScheduleRow[] => vs.reals.map((r, i) => ({
    ip: r.ip, port: r.port, weight: r.weight, active: load.active[i], inactive: load.inactive[i],
    ...(pick?.overhead ? { overhead: pick.overhead[i] } : {}),
    ...(pick?.buckets ? { hash: pick.buckets[i] } : {}),
  }));

  if (vs.persistentTimeout) {
    const t = findTemplate(state, vs, client.src, now);
    if (t) {
      const i = vs.reals.findIndex((r) => r.ip === t.dip && r.port === t.dport);
      if (i >= 0 && vs.reals[i].weight > 0) {
        const left = Math.max(0, Math.ceil((t.expires - now) / 1000));
        return {
          real: vs.reals[i], index: i, persistent: true, table: rows(),
          why: {
            en: `persistent ${vs.persistentTimeout}: client ${client.src} has a template → ${realKey(vs.reals[i])} (${left} s left; the scheduler is not asked)`,
            zh: `会话保持 persistent ${vs.persistentTimeout}：客户端 ${client.src} 已有持久化模板 → ${realKey(vs.reals[i])}（还剩 ${left} 秒；不再询问调度算法）`,
          },
        };
      }
    }
  }

  if (!vs.reals.length) {
    return {
      real: null, index: null, table: [],
      why: {
        en: `${vs.scheduler || 'rr'}: the virtual server has no real servers (the Service has no ready endpoints); the kernel answers ICMP port unreachable (connection refused)`,
        zh: `${vs.scheduler || 'rr'}：该虚拟服务器没有真实服务器（Service 没有就绪的端点）；内核回送 ICMP 端口不可达（连接被拒绝）`,
      },
    };
  }
  const pick = run(state, v, vs, client, load);
  const real = pick.index === null ? null : vs.reals[pick.index];
  const why = pick.index === null
    ? { en: `${pick.en}; the kernel answers ICMP port unreachable (connection refused)`, zh: `${pick.zh}；内核回送 ICMP 端口不可达（连接被拒绝）` }
    : { en: pick.en, zh: pick.zh };
  const res: ScheduleResult = { real, index: pick.index, why, table: rows(pick) };
  if (pick.bucket !== undefined) res.bucket = pick.bucket;
  if (vs.persistentTimeout && real) {
    res.why = { en: `${why.en} (new persistence template for ${client.src}, ${vs.persistentTimeout} s)`, zh: `${why.zh}（为 ${client.src} 新建持久化模板，${vs.persistentTimeout} 秒）` };
  }
  return res;
}

function run(state: IpvsState, v: ReturnType<typeof vsState>, vs: VirtualServer, client: { src: string; sport: number }, load: Load): Pick {
  const reals: RealServer[] = vs.reals;
  switch (vs.scheduler) {
    case 'wrr': {
      const p = wrr(reals, v.wrr);
      v.wrr = p.mark;
      return p;
    }
    case 'lc': return lc(reals, load);
    case 'wlc': return wlc(reals, load);
    case 'sed': return sed(reals, load);
    case 'nq': return nq(reals, load);
    case 'sh': return sh(reals, client, vs.schedFlags ?? 0);
    case 'dh': return dh(reals, vs.vip);
    case 'mh': return mh(reals, client, vs.schedFlags ?? 0);
    default: {
      const p = rr(reals, v.rr);
      v.rr = p.pos;
      if (vs.scheduler !== 'rr' && vs.scheduler !== '') {
        return { ...p, en: `${vs.scheduler} is not simulated; as rr: ${p.en}`, zh: `未模拟 ${vs.scheduler}，按 rr 处理：${p.zh}` };
      }
      return p;
    }
  }
}

/**
 * Whether a connection can be scheduled on `vs` at all (some real with weight > 0); sh, dh and
 * mh may still refuse a particular client whose bucket holds a quiesced real.
 */
export function hasAvailableReal(vs: VirtualServer): boolean {
  return vs.reals.some((r) => r.weight > 0);
}
