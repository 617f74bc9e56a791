// Parses a rule as `nft list` prints it into statements the interpreter evaluates: matches
// (`ip daddr 10.0.0.0/8`, `ct state new`, `fib saddr type local`, `meta mark & 0x4000 == 0x0`),
// set and map lookups (`@set`, `vmap @map`, `vmap { 0 : goto a, … }`, `numgen random mod N`),
// and the statements kube-proxy and kubelet use (`meta mark set …`, `update @set { ip saddr }`,
// `dnat to`, `masquerade`, `reject`, `counter`, verdicts, `comment`). Anything else is kept as
// an `unknown` statement (a match the interpreter treats as not matching).

export type Selector =
  | { k: 'addr'; family: 'ip' | 'ip6'; field: 'saddr' | 'daddr' }
  | { k: 'meta'; key: string }
  | { k: 'th'; field: 'sport' | 'dport' }
  | { k: 'l4'; proto: string; field: 'sport' | 'dport' }
  | { k: 'ct'; key: 'state' | 'status' }
  | { k: 'fib'; field: 'saddr' | 'daddr' }
  | { k: 'iface'; which: 'iifname' | 'oifname' }
  | { k: 'numgen'; mod: number };

export interface Expr {
  parts: Selector[];
  /** `& MASK` applied before comparing (meta mark). */
  mask?: number;
}

export type Rhs =
  | { kind: 'value'; parts: string[] }
  | { kind: 'set'; name: string }
  | { kind: 'anon'; items: string[][] };

export type Stmt =
  | { s: 'match'; expr: Expr; op: '==' | '!='; rhs: Rhs }
  | { s: 'vmap'; expr: Expr; map: { name: string } | { items: { key: string[]; value: string }[] } }
  | { s: 'verdict'; v: 'accept' | 'drop' | 'return' | 'continue' | 'jump' | 'goto'; target?: string }
  | { s: 'reject' }
  | { s: 'mark'; op: 'set' | '|' | '^' | '&'; value: number }
  | { s: 'masquerade' }
  | { s: 'dnat'; ip: string; port?: number }
  | { s: 'snat'; ip: string; port?: number }
  | { s: 'update'; set: string; expr: Expr }
  | { s: 'nop' }
  | { s: 'unknown'; text: string };

export interface ParsedRule {
  stmts: Stmt[];
  comment?: string;
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '"') {
      const j = text.indexOf('"', i + 1);
      const end = j === -1 ? text.length : j + 1;
      out.push(text.slice(i, end));
      i = end;
      continue;
    }
    if (c === '{' || c === '}' || c === ',') { out.push(c); i++; continue; }
    let j = i;
    while (j < text.length && !' \t{},"'.includes(text[j])) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

const cache = new Map<string, ParsedRule>();

export function parseNftRule(text: string): ParsedRule {
  let r = cache.get(text);
  if (!r) {
    r = parse(tokenize(text));
    if (cache.size > 200_000) cache.clear();
    cache.set(text, r);
  }
  return r;
}

const unquote = (s: string) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

