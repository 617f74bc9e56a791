// nslookup, dig, host and `cat /etc/resolv.conf`, on nodes and in pods, over the simulated
// cluster DNS (src/sim/dns). Which nslookup answers depends on where it runs: bind 9.18's on
// the Ubuntu nodes and in dnsutils-style images, busybox's in busybox/alpine images (1.28 and
// older use libc and print `Address 1: IP NAME`), none in slim images. Queries go through the
// running simulation's DNS state (ctx.api.dns): CoreDNS caches count down between commands.
import type { ShellContext, ShellResult } from './types';
import { fail } from './types';
import type { Pod } from '../api/objects';
import { formatResolvConf, ndotsOf, nodeResolvConf, podResolvConf } from '../dns/resolv-conf';
import { lookupHost, query, resolvConfAt } from '../dns/resolver';
import { reverseName, type DnsReply } from '../dns/records';
import { BUSYBOX128_USAGE, BUSYBOX_QTYPES, BUSYBOX_USAGE, bindNslookup, busybox128Nslookup, busyboxNslookup, isIP } from '../dns/print-nslookup';
import { printDig, printDigNoResponse, printDigShort } from '../dns/print-dig';
import { ephemeralRuntime, type DnsRuntime } from '../dns/state';
import { createRng } from '../rng';

type Tools = 'bind' | 'busybox' | 'busybox128' | 'none';

export function toolsOfImage(image: string): Tools {
  const bb = /(?:^|\/)busybox(?::v?(\d+)\.(\d+))?/.exec(image);
  if (bb) return bb[1] !== undefined && (Number(bb[1]) < 1 || (Number(bb[1]) === 1 && Number(bb[2]) < 29)) ? 'busybox128' : 'busybox';
  if (/(?:^|\/)alpine(?::|$)/.test(image)) return 'busybox';
  if (/dnsutils|dnstools|netshoot|tools/.test(image)) return 'bind';
  return 'none';
}

function podAt(ctx: ShellContext): Pod | undefined {
  const w = ctx.where;
  if (w.kind !== 'pod') return undefined;
  return ctx.api.snapshot().pods.find((p) => p.metadata.namespace === w.namespace && p.metadata.name === w.pod);
}

function toolsAt(ctx: ShellContext): Tools {
  if (ctx.where.kind === 'node') return 'bind';
  return toolsOfImage(podAt(ctx)?.spec?.containers?.[0]?.image ?? '');
}

const notFound = (cmd: string): ShellResult => fail(`sh: ${cmd}: not found\n`, 127);

/** The running simulation's DNS memory, or one that forgets (a read-only fixture). */
function runtime(ctx: ShellContext): DnsRuntime {
  return ctx.api.dns?.() ?? ephemeralRuntime(ctx.api.snapshot().now);
}

export function dnsCommand(argv: string[], ctx: ShellContext): ShellResult | null {
  const [cmd] = argv;
  if (cmd === 'cat' && argv.length === 2 && argv[1] === '/etc/resolv.conf') return catResolvConf(ctx);
  if (cmd !== 'nslookup' && cmd !== 'dig' && cmd !== 'host') return null;
  const tools = toolsAt(ctx);
  if (tools === 'none' || (cmd !== 'nslookup' && tools !== 'bind')) return notFound(cmd);
  if (cmd === 'nslookup') return nslookup(argv.slice(1), ctx, tools);
  if (cmd === 'dig') return dig(argv.slice(1), ctx);
  return host(argv.slice(1), ctx);
}

function catResolvConf(ctx: ShellContext): ShellResult {
  const snap = ctx.api.snapshot();
  const w = ctx.where;
  const rt = runtime(ctx);
  if (w.kind === 'node') return { stdout: nodeResolvConf(snap.nodes.find((n) => n.metadata.name === w.node), rt).text, stderr: '', exitCode: 0 };
  const written = ctx.api.readFile?.(w, '/etc/resolv.conf');
  if (written !== undefined) return { stdout: written, stderr: '', exitCode: 0 };
  const pod = podAt(ctx);
  if (!pod) return fail(`cat: can't open '/etc/resolv.conf': No such file or directory\n`);
  return { stdout: formatResolvConf(podResolvConf(snap, pod, rt)), stderr: '', exitCode: 0 };
}

