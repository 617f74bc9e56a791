// dig 9.18 (Ubuntu 22.04's bind9-dnsutils): header, flags, OPT pseudosection, sections in
// bind's column layout, and the statistics lines; `+short` prints just the RDATA.
import type { DnsReply, Question, RR } from './records';

export const DIG_VERSION = '9.18.28-0ubuntu0.22.04.1-Ubuntu';

/** bind's master-file columns: owner, TTL at 24, class at 32, type at 40, RDATA at 48 (tabs of 8; one space when past). */
function columns(fields: [string, number][], last: string): string {
  let out = '';
  let col = 0;
  for (const [text, to] of fields) {
    out += text;
    col += text.length;
    if (col >= to) { out += ' '; col += 1; continue; }
    while (col < to) { out += '\t'; col = (Math.floor(col / 8) + 1) * 8; }
  }
  return out + last;
}

export function formatRR(x: RR): string {
  return columns([[x.name, 24], [String(x.ttl), 32], ['IN', 40], [x.type, 48]], x.data);
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
    case 'SOA': { const [m, r] = x.data.split(' '); return nameLength(m) + nameLength(r) + 20; }
    case 'TXT': return x.data.replace(/^"|"$/g, '').length + 1;
    default: return 0;
  }
}

/** The reply's size on the wire: CoreDNS does not compress; the OPT record echoes the 8-byte client cookie. */
export function messageSize(q: Question, r: DnsReply): number {
  const rrs = [...r.answer, ...r.authority, ...r.additional];
  return 12 + nameLength(q.name) + 4 + rrs.reduce((s, x) => s + nameLength(x.name) + 10 + rdataLength(x), 0) + 23;
}

export interface DigRun {
  args: string;
  question: Question;
  reply: DnsReply;
  server: string;
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

export function printDig(run: DigRun): string {
  const { question: q, reply: r } = run;
  const flags = ['qr', ...(r.aa ? ['aa'] : []), 'rd', ...(r.ra ? ['ra'] : [])].join(' ');
  let out = `\n; <<>> DiG ${DIG_VERSION} <<>> ${run.args}\n;; global options: +cmd\n;; Got answer:\n`;
  if (/\.local\.?$/i.test(q.name)) out += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${run.id}\n`;
  out += `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${r.additional.length + 1}\n`;
  if (!r.ra) out += ';; WARNING: recursion requested but not available\n';
  out += `\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n; COOKIE: ${run.cookie} (echoed)\n`;
  out += `;; QUESTION SECTION:\n${columns([[`;${q.name}`, 32], ['IN', 40]], q.type)}\n`;
  const section = (title: string, rrs: RR[]) => (rrs.length ? `\n;; ${title} SECTION:\n${rrs.map((x) => `${formatRR(x)}\n`).join('')}` : '');
  out += section('ANSWER', r.answer) + section('AUTHORITY', r.authority) + section('ADDITIONAL', r.additional);
  out += `\n;; Query time: ${run.queryMs} msec\n;; SERVER: ${run.server}#53(${run.server}) (UDP)\n;; WHEN: ${when(run.now)}\n;; MSG SIZE  rcvd: ${messageSize(q, r)}\n\n`;
  return out;
}

export function printDigShort(r: DnsReply): string {
  return r.answer.map((x) => `${x.data}\n`).join('');
}
