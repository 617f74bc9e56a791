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
  }
}

export function formatTrace(t: Trace & { tally?: Record<string, number>; count?: number }): string {
  let out = `trace 追踪: ${t.from} → ${t.to} (${t.proto})\n`;
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
