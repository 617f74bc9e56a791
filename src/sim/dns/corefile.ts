// The Corefile (CoreDNS's configuration, the `Corefile` key of ConfigMap kube-system/coredns):
// Caddy's token syntax, server blocks (`.:53 { … }`, `example.com:53 { … }`) and the plugins
// the simulator acts on — kubernetes, forward, cache, loadbalance, hosts, rewrite (name) —
// with the checks CoreDNS's own setup functions make. Plugins CoreDNS knows but the simulator
// does not model are listed (info); names CoreDNS does not know stop it from starting, as
// a malformed block does (error). Problems carry the Corefile line and column; the caller
// maps them into the YAML (see corefileDiagnostics).
import type { Text } from '../diag';
import { text } from '../diag';

export interface Token { text: string; line: number; col: number }

/** One directive line: its words, and the block that follows it (`{ … }`), if any. */
export interface Line { tokens: Token[]; block?: Line[] }

export interface CorefileProblem {
  severity: 'error' | 'warning' | 'info';
  code: string;
  line: number;
  col: number;
  message: Text;
  hint?: Text;
  /** What CoreDNS itself logs for this problem, when known. */
  raw?: string;
}

// ---------------------------------------------------------------------------------------
// Tokens

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') { line++; col = 1; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { col++; i++; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    const start = { line, col };
    let word = '';
    if (c === '"') {
      i++; col++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && src[i + 1] === '"') { word += '"'; i += 2; col += 2; continue; }
        if (src[i] === '\n') { line++; col = 1; } else col++;
        word += src[i++];
      }
      i++; col++;
      out.push({ text: word, ...start });
      continue;
    }
    while (i < src.length && !/\s/.test(src[i])) { word += src[i++]; col++; }
    out.push({ text: word, ...start });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Server blocks

export interface ServerBlock { keys: Token[]; lines: Line[]; open?: Token }

export interface ParsedCorefile { blocks: ServerBlock[]; problems: CorefileProblem[] }

function problem(severity: CorefileProblem['severity'], code: string, at: { line: number; col: number }, message: Text, hint?: Text, raw?: string): CorefileProblem {
  return { severity, code, line: at.line, col: at.col, message, ...(hint ? { hint } : {}), ...(raw ? { raw } : {}) };
}

/** Caddy's grammar: server block keys up to `{` (or the end of their line), then lines of directives. */
export function parseCorefile(src: string): ParsedCorefile {
  const toks = tokenize(src);
  const problems: CorefileProblem[] = [];
  const blocks: ServerBlock[] = [];
  let i = 0;
  const lastLine = src.split('\n').length;

  /** Lines until the `}` that closes the block opened by `open` (or the end of input when open is undefined). */
  function body(open: Token | undefined): Line[] {
    const lines: Line[] = [];
    while (i < toks.length) {
      const t = toks[i];
      if (t.text === '}') {
        i++;
        if (!open) problems.push(problem('error', 'corefile.syntax', t, text("unexpected '}': no block is open here", '多余的 “}”：这里没有打开的块'), undefined, "Unexpected '}' because no matching opening brace"));
        return lines;
      }
      if (t.text === '{') {
        problems.push(problem('error', 'corefile.syntax', t, text("unexpected '{': a block must follow a directive on its line", '意外的 “{”：块必须跟在同一行的指令之后')));
        i++;
        body(t);
        continue;
      }
      const line: Line = { tokens: [] };
      const row = t.line;
      while (i < toks.length && toks[i].line === row && toks[i].text !== '{' && toks[i].text !== '}') line.tokens.push(toks[i++]);
      if (i < toks.length && toks[i].text === '{' && toks[i].line === row) {
        const brace = toks[i++];
        line.block = body(brace);
      }
      lines.push(line);
      if (!open && i < toks.length && toks[i].text !== '}' && looksLikeServerKey(toks, i)) break;
    }
    if (open) problems.push(problem('error', 'corefile.syntax', { line: lastLine, col: 1 }, text(`the block opened on line ${open.line} is never closed: a '}' is missing`, `第 ${open.line} 行打开的块没有关闭：缺少 “}”`), undefined, 'Unexpected EOF'));
    return lines;
  }

  while (i < toks.length) {
    const first = toks[i];
    if (first.text === '}') {
      problems.push(problem('error', 'corefile.syntax', first, text("unexpected '}': no block is open here", '多余的 “}”：这里没有打开的块'), undefined, "Unexpected '}' because no matching opening brace"));
      i++;
      continue;
    }
    // Snippets `(name) { … }` are only expanded by `import`: skip them.
    if (/^\(.*\)$/.test(first.text)) {
      i++;
      if (toks[i]?.text === '{') { const b = toks[i++]; body(b); }
      problems.push(problem('info', 'corefile.snippet', first, text(`snippet ${first.text} is not simulated (import is ignored)`, `片段 ${first.text} 不在模拟范围内（import 被忽略）`)));
      continue;
    }
    const keys: Token[] = [];
    let expectAnother = false;
    while (i < toks.length) {
      const t = toks[i];
      if (t.text === '{') break;
      let k = t.text;
      if (k.endsWith(',')) { k = k.slice(0, -1); expectAnother = true; } else expectAnother = false;
      if (k) keys.push({ ...t, text: k });
      i++;
      if (!expectAnother && (i >= toks.length || toks[i].line !== t.line)) break;
    }
    const block: ServerBlock = { keys, lines: [] };
    if (toks[i]?.text === '{') {
      block.open = toks[i++];
      block.lines = body(block.open);
    } else {
      // A single server block may leave out the braces: the rest of the file is its body.
      block.lines = body(undefined);
    }
    blocks.push(block);
  }
  return { blocks, problems };
}

