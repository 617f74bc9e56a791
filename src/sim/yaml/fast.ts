// A fast path for the plain block-style YAML that Kubernetes manifests and `kubectl get -o
// yaml` dumps are written in: nested mappings and sequences, plain and simply quoted
// scalars, comments. It is several times faster than the general parser on the 7 MB
// scale dumps. Anything outside that subset — anchors, tags, flow collections, block
// scalars, multi-line scalars, duplicate keys, unusual numbers — makes it give up
// (return undefined), and the caller parses the document with js-yaml instead, so the
// result is always what js-yaml (core schema) would give. Tests compare the two.

type Value = unknown;

interface Line {
  indent: number;
  text: string; // content from `indent`, comment stripped, right-trimmed
}

/** Thrown to give up on the whole document; the caller then uses js-yaml. */
class Unsupported extends Error {}
const GIVE_UP = new Unsupported();

function splitLines(src: string, start: number, end: number): Line[] | undefined {
  const lines: Line[] = [];
  let pos = start;
  // Works on offsets into `src`, so each line costs one string (its text), not several.
  while (pos < end) {
    let nl = src.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    const lineStart = pos;
    let lineEnd = nl;
    pos = nl + 1;
    if (lineEnd > lineStart && src.charCodeAt(lineEnd - 1) === 13 /* \r */) lineEnd--;
    let at = lineStart;
    while (at < lineEnd && src.charCodeAt(at) === 32) at++;
    if (at === lineEnd) continue; // blank
    const indent = at - lineStart;
    const c = src.charCodeAt(at);
    if (c === 35 /* # */) continue;
    if (c === 9 /* tab */) return undefined;
    if (indent === 0 && ((lineEnd - at >= 3 && (src.startsWith('---', at) || src.startsWith('...', at))) || c === 37 /* % */)) return undefined;
    let special = false; // a comment or a quote, which stripComment must look at
    for (let i = at; i < lineEnd; i++) {
      const ch = src.charCodeAt(i);
      if (ch === 35 || ch === 39 || ch === 34) { special = true; break; }
    }
    const body = src.slice(at, lineEnd);
    const text = special ? stripComment(body) : body.trimEnd();
    if (text === undefined) return undefined;
    lines.push({ indent, text });
  }
  return lines;
}

/** Removes a trailing ` # comment` outside quotes; undefined when a quote is left open. */
function stripComment(s: string): string | undefined {
  let quote = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote === 39) { if (c === 39) { if (s.charCodeAt(i + 1) === 39) i++; else quote = 0; } continue; }
    if (quote === 34) { if (c === 92) i++; else if (c === 34) quote = 0; continue; }
    if ((c === 39 || c === 34) && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '-' || s[i - 1] === ':')) { quote = c; continue; }
    if (c === 35 && i > 0 && (s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i).trimEnd();
  }
  if (quote) return undefined;
  return s.trimEnd();
}

/** Parses one document, or gives up (undefined). `stats.nodes` receives the size of the value
 * as load.ts measures documents: one per value and one per mapping key. */
export function parseFastDocument(src: string, start: number, end: number, stats?: { nodes: number }): Value | undefined {
  const lines = splitLines(src, start, end);
  if (!lines) return undefined;
  if (lines.length === 0) return null;
  try {
    const p = new Parser(lines);
    const v = p.block(lines[0].indent);
    if (p.i !== lines.length) return undefined;
    if (stats) stats.nodes = p.nodes;
    return v;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

class Parser {
  i = 0;
  /** Values and keys made so far. */
  nodes = 0;
  constructor(private readonly lines: Line[]) {}

  /** A node whose lines start at indentation `indent`. */
  block(indent: number): Value {
    const l = this.lines[this.i];
    if (!l || l.indent !== indent) throw GIVE_UP;
    if (isSeqItem(l.text)) return this.sequence(indent);
    if (findColon(l.text) !== -1) return this.mapping(indent);
    // A bare scalar document (or a multi-line scalar): leave it to js-yaml.
    throw GIVE_UP;
  }

  mapping(indent: number): Record<string, Value> {
    const out: Record<string, Value> = {};
    this.nodes++;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      if (l.indent < indent) break;
      if (l.indent > indent || isSeqItem(l.text)) throw GIVE_UP;
      this.entry(l.text, indent, out);
    }
    return out;
  }

  /** One `key: value` at the current line (the text may come from after a `- `). */
  entry(text: string, indent: number, out: Record<string, Value>): void {
    const colon = findColon(text);
    if (colon === -1) throw GIVE_UP;
    const key = scalarKey(text.slice(0, colon));
    if (Object.prototype.hasOwnProperty.call(out, key) || key === '<<' || key === '__proto__') throw GIVE_UP;
    const rest = trimmedFrom(text, colon + 1);
    this.i++;
    this.nodes++; // the key
    if (rest !== '') {
      out[key] = scalar(rest);
      this.nodes++;
      return;
    }
    const next = this.lines[this.i];
    if (!next || next.indent < indent || (next.indent === indent && !isSeqItem(next.text))) {
      out[key] = null;
      this.nodes++;
    } else if (next.indent === indent) {
      out[key] = this.sequence(indent); // a sequence written flush with its key
    } else {
      out[key] = this.block(next.indent);
    }
  }

  sequence(indent: number): Value[] {
    const out: Value[] = [];
    this.nodes++;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      if (l.indent < indent) break;
      if (l.indent > indent || !isSeqItem(l.text)) break;
      const rest = l.text === '-' ? '' : trimmedFrom(l.text, 2);
      const contentIndent = l.indent + (l.text.length - rest.length);
      if (rest === '') {
        this.i++;
        const next = this.lines[this.i];
        if (!next || next.indent <= indent) { out.push(null); this.nodes++; } else out.push(this.block(next.indent));
      } else if (isSeqItem(rest)) {
        throw GIVE_UP; // `- - x`
      } else if (findColon(rest) !== -1) {
        // `- key: value` opens a mapping whose further keys line up with `key`.
        const m: Record<string, Value> = {};
        this.nodes++;
        this.entry(rest, contentIndent, m);
        while (this.i < this.lines.length) {
          const n = this.lines[this.i];
          if (n.indent < contentIndent) break;
          if (n.indent > contentIndent || isSeqItem(n.text)) throw GIVE_UP;
          this.entry(n.text, contentIndent, m);
        }
        out.push(m);
      } else {
        this.i++;
        out.push(scalar(rest));
        this.nodes++;
        const next = this.lines[this.i];
        if (next && next.indent > indent) throw GIVE_UP; // a continued scalar
      }
    }
    return out;
  }
}

