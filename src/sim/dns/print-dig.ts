// dig 9.18 (Ubuntu 22.04's bind9-dnsutils): header, flags, OPT pseudosection, sections in
// bind's column layout, and the statistics lines; `+short` prints just the RDATA. Layouts
// from bind9 v9.18.28: bin/dig/dig.c (printgreeting, printmessage, received),
// lib/dns/message.c (sectiontotext, pseudosectiontotext), lib/dns/masterdump.c (the column
// indent, question_totext), bin/dig/dighost.c (the timeout messages).
import type { DnsReply, Question, RR } from './records';

export const DIG_VERSION = '9.18.28-0ubuntu0.22.04.1-Ubuntu';

/** masterdump.c indent(): tabs of 8 up to the column; at or past it, one step (a tab when that lands on a stop, else a space). */
function indentTo(col: number, to: number): { text: string; col: number } {
  let target = to;
  if (target < col + 1) target = col + 1;
  const tabs = Math.floor(target / 8) - Math.floor(col / 8);
  let text = '';
  let from = col;
  if (tabs > 0) { text += '\t'.repeat(tabs); from = Math.floor(target / 8) * 8; }
  text += ' '.repeat(target - from);
  return { text, col: target };
}

/** Fields at bind's columns (dig's style: TTL 24, class 32, type 40, RDATA 48); the first field starts at column 0. */
function columns(first: string, fields: [number, string][]): string {
  let out = first;
  let col = first.length;
  for (const [to, text] of fields) {
    const ind = indentTo(col, to);
    out += ind.text + text;
    col = ind.col + text.length;
  }
  return out;
}

export function formatRR(x: RR): string {
  return columns(x.name, [[24, String(x.ttl)], [32, 'IN'], [40, x.type], [48, x.data]]);
}

/** The question line: `;` then the name, whose columns are counted without the `;` (message.c adds it). */
export function formatQuestion(q: Question): string {
  return `;${columns(q.name, [[32, 'IN'], [40, q.type]])}`;
}

/**
 * A message's records as bind holds them: grouped into RRsets (owner, case-insensitively, and
 * type), names in the order they first appear, each set's records in order, one TTL per set.
 */
export function groupRRsets(rrs: RR[]): RR[][] {
  const names: string[] = [];
  const sets = new Map<string, Map<string, RR[]>>();
  for (const x of rrs) {
    const n = x.name.toLowerCase();
    if (!sets.has(n)) { sets.set(n, new Map()); names.push(n); }
    const byType = sets.get(n)!;
    if (!byType.has(x.type)) byType.set(x.type, []);
    byType.get(x.type)!.push(x);
  }
  return names.flatMap((n) => [...sets.get(n)!.values()].map((set) => {
    const ttl = Math.min(...set.map((x) => x.ttl));
    return set.map((x) => ({ ...x, ttl }));
  }));
}

function nameLength(name: string): number {
  const n = name.replace(/\.$/, '');
  return n === '' ? 1 : n.split('.').reduce((s, l) => s + l.length + 1, 0) + 1;
}

function rdataLength(x: RR): number {
  switch (x.type) {
    case 'A': return 4;
    case 'AAAA': return 16;
    case 'CNAME': case 'PTR': case 'NS': return nameLength(x.data);
    case 'SRV': return 6 + nameLength(x.data.split(' ')[3]);
    case 'MX': return 2 + nameLength(x.data.split(' ')[1] ?? '.');
    case 'SOA': { const [m, r] = x.data.split(' '); return nameLength(m) + nameLength(r) + 20; }
    case 'TXT': return x.data.replace(/^"|"$/g, '').length + 1;
    default: return 0;
  }
}

/** The reply's size on the wire: CoreDNS does not compress (small replies); the OPT record carries the echoed 8-byte cookie, or nothing. */
export function messageSize(q: Question, r: DnsReply, cookie = true): number {
  const rrs = [...r.answer, ...r.authority, ...r.additional];
  return 12 + nameLength(q.name) + 4 + rrs.reduce((s, x) => s + nameLength(x.name) + 10 + rdataLength(x), 0) + (cookie ? 23 : 11);
}

export interface DigRun {
  args: string;
  question: Question;
  reply: DnsReply;
  server: string;
  /** The `@server` argument as typed (prints `; (1 server found)`), if one was given. */
  serverArg?: string;
  id: number;
  cookie: string;
  queryMs: number;
  /** The simulated clock (ms since the epoch, UTC). */
  now: number;
}

function when(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** printgreeting: the command line, `; (N servers found)` after an @server, the global options. */
export function digGreeting(args: string, serverArg?: string, short = false): string {
  return `\n; <<>> DiG ${DIG_VERSION} <<>>${args ? ` ${args}` : ''}\n${serverArg !== undefined ? '; (1 server found)\n' : ''};; global options:${short ? ' +short' : ''} +cmd\n`;
}

/** systemd-resolved's stub (127.0.0.53) answers with its own EDNS buffer size and no cookie. */
const isStub = (server: string) => server === '127.0.0.53' || server === '127.0.0.54';

export function printDig(run: DigRun): string {
  const { question: q, reply: r } = run;
  const flags = ['qr', ...(r.aa ? ['aa'] : []), 'rd', ...(r.ra ? ['ra'] : [])].join(' ');
  const stub = isStub(run.server);
  const answer = groupRRsets(r.answer);
  const authority = groupRRsets(r.authority);
  const additional = groupRRsets(r.additional);
  let out = `${digGreeting(run.args, run.serverArg)};; Got answer:\n`;
  if (/\.local\.?$/i.test(q.name)) out += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${run.id}\n`;
  out += `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${r.additional.length + 1}\n`;
  if (!r.ra) out += ';; WARNING: recursion requested but not available\n';
  out += `\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${stub ? 65494 : 1232}\n${stub ? '' : `; COOKIE: ${run.cookie} (echoed)\n`}`;
  out += `;; QUESTION SECTION:\n${formatQuestion(q)}\n`;
  const section = (title: string, sets: RR[][]) => (sets.length ? `\n;; ${title} SECTION:\n${sets.flat().map((x) => `${formatRR(x)}\n`).join('')}` : '');
  out += section('ANSWER', answer) + section('AUTHORITY', authority) + section('ADDITIONAL', additional);
  out += `\n;; Query time: ${run.queryMs} msec\n;; SERVER: ${run.server}#53(${run.serverArg ?? run.server}) (UDP)\n;; WHEN: ${when(run.now)}\n;; MSG SIZE  rcvd: ${messageSize(q, r, !stub)}\n\n`;
  return out;
}

export function printDigShort(r: DnsReply): string {
  return groupRRsets(r.answer).flat().map((x) => `${x.data}\n`).join('');
}

/** Three tries that got nothing back, then the greeting and `no servers could be reached` (dighost.c). */
export function printDigNoResponse(args: string, server: string, why: 'timeout' | 'refused', serverArg?: string, short = false): string {
  const err = `;; communications error to ${server}#53: ${why === 'timeout' ? 'timed out' : 'connection refused'}\n`;
  return `${err.repeat(3)}${short ? '' : digGreeting(args, serverArg)};; no servers could be reached\n\n`;
}
