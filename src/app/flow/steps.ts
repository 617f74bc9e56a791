// Pure helpers shared by the dataplane view, the inspector and the timeline: what a hop is
// called in both UI languages, where it sits in the hooks × tables grid, which chains the
// packet has jumped through, what a `-m statistic` fork looks like, what changed on the
// packet. Nothing here computes networking: it only reads the trace the simulator produced.
import type { Lang } from '../i18n';
import type { DnsHop, Hop, NetfilterHop, Trace, TracePath } from '../../worker/protocol';
import type { PacketFields } from '../../sim/netfilter/packet';

export type { Hop, NetfilterHop, Trace, TracePath, PacketFields };

/** A bilingual text. */
export interface Bi {
  en: string;
  zh: string;
}

export function bi(text: Bi, lang: Lang): string {
  return lang === 'zh' ? text.zh : text.en;
}

// --- the hooks × tables grid (五链四表) -------------------------------------------------

export const HOOKS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;
export const TABLES = ['raw', 'mangle', 'nat', 'filter'] as const;
export type HookName = (typeof HOOKS)[number];
export type TableName = (typeof TABLES)[number];

/** Which built-in chains each IPv4 table registers in the kernel (iptable_raw, iptable_mangle, iptable_nat, iptable_filter). */
const CELLS: Record<TableName, readonly HookName[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** True when `table` has a built-in chain at `hook` (nat FORWARD, raw INPUT… do not exist). */
export function cellExists(hook: string, table: string): boolean {
  return (CELLS as Record<string, readonly string[]>)[table]?.includes(hook) ?? false;
}

export interface Visit {
  /** Index of the visit's first hop and one past its last. */
  start: number;
  end: number;
  node: string;
  direction: 'request' | 'reply';
}

/** The run of consecutive hops on the same node in the same direction that contains `step`. */
export function visitAt(path: TracePath, step: number): Visit | null {
  const hops = path.hops;
  if (hops.length === 0) return null;
  const s = clampStep(path, step);
  const h = hops[s];
  let start = s;
  while (start > 0 && hops[start - 1].node === h.node && hops[start - 1].direction === h.direction) start--;
  let end = s + 1;
  while (end < hops.length && hops[end].node === h.node && hops[end].direction === h.direction) end++;
  return { start, end, node: h.node, direction: h.direction };
}

export interface GridCell {
  hook: string;
  table: string;
  /** 1-based order of the packet's first arrival in this cell during the visit. */
  order: number;
  /** 'passed' (before the current step), 'current', 'ahead' (later in the same visit). */
  state: 'passed' | 'current' | 'ahead';
}

/** The grid cells the packet passes on the current node (this visit), in order. */
export function gridCells(path: TracePath, step: number): GridCell[] {
  const v = visitAt(path, step);
  if (!v) return [];
  const s = clampStep(path, step);
  const cur = path.hops[s];
  const out: GridCell[] = [];
  const seen = new Map<string, GridCell>();
  for (let i = v.start; i < v.end; i++) {
    const h = path.hops[i];
    if (h.kind !== 'netfilter') continue;
    const key = `${h.hook}/${h.table}`;
    let c = seen.get(key);
    if (!c) {
      c = { hook: h.hook, table: h.table, order: out.length + 1, state: i < s ? 'passed' : i === s ? 'current' : 'ahead' };
      seen.set(key, c);
      out.push(c);
    } else if (i <= s) {
      c.state = i === s ? 'current' : 'passed';
    }
  }
  // A cell the packet left is 'passed' even when the current hop is elsewhere.
  if (cur.kind === 'netfilter') {
    for (const c of out) if (c.state === 'current' && (c.hook !== cur.hook || c.table !== cur.table)) c.state = 'passed';
  }
  return out;
}

// --- chains: the call stack and what each rule did ------------------------------------

export interface Frame {
  chain: string;
  /** Rules of this chain that matched earlier in this invocation (index → verdict). */
  matched: Map<number, string>;
}

/**
 * The chain call stack at `step`, from the built-in chain down to the current hop's chain
 * (PREROUTING → KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-…), each frame with the rules that
 * matched before the current hop in that invocation. Empty for a non-netfilter hop.
 */
export function chainStack(path: TracePath, step: number): Frame[] {
  const s = clampStep(path, step);
  const cur = path.hops[s];
  if (!cur || cur.kind !== 'netfilter') return [];
  // Walk back to the first hop of this (node, direction, hook, table) traversal.
  let start = s;
  while (start > 0) {
    const p = path.hops[start - 1];
    if (p.kind !== 'netfilter' || p.node !== cur.node || p.direction !== cur.direction || p.hook !== cur.hook || p.table !== cur.table) break;
    // A built-in chain's policy ends its traversal: a later hop at the same hook and table is a new one.
    if (p.rule === null && p.chain === p.hook) break;
    start--;
  }
  const stack: Frame[] = [];
  let pendingJump: string | null = null;
  for (let i = start; i <= s; i++) {
    const h = path.hops[i] as NetfilterHop;
    if (pendingJump === h.chain) {
      stack.push({ chain: h.chain, matched: new Map() });
    } else {
      while (stack.length > 0 && stack[stack.length - 1].chain !== h.chain) stack.pop();
      if (stack.length === 0) stack.push({ chain: h.chain, matched: new Map() });
    }
    pendingJump = null;
    if (i < s) {
      const top = stack[stack.length - 1];
      if (h.ruleIndex !== null && h.ruleIndex !== undefined) top.matched.set(h.ruleIndex, h.verdict);
      if (h.verdict.startsWith('JUMP:')) pendingJump = h.verdict.slice(5);
    }
  }
  return stack;
}

export type RuleState = 'no-match' | 'matched' | 'current' | 'pending';

/**
 * What each of `count` rules of the current chain did by `step`: `no-match` (evaluated, did
 * not match), `matched` (matched earlier, then evaluation went on: a jump that returned, a
 * MARK), `current` (the rule being evaluated), `pending` (not reached). For a policy hop every
 * rule was evaluated.
 */
export function ruleStates(path: TracePath, step: number, count: number): RuleState[] {
  const s = clampStep(path, step);
  const cur = path.hops[s];
  const out: RuleState[] = new Array(count).fill('pending');
  if (!cur || cur.kind !== 'netfilter') return out;
  const frames = chainStack(path, step);
  const top = frames[frames.length - 1];
  const at = cur.ruleIndex ?? (cur.rule === null ? count : -1);
  for (let i = 0; i < count; i++) {
    if (i === at) out[i] = 'current';
    else if (i < at) out[i] = top?.matched.has(i) ? 'matched' : 'no-match';
  }
  return out;
}

// --- the `-m statistic` fork ----------------------------------------------------------

export interface Branch {
  /** Index of the rule in its chain. */
  index: number;
  target: string;
  /** The `--probability` on the rule, or null for the last rule that takes the rest. */
  conditional: number | null;
  /** Probability that a new connection takes this branch. */
  effective: number;
  /** The endpoint from the rule's comment (`ns/svc -> 10.244.1.2:80`), when there is one. */
  endpoint: string | null;
}

const PROB = /-m statistic --mode random --probability ([0-9.]+)/;

/** The random branches of a chain (kube-proxy's KUBE-SVC-… endpoint choice); [] when none. */
export function statisticFork(rules: string[]): Branch[] {
  const first = rules.findIndex((r) => PROB.test(r));
  if (first < 0) return [];
  const out: Branch[] = [];
  let rest = 1;
  for (let i = first; i < rules.length; i++) {
    const m = PROB.exec(rules[i]);
    const target = /-j (\S+)/.exec(rules[i])?.[1] ?? '';
    const endpoint = /--comment "?[^"]*-> ([^"\s]+)"?/.exec(rules[i])?.[1] ?? null;
    if (m) {
      const p = Number(m[1]);
      out.push({ index: i, target, conditional: p, effective: rest * p, endpoint });
      rest *= 1 - p;
    } else {
      // The last endpoint has no statistic match: it takes what is left.
      if (target) out.push({ index: i, target, conditional: null, effective: rest, endpoint });
      break;
    }
  }
  return out;
}

/** `0.33333333349` → `1/3`, `0.5` → `1/2`; other values as a plain number. */
export function fraction(p: number): string {
  if (p >= 1 - 1e-9) return '1';
  for (let n = 2; n <= 1000; n++) if (Math.abs(p - 1 / n) < 1e-6) return `1/${n}`;
  return String(Number(p.toFixed(6)));
}

/** A probability as a percentage: `33.3%`, `100%`, `0.01%`. */
export function percent(p: number): string {
  const v = p * 100;
  if (Math.abs(v - Math.round(v)) < 1e-9) return `${Math.round(v)}%`;
  return `${v < 1 ? Number(v.toPrecision(2)) : Number(v.toFixed(1))}%`;
}

// --- packet changes -------------------------------------------------------------------

export const FIELDS = ['src', 'sport', 'dst', 'dport', 'mark'] as const;
export type Field = (typeof FIELDS)[number];

export function changedFields(before: PacketFields, after: PacketFields): Field[] {
  return FIELDS.filter((f) => String(before[f]) !== String(after[f]));
}

export type ChangeKind = 'MARK' | 'DNAT' | 'SNAT' | 'MASQUERADE' | 'DE-DNAT' | 'DE-SNAT';

export interface Change {
  kind: ChangeKind;
  from: string;
  to: string;
}

/** What the hop did to the packet, as badges: MARK 0x0 → 0x4000, DNAT 10.96.0.10:80 → 10.244.1.2:80, … */
export function changesOf(hop: Hop): Change[] {
  if (hop.kind === 'ipvs') {
    const { before, after } = hop;
    return before.dst !== after.dst || before.dport !== after.dport ? [{ kind: 'DNAT', from: `${before.dst}:${before.dport}`, to: `${after.dst}:${after.dport}` }] : [];
  }
  if (hop.kind !== 'netfilter' && hop.kind !== 'conntrack') return [];
  const { before, after } = hop;
  const out: Change[] = [];
  const srcChanged = before.src !== after.src || before.sport !== after.sport;
  const dstChanged = before.dst !== after.dst || before.dport !== after.dport;
  if (hop.kind === 'conntrack') {
    if (srcChanged) out.push({ kind: 'DE-DNAT', from: `${before.src}:${before.sport}`, to: `${after.src}:${after.sport}` });
    if (dstChanged) out.push({ kind: 'DE-SNAT', from: `${before.dst}:${before.dport}`, to: `${after.dst}:${after.dport}` });
    return out;
  }
  if (before.mark !== after.mark) out.push({ kind: 'MARK', from: before.mark, to: after.mark });
  if (dstChanged) out.push({ kind: 'DNAT', from: `${before.dst}:${before.dport}`, to: `${after.dst}:${after.dport}` });
  if (srcChanged) {
    out.push({ kind: /-j MASQUERADE\b/.test(hop.rule ?? '') ? 'MASQUERADE' : 'SNAT', from: `${before.src}:${before.sport}`, to: `${after.src}:${after.sport}` });
  }
  return out;
}

/**
 * Conntrack's view of the packet where the trace tells it: a request is the first packet of a
 * new connection (NEW, plus DNAT / SNAT once this node rewrote it); a reply matches the entry
 * (ESTABLISHED). Null for hops that carry no packet state.
 */
export function ctState(path: TracePath, step: number): string | null {
  const s = clampStep(path, step);
  const h = path.hops[s];
  if (!h) return null;
  if (h.direction === 'reply') return 'ESTABLISHED';
  const v = visitAt(path, s)!;
  const flags = ['NEW'];
  let dnat = false;
  let snat = false;
  for (let i = v.start; i < s; i++) {
    const x = path.hops[i];
    if (x.kind !== 'netfilter') continue;
    if (x.before.dst !== x.after.dst || x.before.dport !== x.after.dport) dnat = true;
    if (x.before.src !== x.after.src || x.before.sport !== x.after.sport) snat = true;
  }
  if (dnat) flags.push('DNAT');
  if (snat) flags.push('SNAT');
  return flags.join(',');
}

// --- labels and summaries -------------------------------------------------------------

export function clampStep(path: TracePath, step: number): number {
  if (path.hops.length === 0) return 0;
  return Math.max(0, Math.min(path.hops.length - 1, Math.floor(Number.isFinite(step) ? step : 0)));
}

export function pathOf(trace: Trace, pathIndex: number): TracePath | null {
  return trace.paths[Math.max(0, Math.min(trace.paths.length - 1, pathIndex))] ?? null;
}

const KIND_NAME: Record<Exclude<Hop['kind'], 'netfilter'>, Bi> = {
  route: { en: 'route', zh: '路由' },
  encap: { en: 'VXLAN encap', zh: 'VXLAN 封装' },
  conntrack: { en: 'conntrack', zh: '连接跟踪' },
  deliver: { en: 'deliver', zh: '送达' },
  dns: { en: 'DNS', zh: 'DNS 解析' },
  ipvs: { en: 'IPVS', zh: 'IPVS 调度' },
};

/** Where a hop happens: `PREROUTING · nat:KUBE-SERVICES`, or its kind (`route`, `VXLAN 封装`). */
export function hopLabel(hop: Hop, lang: Lang): string {
  if (hop.kind === 'netfilter') return `${hop.hook} · ${hop.table}:${hop.chain}`;
  return bi(KIND_NAME[hop.kind], lang);
}

export function directionLabel(d: 'request' | 'reply', lang: Lang): string {
  return bi(d === 'request' ? { en: 'request', zh: '请求' } : { en: 'reply', zh: '应答' }, lang);
}

function target(rule: string | null): string | null {
  return rule ? (/ -j (\S+)/.exec(rule)?.[1] ?? null) : null;
}

/** One line saying what the hop did, in the UI language. */
export function stepSummary(hop: Hop, lang: Lang): string {
  const zh = lang === 'zh';
  switch (hop.kind) {
    case 'netfilter': {
      const ch = changesOf(hop);
      const v = hop.verdict;
      const dnat = ch.find((c) => c.kind === 'DNAT');
      const snat = ch.find((c) => c.kind === 'SNAT' || c.kind === 'MASQUERADE');
      const mark = ch.find((c) => c.kind === 'MARK');
      if (dnat) return zh ? `DNAT：目的地址 ${dnat.from} → ${dnat.to}` : `DNAT: destination ${dnat.from} → ${dnat.to}`;
      if (snat) return zh ? `${snat.kind}：源地址 ${snat.from} → ${snat.to}` : `${snat.kind}: source ${snat.from} → ${snat.to}`;
      if (mark) return zh ? `MARK：标记 ${mark.from} → ${mark.to}` : `MARK: mark ${mark.from} → ${mark.to}`;
      if (v.startsWith('JUMP:')) {
        const p = PROB.exec(hop.rule ?? '');
        const to = v.slice(5);
        if (p) return zh ? `随机选中（条件概率 ${fraction(Number(p[1]))}）→ ${to}` : `random pick (conditional ${fraction(Number(p[1]))}) → ${to}`;
        return zh ? `匹配，跳转到 ${to}` : `matched, jump to ${to}`;
      }
      if (v.startsWith('POLICY:')) {
        const pol = v.slice(7);
        return zh ? `没有规则终结处理，执行链的默认策略 ${pol}` : `no rule decided: chain policy ${pol}`;
      }
      if (v === 'RETURN') return zh ? '匹配 RETURN：回到调用它的链' : 'RETURN: back to the calling chain';
      if (v === 'CONTINUE') return zh ? `匹配 ${target(hop.rule) ?? ''}（非终结目标），继续下一条规则` : `${target(hop.rule) ?? 'matched'} (not terminal): continue with the next rule`;
      if (v === 'DROP') return zh ? 'DROP：数据包被丢弃' : 'DROP: the packet is dropped';
      if (v === 'REJECT') return zh ? 'REJECT：数据包被拒绝，发回错误' : 'REJECT: the packet is refused with an error';
      if (v === 'ACCEPT') {
        const t = target(hop.rule);
        if (t && t !== 'ACCEPT') return zh ? `${t}：本表处理结束，放行` : `${t}: done with this table, accepted`;
        return zh ? 'ACCEPT：本表放行' : 'ACCEPT: accepted by this table';
      }
      return v;
    }
    case 'route':
      if (!zh) return hop.text;
      return hop.iface === 'local' ? `路由决策：${hop.packet.dst} 是本机地址，交给本机` : `路由决策：发往 ${hop.packet.dst} 的数据包从 ${hop.iface} 发出`;
    case 'encap':
      return zh
        ? `VXLAN 封装：外层 ${hop.outer.src} → ${hop.outer.dst} udp/${hop.outer.dport} VNI ${hop.outer.vni}，发往 ${hop.to}`
        : `VXLAN: outer ${hop.outer.src} → ${hop.outer.dst} udp/${hop.outer.dport} VNI ${hop.outer.vni}, to ${hop.to}`;
    case 'conntrack': {
      const ch = changesOf(hop);
      if (hop.action === 'new') return zh ? '连接跟踪：新建连接条目' : 'conntrack: new connection entry';
      const c = ch[0];
      const what = hop.action === 'reply-undo-dnat' ? { en: 'reply source restored', zh: '应答的源地址还原' } : { en: 'reply destination restored', zh: '应答的目的地址还原' };
      return c ? `${bi(what, lang)}: ${c.from} → ${c.to}`.replace(': ', zh ? '：' : ': ') : bi(what, lang);
    }
    case 'deliver':
      return zh
        ? `送达 ${hop.to}（${hop.packet.src}:${hop.packet.sport} → ${hop.packet.dst}:${hop.packet.dport}）`
        : `delivered to ${hop.to} (${hop.packet.src}:${hop.packet.sport} → ${hop.packet.dst}:${hop.packet.dport})`;
    case 'dns':
      return dnsSummary(hop, lang);
    case 'ipvs': {
      const v = hop.virtualServer;
      const to = hop.decision.index === null ? (zh ? '无可用的真实服务器（拒绝）' : 'no real server available (refused)') : `${hop.after.dst}:${hop.after.dport}`;
      return zh ? `IPVS（${v.scheduler}）：虚拟服务 ${v.proto} ${v.vip}:${v.port} → ${to}` : `IPVS (${v.scheduler}): virtual server ${v.proto} ${v.vip}:${v.port} → ${to}`;
    }
  }
}

/** `A demoapp-svc.default.svc.cluster.local. → NXDOMAIN` and the like. */
export function dnsSummary(hop: DnsHop, lang: Lang): string {
  const zh = lang === 'zh';
  const q = hop.query;
  const asked = `${q.qtype} ${q.qname}`;
  const addrs = q.answer.filter((r) => r.type === q.qtype).map((r) => r.data);
  const cname = q.answer.find((r) => r.type === 'CNAME');
  const got = q.rcode !== 'NOERROR' ? q.rcode
    : addrs.length ? `${cname ? `CNAME ${cname.data} → ` : ''}${addrs.join(', ')}`
    : zh ? 'NOERROR，无此类型记录' : 'NOERROR, no records of this type';
  switch (hop.stage) {
    case 'query': return zh ? `DNS 查询 ${asked} 发往 ${q.server}:53（UDP）` : `DNS query ${asked} to ${q.server}:53 (UDP)`;
    case 'answer': return zh ? `DNS 应答：${asked} → ${got}` : `DNS answer: ${asked} → ${got}`;
    default: return zh ? `解析尝试 ${asked} → ${got}` : `resolver tried ${asked} → ${got}`;
  }
}

export type Category = 'nat' | 'drop' | 'conntrack' | 'routing' | 'dns' | 'rule';

/** Which timeline filter chip a hop belongs to. */
export function hopCategory(hop: Hop): Category {
  switch (hop.kind) {
    case 'netfilter': {
      if (hop.verdict === 'DROP' || hop.verdict === 'REJECT' || hop.verdict === 'POLICY:DROP') return 'drop';
      if (changesOf(hop).length > 0 || /-j (DNAT|SNAT|MASQUERADE|MARK)\b/.test(hop.rule ?? '') || PROB.test(hop.rule ?? '')) return 'nat';
      return 'rule';
    }
    case 'conntrack':
      return 'conntrack';
    case 'dns':
      return 'dns';
    case 'ipvs':
      return 'nat';
    default:
      return 'routing';
  }
}

/** `path 2 of 3 · 33.3% → 10.244.2.2:80` */
export function pathLabel(trace: Trace, index: number, lang: Lang): string {
  const p = trace.paths[index];
  if (!p) return '';
  const n = trace.paths.length;
  const where = p.final.endpoint ?? p.final.at;
  const end = p.final.result === 'delivered' ? where : `${resultLabel(p.final.result, lang)} ${p.final.at}`;
  return lang === 'zh'
    ? `路径 ${index + 1}/${n} · ${percent(p.probability)} → ${end}`
    : `path ${index + 1} of ${n} · ${percent(p.probability)} → ${end}`;
}

export function resultLabel(r: TracePath['final']['result'], lang: Lang): string {
  const t: Record<TracePath['final']['result'], Bi> = {
    delivered: { en: 'delivered', zh: '已送达' },
    dropped: { en: 'dropped', zh: '被丢弃' },
    rejected: { en: 'rejected', zh: '被拒绝' },
    unreachable: { en: 'unreachable', zh: '不可达' },
  };
  return bi(t[r], lang);
}

/** The sentence the aria-live region reads for `step`. */
export function narrate(path: TracePath, step: number, lang: Lang): string {
  if (path.hops.length === 0) return lang === 'zh' ? '这条路径没有步骤。' : 'This path has no steps.';
  const s = clampStep(path, step);
  const h = path.hops[s];
  const n = path.hops.length;
  const where = h.kind === 'netfilter' ? `${h.node} ${h.hook} ${h.table}:${h.chain}` : `${h.node} ${hopLabel(h, lang)}`;
  return lang === 'zh'
    ? `第 ${s + 1}/${n} 步，${directionLabel(h.direction, lang)}，${where}：${stepSummary(h, lang)}`
    : `Step ${s + 1} of ${n}, ${directionLabel(h.direction, lang)}, ${where}: ${stepSummary(h, lang)}`;
}
