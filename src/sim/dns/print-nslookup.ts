// nslookup as each place really has it (reference/coredns.md §3.5): bind 9.18's on the nodes
// and in dnsutils-style images, busybox ≥1.29's own resolver, busybox 1.28's libc one.
// Layouts from the sources: bind9 v9.18.28 bin/dig/nslookup.c + dighost.c (printmessage,
// printsection, printsoa, the search walk in next_origin, "Got recursion not available"),
// busybox networking/nslookup.c at 1_36 (parse_reply, send_queries, option parsing) and
// at 1_28_4 (print_host, server_print).
import type { ClusterSnapshot } from '../snapshot';
import type { DnsReply, RR } from './records';
import { reverseName } from './records';
import { candidates, lookupHost, query } from './resolver';
import { ndotsOf, type ResolvConf } from './resolv-conf';
import { newSocket, type DnsSocket } from './coredns';
import { ephemeralRuntime, type DnsRuntime } from './state';
import { groupRRsets } from './print-dig';

export interface Printed { stdout: string; stderr: string; exitCode: number }

export interface NslookupOptions {
  /** `-type=X` / `-query=X` (undefined: the default lookup, A then AAAA). */
  type?: string;
  /** The server argument as typed: an address or a name. */
  server?: string;
  rt?: DnsRuntime;
}

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
export const isIP = (s: string) => IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:]+$/.test(s));
const bare = (n: string) => (n === '.' ? '.' : n.replace(/\.$/, ''));

/** How the tools' own resolver turns a server name into an address (getaddrinfo through the client's resolv.conf). */
function serverAddress(snap: ClusterSnapshot, rc: ResolvConf, server: string, rt: DnsRuntime): string | undefined {
  if (isIP(server)) return server;
  return lookupHost(snap, rc, server, 'glibc', undefined, rt).addresses.find((a) => IPV4.test(a));
}

// ---------------------------------------------------------------------------------------
// bind 9.18

/** nslookup.c rtypetext: what precedes the RDATA of each type. */
const RTYPE_TEXT: Record<string, string> = {
  A: 'internet address = ', NS: 'nameserver = ', CNAME: 'canonical name = ', SOA: 'soa = ', PTR: 'name = ', HINFO: 'hinfo = ',
  MX: 'mail exchanger = ', TXT: 'text = ', AAAA: 'has AAAA address ', SRV: 'service = ', NAPTR: 'naptr = ', DNAME: 'dname = ',
};

function printSOA(x: RR): string {
  const [mname, rname, serial, refresh, retry, expire, minimum] = x.data.split(/\s+/);
  return `${bare(x.name)}\n\torigin = ${bare(mname)}\n\tmail addr = ${bare(rname)}\n\tserial = ${serial}\n\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${minimum}\n`;
}

/** nslookup.c printsection: A/AAAA as Name/Address in the answer, SOA spelled out, the rest `owner<TAB>type = rdata`. */
function bindSection(rrs: RR[], answer: boolean): string {
  let out = '';
  for (const set of groupRRsets(rrs)) {
    for (const x of set) {
      if ((x.type === 'A' || x.type === 'AAAA') && answer) out += `Name:\t${bare(x.name)}\nAddress: ${x.data}\n`;
      else if (x.type === 'SOA') out += printSOA(x);
      else out += `${bare(x.name)}\t${RTYPE_TEXT[x.type] ?? `${x.type.toLowerCase()} = `}${x.data}\n`;
    }
  }
  return out;
}

/** The names bind's nslookup asks, in order (dighost next_origin: no search list once the name has ndots dots). */
function bindCandidates(name: string, rc: ResolvConf): string[] {
  if (name.endsWith('.')) return [name];
  const dots = (name.match(/\./g) ?? []).length;
  if (dots >= ndotsOf(rc)) return [`${name}.`];
  const searched = rc.searches.filter((s) => s && s !== '.').map((s) => `${name}.${s.replace(/\.$/, '')}.`);
  return [...searched, `${name}.`];
}

