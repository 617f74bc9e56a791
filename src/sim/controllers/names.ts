// Names the controllers generate, in Kubernetes' own shapes: `<rs>-<5 chars>` pods,
// `<deploy>-<pod-template-hash>` ReplicaSets, `<svc>-<5 chars>` EndpointSlices.
import { deriveRng, fnv32a, hash128 } from '../rng';
import type { ObjectStore } from '../api/store';

/** utilrand's alphabet: no vowels (no accidental words), no confusable 0/1/3. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(seed: number, purpose: string, length = 5): string {
  if (length > 6) {
    const rng = deriveRng(seed, purpose);
    let s = '';
    for (let i = 0; i < length; i++) s += ALPHANUMS[rng.int(ALPHANUMS.length)];
    return s;
  }
  // Up to six characters: one 128-bit hash gives enough independent bits (a hot path for 20,000 pods).
  const words = hash128(`${seed}\u0000${purpose}`);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHANUMS[(words[i % 4] >>> (i < 4 ? 0 : 16)) % ALPHANUMS.length];
  return s;
}

/** rand.SafeEncodeString: maps every byte onto the alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** pod-template-hash / controller-revision-hash: FNV-32a over the template, encoded like
 * Kubernetes does (`6c9764bb69`). Kubernetes hashes Go's printed form of the struct, which
 * cannot be reproduced outside Go; the shape and stability are what matter here. */
export function templateHash(template: object, collisionCount = 0): string {
  return hashOfCanonical(canonicalJSONOfFrozen(template), collisionCount);
}

export function hashOfCanonical(canonical: string, collisionCount = 0): string {
  return safeEncodeString(String(fnv32a(canonical + (collisionCount ? `#${collisionCount}` : ''))));
}

/** generateName: base + 5 random characters, drawn until the name is free. */
export function generateName(store: ObjectStore, seed: number, kind: string, namespace: string, base: string): string {
  for (;;) {
    const n = store.bump(`generateName/${kind}/${namespace}/${base}`);
    const name = `${base}${randomSuffix(seed, `${kind}/${namespace}/${base}#${n}`)}`;
    if (!store.get(kind, namespace, name)) return name;
  }
}

const canonicalCache = new WeakMap<object, string>();

/** canonicalJSON of an object that is never mutated after admission (pod templates), cached. */
export function canonicalJSONOfFrozen(v: object): string {
  let s = canonicalCache.get(v);
  if (s === undefined) { s = canonicalJSON(v); canonicalCache.set(v, s); }
  return s;
}

/** JSON with object keys sorted: equal content, equal text. */
export function canonicalJSON(v: unknown): string {
  let out = '';
  const emit = (x: unknown): void => {
    if (x === null || typeof x !== 'object') { out += JSON.stringify(x) ?? 'null'; return; }
    if (Array.isArray(x)) {
      out += '[';
      for (let i = 0; i < x.length; i++) { if (i) out += ','; emit(x[i]); }
      out += ']';
      return;
    }
    const keys = Object.keys(x).sort();
    out += '{';
    let first = true;
    for (const k of keys) {
      const val = (x as Record<string, unknown>)[k];
      if (val === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += JSON.stringify(k);
      out += ':';
      emit(val);
    }
    out += '}';
  };
  emit(v);
  return out;
}
