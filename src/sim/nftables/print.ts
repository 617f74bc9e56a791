// What `nft list …` prints (nftables userspace 1.0.x; checked against nft 1.0.6 in a network
// namespace, see tests/kernel/nftables-conformance.test.ts): tab indentation, a blank line
// between a table's objects, named sets and maps before chains (each in kernel handle order),
// set elements sorted the way nft's mergesort orders them and wrapped per key type, base-chain
// priorities as names (`dstnat - 10`) where nft has one, handles with `-a`.
import type { NftBaseChain, NftChain, NftElement, NftFamily, NftHook, NftMap, NftSet, NftTable } from './model';
import { setsAndMaps } from './model';

export interface NftPrintOptions {
  /** `nft -a`: `# handle N` after tables, chains, sets, maps and rules. */
  handles?: boolean;
}

const CONTINUATION = '\t\t\t     ';

/** `nft list table FAMILY NAME`. */
export function printNftTable(t: NftTable, o: NftPrintOptions = {}): string {
  let out = `table ${t.family} ${t.name} {${o.handles && t.handle !== undefined ? ` # handle ${t.handle}` : ''}\n`;
  if (t.comment !== undefined) out += `\tcomment ${quote(t.comment)}\n`;
  const parts: string[] = [];
  for (const x of setsAndMaps(t)) parts.push(x.kind === 'set' ? printSet(x.set, o) : printMap(x.map, o));
  for (const c of t.chains) parts.push(printChain(t.family, c, o));
  out += parts.join('\n');
  return `${out}}\n`;
}

/** `nft list ruleset`: every table, one after the other. */
export function printNftRuleset(tables: NftTable[], o: NftPrintOptions = {}): string {
  return tables.map((t) => printNftTable(t, o)).join('');
}

/** `nft list chain FAMILY TABLE CHAIN`. */
export function printNftChainListing(t: NftTable, c: NftChain, o: NftPrintOptions = {}): string {
  return `table ${t.family} ${t.name} {\n${printChain(t.family, c, o)}}\n`;
}

/** `nft list set|map FAMILY TABLE NAME`. */
export function printNftSetListing(t: NftTable, x: { kind: 'set'; set: NftSet } | { kind: 'map'; map: NftMap }, o: NftPrintOptions = {}): string {
  return `table ${t.family} ${t.name} {\n${x.kind === 'set' ? printSet(x.set, o) : printMap(x.map, o)}}\n`;
}

/** `nft list tables`. */
export function printNftTableNames(tables: NftTable[]): string {
  return tables.map((t) => `table ${t.family} ${t.name}\n`).join('');
}

/** `nft list chains`: every table with its chains' declarations, no rules, no blank lines (a table without chains prints as `table … {` `}`). */
export function printNftChainDeclarations(tables: NftTable[], o: NftPrintOptions = {}): string {
  let out = '';
  for (const t of tables) {
    out += `table ${t.family} ${t.name} {\n`;
    for (const c of t.chains) out += `${chainHeader(t.family, c, o)}\t}\n`;
    out += '}\n';
  }
  return out;
}

/** `nft list sets` / `nft list maps`: every table, with its sets' (maps') declarations and elements. */
export function printNftSetDeclarations(tables: NftTable[], kind: 'set' | 'map', o: NftPrintOptions = {}): string {
  let out = '';
  for (const t of tables) {
    const xs = setsAndMaps(t).filter((x) => x.kind === kind);
    out += `table ${t.family} ${t.name} {\n`;
    for (const x of xs) out += x.kind === 'set' ? printSet(x.set, o) : printMap(x.map, o);
    out += '}\n';
  }
  return out;
}

function quote(s: string): string {
  return `"${s}"`;
}

function handle(o: NftPrintOptions, h: number | undefined): string {
  return o.handles && h !== undefined ? ` # handle ${h}` : '';
}

function chainHeader(family: NftFamily, c: NftChain, o: NftPrintOptions): string {
  let out = `\tchain ${c.name} {${handle(o, c.handle)}\n`;
  if (c.comment !== undefined) out += `\t\tcomment ${quote(c.comment)}\n`;
  if (c.base) out += `\t\t${baseChainLine(family, c.base)}\n`;
  return out;
}

function printChain(family: NftFamily, c: NftChain, o: NftPrintOptions): string {
  let out = chainHeader(family, c, o);
  for (const r of c.rules) out += `\t\t${r.text}${handle(o, r.handle)}\n`;
  return `${out}\t}\n`;
}

export function baseChainLine(family: NftFamily, b: NftBaseChain): string {
  return `type ${b.type} hook ${b.hook} priority ${priorityText(family, b.hook, b.priority)}; policy ${b.policy ?? 'accept'};`;
}

// nft's standard priorities (src/rule.c std_prios): dstnat only names prerouting, srcnat only
// postrouting; a value within ±10 of a name prints as `name ± offset`, anything else as a number.
const STD_PRIOS: { name: string; value: number; hooks?: NftHook[] }[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];

export function priorityText(_family: NftFamily, hook: NftHook, priority: number): string {
  for (const p of STD_PRIOS) {
    if (p.hooks && !p.hooks.includes(hook)) continue;
    const off = priority - p.value;
    if (Math.abs(off) > 10) continue;
    return off === 0 ? p.name : off > 0 ? `${p.name} + ${off}` : `${p.name} - ${-off}`;
  }
  return String(priority);
}

