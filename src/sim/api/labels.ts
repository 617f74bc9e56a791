// Labels and label selectors as kubectl prints and parses them (k8s.io/apimachinery/pkg/labels
// and metav1 helpers). Printing details matter: labels.Set.String sorts the joined `k=v`
// strings (so `a.b=1` sorts before `a=2`), selectors sort requirements by key and In/NotIn
// values alphabetically.
import type { LabelSelector } from './objects';

export type Labels = Record<string, string>;

export function matchesSelector(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !vals.includes(l[e.key])) return false; break;
      case 'NotIn': if (has && vals.includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A Service's map selector: every pair must match; an empty map selects nothing (no selector). */
export function matchesMap(sel: Labels | undefined, labels: Labels | undefined): boolean {
  if (!sel) return false;
  const keys = Object.keys(sel);
  if (keys.length === 0) return false;
  const l = labels ?? {};
  for (const k of keys) if (l[k] !== sel[k]) return false;
  return true;
}

/** Go's sort.Strings order: byte-wise, which for our ASCII keys is UTF-16 code unit order. */
export function goStringCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: `k=v,k2=v2` (sorted as whole strings), `<none>` when empty. */
export function formatLabels(labels: Labels | undefined | null): string {
  const parts = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  parts.sort(goStringCompare);
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

/** labels.Requirement.String. */
export function requirementString(r: Requirement): string {
  if (r.op === 'exists') return r.key;
  if (r.op === '!') return `!${r.key}`;
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort(goStringCompare).join(',');
  switch (r.op) {
    case 'in': return `${r.key} in (${vals})`;
    case 'notin': return `${r.key} notin (${vals})`;
    default: return `${r.key}${r.op}${vals}`;
  }
}

/** Requirements sorted by key, as internalSelector.Add does (Go's sort.Sort is not stable; ties are rare). */
function sortByKey(reqs: Requirement[]): Requirement[] {
  return [...reqs].sort((a, b) => goStringCompare(a.key, b.key));
}

/** metav1.LabelSelectorAsSelector(...).String(); undefined for a nil selector (labels.Nothing). */
export function labelSelectorRequirements(sel: LabelSelector | undefined | null): Requirement[] | undefined {
  if (!sel) return undefined;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op: Operator | undefined = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[e.operator] as Operator | undefined;
    if (!op) return undefined;
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])] });
  }
  return sortByKey(reqs);
}

/** Selector.String() of a LabelSelector: what the Deployment printer shows (`""` if empty or nil). */
export function labelSelectorString(sel: LabelSelector | undefined | null): string {
  const reqs = labelSelectorRequirements(sel);
  return reqs ? reqs.map(requirementString).join(',') : '';
}

/** metav1.FormatLabelSelector: like labelSelectorString, but `<none>` when empty. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = labelSelectorString(sel);
  return s === '' ? '<none>' : s;
}

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case '=': case '==': case 'in': return has && r.values.includes(v);
    case '!=': case 'notin': return !has || !r.values.includes(v);
    case 'exists': return has;
    case '!': return !has;
    case '>': case '<': {
      if (!has || !/^[+-]?\d+$/.test(v) || r.values.length !== 1) return false;
      const a = BigInt(v);
      const b = BigInt(r.values[0]);
      return r.op === '>' ? a > b : a < b;
    }
  }
}

export function selectorMatches(reqs: Requirement[], labels: Labels | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => requirementMatches(r, l));
}

// ---- parsing `-l`/`--selector` (labels.Parse) ----

type Tok = 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'id' | 'error';
const SYMBOLS: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', '<': '<', '!=': '!=', '(': '(' };
const KEYWORDS: Record<string, Tok> = { in: 'in', notin: 'notin' };

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}
function isSpecial(ch: string): boolean {
  return '=!(),><'.includes(ch);
}

function lex(s: string): Array<{ tok: Tok; lit: string }> {
  const items: Array<{ tok: Tok; lit: string }> = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) { items.push({ tok: 'end', lit: '' }); return items; }
    if (isSpecial(s[pos])) {
      // longest run of special symbols that still forms a known token
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        buf += s[pos];
        if (SYMBOLS[buf]) { last = { tok: SYMBOLS[buf], lit: buf }; pos++; } else if (last) break; else pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) buf += s[pos++];
    items.push({ tok: KEYWORDS[buf] ?? 'id', lit: buf });
  }
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validKey(k: string): boolean {
  const parts = k.split('/');
  if (parts.length === 1) return k.length <= 63 && QUALIFIED_NAME.test(k);
  if (parts.length !== 2) return false;
  const [prefix, name] = parts;
  return prefix.length > 0 && prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/**
 * labels.Parse. Returns requirements sorted by key, or the parser's error text.
 * The validation messages of IsQualifiedName/IsValidLabelValue are shortened (not byte-exact).
 */
