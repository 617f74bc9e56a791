// A tiny typed dictionary for the two UI languages. Commands, chain names and Kubernetes
// field names stay untranslated (DESIGN.md, "UI shape"). Keys missing in one language are a
// type error, so the two tables cannot drift apart.

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** BCP 47 tag for `<html lang>`. */
export const LANG_TAG: Record<Lang, string> = { en: 'en', zh: 'zh-CN' };
/** Each language's own name, for the switch button. */
export const LANG_NAME: Record<Lang, string> = { en: 'English', zh: '中文' };

const en = {
  tagline: 'Kubernetes Service networking, simulated',
  switchLanguage: 'Switch language',
  switchTo: '中文',
  exampleLabel: 'Example',
  editorHeading: 'Manifests',
  editorLabel: 'YAML of {file}',
  filesLabel: 'Files',
  resetExample: 'Reset example',
  resetConfirm: 'Discard your edits to this example?',
  outputHeading: 'Cluster',
  outputCaption: 'Output of {command} on node {node}',
  statusStarting: 'Starting the simulator…',
  statusSimulating: 'Simulating…',
  statusReady: 'Up to date: {services} services, {pods} pods, {nodes} nodes.',
  statusStale: 'Stale: the YAML has {count} error(s); showing the last good output.',
  statusNoOutput: 'No output yet: the YAML has {count} error(s).',
  statusWorkerError: 'The simulator failed: {message}',
  staleBadge: 'stale',
  noOutput: 'Nothing to show yet.',
  problemsHeading: 'Problems',
  problemsNone: 'No problems.',
  goToProblem: 'Go to {where}',
  severityError: 'error',
  severityWarning: 'warning',
  severityInfo: 'info',
  hint: 'Hint',
  terminalHeading: 'Terminal',
  commandLabel: 'Command',
  commandPlaceholder: 'kubectl get svc -A',
  runOn: 'Run on',
  nodeGroup: 'Nodes',
  podGroup: 'Pods',
  run: 'Run',
  clearTerminal: 'Clear',
  terminalEmpty: 'Type a command (kubectl, iptables, ipvsadm, nslookup, …) and press Enter. ↑/↓ recall history.',
  exitCode: 'exit code {code}',
  workerRestarted: 'The simulator was restarted: {message}',
  dismiss: 'Dismiss',
  footer: 'Runs entirely in your browser. Nothing is sent anywhere.',
  // YAML editor (src/app/editor)
  editorLoading: 'Loading the full editor (completion, hover docs)… you can type already.',
  editorKeys: 'Ctrl+Space: complete · F8: next problem · Ctrl+M: Tab moves focus · Alt+F1: accessibility help',
  editorFallback: 'The full editor could not be loaded; this plain editor works the same.',
  // Stage: cluster view (src/app/topology)
  topoTitle: 'Cluster view: nodes, pods, Services and the packet',
  topoExternal: 'External client',
  topoExternalSub: 'outside the cluster',
  topoNodeNetwork: 'node network (eth0)',
  topoOverlay: 'VXLAN overlay (flannel.1, UDP 8472)',
  topoHostNetwork: 'host network namespace',
  topoNetfilter: 'netfilter hooks (kube-proxy rules)',
  topoControlPlane: 'control-plane',
  topoReady: 'ready',
  topoNotReady: 'not ready',
  topoHeadless: 'headless (no ClusterIP)',
  topoMore: '+{n} more',
  topoMoreNodes: '+{n} more nodes',
  lessons: 'Lessons',
  lessonsChoose: 'Open a lesson…',
  topoEndpoints: 'endpoints: {n}',
  topoPickPod: 'Pod {name}, {ip}, {state}: pick as the packet source',
  topoPickNode: 'Node {name}, {ip}: pick as the packet source',
  topoPickService: 'Send to {text} (Service {name})',
  topoPickExternal: 'External client: pick as the packet source',
  topoHelp: 'Click a pod, a node or the external client, then a Service address. Drag to pan, wheel to zoom, double-click to fit.',
  topoEmpty: 'No cluster yet.',
  // Dataplane view, inspector, timeline (src/app/flow, src/app/inspector, src/app/timeline)
  flowHeading: 'Dataplane',
  flowGridCaption: 'netfilter on {node} ({direction}): hooks × tables',
  flowHookTable: 'table \\ hook',
  flowCellMissing: 'no such chain in the kernel',
  flowCellPassed: 'passed (#{order})',
  flowCellCurrent: 'current (#{order})',
  flowCellAhead: 'later (#{order})',
  flowCellUnused: 'not passed',
  flowChainPath: 'Chain path',
  flowRulesHeading: 'Rules of {table}:{chain}',
  flowRulesLoading: 'Loading the chain…',
  flowRulesMissing: 'This chain does not exist on {node}.',
  flowRuleNoMatch: 'no match',
  flowRuleMatched: 'matched, went on',
  flowRuleCurrent: 'evaluating',
  flowRulePending: 'not reached',
  flowPolicy: 'policy',
  flowForkHeading: 'Random choice (-m statistic)',
  flowForkBranch: 'branch',
  flowForkConditional: 'conditional',
  flowForkEffective: 'overall',
  flowForkRest: 'the rest',
  flowForkChosen: 'this path',
  flowChanges: 'Changes to the packet',
  flowNoChange: 'packet unchanged',
  flowNotNetfilter: 'Not a netfilter rule: {summary}',
  flowModeLabel: 'Dataplane mode',
  flowNotInMode: 'The {mode} view is not built yet: this trace was made in iptables mode (not in this mode).',
  flowNoTrace: 'Send a packet to see its path through netfilter.',
  inspHeading: 'Inspector',
  inspStep: 'Step {n} of {total}',
  inspPacket: 'Packet',
  inspField: 'field',
  inspBefore: 'before',
  inspAfter: 'after',
  inspChanged: 'changed',
  inspCtState: 'conntrack state',
  inspRule: 'Rule',
  inspRuleHint: 'Point at or Tab to a word to see what it means.',
  inspExplainAll: 'Explain every word',
  inspPolicyText: 'No rule of {chain} decided: the chain policy {policy} applies.',
  inspFromService: 'from Service {service}',
  inspEndpoint: 'endpoint {endpoint}',
  inspVerdict: 'verdict',
  inspRoute: 'Routing decision',
  inspIface: 'outgoing interface',
  inspEncap: 'VXLAN encapsulation',
  inspOuter: 'outer header (node to node)',
  inspInner: 'inner packet (unchanged)',
  inspConntrack: 'Connection tracking',
  inspDeliver: 'Delivered',
  flowIpvsLocal: 'the address is local, so the packet goes up to IPVS at {hook}',
  flowIpvsList: 'The virtual server, as ipvsadm -Ln lists it',
  flowIpvsChosen: 'chosen',
  inspDns: 'DNS lookup',
  inspIpvsReals: 'Real servers of {service}, as the scheduler saw them',
  inspIpvsReal: 'Real server',
  inspIpvsChosen: '(chosen)',
  inspDnsMessage: 'DNS message',
  inspDnsPending: 'query sent, waiting for the reply',
  inspDnsResolver: 'Resolving {name}: query {n} of {total} to {server} (search: {search}; ndots: {ndots})',
  inspUnknownToken: 'not in the glossary',
  inspNothing: 'Select a step to inspect it.',
  tlHeading: 'Timeline',
  tlPath: 'Path',
  tlFilters: 'Show',
  tlFilterNat: 'NAT decisions',
  tlFilterDns: 'DNS',
  tlFilterDrop: 'drops',
  tlFilterConntrack: 'conntrack',
  tlFilterRouting: 'routing',
  tlPlay: 'Play',
  tlPause: 'Pause',
  tlStep: 'Step forward',
  tlBack: 'Step back',
  tlFirst: 'First step',
  tlLast: 'Last step',
  tlSpeed: 'Speed',
  tlPosition: 'Position',
  tlKeys: 'Keys: Space play/pause · ← → step · Home / End',
  tlEmpty: 'No steps to show.',
  tlColNode: 'node',
  tlColWhere: 'where',
  tlColWhat: 'what happened',
  tlHidden: '{count} step(s) hidden by the filters',
  tlEvents: 'Events',
} as const;

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  tagline: 'Kubernetes Service 网络模拟器',
  switchLanguage: '切换语言',
  switchTo: 'English',
  exampleLabel: '示例',
  editorHeading: '清单',
  editorLabel: '{file} 的 YAML',
  filesLabel: '文件',
  resetExample: '恢复示例',
  resetConfirm: '放弃对这个示例的修改吗？',
  outputHeading: '集群',
  outputCaption: '在节点 {node} 上运行 {command} 的输出',
  statusStarting: '正在启动模拟器…',
  statusSimulating: '正在模拟…',
  statusReady: '已是最新：{services} 个 Service，{pods} 个 Pod，{nodes} 个节点。',
  statusStale: '已过期：YAML 有 {count} 个错误；显示的是上一次正确的输出。',
  statusNoOutput: '暂无输出：YAML 有 {count} 个错误。',
  statusWorkerError: '模拟器出错：{message}',
  staleBadge: '已过期',
  noOutput: '暂无内容。',
  problemsHeading: '问题',
  problemsNone: '没有问题。',
  goToProblem: '跳转到 {where}',
  severityError: '错误',
  severityWarning: '警告',
  severityInfo: '提示',
  hint: '建议',
  terminalHeading: '终端',
  commandLabel: '命令',
  commandPlaceholder: 'kubectl get svc -A',
  runOn: '运行位置',
  nodeGroup: '节点',
  podGroup: 'Pod',
  run: '运行',
  clearTerminal: '清空',
  terminalEmpty: '输入命令（kubectl、iptables、ipvsadm、nslookup 等）并按 Enter。↑/↓ 可调出历史命令。',
  exitCode: '退出码 {code}',
  workerRestarted: '模拟器已重启：{message}',
  dismiss: '关闭',
  footer: '完全在浏览器中运行，不会向任何地方发送数据。',
  // YAML 编辑器（src/app/editor）
  editorLoading: '正在加载完整编辑器（补全、悬停文档）……现在已经可以输入。',
  editorKeys: 'Ctrl+空格：补全 · F8：下一个问题 · Ctrl+M：切换 Tab 移动焦点 · Alt+F1：无障碍帮助',
  editorFallback: '完整编辑器加载失败；这个简易编辑器同样可用。',
  // 舞台：集群视图（src/app/topology）
  topoTitle: '集群视图：节点、Pod、Service 与数据包',
  topoExternal: '外部客户端',
  topoExternalSub: '集群之外',
  topoNodeNetwork: '节点网络（eth0）',
  topoOverlay: 'VXLAN 覆盖网络（flannel.1，UDP 8472）',
  topoHostNetwork: '主机网络命名空间',
  topoNetfilter: 'netfilter 钩子（kube-proxy 规则）',
  topoControlPlane: '控制平面',
  topoReady: '就绪',
  topoNotReady: '未就绪',
  topoHeadless: '无头（没有 ClusterIP）',
  topoMore: '另有 {n} 个',
  topoMoreNodes: '另有 {n} 个节点',
  lessons: '课程',
  lessonsChoose: '打开一节课……',
  topoEndpoints: '{n} 个端点',
  topoPickPod: 'Pod {name}，{ip}，{state}：选为数据包的源',
  topoPickNode: '节点 {name}，{ip}：选为数据包的源',
  topoPickService: '发送到 {text}（Service {name}）',
  topoPickExternal: '外部客户端：选为数据包的源',
  topoHelp: '先点击一个 Pod、节点或外部客户端，再点击一个 Service 地址。拖动平移，滚轮缩放，双击适配窗口。',
  topoEmpty: '还没有集群。',
  // 数据平面视图、检查器、时间线（src/app/flow、src/app/inspector、src/app/timeline）
  flowHeading: '数据平面',
  flowGridCaption: '{node} 上的 netfilter（{direction}）：五链四表',
  flowHookTable: '表 \\ 链',
  flowCellMissing: '内核中没有这条链',
  flowCellPassed: '已经过（第 {order} 个）',
  flowCellCurrent: '当前（第 {order} 个）',
  flowCellAhead: '稍后经过（第 {order} 个）',
  flowCellUnused: '不经过',
  flowChainPath: '链路径',
  flowRulesHeading: '{table}:{chain} 的规则',
  flowRulesLoading: '正在读取链…',
  flowRulesMissing: '{node} 上没有这条链。',
  flowRuleNoMatch: '未匹配',
  flowRuleMatched: '已匹配，继续',
  flowRuleCurrent: '正在匹配',
  flowRulePending: '未到达',
  flowPolicy: '默认策略',
  flowForkHeading: '随机选择（-m statistic）',
  flowForkBranch: '分支',
  flowForkConditional: '条件概率',
  flowForkEffective: '总概率',
  flowForkRest: '剩余全部',
  flowForkChosen: '本路径',
  flowChanges: '数据包的变化',
  flowNoChange: '数据包未改变',
  flowNotNetfilter: '这一步不是 netfilter 规则：{summary}',
  flowModeLabel: '数据平面模式',
  flowNotInMode: '{mode} 视图尚未实现：这条追踪是在 iptables 模式下生成的（不属于此模式）。',
  flowNoTrace: '发送一个数据包，查看它在 netfilter 中的路径。',
  inspHeading: '检查器',
  inspStep: '第 {n}/{total} 步',
  inspPacket: '数据包',
  inspField: '字段',
  inspBefore: '之前',
  inspAfter: '之后',
  inspChanged: '已改变',
  inspCtState: 'conntrack 状态',
  inspRule: '规则',
  inspRuleHint: '把鼠标指向某个词，或用 Tab 键移到它上面，查看它的含义。',
  inspExplainAll: '逐词解释',
  inspPolicyText: '{chain} 中没有规则作出决定：执行链的默认策略 {policy}。',
  inspFromService: '来自 Service {service}',
  inspEndpoint: '端点 {endpoint}',
  inspVerdict: '裁决',
  inspRoute: '路由决策',
  inspIface: '出接口',
  inspEncap: 'VXLAN 封装',
  inspOuter: '外层头部（节点到节点）',
  inspInner: '内层数据包（不变）',
  inspConntrack: '连接跟踪',
  inspDeliver: '送达',
  flowIpvsLocal: '该地址是本机地址，数据包上送到 IPVS（{hook}）',
  flowIpvsList: '虚拟服务（ipvsadm -Ln 的样子）',
  flowIpvsChosen: '被选中',
  inspDns: 'DNS 解析',
  inspIpvsReals: '{service} 的真实服务器（调度时的状态）',
  inspIpvsReal: '真实服务器',
  inspIpvsChosen: '（被选中）',
  inspDnsMessage: 'DNS 报文',
  inspDnsPending: '查询已发出，等待应答',
  inspDnsResolver: '解析 {name}：第 {n}/{total} 次查询，发往 {server}（search：{search}；ndots：{ndots}）',
  inspUnknownToken: '词汇表中没有',
  inspNothing: '选择一个步骤进行检查。',
  tlHeading: '时间线',
  tlPath: '路径',
  tlFilters: '显示',
  tlFilterNat: 'NAT 决策',
  tlFilterDns: 'DNS 解析',
  tlFilterDrop: '丢弃',
  tlFilterConntrack: '连接跟踪',
  tlFilterRouting: '路由',
  tlPlay: '播放',
  tlPause: '暂停',
  tlStep: '下一步',
  tlBack: '上一步',
  tlFirst: '第一步',
  tlLast: '最后一步',
  tlSpeed: '速度',
  tlPosition: '位置',
  tlKeys: '快捷键：空格 播放/暂停 · ← → 单步 · Home / End',
  tlEmpty: '没有可显示的步骤。',
  tlColNode: '节点',
  tlColWhere: '位置',
  tlColWhat: '发生了什么',
  tlHidden: '{count} 个步骤被筛选隐藏',
  tlEvents: '事件',
};

