// What every word of an nftables rule (as `nft list` prints kube-proxy's) means, in English
// and Chinese, for the inspector in nftables mode. Same contract as glossary.ts: one
// explanation per token, and an explicit "not in the glossary" for words it does not know.
import { tokenize, type Bi, type Explained, type TokenRole } from './glossary';

const W: Record<string, [TokenRole, string, string]> = {
  ip: ['module', 'IPv4 header: the next word names a field of it (saddr, daddr).', 'IPv4 头部：后面的词是它的字段（saddr、daddr）。'],
  saddr: ['option', 'The source address of the packet.', '数据包的源地址。'],
  daddr: ['option', 'The destination address of the packet.', '数据包的目的地址。'],
  meta: ['module', 'Packet metadata (not a header field): l4proto, mark, iifname…', '数据包的元数据（不是头部字段）：l4proto、mark、iifname……'],
  l4proto: ['option', 'The transport protocol (tcp, udp, sctp).', '传输层协议（tcp、udp、sctp）。'],
  th: ['module', 'The transport header, whatever the protocol: th dport is the destination port of TCP, UDP or SCTP.', '传输层头部（不论哪种协议）：th dport 即 TCP、UDP 或 SCTP 的目的端口。'],
  tcp: ['value', 'TCP.', 'TCP 协议。'],
  udp: ['value', 'UDP.', 'UDP 协议。'],
  sctp: ['value', 'SCTP.', 'SCTP 协议。'],
  dport: ['option', 'The destination port.', '目的端口。'],
  sport: ['option', 'The source port.', '源端口。'],
  ct: ['module', 'Conntrack: what the kernel knows about the packet\'s connection.', '连接跟踪：内核对该数据包所属连接的记录。'],
  state: ['option', 'The connection state (new, established, related, invalid).', '连接状态（new、established、related、invalid）。'],
  new: ['value', 'The first packet of a connection.', '连接的第一个数据包。'],
  mark: ['option', 'The packet mark (skb->mark); kube-proxy uses bit 0x4000 for "masquerade this".', '数据包标记（skb->mark）；kube-proxy 用 0x4000 这一位表示“需要做 SNAT 伪装”。'],
  set: ['option', 'Sets a value (here: the mark).', '设置一个值（这里是标记）。'],
  fib: ['module', 'A routing (FIB) lookup: fib daddr type local asks whether the destination is an address of this node.', '路由表（FIB）查询：fib daddr type local 判断目的地址是否为本机地址。'],
  type: ['option', 'The kind of address the routing lookup found (local, unicast…).', '路由查询得到的地址类型（local、unicast……）。'],
  local: ['value', 'An address of this node.', '本机地址。'],
  numgen: ['module', 'A number generator: numgen random mod N picks 0…N−1 at random, each with probability 1/N (one draw, not a chain of probabilities as in iptables).', '数字生成器：numgen random mod N 随机取 0…N−1，每个的概率都是 1/N（一次抽取，不像 iptables 那样逐条按条件概率判断）。'],
  random: ['option', 'Uniformly at random.', '均匀随机。'],
  mod: ['option', 'Modulo N: the number of endpoints.', '对 N 取模：N 是后端数量。'],
  vmap: ['target', 'A verdict map: looks the key up and applies the verdict stored for it (one hash lookup instead of a list of rules).', '判决映射（verdict map）：按键查找并执行对应的判决（一次哈希查找，代替一串规则）。'],
  jump: ['target', 'Go to the named chain and come back here when it returns.', '跳转到指定链，该链返回后回到这里继续。'],
  goto: ['target', 'Go to the named chain and do not come back (its return ends this base chain).', '转到指定链，不再返回（它返回时本基础链也结束）。'],
  return: ['target', 'Back to the chain that jumped here.', '回到跳转过来的那条链。'],
  accept: ['target', 'Accept: this base chain is done with the packet.', '接受：本基础链对该数据包的处理结束。'],
  drop: ['target', 'Drop the packet silently.', '静默丢弃数据包。'],
  reject: ['target', 'Refuse the packet and tell the sender (ICMP).', '拒绝数据包并通知发送方（ICMP）。'],
  dnat: ['target', 'DNAT: rewrite the destination (the Service address becomes a pod\'s); conntrack undoes it on replies.', 'DNAT：改写目的地址（Service 地址变成某个 Pod 的地址）；应答由 conntrack 还原。'],
  to: ['option', 'The new address and port.', '新的地址和端口。'],
  masquerade: ['target', 'MASQUERADE: rewrite the source to the outgoing interface\'s address.', 'MASQUERADE：把源地址改写为出接口的地址。'],
  'fully-random': ['option', 'Pick the new source port at random (avoids port-collision races).', '随机选择新的源端口（避免端口冲突的竞争）。'],
  counter: ['option', 'Counts packets and bytes that reach this point.', '统计经过这里的数据包数和字节数。'],
  comment: ['comment', 'A comment kube-proxy attached to the rule.', 'kube-proxy 附在规则上的注释。'],
  update: ['target', 'Adds or refreshes an element in a dynamic set (session affinity).', '向动态集合添加或刷新一个元素（会话保持）。'],
  timeout: ['option', 'How long the element stays.', '元素保留的时长。'],
  '.': ['option', 'Concatenation: the parts form one key (address . protocol . port).', '拼接：几个部分组成一个键（地址 . 协议 . 端口）。'],
  '|': ['option', 'Bitwise OR.', '按位或。'],
  '&': ['option', 'Bitwise AND: keeps only the given bits (mark & 0x4000 tests the masquerade bit).', '按位与：只保留指定的位（mark & 0x4000 检查伪装标记位）。'],
  '^': ['option', 'Bitwise XOR (clears the masquerade bit here).', '按位异或（这里用来清除伪装标记位）。'],
  '!=': ['negation', 'Does not equal.', '不等于。'],
  '==': ['option', 'Equals.', '等于。'],
  '{': ['option', 'An anonymous set or map follows.', '后面是一个匿名集合或映射。'],
  '}': ['option', 'End of the anonymous set or map.', '匿名集合或映射结束。'],
  ':': ['option', 'Key : verdict.', '键 : 判决。'],
  ',': ['option', 'Separates elements.', '分隔元素。'],
};