export function parseSelector(input: string): { ok: true; reqs: Requirement[] } | { ok: false; error: string } {
  const items = lex(input);
  let p = 0;
  // In value context the keywords `in`/`notin` are plain identifiers.
  const look = (values: boolean) => { const it = items[p]; return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id' as Tok, lit: it.lit } : it; };
  const take = (values: boolean) => { const it = look(values); p++; return it; };
  const reqs: Requirement[] = [];
  const fail = (msg: string) => ({ ok: false as const, error: msg });

  const parseRequirement = (): Requirement | string => {
    let t = take(true);
    let negate = false;
    if (t.tok === '!') { negate = true; t = take(true); }
    if (t.tok !== 'id') return `found '${t.lit}', expected: identifier`;
    const key = t.lit;
    if (!validKey(key)) return `key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`;
    const next = look(true).tok;
    if (next === 'end' || next === ',') return { key, op: negate ? '!' : 'exists', values: [] };
    if (negate) return `found '${look(false).lit}', expected: ',' or 'end of string'`;
    const o = take(false);
    const opMap: Partial<Record<Tok, Operator>> = { in: 'in', '=': '=', '==': '==', '>': '>', '<': '<', notin: 'notin', '!=': '!=' };
    const op = opMap[o.tok];
    if (!op) return `found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`;
    let values: string[];
    if (op === 'in' || op === 'notin') {
      const open = take(true);
      if (open.tok !== '(') return `found '${open.lit}' expected: '('`;
      const set = new Set<string>();
      const first = look(true);
      if (first.tok === ')') { take(true); set.add(''); } else if (first.tok === 'id' || first.tok === ',') {
        for (;;) {
          const v = take(true);
          if (v.tok === 'id') {
            set.add(v.lit);
            const n = look(true);
            if (n.tok === ',') continue;
            if (n.tok === ')') break;
            return `found '${n.lit}', expected: ',' or ')'`;
          } else if (v.tok === ',') {
            if (set.size === 0) set.add('');
            const n = look(true);
            if (n.tok === ')') { set.add(''); break; }
            if (n.tok === ',') { take(true); set.add(''); }
          } else {
            return `found '${v.lit}', expected: ',', or identifier`;
          }
        }
        const close = take(true);
        if (close.tok !== ')') return `found '${first.lit}', expected: ')'`;
      } else {
        return `found '${first.lit}', expected: ',', ')' or identifier`;
      }
      values = [...set].sort(goStringCompare);
    } else {
      const n = look(true);
      if (n.tok === 'end' || n.tok === ',') values = [''];
      else {
        const v = take(true);
        if (v.tok !== 'id') return `found '${v.lit}', expected: identifier`;
        values = [v.lit];
      }
      if ((op === '>' || op === '<') && !/^[+-]?\d+$/.test(values[0])) return `for 'Gt', 'Lt' operators, the value must be an integer`;
    }
    for (const v of values) if (v.length > 63 || !LABEL_VALUE.test(v)) return `values[0][${key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
    return { key, op, values };
  };

  for (;;) {
    const t = look(true);
    if (t.tok === 'end') break;
    if (t.tok !== 'id' && t.tok !== '!') return fail(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
    const r = parseRequirement();
    if (typeof r === 'string') return fail(`unable to parse requirement: ${r}`);
    reqs.push(r);
    const sep = take(true);
    if (sep.tok === 'end') break;
    if (sep.tok !== ',') return fail(`found '${sep.lit}', expected: ',' or 'end of string'`);
    const after = look(true);
    if (after.tok !== 'id' && after.tok !== '!') return fail(`found '${after.lit}', expected: identifier after ','`);
  }
  return { ok: true, reqs: sortByKey(reqs) };
}