/** Without braces a body ends where the next server block would start (`name {` at a line start). */
function looksLikeServerKey(toks: Token[], i: number): boolean {
  const t = toks[i];
  const next = toks[i + 1];
  return !!next && next.text === '{' && next.line === t.line && /[:.]|^dns:\/\//.test(t.text) && !/^[a-z_]+$/.test(t.text);
}

// ---------------------------------------------------------------------------------------
// Names and zones

/** `example.com` → `example.com.` (lowercase); `.` stays `.`. */
export function fqdn(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

/** Reverse zones for a CIDR written as a zone (`10.0.0.0/8` → `10.in-addr.arpa.`); octet boundaries, rounded out. */
function cidrZone(s: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(s);
  if (!m) return undefined;
  const bits = Number(m[5]);
  const octets = Math.floor(Math.min(32, bits) / 8);
  const parts = [m[1], m[2], m[3], m[4]].slice(0, octets).map(Number);
  return `${[...parts].reverse().join('.')}${parts.length ? '.' : ''}in-addr.arpa.`;
}

/** A server block key: `[dns://]zone[:port]` → zone (FQDN) and port. */
export function parseKey(key: string): { zone: string; port: number; scheme: string } | undefined {
  let k = key;
  let scheme = 'dns';
  const sm = /^([a-z0-9]+):\/\//i.exec(k);
  if (sm) { scheme = sm[1].toLowerCase(); k = k.slice(sm[0].length); }
  let port = scheme === 'tls' ? 853 : scheme === 'https' ? 443 : 53;
  const pm = /:(\d+)$/.exec(k);
  if (pm) { port = Number(pm[1]); k = k.slice(0, -pm[0].length); }
  if (k === '' ) k = '.';
  const cz = cidrZone(k);
  if (cz) return { zone: cz, port, scheme };
  if (!/^[A-Za-z0-9_*.-]+$/.test(k) || k.includes('..')) return undefined;
  return { zone: fqdn(k), port, scheme };
}

/** The zone among `zones` that is the longest suffix of `qname` (both FQDN, lowercase). */
export function matchZone(qname: string, zones: readonly string[]): string | undefined {
  const q = fqdn(qname);
  let best: string | undefined;
  for (const z of zones) {
    if (z === '.' || q === z || q.endsWith(`.${z}`)) {
      if (best === undefined || z.length > best.length) best = z;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// Plugins

export interface KubernetesConfig {
  zones: string[];
  pods: 'insecure' | 'verified' | 'disabled';
  ttl: number;
  /** Zones whose NXDOMAIN passes to the next plugin; undefined: none. */
  fallthrough?: string[];
  endpointPodNames: boolean;
  namespaces?: string[];
  ignoreEmptyService: boolean;
}

export interface ForwardConfig {
  from: string;
  /** Upstream addresses; `resolv.conf` stands for the nameservers of /etc/resolv.conf (the pod's). */
  to: string[];
  except: string[];
  policy: 'random' | 'round_robin' | 'sequential';
}

export interface CacheConfig {
  zones: string[];
  successTTL: number;
  successMin: number;
  denialTTL: number;
  denialMin: number;
  servfailTTL: number;
  disableSuccess: string[];
  disableDenial: string[];
  keepTTL: boolean;
}

export interface HostsEntry { ip: string; names: string[] }

export interface HostsConfig {
  /** The file read (default /etc/hosts), and the inline entries (they win). */
  file: string;
  zones: string[];
  inline: HostsEntry[];
  ttl: number;
  noReverse: boolean;
  fallthrough?: string[];
  fallthroughUnsupported: boolean;
}

export interface RewriteRule {
  match: 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';
  from: string;
  to: string;
  answerAuto: boolean;
  stop: boolean;
}

export interface ServerConfig {
  zones: string[];
  port: number;
  kubernetes?: KubernetesConfig;
  forward?: ForwardConfig;
  cache?: CacheConfig;
  loadbalance: boolean;
  hosts?: HostsConfig;
  rewrite: RewriteRule[];
  /** The block's position (for the cache's key and for messages). */
  index: number;
}

export interface CorefileConfig { servers: ServerConfig[]; problems: CorefileProblem[] }

/** Every plugin compiled into CoreDNS 1.11–1.14 (plugin.cfg), in the order they act on a query. */
export const PLUGIN_ORDER = [
  'root', 'metadata', 'geoip', 'cancel', 'proxyproto', 'quic', 'grpc_server', 'https', 'https3', 'timeouts', 'multisocket',
  'reload', 'nsid', 'bufsize', 'bind', 'debug', 'trace', 'ready', 'health', 'pprof', 'shed', 'prometheus', 'errors', 'log',
  'dnstap', 'local', 'dns64', 'any', 'chaos', 'loadbalance', 'tsig', 'rewrite', 'autopath', 'acl', 'cache', 'header',
  'dnssec', 'tls', 'minimal', 'template', 'transfer', 'hosts', 'route53', 'azure', 'clouddns', 'k8s_external', 'kubernetes',
  'file', 'auto', 'secondary', 'etcd', 'loop', 'forward', 'grpc', 'erratic', 'whoami', 'on', 'sign', 'view', 'nomad',
];

/** Plugins with no effect on the answers the simulator prints (side servers, logging, safety checks). */
const NO_EFFECT = new Set(['errors', 'log', 'health', 'ready', 'prometheus', 'reload', 'loop', 'debug', 'bind', 'bufsize', 'nsid', 'pprof', 'trace', 'dnstap', 'cancel', 'timeouts', 'root', 'metadata', 'tls', 'on']);

const SIMULATED = new Set(['kubernetes', 'forward', 'cache', 'loadbalance', 'hosts', 'rewrite']);

const isInt = (s: string | undefined) => s !== undefined && /^-?\d+$/.test(s);

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
export const isIPv4 = (s: string) => IPV4.test(s) && s.split('.').every((p) => Number(p) <= 255);
export const isIPv6 = (s: string) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s);

function zonesFrom(args: Token[], blockZones: string[], problems: CorefileProblem[]): string[] {
  if (!args.length) return blockZones;
  const out: string[] = [];
  for (const a of args) {
    const k = parseKey(a.text);
    if (!k) { problems.push(problem('error', 'corefile.zone', a, text(`"${a.text}" is not a zone name`, `“${a.text}” 不是合法的区域名`))); continue; }
    out.push(k.zone);
  }
  return out;
}

const once = (name: string, t: Token) => problem('error', 'corefile.once', t,
  text(`${name} can only be used once per server block`, `${name} 在一个服务器块中只能出现一次`), undefined, `plugin/${name}: this plugin can only be used once per Server Block`);

const argErr = (name: string, t: Token) => problem('error', 'corefile.args', t,
  text(`${name}: wrong argument count or unexpected line ending after '${t.text}'`, `${name}：参数个数不对，或 “${t.text}” 之后意外换行`), undefined, `plugin/${name}: Wrong argument count or unexpected line ending after '${t.text}'`);

function parseKubernetes(line: Line, blockZones: string[], problems: CorefileProblem[]): KubernetesConfig {
  const k: KubernetesConfig = { zones: zonesFrom(line.tokens.slice(1), blockZones, problems), pods: 'disabled', ttl: 5, endpointPodNames: false, ignoreEmptyService: false };
  if (!k.zones.some((z) => !/(^|\.)(in-addr|ip6)\.arpa\.$/.test(z))) {
    problems.push(problem('error', 'corefile.kubernetes', line.tokens[0], text('kubernetes needs a zone that is not a reverse zone (e.g. cluster.local)', 'kubernetes 插件至少需要一个非反向区域（例如 cluster.local）'), undefined, 'plugin/kubernetes: non-reverse zone name must be used'));
  }
  for (const sub of line.block ?? []) {
    const [opt, ...args] = sub.tokens;
    if (!opt) continue;
    const a = args.map((t) => t.text);
    switch (opt.text) {
      case 'pods':
        if (a.length === 1 && ['disabled', 'verified', 'insecure'].includes(a[0])) k.pods = a[0] as KubernetesConfig['pods'];
        else if (a.length === 1) problems.push(problem('error', 'corefile.kubernetes', args[0], text(`pods must be one of disabled, verified, insecure (not "${a[0]}")`, `pods 只能是 disabled、verified、insecure 之一（不是 “${a[0]}”）`), undefined, `plugin/kubernetes: wrong value for pods: ${a[0]},  must be one of: disabled, verified, insecure`));
        else problems.push(argErr('kubernetes', opt));
        break;
      case 'ttl':
        if (!isInt(a[0])) { problems.push(a.length ? problem('error', 'corefile.kubernetes', args[0], text(`ttl must be a number of seconds (not "${a[0]}")`, `ttl 必须是秒数（不是 “${a[0]}”）`)) : argErr('kubernetes', opt)); break; }
        if (Number(a[0]) < 0 || Number(a[0]) > 3600) { problems.push(problem('error', 'corefile.kubernetes', args[0], text(`ttl must be in range [0, 3600]: ${a[0]}`, `ttl 必须在 [0, 3600] 之间：${a[0]}`), undefined, `plugin/kubernetes: ttl must be in range [0, 3600]: ${a[0]}`)); break; }
        k.ttl = Number(a[0]);
        break;
      case 'fallthrough':
        k.fallthrough = a.length ? a.map((z) => parseKey(z)?.zone ?? fqdn(z)) : ['.'];
        break;
      case 'endpoint_pod_names':
        k.endpointPodNames = true;
        break;
      case 'namespaces':
        if (a.length) k.namespaces = a; else problems.push(argErr('kubernetes', opt));
        break;
      case 'ignore':
        if (a[0] === 'empty_service') k.ignoreEmptyService = true;
        else problems.push(problem('error', 'corefile.kubernetes', opt, text(`ignore: unknown value "${a[0] ?? ''}" (only empty_service)`, `ignore：未知的值 “${a[0] ?? ''}”（只能是 empty_service）`)));
        break;
      case 'upstream': case 'endpoint': case 'tls': case 'kubeconfig': case 'labels': case 'namespace_labels': case 'noendpoints':
      case 'startup_timeout': case 'multicluster': case 'zonal': case 'apiserver_qps': case 'apiserver_burst': case 'apiserver_max_inflight': case 'resyncperiod':
        problems.push(problem('info', 'corefile.not-simulated', opt, text(`kubernetes option ${opt.text} has no effect in the simulator`, `kubernetes 的选项 ${opt.text} 在模拟器中不起作用`)));
        break;
      default:
        problems.push(problem('error', 'corefile.kubernetes', opt, text(`kubernetes: unknown property '${opt.text}'`, `kubernetes：未知的属性 “${opt.text}”`), undefined, `plugin/kubernetes: unknown property '${opt.text}'`));
    }
  }
  return k;
}

function parseForward(line: Line, problems: CorefileProblem[]): ForwardConfig | undefined {
  const [name, from, ...tos] = line.tokens;
  if (!from || !tos.length) { problems.push(argErr('forward', from ?? name)); return undefined; }
  const fz = parseKey(from.text);
  if (!fz) { problems.push(problem('error', 'corefile.forward', from, text(`forward: unable to normalize '${from.text}'`, `forward：无法规范化 “${from.text}”`), undefined, `plugin/forward: unable to normalize '${from.text}'`)); return undefined; }
  const f: ForwardConfig = { from: fz.zone, to: [], except: [], policy: 'random' };
  for (const t of tos) {
    if (t.text.startsWith('/')) { f.to.push(`file:${t.text}`); continue; }
    let host = t.text.replace(/^(dns|tls|https|grpc):\/\//, '');
    const bracket = /^\[(.*)\](:\d+)?$/.exec(host);
    if (bracket) host = bracket[1];
    else if (host.split(':').length === 2) host = host.replace(/:\d+$/, '');
    if (!isIPv4(host) && !isIPv6(host)) {
      problems.push(problem('error', 'corefile.forward', t, text(`forward: "${t.text}" is not an IP address or a resolv.conf-style file`, `forward：“${t.text}” 不是 IP 地址，也不是 resolv.conf 格式的文件`), undefined, `plugin/forward: not an IP address or file: "${t.text}"`));
      continue;
    }
    f.to.push(host);
  }
  if (f.to.length > 15) problems.push(problem('error', 'corefile.forward', tos[15], text(`forward: more than 15 TOs configured: ${f.to.length}`, `forward：上游超过 15 个：${f.to.length}`), undefined, `plugin/forward: more than 15 TOs configured: ${f.to.length}`));
  for (const sub of line.block ?? []) {
    const [opt, ...args] = sub.tokens;
    if (!opt) continue;
    if (opt.text === 'except') f.except = args.map((a) => fqdn(a.text));
    else if (opt.text === 'policy') {
      const p = args[0]?.text;
      if (p === 'random' || p === 'round_robin' || p === 'sequential') f.policy = p;
      else problems.push(problem('error', 'corefile.forward', args[0] ?? opt, text(`forward: unknown policy '${p ?? ''}'`, `forward：未知的策略 “${p ?? ''}”`), undefined, `plugin/forward: unknown policy '${p ?? ''}'`));
    } else if (['max_concurrent', 'max_fails', 'health_check', 'force_tcp', 'prefer_udp', 'expire', 'tls', 'tls_servername', 'max_idle_conns', 'max_age', 'read_timeout', 'max_connect_attempts', 'next', 'failfast_all_unhealthy_upstreams', 'failover'].includes(opt.text)) {
      // Connection handling: no effect on the answers.
    } else problems.push(problem('error', 'corefile.forward', opt, text(`forward: unknown property '${opt.text}'`, `forward：未知的属性 “${opt.text}”`), undefined, `plugin/forward: unknown property '${opt.text}'`));
  }
  return f;
}

function parseCache(line: Line, blockZones: string[], problems: CorefileProblem[]): CacheConfig | undefined {
  const c: CacheConfig = { zones: blockZones, successTTL: 3600, successMin: 5, denialTTL: 1800, denialMin: 5, servfailTTL: 5, disableSuccess: [], disableDenial: [], keepTTL: false };
  let args = line.tokens.slice(1);
  if (args.length && isInt(args[0].text)) {
    const ttl = Number(args[0].text);
    if (ttl <= 0) { problems.push(problem('error', 'corefile.cache', args[0], text(`cache TTL can not be zero or negative: ${ttl}`, `cache 的 TTL 不能为 0 或负数：${ttl}`), undefined, `plugin/cache: cache TTL can not be zero or negative: ${ttl}`)); return undefined; }
    c.successTTL = ttl; c.denialTTL = ttl;
    args = args.slice(1);
  }
  c.zones = zonesFrom(args, blockZones, problems);
  const dur = (s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    const m = /^(\d+)(s|m|h)?$/.exec(s);
    return m ? Number(m[1]) * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 1) : undefined;
  };
  for (const sub of line.block ?? []) {
    const [opt, ...rest] = sub.tokens;
    if (!opt) continue;
    const a = rest.map((t) => t.text);
    if (opt.text === 'success' || opt.text === 'denial') {
      if (!a.length) { problems.push(argErr('cache', opt)); continue; }
      if (!isInt(a[0])) { problems.push(problem('error', 'corefile.cache', rest[0], text(`cache ${opt.text}: capacity must be a number (not "${a[0]}")`, `cache ${opt.text}：容量必须是数字（不是 “${a[0]}”）`))); continue; }
      const ttl = a[1] !== undefined ? Number(a[1]) : undefined;
      const min = a[2] !== undefined ? Number(a[2]) : undefined;
      if (opt.text === 'success') { if (ttl) c.successTTL = ttl; if (min !== undefined) c.successMin = min; }
      else { if (ttl) c.denialTTL = ttl; if (min !== undefined) c.denialMin = min; }
    } else if (opt.text === 'disable') {
      if (a[0] !== 'success' && a[0] !== 'denial') { problems.push(problem('error', 'corefile.cache', rest[0] ?? opt, text(`cache disable: expected success or denial (not "${a[0] ?? ''}")`, `cache disable：应为 success 或 denial（不是 “${a[0] ?? ''}”）`))); continue; }
      const zones = a.length > 1 ? a.slice(1).map((z) => parseKey(z)?.zone ?? fqdn(z)) : ['.'];
      if (a[0] === 'success') c.disableSuccess = zones; else c.disableDenial = zones;
    } else if (opt.text === 'servfail') {
      const d = dur(a[0]);
      if (d === undefined) problems.push(argErr('cache', opt)); else c.servfailTTL = d;
    } else if (opt.text === 'keepttl') c.keepTTL = true;
    else if (opt.text === 'prefetch' || opt.text === 'serve_stale' || opt.text === 'serve_stale_policy') {
      problems.push(problem('info', 'corefile.not-simulated', opt, text(`cache ${opt.text} has no effect in the simulator`, `cache 的 ${opt.text} 在模拟器中不起作用`)));
    } else problems.push(problem('error', 'corefile.cache', opt, text(`cache: unknown property '${opt.text}'`, `cache：未知的属性 “${opt.text}”`), undefined, `plugin/cache: unknown property '${opt.text}'`));
  }
  return c;
}

function parseHosts(line: Line, blockZones: string[], problems: CorefileProblem[]): HostsConfig {
  const args = line.tokens.slice(1);
  const h: HostsConfig = { file: '/etc/hosts', zones: blockZones, inline: [], ttl: 3600, noReverse: false, fallthroughUnsupported: false };
  if (args.length) { h.file = args[0].text; h.zones = zonesFrom(args.slice(1), blockZones, problems); }
  for (const sub of line.block ?? []) {
    const [opt, ...rest] = sub.tokens;
    if (!opt) continue;
    const a = rest.map((t) => t.text);
    if (opt.text === 'ttl') {
      if (!isInt(a[0]) || Number(a[0]) < 0 || Number(a[0]) > 65535) problems.push(problem('error', 'corefile.hosts', rest[0] ?? opt, text(`hosts: ttl must be a number of seconds from 0 to 65535 (not "${a[0] ?? ''}")`, `hosts：ttl 必须是 0 到 65535 之间的秒数（不是 “${a[0] ?? ''}”）`)));
      else h.ttl = Number(a[0]);
    } else if (opt.text === 'no_reverse') h.noReverse = true;
    else if (opt.text === 'reload') { /* the file never changes here */ } else if (opt.text === 'fallthrough') h.fallthrough = a.length ? a.map((z) => parseKey(z)?.zone ?? fqdn(z)) : ['.'];
    else if (opt.text === 'fallthrough_unsupported') h.fallthroughUnsupported = true;
    else if (isIPv4(opt.text) || isIPv6(opt.text.replace(/%.*$/, ''))) {
      if (!a.length) problems.push(problem('warning', 'corefile.hosts', opt, text(`hosts: the line "${opt.text}" names no host; CoreDNS skips it`, `hosts：“${opt.text}” 这一行没有主机名，CoreDNS 会跳过它`)));
      else h.inline.push({ ip: opt.text.replace(/%.*$/, ''), names: a.map((n) => fqdn(n)) });
    } else problems.push(problem('error', 'corefile.hosts', opt, text(`hosts: "${opt.text}" is neither an option nor an IP address starting a hosts line`, `hosts：“${opt.text}” 既不是选项，也不是以 IP 开头的 hosts 行`), text('An inline entry is written "IP NAME [NAME...]", e.g. 10.0.0.1 db.example.com', '内联条目写作 “IP 名字 [名字...]”，例如 10.0.0.1 db.example.com')));
  }
  if (h.fallthroughUnsupported && !h.fallthrough) problems.push(problem('error', 'corefile.hosts', line.tokens[0], text('hosts: fallthrough_unsupported requires fallthrough', 'hosts：fallthrough_unsupported 需要同时写 fallthrough')));
  return h;
}

function parseRewrite(line: Line, problems: CorefileProblem[]): RewriteRule | undefined {
  let args = line.tokens.slice(1);
  if (line.block) {
    problems.push(problem('info', 'corefile.not-simulated', line.tokens[0], text('rewrite with a block is not simulated; write the rule on one line: rewrite name FROM TO', '带块的 rewrite 不在模拟范围内；请写成一行：rewrite name FROM TO')));
    return undefined;
  }
  let stop = true;
  if (args[0]?.text === 'continue' || args[0]?.text === 'stop') { stop = args[0].text === 'stop'; args = args.slice(1); }
  const field = args[0];
  if (!field) { problems.push(argErr('rewrite', line.tokens[0])); return undefined; }
  if (field.text !== 'name') {
    problems.push(problem('info', 'corefile.not-simulated', field, text(`rewrite ${field.text} is not simulated (only rewrite name)`, `rewrite ${field.text} 不在模拟范围内（只模拟 rewrite name）`)));
    return undefined;
  }
  let rest = args.slice(1).map((t) => t.text);
  let match: RewriteRule['match'] = 'exact';
  if (['exact', 'prefix', 'suffix', 'substring', 'regex'].includes(rest[0]) && rest.length >= 3) { match = rest[0] as RewriteRule['match']; rest = rest.slice(1); }
  if (rest.length < 2) { problems.push(argErr('rewrite', field)); return undefined; }
  const [from, to, ...opts] = rest;
  const answerAuto = opts[0] === 'answer' && opts[1] === 'auto';
  if (opts.length && !answerAuto) problems.push(problem('info', 'corefile.not-simulated', field, text(`rewrite options "${opts.join(' ')}" are not simulated`, `rewrite 的选项 “${opts.join(' ')}” 不在模拟范围内`)));
  if (match === 'regex') {
    try { new RegExp(from); } catch {
      problems.push(problem('error', 'corefile.rewrite', field, text(`rewrite: invalid regex pattern "${from}"`, `rewrite：无效的正则表达式 “${from}”`)));
      return undefined;
    }
  }
  const norm = (s: string) => (match === 'exact' ? fqdn(s) : s.toLowerCase());
  return { match, from: norm(from), to: norm(to), answerAuto, stop };
}

/** The server blocks and their plugins, as CoreDNS's setup would build them. */
export function buildCorefile(src: string): CorefileConfig {
  const parsed = parseCorefile(src);
  const problems = [...parsed.problems];
  const servers: ServerConfig[] = [];
  const seen = new Map<string, Token>();
  parsed.blocks.forEach((b, index) => {
    const zones: string[] = [];
    let port = 53;
    for (const key of b.keys) {
      const k = parseKey(key.text);
      if (!k) { problems.push(problem('error', 'corefile.zone', key, text(`"${key.text}" is not a valid server block address (zone[:port])`, `“${key.text}” 不是合法的服务器块地址（区域[:端口]）`))); continue; }
      const id = `${k.zone}:${k.port}`;
      if (seen.has(id)) problems.push(problem('error', 'corefile.duplicate', key, text(`zone ${k.zone} on port ${k.port} is defined twice (first on line ${seen.get(id)!.line})`, `区域 ${k.zone} 的端口 ${k.port} 被定义了两次（第一次在第 ${seen.get(id)!.line} 行）`), undefined, `cannot serve dns://${k.zone}:${k.port} - it is already defined`));
      seen.set(id, key);
      zones.push(k.zone);
      port = k.port;
      if (k.scheme !== 'dns') problems.push(problem('info', 'corefile.not-simulated', key, text(`${k.scheme}:// servers are not simulated; only plain DNS on port 53 answers queries`, `${k.scheme}:// 服务不在模拟范围内；只有 53 端口上的普通 DNS 会应答`)));
    }
    if (!b.keys.length) return;
    const s: ServerConfig = { zones, port, loadbalance: false, rewrite: [], index };
    const used = new Set<string>();
    for (const line of b.lines) {
      const head = line.tokens[0];
      if (!head) continue;
      const name = head.text;
      if (!PLUGIN_ORDER.includes(name)) {
        problems.push(problem('error', 'corefile.unknown-directive', head, text(`unknown directive '${name}': CoreDNS would not start with this Corefile`, `未知指令 “${name}”：CoreDNS 无法用这个 Corefile 启动`),
          name === 'proxy' ? text('The proxy plugin was removed in CoreDNS 1.5; use forward . /etc/resolv.conf', 'proxy 插件在 CoreDNS 1.5 中已被移除，请改用 forward . /etc/resolv.conf') : undefined, `Corefile:${head.line} - Error during parsing: Unknown directive '${name}'`));
        continue;
      }
      if (SIMULATED.has(name) && name !== 'rewrite' && used.has(name)) { problems.push(once(name, head)); continue; }
      used.add(name);
      if (name === 'kubernetes') s.kubernetes = parseKubernetes(line, zones, problems);
      else if (name === 'forward') s.forward = parseForward(line, problems);
      else if (name === 'cache') s.cache = parseCache(line, zones, problems);
      else if (name === 'loadbalance') {
        const policy = line.tokens[1]?.text ?? 'round_robin';
        if (policy === 'round_robin') s.loadbalance = true;
        else problems.push(problem('info', 'corefile.not-simulated', line.tokens[1], text(`loadbalance ${policy} is not simulated (only round_robin)`, `loadbalance ${policy} 不在模拟范围内（只模拟 round_robin）`)));
      } else if (name === 'hosts') s.hosts = parseHosts(line, zones, problems);
      else if (name === 'rewrite') { const r = parseRewrite(line, problems); if (r) s.rewrite.push(r); }
      else if (!NO_EFFECT.has(name)) problems.push(problem('info', 'corefile.not-simulated', head, text(`plugin ${name} is not simulated: the simulator ignores it`, `插件 ${name} 不在模拟范围内，模拟器忽略它`)));
    }
    if (s.hosts && !s.hosts.fallthrough && zones.includes('.') ) {
      problems.push(problem('warning', 'corefile.hosts-no-fallthrough', b.lines.find((l) => l.tokens[0]?.text === 'hosts')!.tokens[0],
        text('hosts without fallthrough answers SERVFAIL for every name it does not list: cluster and external names stop resolving', '没有 fallthrough 的 hosts 对它未列出的每个名字都回答 SERVFAIL：集群内和外部的名字都将无法解析'),
        text('Add a line "fallthrough" inside the hosts block', '在 hosts 块中加一行 “fallthrough”')));
    }
    servers.push(s);
  });
  return { servers, problems };
}