/** bind 9.18 `nslookup [-type=X] NAME [SERVER]`. */
export function bindNslookup(snap: ClusterSnapshot, rc: ResolvConf, name: string, opts: NslookupOptions = {}): Printed {
  const rt = opts.rt ?? ephemeralRuntime(snap.now);
  let servers: { arg: string; ip: string }[];
  let checkRA: boolean;
  if (opts.server !== undefined) {
    const ip = serverAddress(snap, rc, opts.server, rt);
    if (!ip) return { stdout: '', stderr: `nslookup: couldn't get address for '${opts.server}': not found\n`, exitCode: 10 };
    servers = [{ arg: opts.server, ip }];
    checkRA = false;
  } else {
    servers = rc.nameservers.map((ip) => ({ arg: ip, ip }));
    checkRA = true;
  }
  if (!servers.length) return { stdout: ';; no servers could be reached\n\n\n', stderr: '', exitCode: 1 };
  const defaultLookups = opts.type === undefined;
  const ptr = isIP(name);
  let out = '';
  let printError = false;
  let reached = false;
  let aNoAnswer = false;

  /** One lookup (dig_lookup_t): its names in turn, each sent to the servers in turn. Returns the follow-up AAAA name, if any. */
  const lookup = (textname: string, names: string[], type: string): string | false | undefined => {
    for (let n = 0; n < names.length; n++) {
      const qname = names[n];
      let reply: DnsReply | undefined;
      let used: { arg: string; ip: string } | undefined;
      for (let i = 0; i < servers.length; i++) {
        const s = servers[i];
        const r = query(snap, s.ip, { name: qname, type }, rt);
        if (r.noResponse) {
          const why = r.noResponse === 'timeout' ? 'timed out' : 'connection refused';
          out += `;; communications error to ${s.ip}#53: ${why}\n`.repeat(3);
          continue;
        }
        if (r.rcode === 'SERVFAIL' || (checkRA && !r.ra)) {
          const err = r.rcode === 'SERVFAIL' ? 'SERVFAIL reply' : 'recursion not available';
          if (i + 1 < servers.length) { out += `;; Got ${err} from ${s.ip}, trying next server\n`; continue; }
          out += `;; Got ${err} from ${s.ip}\n`;
        }
        reply = r;
        used = s;
        break;
      }
      if (!reply || !used) {
        out += ';; no servers could be reached\n\n';
        return false;
      }
      reached = true;
      if (reply.rcode === 'NXDOMAIN' && n + 1 < names.length) continue;
      // printmessage
      if (!defaultLookups || type === 'A') out += `Server:\t\t${used.arg}\nAddress:\t${used.ip}#53\n\n`;
      if (reply.rcode !== 'NOERROR') {
        out += `** server can't find ${bare(qname)}: ${reply.rcode}\n`;
        printError = true;
        return undefined;
      }
      let follow: string | undefined;
      if (defaultLookups && type === 'A') {
        // The AAAA lookup asks for the end of the CNAME chain.
        let canon = qname;
        for (let hop = 0; hop < reply.answer.length; hop++) {
          const c = reply.answer.find((x) => x.type === 'CNAME' && x.name.toLowerCase() === canon.toLowerCase());
          if (!c) break;
          canon = c.data;
        }
        follow = canon;
      }
      if (!reply.aa && (!defaultLookups || type === 'A')) out += 'Non-authoritative answer:\n';
      if (reply.answer.length) out += bindSection(reply.answer, true);
      else if (defaultLookups && type === 'A') aNoAnswer = true;
      else if (!defaultLookups || (type === 'AAAA' && aNoAnswer)) out += `*** Can't find ${textname}: No answer\n`;
      if (!reply.aa && type !== 'A' && type !== 'AAAA') {
        out += '\nAuthoritative answers can be found from:\n';
        out += bindSection(reply.authority, false) + bindSection(reply.additional, false);
      }
      return follow;
    }
    return undefined;
  };

  if (ptr) lookup(bare(reverseName(name)), [reverseName(name)], 'PTR');
  else {
    const type = (opts.type ?? 'A').toUpperCase();
    const follow = lookup(name, bindCandidates(name, rc), type);
    if (follow) lookup(bare(follow), [follow.endsWith('.') ? follow : `${follow}.`], 'AAAA');
  }
  out += '\n';
  return { stdout: out, stderr: '', exitCode: (reached ? 0 : 1) | (printError ? 1 : 0) };
}

// ---------------------------------------------------------------------------------------
// busybox ≥ 1.29

/** busybox's qtypes, in the order its queries are queued. */
export const BUSYBOX_QTYPES = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'PTR', 'ANY'];

export const BUSYBOX_USAGE = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n';

/** parse_reply: one line per record, in the order they came. */
function busyboxRecords(r: DnsReply): string {
  let out = r.aa ? '' : 'Non-authoritative answer:\n';
  for (const x of r.answer) {
    const d = x.data;
    switch (x.type) {
      case 'A': case 'AAAA': out += `Name:\t${bare(x.name)}\nAddress: ${d}\n`; break;
      case 'NS': out += `${bare(x.name)}\tnameserver = ${bare(d)}\n`; break;
      case 'CNAME': out += `${bare(x.name)}\tcanonical name = ${bare(d)}\n`; break;
      case 'PTR': out += `${bare(x.name)}\tname = ${bare(d)}\n`; break;
      case 'MX': { const [pref, host] = d.split(/\s+/); out += `${bare(x.name)}\tmail exchanger = ${pref} ${bare(host)}\n`; break; }
      case 'TXT': { const t = d.replace(/^"|"$/g, ''); if (t) out += `${bare(x.name)}\ttext = "${t}"\n`; break; }
      case 'SRV': { const [p, w, port, target] = d.split(/\s+/); out += `${bare(x.name)}\tservice = ${p} ${w} ${port} ${bare(target)}\n`; break; }
      case 'SOA': {
        const [m, rn, serial, refresh, retry, expire, minimum] = d.split(/\s+/);
        out += `${bare(x.name)}\n\torigin = ${bare(m)}\n\tmail addr = ${bare(rn)}\n\tserial = ${serial}\n\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${minimum}\n`;
        break;
      }
      default: break;
    }
  }
  return out;
}

