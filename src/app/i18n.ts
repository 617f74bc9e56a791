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
export function pick(text: { en: string; zh: string }, lang: Lang): string {
  return (lang === 'zh' ? text.zh : text.en) || text.en;
}
