// What every word of an `iptables -S` rule means, in English and Chinese: the inspector shows
// a rule as tokens and explains the one under the pointer or the keyboard focus. Pure: a rule
// text in, one explanation per token out. A word this glossary does not know gets an explicit
// fallback (`known: false`) rather than silence, so a gap is visible and testable.
import type { Lang } from '../i18n';

export interface Bi {
  en: string;
  zh: string;
}

export type TokenRole = 'command' | 'chain' | 'option' | 'value' | 'negation' | 'module' | 'target' | 'comment' | 'unknown';

/** One word of a rule, with its place in the text (quotes included, as printed). */
export interface RawToken {
  /** The word as printed (`"default/web cluster IP"` keeps its quotes). */
  raw: string;
  /** The word without quotes. */
  text: string;
  start: number;
  end: number;
  quoted: boolean;
}

export interface Explained extends RawToken, Bi {
  role: TokenRole;
  /** False when the glossary has no entry: `en`/`zh` then hold the fallback text. */
  known: boolean;
}

export function pickBi(b: Bi, lang: Lang): string {
  return lang === 'zh' ? b.zh : b.en;
}

/** Splits a rule the way iptables' restore parser does: spaces separate words, "…" quotes. */
export function tokenize(rule: string): RawToken[] {
  const out: RawToken[] = [];
  let i = 0;
  const n = rule.length;
  while (i < n) {
    while (i < n && (rule[i] === ' ' || rule[i] === '\t')) i++;
    if (i >= n) break;
    const start = i;
    let text = '';
    let quoted = false;
    while (i < n && rule[i] !== ' ' && rule[i] !== '\t') {
      if (rule[i] === '"') {
        quoted = true;
        i++;
        while (i < n && rule[i] !== '"') {
          if (rule[i] === '\\' && i + 1 < n) i++;
          text += rule[i];
          i++;
        }
        i++; // closing quote
      } else {
        text += rule[i];
        i++;
      }
    }
    out.push({ raw: rule.slice(start, Math.min(i, n)), text, start, end: Math.min(i, n), quoted });
  }
  return out;
}

/** The fallback for a word the glossary does not know (tagged, for the token list). */
function unk(word: string): { known: false } & Bi {
  return { known: false, ...unknownToken(word) };
}

/** The fallback for a word the glossary does not know. */
export function unknownToken(word: string): Bi {
  return {
    en: `No explanation for “${word}” yet — see man iptables and man iptables-extensions.`,
    zh: `暂无对“${word}”的解释——请查阅 man iptables 和 man iptables-extensions。`,
  };
}

// --- chains ---------------------------------------------------------------------------

const HASH_EN = 'The suffix is the first 16 characters of base32(SHA-256) of the Service port name and protocol';
const HASH_ZH = '后缀是对“Service 端口名 + 协议”做 SHA-256 再 base32 编码后的前 16 个字符';

const CHAIN_PREFIXES: [string, Bi][] = [
  ['KUBE-SVC-', {
    en: `Service chain (kube-proxy): one per Service port, for traffic that may go to any endpoint. Its rules pick one endpoint at random (-m statistic) and jump to that endpoint's KUBE-SEP-… chain. ${HASH_EN}.`,
    zh: `Service 链（kube-proxy）：每个 Service 端口一条，处理可发往任一端点的流量。链中的规则用 -m statistic 随机选出一个端点，跳转到该端点的 KUBE-SEP-… 链。${HASH_ZH}。`,
  }],
  ['KUBE-SVL-', {
    en: `Service-local chain (kube-proxy): like KUBE-SVC-… but lists only the endpoints on this node; used when a traffic policy is Local (externalTrafficPolicy / internalTrafficPolicy: Local). ${HASH_EN}.`,
    zh: `本地 Service 链（kube-proxy）：与 KUBE-SVC-… 相同，但只包含本节点上的端点；在流量策略为 Local（externalTrafficPolicy / internalTrafficPolicy: Local）时使用。${HASH_ZH}。`,
  }],
  ['KUBE-EXT-', {
    en: `External chain (kube-proxy): entry for traffic reaching a Service from outside the cluster (NodePort, externalIPs, LoadBalancer IP). It marks the packet for masquerading where needed and jumps to KUBE-SVC-… (policy Cluster) or KUBE-SVL-… (policy Local). ${HASH_EN}.`,
    zh: `外部流量链（kube-proxy）：从集群外访问 Service（NodePort、externalIPs、LoadBalancer IP）的入口。需要时给数据包打上 SNAT 标记，再跳转到 KUBE-SVC-…（策略 Cluster）或 KUBE-SVL-…（策略 Local）。${HASH_ZH}。`,
  }],
  ['KUBE-SEP-', {
    en: 'Service endpoint chain (kube-proxy): one per endpoint of a Service port. It marks hairpin traffic (a pod calling its own Service) for masquerading, then DNATs the packet to the endpoint\'s IP:port. The suffix is a hash of the Service port name, protocol and endpoint address.',
    zh: 'Service 端点链（kube-proxy）：每个 Service 端口的每个端点一条。先给回环（hairpin，Pod 访问自己所在的 Service）流量打 SNAT 标记，再把数据包 DNAT 到该端点的 IP:端口。后缀是对 Service 端口名、协议和端点地址做哈希得到的。',
  }],
  ['KUBE-FW-', {
    en: 'LoadBalancer firewall chain (kube-proxy): traffic to a LoadBalancer IP goes through here; with loadBalancerSourceRanges only the listed sources continue to the Service, the rest is dropped. The suffix is the same hash as the Service\'s KUBE-SVC-… chain.',
    zh: 'LoadBalancer 防火墙链（kube-proxy）：发往 LoadBalancer IP 的流量经过这里；设置了 loadBalancerSourceRanges 时只有列出的源地址能继续访问 Service，其余被丢弃。后缀与该 Service 的 KUBE-SVC-… 链相同。',
  }],
  ['KUBE-XLB-', {
    en: 'External local-only chain of older kube-proxy releases (the v1.23 layout, later KUBE-EXT-…): external traffic to a Service with externalTrafficPolicy: Local goes only to endpoints on this node, or is dropped when there are none.',
    zh: '旧版 kube-proxy（v1.23 布局，之后改为 KUBE-EXT-…）的外部流量本地链：externalTrafficPolicy: Local 的 Service 的外部流量只发往本节点上的端点，没有本地端点时丢弃。',
  }],
];

