// The IPVS schedulers, computed as net/netfilter/ipvs/ip_vs_<name>.c computes them (Linux
// 5.x/6.x). Each walks the destination list in its order (VirtualServer.reals); none uses
// randomness. Only rr and wrr keep a position between calls (passed in and returned here,
// stored by index.ts in IpvsState); sh/dh/mh look their choice up in a table built from the
// destination list, rebuilt whenever the list changes (cached here by the list's contents).
//
// Not modelled: IP_VS_DEST_F_OVERLOAD (upper/lower connection thresholds: kube-proxy sets none).
import type { RealServer } from './types';
import { IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2 } from './types';
import { fls, gcd, hash32, hsiphashU32, ipv4 } from './hash';

export interface Load {
  active: number[];
  inactive: number[];
}

export interface Pick {
  index: number | null;
  en: string;
  zh: string;
  overhead?: number[];
  /** Buckets per real (sh/dh/mh). */
  buckets?: number[];
  bucket?: number;
}

const addr = (r: RealServer) => `${r.ip}:${r.port}`;

// ---------------------------------------------------------------------------------------
// rr: ip_vs_rr.c. sched_data points at the destination chosen last (the list head at first);
// the next available one after it wins. "Available": weight > 0.

export interface RrPos {
  /** Key of the real chosen last; null = the list head. */
  last: string | null;
  /** Its index then (used when it has since been removed: the kernel steps back to the previous entry). */
  index: number;
}

export function rr(reals: RealServer[], pos: RrPos | undefined): Pick & { pos: RrPos } {
  const n = reals.length;
  let p = -1;
  if (pos && pos.last !== null) {
    const i = reals.findIndex((r) => addr(r) === pos.last);
    // ip_vs_rr_del_dest: a removed position moves to the entry before it.
    p = i >= 0 ? i : Math.min(pos.index, n) - 1;
  }
  const order: number[] = [];
  for (let i = p + 1; i < n; i++) order.push(i);
  for (let i = 0; i <= p && i < n; i++) order.push(i);
  const hit = order.find((i) => reals[i].weight > 0);
  const after = p >= 0 && p < n ? addr(reals[p]) : null;
  if (hit === undefined) {
    return { index: null, pos: pos ?? { last: null, index: -1 }, en: 'rr: no destination available (every real server has weight 0)', zh: 'rr：没有可用的后端（所有真实服务器权重都是 0）' };
  }
  const skipped = order.slice(0, order.indexOf(hit)).map((i) => addr(reals[i]));
  const skipEn = skipped.length ? `, skipping ${skipped.join(', ')} (weight 0)` : '';
  const skipZh = skipped.length ? `，跳过权重为 0 的 ${skipped.join('、')}` : '';
  return {
    index: hit, pos: { last: addr(reals[hit]), index: hit },
    en: after ? `rr: next after ${after} → ${addr(reals[hit])}${skipEn}` : `rr: first in the list → ${addr(reals[hit])}${skipEn}`,
    zh: after ? `rr：轮询，${after} 之后的下一个 → ${addr(reals[hit])}${skipZh}` : `rr：轮询，从列表第一个开始 → ${addr(reals[hit])}${skipZh}`,
  };
}

// ---------------------------------------------------------------------------------------
// wrr: ip_vs_wrr.c. Passes over the list with a current weight cw that starts at the maximum
// weight and steps down by the gcd of the weights; a destination is picked when its weight is
// at least cw. The mark is reset (ip_vs_wrr_dest_changed) whenever a destination is added,
// removed or re-weighted.

export interface WrrMark {
  cl: string | null;
  index: number;
  cw: number;
  mw: number;
  di: number;
  weights: string;
}

const signature = (reals: RealServer[]) => reals.map((r) => `${addr(r)}/${r.weight}`).join(' ');

function wrrGcd(reals: RealServer[]): number {
  let g = 0;
  for (const r of reals) if (r.weight > 0) g = g > 0 ? gcd(r.weight, g) : r.weight;
  return g || 1;
}

