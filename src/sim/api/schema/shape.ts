// Checks an object's shape against the generated Kubernetes field schema: wrong types are
// errors (the API server cannot decode them), unknown fields are warnings (kubectl ≥ 1.27
// prints `Warning: unknown field "spec.foo"` and drops them).
import schema from './k8s-schema.json';
import type { PathSegment } from '../../yaml/locate';

type FieldType = string | { a: FieldType } | { m: FieldType };

interface Schema {
  roots: Record<string, string>;
  defs: Record<string, Record<string, FieldType>>;
}

const S = schema as unknown as Schema;

export interface ShapeProblem {
  path: PathSegment[];
  kind: 'unknown-field' | 'wrong-type';
  /** Go type name the API server expected, e.g. `int32`, `string`, `map[string]string`. */
  expected?: string;
  /** JSON kind found: string, number, bool, array, object. */
  found?: string;
  /** Go struct name holding the field, for the decoder's message. */
  struct?: string;
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function hasSchema(kind: string): boolean {
  return own(S.roots, kind);
}

export function checkShape(kind: string, value: unknown): ShapeProblem[] {
  if (!hasSchema(kind)) return [];
  const root = S.roots[kind];
  const problems: ShapeProblem[] = [];
  walk(value, root, null, problems, kind);
  return problems;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function goType(t: FieldType): string {
  if (typeof t === 'string') {
    if (t === 's') return 'string';
    if (t === 'i') return 'int32';
    if (t === 'b') return 'bool';
    if (t === 'is') return 'intstr.IntOrString';
    if (t === 'any') return 'interface {}';
    return `v1.${t.split('.').pop()}`;
  }
  if ('a' in t) return `[]${goType(t.a)}`;
  return `map[string]${goType(t.m)}`;
}

/** The path to a node, built only when a problem is reported (walking a 10 MB dump must not allocate one per field). */
interface PathLink { parent: PathLink | null; seg: PathSegment }

function materialize(p: PathLink | null): PathSegment[] {
  const out: PathSegment[] = [];
  for (let l = p; l; l = l.parent) out.push(l.seg);
  return out.reverse();
}

function walk(v: unknown, t: FieldType, path: PathLink | null, out: ShapeProblem[], struct: string): void {
  if (v === null || v === undefined) return; // null means "unset" in JSON decoding
  const wrong = () => out.push({ path: materialize(path), kind: 'wrong-type', expected: goType(t), found: jsonKind(v), struct });
  if (typeof t === 'string') {
    switch (t) {
      case 's': if (typeof v !== 'string') wrong(); return;
      case 'i': if (typeof v !== 'number' || !Number.isInteger(v)) wrong(); return;
      case 'b': if (typeof v !== 'boolean') wrong(); return;
      case 'is': if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) wrong(); return;
      case 'any': return;
    }
    const def = own(S.defs, t.slice(1)) ? S.defs[t.slice(1)] : undefined;
    if (!def) return;
    if (typeof v !== 'object' || Array.isArray(v)) { wrong(); return; }
    const name = t.slice(t.lastIndexOf('.') + 1);
    for (const k in v as Record<string, unknown>) {
      const child = { parent: path, seg: k };
      const ft = own(def, k) ? def[k] : undefined;
      if (ft === undefined) out.push({ path: materialize(child), kind: 'unknown-field', struct: name });
      else walk((v as Record<string, unknown>)[k], ft, child, out, name);
    }
    return;
  }
  if ('a' in t) {
    if (!Array.isArray(v)) { wrong(); return; }
    // JSON decoding turns a null list item into the zero value of its type.
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null) v[i] = typeof t.a === 'string' && t.a.startsWith('#') ? {} : t.a === 's' ? '' : t.a === 'b' ? false : 0;
      walk(v[i], t.a, { parent: path, seg: i }, out, struct);
    }
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) { wrong(); return; }
  for (const k in v as Record<string, unknown>) walk((v as Record<string, unknown>)[k], t.m, { parent: path, seg: k }, out, struct);
}

/** `spec.ports[0].port` — the API server's field path notation. */
export function fieldPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s ? `.${seg}` : seg;
  }
  return s;
}
