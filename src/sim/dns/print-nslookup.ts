// nslookup as each place really has it (reference/coredns.md §3.5): bind 9.18's on the nodes
// and in dnsutils-style images, busybox ≥1.29's own resolver, busybox 1.28's libc one.
import type { ClusterSnapshot } from '../snapshot';
import type { DnsReply, RR } from './records';
import { reverseName } from './records';
import { candidates, lookupHost, query, type Step } from './resolver';
import type { ResolvConf } from './resolv-conf';

export interface Printed { stdout: string; stderr: string; exitCode: number }

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
const isIP = (s: string) => IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:]+$/.test(s));
const bare = (n: string) => n.replace(/\.$/, '');

/** bind 9.18 nslookup NAME [SERVER]. */
export function bindNslookup(snap: ClusterSnapshot, rc: ResolvConf, name: string, server = rc.nameservers[0]): Printed {
  if (!server) return { stdout: '', stderr: ';; connection timed out; no servers could be reached\n\n', exitCode: 1 };
  const head = `Server:\t\t${server}\nAddress:\t${server}#53\n\n`;
  if (isIP(name)) {
    const r = query(snap, server, { name: reverseName(name), type: 'PTR' });
    if (r.rcode !== 'NOERROR' || !r.answer.length) return { stdout: `${head}** server can't find ${bare(reverseName(name))}: ${r.rcode === 'NOERROR' ? 'NXDOMAIN' : r.rcode}\n\n`, stderr: '', exitCode: 1 };
    const lines = r.answer.filter((x) => x.type === 'PTR').map((x) => `${bare(x.name)}\tname = ${x.data}\n`).join('');
    return { stdout: `${lines}${r.aa ? '' : '\nAuthoritative answers can be found from:\n'}\n`, stderr: '', exitCode: 0 };
  }
  // bind's nslookup walks the search list (ndots from resolv.conf) with an A query, then asks AAAA for the name that answered.
  let last: { cand: string; reply: DnsReply } | undefined;
  for (const cand of candidates(name, rc, 'glibc')) {
    const reply = query(snap, server, { name: cand, type: 'A' });
    last = { cand, reply };
    if (reply.rcode === 'NOERROR' && reply.answer.length) break;
    if (reply.rcode !== 'NXDOMAIN' && reply.rcode !== 'NOERROR') break;
  }
  if (!last) return { stdout: head, stderr: '', exitCode: 1 };
  const { cand, reply } = last;
  if (reply.rcode !== 'NOERROR') return { stdout: `${head}** server can't find ${bare(cand)}: ${reply.rcode}\n\n`, stderr: '', exitCode: 1 };
  const aaaa = query(snap, server, { name: cand, type: 'AAAA' });
  let body = reply.aa ? '' : 'Non-authoritative answer:\n';
  body += bindRecords(reply.answer, true) + bindRecords(aaaa.answer, false);
  if (!reply.answer.length && !aaaa.answer.length) body += `*** Can't find ${bare(cand)}: No answer\n`;
  return { stdout: `${head}${body}\n`, stderr: '', exitCode: 0 };
}

function bindRecords(rrs: RR[], withCnames: boolean): string {
  return rrs.map((x) => {
    if (x.type === 'CNAME') return withCnames ? `${bare(x.name)}\tcanonical name = ${x.data}\n` : '';
    if (x.type === 'A' || x.type === 'AAAA') return `Name:\t${bare(x.name)}\nAddress: ${x.data}\n`;
    return '';
  }).join('');
}

/** busybox ≥1.29 nslookup NAME [SERVER]: its own resolver, A+AAAA for every candidate at once. */
export function busyboxNslookup(snap: ClusterSnapshot, rc: ResolvConf, name: string, server = rc.nameservers[0]): Printed {
  if (!server) return { stdout: '', stderr: ';; connection timed out; no servers could be reached\n', exitCode: 1 };
  const steps: Step[] = [];
  if (isIP(name)) steps.push({ question: { name: reverseName(name), type: 'PTR' }, reply: query(snap, server, { name: reverseName(name), type: 'PTR' }) });
  else {
    for (const type of ['A', 'AAAA']) {
      const cands = candidates(name, rc, 'busybox');
      const replies = cands.map((c) => ({ question: { name: c, type }, reply: query(snap, server, { name: c, type }) }));
      // Replies arrive as CoreDNS answers them; the simulator prints the failures of a type first, then its answers.
      steps.push(...replies.filter((s) => s.reply.rcode !== 'NOERROR'), ...replies.filter((s) => s.reply.rcode === 'NOERROR'));
    }
  }
  let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  let failed = false;
  for (const { question, reply } of steps) {
    if (reply.rcode !== 'NOERROR') {
      failed = true;
      out += `** server can't find ${bare(question.name)}: ${reply.rcode}\n\n`;
      continue;
    }
    if (!reply.aa && reply.answer.length) out += 'Non-authoritative answer:\n';
    for (const x of reply.answer) {
      if (x.type === 'A' || x.type === 'AAAA') out += `Name:\t${bare(x.name)}\nAddress: ${x.data}\n`;
      else if (x.type === 'CNAME') out += `${bare(x.name)}\tcanonical name = ${bare(x.data)}\n`;
      else if (x.type === 'PTR') out += `${bare(x.name)}\tname = ${bare(x.data)}\n`;
      else if (x.type === 'SRV') out += `${bare(x.name)}\tservice = ${x.data.replace(/\.$/, '')}\n`;
    }
    out += '\n';
  }
  return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
}

/** busybox 1.28 nslookup NAME [SERVER]: libc getaddrinfo, then a reverse name for every address. */
export function busybox128Nslookup(snap: ClusterSnapshot, rc: ResolvConf, name: string, server = rc.nameservers[0]): Printed {
  const conf = server ? { ...rc, nameservers: [server, ...rc.nameservers.filter((s) => s !== server)] } : rc;
  const ptr = (ip: string) => {
    if (!conf.nameservers[0]) return undefined;
    const r = query(snap, conf.nameservers[0], { name: reverseName(ip), type: 'PTR' });
    return r.answer.find((x) => x.type === 'PTR')?.data.replace(/\.$/, '');
  };
  const host = (label: string, target: string): string | undefined => {
    const addrs = isIP(target) ? [target] : lookupHost(snap, conf, target, 'glibc').addresses;
    if (!addrs.length) return undefined;
    return `${label.padEnd(10)} ${target}\n${addrs.map((ip, i) => { const p = ptr(ip); return `Address ${i + 1}: ${ip}${p ? ` ${p}` : ''}\n`; }).join('')}`;
  };
  const srv = conf.nameservers[0];
  if (!srv) return { stdout: '', stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  const head = `${host('Server:', srv)}\n`;
  const body = host('Name:', name);
  if (!body) return { stdout: head, stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  return { stdout: `${head}${body}`, stderr: '', exitCode: 0 };
}