export function wrrMark(reals: RealServer[], old: WrrMark | undefined): WrrMark {
  const sig = signature(reals);
  if (old && old.weights === sig) return old;
  const di = wrrGcd(reals);
  const mw = Math.max(0, ...reals.map((r) => r.weight)) - (di - 1);
  if (!old) return { cl: null, index: -1, cw: mw, mw, di, weights: sig };
  // ip_vs_wrr_dest_changed
  let cw = old.cw;
  if (cw > mw || !cw) cw = mw;
  else if (di > 1) cw = Math.trunc(cw / di) * di + 1;
  return { cl: null, index: -1, cw, mw, di, weights: sig };
}

export function wrr(reals: RealServer[], mark0: WrrMark | undefined): Pick & { mark: WrrMark } {
  const mark = { ...wrrMark(reals, mark0) };
  const n = reals.length;
  let dest = mark.cl === null ? -1 : reals.findIndex((r) => addr(r) === mark.cl);
  if (dest < -1) dest = -1;
  const none = (why: string, zh: string) => ({ index: null, mark, en: `wrr: ${why}`, zh: `wrr：${zh}` });
  if (mark.mw === 0) return none('no destination available (all weights are 0)', '没有可用的后端（所有权重都是 0）');
  const last = dest;
  let stop: number | null = null;
  let lastPass = false;
  let restarted = false;
  const cwStart = mark.cw;
  for (let guard = 0; guard < 100_000; guard++) {
    for (let i = dest + 1; i < n; i++) {
      if (reals[i].weight >= mark.cw) {
        mark.cl = addr(reals[i]);
        mark.index = i;
        const stepped = mark.cw !== cwStart ? `; the pass with cw=${cwStart} ended, cw lowered by gcd ${mark.di} to ${mark.cw}` : '';
        const steppedZh = mark.cw !== cwStart ? `；cw=${cwStart} 这一轮已走完，cw 按最大公约数 ${mark.di} 降到 ${mark.cw}` : '';
        return {
          index: i, mark,
          en: `wrr: current weight cw=${mark.cw}: ${addr(reals[i])} has weight ${reals[i].weight} ≥ ${mark.cw}${stepped} (max ${mark.mw + mark.di - 1}, gcd ${mark.di})`,
          zh: `wrr：当前权重 cw=${mark.cw}，${addr(reals[i])} 的权重 ${reals[i].weight} ≥ ${mark.cw}${steppedZh}（最大权重 ${mark.mw + mark.di - 1}，最大公约数 ${mark.di}）`,
        };
      }
      if (i === stop) {
        mark.cl = addr(reals[i]);
        mark.index = i;
        return none('no destination available', '没有可用的后端');
      }
    }
    dest = -1;
    mark.cw -= mark.di;
    if (mark.cw <= 0) {
      mark.cw = mark.mw;
      if (lastPass || last === -1) {
        mark.cl = null;
        mark.index = -1;
        return none('no destination available', '没有可用的后端');
      }
      restarted = true;
    }
    lastPass = mark.cw <= mark.di;
    if (lastPass && restarted && last !== -1) stop = last;
  }
  return none('no destination available', '没有可用的后端');
}