/**
 * busybox ≥1.29 `nslookup [-type=X] NAME [SERVER]`: its own resolver. Every query is queued at
 * once (the search list only for names without a dot, and only from /etc/resolv.conf — not
 * when a server is given); replies are printed as they arrive.
 */
export function busyboxNslookup(snap: ClusterSnapshot, rc: ResolvConf, name: string, opts: NslookupOptions & { types?: string[] } = {}): Printed {
  const rt = opts.rt ?? ephemeralRuntime(snap.now);
  let servers: { arg: string; ip: string }[];
  let searches: string[];
  if (opts.server !== undefined) {
    const ip = serverAddress(snap, rc, opts.server, rt);
    if (!ip) return { stdout: '', stderr: `nslookup: bad address '${opts.server}'\n`, exitCode: 1 };
    servers = [{ arg: opts.server, ip }];
    searches = [];
  } else {
    servers = rc.nameservers.map((ip) => ({ arg: ip, ip }));
    if (!servers.length) servers = [{ arg: '127.0.0.1', ip: '127.0.0.1' }];
    searches = rc.searches.filter((s) => s && s !== '.');
  }
  const withSearch = (type: string): { name: string; type: string }[] => {
    if (type === 'PTR' || !searches.length || name.includes('.')) return [{ name: name.endsWith('.') ? name : `${name}.`, type }];
    return searches.map((s) => ({ name: `${name}.${s.replace(/\.$/, '')}.`, type }));
  };
  let queries: { name: string; type: string }[];
  if (!opts.types?.length) queries = isIP(name) ? [{ name: reverseName(name), type: 'PTR' }] : [...withSearch('A'), ...withSearch('AAAA')];
  else queries = BUSYBOX_QTYPES.filter((t) => opts.types!.includes(t)).flatMap(withSearch);

  for (const s of servers) {
    const socket: DnsSocket = newSocket();
    const replies = queries.map((question) => ({ question, reply: query(snap, s.ip, question, rt, socket) }));
    if (replies.every((x) => x.reply.noResponse)) continue;
    // Replies arrive as CoreDNS answers them; the simulator prints, per query type, the failures first, then the answers.
    const byType = [...new Set(queries.map((q) => q.type))].flatMap((t) => {
      const of = replies.filter((x) => x.question.type === t && !x.reply.noResponse);
      return [...of.filter((x) => x.reply.rcode !== 'NOERROR'), ...of.filter((x) => x.reply.rcode === 'NOERROR')];
    });
    let out = `Server:\t\t${s.arg}\nAddress:\t${s.ip}:53\n\n`;
    let failed = false;
    for (const { question, reply } of byType) {
      if (reply.rcode !== 'NOERROR') { failed = true; out += `** server can't find ${bare(question.name)}: ${reply.rcode}\n`; }
      else out += busyboxRecords(reply);
      out += '\n';
    }
    const lost = replies.filter((x) => x.reply.noResponse);
    for (const x of lost) out += `*** Can't find ${bare(x.question.name)}: No answer\n`;
    if (lost.length) out += '\n';
    return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
  }
  return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1 };
}

// ---------------------------------------------------------------------------------------
// busybox 1.28

export const BUSYBOX128_USAGE = 'BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n';

/** busybox 1.28 `nslookup NAME [SERVER]`: libc getaddrinfo, then a reverse name for every address. */
export function busybox128Nslookup(snap: ClusterSnapshot, rc: ResolvConf, name: string, opts: NslookupOptions = {}): Printed {
  const rt = opts.rt ?? ephemeralRuntime(snap.now);
  let conf = rc;
  if (opts.server !== undefined) {
    const ip = serverAddress(snap, rc, opts.server, rt);
    if (!ip) return { stdout: '', stderr: `nslookup: bad address '${opts.server}'\n`, exitCode: 1 };
    conf = { ...rc, nameservers: [ip] };
  }
  const srv = conf.nameservers[0];
  if (!srv) return { stdout: '', stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  const ptr = (ip: string) => {
    const r = query(snap, srv, { name: reverseName(ip), type: 'PTR' }, rt);
    return r.answer.find((x) => x.type === 'PTR')?.data.replace(/\.$/, '');
  };
  const host = (label: string, target: string): string | undefined => {
    const addrs = isIP(target) ? [target] : lookupHost(snap, conf, target, 'glibc', undefined, rt).addresses;
    if (!addrs.length) return undefined;
    return `${label.padEnd(10)} ${target}\n${addrs.map((ip, i) => { const p = ptr(ip); return `Address ${i + 1}: ${ip}${p ? ` ${p}` : ''}\n`; }).join('')}`;
  };
  const head = `${host('Server:', srv)}\n`;
  const body = host('Name:', name);
  if (!body) return { stdout: head, stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  return { stdout: `${head}${body}`, stderr: '', exitCode: 0 };
}

export { candidates };
