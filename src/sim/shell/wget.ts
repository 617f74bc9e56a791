// `wget`, on a node or in a pod: one HTTP GET through the simulated dataplane (http-client.ts,
// the same connection curl makes), the body saved to a file in the pod or written to stdout.
//
// busybox's wget (busybox and Alpine images; networking/wget.c, libbb/progress.c):
//   $ wget demoapp-svc                       (stderr)
//   Connecting to demoapp-svc (10.96.0.5:80)
//   saving to 'index.html'                                   ← 1.31 and later
//   index.html           100% |********************************|   615  0:00:00 ETA
//   'index.html' saved                                       ← 1.31 and later
// `-O -` writes the body to stdout ("writing to stdout" … "written to stdout"), `-q` keeps
// only the body and the errors, `--spider` says "remote file exists", `-T SEC` bounds the
// connect. The progress line is its last redraw without the leading carriage return (what a
// terminal shows; with stderr not a terminal 1.30+ print exactly this line); busybox 1.28 and
// older draw it as `index.html           100% |*******************************|   615   0:00:00 ETA`.
// Errors: `wget: bad address 'HOST'`, `wget: can't connect to remote host (IP): Connection
// refused` (or `Connection timed out` after the kernel's ~130 s, `No route to host`),
// `wget: download timed out` when -T is shorter, `wget: server returned error: HTTP/1.1 404
// Not Found`, `wget: can't open 'index.html': File exists` (without -O, busybox never
// overwrites).
//
// GNU wget 1.21.2 (the Ubuntu nodes, GNU images): with -q exactly as real (the body, or
// nothing and exit status 4 for a network failure, 8 for an HTTP error). Without -q its log as
// wget writes it when stderr is not a terminal (dot progress: 55 columns of dots and blanks
// for the first 50 K), derived from its sources:
//   --2025-06-01 08:00:05--  http://10.96.0.5/
//   Connecting to 10.96.0.5:80... connected.
//   HTTP request sent, awaiting response... 200 OK
//   Length: 615 [text/html]
//   Saving to: ‘index.html’
//   (blank)
//        0K                                                       100% 41.2M=0s
//   (blank)
//   2025-06-01 08:00:05 (41.2 MB/s) - ‘index.html’ saved [615/615]
//   (blank)
// Retries are not simulated: a timed-out connect ends as with `-t 1` ("Giving up.").
import type { ClusterSnapshot } from '../snapshot';
import type { ShellContext, ShellResult } from './types';
import { fail } from './types';
import { httpConnect, httpStatusOf } from './http-client';
import { userlandAt, busyboxAtLeast, type Userland } from './userland';