const DNS_TYPES = ['A', 'AAAA', 'NS', 'CNAME', 'SOA', 'PTR', 'MX', 'TXT', 'SRV', 'ANY', 'HINFO', 'NAPTR', 'CAA', 'DS', 'DNSKEY', 'AXFR', 'IXFR'];

const BIND_USAGE = 'Usage:\n   nslookup [-opt ...]             # interactive mode using default server\n   nslookup [-opt ...] - server    # interactive mode using \'server\'\n   nslookup [-opt ...] host        # just look up \'host\' using default server\n   nslookup [-opt ...] host server # just look up \'host\' using \'server\'\n';

function nslookup(args: string[], ctx: ShellContext, tools: Tools): ShellResult {
  const snap = ctx.api.snapshot();
  const rt = runtime(ctx);
  const rc = resolvConfAt(snap, ctx.where, rt);
  if (tools === 'busybox128') {
    // 1.28 takes no options at all: `nslookup [HOST] [SERVER]`.
    if (!args[0] || args[0].startsWith('-') || args.length > 2) return fail(BUSYBOX128_USAGE, 1);
    return busybox128Nslookup(snap, rc, args[0], { server: args[1], rt });
  }
  if (tools === 'busybox') {
    const types: string[] = [];
    let i = 0;
    for (; i < args.length && args[i].startsWith('-'); i++) {
      const [opt, val = ''] = args[i].slice(1).split(/=(.*)/s);
      if (opt === 'type' || opt === 'querytype') {
        const t = val.toUpperCase();
        if (!BUSYBOX_QTYPES.includes(t)) return fail(`nslookup: invalid query type "${val}"\n`, 1);
        types.push(t);
      } else if (!['port', 'retry', 'debug', 't', 'timeout'].includes(opt)) return fail(BUSYBOX_USAGE, 1);
    }
    const [name, server, extra] = args.slice(i);
    if (!name || extra !== undefined) return fail(BUSYBOX_USAGE, 1);
    return busyboxNslookup(snap, rc, name, { server, rt, types });
  }
  // bind: options anywhere before the name (setoption), `-type=` `-ty=` `-querytype=` `-query=` `-qu=` `-q=`.
  let type: string | undefined;
  const words: string[] = [];
  let out = '';
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1) {
      if (/^-ver/i.test(a)) return { stdout: '', stderr: 'nslookup 9.18.28-0ubuntu0.22.04.1-Ubuntu\n', exitCode: 0 };
      const m = /^-(type|ty|querytype|query|qu|q)=(.*)$/i.exec(a);
      if (m) {
        if (DNS_TYPES.includes(m[2].toUpperCase())) type = m[2].toUpperCase();
        else out += `unknown query type: ${m[2]}\n`;
      } else if (!/^-(debug|nodebug|d2|nod2|search|nosearch|recurse|norecurse|vc|novc|fail|nofail|defname|nodefname|sil|(port|po|timeout|t|retry|ret|ndots|class|cl|domain|do)=.*)$/i.test(a)) out += `*** Invalid option: ${a.slice(1)}\n`;
      continue;
    }
    words.push(a);
  }
  const [name, server, extra] = words;
  if (extra !== undefined) return { stdout: out, stderr: BIND_USAGE, exitCode: 1 };
  if (!name) return fail('kubesim: interactive nslookup is not simulated; give a name: nslookup [-type=X] NAME [SERVER]\n', 1);
  const r = bindNslookup(snap, rc, name, { type, server, rt });
  return { ...r, stdout: out + r.stdout };
}

