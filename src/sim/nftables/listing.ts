// Reads `nft list ruleset` / `nft list table …` output (with or without `-a`) back into tables:
// the inverse of print.ts, so a printed table parses back to one that prints the same, and a
// listing pasted from a real node can be loaded as data.
import type { NftBaseChain, NftChain, NftElement, NftFamily, NftHook, NftMap, NftMapElement, NftSet, NftTable } from './model';

export interface ListingProblem {
  line: number;
  message: string;
}

const PRIOS: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

export function parsePriority(text: string): number {
  const m = /^([a-z]+)\s*([+-])\s*(\d+)$/.exec(text.trim());
  if (m && m[1] in PRIOS) return PRIOS[m[1]] + (m[2] === '+' ? 1 : -1) * Number(m[3]);
  if (text.trim() in PRIOS) return PRIOS[text.trim()];
  return Number(text);
}

/** `1d3h46m40s`, `2h59m59s968ms` → milliseconds. */
export function parseNftDuration(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|d|h|m|s)/g)) {
    const n = Number(m[1]);
    ms += m[2] === 'd' ? n * 86_400_000 : m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
  }
  return ms;
}

const HANDLE = /\s+# handle (\d+)$/;

function takeHandle(s: string): { text: string; handle?: number } {
  const m = HANDLE.exec(s);
  return m ? { text: s.slice(0, m.index), handle: Number(m[1]) } : { text: s };
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** Splits `a, b comment "x, y", c` at top-level commas. */
function splitElements(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const ch of body) {
    if (ch === '"') q = !q;
    if (ch === ',' && !q) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseElement(text: string, map: boolean): NftElement | NftMapElement {
  let rest = text;
  let value: string | undefined;
  if (map) {
    // The value follows the last ` : ` outside quotes.
    let q = false, at = -1;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '"') q = !q;
      if (!q && rest.startsWith(' : ', i)) at = i;
    }
    if (at >= 0) { value = rest.slice(at + 3).trim(); rest = rest.slice(0, at); }
  }
  let comment: string | undefined;
  const cm = /\s+comment ("(?:[^"]*)")$/.exec(rest);
  if (cm) { comment = unquote(cm[1]); rest = rest.slice(0, cm.index); }
  let expiresMs: number | undefined;
  const em = /\s+expires (\S+)$/.exec(rest);
  if (em) { expiresMs = parseNftDuration(em[1]); rest = rest.slice(0, em.index); }
  const e: NftElement = { key: rest.split(' . ').map((s) => s.trim()), ...(comment !== undefined ? { comment } : {}), ...(expiresMs !== undefined ? { expiresMs } : {}) };
  return map ? { ...e, value: value ?? '' } : e;
}

export function parseNftListing(text: string): { tables: NftTable[]; problems: ListingProblem[] } {
  const tables: NftTable[] = [];
  const problems: ListingProblem[] = [];
  const lines = text.split('\n');
  let table: NftTable | undefined;
  let obj: { kind: 'chain'; c: NftChain } | { kind: 'set'; s: NftSet } | { kind: 'map'; m: NftMap } | undefined;
  let elements: string | undefined; // accumulating `elements = { … }`
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const line = raw.trim();
    if (line === '' || line.startsWith('# Warning:')) continue;
    if (elements !== undefined) {
      elements += ` ${line}`;
      if (line.endsWith('}')) finishElements();
      continue;
    }
    if (!table) {
      const m = /^table (ip|ip6|inet|arp|bridge|netdev) (\S+) \{/.exec(line);
      if (!m) { problems.push({ line: n + 1, message: `expected "table FAMILY NAME {": ${line}` }); continue; }
      const h = HANDLE.exec(line);
      table = { family: m[1] as NftFamily, name: m[2], ...(h ? { handle: Number(h[1]) } : {}), chains: [], sets: [], maps: [] };
      continue;
    }
    if (!obj) {
      if (line === '}') { tables.push(table); table = undefined; continue; }
      const cm = /^comment (".*")$/.exec(line);
      if (cm) { table.comment = unquote(cm[1]); continue; }
      const om = /^(chain|set|map) (\S+) \{(?:\s+# handle (\d+))?$/.exec(line);
      if (!om) { problems.push({ line: n + 1, message: `unexpected line in table ${table.name}: ${line}` }); continue; }
      const handle = om[3] !== undefined ? { handle: Number(om[3]) } : {};
      if (om[1] === 'chain') { const c: NftChain = { name: om[2], ...handle, rules: [] }; table.chains.push(c); obj = { kind: 'chain', c }; }
      else {
        const position = om[3] === undefined ? { position: table.sets.length + table.maps.length } : {};
        if (om[1] === 'set') { const s: NftSet = { name: om[2], ...handle, ...position, type: '', elements: [] }; table.sets.push(s); obj = { kind: 'set', s }; }
        else { const m: NftMap = { name: om[2], ...handle, ...position, type: '', valueType: '', elements: [] }; table.maps.push(m); obj = { kind: 'map', m }; }
      }
      continue;
    }
    if (line === '}') { obj = undefined; continue; }
    if (obj.kind === 'chain') {
      const c = obj.c;
      const cm = /^comment (".*")$/.exec(line);
      if (cm && !c.rules.length && !c.base) { c.comment = unquote(cm[1]); continue; }
      const bm = /^type (filter|nat|route) hook (\S+) priority (.+?); policy (accept|drop);$/.exec(line);
      if (bm && !c.rules.length) {
        c.base = { type: bm[1] as NftBaseChain['type'], hook: bm[2] as NftHook, priority: parsePriority(bm[3]), policy: bm[4] as 'accept' | 'drop' };
        continue;
      }
      const { text: r, handle } = takeHandle(line);
      c.rules.push({ text: r, ...(handle !== undefined ? { handle } : {}) });
      continue;
    }
    const tm = /^type (.+)$/.exec(line);
    if (tm) {
      if (obj.kind === 'map') { const [k, v] = tm[1].split(' : '); obj.m.type = k; obj.m.valueType = v ?? ''; } else obj.s.type = tm[1];
      continue;
    }
    const cm = /^comment (".*")$/.exec(line);
    if (cm) { if (obj.kind === 'map') obj.m.comment = unquote(cm[1]); else obj.s.comment = unquote(cm[1]); continue; }
    if (obj.kind === 'set') {
      const sm = /^size (\d+)$/.exec(line);
      if (sm) { obj.s.size = Number(sm[1]); continue; }
      const fm = /^flags (\S+)$/.exec(line);
      if (fm) { obj.s.flags = fm[1].split(','); continue; }
      const tom = /^timeout (\S+)$/.exec(line);
      if (tom) { obj.s.timeout = parseNftDuration(tom[1]) / 1000; continue; }
    }
    if (line.startsWith('elements = {')) {
      elements = line.slice('elements = '.length);
      if (line.endsWith('}')) finishElements();
      continue;
    }
    problems.push({ line: n + 1, message: `unexpected line in ${obj.kind}: ${line}` });
  }
  if (table) problems.push({ line: lines.length, message: `table ${table.name} is not closed` });
  return { tables, problems };

  function finishElements(): void {
    const body = elements!.trim().replace(/^\{\s*/, '').replace(/\s*\}$/, '');
    elements = undefined;
    if (!obj || obj.kind === 'chain') return;
    for (const part of splitElements(body)) {
      if (obj.kind === 'map') obj.m.elements.push(parseElement(part, true) as NftMapElement);
      else obj.s.elements.push(parseElement(part, false));
    }
  }
}