const CHAINS: Record<string, Bi> = {
  PREROUTING: { en: 'Built-in chain of the PREROUTING hook: every packet that arrives on an interface passes it first, before the routing decision. DNAT to Services happens here (nat table).', zh: 'PREROUTING 钩子的内置链：从网卡进来的每个数据包最先经过这里，在路由决策之前。访问 Service 的 DNAT 就发生在这里（nat 表）。' },
  INPUT: { en: 'Built-in chain of the INPUT hook: packets the routing decision delivers to this node itself (to one of its own addresses).', zh: 'INPUT 钩子的内置链：路由决策判定发给本机（本机自己的某个地址）的数据包。' },
  FORWARD: { en: 'Built-in chain of the FORWARD hook: packets this node routes on to another host or to a pod (not addressed to the node itself).', zh: 'FORWARD 钩子的内置链：本节点要转发给其他主机或 Pod（而不是发给本机）的数据包。' },
  OUTPUT: { en: 'Built-in chain of the OUTPUT hook: packets sent by processes on this node itself (including hostNetwork pods). DNAT to Services for such packets happens here (nat table).', zh: 'OUTPUT 钩子的内置链：本节点上的进程（包括 hostNetwork 的 Pod）自己发出的数据包。这类数据包访问 Service 的 DNAT 在这里完成（nat 表）。' },
  POSTROUTING: { en: 'Built-in chain of the POSTROUTING hook: every packet about to leave through an interface, after the routing decision. Source NAT (SNAT / MASQUERADE) happens here.', zh: 'POSTROUTING 钩子的内置链：即将从网卡发出的每个数据包，在路由决策之后。源地址转换（SNAT / MASQUERADE）在这里完成。' },
  'KUBE-SERVICES': { en: 'kube-proxy\'s entry chain for Services. In nat: one rule per Service IP and port (cluster IP, external IPs, LoadBalancer IPs) jumping to that Service\'s chain, and a last rule sending traffic to the node\'s own addresses to KUBE-NODEPORTS. In filter: REJECTs Service ports that have no endpoints.', zh: 'kube-proxy 处理 Service 的入口链。在 nat 表中：每个 Service IP 和端口（ClusterIP、externalIPs、LoadBalancer IP）一条规则，跳转到该 Service 的链；最后一条把发往本节点地址的流量交给 KUBE-NODEPORTS。在 filter 表中：REJECT 没有端点的 Service 端口。' },
  'KUBE-NODEPORTS': { en: 'kube-proxy\'s NodePort chain: one rule per NodePort (matched by protocol and destination port on the node\'s addresses), jumping to the Service\'s external chain; in filter it also accepts health-check node ports.', zh: 'kube-proxy 的 NodePort 链：每个 NodePort 一条规则（按协议和本节点地址上的目的端口匹配），跳转到该 Service 的外部流量链；在 filter 表中还放行健康检查端口。' },
  'KUBE-POSTROUTING': { en: 'kube-proxy\'s chain in nat POSTROUTING: packets without the 0x4000 mark RETURN untouched; marked ones get the bit cleared and are MASQUERADEd (source NAT to the outgoing interface\'s address).', zh: 'kube-proxy 在 nat POSTROUTING 中的链：没有 0x4000 标记的数据包直接 RETURN；带标记的清掉该位后做 MASQUERADE（源地址改为出口网卡的地址）。' },
  'KUBE-MARK-MASQ': { en: 'kube-proxy\'s chain that sets bit 0x4000 of the packet mark, meaning "masquerade this connection": KUBE-POSTROUTING source-NATs marked packets on the way out.', zh: 'kube-proxy 的打标记链：把数据包标记（mark）的 0x4000 位置 1，意思是“这个连接要做 SNAT”：KUBE-POSTROUTING 会在出口对带标记的数据包做源地址转换。' },
  'KUBE-MARK-DROP': { en: 'Chain that sets bit 0x8000 of the packet mark, meaning "drop this packet": KUBE-FIREWALL in the filter table drops marked packets.', zh: '打丢弃标记的链：把数据包标记的 0x8000 位置 1，意思是“丢弃”：filter 表中的 KUBE-FIREWALL 会丢弃带此标记的数据包。' },
  'KUBE-FIREWALL': { en: 'Filter chain (kubelet / kube-proxy): drops packets marked 0x8000 by KUBE-MARK-DROP, and connections to 127.0.0.0/8 that come from outside the node (route_localnet protection).', zh: 'filter 表的链（kubelet / kube-proxy）：丢弃被 KUBE-MARK-DROP 标记 0x8000 的数据包，以及从节点外部发往 127.0.0.0/8 的连接（route_localnet 防护）。' },
  'KUBE-PROXY-FIREWALL': { en: 'kube-proxy\'s load balancer firewall (filter): DROPs traffic to a LoadBalancer IP that its KUBE-FW-… chain did not accept (sources outside loadBalancerSourceRanges).', zh: 'kube-proxy 的负载均衡防火墙（filter 表）：DROP 发往 LoadBalancer IP、但未被对应 KUBE-FW-… 链接受的流量（来源不在 loadBalancerSourceRanges 中）。' },
  'KUBE-EXTERNAL-SERVICES': { en: 'kube-proxy\'s filter chain for externally reachable Service ports (NodePort, externalIPs, LoadBalancer): REJECTs those with no endpoints and DROPs Local-policy traffic when this node has no local endpoint.', zh: 'kube-proxy 处理对外暴露的 Service 端口（NodePort、externalIPs、LoadBalancer）的 filter 链：REJECT 没有端点的端口；策略为 Local 且本节点没有本地端点时 DROP。' },
  'KUBE-FORWARD': { en: 'kube-proxy\'s chain in filter FORWARD: drops conntrack-INVALID packets, and ACCEPTs packets marked 0x4000 and established connections, so Service traffic is forwarded even if the FORWARD policy is DROP.', zh: 'kube-proxy 在 filter FORWARD 中的链：丢弃 conntrack 状态为 INVALID 的数据包，ACCEPT 带 0x4000 标记的数据包和已建立的连接，这样即使 FORWARD 默认策略是 DROP，Service 流量也能被转发。' },
  'KUBE-PROXY-CANARY': { en: 'An empty chain kube-proxy creates and watches: if it disappears, something flushed iptables and kube-proxy rewrites all its rules.', zh: 'kube-proxy 创建并监视的空链：如果它消失，说明有人清空了 iptables，kube-proxy 会重新写入全部规则。' },
  'KUBE-KUBELET-CANARY': { en: 'An empty chain kubelet creates and watches to notice that iptables was flushed.', zh: 'kubelet 创建并监视的空链，用来发现 iptables 被清空。' },
};

