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

/** A struct type's fields and Go name, resolved once per type (the schema is fixed). */
interface StructDef { fields: Map<string, FieldType>; name: string }
const structDefs = new Map<string, StructDef | null>();

function structDef(t: string): StructDef | null {
  let d = structDefs.get(t);
  if (d === undefined) {
    const key = t.slice(1);
    d = own(S.defs, key) ? { fields: new Map(Object.entries(S.defs[key])), name: t.slice(t.lastIndexOf('.') + 1) } : null;
    structDefs.set(t, d);
  }
  return d;
}

/** Whether a value of scalar type `t` may be `v`; undefined when `t` is not a scalar type. */
function scalarFits(t: string, v: unknown): boolean | undefined {
  switch (t) {
    case 's': return typeof v === 'string';
    case 'i': return typeof v === 'number' && Number.isInteger(v);
    case 'b': return typeof v === 'boolean';
    case 'is': return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
    case 'any': return true;
  }
  return undefined;
}

/** A scalar that fits its type needs no visit (nor a path link): most fields are such. */
function fitsScalar(t: FieldType, v: unknown): boolean {
  return typeof t === 'string' && v !== null && v !== undefined && scalarFits(t, v) === true;
}

function wrongType(v: unknown, t: FieldType, path: PathLink | null, out: ShapeProblem[], struct: string): void {
  out.push({ path: materialize(path), kind: 'wrong-type', expected: goType(t), found: jsonKind(v), struct });
}

function walk(v: unknown, t: FieldType, path: PathLink | null, out: ShapeProblem[], struct: string): void {
  if (v === null || v === undefined) return; // null means "unset" in JSON decoding
  if (typeof t === 'string') {
    const fits = scalarFits(t, v);
    if (fits !== undefined) { if (!fits) wrongType(v, t, path, out, struct); return; }
    const def = structDef(t);
    if (!def) return;
    if (typeof v !== 'object' || Array.isArray(v)) { wrongType(v, t, path, out, struct); return; }
    for (const k in v as Record<string, unknown>) {
      const ft = def.fields.get(k);
      if (ft === undefined) { out.push({ path: materialize({ parent: path, seg: k }), kind: 'unknown-field', struct: def.name }); continue; }
      const child = (v as Record<string, unknown>)[k];
      if (!fitsScalar(ft, child)) walk(child, ft, { parent: path, seg: k }, out, def.name);
    }
    return;
  }
  if ('a' in t) {
    if (!Array.isArray(v)) { wrongType(v, t, path, out, struct); return; }
    // JSON decoding turns a null list item into the zero value of its type.
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null) v[i] = typeof t.a === 'string' && t.a.startsWith('#') ? {} : t.a === 's' ? '' : t.a === 'b' ? false : 0;
      if (!fitsScalar(t.a, v[i])) walk(v[i], t.a, { parent: path, seg: i }, out, struct);
    }
    return;
  }
  if (typeof v !== 'object' || Array.isArray(v)) { wrongType(v, t, path, out, struct); return; }
  for (const k in v as Record<string, unknown>) {
    const child = (v as Record<string, unknown>)[k];
    if (!fitsScalar(t.m, child)) walk(child, t.m, { parent: path, seg: k }, out, struct);
  }
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
