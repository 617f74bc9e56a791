// nslookup, dig, host and `cat /etc/resolv.conf`, on nodes and in pods, over the simulated
// cluster DNS (src/sim/dns). Which nslookup answers depends on where it runs: bind 9.18's on
// the Ubuntu nodes and in dnsutils-style images, busybox's in busybox/alpine images (1.28 and
// older use libc and print `Address 1: IP NAME`), none in slim images.
import type { ShellContext, ShellResult } from './types';
import { fail } from './types';
import type { Pod } from '../api/objects';
import { formatResolvConf, nodeResolvConf, podResolvConf } from '../dns/resolv-conf';
import { query, resolvConfAt } from '../dns/resolver';
import { reverseName } from '../dns/records';
import { bindNslookup, busybox128Nslookup, busyboxNslookup } from '../dns/print-nslookup';
import { printDig, printDigShort } from '../dns/print-dig';
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
  if (w.kind === 'node') return { stdout: nodeResolvConf(snap.nodes.find((n) => n.metadata.name === w.node)).text, stderr: '', exitCode: 0 };
  const written = ctx.api.readFile?.(w, '/etc/resolv.conf');
  if (written !== undefined) return { stdout: written, stderr: '', exitCode: 0 };
  const pod = podAt(ctx);
  if (!pod) return fail(`cat: can't open '/etc/resolv.conf': No such file or directory\n`);
  return { stdout: formatResolvConf(podResolvConf(snap, pod)), stderr: '', exitCode: 0 };
}

function nslookup(args: string[], ctx: ShellContext, tools: Tools): ShellResult {
  const words = args.filter((a) => !a.startsWith('-'));
  const [name, server] = words;
  if (!name) {
    return tools === 'bind' ? fail('kubesim: interactive nslookup is not simulated; give a name: nslookup NAME [SERVER]\n', 1)
      : fail('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n', 1);
  }
  const snap = ctx.api.snapshot();
  const rc = resolvConfAt(snap, ctx.where);
  const r = tools === 'bind' ? bindNslookup(snap, rc, name, server) : tools === 'busybox128' ? busybox128Nslookup(snap, rc, name, server) : busyboxNslookup(snap, rc, name, server);
  return r;
}

function dig(args: string[], ctx: ShellContext): ShellResult {
  const snap = ctx.api.snapshot();
  const rc = resolvConfAt(snap, ctx.where);
  let server = rc.nameservers[0];
  let type: string | undefined;
  let name: string | undefined;
  let short = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '-t') type = (args[++i] ?? 'A').toUpperCase();
    else if (a.startsWith('-t') && a.length > 2) type = a.slice(2).toUpperCase();
    else if (a === '-x') { name = reverseName(args[++i] ?? ''); type ??= 'PTR'; }
    else if (a === '+short') short = true;
    else if (a.startsWith('+')) continue;
    else if (/^(A|AAAA|SRV|PTR|CNAME|TXT|SOA|NS|MX|ANY)$/i.test(a) && name !== undefined) type = a.toUpperCase();
    else name ??= a;
  }
  name ??= '.';
  type ??= 'A';
  const qname = name.endsWith('.') ? name : `${name}.`;
  if (!server) return fail(';; connection timed out; no servers could be reached\n', 9);
  const question = { name: qname, type };
  const reply = query(snap, server, question);
  if (short) return { stdout: printDigShort(reply), stderr: '', exitCode: 0 };
  const now = Date.parse(snap.now);
  const rng = createRng(`${snap.seed}/dig/${snap.now}/${qname}/${type}`);
  const cookie = Array.from({ length: 16 }, () => '0123456789abcdef'[rng.int(16)]).join('');
  const stdout = printDig({ args: args.join(' '), question, reply, server, id: rng.int(65536), cookie, queryMs: reply.aa ? 0 : 3 + rng.int(20), now });
  return { stdout, stderr: '', exitCode: 0 };
}

function host(args: string[], ctx: ShellContext): ShellResult {
  const snap = ctx.api.snapshot();
  const rc = resolvConfAt(snap, ctx.where);
  let type: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-t') type = (args[++i] ?? 'A').toUpperCase();
    else if (!args[i].startsWith('-')) words.push(args[i]);
  }
  const [name, serverArg] = words;
  if (!name) return fail('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n', 1);
  const server = serverArg ?? rc.nameservers[0];
  let out = serverArg ? `Using domain server:\nName: ${server}\nAddress: ${server}#53\nAliases: \n\n` : '';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    const r = query(snap, server, { name: reverseName(name), type: 'PTR' });
    if (r.rcode !== 'NOERROR' || !r.answer.length) return { stdout: `${out}Host ${reverseName(name).replace(/\.$/, '')} not found: 3(NXDOMAIN)\n`, stderr: '', exitCode: 1 };
    return { stdout: out + r.answer.map((x) => `${x.name.replace(/\.$/, '')} domain name pointer ${x.data}\n`).join(''), stderr: '', exitCode: 0 };
  }
  const dots = (name.match(/\./g) ?? []).length;
  const cands = name.endsWith('.') ? [name] : dots >= 1 ? [`${name}.`, ...rc.searches.map((s) => `${name}.${s}.`)] : [...rc.searches.map((s) => `${name}.${s}.`), `${name}.`];
  for (const cand of cands) {
    const first = query(snap, server, { name: cand, type: type ?? 'A' });
    if (first.rcode === 'NXDOMAIN') continue;
    const types = type ? [type] : ['A', 'AAAA', 'MX'];
    for (const t of types) {
      const r = t === (type ?? 'A') ? first : query(snap, server, { name: cand, type: t });
      for (const x of r.answer) {
        const owner = x.name.replace(/\.$/, '');
        if (x.type === 'CNAME') { if (t === (type ?? 'A')) out += `${owner} is an alias for ${x.data}\n`; }
        else if (x.type === 'A') out += `${owner} has address ${x.data}\n`;
        else if (x.type === 'AAAA') out += `${owner} has IPv6 address ${x.data}\n`;
        else if (x.type === 'SRV') out += `${owner} has SRV record ${x.data}\n`;
        else if (x.type === 'PTR') out += `${owner} domain name pointer ${x.data}\n`;
        else if (x.type === 'TXT') out += `${owner} descriptive text ${x.data}\n`;
      }
      if (type && !r.answer.length) out += `${cand.replace(/\.$/, '')} has no ${t} record\n`;
    }
    return { stdout: out, stderr: '', exitCode: 0 };
  }
  return { stdout: `${out}Host ${name.replace(/\.$/, '')} not found: 3(NXDOMAIN)\n`, stderr: '', exitCode: 1 };
}