/** What a chain name means: a built-in chain, one of kube-proxy's fixed chains, or a per-Service chain by its prefix. */
export function explainChain(name: string): { known: boolean } & Bi {
  const fixed = CHAINS[name];
  if (fixed) return { known: true, ...fixed };
  for (const [prefix, b] of CHAIN_PREFIXES) if (name.startsWith(prefix)) return { known: true, ...b };
  if (name.startsWith('KUBE-')) {
    return {
      known: true,
      en: `${name}: a chain created by Kubernetes (kube-proxy or kubelet). This glossary has no specific entry for it.`,
      zh: `${name}：Kubernetes（kube-proxy 或 kubelet）创建的链。本词汇表没有它的专门条目。`,
    };
  }
  return unk(name);
}

// --- targets --------------------------------------------------------------------------

const TARGETS: Record<string, Bi> = {
  ACCEPT: { en: 'ACCEPT: stop evaluating this table for the packet and let it go on to the next table or hook.', zh: 'ACCEPT：本表不再继续匹配，放行数据包，交给下一张表或下一个钩子。' },
  DROP: { en: 'DROP: discard the packet silently; the sender gets no answer and eventually times out.', zh: 'DROP：静默丢弃数据包；发送方收不到任何回应，最终超时。' },
  REJECT: { en: 'REJECT: discard the packet and send an error back to the sender (see --reject-with), so the client fails at once instead of timing out.', zh: 'REJECT：丢弃数据包并向发送方回送错误（见 --reject-with），客户端立即失败而不是等待超时。' },
  RETURN: { en: 'RETURN: stop this chain and go back to the rule after the one that jumped here (in a built-in chain: apply its policy).', zh: 'RETURN：结束当前链，回到跳转过来的那条规则的下一条继续（在内置链中则执行默认策略）。' },
  MARK: { en: 'MARK: change the packet\'s mark (skb->mark, a number that stays with the packet inside this host) and continue with the next rule (not a terminal target).', zh: 'MARK：修改数据包的标记（skb->mark，一个只在本机内部跟随数据包的数字），然后继续匹配下一条规则（非终结目标）。' },
  DNAT: { en: 'DNAT: rewrite the destination address (and port) — the Service IP becomes a pod IP. Only for the first packet of a connection (nat table); conntrack applies the same translation to the rest and undoes it on replies. Terminal: ends this table.', zh: 'DNAT：改写目的地址（和端口）——Service IP 变成 Pod IP。只对连接的第一个数据包进行（nat 表）；后续数据包由 conntrack 做相同转换，应答包再反向还原。终结目标：结束本表。' },
  SNAT: { en: 'SNAT: rewrite the source address (and port) to a fixed address (--to-source). Terminal: ends this table.', zh: 'SNAT：把源地址（和端口）改写为指定地址（--to-source）。终结目标：结束本表。' },
  MASQUERADE: { en: 'MASQUERADE: source NAT to the address of the interface the packet leaves through, chosen at that moment. Replies come back to this node, which undoes the translation (conntrack). Terminal: ends this table.', zh: 'MASQUERADE：源地址转换为数据包出口网卡的地址（发送时才确定）。应答会回到本节点，由 conntrack 还原。终结目标：结束本表。' },
  REDIRECT: { en: 'REDIRECT: DNAT to this node itself (the incoming interface\'s address), optionally to --to-ports.', zh: 'REDIRECT：DNAT 到本机（入口网卡的地址），可用 --to-ports 指定端口。' },
  LOG: { en: 'LOG: write the packet\'s headers to the kernel log and continue (not terminal).', zh: 'LOG：把数据包头写入内核日志，然后继续匹配（非终结目标）。' },
  CONNMARK: { en: 'CONNMARK: set or copy the mark stored on the conntrack entry (the connection), not on the packet.', zh: 'CONNMARK：设置或复制保存在 conntrack 条目（连接）上的标记，而不是数据包上的标记。' },
  NOTRACK: { en: 'NOTRACK: do not track this packet with conntrack (raw table).', zh: 'NOTRACK：不让 conntrack 跟踪这个数据包（raw 表）。' },
};

function explainTarget(name: string): { known: boolean } & Bi {
  const t = TARGETS[name];
  if (t) return { known: true, ...t };
  const c = explainChain(name);
  if (c.known) return { known: true, en: `Jump to the chain ${name}. ${c.en}`, zh: `跳转到链 ${name}。${c.zh}` };
  return c;
}

// --- matches (-m) ---------------------------------------------------------------------

