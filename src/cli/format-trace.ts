// The readable, bilingual step log `kubesim trace` prints without --json.
import type { Hop, Trace } from '../sim/network/trace-types';

function hopLine(h: Hop): string {
  switch (h.kind) {
    case 'netfilter': {
      const change = JSON.stringify(h.before) !== JSON.stringify(h.after) ? `   [${h.before.src}:${h.before.sport} → ${h.before.dst}:${h.before.dport} mark ${h.before.mark}  ⇒  ${h.after.src}:${h.after.sport} → ${h.after.dst}:${h.after.dport} mark ${h.after.mark}]` : '';
      return `  ${h.node.padEnd(8)} ${h.hook.padEnd(11)} ${`${h.table}:${h.chain}`.padEnd(38)} ${h.verdict.padEnd(28)} ${h.rule ?? '(policy 策略)'}${change}`;
    }
    case 'route': return `  ${h.node.padEnd(8)} route 路由   ${h.text}`;
    case 'encap': return `  ${h.node.padEnd(8)} VXLAN 封装   outer ${h.outer.src} → ${h.outer.dst} udp/${h.outer.dport} vni ${h.outer.vni} → ${h.to}`;
    case 'conntrack': return `  ${h.node.padEnd(8)} conntrack 连接跟踪  ${h.text}`;
    case 'deliver': return `  ${h.node.padEnd(8)} deliver 送达  ${h.to}  (${h.packet.src}:${h.packet.sport} → ${h.packet.dst}:${h.packet.dport})`;
    case 'ipvs': {
      const v = h.virtualServer;
      const chosen = h.decision.index === null ? 'none (refused 拒绝)' : `${h.after.dst}:${h.after.dport}`;
      return `  ${h.node.padEnd(8)} IPVS ${h.hook.padEnd(9)} ${v.proto} ${v.vip}:${v.port} ${v.scheduler}${v.persistent ? ` persistent ${v.persistent}` : ''} → ${chosen}   [${h.decision.why.en}]`;
    }
    case 'dns': {
      const q = h.query;
      const question = `${q.qtype} ${q.qname} @${q.server}`;
      if (h.stage === 'query') return `  ${h.node.padEnd(8)} DNS query 查询  ${question}  (udp ${h.packet.src}:${h.packet.sport} → ${h.packet.dst}:53)`;
      const answer = q.answer.map((r) => `${r.type} ${r.data}`).join(', ');
      return `  ${h.node.padEnd(8)} DNS ${h.stage === 'answer' ? 'answer 应答' : 'attempt 尝试'}  ${question} → ${q.rcode}${answer ? `  ${answer}` : q.answer.length === 0 && q.rcode === 'NOERROR' ? '  (no data 无记录)' : ''}`;
    }
  }
}

export function formatTrace(t: Trace & { tally?: Record<string, number>; count?: number }): string {
  let out = `trace 追踪: ${t.from} → ${t.to} (${t.proto})\n`;
  if (t.dns) {
    const d = t.dns;
    out += `lookup 解析: ${d.name} via ${d.nameserver || '(no nameserver)'} (search ${d.search.join(' ') || '(none)'}, ndots ${d.ndots}) → ${d.address ?? 'no address 无地址'}, ${d.queries.length} queries 次查询\n`;
  }
  if (t.tally) {
    out += `\n${t.count} connections 连接:\n`;
    for (const [k, n] of Object.entries(t.tally).sort()) out += `  ${k.padEnd(24)} ${String(n).padStart(7)}  ${((n / t.count!) * 100).toFixed(1)}%\n`;
  }
  t.paths.forEach((p, i) => {
    out += `\npath 路径 ${i + 1}/${t.paths.length}  probability 概率 ${p.probability.toFixed(6)}  → ${p.final.result} ${p.final.at}${p.final.endpoint ? ` (endpoint ${p.final.endpoint})` : ''}${p.final.reason ? ` — ${p.final.reason}` : ''}\n`;
    let dir = '';
    for (const h of p.hops) {
      if (h.direction !== dir) { dir = h.direction; out += dir === 'request' ? ' request 请求:\n' : ' reply 应答:\n'; }
      out += `${hopLine(h)}\n`;
    }
  });
  return out;
}

/** `--compare-modes`: one line per proxy mode — the first packet's cost and where it went — then each trace. */
export function formatModes(modes: { mode: string; trace: Trace | { error: string }; evaluated: number; endpoint: string }[]): string {
  let out = 'mode 模式    rules+lookups 规则与查找   endpoint 后端\n';
  for (const m of modes) out += `${m.mode.padEnd(11)} ${String(m.evaluated).padStart(21)}   ${m.endpoint}\n`;
  for (const m of modes) if (!('error' in m.trace)) out += `\n=== ${m.mode} ===\n${formatTrace(m.trace)}`;
  return out;
}