function valueOf(word: string, prev: string | undefined): { role: TokenRole; bi: Bi } | null {
  const w = word.replace(/,$/, '');
  if (/^@/.test(w)) return { role: 'value', bi: { en: `The named set or map ${w.slice(1)} of the kube-proxy table: looked up by hash.`, zh: `kube-proxy 表中名为 ${w.slice(1)} 的集合或映射：按哈希查找。` } };
  if (prev === 'jump' || prev === 'goto') return { role: 'chain', bi: { en: `The chain ${w}.`, zh: `链 ${w}。` } };
  if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?(:\d+)?$/.test(w)) return { role: 'value', bi: { en: `The address ${w}.`, zh: `地址 ${w}。` } };
  if (/^0x[0-9a-f]+$/i.test(w)) return { role: 'value', bi: { en: `The bits ${w}.`, zh: `位掩码 ${w}。` } };
  if (/^\d+$/.test(w)) return { role: 'value', bi: { en: prev === 'mod' ? `${w} endpoints.` : `The number ${w}.`, zh: prev === 'mod' ? `${w} 个后端。` : `数值 ${w}。` } };
  return null;
}

export function explainNftRule(rule: string): Explained[] {
  const toks = tokenize(rule);
  return toks.map((t, i) => {
    const prev = toks[i - 1]?.text;
    if (t.quoted) return { ...t, role: 'comment', known: true, en: `The comment “${t.text}”.`, zh: `注释“${t.text}”。` };
    const w = W[t.text] ?? W[t.text.replace(/,$/, '')];
    if (w) return { ...t, role: w[0], known: true, en: w[1], zh: w[2] };
    const v = valueOf(t.text, prev);
    if (v) return { ...t, role: v.role, known: true, ...v.bi };
    return { ...t, role: 'unknown', known: false, en: `No explanation for “${t.text}” yet — see man nft.`, zh: `暂无对“${t.text}”的解释——请查阅 man nft。` };
  });
}