const MODULES: Record<string, Bi> = {
  comment: { en: '-m comment: a match that always matches; it only carries a comment (--comment) for people reading the rules.', zh: '-m comment：总是匹配的扩展，只用来携带注释（--comment），方便人阅读规则。' },
  statistic: { en: '-m statistic: match randomly or every n-th packet (--mode). kube-proxy uses it to spread new connections over a Service\'s endpoints.', zh: '-m statistic：按随机概率或每隔 n 个数据包匹配（--mode）。kube-proxy 用它把新连接分摊到 Service 的各个端点。' },
  tcp: { en: '-m tcp: TCP header matches (--dport, --sport, --tcp-flags). Loaded implicitly with -p tcp; iptables -S prints it explicitly.', zh: '-m tcp：TCP 头部匹配（--dport、--sport、--tcp-flags）。使用 -p tcp 时会自动加载；iptables -S 会把它显式打印出来。' },
  udp: { en: '-m udp: UDP header matches (--dport, --sport). Loaded implicitly with -p udp.', zh: '-m udp：UDP 头部匹配（--dport、--sport）。使用 -p udp 时会自动加载。' },
  sctp: { en: '-m sctp: SCTP header matches (--dport, --sport). Loaded implicitly with -p sctp.', zh: '-m sctp：SCTP 头部匹配（--dport、--sport）。使用 -p sctp 时会自动加载。' },
  addrtype: { en: '-m addrtype: match by the kind of address according to the routing table (LOCAL = an address of this node, BROADCAST, MULTICAST, …).', zh: '-m addrtype：按路由表中的地址类型匹配（LOCAL = 本节点自己的地址，BROADCAST、MULTICAST 等）。' },
  mark: { en: '-m mark: match the packet\'s mark (skb->mark) against a value and mask (--mark).', zh: '-m mark：用“值/掩码”匹配数据包的标记 skb->mark（--mark）。' },
  conntrack: { en: '-m conntrack: match what connection tracking knows about the packet\'s connection (--ctstate and more).', zh: '-m conntrack：按连接跟踪（conntrack）对该数据包所属连接的记录来匹配（--ctstate 等）。' },
  recent: { en: '-m recent: keep a named list of source addresses with timestamps and match against it; kube-proxy uses it for sessionAffinity: ClientIP.', zh: '-m recent：维护一个带时间戳的源地址列表并据此匹配；kube-proxy 用它实现 sessionAffinity: ClientIP（会话保持）。' },
  nfacct: { en: '-m nfacct: count matching packets and bytes in a named nfacct accounting object (always matches). kube-proxy uses it for metrics.', zh: '-m nfacct：把匹配的数据包和字节数计入一个命名的 nfacct 计数对象（总是匹配）。kube-proxy 用它统计指标。' },
  multiport: { en: '-m multiport: match several ports at once (--dports / --sports with a comma list or ranges).', zh: '-m multiport：一次匹配多个端口（--dports / --sports，逗号分隔或范围）。' },
  set: { en: '-m set: match addresses against an ipset (--match-set NAME src|dst); kube-proxy\'s IPVS mode uses ipsets.', zh: '-m set：用 ipset 集合匹配地址（--match-set 名称 src|dst）；kube-proxy 的 IPVS 模式使用 ipset。' },
  physdev: { en: '-m physdev: match the bridge port a bridged packet came in on or goes out through.', zh: '-m physdev：匹配桥接数据包进出的网桥端口。' },
  state: { en: '-m state: the older form of -m conntrack --ctstate (--state).', zh: '-m state：-m conntrack --ctstate 的旧写法（--state）。' },
};

const CTSTATES: Record<string, Bi> = {
  NEW: { en: 'NEW = the first packet of a connection conntrack has not seen before', zh: 'NEW = conntrack 尚未见过的连接的第一个数据包' },
  ESTABLISHED: { en: 'ESTABLISHED = a connection that has seen packets in both directions', zh: 'ESTABLISHED = 已经有双向数据包的连接' },
  RELATED: { en: 'RELATED = a new connection related to an existing one (e.g. an ICMP error, FTP data)', zh: 'RELATED = 与已有连接相关的新连接（如 ICMP 错误、FTP 数据连接）' },
  INVALID: { en: 'INVALID = a packet conntrack cannot place in any connection', zh: 'INVALID = conntrack 无法归入任何连接的数据包' },
  DNAT: { en: 'DNAT = the connection\'s destination was translated (virtual state)', zh: 'DNAT = 该连接的目的地址被转换过（虚拟状态）' },
  SNAT: { en: 'SNAT = the connection\'s source was translated (virtual state)', zh: 'SNAT = 该连接的源地址被转换过（虚拟状态）' },
  UNTRACKED: { en: 'UNTRACKED = the packet is not tracked (raw NOTRACK / CT --notrack)', zh: 'UNTRACKED = 该数据包未被跟踪（raw 表的 NOTRACK）' },
};

const ADDRTYPES: Record<string, Bi> = {
  LOCAL: { en: 'LOCAL = an address assigned to this node (any interface, including 127.0.0.0/8 and kube-ipvs0)', zh: 'LOCAL = 分配给本节点的地址（任一网卡，包括 127.0.0.0/8 和 kube-ipvs0）' },
  UNICAST: { en: 'UNICAST = an ordinary unicast address', zh: 'UNICAST = 普通单播地址' },
  BROADCAST: { en: 'BROADCAST = a broadcast address', zh: 'BROADCAST = 广播地址' },
  MULTICAST: { en: 'MULTICAST = a multicast address', zh: 'MULTICAST = 组播地址' },
};