/** `t.slice(from).trimStart()`, without the intermediate string when only spaces are skipped. */
function trimmedFrom(t: string, from: number): string {
  let i = from;
  while (t.charCodeAt(i) === 32) i++;
  if (i >= t.length) return '';
  const c = t.charCodeAt(i);
  return c > 32 && c < 127 ? t.slice(i) : t.slice(from).trimStart();
}

function isSeqItem(t: string): boolean {
  return t.charCodeAt(0) === 45 /* - */ && (t.length === 1 || t.charCodeAt(1) === 32);
}

/** Index of the `:` that ends a key (followed by a space or the end), outside quotes. */
function findColon(t: string): number {
  const c0 = t.charCodeAt(0);
  if (c0 === 34 || c0 === 39) {
    const close = closingQuote(t, c0);
    if (close === -1) return -1;
    return t.charCodeAt(close + 1) === 58 && (close + 2 === t.length || t.charCodeAt(close + 2) === 32) ? close + 1 : -1;
  }
  for (let i = 0; i < t.length; i++) {
    if (t.charCodeAt(i) === 58 && (i + 1 === t.length || t.charCodeAt(i + 1) === 32)) return i;
  }
  return -1;
}

function closingQuote(t: string, q: number): number {
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (q === 34 && c === 92) { i++; continue; }
    if (c === q) {
      if (q === 39 && t.charCodeAt(i + 1) === 39) { i++; continue; }
      return i;
    }
  }
  return -1;
}

/** Characters that may not start a plain key we accept. */
const KEY_SPECIAL_START = '-?:,[]{}#&*!|>\'"%@`';

function scalarKey(raw: string): string {
  const k = raw.trimEnd();
  const c = k.charCodeAt(0);
  if (c === 34 || c === 39) {
    const v = quoted(k);
    if (v === undefined) throw GIVE_UP;
    return v;
  }
  if (k === '' || KEY_SPECIAL_START.includes(k[0])) throw GIVE_UP;
  // Keys are strings in Kubernetes objects; a key that the core schema would read as
  // something else (a number, a bool, null) is left to js-yaml.
  if (resolvePlain(k) !== k) throw GIVE_UP;
  return k;
}

function quoted(s: string): string | undefined {
  const q = s.charCodeAt(0);
  const close = closingQuote(s, q);
  if (close !== s.length - 1) return undefined;
  const body = s.slice(1, -1);
  if (q === 39) return body.replace(/''/g, "'");
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    const n = body[++i];
    switch (n) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      default: return undefined; // rarer escapes: js-yaml
    }
  }
  return out;
}

/** Characters that may not start a plain scalar we accept: [ { & * ! | > % @ ` ? */
const SPECIAL_START = new Set([91, 123, 38, 42, 33, 124, 62, 37, 64, 96, 63]);

function scalar(raw: string): Value {
  const c = raw.charCodeAt(0);
  if (c === 34 || c === 39) {
    const v = quoted(raw);
    if (v === undefined) throw GIVE_UP;
    return v;
  }
  if (raw === '{}') return {};
  if (raw === '[]') return [];
  if (SPECIAL_START.has(c) || (c === 45 && raw.charCodeAt(1) === 32) || raw.includes(': ')) throw GIVE_UP;
  return resolvePlain(raw);
}

const INT = /^[-+]?(0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(0|[1-9][0-9]*)\.[0-9]+$/;
// What js-yaml's core schema could read as a number (its int and float patterns): forms other
// than plain decimals are left to it. An IP address or a version like 1.15-alpine is a string.
const NUMBERISH = /^[-+]?(0[bxo]|[0-9][0-9_]*$)|^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** The core schema's reading of a plain scalar, or GIVE_UP for forms better left to js-yaml. */
function resolvePlain(s: string): Value {
  const c = s.charCodeAt(0);
  // Most scalars start with a letter other than n/N/t/T/f/F (null, true, false): plain strings.
  if ((c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) || (c >= 65 && c <= 90 && c !== 78 && c !== 84 && c !== 70)) return s;
  switch (s) {
    case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
  }
  if (INT.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw GIVE_UP;
    return n;
  }
  if (FLOAT.test(s)) return Number(s);
  if (NUMBERISH.test(s)) throw GIVE_UP; // 0x1F, 0o17, 1e3, 08, .5, 1_000 ...
  return s;
}