function parse(t: string[]): ParsedRule {
  const stmts: Stmt[] = [];
  let comment: string | undefined;
  let i = 0;
  const peek = (k = 0) => t[i + k];
  const next = () => t[i++];

  /** A selector at the cursor, or undefined (cursor unchanged). */
  const selector = (): Selector | undefined => {
    const a = peek(), b = peek(1);
    if ((a === 'ip' || a === 'ip6') && (b === 'saddr' || b === 'daddr')) { i += 2; return { k: 'addr', family: a, field: b }; }
    if (a === 'meta' && b && ['l4proto', 'mark', 'iifname', 'oifname', 'nfproto', 'protocol', 'iif', 'oif'].includes(b)) { i += 2; return b === 'iifname' || b === 'oifname' ? { k: 'iface', which: b } : { k: 'meta', key: b }; }
    if (a === 'th' && (b === 'dport' || b === 'sport')) { i += 2; return { k: 'th', field: b }; }
    if ((a === 'tcp' || a === 'udp' || a === 'sctp') && (b === 'dport' || b === 'sport')) { i += 2; return { k: 'l4', proto: a, field: b }; }
    if (a === 'ct' && (b === 'state' || b === 'status')) { i += 2; return { k: 'ct', key: b }; }
    if (a === 'fib' && (b === 'saddr' || b === 'daddr')) {
      i += 2;
      while (peek() === '.' && (peek(1) === 'iif' || peek(1) === 'oif')) i += 2;
      if (peek() === 'type') i++;
      return { k: 'fib', field: b };
    }
    if (a === 'iifname' || a === 'oifname') { i += 1; return { k: 'iface', which: a }; }
    if (a === 'numgen' && b === 'random' && peek(2) === 'mod') { const mod = Number(peek(3)); i += 4; return { k: 'numgen', mod }; }
    return undefined;
  };

  const expr = (): Expr | undefined => {
    const first = selector();
    if (!first) return undefined;
    const parts = [first];
    while (peek() === '.') {
      const save = i;
      i++;
      const s = selector();
      if (!s) { i = save; break; }
      parts.push(s);
    }
    const e: Expr = { parts };
    if (peek() === '&') { i++; e.mask = Number(next()); }
    return e;
  };

  /** `{ a, b . c, … }` → items; `{ k : v, … }` → mapping pairs. */
  const braces = (): { key: string[]; value?: string }[] => {
    const items: { key: string[]; value?: string }[] = [];
    if (peek() !== '{') return items;
    i++;
    let key: string[] = [];
    let value: string[] | undefined;
    const flush = () => {
      if (key.length) items.push({ key, ...(value ? { value: value.join(' ') } : {}) });
      key = []; value = undefined;
    };
    while (i < t.length && peek() !== '}') {
      const w = next();
      if (w === ',') { flush(); continue; }
      if (w === ':') { value = []; continue; }
      if (value) value.push(w);
      else if (w !== '.') key.push(unquote(w));
    }
    flush();
    i++; // }
    return items;
  };

  const valueParts = (): string[] => {
    const parts = [unquote(next())];
    for (;;) {
      if (peek() === '.' && peek(1) !== undefined) { i++; parts.push(unquote(next())); continue; }
      // `ct state established,related`: a comma list outside braces
      if (peek() === ',' && peek(1) !== undefined) { i++; parts[parts.length - 1] += `,${unquote(next())}`; continue; }
      return parts;
    }
  };

  while (i < t.length) {
    const w = peek();
    switch (w) {
      case 'comment': i++; comment = unquote(next() ?? ''); continue;
      case 'counter':
        i++;
        if (peek() === 'packets') i += 2;
        if (peek() === 'bytes') i += 2;
        stmts.push({ s: 'nop' });
        continue;
      case 'accept': case 'drop': case 'return': case 'continue':
        i++; stmts.push({ s: 'verdict', v: w }); continue;
      case 'jump': case 'goto':
        i++; stmts.push({ s: 'verdict', v: w, target: next() }); continue;
      case 'reject':
        i++;
        if (peek() === 'with') { while (i < t.length && peek() !== 'comment') i++; }
        stmts.push({ s: 'reject' });
        continue;
      case 'masquerade':
        i++;
        while (peek() === 'fully-random' || peek() === 'random' || peek() === 'persistent' || peek() === ',') i++;
        stmts.push({ s: 'masquerade' });
        continue;
      case 'dnat': case 'snat': {
        i++;
        if (peek() === 'ip' || peek() === 'ip6') i++;
        if (peek() === 'to') i++;
        const to = next() ?? '';
        let ip = to, port: number | undefined;
        const v6 = /^\[(.*)\](?::(\d+))?$/.exec(to);
        const v4 = /^([^:]+):(\d+)$/.exec(to);
        if (v6) { ip = v6[1]; port = v6[2] ? Number(v6[2]) : undefined; } else if (v4) { ip = v4[1]; port = Number(v4[2]); }
        stmts.push(w === 'dnat' ? { s: 'dnat', ip, port } : { s: 'snat', ip, port });
        continue;
      }
      case 'update': case 'add': {
        i++;
        const set = (next() ?? '').replace(/^@/, '');
        let e: Expr | undefined;
        if (peek() === '{') { i++; e = expr(); while (i < t.length && peek() !== '}') i++; i++; }
        stmts.push(e ? { s: 'update', set, expr: e } : { s: 'unknown', text: `update @${set}` });
        continue;
      }
      case 'meta':
        if (peek(1) === 'mark' && peek(2) === 'set') {
          i += 3;
          if (peek() === 'meta' && peek(1) === 'mark' && ['|', '^', '&'].includes(peek(2) ?? '')) {
            const op = peek(2) as '|' | '^' | '&';
            i += 3;
            stmts.push({ s: 'mark', op, value: Number(next()) });
          } else stmts.push({ s: 'mark', op: 'set', value: Number(next()) });
          continue;
        }
        if (peek(1) === 'nftrace' && peek(2) === 'set') { i += 4; stmts.push({ s: 'nop' }); continue; }
        break;
      default: break;
    }
    const e = expr();
    if (!e) { stmts.push({ s: 'unknown', text: next() }); continue; }
    if (peek() === 'vmap') {
      i++;
      if (peek()?.startsWith('@')) stmts.push({ s: 'vmap', expr: e, map: { name: next().slice(1) } });
      else stmts.push({ s: 'vmap', expr: e, map: { items: braces().map((x) => ({ key: x.key, value: x.value ?? '' })) } });
      continue;
    }
    let op: '==' | '!=' = '==';
    if (peek() === '==' || peek() === '!=') op = next() as '==' | '!=';
    if (peek()?.startsWith('@')) { stmts.push({ s: 'match', expr: e, op, rhs: { kind: 'set', name: next().slice(1) } }); continue; }
    if (peek() === '{') { stmts.push({ s: 'match', expr: e, op, rhs: { kind: 'anon', items: braces().map((x) => x.key) } }); continue; }
    if (peek() === undefined) { stmts.push({ s: 'unknown', text: 'incomplete match' }); continue; }
    stmts.push({ s: 'match', expr: e, op, rhs: { kind: 'value', parts: valueParts() } });
  }
  return { stmts, ...(comment !== undefined ? { comment } : {}) };
}