function hex(v: string): number | null {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function cidrSize(v: string): string | null {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(v);
  if (!m) return null;
  const bits = m[2] === undefined ? 32 : Number(m[2]);
  if (bits === 32) return null;
  return (2 ** (32 - bits)).toLocaleString('en-US');
}

interface Ctx {
  neg: boolean;
  module: string | null;
  target: string | null;
}

interface OptionSpec {
  /** How many value words follow the option. */
  args: number;
  /** Explanation of the option word itself. */
  flag: (ctx: Ctx, values: string[]) => Bi;
  /** Explanation of each value word. */
  value?: (v: string, ctx: Ctx, values: string[]) => Bi;
}

const not = (ctx: Ctx, b: Bi): Bi => (ctx.neg ? { en: `${b.en} (negated by the "!" before it)`, zh: `${b.zh}（前面的 “!” 把它取反）` } : b);

const OPTIONS: Record<string, OptionSpec> = {
  '-A': {
    args: 1,
    flag: (_c, [ch]) => ({ en: `-A (append): this rule is appended to the end of chain ${ch}; rules run in order, top to bottom.`, zh: `-A（append，追加）：把这条规则追加到链 ${ch} 的末尾；规则按从上到下的顺序匹配。` }),
    value: (v) => explainChain(v),
  },
  '-I': {
    args: 1,
    flag: (_c, [ch]) => ({ en: `-I (insert): this rule is inserted at the top of chain ${ch}.`, zh: `-I（insert，插入）：把这条规则插入到链 ${ch} 的最前面。` }),
    value: (v) => explainChain(v),
  },
  '-N': {
    args: 1,
    flag: (_c, [ch]) => ({ en: `-N (new chain): declares the user-defined chain ${ch}; packets enter it only through a jump (-j).`, zh: `-N（new chain）：声明自定义链 ${ch}；数据包只能通过跳转（-j）进入它。` }),
    value: (v) => explainChain(v),
  },
  '-P': {
    args: 2,
    flag: (_c, [ch, pol]) => ({ en: `-P (policy): the default verdict of built-in chain ${ch} is ${pol}: what happens to a packet no rule decided.`, zh: `-P（policy，默认策略）：内置链 ${ch} 的默认处理是 ${pol}，即没有规则作出决定的数据包的去向。` }),
    value: (v) => (TARGETS[v] ? { en: `Policy ${v}. ${TARGETS[v].en}`, zh: `默认策略 ${v}。${TARGETS[v].zh}` } : explainChain(v)),
  },
  '-s': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `-s (source): match packets whose source address is in ${v}.`, zh: `-s（source，源地址）：匹配源地址属于 ${v} 的数据包。` }),
    value: (v, c) => {
      const size = cidrSize(v);
      const b = { en: `Source address range ${v}${size ? ` (${size} addresses)` : ''}.`, zh: `源地址范围 ${v}${size ? `（共 ${size} 个地址）` : ''}。` };
      return c.neg ? { en: `${b.en} Because of "!", the rule matches sources OUTSIDE it — e.g. traffic not from a pod.`, zh: `${b.zh}由于有 “!”，规则匹配的是不在此范围内的源地址——例如不是来自 Pod 的流量。` } : b;
    },
  },
  '-d': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `-d (destination): match packets whose destination address is in ${v}.`, zh: `-d（destination，目的地址）：匹配目的地址属于 ${v} 的数据包。` }),
    value: (v, c) => {
      const size = cidrSize(v);
      const b = { en: `Destination ${v}${size ? ` (a range of ${size} addresses)` : ' (one address: /32)'} — for a Service rule, its cluster IP or external address.`, zh: `目的地址 ${v}${size ? `（共 ${size} 个地址的范围）` : '（单个地址：/32）'}——在 Service 规则中是它的 ClusterIP 或对外地址。` };
      return c.neg ? { en: `${b.en} Negated: the rule matches any OTHER destination.`, zh: `${b.zh}已取反：规则匹配的是其他目的地址。` } : b;
    },
  },
  '-p': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `-p (protocol): match ${v} packets only.`, zh: `-p（protocol，协议）：只匹配 ${v} 数据包。` }),
    value: (v) => ({ en: `Protocol ${v} (the Service port's protocol).`, zh: `协议 ${v}（Service 端口的协议）。` }),
  },
  '-i': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `-i (in-interface): match packets that arrived on interface ${v} (PREROUTING, INPUT, FORWARD only).`, zh: `-i（入接口）：匹配从网卡 ${v} 进来的数据包（只能用于 PREROUTING、INPUT、FORWARD）。` }),
    value: (v) => ({ en: `Interface name ${v}${v.endsWith('+') ? ' ("+" is a wildcard: any interface starting with it)' : ''}.`, zh: `网卡名 ${v}${v.endsWith('+') ? '（“+” 是通配符：任何以此开头的网卡）' : ''}。` }),
  },
  '-o': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `-o (out-interface): match packets leaving through interface ${v} (FORWARD, OUTPUT, POSTROUTING only).`, zh: `-o（出接口）：匹配从网卡 ${v} 发出的数据包（只能用于 FORWARD、OUTPUT、POSTROUTING）。` }),
    value: (v) => ({ en: `Interface name ${v}${v.endsWith('+') ? ' ("+" is a wildcard: any interface starting with it)' : ''}.`, zh: `网卡名 ${v}${v.endsWith('+') ? '（“+” 是通配符：任何以此开头的网卡）' : ''}。` }),
  },
  '-m': {
    args: 1,
    flag: (_c, [v]) => ({ en: `-m (match): load the match extension "${v}" so its options can be used in this rule.`, zh: `-m（match，匹配扩展）：加载匹配扩展 “${v}”，以便在本规则中使用它的选项。` }),
    value: (v) => MODULES[v] ?? unk(v),
  },
  '-j': {
    args: 1,
    flag: (_c, [v]) => ({ en: `-j (jump): when every match of the rule holds, send the packet to ${v}.`, zh: `-j（jump，跳转）：当规则的所有匹配条件都成立时，把数据包交给 ${v}。` }),
    value: (v) => explainTarget(v),
  },
  '-g': {
    args: 1,
    flag: (_c, [v]) => ({ en: `-g (goto): continue in chain ${v} and, when it ends, return to the caller of this chain rather than to this rule.`, zh: `-g（goto）：转到链 ${v} 继续，结束后返回到本链的调用者，而不是回到本规则。` }),
    value: (v) => explainTarget(v),
  },
  '--comment': {
    args: 1,
    flag: () => ({ en: '--comment: a free-text comment kept with the rule; it does not affect matching. kube-proxy writes the Service (namespace/name:port) and the purpose here.', zh: '--comment：随规则保存的注释文字，不影响匹配。kube-proxy 在这里写上 Service（命名空间/名称:端口）和规则用途。' }),
    value: (v) => ({ en: `The comment text: “${v}”.`, zh: `注释内容：“${v}”。` }),
  },
  '--mode': {
    args: 1,
    flag: () => ({ en: '--mode: how -m statistic decides: random (with --probability) or nth (every n-th packet).', zh: '--mode：-m statistic 的判定方式：random（配合 --probability）或 nth（每隔 n 个）。' }),
    value: (v) => (v === 'random'
      ? { en: 'random: each packet matches independently with the given probability. In the nat table only a connection\'s first packet is evaluated, so this picks per connection.', zh: 'random：每个数据包按给定概率独立判定是否匹配。nat 表只处理连接的第一个数据包，所以实际是按连接随机选择。' }
      : v === 'nth' ? { en: 'nth: match every n-th packet (--every, --packet).', zh: 'nth：每隔 n 个数据包匹配一次（--every、--packet）。' } : unk(v)),
  },
  '--probability': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--probability: the chance that this rule matches (${v}). kube-proxy gives the i-th of n endpoints 1/(n−i+1) of what is left, so each ends up with 1/n overall.`, zh: `--probability：本规则匹配的概率（${v}）。kube-proxy 给 n 个端点中的第 i 个设置“剩余部分的 1/(n−i+1)”，最终每个端点各得 1/n。` }),
    value: (v) => {
      const p = Number(v);
      let frac = v;
      for (let n = 2; n <= 1000; n++) if (Math.abs(p - 1 / n) < 1e-6) { frac = `1/${n}`; break; }
      return { en: `${v} ≈ ${frac}: the conditional probability, among the connections that reached this rule.`, zh: `${v} ≈ ${frac}：条件概率，即在走到这条规则的连接中被选中的比例。` };
    },
  },
  '--dport': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--dport (destination port): match packets sent to port ${v}.`, zh: `--dport（目的端口）：匹配发往端口 ${v} 的数据包。` }),
    value: (v) => ({ en: `Port ${v}: the Service port (or NodePort) the client connects to.`, zh: `端口 ${v}：客户端连接的 Service 端口（或 NodePort）。` }),
  },
  '--sport': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--sport (source port): match packets sent from port ${v}.`, zh: `--sport（源端口）：匹配从端口 ${v} 发出的数据包。` }),
    value: (v) => ({ en: `Source port ${v}.`, zh: `源端口 ${v}。` }),
  },
  '--dports': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--dports: match any of the destination ports ${v}.`, zh: `--dports：匹配目的端口 ${v} 中的任意一个。` }),
    value: (v) => ({ en: `Ports ${v} (comma-separated, a:b is a range).`, zh: `端口 ${v}（逗号分隔，a:b 表示范围）。` }),
  },
  '--sports': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--sports: match any of the source ports ${v}.`, zh: `--sports：匹配源端口 ${v} 中的任意一个。` }),
    value: (v) => ({ en: `Ports ${v} (comma-separated, a:b is a range).`, zh: `端口 ${v}（逗号分隔，a:b 表示范围）。` }),
  },
  '--dst-type': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--dst-type: match when the destination address is of type ${v} in the routing table.`, zh: `--dst-type：当目的地址在路由表中的类型为 ${v} 时匹配。` }),
    value: (v) => ADDRTYPES[v] ?? unk(v),
  },
  '--src-type': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--src-type: match when the source address is of type ${v} (LOCAL: the packet was sent from this node itself).`, zh: `--src-type：当源地址的类型为 ${v} 时匹配（LOCAL：数据包是本节点自己发出的）。` }),
    value: (v) => ADDRTYPES[v] ?? unk(v),
  },
  '--mark': {
    args: 1,
    flag: (c, [v]) => {
      const [val, mask] = v.split('/');
      return not(c, { en: `--mark: match when (mark AND ${mask ?? '0xffffffff'}) equals ${val}.`, zh: `--mark：当 (mark AND ${mask ?? '0xffffffff'}) 等于 ${val} 时匹配。` });
    },
    value: (v, c) => {
      const [val, mask] = v.split('/');
      const bit = val === '0x4000' ? { en: ' (0x4000 = kube-proxy\'s "masquerade" bit, set by KUBE-MARK-MASQ)', zh: '（0x4000 = kube-proxy 的 “需要 SNAT” 标记位，由 KUBE-MARK-MASQ 设置）' }
        : val === '0x8000' ? { en: ' (0x8000 = the "drop" bit, set by KUBE-MARK-DROP)', zh: '（0x8000 = “丢弃” 标记位，由 KUBE-MARK-DROP 设置）' } : { en: '', zh: '' };
      return {
        en: `Value ${val}, mask ${mask ?? '0xffffffff'}${bit.en}.${c.neg ? ' With "!", the rule matches packets that do NOT carry it.' : ''}`,
        zh: `值 ${val}，掩码 ${mask ?? '0xffffffff'}${bit.zh}。${c.neg ? '有 “!” 时，规则匹配的是没有该标记的数据包。' : ''}`,
      };
    },
  },
  '--ctstate': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--ctstate: match when the connection's conntrack state is one of ${v}.`, zh: `--ctstate：当连接的 conntrack 状态属于 ${v} 之一时匹配。` }),
    value: (v, c) => {
      const parts = v.split(',');
      const en = parts.map((s) => CTSTATES[s]?.en ?? `${s} = ?`).join('; ');
      const zh = parts.map((s) => CTSTATES[s]?.zh ?? `${s} = ?`).join('；');
      return { en: `${en}.${c.neg ? ' Negated: any other state.' : ''}`, zh: `${zh}。${c.neg ? '已取反：其他任何状态。' : ''}` };
    },
  },
  '--state': {
    args: 1,
    flag: (c, [v]) => not(c, { en: `--state: match when the conntrack state is one of ${v}.`, zh: `--state：当 conntrack 状态属于 ${v} 之一时匹配。` }),
    value: (v) => ({ en: v.split(',').map((s) => CTSTATES[s]?.en ?? s).join('; '), zh: v.split(',').map((s) => CTSTATES[s]?.zh ?? s).join('；') }),
  },
  '--rcheck': {
    args: 0,
    flag: (c) => not(c, { en: '--rcheck: match when the packet\'s source address is already in the recent list (--name): this client was sent to this endpoint before (session affinity).', zh: '--rcheck：当数据包的源地址已在 recent 列表（--name）中时匹配：这个客户端之前被分配到了这个端点（会话保持）。' }),
  },
  '--set': {
    args: 0,
    flag: () => ({ en: '--set: add the packet\'s source address to the recent list (--name), or refresh its timestamp: remember that this client went to this endpoint (session affinity).', zh: '--set：把数据包的源地址加入 recent 列表（--name），已存在则刷新时间戳：记住这个客户端去了这个端点（会话保持）。' }),
  },
  '--update': {
    args: 0,
    flag: () => ({ en: '--update: like --rcheck, and refresh the entry\'s timestamp when it matches.', zh: '--update：与 --rcheck 相同，匹配时还会刷新条目的时间戳。' }),
  },
  '--remove': {
    args: 0,
    flag: () => ({ en: '--remove: remove the source address from the list if present.', zh: '--remove：若源地址在列表中则将其删除。' }),
  },
  '--seconds': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--seconds: only count entries seen within the last ${v} seconds (sessionAffinityConfig.clientIP.timeoutSeconds).`, zh: `--seconds：只认最近 ${v} 秒内出现过的条目（即 sessionAffinityConfig.clientIP.timeoutSeconds）。` }),
    value: (v) => ({ en: `${v} s${v === '10800' ? ' = 3 hours, the default affinity timeout' : ''}.`, zh: `${v} 秒${v === '10800' ? ' = 3 小时，会话保持的默认超时' : ''}。` }),
  },
  '--reap': {
    args: 0,
    flag: () => ({ en: '--reap: while checking, delete entries older than --seconds from the list, so it does not grow forever.', zh: '--reap：检查时顺便删除早于 --seconds 的条目，避免列表无限增长。' }),
  },
  '--hitcount': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--hitcount: match only if the address was seen at least ${v} times.`, zh: `--hitcount：只有该地址至少出现过 ${v} 次时才匹配。` }),
    value: (v) => ({ en: `${v} hits.`, zh: `${v} 次。` }),
  },
  '--name': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--name: the recent list to use, ${v}. kube-proxy uses one list per endpoint, named after its KUBE-SEP-… chain.`, zh: `--name：使用的 recent 列表名 ${v}。kube-proxy 为每个端点建一个列表，以其 KUBE-SEP-… 链命名。` }),
    value: (v) => ({ en: `List name ${v} (the endpoint's chain name).`, zh: `列表名 ${v}（端点链的名字）。` }),
  },
  '--mask': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--mask: netmask applied to the address before it is stored or looked up (${v}).`, zh: `--mask：存入或查找之前对地址应用的掩码（${v}）。` }),
    value: (v) => ({ en: `${v}${v === '255.255.255.255' ? ': the whole address, so each client IP is its own entry' : ''}.`, zh: `${v}${v === '255.255.255.255' ? '：完整地址，每个客户端 IP 各占一个条目' : ''}。` }),
  },
  '--rsource': {
    args: 0,
    flag: () => ({ en: '--rsource: use the packet\'s source address (the client) for the list (the default).', zh: '--rsource：用数据包的源地址（客户端）作为列表条目（默认行为）。' }),
  },
  '--rdest': {
    args: 0,
    flag: () => ({ en: '--rdest: use the packet\'s destination address for the list.', zh: '--rdest：用数据包的目的地址作为列表条目。' }),
  },
  '--nfacct-name': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--nfacct-name: the accounting object to count into (${v}).`, zh: `--nfacct-name：计入的计数对象（${v}）。` }),
    value: (v) => ({ en: `Counter ${v}${v === 'localhost_nps_accepted_pkts' ? ' (NodePort connections to 127.0.0.1 that kube-proxy accepted)' : v === 'ct_state_invalid_dropped_pkts' ? ' (packets dropped because conntrack found them INVALID)' : ''}.`, zh: `计数器 ${v}${v === 'localhost_nps_accepted_pkts' ? '（kube-proxy 接受的、访问 127.0.0.1 上 NodePort 的连接）' : v === 'ct_state_invalid_dropped_pkts' ? '（因 conntrack 状态为 INVALID 而丢弃的数据包）' : ''}。` }),
  },
  '--match-set': {
    args: 2,
    flag: (c, [name, dir]) => not(c, { en: `--match-set: match when the packet's ${dir ?? 'src'} address(es) are in ipset ${name}.`, zh: `--match-set：当数据包的 ${dir ?? 'src'} 地址在 ipset ${name} 中时匹配。` }),
    value: (v, _c, [name]) => (v === name ? { en: `ipset name ${v}.`, zh: `ipset 名称 ${v}。` } : { en: `${v}: which address(es) of the packet to look up (src = source, dst = destination).`, zh: `${v}：用数据包的哪个地址查找（src = 源，dst = 目的）。` }),
  },
  '--set-xmark': {
    args: 1,
    flag: (_c, [v]) => {
      const [val, mask] = v.split('/');
      return { en: `--set-xmark: mark = (mark AND NOT ${mask ?? '0xffffffff'}) XOR ${val}: clear the bits in the mask, then flip the bits in the value.`, zh: `--set-xmark：mark = (mark AND NOT ${mask ?? '0xffffffff'}) XOR ${val}：先清除掩码中的位，再翻转值中的位。` };
    },
    value: (v) => {
      const [val, mask] = v.split('/');
      const a = hex(val ?? '');
      const m = hex(mask ?? '0xffffffff');
      if (a !== null && m !== null && a === m) return { en: `${v}: set the bit(s) ${val}${val === '0x4000' ? ' — "masquerade this connection"' : val === '0x8000' ? ' — "drop this packet"' : ''}.`, zh: `${v}：把 ${val} 位置 1${val === '0x4000' ? '——“这个连接要做 SNAT”' : val === '0x8000' ? '——“丢弃这个数据包”' : ''}。` };
      if (a !== null && m === 0) return { en: `${v}: mask 0 clears nothing, so this XORs ${val} into the mark — it clears the bit that KUBE-MARK-MASQ set (so the mark does not leak further, e.g. into a VXLAN tunnel or a re-entered host).`, zh: `${v}：掩码为 0 不清除任何位，于是把 ${val} 异或进 mark——即清掉 KUBE-MARK-MASQ 设置的那一位（避免标记继续影响后续处理）。` };
      return { en: `Value ${val}, mask ${mask ?? '0xffffffff'}.`, zh: `值 ${val}，掩码 ${mask ?? '0xffffffff'}。` };
    },
  },
  '--set-mark': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--set-mark: mark = (mark AND NOT mask) OR value (${v}).`, zh: `--set-mark：mark = (mark AND NOT 掩码) OR 值（${v}）。` }),
    value: (v) => ({ en: `Value/mask ${v}.`, zh: `值/掩码 ${v}。` }),
  },
  '--to-destination': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--to-destination: the new destination of the connection: ${v}.`, zh: `--to-destination：连接的新目的地址：${v}。` }),
    value: (v) => ({ en: `${v}: the endpoint (pod IP:targetPort) chosen for this connection.`, zh: `${v}：为这个连接选中的端点（Pod IP:targetPort）。` }),
  },
  '--to-source': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--to-source: the new source address (and port range) of the connection: ${v}.`, zh: `--to-source：连接的新源地址（及端口范围）：${v}。` }),
    value: (v) => ({ en: `Address ${v}.`, zh: `地址 ${v}。` }),
  },
  '--to-ports': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--to-ports: the port(s) to use (${v}).`, zh: `--to-ports：使用的端口（${v}）。` }),
    value: (v) => ({ en: `Port(s) ${v}.`, zh: `端口 ${v}。` }),
  },
  '--random-fully': {
    args: 0,
    flag: () => ({ en: '--random-fully: pick the translated source port fully at random (not sequentially), which avoids port collisions and conntrack insert failures when many pods masquerade to one address.', zh: '--random-fully：完全随机地选择转换后的源端口（而不是顺序分配），在许多 Pod 伪装成同一地址时避免端口冲突和 conntrack 插入失败。' }),
  },
  '--random': {
    args: 0,
    flag: () => ({ en: '--random: randomise the translated source port (hash-based).', zh: '--random：随机化转换后的源端口（基于哈希）。' }),
  },
  '--persistent': {
    args: 0,
    flag: () => ({ en: '--persistent: give a client the same translated address for every connection.', zh: '--persistent：同一客户端的每个连接都使用相同的转换地址。' }),
  },
  '--reject-with': {
    args: 1,
    flag: (_c, [v]) => ({ en: `--reject-with: the error sent back to the sender (${v}).`, zh: `--reject-with：回送给发送方的错误（${v}）。` }),
    value: (v) => (v === 'icmp-port-unreachable'
      ? { en: 'icmp-port-unreachable: an ICMP "port unreachable" error; a TCP client sees "connection refused" at once (the Service has no endpoints).', zh: 'icmp-port-unreachable：ICMP “端口不可达” 错误；TCP 客户端会立即看到 “connection refused”（Service 没有端点）。' }
      : v === 'tcp-reset' ? { en: 'tcp-reset: answer with a TCP RST.', zh: 'tcp-reset：回送 TCP RST。' }
      : { en: `ICMP error type ${v}.`, zh: `ICMP 错误类型 ${v}。` }),
  },
  '--log-prefix': {
    args: 1,
    flag: () => ({ en: '--log-prefix: text put in front of each log line.', zh: '--log-prefix：每条日志前面的文字。' }),
    value: (v) => ({ en: `Prefix “${v}”.`, zh: `前缀 “${v}”。` }),
  },
};