function printSet(s: NftSet, o: NftPrintOptions): string {
  let out = `\tset ${s.name} {${handle(o, s.handle)}\n\t\ttype ${s.type}\n`;
  if (s.size !== undefined) out += `\t\tsize ${s.size}\n`;
  if (s.flags?.length) out += `\t\tflags ${s.flags.join(',')}\n`;
  if (s.timeout !== undefined) out += `\t\ttimeout ${formatNftDuration(s.timeout * 1000)}\n`;
  if (s.comment !== undefined) out += `\t\tcomment ${quote(s.comment)}\n`;
  if (s.elements.length) out += `\t\telements = ${elementList(s.type, false, sortNftElements(s.type, s.elements).map(elementText))}\n`;
  return `${out}\t}\n`;
}

function printMap(m: NftMap, o: NftPrintOptions): string {
  let out = `\tmap ${m.name} {${handle(o, m.handle)}\n\t\ttype ${m.type} : ${m.valueType}\n`;
  if (m.comment !== undefined) out += `\t\tcomment ${quote(m.comment)}\n`;
  if (m.elements.length) out += `\t\telements = ${elementList(m.type, true, sortNftElements(m.type, m.elements).map((e) => `${elementText(e)} : ${e.value}`))}\n`;
  return `${out}\t}\n`;
}

function elementText(e: NftElement): string {
  let s = e.key.join(' . ');
  if (e.expiresMs !== undefined) s += ` expires ${formatNftDuration(e.expiresMs)}`;
  if (e.comment !== undefined) s += ` comment ${quote(e.comment)}`;
  return s;
}

/** How many elements nft puts on one line: maps and concatenations one, else by key width. */
function perLine(type: string, map: boolean): number {
  if (map || type.includes(' . ')) return 1;
  const bits = TYPE_BYTES[type] !== undefined ? TYPE_BYTES[type] * 8 : 32;
  return bits <= 16 ? 5 : bits <= 32 ? 2 : 1;
}

function elementList(type: string, map: boolean, items: string[]): string {
  const n = perLine(type, map);
  let out = '{ ';
  items.forEach((it, i) => {
    if (i > 0) out += i % n === 0 ? `,\n${CONTINUATION}` : ', ';
    out += it;
  });
  return `${out} }`;
}

/** `3h`, `1d3h46m40s`, `2h59m59s968ms` (nft's time_print). */
export function formatNftDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const d = Math.floor(rest / 86_400_000); rest -= d * 86_400_000;
  const h = Math.floor(rest / 3_600_000); rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000); rest -= m * 60_000;
  const s = Math.floor(rest / 1000); rest -= s * 1000;
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}${rest ? `${rest}ms` : ''}`;
}

// --- element order ---------------------------------------------------------------------
// nft sorts a listed set's elements (mergesort.c): a plain value by its number; a
// concatenation by its bytes (each part in network order) read as one little-endian number,
// i.e. from the last byte to the first — the port's low byte decides first.

const TYPE_BYTES: Record<string, number> = { ipv4_addr: 4, ipv6_addr: 16, inet_proto: 1, inet_service: 2, mark: 4 };
const PROTO_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132, icmpv6: 58 };

function partBytes(type: string, value: string): number[] {
  switch (type) {
    case 'ipv4_addr': {
      const p = value.split('/')[0].split('.').map(Number);
      return p.length === 4 && p.every((x) => x >= 0 && x <= 255) ? p : [0, 0, 0, 0];
    }
    case 'ipv6_addr': return ipv6Bytes(value.split('/')[0]);
    case 'inet_proto': return [PROTO_NUMBERS[value] ?? (Number(value) & 0xff)];
    case 'inet_service': { const n = Number(value) & 0xffff; return [n >> 8, n & 0xff]; }
    case 'mark': { const n = Number(value) >>> 0; return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]; }
    default: return [...new TextEncoder().encode(value)];
  }
}

function ipv6Bytes(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const parse = (x: string) => (x ? x.split(':').map((h) => parseInt(h, 16) || 0) : []);
  const a = parse(head);
  const b = tail === undefined ? [] : parse(tail);
  const words = tail === undefined ? a : [...a, ...new Array(Math.max(0, 8 - a.length - b.length)).fill(0), ...b];
  const out: number[] = [];
  for (let i = 0; i < 8; i++) { const w = words[i] ?? 0; out.push(w >> 8, w & 0xff); }
  return out;
}

export function sortNftElements<E extends NftElement>(type: string, elements: E[]): E[] {
  const types = type.split(' . ');
  const concat = types.length > 1;
  const keyed = elements.map((e) => {
    const bytes: number[] = [];
    types.forEach((t, i) => bytes.push(...partBytes(t, e.key[i] ?? '')));
    return { e, bytes };
  });
  keyed.sort((x, y) => {
    const n = Math.max(x.bytes.length, y.bytes.length);
    for (let k = 0; k < n; k++) {
      const i = concat ? n - 1 - k : k;
      const a = x.bytes[i] ?? 0, b = y.bytes[i] ?? 0;
      if (a !== b) return a - b;
    }
    return 0;
  });
  return keyed.map((k) => k.e);
}