const TABLES: Record<Lang, Record<MessageKey, string>> = { en, zh };

export type Vars = Record<string, string | number>;

/** The message for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = TABLES[lang][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Maps a language tag (`zh-CN`, `zh_TW`, `en-GB`, `zh`) to a UI language, if we have one. */
export function parseLang(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  const t = tag.trim().toLowerCase().replace('_', '-');
  if (t === 'zh' || t.startsWith('zh-')) return 'zh';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return null;
}

export const LANG_STORAGE_KEY = 'kubesim:lang';

/**
 * The starting language: `?lang=` in the URL, then the saved choice, then the browser's
 * preference list, then English.
 */
export function detectLang(env: {
  search?: string;
  storage?: Pick<Storage, 'getItem'> | null;
  languages?: readonly string[];
}): Lang {
  const fromUrl = parseLang(new URLSearchParams(env.search ?? '').get('lang'));
  if (fromUrl) return fromUrl;
  let saved: string | null = null;
  try {
    saved = env.storage?.getItem(LANG_STORAGE_KEY) ?? null;
  } catch {
    saved = null; // storage can throw (disabled cookies, sandboxed iframe)
  }
  const fromStorage = parseLang(saved);
  if (fromStorage) return fromStorage;
  for (const l of env.languages ?? []) {
    const p = parseLang(l);
    if (p) return p;
  }
  return 'en';
}

/** Picks the text for `lang` out of a `{en, zh}` pair (diagnostics, example titles). */
/** `{name}` placeholders filled in (for the small bilingual tables next to components). */
export function fillIn(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export function pick(text: { en: string; zh: string }, lang: Lang): string {
  return (lang === 'zh' ? text.zh : text.en) || text.en;
}