/** Long aliases iptables accepts; -S prints the short forms, but a pasted rule may use these. */
const ALIASES: Record<string, string> = {
  '--append': '-A', '--insert': '-I', '--new-chain': '-N', '--policy': '-P',
  '--source': '-s', '--src': '-s', '--destination': '-d', '--dst': '-d', '--protocol': '-p',
  '--in-interface': '-i', '--out-interface': '-o', '--match': '-m', '--jump': '-j', '--goto': '-g',
  '--destination-port': '--dport', '--source-port': '--sport', '--destination-ports': '--dports', '--source-ports': '--sports',
};

const ROLE: Record<string, TokenRole> = { '-A': 'command', '-I': 'command', '-N': 'command', '-P': 'command', '-m': 'module', '-j': 'target', '-g': 'target', '--comment': 'comment' };

const NEGATION: Bi = {
  en: '"!" inverts the match that follows it: the rule then matches packets for which that condition is false.',
  zh: '“!” 把紧跟其后的匹配条件取反：规则匹配的是该条件不成立的数据包。',
};

/**
 * Explains every token of `rule` (as `iptables -S` prints it: `-A CHAIN …`, `-P CHAIN POLICY`,
 * `-N CHAIN`). The explanations follow the token's context: a value is explained as the value
 * of its option, `!` as negating what follows.
 */
