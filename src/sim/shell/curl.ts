// `curl [-s] [-S] [-v] [-m SECS] [-X M] [-d DATA] [-o FILE] URL`, on a node or in a pod: one
// TCP connection through the simulated dataplane (sampled like the kernel would, with
// `-m recent` affinity kept between calls), then the body of the pod that answered.
//
// Output is curl's with stdout on a terminal (no progress meter). Error texts follow the
// node's OS: curl 7.81.0 (Ubuntu 22.04, the default) prints the errno text —
//   curl: (7) Failed to connect to 10.96.0.5 port 80 after 0 ms: Connection refused
// while curl 7.88.1 (Debian 12; verified on this machine) says "Couldn't connect to server"
// for every connect failure:
//   curl: (7) Failed to connect to 10.96.0.8 port 80 after 0 ms: Couldn't connect to server
//   curl: (28) Failed to connect to 10.96.0.7 port 80 after 134892 ms: Couldn't connect to server
// With -m/--max-time shorter than the failure both print
//   curl: (28) Connection timed out after 2001 milliseconds
// -v is accepted but prints no protocol trace; -X/-d/-H are accepted and ignored (every
// simulated server answers GET-style).
import type { ShellContext, ShellResult } from './types';
import { fail, ok } from './types';
import { httpConnect, parseHttpUrl } from './http-client';

interface CurlArgs {
  url?: string;
  silent: boolean;
  showError: boolean;
  maxTime?: number;
  output?: string;
  fail: boolean;
}

const WITH_VALUE = new Set(['-X', '--request', '-d', '--data', '--data-raw', '--data-binary', '-H', '--header', '-A', '--user-agent',
  '-e', '--referer', '-u', '--user', '-b', '--cookie', '-c', '--cookie-jar', '--connect-timeout', '-w', '--write-out', '--resolve', '-x', '--proxy', '-T', '--upload-file']);

function curlVersion(ctx: ShellContext): '7.81.0' | '7.88.1' {
  // Inside a pod the image's curl answers; the simulator prints 7.81's texts there.
  if (ctx.where.kind === 'pod') return '7.81.0';
  const node = ctx.where.node;
  const os = ctx.api.snapshot().nodes.find((n) => n.metadata.name === node)?.status?.nodeInfo?.osImage ?? '';
  return /debian gnu\/linux 12/i.test(os) ? '7.88.1' : '7.81.0';
}

export function curlCommand(argv: string[], ctx: ShellContext): ShellResult | null {
  if (argv[0] !== 'curl') return null;
  if (ctx.where.kind === 'pod') {
    const pod = ctx.api.snapshot().pods.find((p) => ctx.where.kind === 'pod' && p.metadata.namespace === ctx.where.namespace && p.metadata.name === ctx.where.pod);
    // busybox has no curl (the course uses its wget instead).
    if (/(^|\/)busybox(:|$)/.test(pod?.spec?.containers?.[0]?.image ?? '')) return fail('sh: curl: not found\n', 127);
  }
  const a: CurlArgs = { silent: false, showError: false, fail: false };
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i];
    if (w === '-m' || w === '--max-time') { a.maxTime = Number(argv[++i]); continue; }
    if (w.startsWith('--max-time=')) { a.maxTime = Number(w.slice(11)); continue; }
    if (w === '-o' || w === '--output') { a.output = argv[++i]; continue; }
    if (WITH_VALUE.has(w)) { i++; continue; }
    if (w.startsWith('--')) {
      if (w === '--silent') a.silent = true;
      else if (w === '--show-error') a.showError = true;
      else if (w === '--fail') a.fail = true;
      else if (w === '--url') a.url = argv[++i];
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        if (c === 's') a.silent = true;
        else if (c === 'S') a.showError = true;
        else if (c === 'f') a.fail = true;
        else if ('mXdHoAeubcwxT'.includes(c)) {
          const rest = w.slice(k + 1);
          const value = rest || argv[++i];
          if (c === 'm') a.maxTime = Number(value);
          if (c === 'o') a.output = value;
          break;
        }
      }
      continue;
    }
    a.url ??= w;
  }
  const quiet = a.silent && !a.showError;
  const err = (code: number, text: string): ShellResult => fail(quiet ? '' : `curl: (${code}) ${text}\n`, code);
  if (!a.url) return fail("curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
  const u = parseHttpUrl(a.url);
  if (!u) return err(3, 'URL using bad/illegal format or missing URL');
  const { scheme, host, port } = u;
  if (scheme !== 'http' && scheme !== 'https') return err(1, `Protocol "${scheme}" not supported or disabled in libcurl`);
  if (!host) return err(3, 'URL using bad/illegal format or missing URL');
  const r = httpConnect(ctx, host, port, u.path);
  if (r.kind === 'unresolved') return err(6, `Could not resolve host: ${host}`);
  if (r.kind === 'no-dataplane') return err(7, `Failed to connect to ${host} port ${port} after 0 ms: Connection refused`);
  if (r.kind === 'error') return fail(`curl: ${r.error}\n`, 7);
  const c = r.conn;
  const v = curlVersion(ctx);
  const why = (errno: string) => (v === '7.88.1' ? "Couldn't connect to server" : errno);
  const limit = a.maxTime !== undefined && Number.isFinite(a.maxTime) ? Math.round(a.maxTime * 1000) : undefined;
  if (c.outcome === 'refused') return err(7, `Failed to connect to ${host} port ${port} after 0 ms: ${why('Connection refused')}`);
  if (c.outcome === 'timeout' || c.outcome === 'unreachable') {
    if (limit !== undefined && limit < c.failMs) return err(28, `Connection timed out after ${limit + 1} milliseconds`);
    if (c.outcome === 'timeout') return err(28, `Failed to connect to ${host} port ${port} after ${c.failMs} ms: ${why('Connection timed out')}`);
    return err(7, `Failed to connect to ${host} port ${port} after ${c.failMs} ms: ${why('No route to host')}`);
  }
  const body = c.body ?? '';
  if (scheme === 'https') return err(35, 'error:0A00010B:SSL routines::wrong version number');
  if (a.output !== undefined && a.output !== '-') {
    if (a.output !== '/dev/null') ctx.api.writeFile?.(ctx.where, a.output.startsWith('/') ? a.output : `/${a.output}`, body, false);
    return ok('');
  }
  return ok(body);
}