const BUSYBOX_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
	[--post-data STR | --post-file FILE] [-Y on/off]
	[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

	--spider	Only check URL existence: $? is 0 if exists
	--header STR	Add STR (of form 'header: value') to headers
	--post-data STR	Send STR using POST method
	--post-file FILE	Send FILE using POST method
	--no-check-certificate	Don't validate the server's certificate
	-c		Continue retrieval of aborted transfer
	-q		Quiet
	-P DIR		Save to DIR (default .)
	-S    		Show server response
	-T SEC		Network read timeout is SEC seconds
	-O FILE		Save to FILE ('-' for stdout)
	-o LOGFILE	Log messages to FILE
	-U STR		Use STR for User-Agent header
	-Y on/off	Use proxy
`;

interface WgetArgs {
  urls: string[];
  quiet: boolean;
  output?: string;
  log?: string;
  prefix?: string;
  timeout?: number;
  spider: boolean;
}

const SHORT_WITH_VALUE = 'OoPYUTtn';
const LONG_WITH_VALUE: Record<string, keyof WgetArgs | undefined> = {
  '--output-document': 'output', '--output-file': 'log', '--directory-prefix': 'prefix', '--timeout': 'timeout',
  '--proxy': undefined, '--user-agent': undefined, '--tries': undefined, '--header': undefined, '--post-data': undefined, '--post-file': undefined,
};

function parseArgs(args: string[]): WgetArgs {
  const a: WgetArgs = { urls: [], quiet: false, spider: false };
  const set = (key: keyof WgetArgs | undefined, value: string) => {
    if (key === 'output') a.output = value;
    else if (key === 'log') a.log = value;
    else if (key === 'prefix') a.prefix = value;
    else if (key === 'timeout') a.timeout = Number(value);
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq === -1 ? w : w.slice(0, eq);
      if (name === '--quiet') a.quiet = true;
      else if (name === '--spider') a.spider = true;
      else if (name in LONG_WITH_VALUE) set(LONG_WITH_VALUE[name], eq === -1 ? args[++i] ?? '' : w.slice(eq + 1));
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        if (c === 'q') a.quiet = true;
        else if (SHORT_WITH_VALUE.includes(c)) {
          const value = c === 'n' ? w.slice(k + 1) : w.slice(k + 1) || (args[++i] ?? '');
          set(({ O: 'output', o: 'log', P: 'prefix', T: 'timeout' } as Record<string, keyof WgetArgs>)[c], value);
          break;
        }
      }
      continue;
    }
    a.urls.push(w);
  }
  return a;
}

interface Target {
  url: string;
  scheme: string;
  /** host[:port] as written. */
  hostPort: string;
  host: string;
  port: number;
  /** The path after the host, without its leading `/`. */
  path: string;
}

function parseUrl(url: string): Target | { error: string } {
  let rest = url;
  let scheme = 'http';
  const m = /^([^:/?#]*):\/\//.exec(url);
  if (m) {
    scheme = m[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'ftp') return { error: `not an http or ftp url: ${url}` };
    rest = url.slice(m[0].length);
  }
  const cut = rest.search(/[/?#]/);
  let hostPort = cut === -1 ? rest : rest.slice(0, cut);
  const path = cut === -1 ? '' : rest.slice(cut + 1);
  const at = hostPort.lastIndexOf('@');
  if (at !== -1) hostPort = hostPort.slice(at + 1);
  const pm = /^(.*):(\d+)$/.exec(hostPort);
  const host = pm ? pm[1] : hostPort;
  const port = pm ? Number(pm[2]) : scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80;
  return { url, scheme, hostPort, host, port, path };
}

function joinPath(cwd: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${cwd}/${p}`).split('/');
  const out: string[] = [];
  for (const x of parts) {
    if (x === '' || x === '.') continue;
    if (x === '..') out.pop(); else out.push(x);
  }
  return `/${out.join('/')}`;
}

/** libbb's smart_ulltoa5: a size in 5 columns ("  615", "12345", " 117k", "1.2M"…). */
function ulltoa5(n: number): string {
  const scale = ' kMGTPEZY';
  let idx = 0;
  let ul = n;
  if (ul > 99999) {
    ul *= 10;
    do { ul = Math.floor(ul / 1024); idx++; } while (ul >= 100000);
  }
  let v = ul;
  const u = Math.floor(v / 10);
  v %= 10;
  if (!idx) return String(n).padStart(5);
  if (u >= 100) return `${String(Math.floor(u / 10)).padStart(3)}${u % 10}${scale[idx]}`;
  return `${String(u).padStart(2)}.${v}${scale[idx]}`;
}

/** The progress line at the end of a download. */
function busyboxProgress(u: Userland, file: string, size: number): string {
  if (size === 0) return '';
  const name = file.slice(0, 20).padEnd(20);
  if (busyboxAtLeast(u, 1, 29)) return `${name} 100% |${'*'.repeat(32)}| ${ulltoa5(size)}  0:00:00 ETA\n`;
  let scaled = size;
  let k = 0;
  while (scaled >= 100000) { scaled = Math.floor(scaled / 1024); k++; }
  return `${name} 100% |${'*'.repeat(31)}|${String(scaled).padStart(6)}${' kMGTPEZY'[k]}  0:00:00 ETA\n`;
}

export function wgetCommand(argv: string[], ctx: ShellContext, cwd: string): ShellResult | null {
  if (argv[0] !== 'wget') return null;
  const snap = ctx.api.snapshot();
  const u = userlandAt(snap, ctx.where);
  if (u.kind === 'slim') return null; // not installed: the shell says "not found"
  const a = parseArgs(argv.slice(1));
  const r = u.kind === 'busybox' ? busyboxWget(a, ctx, cwd, u) : gnuWget(a, ctx, cwd, snap);
  if (a.log && a.log !== '-') {
    ctx.api.writeFile?.(ctx.where, joinPath(cwd, a.log), r.stderr, false);
    return { ...r, stderr: '' };
  }
  return r;
}