export function explainRule(rule: string): Explained[] {
  const toks = tokenize(rule);
  const out: Explained[] = [];
  const ctx: Ctx = { neg: false, module: null, target: null };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.text === '!' && !t.quoted) {
      out.push({ ...t, role: 'negation', known: true, ...NEGATION });
      ctx.neg = true;
      continue;
    }
    const name = ALIASES[t.text] ?? t.text;
    const spec = t.text.startsWith('-') && !t.quoted ? OPTIONS[name] : undefined;
    if (!spec) {
      const role: TokenRole = 'unknown';
      if (t.text.startsWith('-') && !t.quoted) {
        // An unknown option: it and the words that follow it (its values) are unexplained.
        out.push({ ...t, role, known: false, ...unknownToken(t.text) });
        while (i + 1 < toks.length && !toks[i + 1].text.startsWith('-') && toks[i + 1].text !== '!') {
          i++;
          out.push({ ...toks[i], role, known: false, ...unknownToken(toks[i].text) });
        }
      } else {
        out.push({ ...t, role, known: false, ...unknownToken(t.text) });
      }
      ctx.neg = false;
      continue;
    }
    const values = toks.slice(i + 1, i + 1 + spec.args).map((v) => v.text);
    if (name === '-m') ctx.module = values[0] ?? null;
    if (name === '-j' || name === '-g') ctx.target = values[0] ?? null;
    const flagRole: TokenRole = ROLE[name] ?? 'option';
    const f = spec.flag(ctx, values);
    out.push({ ...t, role: flagRole, known: true, en: f.en, zh: f.zh });
    for (let k = 0; k < spec.args && i + 1 < toks.length; k++) {
      i++;
      const v = toks[i];
      const b: Bi & { known?: boolean } = spec.value ? spec.value(v.text, ctx, values) : unk(v.text);
      const known = b.known !== false;
      const role: TokenRole = name === '-A' || name === '-I' || name === '-N' || name === '-P' ? 'chain' : name === '--comment' ? 'comment' : name === '-j' || name === '-g' ? 'target' : name === '-m' ? 'module' : 'value';
      out.push({ ...v, role, en: b.en, zh: b.zh, known });
    }
    ctx.neg = false;
  }
  return out;
}