/** The wrr sequence from a fresh mark, `count` picks long (for explanations and tests). */
export function wrrSequence(reals: RealServer[], count: number): (number | null)[] {
  let mark: WrrMark | undefined;
  const out: (number | null)[] = [];
  for (let k = 0; k < count; k++) {
    const p = wrr(reals, mark);
    mark = p.mark;
    out.push(p.index);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// lc, wlc, sed, nq: the connection counters decide. overhead = activeconns × 256 + inactconns
// (ip_vs_dest_conn_overhead) for lc/wlc; activeconns + 1 for sed/nq. Weighted ones compare
// overhead_a × weight_b with overhead_b × weight_a in 64 bits; the first in list order wins ties.

const lcOverhead = (l: Load, i: number) => l.active[i] * 256 + l.inactive[i];

export function lc(reals: RealServer[], load: Load): Pick {
  const overhead = reals.map((_, i) => lcOverhead(load, i));
  let least = -1;
  for (let i = 0; i < reals.length; i++) {
    if (reals[i].weight === 0) continue;
    if (least < 0 || overhead[i] < overhead[least]) least = i;
  }
  if (least < 0) return { index: null, overhead, en: 'lc: no destination available', zh: 'lc：没有可用的后端' };
  const ties = reals.filter((r, i) => r.weight > 0 && overhead[i] === overhead[least]).length;
  return {
    index: least, overhead,
    en: `lc: overhead = active×256 + inactive; lowest is ${overhead[least]} at ${addr(reals[least])}${ties > 1 ? ` (tied with ${ties - 1} more: the first in the list wins)` : ''}`,
    zh: `lc：开销 = 活动连接×256 + 非活动连接；最小的是 ${addr(reals[least])} 的 ${overhead[least]}${ties > 1 ? `（另有 ${ties - 1} 个并列，取列表中最前的）` : ''}`,
  };
}

function weighted(name: 'wlc' | 'sed', reals: RealServer[], load: Load): Pick {
  const overhead = reals.map((_, i) => (name === 'wlc' ? lcOverhead(load, i) : load.active[i] + 1));
  let least = reals.findIndex((r) => r.weight > 0);
  const formula = name === 'wlc' ? 'active×256 + inactive' : 'active + 1';
  const formulaZh = name === 'wlc' ? '活动连接×256 + 非活动连接' : '活动连接 + 1';
  if (least < 0) return { index: null, overhead, en: `${name}: no destination available`, zh: `${name}：没有可用的后端` };
  for (let i = least + 1; i < reals.length; i++) {
    if (overhead[least] * reals[i].weight > overhead[i] * reals[least].weight) least = i;
  }
  const ratio = (i: number) => `${overhead[i]}/${reals[i].weight}`;
  const others = reals.map((r, i) => (r.weight > 0 && i !== least ? `${addr(r)} ${ratio(i)}` : '')).filter(Boolean);
  return {
    index: least, overhead,
    en: `${name}: overhead = ${formula}, divided by weight (compared as cross products); lowest ${ratio(least)} at ${addr(reals[least])}${others.length ? ` (others: ${others.join(', ')}; ties go to the first in the list)` : ''}`,
    zh: `${name}：开销 = ${formulaZh}，再除以权重（内核用交叉相乘比较）；最小的是 ${addr(reals[least])} 的 ${ratio(least)}${others.length ? `（其他：${others.join('，')}；并列取列表中最前的）` : ''}`,
  };
}

export const wlc = (reals: RealServer[], load: Load): Pick => weighted('wlc', reals, load);
export const sed = (reals: RealServer[], load: Load): Pick => weighted('sed', reals, load);

export function nq(reals: RealServer[], load: Load): Pick {
  const overhead = reals.map((_, i) => load.active[i] + 1);
  let least = -1;
  for (let i = 0; i < reals.length; i++) {
    if (reals[i].weight === 0) continue;
    if (load.active[i] === 0) {
      return {
        index: i, overhead,
        en: `nq: ${addr(reals[i])} has no active connection (never queue): taken at once`,
        zh: `nq：${addr(reals[i])} 没有活动连接（不排队），直接选中`,
      };
    }
    if (least < 0 || overhead[least] * reals[i].weight > overhead[i] * reals[least].weight) least = i;
  }
  if (least < 0) return { index: null, overhead, en: 'nq: no destination available', zh: 'nq：没有可用的后端' };
  return {
    index: least, overhead,
    en: `nq: every server is busy; lowest (active + 1)/weight is ${overhead[least]}/${reals[least].weight} at ${addr(reals[least])}`,
    zh: `nq：所有后端都有活动连接；(活动连接 + 1)/权重 最小的是 ${addr(reals[least])} 的 ${overhead[least]}/${reals[least].weight}`,
  };
}

// ---------------------------------------------------------------------------------------
// sh and dh: 256 buckets (CONFIG_IP_VS_SH_TAB_BITS / _DH_TAB_BITS = 8) filled from the
// destination list in order. sh gives each destination `weight` consecutive buckets (a weight-0
// destination still gets one: the kernel's `++d_count >= weight` moves on after it); dh one
// bucket each, round robin. The bucket is hash_32(key, 8): sh's key is the client address (+ the
// client port with sh-port), dh's the destination address (the VIP here: every connection to a
// virtual server lands on the same real server).

export const SH_TAB_SIZE = 256;

const tableCache = new Map<string, Int32Array>();

function cached(kind: string, reals: RealServer[], build: () => Int32Array): Int32Array {
  const key = `${kind} ${signature(reals)}`;
  let t = tableCache.get(key);
  if (!t) {
    if (tableCache.size > 256) tableCache.clear();
    t = build();
    tableCache.set(key, t);
  }
  return t;
}

/** ip_vs_sh_reassign: bucket → index into reals (-1: empty). */
export function shTable(reals: RealServer[]): Int32Array {
  return cached('sh', reals, () => {
    const t = new Int32Array(SH_TAB_SIZE).fill(-1);
    if (!reals.length) return t;
    let p = 0;
    let count = 0;
    for (let i = 0; i < SH_TAB_SIZE; i++) {
      t[i] = p;
      if (++count >= reals[p].weight) { p = (p + 1) % reals.length; count = 0; }
    }
    return t;
  });
}

/** ip_vs_dh_reassign: bucket i → destination i mod n. */
export function dhTable(reals: RealServer[]): Int32Array {
  return cached('dh', reals, () => {
    const t = new Int32Array(SH_TAB_SIZE).fill(-1);
    if (reals.length) for (let i = 0; i < SH_TAB_SIZE; i++) t[i] = i % reals.length;
    return t;
  });
}

/** ip_vs_sh_hashkey: (offset + hash_32(port + addr, 8)) & 255. */
export function shBucket(client: string, port: number, offset = 0): number {
  return (offset + hash32((port + ipv4(client)) >>> 0, 8)) & (SH_TAB_SIZE - 1);
}

/** ip_vs_dh_hashkey: hash_32(addr, 8). */
export function dhBucket(dst: string): number {
  return hash32(ipv4(dst), 8);
}

function bucketCounts(table: Int32Array, n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const x of table) if (x >= 0) c[x]++;
  return c;
}

export function sh(reals: RealServer[], client: { src: string; sport: number }, flags = 0): Pick {
  const table = shTable(reals);
  const buckets = bucketCounts(table, reals.length);
  const port = flags & IP_VS_SVC_F_SCHED2 ? client.sport : 0;
  const bucket = shBucket(client.src, port);
  const keyText = port ? `${client.src}:${port}` : client.src;
  let i = table[bucket];
  const head = `sh: hash_32(source ${keyText}) → bucket ${bucket} of ${SH_TAB_SIZE}`;
  const headZh = `sh：hash_32(源地址 ${keyText}) → 第 ${bucket} 号桶（共 ${SH_TAB_SIZE} 个）`;
  if (i < 0) return { index: null, buckets, bucket, en: `${head}: empty (no real servers)`, zh: `${headZh}：空（没有真实服务器）` };
  if (reals[i].weight <= 0) {
    if (!(flags & IP_VS_SVC_F_SCHED1)) {
      return { index: null, buckets, bucket, en: `${head} → ${addr(reals[i])}, weight 0: no destination available`, zh: `${headZh} → ${addr(reals[i])}，权重为 0：没有可用的后端` };
    }
    // ip_vs_sh_get_fallback: walk the table from the original bucket.
    const start = bucket;
    let found = -1;
    for (let off = 0; off < SH_TAB_SIZE; off++) {
      const b = shBucket(client.src, port, (off + start) % SH_TAB_SIZE);
      const d = table[b];
      if (d < 0) break;
      if (reals[d].weight > 0) { found = d; break; }
    }
    if (found < 0) return { index: null, buckets, bucket, en: `${head} → weight 0, and no fallback found`, zh: `${headZh} → 权重为 0，回退也没找到` };
    i = found;
    return { index: i, buckets, bucket, en: `${head} → weight 0; sh-fallback → ${addr(reals[i])}`, zh: `${headZh} → 权重为 0；sh-fallback 改选 ${addr(reals[i])}` };
  }
  return {
    index: i, buckets, bucket,
    en: `${head} → ${addr(reals[i])} (owns ${buckets[i]} of the ${SH_TAB_SIZE} buckets; the same source always lands here)`,
    zh: `${headZh} → ${addr(reals[i])}（它占 ${SH_TAB_SIZE} 个桶中的 ${buckets[i]} 个；同一源地址总是落到这里）`,
  };
}

export function dh(reals: RealServer[], vip: string): Pick {
  const table = dhTable(reals);
  const buckets = bucketCounts(table, reals.length);
  const bucket = dhBucket(vip);
  const i = table[bucket];
  const head = `dh: hash_32(destination ${vip}) → bucket ${bucket} of ${SH_TAB_SIZE}`;
  const headZh = `dh：hash_32(目的地址 ${vip}) → 第 ${bucket} 号桶（共 ${SH_TAB_SIZE} 个）`;
  if (i < 0) return { index: null, buckets, bucket, en: `${head}: empty (no real servers)`, zh: `${headZh}：空（没有真实服务器）` };
  if (reals[i].weight <= 0) return { index: null, buckets, bucket, en: `${head} → ${addr(reals[i])}, weight 0: no destination available`, zh: `${headZh} → ${addr(reals[i])}，权重为 0：没有可用的后端` };
  return {
    index: i, buckets, bucket,
    en: `${head} → ${addr(reals[i])} (the destination is always the virtual IP, so every client lands here)`,
    zh: `${headZh} → ${addr(reals[i])}（目的地址总是这个虚拟 IP，所以所有客户端都落到这里）`,
  };
}

// ---------------------------------------------------------------------------------------
// mh: ip_vs_mh.c, Maglev hashing. A lookup table of 4093 entries (primes[CONFIG_IP_VS_MH_TAB_INDEX
// (12) - 8]); each destination gets a permutation (offset, skip) from hsiphash of its address +
// port under two fixed keys, and the destinations take turns claiming their next free slot
// (`weight / gcd >> rshift` slots per turn). The client's slot is hsiphash(addr + port) % 4093,
// where port is the client's source port when mh-port (0x10, which kube-proxy always sets) is on.

export const MH_TAB_SIZE = 4093;
const MH_TAB_BITS = 6; // CONFIG_IP_VS_MH_TAB_INDEX / 2
const MH_KEY1 = 2654435761n;
const MH_KEY2 = 2654446892n;

/**
 * The weight the table is built from: the kernel uses dest->last_weight, the last non-zero
 * weight, so a quiesced (weight 0) real keeps its slots. kube-proxy only ever uses weight 1,
 * which the simulator assumes for a real it sees at weight 0.
 */
const lastWeight = (r: RealServer) => (r.weight > 0 ? r.weight : 1);

export function mhHash(ip: string, port: number, key: 1 | 2, offset = 0): number {
  return hsiphashU32((offset + port + ipv4(ip)) >>> 0, key === 1 ? MH_KEY1 : MH_KEY2, key === 1 ? MH_KEY1 : MH_KEY2);
}

/** Each destination's Maglev permutation: ds->offset, ds->skip, ds->turns. */
export function mhSetup(reals: RealServer[]): { offset: number; skip: number; turns: number }[] {
  let g = 0;
  for (const r of reals) { const w = lastWeight(r); if (w > 0) g = g > 0 ? gcd(w, g) : w; }
  if (g < 1) return [];
  const mw = Math.max(...reals.map(lastWeight));
  const shift = Math.max(0, fls(Math.trunc(mw / g)) - MH_TAB_BITS);
  return reals.map((r) => {
    const lw = lastWeight(r);
    return {
      offset: mhHash(r.ip, r.port, 1) % MH_TAB_SIZE,
      skip: (mhHash(r.ip, r.port, 2) % (MH_TAB_SIZE - 1)) + 1,
      turns: (Math.trunc(lw / g) >> shift) || (lw !== 0 ? 1 : 0),
    };
  });
}

/** ip_vs_mh_populate: slot → index into reals (-1: empty). */
export function mhTable(reals: RealServer[]): Int32Array {
  return cached('mh', reals, () => {
    const lookup = new Int32Array(MH_TAB_SIZE).fill(-1);
    const ds = mhSetup(reals);
    if (!ds.length) return lookup;
    const perm = ds.map((d) => d.offset);
    const used = new Uint8Array(MH_TAB_SIZE);
    let n = 0;
    let dtCount = 0;
    for (;;) {
      for (let p = 0; p < reals.length;) {
        if (ds[p].turns < 1) { p++; continue; }
        let c = perm[p];
        while (used[c]) {
          perm[p] += ds[p].skip;
          if (perm[p] >= MH_TAB_SIZE) perm[p] -= MH_TAB_SIZE;
          c = perm[p];
        }
        used[c] = 1;
        lookup[c] = p;
        if (++n === MH_TAB_SIZE) return lookup;
        if (++dtCount >= ds[p].turns) { dtCount = 0; p++; }
      }
    }
  });
}

export function mh(reals: RealServer[], client: { src: string; sport: number }, flags = 0): Pick {
  const table = mhTable(reals);
  const buckets = bucketCounts(table, reals.length);
  const port = flags & IP_VS_SVC_F_SCHED2 ? client.sport : 0;
  const keyText = flags & IP_VS_SVC_F_SCHED2 ? `${client.src}:${client.sport}` : client.src;
  const slot = mhHash(client.src, port, 1) % MH_TAB_SIZE;
  const head = `mh: hsiphash(source ${keyText}) mod ${MH_TAB_SIZE} → slot ${slot}`;
  const headZh = `mh：hsiphash(源 ${keyText}) mod ${MH_TAB_SIZE} → 第 ${slot} 个槽`;
  let i = table[slot];
  if (i < 0) return { index: null, buckets, bucket: slot, en: `${head}: empty (no real servers)`, zh: `${headZh}：空（没有真实服务器）` };
  if (reals[i].weight <= 0) {
    if (!(flags & IP_VS_SVC_F_SCHED1)) return { index: null, buckets, bucket: slot, en: `${head} → ${addr(reals[i])}, weight 0: no destination available`, zh: `${headZh} → ${addr(reals[i])}，权重为 0：没有可用的后端` };
    let found = -1;
    for (let off = 0; off < MH_TAB_SIZE; off++) {
      const s = mhHash(client.src, port, 1, (off + slot) % MH_TAB_SIZE) % MH_TAB_SIZE;
      const d = table[s];
      if (d < 0) break;
      if (reals[d].weight > 0) { found = d; break; }
    }
    if (found < 0) return { index: null, buckets, bucket: slot, en: `${head} → weight 0, and no fallback found`, zh: `${headZh} → 权重为 0，回退也没找到` };
    i = found;
    return { index: i, buckets, bucket: slot, en: `${head} → weight 0; mh-fallback → ${addr(reals[i])}`, zh: `${headZh} → 权重为 0；mh-fallback 改选 ${addr(reals[i])}` };
  }
  const portNote = flags & IP_VS_SVC_F_SCHED2 ? ' (mh-port: the client port is hashed too, so each new connection may land elsewhere)' : '';
  const portNoteZh = flags & IP_VS_SVC_F_SCHED2 ? '（mh-port：客户端端口也参与哈希，所以每个新连接都可能落到别处）' : '';
  return {
    index: i, buckets, bucket: slot,
    en: `${head} → ${addr(reals[i])} (owns ${buckets[i]} of ${MH_TAB_SIZE} slots)${portNote}`,
    zh: `${headZh} → ${addr(reals[i])}（占 ${MH_TAB_SIZE} 个槽中的 ${buckets[i]} 个）${portNoteZh}`,
  };
}