function busyboxWget(a: WgetArgs, ctx: ShellContext, cwd: string, u: Userland): ShellResult {
  if (a.urls.length === 0) return fail(BUSYBOX_USAGE, 1);
  const notes = busyboxAtLeast(u, 1, 31);
  const toStdout = a.output === '-';
  let stdout = '';
  let stderr = '';
  const die = (msg: string): ShellResult => ({ stdout, stderr: `${stderr}wget: ${msg}\n`, exitCode: 1 });
  for (const url of a.urls) {
    const t = parseUrl(url);
    if ('error' in t) return die(t.error);
    let fname = a.output;
    if (fname === undefined) {
      const last = t.path.slice(t.path.lastIndexOf('/') + 1);
      fname = last || 'index.html';
      if (a.prefix) fname = `${a.prefix.replace(/\/+$/, '')}/${fname}`;
    }
    const c = httpConnect(ctx, t.host, t.port, `/${t.path}`);
    if (c.kind === 'unresolved') return die(`bad address '${t.hostPort}'`);
    if (c.kind === 'no-dataplane') return die(`can't connect to remote host: Connection refused`);
    if (c.kind === 'error') return die(c.error);
    if (!a.quiet) stderr += `Connecting to ${t.hostPort} (${c.ip}:${t.port})\n`;
    const conn = c.conn;
    const limitMs = (a.timeout !== undefined && Number.isFinite(a.timeout) && a.timeout > 0 ? a.timeout : 900) * 1000;
    if (conn.outcome === 'refused') return die(`can't connect to remote host (${c.ip}): Connection refused`);
    if (conn.outcome === 'timeout' || conn.outcome === 'unreachable') {
      if (limitMs < conn.failMs) return die('download timed out');
      return die(`can't connect to remote host (${c.ip}): ${conn.outcome === 'timeout' ? 'Connection timed out' : 'No route to host'}`);
    }
    if (t.scheme === 'https') {
      stderr += `ssl_client: ${t.host}: handshake failed: error:0A00010B:SSL routines::wrong version number\n`;
      return die('error getting response: Connection reset by peer');
    }
    const body = conn.body ?? '';
    const status = httpStatusOf(body);
    if (status.code !== 200) return die(`server returned error: HTTP/1.1 ${status.code} ${status.reason}`);
    if (a.spider) {
      if (!a.quiet) stderr += 'remote file exists\n';
      continue;
    }
    if (toStdout) {
      if (!a.quiet && notes) stderr += 'writing to stdout\n';
      stdout += body;
      if (!a.quiet) stderr += busyboxProgress(u, '-', body.length) + (notes ? 'written to stdout\n' : '');
      continue;
    }
    const file = joinPath(cwd, fname);
    if (a.output === undefined && ctx.api.readFile?.(ctx.where, file) !== undefined) return die(`can't open '${fname}': File exists`);
    if (!a.quiet && notes) stderr += `saving to '${fname}'\n`;
    ctx.api.writeFile?.(ctx.where, file, body, false);
    if (!a.quiet) stderr += busyboxProgress(u, fname.slice(fname.lastIndexOf('/') + 1), body.length) + (notes ? `'${fname}' saved\n` : '');
  }
  return { stdout, stderr, exitCode: 0 };
}

/** wget's datetime_str: local time (the nodes run in UTC). */
function tms(snap: ClusterSnapshot): string {
  return snap.now.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** The Content-Type the server behind a connection sends. */
function contentType(snap: ClusterSnapshot, at: string): string {
  const [kind, ns, name] = at.split('/');
  const pod = kind === 'pod' ? snap.pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name) : undefined;
  const image = pod?.spec?.containers?.[0]?.image ?? '';
  if (/(^|\/)demoapp(:|$)/.test(image)) return 'text/html; charset=utf-8';
  if (/nginx|httpd/.test(image)) return 'text/html';
  return 'text/plain';
}

/** calc_rate + the `%.*f` precision both of wget's rate printers use. */
function rate(bytes: number, secs: number): { value: string; unit: number } {
  let r = bytes / secs;
  let unit = 0;
  while (r >= 1024 && unit < 4) { r /= 1024; unit++; }
  return { value: r.toFixed(r >= 99.95 ? 0 : r >= 9.995 ? 1 : 2), unit };
}