function digId(ctx: ShellContext, rt: DnsRuntime, qname: string, type: string) {
  const snap = ctx.api.snapshot();
  const rng = createRng(`${snap.seed}/dig/${rt.state.queries}/${snap.now}/${qname}/${type}`);
  const cookie = Array.from({ length: 16 }, () => '0123456789abcdef'[rng.int(16)]).join('');
  return { rng, cookie, id: rng.int(65536) };
}

function dig(args: string[], ctx: ShellContext): ShellResult {
  const snap = ctx.api.snapshot();
  const rt = runtime(ctx);
  const rc = resolvConfAt(snap, ctx.where, rt);
  let server = rc.nameservers[0];
  let serverArg: string | undefined;
  let type: string | undefined;
  let name: string | undefined;
  let short = false;
  let search = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) { serverArg = a.slice(1); server = serverArg; }
    else if (a === '-t') type = (args[++i] ?? 'A').toUpperCase();
    else if (a.startsWith('-t') && a.length > 2) type = a.slice(2).toUpperCase();
    else if (a === '-x') { name = reverseName(args[++i] ?? ''); type ??= 'PTR'; }
    else if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a === '+nosearch') search = false;
    else if (a.startsWith('+') || a.startsWith('-')) continue;
    else if (DNS_TYPES.includes(a.toUpperCase()) && type === undefined) type = a.toUpperCase();
    else if (a.toUpperCase() === 'IN') continue;
    else name ??= a;
  }
  name ??= '.';
  type ??= name === '.' ? 'NS' : 'A';
  if (serverArg !== undefined && !isIP(serverArg)) {
    const ip = lookupHost(snap, rc, serverArg, 'glibc', undefined, rt).addresses.find((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x));
    if (!ip) return fail(`dig: couldn't get address for '${serverArg}': not found\n`, 10);
    server = ip;
  }
  if (!server) return fail(';; no servers could be reached\n', 9);
  // dig asks the name as given (`.` appended); `+search` walks the search list as nslookup does.
  let names = [name.endsWith('.') ? name : `${name}.`];
  if (search && !name.endsWith('.')) {
    const dots = (name.match(/\./g) ?? []).length;
    const searched = rc.searches.filter((s) => s && s !== '.').map((s) => `${name}.${s.replace(/\.$/, '')}.`);
    names = dots >= ndotsOf(rc) ? [`${name}.`] : [...searched, `${name}.`];
  }
  let reply: DnsReply | undefined;
  let qname = names[0];
  for (const n of names) {
    qname = n;
    reply = query(snap, server, { name: n, type }, rt);
    if (reply.noResponse || reply.rcode !== 'NXDOMAIN') break;
  }
  const argsText = args.join(' ');
  if (reply!.noResponse) return { stdout: printDigNoResponse(argsText, server, reply!.noResponse, serverArg, short), stderr: '', exitCode: 9 };
  if (short) return { stdout: printDigShort(reply!), stderr: '', exitCode: 0 };
  const { rng, cookie, id } = digId(ctx, rt, qname, type);
  const stdout = printDig({ args: argsText, question: { name: qname, type }, reply: reply!, server, serverArg, id, cookie, queryMs: reply!.aa ? 0 : 3 + rng.int(20), now: rt.now });
  return { stdout, stderr: '', exitCode: 0 };
}