function gnuWget(a: WgetArgs, ctx: ShellContext, cwd: string, snap: ClusterSnapshot): ShellResult {
  if (a.urls.length === 0) return fail("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n", 1);
  const q = (s: string) => `‘${s}’`;
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const log = (s: string) => { if (!a.quiet) stderr += s; };
  for (const url of a.urls) {
    const t = parseUrl(url.includes('://') ? url : `http://${url}`);
    if ('error' in t) { stderr += `${url}: Unsupported scheme ${q(url.split('://')[0])}.\n`; exitCode = 1; continue; }
    const shown = `${t.scheme}://${t.hostPort.toLowerCase()}/${t.path}`;
    if (a.spider) log('Spider mode enabled. Check if remote file exists.\n');
    log(`--${tms(snap)}--  ${shown}\n`);
    const numeric = /^\d+\.\d+\.\d+\.\d+$/.test(t.host);
    if (!numeric) log(`Resolving ${t.host} (${t.host})... `);
    const c = httpConnect(ctx, t.host, t.port, `/${t.path}`);
    if (c.kind === 'unresolved') {
      log('failed: Name or service not known.\n');
      stderr += `wget: unable to resolve host address ${q(t.host)}\n`;
      exitCode = 4;
      continue;
    }
    const ip = c.kind === 'connected' ? c.ip : t.host;
    if (!numeric) log(`${ip}\n`);
    log(numeric ? `Connecting to ${ip}:${t.port}... ` : `Connecting to ${t.host} (${t.host})|${ip}|:${t.port}... `);
    if (c.kind !== 'connected') { log(`failed: ${c.kind === 'error' ? c.error : 'Connection refused'}.\n`); exitCode = 4; continue; }
    const conn = c.conn;
    if (conn.outcome !== 'ok') {
      const why = conn.outcome === 'refused' ? 'Connection refused' : conn.outcome === 'timeout' ? 'Connection timed out' : 'No route to host';
      log(`failed: ${why}.\n${conn.outcome === 'refused' ? '' : 'Giving up.\n\n'}`);
      exitCode = 4;
      continue;
    }
    log('connected.\n');
    if (t.scheme === 'https') {
      log('GnuTLS: An unexpected TLS packet was received.\nUnable to establish SSL connection.\n');
      exitCode = 4;
      continue;
    }
    const body = conn.body ?? '';
    const status = httpStatusOf(body);
    log(`HTTP request sent, awaiting response... ${status.code} ${status.reason}\n`);
    if (status.code !== 200) { log(`${tms(snap)} ERROR ${status.code}: ${status.reason}.\n\n`); exitCode = 8; continue; }
    const size = body.length;
    const human = size >= 1024 ? ` (${size / 1024 < 10 ? (size / 1024).toFixed(1) : Math.round(size / 1024)}K)` : '';
    log(`Length: ${size}${human} [${contentType(snap, conn.path.final.at)}]\n`);
    if (a.spider) { log('Remote file exists and could contain further links,\nbut recursion is disabled -- not retrieving.\n\n'); continue; }
    const toStdout = a.output === '-';
    let fname = a.output;
    if (fname === undefined) {
      const base = t.path.split(/[?#]/)[0];
      fname = base.slice(base.lastIndexOf('/') + 1) || 'index.html';
      if (a.prefix) fname = `${a.prefix.replace(/\/+$/, '')}/${fname}`;
      // Without -O an existing file is kept and the download goes to NAME.1, NAME.2, …
      const taken = (f: string) => ctx.api.readFile?.(ctx.where, joinPath(cwd, f)) !== undefined;
      if (taken(fname)) { let n = 1; while (taken(`${fname}.${n}`)) n++; fname = `${fname}.${n}`; }
    }
    log(`Saving to: ${q(toStdout ? 'STDOUT' : fname)}\n`);
    if (toStdout) stdout += body; else ctx.api.writeFile?.(ctx.where, joinPath(cwd, fname), body, false);
    // The dot progress (1 K per dot, 50 per row, a space every 10) and the rates, from a
    // transfer time drawn from the size.
    const secs = (8 + (size % 13)) / 1e6 + size / 5e9;
    const r = rate(size, secs);
    const dots = Math.floor(size / 1024);
    let row = '\n     0K';
    for (let i = 0; i < 50; i++) row += (i % 10 === 0 ? ' ' : '') + (i < dots ? '.' : ' ');
    log(`${row}100% ${r.value.padStart(4)}${' KMGT'[r.unit]}=0s\n\n`);
    const units = ['B/s', 'KB/s', 'MB/s', 'GB/s', 'TB/s'][r.unit];
    log(toStdout ? `${tms(snap)} (${r.value} ${units}) - written to stdout [${size}/${size}]\n\n` : `${tms(snap)} (${r.value} ${units}) - ${q(fname)} saved [${size}/${size}]\n\n`);
  }
  return { stdout, stderr, exitCode };
}