function host(args: string[], ctx: ShellContext): ShellResult {
  const snap = ctx.api.snapshot();
  const rt = runtime(ctx);
  const rc = resolvConfAt(snap, ctx.where, rt);
  let type: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-t') type = (args[++i] ?? 'A').toUpperCase();
    else if (!args[i].startsWith('-')) words.push(args[i]);
  }
  const [name, serverArg] = words;
  if (!name) return fail('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n', 1);
  let server = serverArg ?? rc.nameservers[0];
  if (serverArg !== undefined && !isIP(serverArg)) {
    const ip = lookupHost(snap, rc, serverArg, 'glibc', undefined, rt).addresses.find((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x));
    if (!ip) return fail(`host: couldn't get address for '${serverArg}': not found\n`, 1);
    server = ip;
  }
  if (!server) return fail(';; no servers could be reached\n', 1);
  let out = serverArg ? `Using domain server:\nName: ${serverArg}\nAddress: ${server}#53\nAliases: \n\n` : '';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    const r = query(snap, server, { name: reverseName(name), type: 'PTR' }, rt);
    if (r.noResponse) return { stdout: `;; communications error to ${server}#53: ${r.noResponse === 'timeout' ? 'timed out' : 'connection refused'}\n`.repeat(3) + ';; no servers could be reached\n', stderr: '', exitCode: 1 };
    if (r.rcode !== 'NOERROR' || !r.answer.length) return { stdout: `${out}Host ${reverseName(name).replace(/\.$/, '')} not found: ${r.rcode === 'NXDOMAIN' ? '3(NXDOMAIN)' : r.rcode === 'SERVFAIL' ? '2(SERVFAIL)' : '3(NXDOMAIN)'}\n`, stderr: '', exitCode: 1 };
    return { stdout: out + r.answer.map((x) => `${x.name.replace(/\.$/, '')} domain name pointer ${x.data}\n`).join(''), stderr: '', exitCode: 0 };
  }
  const dots = (name.match(/\./g) ?? []).length;
  const searched = rc.searches.filter((s) => s && s !== '.').map((s) => `${name}.${s.replace(/\.$/, '')}.`);
  const cands = name.endsWith('.') ? [name] : dots >= ndotsOf(rc) ? [`${name}.`, ...searched] : [...searched, `${name}.`];
  for (const cand of cands) {
    const first = query(snap, server, { name: cand, type: type ?? 'A' }, rt);
    if (first.noResponse) return { stdout: `;; communications error to ${server}#53: ${first.noResponse === 'timeout' ? 'timed out' : 'connection refused'}\n`.repeat(3) + ';; no servers could be reached\n', stderr: '', exitCode: 1 };
    if (first.rcode === 'NXDOMAIN') continue;
    if (first.rcode !== 'NOERROR') return { stdout: `${out}Host ${cand.replace(/\.$/, '')} not found: ${first.rcode === 'SERVFAIL' ? '2(SERVFAIL)' : `5(${first.rcode})`}\n`, stderr: '', exitCode: 1 };
    const types = type ? [type] : ['A', 'AAAA', 'MX'];
    for (const t of types) {
      const r = t === (type ?? 'A') ? first : query(snap, server, { name: cand, type: t }, rt);
      for (const x of r.answer) {
        const owner = x.name.replace(/\.$/, '');
        if (x.type === 'CNAME') { if (t === (type ?? 'A')) out += `${owner} is an alias for ${x.data}\n`; }
        else if (x.type === 'A') out += `${owner} has address ${x.data}\n`;
        else if (x.type === 'AAAA') out += `${owner} has IPv6 address ${x.data}\n`;
        else if (x.type === 'SRV') out += `${owner} has SRV record ${x.data}\n`;
        else if (x.type === 'PTR') out += `${owner} domain name pointer ${x.data}\n`;
        else if (x.type === 'TXT') out += `${owner} descriptive text ${x.data}\n`;
        else if (x.type === 'NS') out += `${owner} name server ${x.data}\n`;
        else if (x.type === 'MX') out += `${owner} mail is handled by ${x.data}\n`;
      }
      if (type && !r.answer.length) out += `${cand.replace(/\.$/, '')} has no ${t} record\n`;
    }
    return { stdout: out, stderr: '', exitCode: 0 };
  }
  return { stdout: `${out}Host ${name.replace(/\.$/, '')} not found: 3(NXDOMAIN)\n`, stderr: '', exitCode: 1 };
}
